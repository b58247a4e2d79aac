"""The standing library (`reader library`): add, check, incremental and duplicate adds, remove,
damaged files, and that a check's verdicts are exactly `reader diff`'s."""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest
from hypothesis import given, strategies as st

from reader.cli import main
from reader.library import Library
from reader.library.keys import keys_version, sentence_keys, winnow

from support import seed


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path_factory, monkeypatch):
    """Never touch the user's real library."""
    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture
def lib_path(tmp_path):
    return tmp_path / "lib.sqlite"


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def add(capsys, lib_path, *paths) -> str:
    code, out, err = cli(capsys, "library", "add", "--library", str(lib_path), *map(str, paths))
    assert code == 0, err
    return out


def check_json(capsys, lib_path, *paths, extra=()) -> dict:
    code, out, err = cli(capsys, "library", "check", "--library", str(lib_path), "--format", "json",
                         *extra, *map(str, paths))
    assert code == 0, err
    return json.loads(out)


def keys_table(path) -> dict[int, tuple[int, list[str]]]:
    """key -> (documents, their hashes): comparable between libraries whatever the ids."""
    db = sqlite3.connect(path)
    hashes = dict(db.execute("SELECT id, hash FROM docs"))
    from reader.library.store import _ids

    out = {k: (n, sorted(hashes[i] for i in _ids(blob))) for k, n, blob in db.execute("SELECT * FROM keys")}
    db.close()
    return out


def test_add_list_check_finds_the_wire_copy(capsys, lib_path):
    out = add(capsys, lib_path, seed("001"), seed("002"), seed("003"), seed("004"))
    assert out.startswith("added 4 documents (0 already in the library, 0 skipped)")
    code, out, _ = cli(capsys, "library", "list", "--library", str(lib_path))
    assert code == 0 and "4 documents in" in out and seed("001").name in out
    d = check_json(capsys, lib_path, seed("000"))
    reuses = d["articles"][0]["reuses"]
    assert {r["document"]["path"] for r in reuses} == {str(seed(p).resolve()) for p in ("001", "002", "003", "004")}
    best = reuses[0]
    assert best["total"] >= reuses[-1]["total"] and best["total"] > 0.5
    copied = [p for p in best["passages"] if p["status"] == "copied"]
    assert copied and copied[0]["article_text"]
    code, out, _ = cli(capsys, "library", "check", "--library", str(lib_path), str(seed("000")))
    assert code == 0 and "reuses 4 of the 4 documents" in out and "% copied" in out


def test_check_equals_reader_diff(capsys, lib_path):
    """The library aligns the stored document: same pairs, same labels as `reader diff ARTICLE DOC`."""
    add(capsys, lib_path, seed("000"), seed("002"), seed("004"))
    d = check_json(capsys, lib_path, seed("001"))
    reuses = d["articles"][0]["reuses"]
    assert len(reuses) == 3
    for r in reuses:
        code, out, err = cli(capsys, "diff", str(seed("001")), r["document"]["path"], "--format", "json")
        assert code == 0, err
        diff = json.loads(out)
        want = sorted((p["left"], p["right"], p["status"], p["method"]) for p in diff["pairs"])
        got = sorted((p["article"], p["document"], p["status"], p["method"]) for p in r["passages"])
        assert got == want
        assert r["counts"] == diff["left"]["counts"]
        texts = [s["text"] for s in diff["right"]["sentences"]]
        for p in r["passages"]:
            assert p["document_text"] == [texts[j] for j in p["document"]]


def test_json_shape(capsys, lib_path):
    add(capsys, lib_path, seed("001"))
    d = check_json(capsys, lib_path, seed("000"), seed("003"), seed("001"))
    assert set(d) == {"library", "articles", "skipped"}
    assert d["library"] == {"path": str(lib_path), "documents": 1}
    for a in d["articles"]:
        assert {"path", "title", "date_iso", "words", "reuses", "candidates", "examined", "unexamined",
                "seconds"} <= set(a)
        for r in a["reuses"]:
            assert set(r["document"]) == {"id", "hash", "path", "title", "date_iso", "added", "words", "sentences"}
            assert {"copied", "changed", "total", "document_copied", "document_changed", "counts",
                    "passages"} <= set(r)
            assert abs(r["copied"] + r["changed"] - r["total"]) < 1e-3
            for p in r["passages"]:
                assert p["status"] in ("copied", "changed")
                assert len(p["article"]) == len(p["article_text"]) and len(p["document"]) == len(p["document_text"])
    itself = d["articles"][2]["reuses"][0]   # an article checked against its own copy
    assert itself["copied"] == 1.0 and itself["changed"] == 0.0


