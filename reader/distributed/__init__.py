"""The folder matrix on a distributed engine (Spark, through pyspark), for archives that
outgrow one machine.

The embedded path (`reader.folder.matrix.build_matrix`) stays the default: one
process, no server.  This package runs the same stages the way passim does: each
article is indexed on its own (map), the index is partitioned by key (shuffle),
candidate sentence pairs come from shared keys, are verified per article pair, and
the linked pairs are aligned; the result is the same pair summaries, cells and
sentence links as the embedded path.

`stages` imports the embedded functions used here (the one file to adapt when they
move), `tasks` is the per-record work of each stage as plain functions, and `spark`
is the job; pyspark is an optional extra (`reader[distributed]`), imported only
inside `spark`'s functions.
"""
