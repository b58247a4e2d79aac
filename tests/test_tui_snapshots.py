"""Snapshot tests (pytest-textual-snapshot) of the list, reader, diff, folder-matrix and library views.

At 120x40 and 80x24, in a dark and a light theme.  Update with
`python -m pytest tests/test_tui_snapshots.py --snapshot-update` after a deliberate
change, and look at the SVGs in tests/__snapshots__/ before committing them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_support import make_app, settle

SIZES = [(120, 40), (80, 24)]
THEMES = ["reader-dark", "reader-light"]


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


def _keys(*keys):
    async def run_before(pilot):
        await settle(pilot)
        if keys:
            await pilot.press(*keys)
            await settle(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_list_view(snap_compare, tmp_path, theme, size):
    assert snap_compare(make_app(tmp_path, theme=theme), terminal_size=size, run_before=_keys("j"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_reader_view(snap_compare, tmp_path, theme, size):
    assert snap_compare(make_app(tmp_path, theme=theme), terminal_size=size, run_before=_keys("enter", "s"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_diff_view(snap_compare, tmp_path, theme, size):
    assert snap_compare(make_app(tmp_path, theme=theme), terminal_size=size, run_before=_keys("j", "d"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("theme", THEMES)
def test_matrix_view(snap_compare, tmp_path, theme, size):
    assert snap_compare(make_app(tmp_path, theme=theme), terminal_size=size, run_before=_keys("m", "j", "h"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_view(snap_compare, tmp_path, monkeypatch, size):
    """`L` against a library holding the wire story, the daily selected (its passages below)."""
    from tui_support import STORY

    from reader.library import Library, add_paths
    from reader.rules import load_rules

    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # the library's name on screen is the same in every run: lib.sqlite
    with Library(Path("lib.sqlite"), create=True) as lib:
        add_paths(lib, [str(STORY / "a_wire.txt")], load_rules(include_user=False), jobs=1)
    app = make_app(tmp_path, theme="reader-dark", library=Path("lib.sqlite"))
    assert snap_compare(app, terminal_size=size, run_before=_keys("L", "j"))
