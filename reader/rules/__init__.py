"""Loading the cleaning rules and house-style equivalences, which are data, not code.

Shipped YAML files live beside this module; users add their own in the user config
folder (`rules.yaml`) or pass `--rules FILE`.  A user rule with the id of a shipped
rule replaces it, so a rule that misfires on someone's sources can be switched off
(`enabled: false`) without editing the package.  A malformed file is a `RulesError`
naming the file and the line, never a traceback.

Users' patterns are compiled with the `regex` package rather than `re`, because its
matches take a timeout.  With `re`, `(a+)+$` backtracks for about a minute on a
31-character line and cannot be interrupted; `regex` needs microseconds for that one,
and a pattern it cannot defuse (`(a|aa)+$`) that runs over `USER_RULE_SECONDS` on a
line is reported once (stderr by default, `set_reporter` for other front ends) and
disabled for the rest of the process, while the other rules still apply.  Shipped rules are reviewed and keep
`re` (and its exact results).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..yamlcache import cached


HERE = Path(__file__).parent
KINDS = ("noise", "date", "byline")


class RulesError(Exception):
    """A rules file the user must fix; the message names the file and line."""


USER_RULE_SECONDS = 0.25  # per line; a sane pattern takes microseconds on a news line


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    pattern: re.Pattern  # a `regex` pattern for user rules (they carry a timeout)
    reason: str
    kind: str = "noise"
    max_words: int | None = None
    timeout: float | None = None  # seconds per line; None for shipped rules
    source: str = ""  # the file that defined it, for messages


def first_match(rules: list[Rule] | tuple[Rule, ...], line: str, words: int) -> Rule | None:
    """The first rule that matches `line` (of `words` words): its pattern matches the whole
    stripped line, and the line is not longer than the rule's `max_words`, if it has one."""
    stripped = line.strip()
    for r in rules:
        if r.max_words is not None and words > r.max_words:
            continue
        if r.timeout is None:
            if r.pattern.fullmatch(stripped) is not None:
                return r
        elif _timed_match(r, stripped):
            return r
    return None


_disabled: set[tuple[str, str, str]] = set()
_reporter = None


def set_reporter(report) -> None:
    """Where a disabled rule is reported (a callable taking one line); None: stderr."""
    global _reporter
    _reporter = report


_said: set[str] = set()


def _say_once(message: str) -> None:
    """A notice for the user, once per process (stderr unless `set_reporter` chose otherwise)."""
    if message in _said:
        return
    _said.add(message)
    from ..inert import inert

    message = inert(message, line=True)
    if _reporter is not None:
        _reporter(message)
    else:
        import sys

        print(f"reader: {message}", file=sys.stderr)


def _timed_match(rule: Rule, line: str) -> bool:
    key = (rule.source, rule.id, rule.pattern.pattern)
    if key in _disabled:
        return False
    try:
        return rule.pattern.fullmatch(line, timeout=rule.timeout) is not None
    except TimeoutError:
        _disabled.add(key)
        _say_once(f"{rule.source}: rule {rule.id!r} took over {rule.timeout:g} s on one line "
                  f"({len(line)} characters); disabled")
        return False


def user_rules_path() -> Path:
    from ..userdirs import config_dir

    return config_dir() / "rules.yaml"


def _read_yaml(path: Path) -> dict:
    """The parsed file (through `yamlcache`: PyYAML is imported only when a file changed)."""
    return cached(path, _parse_yaml)


def _parse_yaml(path: Path) -> dict:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise RulesError(f"{path}: cannot read rules file ({e.strerror or e})") from None
    except UnicodeDecodeError:
        raise RulesError(f"{path}: rules file is not UTF-8 text") from None
    from ..safeyaml import load

    try:
        data = load(text)  # libyaml's safe loader when present (several times faster), no alias bombs
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        context, cmark = getattr(e, "context", None), getattr(e, "context_mark", None)
        if context and cmark is not None and (mark is None or cmark.line != mark.line):
            problem += f" ({context} that starts on line {cmark.line + 1})"
        raise RulesError(f"{path}:{where}{':' if where else ''} invalid YAML: {problem}") from None
    return data if data is not None else {}


