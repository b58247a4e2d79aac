"""Paths and helpers the tests share (imported as `support`; tests/ is not a package)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def seed(prefix: str) -> Path:
    """The seed article whose file name starts with `prefix` ("000" ... "004")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def longest_common_run(a: list[str], b: list[str]) -> int:
    """The plain definition the fast run checks are pinned to: the longest run of words that
    `a` and `b` both have, in the same order."""
    best = 0
    for i in range(len(a)):
        for j in range(len(b)):
            k = 0
            while i + k < len(a) and j + k < len(b) and a[i + k] == b[j + k]:
                k += 1
            best = max(best, k)
    return best
