"""Parsed YAML files kept as JSON in the cache folder, so a short command need not import PyYAML.

`import yaml` costs ~12 ms, a tenth of a short `reader diff`, and every run reads the
rules files.  The parsed data of a file is stored as JSON under a key of the file's
path, size and modification time (what a .pyc is checked against); data that JSON
cannot hold exactly (dates, keys that are not strings) is simply parsed every time,
as is everything when the cache is off or cannot be written.
"""
from __future__ import annotations

import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .userdirs import cache_dir, cache_enabled

_FORMAT = 1


def cached(path: Path, parse: Callable[[Path], Any]) -> Any:
    """`parse(path)`, or what it returned last time for this very file."""
    if not cache_enabled():
        return parse(path)
    try:
        st = path.stat()
        key = [_FORMAT, str(path.resolve()), st.st_size, st.st_mtime_ns]
    except OSError:
        return parse(path)  # it reports the problem
    # One entry per file, named by its path and overwritten when it changes (the full
    # key inside decides), so editing a rules file does not leave old entries behind.
    store = cache_dir() / "parsed" / f"{zlib.crc32(key[1].encode()):08x}.json"
    try:
        hit = json.loads(store.read_text(encoding="utf-8"))
        if hit.get("key") == key:
            return hit["data"]
    except (OSError, ValueError, AttributeError, KeyError):
        pass
    data = parse(path)
    try:
        text = json.dumps({"key": key, "data": data}, ensure_ascii=False)
        if json.loads(text)["data"] == data:
            store.parent.mkdir(parents=True, exist_ok=True)
            tmp = store.with_name(f".{store.name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, store)
    except (TypeError, ValueError, OSError):
        pass
    return data
