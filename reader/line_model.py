"""A small pure-Python scorer for the learned line classifier shipped in `data/`.

The weights are boosted decision trees fitted offline (`bench/clean_train.py`) and
stored as JSON, so running reader needs no machine-learning library.  Each tree is
turned once into a nested Python conditional expression and compiled: scoring a
line is then a few hundred comparisons, fast enough for thousands of lines per page.
The source is generated only from numbers read out of the JSON (cast with int() and
float()), never from strings in it.
"""
from __future__ import annotations

import hashlib
import json
import marshal
import math
import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Callable

from .userdirs import cache_dir, cache_enabled

MODEL_FILE = Path(__file__).parent / "data" / "line_model.json"


@dataclass(frozen=True, slots=True)
class Stage:
    """One boosted-tree model: raw score = baseline + sum of tree outputs."""

    features: tuple[str, ...]
    score: Callable[[list[float]], float]

    def proba(self, rows: list[list[float]]) -> list[float]:
        out = []
        for row in rows:
            z = self.score(row)
            out.append(1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0)
        return out


def _tree_expr(nodes: list, k: int = 0) -> str:
    node = nodes[k]
    if len(node) == 1:
        return repr(float(node[0]))
    feature, threshold, left, right = int(node[0]), float(node[1]), int(node[2]), int(node[3])
    return (f"({_tree_expr(nodes, left)} if x[{feature}] <= {threshold!r} "
            f"else {_tree_expr(nodes, right)})")


def compile_stage(spec: dict) -> Stage:
    """Build a scorer from {"features": [...], "baseline": b, "trees": [[node, ...], ...]}.

    A node is [feature_index, threshold, left, right] (go left when x <= threshold)
    or [leaf_value].
    """
    terms = [repr(float(spec["baseline"]))] + [_tree_expr(t) for t in spec["trees"]]
    source = "def score(x):\n    return (" + "\n        + ".join(terms) + ")\n"
    namespace: dict = {}
    exec(_compiled(source), namespace)  # noqa: S102 - numbers only, see module doc
    return Stage(tuple(spec["features"]), namespace["score"])


def _compiled(source: str) -> CodeType:
    """`compile(source)`, kept as a marshal file in the user cache folder.

    Compiling the 400 trees costs ~30 ms, a fifth of a small `reader diff`; like a
    .pyc, the file is named by a hash of the source and the Python version, so a
    changed model or interpreter never loads stale code.  Any problem with the
    cache (unwritable, corrupt) falls back to compiling.
    """
    if not cache_enabled():
        return compile(source, "<line_model>", "exec")
    key = hashlib.sha256(source.encode()).hexdigest()[:32]
    path = cache_dir() / f"line_model-{key}.{sys.implementation.cache_tag}-{sys.hexversion:x}.marshal"
    try:
        code = marshal.loads(path.read_bytes())
        if isinstance(code, CodeType):
            return code
    except (OSError, EOFError, ValueError, TypeError):
        pass
    code = compile(source, "<line_model>", "exec")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(code))
        os.replace(tmp, path)
    except OSError:
        pass
    return code


@dataclass(frozen=True, slots=True)
class LineModel:
    stages: tuple[Stage, ...]
    threshold: float
    meta: dict


def model_from_dict(data: dict) -> LineModel:
    return LineModel(tuple(compile_stage(s) for s in data["stages"]), float(data.get("threshold", 0.5)),
                     dict(data.get("meta", {})))


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> LineModel | None:
    """The shipped model, or None when the data file is missing (cleaning then uses rules only)."""
    p = Path(path) if path else MODEL_FILE
    if not p.is_file():
        return None
    return model_from_dict(json.loads(p.read_text(encoding="utf-8")))
