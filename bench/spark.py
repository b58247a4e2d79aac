"""Benchmark: the folder matrix on Spark in local mode against the embedded path (issue 15).

    python bench/spark.py [--articles 200] [--master local[2]] [--repeat 2]

One run: generates `--articles` articles as bench/matrix.py does (stories of 1-8
articles copying and editing wire sentences), loads them once, builds the matrix
with the embedded path (`build_matrix`, one process and two), then with Spark
(`reader.distributed.spark.build_matrix_spark`) `--repeat` times in one session
(the first run also starts the Python workers), and says whether the two give the
same sentence links, cells, provenance and counts (of each index stage:
`STAGE_COUNTS`).  Spark's session start (JVM) is timed on its own.  On one machine
Spark is not meant to be faster: the figure says what the distributed path costs
where the embedded one suffices.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matrix import generate  # noqa: E402  (bench/matrix.py: the generated corpus)

from reader.articles import load_articles  # noqa: E402
from reader.folder.matrix import build_matrix  # noqa: E402


def links(m) -> set[tuple[int, int, int, int, str]]:
    return {(a, i, k.article, k.sentence, k.status) for a, per in enumerate(m.provenance)
            for i, p in enumerate(per) for k in p.shared}


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--repeat", type=int, default=2, help="Spark runs in the one session")
    args = ap.parse_args()
    from reader.distributed.spark import STAGE_COUNTS, build_matrix_spark, pyspark_missing, spark_session

    missing = pyspark_missing()
    if missing:
        print(f"cannot run Spark here: {missing}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        generate(folder, args.articles)
        t_load, (articles, _) = timed(lambda: load_articles([folder]))
    n_sents = sum(len(a.sentences) for a in articles)
    print(f"corpus: {len(articles)} generated articles, {n_sents} sentences (loaded in {t_load:.1f} s)")
    t_emb, embedded = timed(lambda: build_matrix(articles))
    t_emb2, _ = timed(lambda: build_matrix(articles, workers=2))
    print(f"embedded build_matrix: {t_emb:.2f} s in one process, {t_emb2:.2f} s with 2 workers; "
          f"{embedded.stats['aligned_article_pairs']} pairs aligned, {len(links(embedded))} sentence links")
    t0 = time.perf_counter()
    with spark_session(args.master) as spark:
        print(f"spark ({args.master}, pyspark {spark.version}): session started in {time.perf_counter() - t0:.1f} s")
        runs = []
        for r in range(args.repeat):
            t, distributed = timed(lambda: build_matrix_spark(spark, articles))
            runs.append(t)
            print(f"spark run {r + 1}: {t:.2f} s" + (" (starts the Python workers)" if r == 0 else ""))
    same_links = links(distributed) == links(embedded)
    same_cells = distributed.cells == embedded.cells and distributed.provenance == embedded.provenance
    common = [k for k in STAGE_COUNTS if k in embedded.stats]
    same_counts = all(embedded.stats[k] == distributed.stats.get(k) for k in common)
    print(f"links identical: {'yes' if same_links else 'NO'}; cells and provenance identical: "
          f"{'yes' if same_cells else 'NO'}; counts identical: {'yes' if same_counts else 'NO'}")
    print(f"spark / embedded (best spark run vs one process): {min(runs) / t_emb:.1f}x")
    return 0 if same_links and same_cells and same_counts else 1


if __name__ == "__main__":
    sys.exit(main())
