"""The standing library: sources kept once, every new article checked against them.

A newsroom keeps wire copy, press releases and its own past coverage, and wants to
know, for each new story, which of them it reuses and how much (what Churnalism did
with superfastmatch).  `reader library add PATH...` files each document's sentences
under the folder matrix's keys in one SQLite file (`store`, `keys`, `adding`);
`reader library check ARTICLE...` looks the article's keys up, verifies the best
documents with the matrix's own test and aligns those with `reader.align`, so every
verdict is `reader diff`'s (`check`).  The cost of a check grows with the keys the
article shares with the library, not with the library's size.
"""
from __future__ import annotations

from .adding import AddReport, RebuildReport, add_paths, rebuild
from .check import CheckOptions, CheckResult, Match, check_article, check_articles, result_json
from .store import Library, LibraryDamaged, LibraryError, LibraryMissing, default_path

__all__ = ["AddReport", "CheckOptions", "CheckResult", "Library", "LibraryDamaged", "LibraryError",
           "LibraryMissing", "Match", "RebuildReport", "add_paths", "check_article", "check_articles", "default_path",
           "rebuild", "result_json"]
