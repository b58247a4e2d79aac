"""Pilot tests for the alignment mode: shown on screen, toggled with `S`, remembered in the settings."""
from __future__ import annotations

import pytest
import yaml

import reader.alignment.semantic
from reader import settings
from reader.tui.screens.diff_screen import DiffScreen
from reader.tui.screens.matrix_screen import MatrixScreen
from tui_support import make_app, run_async, settle

needs_extra = pytest.mark.skipif(not reader.alignment.semantic.available(), reason="needs the reader[semantic] extra")


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


def _saved() -> dict:
    path = settings.config_path()
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}


@run_async
async def test_mode_is_shown_on_the_list_and_in_the_diff(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic and "· lexical ·" in app.screen.sub_title
        await pilot.press("j", "d")
        await settle(pilot)
        assert "lexical mode" in str(app.screen.query_one("#diff-summary").render())
        assert app.screen.alignment.options["mode"] == "lexical"


@run_async
async def test_S_without_the_extra_names_the_install_command_and_stays_lexical(tmp_path, monkeypatch):
    monkeypatch.setattr(reader.alignment.semantic, "available", lambda: False)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        cache = app.cache
        await pilot.press("S")
        await settle(pilot)
        assert not app.semantic and app.cache is cache and not app.cache.options.semantic
        assert any("pip install 'reader[semantic]'" in n.message for n in app._notifications)
        assert "lexical" in app.screen.sub_title
    assert "semantic" not in _saved()


@needs_extra
@run_async
async def test_S_toggles_semantic_refreshes_views_and_is_remembered(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        lexical_shares = {k: s.shares for k, s in app.shares.items()}
        await pilot.press("j", "d")
        await settle(pilot)
        await pilot.press("S")
        assert app.semantic and app.cache.options.semantic
        await settle(pilot)
        diff = app.screen
        assert isinstance(diff, DiffScreen) and "semantic mode" in str(diff.query_one("#diff-summary").render())
        assert diff.alignment.options["mode"] == "semantic"  # the diff was aligned again
        assert set(app.shares) == set(lexical_shares)  # bars recomputed with the new cache
        assert all(app.cache.peek(app.articles[0], app.articles[k]) is not None for k in app.shares)
        await pilot.press("escape")
        assert "· semantic ·" in app.screen.sub_title
        assert _saved()["semantic"] is True
        await pilot.press("S")
        await settle(pilot)
        assert not app.semantic and "· lexical ·" in app.screen.sub_title
        assert _saved()["semantic"] is False


@needs_extra
@run_async
async def test_S_rebuilds_an_open_matrix_in_the_new_mode(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        first = app.matrix
        assert first is not None and "lexical" in app.screen.sub_title
        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, MatrixScreen) and "semantic" in app.screen.sub_title
        assert app.matrix is not None and app.matrix is not first
        await pilot.press("enter")  # the rebuilt table takes keys again
        await settle(pilot)
        assert isinstance(app.screen, DiffScreen) and (app.screen.left, app.screen.right) == (0, 1)


@needs_extra
@run_async
async def test_start_up_reads_the_semantic_setting(tmp_path):
    settings.set_value("semantic", True)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.semantic and app.cache.options.semantic
        assert "· semantic ·" in app.screen.sub_title


@run_async
async def test_start_up_with_semantic_set_but_no_extra_warns_and_uses_lexical(tmp_path, monkeypatch):
    monkeypatch.setattr(reader.alignment.semantic, "available", lambda: False)
    settings.set_value("semantic", True)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic and not app.cache.options.semantic
        assert any("pip install 'reader[semantic]'" in n.message for n in app._notifications)
    assert _saved()["semantic"] is True  # the user's choice is kept for when the extra is installed


@run_async
async def test_theme_and_mode_share_the_config_file_without_clobbering(tmp_path, monkeypatch):
    monkeypatch.setattr(reader.alignment.semantic, "available", lambda: True)
    monkeypatch.setattr(reader.alignment.semantic, "semantic_links", lambda *a, **k: {}, raising=False)
    folder = settings.config_path().parent  # the app's config and reader.settings: one file
    app = make_app(tmp_path, config_dir=folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("t")  # theme read at start, then written
        await pilot.press("S")  # semantic written by reader.settings
        await pilot.press("t")  # a second theme write must keep `semantic`
        await settle(pilot)
        theme = app.theme
    saved = _saved()
    assert saved["theme"] == theme and saved["semantic"] is True


@run_async
async def test_command_line_mode_overrides_the_setting(tmp_path, monkeypatch):
    monkeypatch.setattr(reader.alignment.semantic, "available", lambda: True)
    settings.set_value("semantic", True)
    app = make_app(tmp_path, semantic=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic and "· lexical ·" in app.screen.sub_title
    assert _saved()["semantic"] is True  # a one-off flag does not change the remembered choice


@run_async
async def test_semantic_flag_without_the_extra_warns_and_stays_lexical(tmp_path, monkeypatch):
    monkeypatch.setattr(reader.alignment.semantic, "available", lambda: False)
    app = make_app(tmp_path, semantic=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not app.semantic
        assert any("--semantic asks" in n.message and "reader[semantic]" in n.message for n in app._notifications)
