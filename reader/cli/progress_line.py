"""One line of progress on stderr for long commands (`reader matrix`), only on a terminal.

A matrix over hundreds of articles takes minutes; a silent command looks hung.  The
line is redrawn in place (carriage return), at most five times a second, and erased
when the work is done, so piped or redirected output (CI logs, scripts) never sees it.
Stage names are ours; file names pass through `inert` like every other terminal line.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

from ..inert import inert

STAGES = {"load": "reading", "index": "indexing sentences", "candidates": "finding candidates",
          "verify": "verifying candidates", "align": "aligning pairs"}  # what the core reports


class ProgressLine:
    """`progress(done, total, stage)` for the core's callbacks; `close()` erases the line."""

    def __init__(self, stream: TextIO | None = None, every: float = 0.2):
        self.stream = stream if stream is not None else sys.stderr
        self.every = every
        self.active = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last = 0.0
        self._stage = ""
        self._width = 0

    def __call__(self, done: int, total: int, stage: str, note: str = "") -> None:
        if not self.active:
            return
        now = time.monotonic()
        if stage == self._stage and now - self._last < self.every:
            return  # a corpus file reports every row: redraw at most every `every` seconds
        self._last, self._stage = now, stage
        label = STAGES.get(stage, inert(stage, line=True))
        text = f"{label}: {done:,} of {total:,}" if total else f"{label}: {done:,}…" if done else f"{label}…"
        self._draw((text + (f" ({note})" if note else ""))[:200])

    def _draw(self, text: str) -> None:
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)

    def close(self) -> None:
        if self.active and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
