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
    return list((tmp_path / "cache").glob("line_model-*"))


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


# --- The cache holds code, so it is signed: a file nobody signed with this user's key never runs.

def test_code_planted_in_the_cache_folder_never_runs(model_file, tmp_path):
    flag = tmp_path / "flag"
    _load(model_file)
    evil = compile(f"open({str(flag)!r}, 'w').write('ran')\ndef score(x):\n    return 99.0\n", "<evil>", "exec")
    stored = _stored(tmp_path)
    assert stored
    for f in stored:
        # What the cache holds for this model, with the attacker's code instead of the trees.
        key = line_model._key(model_file)
        f.write_bytes(marshal.dumps((key, (0.4, {"f1": 0.9}, [(["a", "b"], evil)]))))
        m = _load(model_file)
        assert not flag.exists(), "code from the cache folder ran"
        assert m.stages[0].score([3.0, 0.0]) == 2.5


def test_a_signature_made_with_another_key_is_refused(model_file, tmp_path, monkeypatch):
    flag = tmp_path / "flag"
    _load(model_file)
    (stored,) = _stored(tmp_path)
    good = stored.read_bytes()
    # Re-sign a tampered payload with a different key (as someone without this user's key would).
    from reader import signing

    evil = compile(f"open({str(flag)!r}, 'w').write('ran')\ndef score(x):\n    return 99.0\n", "<evil>", "exec")
    payload = marshal.dumps((line_model._key(model_file), (0.4, {}, [(["a", "b"], evil)])))
    stored.write_bytes(signing.seal(payload, key=b"k" * 32))
    assert good != stored.read_bytes()
    assert _load(model_file).stages[0].score([3.0, 0.0]) == 2.5
    assert not flag.exists()


def test_a_key_others_can_read_or_write_is_not_trusted(model_file, tmp_path):
    from reader import signing

    _load(model_file)
    key = signing.key_path()
    assert key.is_file() and key.stat().st_mode & 0o077 == 0
    key.chmod(0o644)
    assert signing.seal(b"x") is None and signing.unseal(b"anything") is None
    assert _load(model_file).stages[0].score([3.0, 0.0]) == 2.5  # compiled afresh, still right


def test_no_key_inside_the_cache_folder(model_file, tmp_path, monkeypatch):
    from reader import signing

    monkeypatch.setenv(userdirs.CONFIG_ENV, str(tmp_path / "cache"))
    assert signing.seal(b"x") is None
    assert _load(model_file).stages[0].score([3.0, 0.0]) == 2.5
    assert not _stored(tmp_path)


def test_an_unusable_config_folder_means_no_cache_not_an_error(model_file, tmp_path, monkeypatch):
    (tmp_path / "notadir").write_text("x")
    monkeypatch.setenv(userdirs.CONFIG_ENV, str(tmp_path / "notadir"))
    assert _load(model_file).stages[0].score([3.0, 0.0]) == 2.5