def _item_lines(text: str) -> tuple[int | None, list[int], list[dict[str, int]]]:
    """1-based lines of the 'rules:' key, of each rule item, and of each item's keys.

    Taken from the YAML node tree (which keeps positions), so an error names the
    line of the rule or of the very key that is wrong, whatever the rule's id is.
    """
    import yaml

    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return None, [], []
    if not isinstance(root, yaml.MappingNode):
        return None, [], []
    for key, value in root.value:
        if getattr(key, "value", None) == "rules":
            items = value.value if isinstance(value, yaml.SequenceNode) else []
            keys = [{str(k.value): v.start_mark.line + 1 for k, v in item.value}
                    if isinstance(item, yaml.MappingNode) else {} for item in items]
            return key.start_mark.line + 1, [item.start_mark.line + 1 for item in items], keys
    return None, [], []


def _regex():
    import regex  # imported only when there are user rules

    return regex


def _parse_rules(path: Path, data: dict, shipped: bool = False) -> dict[str, Rule | None]:
    @lru_cache(maxsize=1)
    def positions() -> tuple[int | None, list[int], list[dict[str, int]]]:
        return _item_lines(path.read_text(encoding="utf-8"))  # parsed again only to word an error

    if not isinstance(data, dict) or not isinstance(data.get("rules", []), list):
        rules_line = positions()[0]
        where = f" line {rules_line}:" if rules_line else ""
        raise RulesError(f"{path}:{where} expected a mapping with a 'rules:' list of rules")
    out: dict[str, Rule | None] = {}
    for k, item in enumerate(data.get("rules") or []):
        if not isinstance(item, dict):
            item_lines = positions()[1]
            line = item_lines[k] if k < len(item_lines) else None
            raise RulesError(f"{path}: line {line}: rule {k + 1} is not a mapping (id, pattern, reason...)"
                             if line else f"{path}: rule {k + 1} is not a mapping (id, pattern, reason...)")
        rid = str(item.get("id") or f"{path.name}#{k + 1}")

        def where(key: str | None = None, _k=k) -> str:
            _, item_lines, key_lines = positions()
            line = item_lines[_k] if _k < len(item_lines) else None
            at = key_lines[_k].get(key) if key and _k < len(key_lines) else None
            at = at or line
            return f" line {at}" if at else f" rule {_k + 1}"

        if item.get("enabled", True) is False:
            out[rid] = None
            continue
        if "pattern" not in item:
            raise RulesError(f"{path}:{where()}: rule {rid!r} has no 'pattern'")
        kind = item.get("kind", "noise")
        if kind not in KINDS:
            raise RulesError(f"{path}:{where('kind')}: rule {rid!r} has kind {kind!r}; use one of {', '.join(KINDS)}")
        engine = re if shipped else _regex()
        flags = 0 if item.get("case_sensitive") else engine.IGNORECASE
        try:
            pattern = engine.compile(str(item["pattern"]), flags)
        except engine.error as e:
            raise RulesError(f"{path}:{where('pattern')}: rule {rid!r} has a bad pattern: {e}") from None
        max_words = item.get("max_words")
        if max_words is not None and not isinstance(max_words, int):
            raise RulesError(f"{path}:{where('max_words')}: rule {rid!r}: max_words must be a whole number")
        out[rid] = Rule(rid, pattern, str(item.get("reason") or rid), kind, max_words,
                        None if shipped else USER_RULE_SECONDS, str(path))
    return out


@lru_cache(maxsize=16)
def _load_cached(sources: tuple[tuple[str, int], ...]) -> tuple[Rule, ...]:
    """Shipped rules merged with `sources` in order; the key carries each file's mtime,
    so a rules file edited while reader runs is read again rather than served stale."""
    merged = _parse_rules(HERE / "noise.yaml", _read_yaml(HERE / "noise.yaml"), shipped=True)
    for name, _mtime in sources:
        path = Path(name)
        merged.update(_parse_rules(path, _read_yaml(path)))
    return tuple(r for r in merged.values() if r is not None)


def _stamp(path: Path) -> tuple[str, int]:
    try:
        return str(path), path.stat().st_mtime_ns
    except OSError:
        return str(path), 0


def load_rules(extra: list[str | Path] | tuple = (), include_user: bool = True) -> list[Rule]:
    """The shipped noise rules, merged with the user's file and then any `extra` files
    (later files win: a rule with the same id replaces the earlier one)."""
    for p in extra:
        if not Path(p).is_file():
            raise RulesError(f"{p}: no such rules file")
    sources = [Path(p) for p in extra]
    if include_user:
        user = user_rules_path()
        try:
            present = user.is_file()
        except OSError as e:  # an unreadable config folder must not stop every command
            _say_once(f"{user}: cannot read the user rules file ({e.strerror or e}); using the shipped rules")
            present = False
        if present:
            sources.insert(0, user)
    return list(_load_cached(tuple(_stamp(p) for p in sources)))


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
