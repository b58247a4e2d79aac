"""The user's remembered choices (the theme), kept in a small YAML file.

The folder is the user config folder (`userdirs.config_dir`: `READER_CONFIG_DIR`,
else the platform's), unless an explicit folder says otherwise: tests and benchmarks
point it at a temporary folder so they never read or write the real user's settings.  Writes are atomic, so
a crash never leaves a half-written config that would break the next start.

The same file holds `reader.settings` keys (the alignment mode, `semantic`, which
the app saves through that module), so a save re-reads the file and changes only
the keys set here: neither writer clobbers the other's keys.
"""
from __future__ import annotations

from pathlib import Path

from .. import settings, userdirs
from ..fileio import WriteError

CONFIG_NAME = "config.yaml"


def config_dir(explicit: str | Path | None = None) -> Path:
    """Where the config lives: explicit folder, then $READER_CONFIG_DIR, then the platform's."""
    if explicit is not None:
        return Path(explicit)
    return userdirs.config_dir()


class UserConfig:
    """Read once at start-up, written whenever a remembered choice changes."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = config_dir(folder)
        self.path = self.folder / CONFIG_NAME
        self.data: dict = {}
        self.problem: str | None = None
        self._read()

    def _read(self) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as e:
            self.problem = f"{self.path}: cannot read ({e.strerror or e})"
            return
        import yaml  # only when there is a file: a first start need not load PyYAML

        from .. import safeyaml

        try:
            data = safeyaml.load(raw)  # refuses alias bombs (billion laughs) in one line
        except yaml.YAMLError as e:
            self.problem = f"{self.path}: not valid YAML ({str(e).splitlines()[0]}); using defaults"
            return
        if data is None:
            return
        if not isinstance(data, dict):
            self.problem = f"{self.path}: expected a mapping of settings; using defaults"
            return
        self.data = data

    @property
    def theme(self) -> str | None:
        value = self.data.get("theme")
        return value if isinstance(value, str) else None

    @property
    def library(self) -> str | None:
        """The library file the app checks against (`L`), when the user named one here."""
        value = self.data.get("library")
        return value if isinstance(value, str) and value.strip() else None

    def set_theme(self, name: str) -> str | None:
        """Remember the theme; return a message for the user when it cannot be saved."""
        if self.data.get("theme") == name:
            return None
        return self.set_value("theme", name)

    def set_value(self, key: str, value) -> str | None:
        """Save one key, keeping whatever else the file holds now (not what it held at start)."""
        self.data[key] = value
        try:
            settings.save({key: value}, self.path)
        except (OSError, WriteError, settings.SettingsError) as e:
            return f"could not save settings: {e}"
        return None
