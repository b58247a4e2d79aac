"""Shared fixtures; every test runs with a private config and cache folder."""
from __future__ import annotations

from pathlib import Path

import pytest
from support import SEEDS


@pytest.fixture(autouse=True)
def _private_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the real user's config or cache from a test."""
    base = tmp_path_factory.mktemp("userdirs")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(base / "cache"))
    monkeypatch.setenv("READER_CONFIG_DIR", str(base / "config" / "reader"))
    monkeypatch.setenv("READER_CACHE_DIR", str(base / "cache" / "reader"))
    from reader import userdirs
    from reader.inputs import options
    from reader.rules import _load_cached

    # `--no-cache` run in-process (main([... "--no-cache"])) switches the cache off for the whole
    # process; without this, every later test that checks the cache saw it off
    monkeypatch.setattr(userdirs, "_enabled", True)
    # likewise the input options a command sets for the whole process (--text-field, --keep…):
    # left set by an in-process `reader spark`/`reader matrix` run, a later corpus read the wrong field
    options.reset()
    _load_cached.cache_clear()
    yield
    _load_cached.cache_clear()
    options.reset()


@pytest.fixture
def seeds() -> Path:
    return SEEDS
