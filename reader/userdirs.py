"""Where reader keeps per-user files that can always be rebuilt (the cache folder).

A module of its own, with no heavy imports, because the command-line path uses it
at start-up (the line model's compiled code) and must not pull in SQLite for that.
"""
from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "READER_CACHE_DIR"


def cache_dir() -> Path:
    """Where the cache lives: $READER_CACHE_DIR, else the user cache folder."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reader"))


_enabled = True


def disable_cache() -> None:
    """For `--no-cache`: from now on this process neither reads nor writes the cache folder."""
    global _enabled
    _enabled = False


def cache_enabled() -> bool:
    return _enabled
