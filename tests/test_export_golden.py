"""Golden-file test of the whole HTML page for the small hand-made river pair.

The golden file is the page as last looked at in a browser.  When the export
changes on purpose, regenerate it with
    READER_UPDATE_GOLDEN=1 python -m pytest tests/test_export_golden.py
then open tests/golden/export_river.html and look at it before committing.
"""
from __future__ import annotations

import os
from pathlib import Path

from reader import __version__
from reader.export import render_html
from tests.test_export_pairs import river_pair

GOLDEN = Path(__file__).parent / "golden" / "export_river.html"


def _stable(page: str) -> str:
    """The version number is the only thing that changes without the export changing."""
    return page.replace(f"reader {__version__}", "reader VERSION")


def test_river_page_matches_golden():
    page = _stable(render_html(river_pair()))
    if os.environ.get("READER_UPDATE_GOLDEN"):
        GOLDEN.write_text(page, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    if page != expected:
        import difflib

        diff = "".join(difflib.unified_diff(expected.splitlines(True), page.splitlines(True),
                                            "golden", "now", n=2))
        raise AssertionError("HTML export differs from tests/golden/export_river.html:\n" + diff[:4000])


def test_render_is_deterministic():
    assert render_html(river_pair()) == render_html(river_pair())
