"""Loading the cleaning rules and house-style equivalences, which are data, not code.

Shipped YAML files live beside this module; users add their own in the user config
folder (`rules.yaml`) or pass `--rules FILE`.  A user rule with the id of a shipped
rule replaces it, so a rule that misfires on someone's sources can be switched off
(`enabled: false`) without editing the package.  A malformed file is a `RulesError`
naming the file and the line, never a traceback.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
KINDS = ("noise", "date", "byline")


class RulesError(Exception):
    """A rules file the user must fix; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: re.Pattern
    reason: str
    kind: str = "noise"
    max_words: int | None = None

    def matches(self, line: str, words: int) -> bool:
        if self.max_words is not None and words > self.max_words:
            return False
        return self.pattern.fullmatch(line.strip()) is not None


def user_rules_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("reader")) / "rules.yaml"


def _read_yaml(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RulesError(f"{path}: cannot read rules file ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: rules file is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise RulesError(f"{path}:{where}: invalid YAML: {problem}") from None
    return data if data is not None else {}


def _line_of(text: str, rule_id: str) -> str:
    for n, line in enumerate(text.splitlines(), 1):
        if rule_id and rule_id in line:
            return f" line {n}"
    return ""


def _parse_rules(path: Path, data: dict) -> dict[str, Rule | None]:
    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        raise RulesError(f"{path}: expected a mapping with a 'rules:' list")
    raw_text = path.read_text(encoding="utf-8")
    out: dict[str, Rule | None] = {}
    for k, item in enumerate(data.get("rules") or []):
        if not isinstance(item, dict):
            raise RulesError(f"{path}: rule {k + 1} is not a mapping")
        rid = str(item.get("id") or f"{path.name}#{k + 1}")
        where = _line_of(raw_text, str(item.get("id", ""))) or f" rule {k + 1}"
        if item.get("enabled", True) is False:
            out[rid] = None
            continue
        if "pattern" not in item:
            raise RulesError(f"{path}:{where}: rule {rid!r} has no 'pattern'")
        kind = item.get("kind", "noise")
        if kind not in KINDS:
            raise RulesError(f"{path}:{where}: rule {rid!r} has kind {kind!r}; use one of {', '.join(KINDS)}")
        flags = 0 if item.get("case_sensitive") else re.IGNORECASE
        try:
            pattern = re.compile(str(item["pattern"]), flags)
        except re.error as e:
            raise RulesError(f"{path}:{where}: rule {rid!r} has a bad pattern: {e}") from None
        max_words = item.get("max_words")
        if max_words is not None and not isinstance(max_words, int):
            raise RulesError(f"{path}:{where}: rule {rid!r}: max_words must be a whole number")
        out[rid] = Rule(rid, pattern, str(item.get("reason") or rid), kind, max_words)
    return out


@lru_cache(maxsize=16)
def _load_cached(extra: tuple[str, ...], include_user: bool) -> tuple[Rule, ...]:
    merged = _parse_rules(HERE / "noise.yaml", _read_yaml(HERE / "noise.yaml"))
    sources = [Path(p) for p in extra]
    if include_user:
        user = user_rules_path()
        if user.is_file():
            sources.insert(0, user)
    for path in sources:
        merged.update(_parse_rules(path, _read_yaml(path)))
    return tuple(r for r in merged.values() if r is not None)


def load_rules(extra: list[str | Path] | tuple = (), include_user: bool = True) -> list[Rule]:
    """The shipped noise rules, merged with the user's file and any `extra` files."""
    for p in extra:
        if not Path(p).is_file():
            raise RulesError(f"{p}: no such rules file")
    return list(_load_cached(tuple(str(p) for p in extra), include_user))


@lru_cache(maxsize=4)
def house_style(extra: tuple[str, ...] = ()) -> dict:
    """House-style equivalences (`house_style.yaml`): spellings that count as the same word."""
    data = _read_yaml(HERE / "house_style.yaml")
    for p in extra:
        more = _read_yaml(Path(p))
        for key in ("replace", "words"):
            data.setdefault(key, [])
            data[key] = list(data[key]) + list(more.get(key) or [])
    return data
