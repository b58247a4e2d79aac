"""The line model's compiled code is cached like a .pyc: reused, never trusted blindly."""
from __future__ import annotations

import json
import marshal
import os

import pytest

from reader import line_model, userdirs

SPEC = {"features": ["a", "b"], "baseline": 0.5, "trees": [[[0, 1.0, 1, 2], [-1.0], [2.0]]]}


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "cache"))
    path = tmp_path / "model.json"
    path.write_text(json.dumps({"stages": [SPEC], "threshold": 0.4, "meta": {"f1": 0.9}}), encoding="utf-8")
    line_model.load_model.cache_clear()
    yield path
    line_model.load_model.cache_clear()


def _load(path):
    line_model.load_model.cache_clear()
    return line_model.load_model(str(path))


def _stored(tmp_path):
    return list((tmp_path / "cache").glob("line_model-*.marshal"))


def test_compiled_model_is_cached_and_reused(model_file, tmp_path):
    m = _load(model_file)
    assert m.threshold == 0.4 and m.meta == {"f1": 0.9}
    assert m.stages[0].score([0.0, 0.0]) == -0.5 and m.stages[0].score([3.0, 0.0]) == 2.5
    (stored,) = _stored(tmp_path)
    stamp = stored.stat().st_mtime_ns
    again = _load(model_file)
    assert again.stages[0].score([3.0, 0.0]) == 2.5 and stored.stat().st_mtime_ns == stamp


def test_an_edited_model_is_compiled_afresh(model_file, tmp_path):
    _load(model_file)
    model_file.write_text(json.dumps({"stages": [{**SPEC, "baseline": 0.25}]}), encoding="utf-8")
    st = model_file.stat()
    os.utime(model_file, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert _load(model_file).stages[0].score([0.0, 0.0]) == -0.75
    assert len(_stored(tmp_path)) == 1  # overwritten, not added to


@pytest.mark.parametrize("junk", [b"\x00garbage", marshal.dumps(42), marshal.dumps((["other key"], ()))])
def test_a_corrupt_or_foreign_cache_file_is_recompiled(model_file, tmp_path, junk):
    _load(model_file)
    (stored,) = _stored(tmp_path)
    stored.write_bytes(junk)
    assert _load(model_file).stages[0].score([0.0, 0.0]) == -0.5


def test_disabled_cache_writes_nothing(model_file, tmp_path, monkeypatch):
    monkeypatch.setattr(userdirs, "_enabled", False)
    assert _load(model_file).stages[0].score([3.0, 0.0]) == 2.5
    assert not (tmp_path / "cache").exists()


def test_compile_stage_needs_no_cache():
    assert line_model.compile_stage(SPEC).score([3.0, 0.0]) == 2.5
