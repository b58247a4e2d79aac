"""The folder matrix as a Spark job (pyspark), in local mode or on a cluster.

Stages, as passim runs them, with the embedded path's rules (`tasks` says how):

1. articles: loaded on the executors, file by file (`load_articles`), or handed in;
   numbered in the embedded order (file order, then position in a corpus file);
2. index: each article indexed on its own, keys (exact sentence, word pair, word)
   shuffled into postings, partitioned by key;
3. candidates: every posting proposes sentence pairs; each goes to its first
   sentence's partition (deduplicated there), then to its second's, and is screened
   there (sentence rows never move);
4. verify and align: the kept candidates of an article pair go to the left article's
   table, then, with what they need of it, to the right's, and are verified; a linked
   pair gets its two articles and is aligned and summarised.

Big records stay put: sentence rows, tables and articles are partitioned by key once
and cached, and the small records travel to them (`_join_both`).  On 1,000 generated
articles this took a run from 142 s to 94 s (local[2], a shared machine).

The result is the pair summaries `build_matrix` computes; `build_matrix_spark` turns
them into the same `FolderMatrix`, `write_results` writes them as JSON lines
(through Spark, so to any path the cluster can write) without gathering them.

pyspark is imported inside the functions: this module imports without it.
"""
from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields
from importlib import resources
from pathlib import Path

from . import tasks
from .stages import (AlignOptions, Article, FolderMatrix, IndexOptions, PairSummary, Skipped,
                     archive_scale, assemble, cap_for, discover, input_options, iter_file)



# The counts both engines compute by the same rules (each index stage, verified and aligned
# pairs).  How many candidates the verification scored is not among them: the embedded
# path may drop some first by a necessary condition computed in bulk (same links).
STAGE_COUNTS = ("articles", "article_pairs", "sentences", "cap", "capped_keys", "boilerplate_sentences",
                "raw_candidates", "overlapping_candidates", "verified_pairs", "aligned_article_pairs")