def test_incremental_add_touches_nothing_already_in(capsys, tmp_path, lib_path):
    add(capsys, lib_path, seed("001"), seed("002"))
    before = Library(lib_path).documents()
    out = add(capsys, lib_path, seed("003"), seed("004"))
    assert out.startswith("added 2 documents")
    after = Library(lib_path).documents()
    assert after[:2] == before and [d.id for d in after] == [1, 2, 3, 4]
    whole = tmp_path / "whole.sqlite"
    add(capsys, whole, *(seed(p) for p in ("001", "002", "003", "004")))
    assert keys_table(lib_path) == keys_table(whole)


def test_same_content_is_added_once(capsys, tmp_path, lib_path):
    copy = tmp_path / "renamed.txt"
    shutil.copy(seed("001"), copy)
    add(capsys, lib_path, seed("001"))
    out = add(capsys, lib_path, seed("001"), copy)
    assert out.startswith("added 0 documents (2 already in the library")
    other = tmp_path / "other.sqlite"
    assert add(capsys, other, seed("002"), copy, seed("002")).startswith("added 2 documents")
    assert Library(lib_path).count() == 1 and Library(other).count() == 2


def test_remove_leaves_the_index_as_if_never_added(capsys, tmp_path, lib_path):
    add(capsys, lib_path, *(seed(p) for p in ("001", "002", "003", "004")))
    code, out, err = cli(capsys, "library", "remove", "--library", str(lib_path), str(seed("002")), "3")
    assert code == 0 and out.startswith("removed 2 documents"), err
    without = tmp_path / "without.sqlite"
    add(capsys, without, seed("001"), seed("004"))
    assert keys_table(lib_path) == keys_table(without)
    paths = {r["document"]["path"] for r in check_json(capsys, lib_path, seed("000"))["articles"][0]["reuses"]}
    assert paths == {str(seed("001").resolve()), str(seed("004").resolve())}
    code, _, err = cli(capsys, "library", "remove", "--library", str(lib_path), "99")
    assert code == 1 and err.strip() == "reader: 99: no such document in the library"


def _one_line_error(capsys, lib_path, action="check") -> str:
    args = ["library", action, "--library", str(lib_path)] + ([str(seed("000"))] if action == "check" else [])
    code, out, err = cli(capsys, *args)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("damage", ["truncated", "garbage", "foreign"])
