"""`reader PATH`: load errors are one line each on stderr, never a traceback."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent


def _run(*args, tmp_path):
    env = {"READER_CONFIG_DIR": str(tmp_path / "cfg"), "PATH": "/usr/bin:/bin", "TERM": "dumb"}
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=60, env=env)


def test_missing_path_is_one_line_and_non_zero(tmp_path):
    out = _run(str(tmp_path / "nope"), tmp_path=tmp_path)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert any("nope" in line and "no such file" in line for line in lines)
    assert "Traceback" not in out.stderr and len(lines) == 2


def test_folder_without_usable_articles_fails_cleanly(tmp_path):
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "empty.txt").write_text("")
    (folder / "blank.txt").write_text("   \n")
    out = _run(str(folder), tmp_path=tmp_path)
    assert out.returncode == 1
    # the app drew on the pipe before giving up; our messages follow it, one line each
    lines = ["reader: " + line.split("reader: ", 1)[1] for line in out.stderr.splitlines() if "reader: " in line]
    assert any("empty.txt: skipped: empty file" in line for line in lines)
    assert any("blank.txt: skipped" in line for line in lines)
    assert lines[-1].startswith("reader: no usable articles")
    assert "Traceback" not in out.stderr
