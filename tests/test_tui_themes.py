"""Themes as data: the shipped files are valid, a broken one is reported once and skipped."""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.tui.config import UserConfig
from reader.tui.theme_files import load_themes, theme_dirs, theme_from_data
from tui_support import make_app, run_async, settle

SHIPPED = Path(__file__).parent.parent / "themes"


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "env-config"))


def test_shipped_themes_load_and_cover_dark_light_and_colour_blind():
    themes, problems = load_themes([SHIPPED])
    assert problems == []
    names = {t.name: t for t in themes}
    assert {"reader-dark", "reader-light", "reader-colorblind"} <= set(names)
    assert names["reader-dark"].dark and not names["reader-light"].dark
    for t in themes:
        assert {"copied", "changed", "added"} <= set(t.variables)
        assert len({t.variables[k].lower() for k in ("copied", "changed", "added")}) == 3


def test_theme_dirs_include_the_source_folder_and_the_user_folder(tmp_path):
    dirs = theme_dirs(tmp_path)
    assert SHIPPED.resolve() in [d.resolve() for d in dirs]
    assert tmp_path / "themes" in dirs


@pytest.mark.parametrize("data, reason", [
    ([], "mapping"),
    ({"dark": True, "colors": {"primary": "#fff"}}, "name"),
    ({"name": "x", "dark": "yes", "colors": {"primary": "#fff"}}, "dark"),
    ({"name": "x", "dark": True, "colors": {"primary": "nope"}, "variables": {}}, "not a colour"),
    ({"name": "x", "dark": True, "colors": {"primary": "#fff", "glow": "#fff"}}, "unknown colour"),
    ({"name": "x", "dark": True, "colors": {"primary": "#fff"}, "variables": {"copied": "#fff"}}, "changed"),
])
def test_bad_theme_data_says_what_is_wrong(data, reason):
    with pytest.raises(ValueError, match=reason):
        theme_from_data(data)


def test_broken_file_is_a_problem_not_an_exception(tmp_path):
    (tmp_path / "a.yaml").write_text("name: [unclosed\n")
    (tmp_path / "b.yaml").write_text((SHIPPED / "reader-dark.yaml").read_text().replace("reader-dark", "mine"))
    themes, problems = load_themes([tmp_path])
    assert [t.name for t in themes] == ["mine"]
    assert len(problems) == 1 and "a.yaml" in problems[0].message() and "YAML" in problems[0].message()


@run_async
async def test_broken_theme_is_notified_once_and_skipped(tmp_path):
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "broken.yaml").write_text("name: broken\ndark: true\ncolors: {primary: '#zzz'}\n")
    app = make_app(tmp_path, theme_paths=[SHIPPED, folder])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        notes = [n for n in app._notifications if "broken.yaml" in n.message]
        assert len(notes) == 1 and notes[0].severity == "error"
        assert "broken" not in app.available_themes
        assert app.theme == "reader-dark"


@run_async
async def test_unknown_requested_theme_falls_back_with_a_notice(tmp_path):
    app = make_app(tmp_path, theme="no-such-theme")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "reader-dark"
        assert any("no-such-theme" in n.message for n in app._notifications)


@run_async
async def test_theme_colours_reach_the_css(tmp_path):
    app = make_app(tmp_path, theme="reader-colorblind")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.get_css_variables()["copied"].lower() == "#e69f00"


def test_config_round_trip_is_atomic_and_tolerates_garbage(tmp_path):
    cfg = UserConfig(tmp_path)
    assert cfg.theme is None and cfg.problem is None
    assert cfg.set_theme("reader-light") is None
    assert UserConfig(tmp_path).theme == "reader-light"
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]  # no temp file left behind
    (tmp_path / "config.yaml").write_text("theme: [oops\n")
    bad = UserConfig(tmp_path)
    assert bad.theme is None and "not valid YAML" in bad.problem


def test_config_dir_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "x"))
    assert UserConfig().path == tmp_path / "x" / "config.yaml"


def test_an_alias_bomb_in_the_app_config_means_defaults_and_one_line(tmp_path):
    levels = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for k in range(1, 9):
        prev, cur = chr(96 + k), chr(97 + k)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    (tmp_path / "config.yaml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    cfg = UserConfig(tmp_path)
    assert cfg.data == {} and cfg.problem and "\n" not in cfg.problem
