"""A small pure-Python scorer for the learned line classifier shipped in `data/`.

The weights are boosted decision trees fitted offline (`bench/clean_train.py`) and
stored as JSON, so running reader needs no machine-learning library.  Each tree is
turned once into a nested Python conditional expression and compiled: scoring a
line is then a few hundred comparisons, fast enough for thousands of lines per page.
The source is generated only from numbers read out of the JSON (cast with int() and
float()), never from strings in it.
"""
from __future__ import annotations

import json
import marshal
import math
import os
import sys
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import CodeType
from typing import Callable

from .signing import seal, unseal
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


def _stage_code(spec: dict) -> CodeType:
    terms = [repr(float(spec["baseline"]))] + [_tree_expr(t) for t in spec["trees"]]
    source = "def score(x):\n    return (" + "\n        + ".join(terms) + ")\n"
    return compile(source, "<line_model>", "exec")


def _stage(features, code: CodeType) -> Stage:
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - generated from numbers only, see module doc
    return Stage(tuple(features), namespace["score"])


def compile_stage(spec: dict) -> Stage:
    """Build a scorer from {"features": [...], "baseline": b, "trees": [[node, ...], ...]}.

    A node is [feature_index, threshold, left, right] (go left when x <= threshold)
    or [leaf_value].
    """
    return _stage(spec["features"], _stage_code(spec))


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
    stored = _cached(p)
    if stored is None:
        data = json.loads(p.read_text(encoding="utf-8"))
        stored = (float(data.get("threshold", 0.5)), dict(data.get("meta", {})),
                  [(list(s["features"]), _stage_code(s)) for s in data["stages"]])
        _store(p, stored)
    threshold, meta, stages = stored
    return LineModel(tuple(_stage(f, code) for f, code in stages), threshold, meta)


# The compiled model is kept like a .pyc: compiling its 400 trees costs ~30 ms, a
# fifth of a short `reader diff`.  The key is what the code depends on: the model
# file, this module (which generates the code), and the interpreter.  Any problem
# with the cache (off, unwritable, corrupt, stale) means compiling afresh.
# Loading the file runs its code, so it is sealed with an HMAC under a key kept
# outside the cache folder (`signing`): a file this user's reader did not write is
# never unmarshalled, let alone run, and without a usable key there is no cache.

def _key(model: Path) -> list:
    a, b = model.stat(), Path(__file__).stat()
    return [str(model.resolve()), a.st_size, a.st_mtime_ns, b.st_size, b.st_mtime_ns,
            sys.implementation.cache_tag, sys.hexversion]


def _store_path(key: list) -> Path:
    """One file per model file and interpreter, overwritten when either changes (the key inside decides)."""
    return cache_dir() / f"line_model-{zlib.crc32(key[0].encode()):08x}.{sys.implementation.cache_tag}.sealed"


def _cached(model: Path) -> tuple | None:
    if not cache_enabled():
        return None
    try:
        key = _key(model)
        payload = unseal(_store_path(key).read_bytes())
        if payload is None:
            return None
        got = marshal.loads(payload)
        if (isinstance(got, tuple) and len(got) == 2 and got[0] == key
                and all(isinstance(code, CodeType) for _, code in got[1][2])):
            return got[1]
    except (OSError, EOFError, ValueError, TypeError, IndexError):
        pass
    return None


def _store(model: Path, stored: tuple) -> None:
    if not cache_enabled():
        return
    try:
        key = _key(model)
        path = _store_path(key)
        blob = seal(marshal.dumps((key, stored)))
        if blob is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(blob)
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except (OSError, ValueError):
        pass
