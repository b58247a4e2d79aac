"""Parsed YAML reused from the cache folder only while the file is unchanged."""
from __future__ import annotations

import datetime
import os

import pytest

from reader import userdirs, yamlcache


@pytest.fixture
def yaml_file(tmp_path, monkeypatch):
    """A YAML file to write, with a private cache folder; returns (path, parse calls, load)."""
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    path = tmp_path / "r.yaml"
    calls: list = []

    def parse(p):
        calls.append(p)
        import yaml

        return yaml.safe_load(p.read_text(encoding="utf-8"))

    return path, calls, lambda: yamlcache.cached(path, parse)


def test_unchanged_file_is_not_parsed_again(yaml_file):
    path, calls, load = yaml_file
    path.write_text("rules:\n  - id: a\n    pattern: x\n", encoding="utf-8")
    assert load() == load() == {"rules": [{"id": "a", "pattern": "x"}]}
    assert len(calls) == 1


def test_an_edited_file_is_parsed_again(yaml_file):
    path, calls, load = yaml_file
    path.write_text("a: 1\n", encoding="utf-8")
    assert load() == {"a": 1}
    path.write_text("a: 2\n", encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # a later mtime, even on coarse clocks
    assert load() == {"a": 2} and len(calls) == 2


def test_data_json_cannot_hold_is_never_cached(yaml_file):
    path, calls, load = yaml_file
    path.write_text("when: 2024-05-14\n1: one\n", encoding="utf-8")
    for _ in range(2):
        assert load() == {"when": datetime.date(2024, 5, 14), 1: "one"}
    assert len(calls) == 2


def test_a_corrupt_cache_entry_is_ignored(yaml_file, tmp_path):
    path, calls, load = yaml_file
    path.write_text("a: 1\n", encoding="utf-8")
    load()
    for entry in (tmp_path / "cache" / "parsed").iterdir():
        entry.write_text("{not json", encoding="utf-8")
    assert load() == {"a": 1} and len(calls) == 2


def test_disabled_cache_parses_and_writes_nothing(yaml_file, tmp_path, monkeypatch):
    path, calls, load = yaml_file
    monkeypatch.setattr(userdirs, "_enabled", False)
    path.write_text("a: 1\n", encoding="utf-8")
    load()
    load()
    assert len(calls) == 2 and not (tmp_path / "cache").exists()


def test_edits_overwrite_the_entry_instead_of_adding_one(yaml_file, tmp_path):
    path, calls, load = yaml_file
    for n in range(3):
        path.write_text(f"a: {n}\n", encoding="utf-8")
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + (n + 1) * 1_000_000))
        assert load() == {"a": n}
    assert len(list((tmp_path / "cache" / "parsed").iterdir())) == 1