def pyspark_missing() -> str | None:
    """Why this job cannot run here (no pyspark, no java), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install 'reader[distributed]')"
    import shutil

    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.path.exists(os.path.join(java_home, "bin", "java"))) and not shutil.which("java"):
        return "Spark needs Java (17 or later), and no java was found (apt-get install default-jre-headless)"
    return None


def _is_local(master: str) -> bool:
    return master == "local" or master.startswith("local[")


def _local_cores(master: str) -> int:
    """Threads of a local master: local -> 1, local[N] -> N, local[*] -> every CPU."""
    inside = master[6:-1].split(",")[0] if master.startswith("local[") else "1"
    return (os.cpu_count() or 1) if inside == "*" else max(1, int(inside)) if inside.isdigit() else 1


@contextmanager
def spark_session(master: str = "local[2]", conf: dict[str, str] | None = None,
                  partitions: int | None = None) -> Iterator:
    """A SparkSession for this job; stopped on leaving only if it was started here.

    No web UI, no progress bar, the driver's start-up quiet (`log4j2.properties`);
    shuffles on `partitions` partitions when given.  Local masters are also kept
    small and quiet: one partition per thread by default (more only add task
    overhead on one machine), warnings off, everything bound to 127.0.0.1, and the
    Python workers run this interpreter (so they import this same `reader`).  An
    already active session (a test's, a notebook's) is used as it is.
    """
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        yield active
        return
    settings = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
    if partitions is None and _is_local(master):
        partitions = _local_cores(master)
    if partitions:
        settings.update({"spark.sql.shuffle.partitions": str(partitions), "spark.default.parallelism": str(partitions)})
    log4j = resources.files(__package__).joinpath("log4j2.properties")  # the driver's start-up lines
    settings["spark.driver.extraJavaOptions"] = f"-Dlog4j2.configurationFile={log4j}"
    if _is_local(master):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # read by the JVM spark-submit starts
        settings.update({"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1",
                         "spark.pyspark.python": sys.executable})
    settings.update(conf or {})
    builder = SparkSession.builder.master(master).appName("reader matrix")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR" if _is_local(master) else "WARN")
    try:
        yield session
    finally:
        session.stop()


def load_on_executors(spark, paths: list[str], rules: list | None = None,
                      partitions: int | None = None) -> tuple[object, list[Skipped]]:
    """(RDD of (id, Article), skipped): the files under `paths` read and cleaned on the executors.

    The driver only lists the files (`discover`); ids follow `load_articles`' order.
    Files must be readable at the same absolute path on every executor (a shared
    filesystem): executors run in folders of their own, so relative paths are made
    absolute for reading, and articles keep the path as the user gave it.
    """
    found = discover(list(paths))
    inputs = input_options.current()  # process-wide in the driver: handed to the executors
    files = [(str(f), str(f.resolve()) if isinstance(f, Path) else f) for f in found.files]
    sc = spark.sparkContext
    slices = max(1, min(len(files), partitions or sc.defaultParallelism))
    items = sc.parallelize(list(enumerate(files)), slices).flatMap(
        lambda x: [(x[0], j, item) for j, item in enumerate(_read_file(*x[1], rules, inputs))]).cache()
    skipped = list(found.skipped) + [x[2] for x in items.filter(lambda x: isinstance(x[2], Skipped)).collect()]
    articles = (items.filter(lambda x: not isinstance(x[2], Skipped))
                .sortBy(lambda x: (x[0], x[1])).map(lambda x: x[2]).zipWithIndex().map(lambda x: (x[1], x[0])))
    articles = articles.cache()
    items.unpersist()
    return articles, skipped


def _read_file(shown: str, real: str, rules: list | None, inputs):
    """`iter_file(real)` with the driver's input options (corpus fields, kept pages), and
    paths (a corpus file's "FILE#KEY" too) as the user wrote them."""
    if input_options.current() != inputs:
        input_options.configure(**{f.name: getattr(inputs, f.name) for f in fields(inputs)})
    for item in iter_file(real, rules):
        if shown != real and item.path.startswith(real):
            item.path = shown + item.path[len(real):]
        yield item


@contextmanager
def pair_summaries(spark, articles, align_options: AlignOptions | None = None,
                   index_options: IndexOptions | None = None, partitions: int | None = None) -> Iterator:
    """(RDD of ((a, b), PairSummary) for every linked pair a < b, stats): the job's stages 2-4.

    `articles` is an RDD of (id, Article) with ids 0..n-1.  The stats are the embedded
    `build_matrix`'s (sentences, candidates at each step, cap, capped keys,
    boilerplate); counting them costs a pass over data Spark keeps cached.  What this
    cached is released on leaving (a session may run many jobs).
    """
    aopt = align_options or AlignOptions()
    iopt = index_options or IndexOptions()
    parts = partitions or spark.sparkContext.defaultParallelism
    ours = [] if articles.is_cached else [articles]
    articles = articles.cache()
    n_articles = articles.count()
    n_sents = articles.map(lambda x: tasks.sentence_count(x[1])).sum() if n_articles else 0
    archive, cap = archive_scale(n_sents), cap_for(n_sents, iopt)
    limit = max(20, iopt.boilerplate * n_articles)

    sc = spark.sparkContext
    probe_words = sc.broadcast(frozenset(articles.flatMap(lambda x: tasks.short_words(x[1], iopt)).distinct().collect()))
    postings = articles.flatMap(lambda x: tasks.article_keys(x[0], x[1], iopt, archive, probe_words.value)
                                ).groupByKey(parts).cache()
    capped, boilerplate = postings.map(lambda kv: tasks.key_flags(kv[0], list(kv[1]), cap, limit)).fold(
        (0, 0), _add)
    # Tables and rows stay where they are, partitioned by article / sentence: candidates
    # travel to them (`_join_both`), and only what verification needs of a table moves on.
    tables = articles.mapValues(tasks.sentence_table).partitionBy(parts).cache()
    rows = tables.flatMap(lambda x: [((x[0], i), row) for i, row in enumerate(tasks.screen_rows(x[1]))]
                          ).partitionBy(parts).cache()
    # Candidates go to their first sentence's partition, deduplicated there (one shuffle).
    by_first = (postings.flatMap(lambda kv: tasks.posting_candidates(kv[0], kv[1], cap, limit, iopt))
                .groupByKey(parts).join(rows, parts)
                .flatMap(lambda kv: [(s2, (kv[0], kv[1][1])) for s2 in set(kv[1][0])]))
    screened = by_first.partitionBy(parts).join(rows, parts).map(
        lambda kv: ((kv[1][0][0], kv[0]), tasks.screen(kv[1][0][1], kv[1][1], iopt), kv[1][0][1][1] | kv[1][1][1])
    ).cache()
    raw, kept = screened.map(lambda r: (1, int(r[1]))).fold((0, 0), _add)
    groups = (screened.filter(lambda r: r[1])
              .map(lambda r: ((r[0][0][0], r[0][1][0]), ((r[0][0][1], r[0][1][1]), r[2])))
              .groupByKey(parts).mapValues(tasks.candidate_group))
    verified = _join_both(groups, tables, parts, trim=tasks.trim_table).map(
        lambda r: tasks.verify_pair(r[0], r[2], r[3], r[1][0], aopt, iopt)).cache()
    checked, n_linked, n_groups = verified.map(lambda r: (r[1], r[2], 1)).fold((0, 0, 0), _add)
    for done in (postings, tables, rows, screened):
        done.unpersist()
    probe_words.unpersist()
    by_article = articles.partitionBy(parts).cache()
    linked = verified.filter(lambda r: r[2]).map(lambda r: (r[0], None))
    summaries = _join_both(linked, by_article, parts).map(lambda r: tasks.align_pair(r[0], r[2], r[3], aopt))
    stats = {"articles": n_articles, "article_pairs": n_articles * (n_articles - 1) // 2, "sentences": n_sents,
             "cap": cap, "capped_keys": capped, "boilerplate_sentences": boilerplate, "raw_candidates": raw,
             "overlapping_candidates": kept, "candidate_pairs": checked, "verified_pairs": n_linked,
             "candidate_article_pairs": n_groups, "from_cache": False, "aligned_article_pairs": n_linked}
    try:
        yield summaries, stats
    finally:
        for rdd in (verified, by_article, *ours):
            rdd.unpersist()


def _add(u: tuple, v: tuple) -> tuple:
    return tuple(x + y for x, y in zip(u, v))


def _join_both(by_pair, by_key, parts: int, trim=None):
    """((a, b), value) joined with the records of a and of b (articles, tables, sentences):
    ((a, b), value, record of a, record of b).

    `by_key` is partitioned by key into `parts` (and cached): pairs are sent to a's
    partition, then to b's, and the records stay put.  `trim(value, record of a)`, if
    given, is what of a's record travels on to b's partition.
    """
    at_left = by_pair.map(lambda kv: (kv[0][0], (kv[0][1], kv[1]))).partitionBy(parts).join(by_key, parts)
    moved = at_left.map(lambda kv: (kv[1][0][0], (kv[0], kv[1][0][1],
                                                  trim(kv[1][0][1], kv[1][1]) if trim else kv[1][1])))
    at_right = moved.partitionBy(parts).join(by_key, parts)
    return at_right.map(lambda kv: ((kv[1][0][0], kv[0]), kv[1][0][1], kv[1][0][2], kv[1][1]))


def build_matrix_spark(spark, articles: list[Article], options: AlignOptions | None = None, *,
                       index_options: IndexOptions | None = None, partitions: int | None = None) -> FolderMatrix:
    """`build_matrix(articles)` computed by Spark: the same cells, links and provenance."""
    parts = partitions or spark.sparkContext.defaultParallelism
    rdd = spark.sparkContext.parallelize(list(enumerate(articles)), max(1, min(parts, len(articles))))
    return gather_matrix(spark, rdd, options, index_options=index_options, partitions=parts, loaded=articles)


def gather_matrix(spark, articles, options: AlignOptions | None = None, *, index_options: IndexOptions | None = None,
                  partitions: int | None = None, loaded: list[Article] | None = None) -> FolderMatrix:
    """The `FolderMatrix` of an RDD of (id, Article), gathered on the driver (`loaded`: the
    same articles in id order, if the driver has them already)."""
    with pair_summaries(spark, articles, options, index_options, partitions) as (summaries, stats):
        if loaded is None:
            loaded = [a for _, a in sorted(articles.collect(), key=lambda x: x[0])]
        return assemble(loaded, dict(summaries.collect()), stats)


def write_results(spark, articles, out: str, options: AlignOptions | None = None, *,
                  index_options: IndexOptions | None = None, partitions: int | None = None) -> dict:
    """Write the job's results under `out` (a local path or any URI Spark writes to); return the stats.

    `out/articles`: one JSON line per article (index, path, name, title, date_iso, words);
    `out/pairs`: one JSON line per linked pair, {"a", "b"} plus `PairSummary.to_json()`
    (a < b; "l" is a's cell, "r" b's, links are (sentence in a, sentence in b, status));
    `out/stats`: one JSON line, the counts `reader matrix --format json` reports.
    Nothing is gathered on the driver but the counts.
    """
    with pair_summaries(spark, articles, options, index_options, partitions) as (summaries, stats):
        articles.map(lambda x: json.dumps(_article_row(x[0], x[1]), ensure_ascii=False)).saveAsTextFile(
            f"{out}/articles")
        summaries.map(lambda kv: json.dumps({"a": kv[0][0], "b": kv[0][1], **kv[1].to_json()}, ensure_ascii=False)
                      ).saveAsTextFile(f"{out}/pairs")
        spark.sparkContext.parallelize([json.dumps(stats)], 1).saveAsTextFile(f"{out}/stats")
    return stats


def _article_row(index: int, art: Article) -> dict:
    return {"index": index, "path": art.path, "name": art.name, "title": art.title,
            "date_iso": art.date_iso, "words": art.word_count}


def read_pairs(lines) -> dict[tuple[int, int], PairSummary]:
    """The pair summaries of `out/pairs` lines, as `assemble` takes them."""
    out = {}
    for line in lines:
        d = json.loads(line)
        out[(d["a"], d["b"])] = PairSummary.from_json(d)
    return out
