"""`reader spark PATH...`: `reader matrix` computed by Spark, in local mode or on a cluster.

For archives that outgrow one machine (`reader.distributed`); `reader matrix` stays
the one-machine path and needs no server.  The articles are read on the executors,
so PATHs must be readable at the same place on every machine of the cluster.

Without `-o` the results are gathered and printed as `reader matrix` prints them
(same text, JSON and CSV).  With `-o DIR` nothing is gathered: Spark writes the
articles, the linked pairs (cells and sentence links) and the counts as JSON lines
under DIR, which may be any location the cluster writes to (hdfs://..., s3a://...).
"""
from __future__ import annotations

from .common import CliError, err, guarded, rules_from


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--master", default="local[2]",
                   help="Spark master: local[N], spark://HOST:7077, yarn, ... (default: local[2])")
    p.add_argument("--partitions", type=int, default=0, metavar="N",
                   help="partitions of the index and of the pairs (default: one per thread in local mode, else Spark's)")
    p.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                   help="a Spark setting, e.g. spark.archives=env.tar.gz#env (repeatable)")
    p.add_argument("-o", "--output", default=None, metavar="DIR",
                   help="write JSON lines under DIR (articles/, pairs/, stats/) instead of printing")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text", help="printed results (without -o)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
    p.add_argument("--width", type=int, default=None, help="text format: columns (default: terminal width)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="text format: colour (auto: only on a terminal and without NO_COLOR)")


def _conf(pairs: list[str]) -> dict[str, str]:
    out = {}
    for item in pairs:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise CliError(f"--conf wants KEY=VALUE, not {item!r}")
        out[key.strip()] = value
    return out


@guarded
def run(args) -> int:
    from ..distributed import spark as job

    missing = job.pyspark_missing()
    if missing:
        raise CliError(missing)
    conf = _conf(args.conf)
    rules = rules_from(args)
    if args.output and "://" not in args.output:
        import os

        if os.path.exists(args.output):
            raise CliError(f"{args.output} already exists (Spark writes a new folder)")
    partitions = args.partitions if args.partitions > 0 else None
    with job.spark_session(args.master, conf, partitions) as spark:
        articles, skipped = job.load_on_executors(spark, args.paths, rules, partitions)
        for s in skipped:
            err(s.message())
        if articles.isEmpty():
            raise CliError("no usable articles" + (" (see the messages above)" if skipped else ""))
        if args.output:
            stats = job.write_results(spark, articles, args.output, partitions=partitions)
            err(f"{stats['articles']} articles, {stats['aligned_article_pairs']} linked pairs: "
                f"written under {args.output}")
            return 0
        result = job.gather_matrix(spark, articles, partitions=partitions)
    from .matrix_cmd import print_matrix

    print_matrix(result, args)
    return 0
