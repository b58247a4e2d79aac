"""Benchmark: hostile inputs against a normal article of the same size, as ratios.

Run: python bench/hostile.py [--runs 3] [--scale 1.0]
Each case is a pair of files given to `reader diff --format json` (a fresh process, as a
user runs it); its baseline is the same command on a normal article of about the same
number of bytes (the seeds run together, one paragraph per line).  A ratio near 1 means
the input costs what its size costs; the issue-13 cases were quadratic (minutes, or
memory errors) before.  Printed: median seconds, peak memory (MB) and output bytes, for
the case and its baseline, and the time ratio.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def _seed_paragraphs() -> list[str]:
    paras = []
    for p in SEEDS:
        paras += [line for line in p.read_text(encoding="utf-8").split("\n") if len(line) > 60]
    return paras


def normal_article(size: int) -> str:
    """Seed paragraphs, one per line, repeated with a counter so that no two are equal."""
    paras, out, k = _seed_paragraphs(), [], 0
    while sum(map(len, out)) < size:
        out.append(f"{paras[k % len(paras)]} (Part {k}.)")
        k += 1
    return "\n\n".join(out) + "\n"


def cases(scale: float) -> dict[str, tuple[str, str]]:
    """name -> (left text, right text)."""
    s = "The minister said the new policy would cost taxpayers millions of pounds over the next decade. "
    body = " ".join(p.replace(".", "") for p in _seed_paragraphs())
    words = body.split()
    n20k = " ".join((words * (int(20_000 * scale) // len(words) + 1))[:int(20_000 * scale)]) + ".\n"
    one_line = " ".join(_seed_paragraphs())
    big = (one_line + " ") * max(1, int(5_000_000 * scale) // len(one_line))
    seed = SEEDS[1].read_text(encoding="utf-8")
    return {
        "one sentence x400, against itself": (s * int(400 * scale),) * 2,
        "one sentence x3000, against itself": (s * int(3000 * scale),) * 2,
        "'No. ' x25,000, against itself": ("No. " * int(25_000 * scale),) * 2,
        "a line of 100,000 dots": (("Before. " + "." * int(100_000 * scale) + " After.\n"),) * 2,
        "a line of 50,000 '!?'": (("Before. " + "!?" * int(50_000 * scale) + " After.\n"),) * 2,
        "one 20,000-word sentence vs a seed": (n20k, seed),
        "a 5 MB one-line article vs its copy": (big, big),
    }


def run(a: Path, b: Path) -> tuple[float, float, int]:
    """Wall seconds, peak memory of this child (MB, from wait4) and bytes of output."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json"],
                                stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode:
            err.seek(0)
            raise SystemExit(f"reader diff failed on {a.name}: {err.read().decode()[-300:]}")
        return wall, usage.ru_maxrss / 1024, out.tell()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--scale", type=float, default=1.0, help="shrink or grow every case (0.1 for a quick look)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reader-hostile-"))
    print(f"{'case':40} {'s':>7} {'MB':>6} {'out KB':>8} | {'normal s':>8} {'MB':>6} {'out KB':>8} | ratio")
    for k, (name, (left, right)) in enumerate(cases(args.scale).items()):
        a, b = tmp / f"{k}a.txt", tmp / f"{k}b.txt"
        a.write_text(left, encoding="utf-8")
        b.write_text(right, encoding="utf-8")
        na, nb = tmp / f"{k}na.txt", tmp / f"{k}nb.txt"
        na.write_text(normal_article(len(left)), encoding="utf-8")
        nb.write_text(normal_article(len(right)) if right != left else na.read_text(encoding="utf-8"),
                      encoding="utf-8")
        hostile, normal = [], []
        for _ in range(args.runs):  # interleaved, so load on the machine falls on both alike
            hostile.append(run(a, b))
            normal.append(run(na, nb))
        h = statistics.median(x[0] for x in hostile)
        n = statistics.median(x[0] for x in normal)
        print(f"{name:40} {h:7.2f} {max(x[1] for x in hostile):6.0f} {hostile[-1][2] / 1024:8.0f} | "
              f"{n:8.2f} {max(x[1] for x in normal):6.0f} {normal[-1][2] / 1024:8.0f} | {h / n:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
