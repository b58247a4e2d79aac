"""The embedded stage functions and rules the distributed job uses, imported in this one place.

The Spark job must give the embedded path's results, so it reuses the embedded
code wherever a stage works on one record: the words of an article's sentences
(`article_words`), the verification score (`link_score`), the aligner and the pair
summary, the loaders (and their process-wide input options), and the folder index's limits.  If those move, only these
imports change.
"""
from __future__ import annotations

from ..align import AlignOptions
from ..articles import iter_file
from ..folder.compact_index import archive_scale, article_words, cap_for
from ..folder.matrix import FolderMatrix, PairSummary, assemble, summarise_pair
from ..folder.sentence_index import IndexOptions, link_score
from ..inputs import options as input_options
from ..loading import Skipped, discover
from ..model import Article
from ..normalise import stem
from ..options import stopwords

__all__ = ["AlignOptions", "Article", "FolderMatrix", "IndexOptions", "PairSummary", "Skipped",
           "archive_scale", "article_words", "assemble", "cap_for", "discover", "input_options", "iter_file",
           "link_score", "stem", "stopwords", "summarise_pair"]
