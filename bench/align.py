"""Benchmark: `reader diff` on generated 2,000- and 5,000-sentence pairs vs difflib.HtmlDiff.

Run: python bench/align.py [--runs 5] [--sizes 2000,5000]
Prints, per size, medians over runs of: alignment alone on the same sentence
lists HtmlDiff gets (the like-for-like comparison), the in-process pipeline
(clean, split, align, JSON), the `reader diff --format json` command end to end
(process start included), and `difflib.HtmlDiff().make_file` on the same sentence
lists, with the ratios; every reader run starts with cold caches; peak memory of the command (ru_maxrss of the child); and label accuracy
against the generator's known truth, so that speed is never bought with recall.
Times on a shared machine are noisy: compare the ratios, which are measured in the
same run.
"""
from __future__ import annotations

import argparse
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
from timing import median_time as timed  # noqa: E402

from reader.align import align, clear_caches  # noqa: E402
from reader.articles import article_from_text  # noqa: E402
from reader.model import Article, Sentence  # noqa: E402
from reader.serialise import alignment_json  # noqa: E402


def from_sentences(sentences: list[str], name: str) -> Article:
    """An article made of exactly these sentences, as HtmlDiff gets them (no cleaning, no splitting)."""
    text, sents = "", []
    for s in sentences:
        sents.append(Sentence(len(text), len(text) + len(s), s, "body"))
        text += s + "\n"
    art = Article(path=name, text=text, sentences=sents)
    art.body_lines = [(x.start, x.end) for x in sents]
    return art


def command_run(a: Path, b: Path) -> tuple[float, int, dict]:
    """One `reader diff` run: wall time, peak RSS of the child in MB, parsed JSON."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json"],
                         capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) // 1024, json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="2000,5000")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    for n in (int(x) for x in args.sizes.split(",")):
        left, right, truth = labelled_pair(n)
        ta, tb = paragraphs(left), paragraphs(right)
        fa, fb = tmp / f"left{n}.txt", tmp / f"right{n}.txt"
        fa.write_text(ta, encoding="utf-8")
        fb.write_text(tb, encoding="utf-8")

        def pipeline():
            clear_caches()  # cold, as in a fresh `reader diff`
            al = align(article_from_text(ta, str(fa)), article_from_text(tb, str(fb)))
            json.dumps(alignment_json(al))
            return al

        t_api, al = timed(pipeline, args.runs)
        la, ra = from_sentences(left, "left"), from_sentences(right, "right")

        def align_only():
            clear_caches()
            return align(la, ra)

        t_align, _ = timed(align_only, args.runs)
        cmd = [command_run(fa, fb) for _ in range(args.runs)]
        t_cmd = statistics.median(c[0] for c in cmd)
        peak = max(c[1] for c in cmd)
        t_html, _ = timed(lambda: difflib.HtmlDiff().make_file(left, right), args.runs)
        # Score each right sentence through its text: the cleaner may drop a generated line.
        truth_of = dict(zip(right, truth))
        judged = [(st, truth_of[s.text]) for s, st in zip(al.right.sentences, al.right_status) if s.text in truth_of]
        acc = sum(g == t for g, t in judged) / len(judged) if judged else 0.0
        acc_s = f"{acc:.3f} on {len(judged)} of {len(truth)} sentences"
        print(f"{n} sentences: align only {t_align:.3f}s  api {t_api:.3f}s  command {t_cmd:.3f}s  "
              f"HtmlDiff {t_html:.3f}s  ratio HtmlDiff/align-only {t_html / t_align:.2f}x  "
              f"HtmlDiff/api {t_html / t_api:.2f}x  HtmlDiff/command {t_html / t_cmd:.2f}x  "
              f"peak RSS {peak} MB  label accuracy vs truth {acc_s}")
    for f in tmp.iterdir():
        f.unlink()
    os.rmdir(tmp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
