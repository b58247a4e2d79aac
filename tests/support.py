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


def write_file(tmp_path: Path, name: str, data: bytes) -> Path:
    """A generated fixture file (PDF, DOCX, e-mail...) written under `tmp_path`."""
    p = tmp_path / name
    p.write_bytes(data)
    return p


def refusal(path) -> str:
    """The one-line reason `load_article` gives for a file it cannot use."""
    import pytest

    from reader.articles import load_article
    from reader.loading import LoadError

    with pytest.raises(LoadError) as e:
        load_article(path)
    assert "\n" not in e.value.reason
    return e.value.reason
