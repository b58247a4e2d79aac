"""Start-up time of `reader PATH` until the article list is on screen.

Each run is a fresh Python process (as a user would start it) that builds the app
and runs it headless; the pilot waits until the article table holds every row and
the process exits.  The baseline, `python -c "import textual.app"`, is timed in the
same run, interleaved, so the ratios hold on a busy shared machine.  Reports
medians and ratios; the 500-article folder also reports how long the share bars
(the background alignment work) took after the list appeared.

    python bench/startup.py [--runs 7]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
RUN_TIMEOUT = 300  # seconds; a run that hangs is a failure, not a slow result

PROBE = r"""
import json, sys, time
from reader.tui.app import ReaderApp
from reader.tui.widgets.article_table import ArticleTable

marks = {}
async def until_listed(pilot):
    app = pilot.app
    while True:
        t = app.query(ArticleTable)
        rows = t.first().row_count if t else 0
        if rows and "first" not in marks:
            marks["first"] = time.perf_counter()
        if app.loaded and rows == len(app.articles):
            marks["listed"] = time.perf_counter()
            break
        await pilot.pause(0.005)
    if sys.argv[2] == "shares":
        while len(app.shares) < len(app.articles) - 1:
            await pilot.pause(0.02)
        marks["shares"] = time.perf_counter()
    app.exit()

app = ReaderApp([sys.argv[1]], config_dir=sys.argv[3])
app.run(headless=True, size=(160, 48), auto_pilot=until_listed)
print(json.dumps({"first": marks["first"], "listed": marks["listed"], "shares": marks.get("shares"),
                  "n": len(app.articles)}))
"""


def make_folder(n: int, into: Path) -> Path:
    """`n` articles built from the seeds: sentences shuffled, dropped and re-mixed, like wire copies."""
    rng = random.Random(1234)
    pools = [re.split(r"(?<=[.!?])\s+", p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    for k in range(n):
        base = pools[k % len(pools)]
        other = pools[(k * 7 + 3) % len(pools)]
        sents = [s for s in base if rng.random() > 0.25] + rng.sample(other, min(4, len(other)))
        rng.shuffle(sents)
        lines = [f"Story {k}: " + " ".join(base[0].split()[:8])] + [" ".join(sents[i:i + 3]) for i in range(0, len(sents), 3)]
        (into / f"{k:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return into


def time_baseline() -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True, timeout=60)
    return time.perf_counter() - t0


def time_app(folder: Path, cfg: Path, shares: bool) -> tuple[float, float, float | None, int]:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder), "shares" if shares else "list", str(cfg)],
                         check=True, capture_output=True, text=True, cwd=ROOT, timeout=RUN_TIMEOUT)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    # perf_counter is CLOCK_MONOTONIC on Linux: comparable across processes
    return r["first"] - t0, r["listed"] - t0, (r["shares"] - t0) if r["shares"] else None, r["n"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--articles", type=int, default=500)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = Path(tmp) / "config"
        big = Path(tmp) / "big"
        big.mkdir()
        make_folder(args.articles, big)
        base: list[float] = []
        runs: dict[str, list[float]] = {k: [] for k in ("seeds_first", "seeds", "big_first", "big", "big_shares")}
        n_seeds = n_big = 0
        for _ in range(args.runs):
            base.append(time_baseline())
            first, listed, _, n_seeds = time_app(SEEDS, cfg, False)
            runs["seeds_first"].append(first)
            runs["seeds"].append(listed)
            first, listed, shares, n_big = time_app(big, cfg, True)
            runs["big_first"].append(first)
            runs["big"].append(listed)
            runs["big_shares"].append(shares)
    b = statistics.median(base)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"runs: {args.runs}, medians; baseline = python -c 'import textual.app'")
    print(f"{'baseline':<52} {b * 1000:7.0f} ms")
    for label, key in ((f"seeds/ ({n_seeds}): first rows on screen", "seeds_first"),
                       (f"seeds/ ({n_seeds}): whole list on screen", "seeds"),
                       (f"generated ({n_big}): first rows on screen", "big_first"),
                       (f"generated ({n_big}): whole list on screen", "big"),
                       (f"generated ({n_big}): all share bars (background)", "big_shares")):
        print(f"{label:<52} {med[key] * 1000:7.0f} ms   {med[key] / b:5.2f}x baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main())
