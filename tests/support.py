"""Paths and helpers the tests share (imported as `support`; tests/ is not a package)."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def seed(prefix: str) -> Path:
    """The seed article whose file name starts with `prefix` ("000" ... "004")."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))
