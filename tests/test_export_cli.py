"""`reader diff A B --format html`: the CLI road to the export."""
from __future__ import annotations

import os
from pathlib import Path

from reader.cli import main

SEEDS = sorted(str(p) for p in (Path(__file__).resolve().parents[1] / "seeds").glob("00[01]_*.txt"))


def test_html_to_file(tmp_path, capsys):
    out = tmp_path / "diff.html"
    assert main(["diff", *SEEDS, "--format", "html", "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert Path(SEEDS[0]).name in page and Path(SEEDS[1]).name in page
    assert capsys.readouterr().out == ""


def test_html_to_stdout(capsysbinary):
    assert main(["diff", *SEEDS, "--format", "html", "-o", "-"]) == 0
    assert capsysbinary.readouterr().out.startswith(b"<!DOCTYPE html>")


def test_html_to_unwritable_path(tmp_path, capsys):
    target = tmp_path / "no" / "such" / "folder" / "diff.html"
    assert main(["diff", *SEEDS, "--format", "html", "-o", str(target)]) != 0
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1 and "does not exist" in err
    assert os.listdir(tmp_path) == []


def test_export_is_core_and_never_imports_textual():
    import subprocess
    import sys

    code = "import sys, reader.export.html; print('textual' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr
