"""The ranking measures of `bench/linker_ceiling.py`, on rankings whose answer is known:
the issue's "blocked" figures are read off them."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture()
def ceiling(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    import linker_ceiling

    return linker_ceiling


def test_auc_is_the_chance_a_gold_row_outranks_a_wrong_one(ceiling):
    y = np.array([1, 1, 0, 0])
    assert ceiling.auc(np.array([0.9, 0.8, 0.2, 0.1]), y) == 1.0
    assert ceiling.auc(np.array([0.1, 0.2, 0.8, 0.9]), y) == 0.0
    assert ceiling.auc(np.array([0.5, 0.5, 0.5, 0.5]), y) == 0.5
    assert ceiling.auc(np.array([0.9, 0.3, 0.5, 0.1]), y) == 0.75  # 3 of 4 gold/wrong orderings
    assert math.isnan(ceiling.auc(np.array([0.4, 0.6]), np.array([0, 0])))


def test_addable_counts_gold_rows_from_the_top_while_precise_enough(ceiling):
    p = np.array([0.99, 0.95, 0.9, 0.8, 0.7, 0.6])
    y = np.array([1, 1, 0, 1, 1, 0])
    assert ceiling.addable(p, y, 0.95) == 2   # the third row is wrong: 2 of 3 falls below
    assert ceiling.addable(p, y, 0.75) == 4   # 4 right of the top 5 is 0.8
    assert ceiling.addable(p, np.zeros(6, dtype=int), 0.5) == 0
