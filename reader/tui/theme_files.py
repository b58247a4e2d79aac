"""Themes are data: `themes/*.yaml` files, read and checked at start-up.

A theme file names the theme, says whether it is dark, gives Textual's base colours
and the three colours the whole app is about (`copied`, `changed`, `added`) as theme
variables, so CSS can say `$changed` and every view follows the theme.

Files are looked for in the source checkout's top-level `themes/` folder, in a copy
packaged inside `reader` (for non-editable installs), and in the user's config folder
(`<config>/themes/`), in that order; the first file to define a name wins.  A broken
file is returned as a problem (reported once by the app) and skipped, never raised.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from textual.color import Color, ColorParseError
from textual.theme import Theme

BASE_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface",
                "panel", "boost", "warning", "error", "success")
STATUS_VARIABLES = ("copied", "changed", "added")
DEFAULT_THEME = "reader-dark"

# Used by themes that do not define them (e.g. Textual's own themes picked from the palette).
VARIABLE_DEFAULTS = {"copied": "#e06c75", "changed": "#e5c07b", "added": "#98c379"}


@dataclass(slots=True)
class ThemeProblem:
    path: str
    reason: str

    def message(self) -> str:
        return f"theme {self.path}: {self.reason}; skipped"


def theme_dirs(user_config: Path | None = None) -> list[Path]:
    """Folders holding theme files, most specific to the install first."""
    import reader

    pkg = Path(reader.__file__).resolve().parent
    dirs = [pkg.parent / "themes"]
    try:
        packaged = resources.files("reader") / "themes"
        dirs.append(Path(str(packaged)))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - zipped installs
        pass
    if user_config is not None:
        dirs.append(user_config / "themes")
    out: list[Path] = []
    for d in dirs:
        if d not in out:
            out.append(d)
    return out


def _colour(value, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{where} must be a colour string, not {type(value).__name__}")
    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{where}: {value!r} is not a colour") from None
    return value


def theme_from_data(data) -> Theme:
    """Check one theme file's data and build the Theme; ValueError says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("expected a mapping with name, dark, colors and variables")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("missing 'name'")
    dark = data.get("dark")
    if not isinstance(dark, bool):
        raise ValueError("'dark' must be true or false")
    colours = data.get("colors")
    if not isinstance(colours, dict) or "primary" not in colours:
        raise ValueError("'colors' must be a mapping with at least 'primary'")
    unknown = sorted(set(colours) - set(BASE_COLOURS))
    if unknown:
        raise ValueError(f"unknown colour(s) {', '.join(unknown)} (known: {', '.join(BASE_COLOURS)})")
    base = {k: _colour(v, f"colors.{k}") for k, v in colours.items()}
    variables = data.get("variables") or {}
    if not isinstance(variables, dict):
        raise ValueError("'variables' must be a mapping")
    missing = [v for v in STATUS_VARIABLES if v not in variables]
    if missing:
        raise ValueError(f"variables must define {', '.join(missing)}")
    for v in STATUS_VARIABLES:
        _colour(variables[v], f"variables.{v}")
    return Theme(name=name.strip(), dark=dark, variables={str(k): str(v) for k, v in variables.items()}, **base)


def _parse_theme_yaml(path: Path):
    from ..safeyaml import load

    return load(path.read_text(encoding="utf-8"))  # safe_load, refusing alias bombs


def load_theme_file(path: Path) -> Theme:
    """One theme file, checked.  Its parsed YAML is kept in the cache folder like the rules'
    (`yamlcache`: by path, size and time), so starting the app need not import PyYAML."""
    from ..yamlcache import cached

    try:
        data = cached(path, _parse_theme_yaml)
    except OSError as e:
        raise ValueError(f"cannot read ({e.strerror or e})") from None
    except Exception as e:  # noqa: BLE001 - yaml.YAMLError, told apart without importing yaml first
        import yaml

        if not isinstance(e, yaml.YAMLError):
            raise
        raise ValueError(f"not valid YAML ({str(e).splitlines()[0]})") from None
    return theme_from_data(data)


def load_themes(dirs: list[Path]) -> tuple[list[Theme], list[ThemeProblem]]:
    """Every usable theme in `dirs` (sorted by file name within a folder), plus the problems."""
    themes: dict[str, Theme] = {}
    problems: list[ThemeProblem] = []
    for d in dirs:
        if not d.is_dir():
            continue
        for path in sorted(d.glob("*.yaml")) + sorted(d.glob("*.yml")):
            try:
                theme = load_theme_file(path)
            except ValueError as e:
                problems.append(ThemeProblem(str(path), str(e)))
                continue
            themes.setdefault(theme.name, theme)
    return list(themes.values()), problems
