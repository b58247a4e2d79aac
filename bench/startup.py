"""Start-up time of `reader PATH` until the article list is on screen, cold and warm.

Each run is a fresh Python process (as a user would start it) that builds the app
and runs it headless; the pilot waits until the article table holds every row and
one frame has been drawn after that, then until every share bar is computed.  The
baseline, `python -c "import textual.app"`, is timed in the same run, interleaved
with the app runs, so the ratios hold on a busy shared machine.

* **cold**: the folder has never been opened (its articles are in no cache; the
  parsed rules and the line model, which any earlier use of reader leaves, are), so
  every file is cleaned: a fresh copy of a cache folder primed on seeds/ per run.
* **warm**: the same folder reopened: its cache record and its share bars (against
  the same reference) are there.

Reports medians and ratios to the baseline, and when the share bars (the background
alignment against the reference) were all in, counted from the start and from the
moment the list was complete.

    python bench/startup.py [--runs 5] [--articles 500]
"""
from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import re
import shutil
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
import asyncio, json, sys, time
from reader.tui.app import ReaderApp
from reader.tui.widgets.article_table import ArticleTable

marks = {}
async def until_listed(pilot):
    app = pilot.app
    while True:  # polled without forcing frames, so the probe does not slow the drawing it times
        t = app.query(ArticleTable)
        rows = t.first().row_count if t else 0
        if rows and "first" not in marks:
            marks["first"] = time.perf_counter()
        if app.loaded and rows == len(app.articles):
            break
        await asyncio.sleep(0.005)
    await pilot.pause(0)  # every message handled and one frame drawn
    marks["listed"] = time.perf_counter()
    if sys.argv[2] == "shares":
        while len(app.shares) < len(app.articles) - 1:
            await asyncio.sleep(0.02)
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


def time_app(folder: Path, cfg: Path, cache: Path, shares: bool) -> dict:
    env = dict(os.environ, READER_CACHE_DIR=str(cache))
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE, str(folder), "shares" if shares else "list", str(cfg)],
                         check=True, capture_output=True, text=True, cwd=ROOT, timeout=RUN_TIMEOUT, env=env)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    # perf_counter is CLOCK_MONOTONIC on Linux: comparable across processes
    return {"first": r["first"] - t0, "listed": r["listed"] - t0,
            "shares": (r["shares"] - t0) if r["shares"] else None, "n": r["n"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--articles", type=int, default=500)
    args = ap.parse_args()
    # A user's reader has its bytecode after its first run; where the environment says not to
    # write it (PYTHONDONTWRITEBYTECODE, as on the CI machines) every run would time the
    # compiler on whichever modules changed since their .pyc was last written.
    compileall.compile_dir(str(ROOT / "reader"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cfg = tmp / "config"
        big = tmp / "big"
        big.mkdir()
        make_folder(args.articles, big)
        primed, warm = tmp / "cache-primed", tmp / "cache-warm"
        time_app(SEEDS, cfg, primed, False)       # rules and line model parsed once, as after any use
        shutil.copytree(primed, warm)
        time_app(big, cfg, warm, True)            # the folder opened once: its record and bars are cached
        base: list[float] = []
        runs: dict[str, list[dict]] = {"cold": [], "warm": []}
        n = 0
        for k in range(args.runs):
            base.append(time_baseline())
            cold = tmp / f"cache-cold-{k}"
            shutil.copytree(primed, cold)
            runs["cold"].append(time_app(big, cfg, cold, True))
            base.append(time_baseline())
            runs["warm"].append(time_app(big, cfg, warm, True))
            n = runs["warm"][-1]["n"]
    b = statistics.median(base)
    print(f"runs: {args.runs}, medians; baseline = python -c 'import textual.app' ({len(base)} runs, interleaved)")
    print(f"{'baseline':<50} {b * 1000:7.0f} ms")
    for kind in ("cold", "warm"):
        med = {key: statistics.median(r[key] for r in runs[kind]) for key in ("first", "listed", "shares")}
        after = statistics.median(r["shares"] - r["listed"] for r in runs[kind])
        for label, key in ((f"{kind} ({n} articles): first rows on screen", "first"),
                           (f"{kind} ({n} articles): whole list on screen", "listed")):
            print(f"{label:<50} {med[key] * 1000:7.0f} ms   {med[key] / b:5.2f}x baseline")
        label = f"{kind} ({n} articles): all share bars in"
        print(f"{label:<50} {med['shares'] * 1000:7.0f} ms   ({after * 1000:.0f} ms after the list)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
