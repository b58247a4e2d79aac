"""YAML alias bombs (billion laughs) in rules, theme and settings files: refused in one line.

PyYAML builds aliases as shared objects, so loading a bomb is cheap; it is whatever
walks the result afterwards (the JSON cache of parsed rules, a theme's str() of its
variables) that expands it to billions of items.  Each test runs in a child process
with its address space capped, so a regression fails fast instead of eating the
machine's memory.
"""
from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap

import pytest

from support import ROOT, seed

LEVELS = "\n".join(f"{chr(98 + k)}: &{chr(98 + k)} [{', '.join(['*' + chr(97 + k)] * 9)}]" for k in range(8))
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + LEVELS + "\n"
CAP = 2 * 1024 ** 3


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _run(args: list[str], tmp_path, code: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "READER_CONFIG_DIR": str(tmp_path / "config"), "READER_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-c", code] if code else [sys.executable, "-m", "reader", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120, preexec_fn=_capped)


def test_a_bomb_in_rules_is_refused_in_one_line(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB + "rules: *i\n", encoding="utf-8")
    r = _run(["clean", str(seed("000")), "--rules", str(bomb)], tmp_path)
    assert r.returncode == 2, r.stderr[-500:]
    assert len(r.stderr.strip().splitlines()) == 1 and "alias" in r.stderr and "bomb.yaml" in r.stderr
    assert "Traceback" not in r.stderr and "MemoryError" not in r.stderr


def test_a_bomb_in_the_user_rules_file_too(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "rules.yaml").write_text(BOMB + "rules: *i\n", encoding="utf-8")
    r = _run(["clean", str(seed("000"))], tmp_path)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "alias" in r.stderr


def test_a_bomb_theme_is_skipped_and_the_shipped_themes_load(tmp_path):
    themes = tmp_path / "config" / "themes"
    themes.mkdir(parents=True)
    (themes / "bomb.yaml").write_text(BOMB + textwrap.dedent("""\
        name: bomb
        dark: true
        colors: {primary: "#ffffff"}
        variables: {copied: "#ff0000", changed: "#00ff00", added: "#0000ff", x: *i}
        """), encoding="utf-8")
    code = textwrap.dedent(f"""
        from pathlib import Path
        from reader.tui.theme_files import load_themes, theme_dirs
        themes, problems = load_themes(theme_dirs(Path({str(tmp_path / 'config')!r})))
        print(sorted(t.name for t in themes))
        print([p.message() for p in problems])
        """)
    r = _run([], tmp_path, code)
    assert r.returncode == 0, r.stderr[-500:]
    names, problems = r.stdout.splitlines()
    assert "reader-dark" in names and "bomb" not in names
    assert "bomb.yaml" in problems and "alias" in problems


def test_a_bomb_in_the_settings_file_means_defaults(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text(BOMB + "semantic: *i\n", encoding="utf-8")
    r = _run([], tmp_path, "from reader import settings; print(settings.load()['semantic'])")
    assert r.returncode == 0 and r.stdout.strip() == "False", r.stderr[-500:]


def test_small_anchors_and_aliases_still_work(tmp_path):
    from reader.safeyaml import load

    assert load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}
    assert load("") is None


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "[" * 50_000 + "]" * 50_000], ids=["recursive", "deep"])
def test_recursive_or_absurdly_deep_documents_are_refused(text):
    import yaml

    from reader.safeyaml import load

    with pytest.raises(yaml.YAMLError):
        load(text)
