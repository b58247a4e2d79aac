"""The line model's compiled code is cached like a .pyc: reused, never trusted blindly."""
from __future__ import annotations

from reader import line_model, userdirs

SPEC = {"features": ["a", "b"], "baseline": 0.5, "trees": [[[0, 1.0, 1, 2], [-1.0], [2.0]]]}


def test_compiled_code_is_cached_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path))
    stage = line_model.compile_stage(SPEC)
    files = list(tmp_path.glob("line_model-*.marshal"))
    assert len(files) == 1
    assert stage.score([0.0, 0.0]) == 0.5 - 1.0 and stage.score([3.0, 0.0]) == 0.5 + 2.0
    stamp = files[0].stat().st_mtime_ns
    again = line_model.compile_stage(SPEC)
    assert again.score([3.0, 0.0]) == 2.5 and files[0].stat().st_mtime_ns == stamp


def test_a_corrupt_cache_file_is_recompiled(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path))
    line_model.compile_stage(SPEC)
    (path,) = tmp_path.glob("line_model-*.marshal")
    path.write_bytes(b"\x00garbage")
    assert line_model.compile_stage(SPEC).score([0.0, 0.0]) == -0.5


def test_another_model_gets_another_file(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path))
    line_model.compile_stage(SPEC)
    line_model.compile_stage({**SPEC, "baseline": 0.25})
    assert len(list(tmp_path.glob("line_model-*.marshal"))) == 2


def test_disabled_cache_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path / "c"))
    monkeypatch.setattr(userdirs, "_enabled", False)
    assert line_model.compile_stage(SPEC).score([3.0, 0.0]) == 2.5
    assert not (tmp_path / "c").exists()


def test_a_cache_file_holding_no_code_is_recompiled(tmp_path, monkeypatch):
    import marshal

    monkeypatch.setenv(userdirs.CACHE_ENV, str(tmp_path))
    line_model.compile_stage(SPEC)
    (path,) = tmp_path.glob("line_model-*.marshal")
    path.write_bytes(marshal.dumps(42))
    assert line_model.compile_stage(SPEC).score([0.0, 0.0]) == -0.5
