"""Where reader keeps per-user files: the config, cache and data folders.

One module, with no heavy imports, because the command-line path asks for these at
start-up (the parsed rules and the compiled line model are cached) and must stay
fast.  The data folder holds what the user built and reader cannot remake from
anything else (the standing library, `reader.library`), so it is never the cache
folder, which anyone may empty.  $READER_CONFIG_DIR, $READER_CACHE_DIR and
$READER_DATA_DIR override the platform's folders (tests and scripts use them).  On
Linux the platform's folder is the XDG rule, written out here (it is all
platformdirs does there, and importing platformdirs costs ~3 ms of a 75 ms
command); elsewhere platformdirs decides.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

CACHE_ENV = "READER_CACHE_DIR"
CONFIG_ENV = "READER_CONFIG_DIR"
DATA_ENV = "READER_DATA_DIR"
APP = "reader"


def config_dir() -> Path:
    """$READER_CONFIG_DIR, else the user config folder (~/.config/reader on Linux)."""
    return _user_dir(CONFIG_ENV, "XDG_CONFIG_HOME", "~/.config", "user_config_dir")


def cache_dir() -> Path:
    """$READER_CACHE_DIR, else the user cache folder (~/.cache/reader on Linux)."""
    return _user_dir(CACHE_ENV, "XDG_CACHE_HOME", "~/.cache", "user_cache_dir")


def data_dir() -> Path:
    """$READER_DATA_DIR, else the user data folder (~/.local/share/reader on Linux)."""
    return _user_dir(DATA_ENV, "XDG_DATA_HOME", "~/.local/share", "user_data_dir")


def _user_dir(override: str, xdg_variable: str, xdg_default: str, platformdirs_function: str) -> Path:
    env = os.environ.get(override)
    if env:
        return Path(env).expanduser()
    if sys.platform.startswith("linux"):
        # The XDG base-directory rule, as platformdirs applies it on Linux: the variable if
        # it is set and not blank, else the default under the home folder.
        base = os.environ.get(xdg_variable, "")
        return Path(base if base.strip() else os.path.expanduser(xdg_default)) / APP
    import platformdirs

    return Path(getattr(platformdirs, platformdirs_function)(APP))


_enabled = True


def disable_cache() -> None:
    """For `--no-cache`: from now on this process neither reads nor writes the cache folder."""
    global _enabled
    _enabled = False


def cache_enabled() -> bool:
    return _enabled
