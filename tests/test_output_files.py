"""`-o FILE`: never replaces a special file or an input article, never leaves a temporary file.

Writes go through `fileio.write_atomic` (a temporary file renamed into place), which
is right for a regular file and wrong for anything else: renaming over a FIFO or a
device node (as root, /dev/null) would replace it with a regular file.
"""
from __future__ import annotations

import os
import shutil
import stat

import pytest

from reader import fileio
from reader.cli import main

from support import seed


@pytest.fixture
def pair(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    shutil.copy(seed("000"), a)
    shutil.copy(seed("001"), b)
    return a, b


def _leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_a_fifo_is_refused_not_replaced(pair, tmp_path, capsys, fmt):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    code = main(["diff", str(pair[0]), str(pair[1]), "--format", fmt, "-o", str(fifo)])
    err = capsys.readouterr().err
    assert code == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert len(err.strip().splitlines()) == 1 and "not a regular file" in err
    assert not _leftovers(tmp_path)


def test_a_device_node_is_refused_not_replaced(pair, tmp_path, capsys):
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # what /dev/null is
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here ({e}); the FIFO test covers the same path")
    code = main(["diff", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(node)])
    assert code == 1 and stat.S_ISCHR(node.stat().st_mode)
    assert "not a regular file" in capsys.readouterr().err


def test_write_atomic_refuses_special_files_directly(tmp_path):
    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    with pytest.raises(fileio.WriteError, match="not a regular file"):
        fileio.write_atomic(fifo, "x")
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize("which", ["left", "right", "dotted", "symlink", "hardlink"])
@pytest.mark.parametrize("fmt", ["text", "json", "html"])
def test_an_input_article_is_never_overwritten(pair, tmp_path, capsys, monkeypatch, which, fmt):
    a, b = pair
    before = a.read_bytes(), b.read_bytes()
    monkeypatch.chdir(tmp_path)
    target = {"left": str(a), "right": str(b), "dotted": "./sub/../a.txt"}.get(which)
    (tmp_path / "sub").mkdir()
    if which == "symlink":
        target = str(tmp_path / "link.txt")
        os.symlink(b, target)
    elif which == "hardlink":
        target = str(tmp_path / "hard.txt")
        os.link(a, target)
    code = main(["diff", str(a), str(b), "--format", fmt, "-o", target])
    err = capsys.readouterr().err
    assert code != 0
    assert "input" in err and len(err.strip().splitlines()) == 1
    assert (a.read_bytes(), b.read_bytes()) == before


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, MemoryError])
def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch, interrupt):
    target = tmp_path / "out.json"

    def boom(*_a, **_k):
        raise interrupt

    monkeypatch.setattr(fileio.os, "chmod", boom)  # after the text is written, before the rename
    with pytest.raises((interrupt, fileio.WriteError)):
        fileio.write_atomic(target, "x" * 100_000)
    monkeypatch.undo()
    assert not _leftovers(tmp_path) and not target.exists()


def test_out_of_memory_while_writing_is_one_line(pair, tmp_path, capsys, monkeypatch):
    def boom(*_a, **_k):
        raise MemoryError

    monkeypatch.setattr(fileio.os, "chmod", boom)
    code = main(["diff", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(tmp_path / "o.json")])
    monkeypatch.undo()
    err = capsys.readouterr().err
    assert code == 1 and "memory" in err and len(err.strip().splitlines()) == 1
    assert not _leftovers(tmp_path)


def test_ctrl_c_during_the_cli_write_exits_130_without_leftovers(pair, tmp_path, monkeypatch):
    def boom(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(fileio.os, "chmod", boom)
    code = main(["diff", str(pair[0]), str(pair[1]), "-o", str(tmp_path / "o.txt")])
    monkeypatch.undo()
    assert code == 130 and not _leftovers(tmp_path)


def test_a_regular_file_is_still_replaced(pair, tmp_path):
    out = tmp_path / "o.json"
    out.write_text("old")
    assert main(["diff", str(pair[0]), str(pair[1]), "--format", "json", "-o", str(out)]) == 0
    assert out.read_text().startswith("{")
