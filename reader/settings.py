"""The user's settings file: `config.yaml` in the user config folder (`userdirs.config_dir`).

A small general key/value store (the aligner reads `semantic`, the app may keep its
theme here too), so that a choice made once sticks across runs.  READER_CONFIG_DIR
overrides the folder (tests point it at a temporary one).  Writes are atomic: an
interrupted save never leaves a half-written file that would lose every setting.
A missing or unreadable file means defaults, never an error.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from .userdirs import config_dir


FILE_NAME = "config.yaml"
DEFAULTS: dict[str, Any] = {"semantic": False}


class SettingsError(Exception):
    """The settings file exists but cannot be merged into; the message names it."""


def config_path() -> Path:
    return config_dir() / FILE_NAME


def load() -> dict[str, Any]:
    """All settings: defaults overlaid with what the file holds (if it can be read)."""
    out = dict(DEFAULTS)
    path = config_path()
    try:
        if not path.is_file():
            return out  # the usual case, and PyYAML stays unimported (a short command starts faster)
    except OSError:  # a config folder this user cannot search: defaults, like an unreadable file
        return out
    import yaml

    from . import safeyaml

    try:
        data = safeyaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return out
    if isinstance(data, dict):
        out.update({str(k): v for k, v in data.items()})
    return out


def get(key: str, default: Any = None) -> Any:
    return load().get(key, DEFAULTS.get(key, default) if default is None else default)


def save(values: dict[str, Any], path: Path | None = None) -> Path:
    """Merge `values` into the file (other keys kept, as the file is now) and write it atomically."""
    import yaml

    from . import safeyaml
    from .fileio import write_atomic

    path = config_path() if path is None else path
    current = {}
    try:
        data = safeyaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        # Never overwrite a file the user can still fix: their other settings are in it.
        raise SettingsError(f"{path}: not saved, the settings file cannot be read ({e.__class__.__name__}); "
                            "fix or remove it") from None
    if isinstance(data, dict):
        current = data
    elif data is not None:
        raise SettingsError(f"{path}: not saved, the settings file is not a mapping of keys to values")
    current.update(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, yaml.safe_dump(current, sort_keys=True, allow_unicode=True))


def set_value(key: str, value: Any) -> Path:
    return save({key: value})
