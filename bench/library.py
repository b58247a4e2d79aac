"""Benchmark of the standing library (issue 15): build time, file size, check time, recall.

    python bench/library.py [--sizes 1000,10000,100000] [--queries 20] [--out DIR]
                            [--jobs 2] [--brute 5] [--no-build]

For each size N, in one process so the figures are comparable:
1. Generates N + `--queries` articles with `bench/matrix.py`'s generator (stories of
   1-8 articles taking sentences, copied or lightly edited, from a wire text, plus
   background sentences shared across stories) and moves the query articles (each
   from a story of two or more) aside; the library is the other N.  Generation is
   skipped when `--out` already holds it (`meta.json`).
2. Adds the N documents to a library (`reader.library.add_paths`, `--jobs`
   processes cleaning), printing progress.  Re-running resumes: documents already
   in are skipped by their hash.  Prints the time of this run, documents per second,
   and the file's size.  `--no-build` only checks an existing library.
3. Checks every query article against it in this process, library already open
   (the time a long-running app or service would see): median, 90th percentile and
   maximum seconds; then one `reader library check` as a fresh process (start-up,
   imports and loading the article included), median of three.
4. Recall: of the library documents the generator made the query share sentences
   with, the share the check reports; and, for the first `--brute` queries at sizes
   up to 2,000, of the documents `align()` against every library document links.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from reader.align import AlignOptions, align  # noqa: E402
from reader.articles import load_articles  # noqa: E402
from reader.library import CheckOptions, Library, add_paths, check_article  # noqa: E402
from reader.rules import load_rules  # noqa: E402


def prepare(base: Path, n: int, queries: int, seed: int = 11) -> dict:
    """The library folder and the query folder for size `n` (generated once)."""
    meta_file = base / "meta.json"
    if meta_file.exists():
        return json.loads(meta_file.read_text())
    from matrix import generate

    docs, qdir = base / "docs", base / "queries"
    for d in (docs, qdir):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    t = time.perf_counter()
    truth = generate(docs, n + queries, seed)
    partners: dict[str, set[str]] = {}
    for pair in truth:
        (a, _), (b, _) = sorted(pair)
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    rng = random.Random(seed)
    picked: list[str] = []
    for name in rng.sample(sorted(partners), len(partners)):
        if len(picked) == queries:
            break
        if not partners[name] & set(picked) and name not in {p for q in picked for p in partners[q]}:
            picked.append(name)   # no query shares with another: each one's partners stay in the library
    for name in picked:
        (docs / name).rename(qdir / name)
    meta = {"n": n, "queries": picked, "truth": {q: sorted(partners[q]) for q in picked},
            "generated_s": round(time.perf_counter() - t, 1)}
    meta_file.write_text(json.dumps(meta))
    print(f"  generated {n + queries} articles in {meta['generated_s']} s", flush=True)
    return meta


def build(lib: Library, docs: Path, rules, jobs: int) -> float:
    t0 = time.perf_counter()
    last = [t0]

    def progress(done, total, _path):
        now = time.perf_counter()
        if done == total or now - last[0] > 30:
            last[0] = now
            print(f"    {done}/{total} files, {now - t0:.0f} s, {lib.size() / 2**20:.0f} MB", flush=True)

    report = add_paths(lib, [str(docs)], rules, jobs=jobs, progress=progress)
    took = time.perf_counter() - t0
    print(f"  build: {len(report.added)} added, {len(report.duplicates)} already in, "
          f"{len(report.skipped)} skipped in {took:.1f} s"
          + (f" ({len(report.added) / took:.0f} documents/s)" if report.added else ""), flush=True)
    return took


def cli_check(lib_path: Path, query: Path) -> float:
    times = []
    env = dict(os.environ, READER_CACHE_DIR=str(lib_path.parent / "cache"))
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "reader", "library", "check", "--library", str(lib_path),
                        "--format", "json", str(query)], check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run_size(n: int, args, rules) -> None:
    base = Path(args.out) / f"library-{n}"
    base.mkdir(parents=True, exist_ok=True)
    print(f"== {n} library documents ({base})", flush=True)
    meta = prepare(base, n, args.queries)
    lib_path = base / "library.sqlite"
    with Library(lib_path, create=True) as lib:
        if not args.no_build:
            build(lib, base / "docs", rules, args.jobs)
        lib.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        n_docs = lib.count()
        print(f"  library: {n_docs} documents, {lib.size() / 2**20:.1f} MB "
              f"({lib.size() / max(1, n_docs) / 1024:.1f} KB a document)", flush=True)
        queries, _ = load_articles([base / "queries"], rules)
        opt, copt = AlignOptions(), CheckOptions()
        times, found_truth, want_truth, beyond_top = [], 0, 0, 0
        results = {}
        for art in queries:
            t = time.perf_counter()
            r = check_article(lib, art, opt, copt, n_docs)
            times.append(time.perf_counter() - t)
            results[art.name] = r
            got = {Path(m.doc.path).name for m in r.matches}
            want = set(meta["truth"][art.name])
            found_truth += len(got & want)
            want_truth += len(want)
            if len(r.matches) >= copt.top:   # a miss may be a document ranked below --top
                beyond_top += len(want - got)
        times.sort()
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
        cands = statistics.median(r.candidates for r in results.values())
        aligned = statistics.median(r.aligned for r in results.values())
        print(f"  check (library open): median {statistics.median(times):.3f} s, p90 {p90:.3f} s, "
              f"max {times[-1]:.3f} s over {len(times)} articles; median {cands} candidates, "
              f"{aligned} aligned", flush=True)
        print(f"  recall of the generator's shared documents: {found_truth}/{want_truth} "
              f"= {found_truth / max(1, want_truth):.3f}"
              + (f" ({beyond_top} missed by articles that reuse more than --top {copt.top} documents)"
                 if beyond_top else ""), flush=True)
        if args.brute and n <= 2000:
            brute(lib, queries[:args.brute], results, opt)
    print(f"  reader library check as a new process: {cli_check(lib_path, base / 'queries' / queries[0].name):.2f} s "
          "(median of 3)", flush=True)


def brute(lib: Library, queries, results, opt) -> None:
    """Recall against aligning each query with every library document."""
    docs = [(d.id, lib.article(d.id)) for d in lib.documents()]
    t = time.perf_counter()
    want = got = 0
    for art in queries:
        linked = {i for i, doc in docs if align(art, doc, opt).pairs}
        mine = {m.doc.id for m in results[art.name].matches}
        want += len(linked)
        got += len(linked & mine)
    print(f"  recall against align() with every document ({len(queries)} queries x {len(docs)} documents, "
          f"{time.perf_counter() - t:.0f} s): {got}/{want} = {got / max(1, want):.3f}", flush=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--out", default="/tmp/reader-library-bench")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--brute", type=int, default=5)
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args(argv)
    rules = load_rules()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores, shared)")
    for n in (int(x) for x in args.sizes.split(",")):
        run_size(n, args, rules)
    return 0


if __name__ == "__main__":
    sys.exit(main())
