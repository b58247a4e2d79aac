"""No terminal control from article text or file names reaches the terminal raw from the CLI.

Hostile text carries OSC (retitle, clipboard write), CSI (clear screen), C1 controls
and bidi overrides; file names carry the same, a newline and an undecodable byte.
Text output shows them as visible escapes (`reader.inert`); JSON escapes them itself.
"""
from __future__ import annotations

import json
import os
import shutil
import unicodedata

import pytest

from reader.cli import main

from support import seed


@pytest.fixture(autouse=True)
def _cache_switch_restored(monkeypatch):
    """`--no-cache` run in-process switches the cache off for the process: undo it after."""
    from reader import userdirs

    monkeypatch.setattr(userdirs, "_enabled", userdirs._enabled)


BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HOSTILE = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2J\x9b31m\u202eevil\u2066x\u2069\x08\x7f"


def unsafe(text: str) -> list[str]:
    """Characters a terminal could act on (newline and tab are layout)."""
    return [c for c in text if c not in "\n\t" and (unicodedata.category(c) in ("Cc", "Cs") or c in BIDI)]


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    base = seed("000").read_text(encoding="utf-8")
    lines = base.splitlines()
    lines[0] = lines[0] + HOSTILE  # the title
    lines.insert(3, "Advertisement" + HOSTILE)
    body = "\n".join(lines)
    body = body.replace(". ", f". {HOSTILE} ", 3)
    a = folder / f"a{HOSTILE}.txt"
    a.write_text(body, encoding="utf-8")
    b = folder / "b\u202etxt.exe.txt"
    shutil.copy(seed("001"), b)
    c = folder / "c.txt"
    c.write_text(body, encoding="utf-8")
    return folder, a, b


def _out(capsys):
    out = capsys.readouterr()
    return out.out, out.err


def test_clean_text(hostile, capsys):
    folder, a, _ = hostile
    assert main(["clean", str(folder), "--format", "text", "--show-stripped"]) == 0
    out, err = _out(capsys)
    assert "\\x1b]0;pwned\\x07" in out and "\\u202e" in out  # visible, not dropped
    assert unsafe(out) == [] and unsafe(err) == []


def test_diff_text(hostile, capsys):
    _, a, b = hostile
    assert main(["diff", str(a), str(b), "--format", "text", "--width", "200", "--color", "never"]) == 0
    out, err = _out(capsys)
    assert "\\x1b" in out
    assert unsafe(out) == [] and unsafe(err) == []
    assert main(["diff", str(a), str(b), "--format", "text", "--color", "always", "--width", "200"]) == 0
    out, _ = _out(capsys)
    # colour codes are ours (ESC [ ... m); nothing else of the article's is left
    assert "\x1b]" not in out and "\x1b[2J" not in out and "\u202e" not in out and "\x9b" not in out


def test_diff_text_written_to_a_file(hostile, tmp_path, capsys):
    _, a, b = hostile
    out = tmp_path / "out.txt"
    assert main(["diff", str(a), str(b), "-o", str(out)]) == 0
    assert unsafe(out.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_matrix(hostile, capsys, fmt):
    folder, _, _ = hostile
    assert main(["matrix", str(folder), "--format", fmt, "--width", "200", "--no-cache"]) == 0
    out, err = _out(capsys)
    assert "a\\x1b]0;pwned" in out
    assert unsafe(out) == [] and unsafe(err) == []


def test_a_file_name_with_markup_is_shown_as_written(tmp_path, capsys):
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(seed("000"), folder / "[bold red]x.txt")
    shutil.copy(seed("001"), folder / "y.txt")
    assert main(["matrix", str(folder), "--width", "200", "--no-cache"]) == 0
    assert "[bold red]x.txt" in capsys.readouterr().out


def test_json_keeps_the_text_exact(hostile, capsys):
    _, a, _ = hostile
    assert main(["clean", str(a), "--format", "json"]) == 0
    out, _ = _out(capsys)
    # JSON is data: the text is exact, and C0 controls come escaped by JSON itself.  (C1
    # controls, DEL and bidi overrides pass through as characters with ensure_ascii=False.)
    assert not [c for c in out if ord(c) < 0x20 and c != "\n"]
    assert HOSTILE in json.loads(out)["text"]


@pytest.mark.parametrize("name", [f"missing{HOSTILE}.txt", "two\nlines.txt", os.fsdecode(b"bad\xff.txt")])
def test_error_lines_name_hostile_files_inertly(tmp_path, capsys, name):
    path = tmp_path / name
    code = main(["clean", str(path)])
    out, err = _out(capsys)
    assert code != 0
    assert unsafe(err) == [] and err.count("\n") == 2  # the file's line and "no usable articles"
    err.encode("utf-8")


def test_empty_hostile_file_and_write_errors(tmp_path, capsys):
    bad = tmp_path / f"empty{HOSTILE}.txt"
    bad.write_text("")
    main(["clean", str(bad), str(seed("000"))])
    _, err = _out(capsys)
    assert "empty" in err and unsafe(err) == []
    target = tmp_path / f"no{HOSTILE}" / "out.html"
    assert main(["diff", str(seed("000")), str(seed("001")), "--format", "html", "-o", str(target)]) == 1
    _, err = _out(capsys)
    assert unsafe(err) == [] and len(err.strip().splitlines()) == 1


def test_argument_errors_echo_input_inertly(capsys):
    with pytest.raises(SystemExit):
        main(["diff", "a", "b", "--format", f"x{HOSTILE}"])
    _, err = _out(capsys)
    assert "invalid choice" in err and unsafe(err) == []


def test_unrecognised_arguments_are_echoed_inertly(capsys):
    with pytest.raises(SystemExit):
        main(["clean", "a.txt", f"--bogus{HOSTILE}"])
    _, err = _out(capsys)
    assert "unrecognized arguments" in err and unsafe(err) == []
