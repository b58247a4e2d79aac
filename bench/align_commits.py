#!/usr/bin/env python3
"""Alignment time of this checkout against another checkout, in the same run.

For "lexical mode must not get slower": each measurement is a fresh process (cold
caches, same generated 2,000-sentence pair, sentence lists given to `align` as is,
no cleaning), alternating between the two checkouts so that load on the shared
machine hits both alike.  Prints both medians and the ratio.

Usage:
    git worktree add /tmp/base 712a43d
    python bench/align_commits.py --base /tmp/base [--runs 7] [--size 2000] [--one-core]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Run inside the checkout under test: its reader package, this bench's generator.  The
# article is built here, not with `articles.article_from_sentences`: older checkouts lack it.
CHILD = r"""
import sys, time, json
sys.path.insert(0, {bench!r})
from gen import labelled_pair
from reader.align import align
from reader.model import Article, Sentence
def article(sentences, name):
    text, sents = "", []
    for s in sentences:
        sents.append(Sentence(len(text), len(text) + len(s), s, "body"))
        text += s + "\n"
    art = Article(path=name, text=text, sentences=sents)
    art.body_lines = [(x.start, x.end) for x in sents]
    return art
left, right, truth = labelled_pair({size})
a, b = article(left, "left"), article(right, "right")
t = time.perf_counter()
al = align(a, b)
took = time.perf_counter() - t
ok = sum(1 for s, want in zip(al.right_status, truth) if s == want) / len(truth)
print(json.dumps({{"seconds": took, "accuracy": ok}}))
"""


def one(checkout: Path, size: int, one_core: bool) -> dict:
    code = CHILD.format(bench=str(HERE), size=size)
    env = {"PYTHONPATH": str(checkout), "PATH": "/usr/bin:/bin"} | ({"READER_NO_FORK": "1"} if one_core else {})
    out = subprocess.run([sys.executable, "-c", code], cwd=checkout, capture_output=True, text=True,
                         env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, type=Path, help="the other checkout (e.g. a git worktree)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--size", type=int, default=2000)
    ap.add_argument("--one-core", action="store_true", help="READER_NO_FORK=1: no forked helpers")
    args = ap.parse_args()
    here = HERE.parent
    times: dict[str, list[float]] = {"base": [], "this": []}
    acc: dict[str, float] = {}
    for _ in range(args.runs):
        for name, tree in (("base", args.base), ("this", here)):
            r = one(tree, args.size, args.one_core)
            times[name].append(r["seconds"])
            acc[name] = r["accuracy"]
    mb, mt = statistics.median(times["base"]), statistics.median(times["this"])
    cores = "one core (READER_NO_FORK=1)" if args.one_core else "forked helpers allowed"
    print(f"{args.size} sentences, align only, fresh process each, {args.runs} alternating runs, {cores}:")
    print(f"  base {args.base}: median {mb:.3f}s  (right-side label accuracy {acc['base']:.3f})")
    print(f"  this checkout:   median {mt:.3f}s  (right-side label accuracy {acc['this']:.3f})")
    print(f"  this/base = {mt / mb:.2f}  ({'faster' if mt < mb else 'slower'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
