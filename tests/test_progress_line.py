"""`reader matrix` shows progress on a terminal and nothing when its stderr is not one."""
from __future__ import annotations

import io
import subprocess
import sys

from support import ROOT, SEEDS

from reader.cli.progress_line import ProgressLine


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_is_redrawn_in_place_and_erased():
    out = _Tty()
    line = ProgressLine(out, every=0)
    line(1, 10, "align")
    line(10, 10, "align")
    line.close()
    text = out.getvalue()
    assert "aligning pairs: 1 of 10" in text and "aligning pairs: 10 of 10" in text
    assert "\n" not in text and text.endswith("\r")


def test_many_reports_of_one_stage_are_throttled_and_a_new_stage_shows_at_once():
    out = _Tty()
    line = ProgressLine(out, every=3600)
    for k in range(1, 10_001):  # one corpus file, 10,000 rows
        line(1, 1, "load", f"{k:,} articles")
    line(1, 5, "index")
    text = out.getvalue()
    assert text.count("reading") == 1 and "indexing sentences: 1 of 5" in text


def test_stage_names_from_elsewhere_are_made_inert():
    out = _Tty()
    ProgressLine(out, every=0)(1, 2, "x\x1b]0;pwned\x07")
    assert "\x1b" not in out.getvalue() and "\x07" not in out.getvalue()


def test_not_a_terminal_means_no_progress_at_all():
    out = io.StringIO()
    line = ProgressLine(out, every=0)
    line(1, 10, "align")
    line.close()
    assert out.getvalue() == ""
    res = subprocess.run([sys.executable, "-m", "reader", "matrix", str(SEEDS), "--no-cache", "--format", "csv"],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert res.returncode == 0 and res.stderr == "", res.stderr
