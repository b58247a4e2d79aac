"""Parsed YAML reused from the cache folder only while the file is unchanged."""
from __future__ import annotations

import datetime
import os

from reader import userdirs, yamlcache


def _parser(calls: list):
    def parse(path):
        calls.append(path)
        import yaml

        return yaml.safe_load(path.read_text(encoding="utf-8"))
    return parse


def test_unchanged_file_is_not_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    f = tmp_path / "r.yaml"
    f.write_text("rules:\n  - id: a\n    pattern: x\n", encoding="utf-8")
    calls: list = []
    first = yamlcache.cached(f, _parser(calls))
    again = yamlcache.cached(f, _parser(calls))
    assert first == again == {"rules": [{"id": "a", "pattern": "x"}]}
    assert len(calls) == 1


def test_an_edited_file_is_parsed_again(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    f = tmp_path / "r.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    calls: list = []
    assert yamlcache.cached(f, _parser(calls)) == {"a": 1}
    f.write_text("a: 2\n", encoding="utf-8")
    st = f.stat()
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # a later mtime, even on coarse clocks
    assert yamlcache.cached(f, _parser(calls)) == {"a": 2}
    assert len(calls) == 2


def test_data_json_cannot_hold_is_never_cached(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    f = tmp_path / "r.yaml"
    f.write_text("when: 2024-05-14\n1: one\n", encoding="utf-8")
    calls: list = []
    for _ in range(2):
        assert yamlcache.cached(f, _parser(calls)) == {"when": datetime.date(2024, 5, 14), 1: "one"}
    assert len(calls) == 2


def test_a_corrupt_cache_entry_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    f = tmp_path / "r.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    calls: list = []
    yamlcache.cached(f, _parser(calls))
    for entry in (tmp_path / "cache" / "parsed").iterdir():
        entry.write_text("{not json", encoding="utf-8")
    assert yamlcache.cached(f, _parser(calls)) == {"a": 1} and len(calls) == 2


def test_disabled_cache_parses_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(userdirs, "_enabled", False)
    f = tmp_path / "r.yaml"
    f.write_text("a: 1\n", encoding="utf-8")
    calls: list = []
    yamlcache.cached(f, _parser(calls))
    yamlcache.cached(f, _parser(calls))
    assert len(calls) == 2 and not (tmp_path / "cache").exists()
