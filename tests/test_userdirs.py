"""The user folders: overrides first, then the platform's folder, as platformdirs gives it."""
import sys

import platformdirs
import pytest

from reader import userdirs


def test_overrides_win(monkeypatch, tmp_path):
    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "k"))
    assert userdirs.config_dir() == tmp_path / "c"
    assert userdirs.cache_dir() == tmp_path / "k"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG rule is written out on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "   ", "/somewhere/else"])
def test_linux_folders_are_platformdirs_folders(monkeypatch, xdg):
    """The XDG rule written out in `userdirs` gives what platformdirs would (it is not imported)."""
    monkeypatch.delenv("READER_CONFIG_DIR", raising=False)
    monkeypatch.delenv("READER_CACHE_DIR", raising=False)
    for var in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        if xdg is None:
            monkeypatch.delenv(var, raising=False)
        else:
            monkeypatch.setenv(var, xdg)
    assert str(userdirs.config_dir()) == platformdirs.user_config_dir("reader")
    assert str(userdirs.cache_dir()) == platformdirs.user_cache_dir("reader")


def test_user_rules_follow_the_config_override(monkeypatch, tmp_path):
    from reader.rules import user_rules_path

    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    assert user_rules_path() == tmp_path / "rules.yaml"
