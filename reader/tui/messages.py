"""Messages that workers post back to the UI thread.

Workers never touch widgets: they compute with the core and post one of these;
handlers on the UI thread update the screen (the toolong pattern).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from ..loading import Skipped
from ..model import Alignment, Article
from .analysis import Echo

if TYPE_CHECKING:
    from ..folder.matrix import FolderMatrix


class LoadProgress(Message):
    def __init__(self, done: int, total: int, path: str):
        super().__init__()
        self.done, self.total, self.path = done, total, path


class ArticlesLoaded(Message):
    """A batch of newly loaded articles (in folder order); `done` on the last one."""

    def __init__(self, articles: list[Article], skipped: list[Skipped], total: int, done: bool):
        super().__init__()
        self.articles, self.skipped, self.total, self.done = articles, skipped, total, done


@dataclass(slots=True)
class Share:
    index: int
    shares: dict[str, float]
    counts: dict[str, int]


class SharesComputed(Message):
    """A batch of share bars against the reference; `generation` drops stale batches."""

    def __init__(self, generation: int, shares: list[Share], done: bool = False):
        super().__init__()
        self.generation, self.shares, self.done = generation, shares, done


class EchoProgress(Message):
    def __init__(self, index: int, done: int, total: int):
        super().__init__()
        self.index, self.done, self.total = index, done, total


class EchoesReady(Message):
    """`source` is the AlignmentCache used: results from a replaced one (mode toggled) are dropped."""

    def __init__(self, index: int, echoes: list[Echo], source: object = None):
        super().__init__()
        self.index, self.echoes, self.source = index, echoes, source


class AlignmentReady(Message):
    """`source` as for EchoesReady."""

    def __init__(self, left: int, right: int, alignment: Alignment, source: object = None):
        super().__init__()
        self.left, self.right, self.alignment, self.source = left, right, alignment, source


class AlignmentFailed(Message):
    """The pair could not be aligned (`reason`: one line, already inert); `source` as above."""

    def __init__(self, left: int, right: int, reason: str, source: object = None):
        super().__init__()
        self.left, self.right, self.reason, self.source = left, right, reason, source


class MatrixProgress(Message):
    """The folder matrix is building: `stage` is the core's ("index", then "align")."""

    def __init__(self, generation: int, done: int, total: int, stage: str):
        super().__init__()
        self.generation, self.done, self.total, self.stage = generation, done, total, stage


class MatrixPartial(Message):
    """The folder matrix so far, while pairs are aligned; `pairs`: article pairs new since the last one."""

    def __init__(self, generation: int, matrix: FolderMatrix, pairs: list[tuple[int, int]]):
        super().__init__()
        self.generation, self.matrix, self.pairs = generation, matrix, pairs


class MatrixReady(Message):
    def __init__(self, generation: int, matrix: FolderMatrix):
        super().__init__()
        self.generation, self.matrix = generation, matrix


class MatrixFailed(Message):
    def __init__(self, generation: int, reason: str):
        super().__init__()
        self.generation, self.reason = generation, reason


class ArticleAdded(Message):
    """An article fetched by address or pasted (`saved`: the file the paste was written to)."""

    def __init__(self, article: Article, saved: str | None = None):
        super().__init__()
        self.article, self.saved = article, saved


class AddFailed(Message):
    """Fetching or saving an added article failed: `reason` is one line, already inert."""

    def __init__(self, what: str, reason: str):
        super().__init__()
        self.what, self.reason = what, reason
