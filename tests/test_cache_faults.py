"""A damaged cache is set aside and rebuilt, said once, never a traceback on every run.

The SQLite matrix cache (`reader.cache`) and the small file caches (`yamlcache`,
the line model's sealed code) live in a folder that other programs, full disks and
crashes can damage.  Each fault below is made to the real files a run left behind.
"""
from __future__ import annotations

import os
import random
import sqlite3

import pytest

from reader import cache as cache_module
from reader.cache import CACHE_FILE
from reader.cli import main
from reader.userdirs import cache_dir

from test_cache_matrix import write_folder


def _run(folder, capsys) -> tuple[int, str, str]:
    code = main(["matrix", str(folder), "--format", "csv"])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def built(tmp_path, capsys):
    """A folder, its matrix as CSV, and the cache file the run left."""
    folder = write_folder(tmp_path / "f")
    code, out, err = _run(folder, capsys)
    assert code == 0 and not err
    db = cache_dir() / CACHE_FILE
    assert db.is_file()
    return folder, out, db


def _garbage(db):
    db.write_bytes(random.Random(1).randbytes(db.stat().st_size or 8192))


def _truncated(db):
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2 + 100])


def _garbage_pages(db):
    data = bytearray(db.read_bytes())
    rng = random.Random(2)
    page = int.from_bytes(data[16:18], "big") or 65536
    for k in range(page, len(data)):
        data[k] = rng.randrange(256)
    db.write_bytes(bytes(data))


def _wrong_schema(db):
    db.unlink()
    con = sqlite3.connect(db)
    con.executescript("CREATE TABLE articles (k INTEGER, v TEXT); CREATE TABLE pairs (a, b, c);"
                      "CREATE TABLE plans (x); INSERT INTO articles VALUES (1, 'x');")
    con.commit()
    con.close()


def _not_a_table(db):
    db.unlink()
    con = sqlite3.connect(db)
    con.executescript("CREATE VIEW articles AS SELECT 1 AS key, 2 AS data;")
    con.close()


@pytest.mark.parametrize("damage", [_garbage, _truncated, _garbage_pages, _wrong_schema, _not_a_table])
def test_a_damaged_cache_is_set_aside_rebuilt_and_said_once(built, capsys, damage):
    folder, expected, db = built
    damage(db)
    code, out, err = _run(folder, capsys)
    assert code == 0, err
    assert out == expected
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cache" in lines[0] and "set aside" in lines[0], err
    assert "Traceback" not in err
    aside = [p for p in db.parent.iterdir() if p.name.startswith(CACHE_FILE + ".bad")]
    assert len(aside) == 1
    # The next run uses the rebuilt cache and says nothing.
    code, out, err = _run(folder, capsys)
    assert (code, out, err) == (0, expected, "")


def test_a_read_only_cache_is_set_aside_too(built, capsys, monkeypatch):
    """As root a chmod does not make a file read-only, so SQLite is told so (query_only)."""
    folder, expected, db = built
    real = sqlite3.connect
    opened = []

    def read_only(*a, **k):
        con = real(*a, **k)
        con.execute("PRAGMA query_only = ON")
        opened.append(con)
        return con

    monkeypatch.setattr(cache_module.sqlite3, "connect", read_only)
    (folder / "d.txt").write_text("A new article about something else entirely.\n\nIt has two lines.\n")
    code, out, err = _run(folder, capsys)
    assert code == 0 and out.startswith("article,")
    assert len(err.strip().splitlines()) == 1 and "cache" in err and "Traceback" not in err
    monkeypatch.undo()
    code, out2, err = _run(folder, capsys)
    assert code == 0 and err == "" and out2 == out


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files; the query_only test covers it")
def test_a_chmod_read_only_cache(built, capsys):
    folder, expected, db = built
    db.chmod(0o444)
    (folder / "d.txt").write_text("A new article about something else entirely.\n\nIt has two lines.\n")
    code, out, err = _run(folder, capsys)
    assert code == 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_cache_that_cannot_be_set_aside_is_bypassed_with_one_line(built, capsys, monkeypatch):
    folder, expected, db = built
    _garbage(db)

    def no_rename(*_a, **_k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache_module.os, "replace", no_rename)
    code, out, err = _run(folder, capsys)
    assert code == 0 and out == expected
    assert len(err.strip().splitlines()) == 1 and "cache" in err and "Traceback" not in err


def _forget():
    """Drop this process's copies, so the next command reads the cache folder again."""
    from reader import line_model, rules

    line_model.load_model.cache_clear()
    rules._load_cached.cache_clear()
    rules.house_style.cache_clear()


@pytest.mark.parametrize("damage", [_garbage, _truncated])
def test_damaged_file_caches_are_rebuilt_silently(tmp_path, capsys, damage):
    """yamlcache's JSON and the line model's sealed code: any damage means parse again."""
    folder = write_folder(tmp_path / "f")
    args = ["clean", str(folder / "a.txt"), "--format", "json"]
    _forget()
    assert main(args) == 0
    expected = capsys.readouterr().out
    files = [p for p in cache_dir().rglob("*") if p.is_file() and not p.name.endswith(".sqlite")]
    assert any(p.suffix == ".json" for p in files) and any(p.suffix == ".sealed" for p in files)
    for p in files:
        damage(p)
    for _ in range(2):
        _forget()
        assert main(args) == 0
        out = capsys.readouterr()
        assert out.out == expected and out.err == ""
