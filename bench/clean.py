#!/usr/bin/env python3
"""How fast is cleaning?  `reader clean` over the 181 dev pages, whole and per page.

Reports, in one process: the total time to load and clean every page the way
`reader clean` does (`load_articles`), the per-page median of `clean_text` with the
learned line model, and the same median with the rules alone (the baseline the
model adds to), as a ratio.  Also times the real CLI once end to end (process start,
imports, JSON output) as a subprocess.  Target: well under 10 s for all pages.

Usage: python bench/clean.py [--set ../shared/cleaning] [--repeat 3]
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.articles import load_articles  # noqa: E402
from reader.cleaning import clean_text  # noqa: E402
from reader.line_model import load_model  # noqa: E402
from reader.loading import read_text  # noqa: E402
from reader.rules import load_rules  # noqa: E402


def per_page(texts: list[str], rules, model) -> list[float]:
    out = []
    for text in texts:
        t0 = time.perf_counter()
        clean_text(text, rules, model=model)
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=ROOT.parent / "shared" / "cleaning")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    pages = sorted((args.set / "pages").glob("*.txt"))
    if not pages:
        print(f"no pages under {args.set}/pages", file=sys.stderr)
        return 2
    rules = load_rules(include_user=False)
    t0 = time.perf_counter()
    model = load_model()
    t_model = time.perf_counter() - t0
    texts = [read_text(p)[0] for p in pages]
    totals, model_times, rule_times = [], [], []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        articles, skipped = load_articles([str(p) for p in pages], rules)
        totals.append(time.perf_counter() - t0)
        model_times.append(median(per_page(texts, rules, model)))
        rule_times.append(median(per_page(texts, rules, False)))
    lines = sum(len([ln for ln in t.split("\n") if ln.strip()]) for t in texts)
    print(f"{len(pages)} pages, {lines} non-blank lines; model compiled in {t_model * 1000:.0f} ms")
    print(f"load_articles, all pages: median {median(totals):.2f} s over {args.repeat} runs "
          f"({len(articles)} articles, {len(skipped)} skipped)")
    m, r = median(model_times), median(rule_times)
    print(f"clean_text per page, median: {m * 1000:.2f} ms with the line model, "
          f"{r * 1000:.2f} ms rules only (ratio {m / r:.1f}x)")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "reader", "clean", *map(str, pages), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    status = "ok" if out.returncode == 0 else f"exit {out.returncode}"
    print(f"reader clean <{len(pages)} pages> --format json, one process end to end: {wall:.2f} s ({status})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
