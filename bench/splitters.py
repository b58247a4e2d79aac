"""Benchmark: reader's sentence splitter against syntok and pysbd (when installed).

Run: python bench/splitters.py   (pip install syntok pysbd to include them)
Reports, on the gold article bodies of ../shared/cleaning (real news, one paragraph
a line): median time to split them all, sentences per second, the ratio to ours,
and agreement with syntok (share of syntok's sentences that we reproduce exactly,
and the converse). There is no hand-made sentence gold here, so agreement is not
accuracy; it shows where two careful splitters differ, which is where to look.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from reader.sentences import split_spans

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "cleaning" / "gold.json"


def ours(line: str) -> list[str]:
    return [line[a:b] for a, b in split_spans(line)]


def syntok_split():
    try:
        import syntok.segmenter as seg
    except ImportError:
        return None

    def split(line: str) -> list[str]:
        out = []
        for para in seg.analyze(line):
            for s in para:
                a, b = s[0].offset, s[-1].offset + len(s[-1].value)
                out.append(line[a:b].strip())
        return out
    return split


def pysbd_split():
    try:
        import pysbd
    except ImportError:
        return None
    seg = pysbd.Segmenter(language="en", clean=False)
    return lambda line: [s.strip() for s in seg.segment(line) if s.strip()]


def main() -> int:
    if not GOLD.is_file():
        print(f"needs {GOLD}", file=sys.stderr)
        return 2
    bodies = [v["body"] for v in json.loads(GOLD.read_text(encoding="utf-8")).values()]
    lines = [ln.strip() for b in bodies for ln in b.split("\n") if ln.strip()]
    splitters = {"reader": ours, "syntok": syntok_split(), "pysbd": pysbd_split()}
    results = {}
    for name, fn in splitters.items():
        if fn is None:
            print(f"{name}: not installed, skipped")
            continue
        times = []
        for _ in range(3):
            t = time.perf_counter()
            out = [fn(ln) for ln in lines]
            times.append(time.perf_counter() - t)
        n = sum(len(o) for o in out)
        results[name] = (statistics.median(times), n, out)
    base = results["reader"][0]
    for name, (t, n, _) in results.items():
        print(f"{name:7} {n:6d} sentences  {t:.3f}s  {n / t:9.0f} sent/s  {t / base:6.1f}x reader's time")
    if "syntok" in results:
        a = [s for o in results["reader"][2] for s in o]
        b = [s for o in results["syntok"][2] for s in o]
        sa, sb = set(a), set(b)
        print(f"agreement: {len(sa & sb) / len(sb):.3f} of syntok's sentences reproduced exactly; "
              f"{len(sa & sb) / len(sa):.3f} of ours found by syntok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