def test_damaged_library_one_line_then_rebuild(capsys, lib_path, damage):
    add(capsys, lib_path, *(seed(p) for p in ("001", "002", "003", "004")))
    size = lib_path.stat().st_size
    if damage == "truncated":
        with open(lib_path, "r+b") as f:
            f.truncate(size // 2)
    elif damage == "garbage":
        lib_path.write_bytes(os.urandom(size))
    else:
        lib_path.unlink()
        db = sqlite3.connect(lib_path)
        db.execute("CREATE TABLE notes (x)")
        db.commit()
        db.close()
    err = _one_line_error(capsys, lib_path)
    assert "rebuild" in err
    for action in ("list", "add"):
        if action == "add":
            code, _, err = cli(capsys, "library", "add", "--library", str(lib_path), str(seed("000")))
            assert code == 1 and len(err.strip().splitlines()) == 1
        else:
            _one_line_error(capsys, lib_path, action)
    code, out, err = cli(capsys, "library", "rebuild", "--library", str(lib_path))
    assert code == 0 and "set aside as" in err and out.startswith(f"rebuilt {lib_path}")
    kept = Library(lib_path).count()
    assert kept < 4 if damage != "truncated" else kept <= 4
    assert list(lib_path.parent.glob("lib.sqlite.bad-*"))   # the damaged file is kept, never deleted
    add(capsys, lib_path, *(seed(p) for p in ("001", "002", "003", "004")))
    assert Library(lib_path).count() == 4
    assert len(check_json(capsys, lib_path, seed("000"))["articles"][0]["reuses"]) == 4


def test_missing_library_and_version_change(capsys, lib_path):
    err = _one_line_error(capsys, lib_path)
    assert "no library at" in err and not lib_path.exists()
    add(capsys, lib_path, seed("001"))
    Library(lib_path).set_meta("keys", "older")
    code, out, err = cli(capsys, "library", "check", "--library", str(lib_path), str(seed("000")))
    assert code == 0 and "another version of reader" in err and "reuses 1" in out
    code, _, err = cli(capsys, "library", "add", "--library", str(lib_path), str(seed("002")))
    assert code == 1 and "rebuild" in err
    code, out, _ = cli(capsys, "library", "rebuild", "--library", str(lib_path))
    assert code == 0 and "1 documents kept" in out
    assert Library(lib_path).meta("keys") == keys_version()
    add(capsys, lib_path, seed("002"))


def test_html_page_is_self_contained_and_escaped(capsys, tmp_path, lib_path):
    hostile = "The minister said <script>alert(1)</script> the budget rises by 4% next year in every region."
    doc, art = tmp_path / "doc.txt", tmp_path / "art.txt"
    doc.write_text("Budget day\n\n" + hostile + "\n\nOther words entirely about farming and rain.\n")
    art.write_text("A new story\n\n" + hostile + "\n\nSomething else about football scores.\n")
    add(capsys, lib_path, doc)
    page = tmp_path / "check.html"
    code, _, err = cli(capsys, "library", "check", "--library", str(lib_path), "--format", "html",
                       "-o", str(page), str(art))
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html
    import html as html_lib

    assert "Content-Security-Policy" in html and "script-src 'none'" in html_lib.unescape(html)
    assert 'href="#a0-d1"' in html and 'id="a0-d1"' in html
    code, _, err = cli(capsys, "library", "check", "--library", str(lib_path), "--format", "html", str(art))
    assert code == 2 and "needs -o" in err


def test_data_dir_follows_the_environment(monkeypatch, tmp_path):
    from reader.library import default_path
    from reader.userdirs import data_dir

    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "d"))
    assert default_path() == tmp_path / "d" / "library.sqlite"
    monkeypatch.delenv("READER_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "x"))
    if sys.platform.startswith("linux"):
        assert data_dir() == tmp_path / "x" / "reader"


def test_keys_are_the_same_in_every_process():
    text = "Russian President Vladimir Putin will visit China on May 16-17, the Kremlin said on Tuesday."
    code = ("from reader.library.keys import sentence_keys; "
            f"print(sentence_keys({text!r}), sentence_keys({text!r}, True))")
    for hashseed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hashseed})
        assert out.stdout.strip() == f"{sentence_keys(text)} {sentence_keys(text, True)}"
    exact, pairs = sentence_keys(text)
    assert exact < 0 and all(k >= 0 for k in pairs)
    assert set(sentence_keys(text, True)[1]) <= set(pairs)


@given(st.lists(st.integers(min_value=0, max_value=2**62), min_size=4, max_size=60), st.integers(2, 6))
def test_winnowing_keeps_one_key_of_every_window(seq, w):
    kept = set(winnow(seq, w))
    for start in range(len(seq) - w + 1):
        assert kept & set(seq[start:start + w])


def test_check_articles_from_a_worker_thread(capsys, lib_path):
    """The app's road: load in one thread, check in another (the file is opened where it is used)."""
    import threading

    from reader.articles import load_article
    from reader.library import check_articles

    add(capsys, lib_path, seed("001"), seed("004"))
    arts = [load_article(seed("000")), load_article(seed("003"))]
    seen, out = [], []
    t = threading.Thread(target=lambda: out.extend(check_articles(arts, lib_path, progress=lambda *a: seen.append(a))))
    t.start()
    t.join()
    assert [len(r.matches) for r in out] == [2, 2] and [s[0] for s in seen] == [1, 2]
    assert check_articles(arts, lib_path, should_stop=lambda: True) == []
