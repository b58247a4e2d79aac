"""Benchmark: lexical vs semantic `reader diff`, cold start, on the seeds and a generated pair.

Run: python bench/semantic.py [--runs 5] [--gen-runs 3] [--size 2000]

Every measurement is a fresh process, `python -m reader diff A B --format json
--no-semantic|--semantic`, as a journalist would start it: interpreter start,
imports, model load and encoding all count.  Each one runs under a small wrapper
process, so that its peak memory (ru_maxrss of RUSAGE_CHILDREN) is its own and
not the maximum of everything run so far.  Runs are interleaved (pair by pair,
mode by mode, run after run) so that load from other users of a shared machine
falls on both modes alike; medians are reported, and a bare `python -c pass` is
timed the same way as a floor.

Pairs: the four gold seed pairs, and a generated pair of `--size` sentences
(bench/gen.py) whose true labels are known, so the table also shows label
accuracy and how many semantic links reach a right-hand sentence the generator
made up (truth "added": such a link is certainly false).  Children run in a temporary folder, so PYTHONPATH
chooses which tree is measured (`PYTHONPATH=/path/to/tree python bench/semantic.py`).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen import labelled_pair, paragraphs  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEED_PAIRS = ("000-001", "001-004", "001-003", "001-002")
MODES = ("--no-semantic", "--semantic")

WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
wall = time.perf_counter() - t
print(json.dumps({"wall": wall, "rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "code": p.returncode, "stdout": p.stdout, "stderr": p.stderr[-2000:]}))
"""


def measure(cmd: list[str], cwd: Path, env: dict) -> dict:
    """One cold run of `cmd`: wall seconds, its own peak RSS in MB, and its output."""
    out = subprocess.run([sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True,
                         cwd=cwd, env=env, timeout=900, check=True)
    res = json.loads(out.stdout)
    if res["code"] != 0:
        raise SystemExit(f"failed ({res['code']}): {' '.join(cmd)}\n{res['stderr']}")
    return res


def seed_file(prefix: str) -> Path:
    return next((ROOT / "seeds").glob(f"{prefix}_*.txt"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5, help="cold runs per seed pair and mode")
    ap.add_argument("--gen-runs", type=int, default=3, help="cold runs for the generated pair")
    ap.add_argument("--size", type=int, default=2000, help="sentences in the generated pair (0: skip it)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="reader-bench-sem-"))
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "READER_CONFIG_DIR": str(tmp / "config")}

    cases: dict[str, tuple[Path, Path, int]] = {}
    for p in SEED_PAIRS:
        a, b = p.split("-")
        cases[p] = (seed_file(a), seed_file(b), args.runs)
    right: list[str] = []
    truth: list[str] = []
    if args.size:
        left, right, truth = labelled_pair(args.size)
        fa, fb = tmp / f"gen{args.size}_left.txt", tmp / f"gen{args.size}_right.txt"
        fa.write_text(paragraphs(left), encoding="utf-8")
        fb.write_text(paragraphs(right), encoding="utf-8")
        cases[f"gen {args.size}"] = (fa, fb, args.gen_runs)

    floor = [measure([sys.executable, "-c", "pass"], tmp, env)["wall"] for _ in range(args.runs)]
    runs: dict[tuple[str, str], list[dict]] = {(c, m): [] for c in cases for m in MODES}
    for r in range(max(args.runs, args.gen_runs)):
        for name, (a, b, n) in cases.items():
            if r >= n:
                continue
            for mode in MODES:
                cmd = [sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json", mode]
                runs[(name, mode)].append(measure(cmd, tmp, env))
                print(f"  {name} {mode} run {r + 1}: {runs[(name, mode)][-1]['wall']:.2f}s", file=sys.stderr)

    print(f"python -c pass: median {statistics.median(floor):.3f}s (floor)")
    print(f"{'pair':10} {'sents':>11} {'lex s':>7} {'sem s':>7} {'sem/lex':>7} {'lex MB':>7} {'sem MB':>7} "
          f"{'sem links':>9} {'acc lex':>8} {'acc sem':>8} {'false sem':>9}")
    for name in cases:
        row = {}
        for mode in MODES:
            rs = runs[(name, mode)]
            doc = json.loads(rs[-1]["stdout"])
            row[mode] = (statistics.median(x["wall"] for x in rs), max(x["rss_mb"] for x in rs), doc)
        (tl, ml, dl), (ts, ms, ds) = row["--no-semantic"], row["--semantic"]
        sents = f"{len(ds['left']['sentences'])}/{len(ds['right']['sentences'])}"
        sem_pairs = [p for p in ds["pairs"] if p["method"] == "semantic"]
        acc_l = acc_s = false = "-"
        if name.startswith("gen"):
            acc_l, acc_s = accuracy(dl, right, truth), accuracy(ds, right, truth)
            label = dict(zip(right, truth))
            false = str(sum(label.get(ds["right"]["sentences"][p["right"][0]]["text"]) == "added"
                            for p in sem_pairs))
        print(f"{name:10} {sents:>11} {tl:7.2f} {ts:7.2f} {ts / tl:6.1f}x {ml:7.0f} {ms:7.0f} "
              f"{len(sem_pairs):9d} {acc_l:>8} {acc_s:>8} {false:>9}")
    for f in tmp.iterdir():
        if f.is_file():
            f.unlink()
    return 0


def accuracy(doc: dict, right: list[str], truth: list[str]) -> str:
    """Share of generated right-hand sentences the tool labels as the generator made them.

    Each generated sentence is looked up by its exact text, so one the cleaner
    drops or the splitter cuts differently counts as wrong instead of shifting
    every label after it.
    """
    got = {s["text"]: s["status"] for s in doc["right"]["sentences"]}
    return f"{sum(got.get(r) == t for r, t in zip(right, truth)) / len(truth):.3f}"


if __name__ == "__main__":
    sys.exit(main())
