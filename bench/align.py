"""Benchmark: `reader diff` on generated 2,000- and 5,000-sentence pairs vs difflib.HtmlDiff.

Run: python bench/align.py [--runs 5] [--sizes 2000,5000]
Each round measures, once each and in turn (so that load on the shared machine
falls on all alike; medians over rounds are printed):
  * align only: `align` on the same sentence lists HtmlDiff gets, cold caches;
  * in-process diff: `pair.load_pair` + `align` + JSON from the two files, cold caches
    (what the command does after start-up, forked helper included);
  * the `reader diff --format json` command end to end (interpreter start included);
  * `difflib.HtmlDiff().make_file` in this process, and the same as a command on
    sentence-per-line files (the like-for-like baseline for our command).
Also the peak memory of the command (ru_maxrss of the child) and label accuracy
against the generator's truth, so that speed is never bought with recall.
"""
from __future__ import annotations

import argparse
import compileall
import difflib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen import labelled_pair, paragraphs  # noqa: E402
from timing import median_time  # noqa: E402

from reader.align import align, clear_caches  # noqa: E402
from reader.articles import article_from_sentences  # noqa: E402
from reader.pair import load_pair  # noqa: E402
from reader.serialise import alignment_json  # noqa: E402


def command_run(a: Path, b: Path) -> tuple[float, int, dict]:
    """One `reader diff` run: wall time, peak RSS of the child in MB, parsed JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json"],
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) // 1024, json.loads(out.stdout)


HTMLDIFF_COMMAND = (
    "import difflib, sys\n"
    "a = open(sys.argv[1], encoding='utf-8').read().splitlines()\n"
    "b = open(sys.argv[2], encoding='utf-8').read().splitlines()\n"
    "sys.stdout.write(difflib.HtmlDiff().make_file(a, b))\n"
)


def htmldiff_command(a: Path, b: Path) -> float:
    """HtmlDiff as a command on sentence-per-line files: the like-for-like baseline for ours."""
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", HTMLDIFF_COMMAND, str(a), str(b)], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="2000,5000")
    args = ap.parse_args()
    # The command is timed as a user's second run: with its bytecode written (where the
    # environment says not to write it, PYTHONDONTWRITEBYTECODE, each run would time the
    # compiler on the modules changed since their .pyc was last written).
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "reader"), quiet=1)
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    for n in (int(x) for x in args.sizes.split(",")):
        left, right, truth = labelled_pair(n)
        fa, fb = tmp / f"left{n}.txt", tmp / f"right{n}.txt"
        fa.write_text(paragraphs(left), encoding="utf-8")
        fb.write_text(paragraphs(right), encoding="utf-8")
        la_lines, ra_lines = tmp / f"left{n}.lines", tmp / f"right{n}.lines"
        la_lines.write_text("\n".join(left) + "\n", encoding="utf-8")
        ra_lines.write_text("\n".join(right) + "\n", encoding="utf-8")
        la, ra = article_from_sentences(left, "left"), article_from_sentences(right, "right")

        def pipeline():
            clear_caches()  # cold, as in a fresh `reader diff`
            al = align(*load_pair(fa, fb))
            json.dumps(alignment_json(al))
            return al

        def align_only():
            clear_caches()
            return align(la, ra)

        # One round measures everything once, so that load on the shared machine
        # falls on all of them alike; medians over the rounds.
        times: dict[str, list[float]] = {k: [] for k in ("align", "api", "cmd", "html", "html_cmd")}
        peak, al = 0, None
        for _ in range(args.runs):
            t, al = median_time(pipeline, 1, collect=True)
            times["api"].append(t)
            times["align"].append(median_time(align_only, 1, collect=True)[0])
            wall, rss, _ = command_run(fa, fb)
            times["cmd"].append(wall)
            peak = max(peak, rss)
            times["html"].append(median_time(lambda: difflib.HtmlDiff().make_file(left, right), 1, collect=True)[0])
            times["html_cmd"].append(htmldiff_command(la_lines, ra_lines))
        m = {k: statistics.median(v) for k, v in times.items()}
        low = {k: min(v) for k, v in times.items()}
        # Score each right sentence through its text: the cleaner may drop a generated line.
        truth_of = dict(zip(right, truth))
        judged = [(st, truth_of[s.text]) for s, st in zip(al.right.sentences, al.right_status) if s.text in truth_of]
        acc = sum(g == t for g, t in judged) / len(judged) if judged else 0.0
        print(f"{n} sentences, medians of {args.runs} interleaved rounds:")
        print(f"  align only        {m['align']:.3f}s   HtmlDiff.make_file {m['html']:.3f}s   "
              f"ratio {m['html'] / m['align']:.2f}x")
        print(f"  in-process diff   {m['api']:.3f}s   (load, clean, split, align, JSON)   "
              f"ratio {m['html'] / m['api']:.2f}x")
        print(f"  reader diff cmd   {m['cmd']:.3f}s   HtmlDiff as a command {m['html_cmd']:.3f}s   "
              f"ratio {m['html_cmd'] / m['cmd']:.2f}x  (vs in-process HtmlDiff {m['html'] / m['cmd']:.2f}x)")
        print(f"  fastest rounds (least disturbed by other load): command {low['cmd']:.3f}s vs HtmlDiff "
              f"as a command {low['html_cmd']:.3f}s ({low['html_cmd'] / low['cmd']:.2f}x), in-process "
              f"{low['api']:.3f}s vs {low['html']:.3f}s ({low['html'] / low['api']:.2f}x)")
        print(f"  peak RSS of the command {peak} MB; label accuracy vs truth {acc:.3f} "
              f"on {len(judged)} of {len(truth)} sentences")
    for f in tmp.iterdir():
        f.unlink()
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
