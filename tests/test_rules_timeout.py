r"""User rules run with a time bound: a catastrophic pattern is reported once and disabled.

`(a+)+$` takes about a minute on a 31-character line with Python's `re`; user rules
are compiled with the `regex` package, which needs microseconds for that one (and for
`(\w+\s?)*$`) and takes a timeout for those it cannot defuse, such as `(a|aa)+$`.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from reader import rules as rules_module
from reader.cleaning import clean_text as clean
from reader.rules import load_rules

from support import ROOT, seed

EVIL = """rules:
  - id: nested
    pattern: '(a+)+$'
    reason: a minute with re
  - id: evil
    pattern: '(a|aa)+$'
    reason: catastrophic even for regex
  - id: evil2
    pattern: '(a|a)*$'
    reason: also catastrophic
  - id: promo
    pattern: 'PROMO CODE \\w+'
    reason: promotion
"""
ARTICLE = ("Harbour plan approved\n\n"
           + "a" * 31 + "!\n\n"
           + "PROMO CODE SAVE10\n\n"
           + "Regional ministers approved the harbour expansion plan after a marathon session on Tuesday.\n\n"
           + "word " * 30 + "!\n\n"
           + "The project will create about four thousand jobs over the next decade, officials said.\n")


@pytest.fixture
def files(tmp_path):
    rules = tmp_path / "evil.yaml"
    rules.write_text(EVIL, encoding="utf-8")
    art = tmp_path / "art.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    return rules, art


def test_a_catastrophic_user_rule_is_cut_short_reported_once_and_disabled(files, tmp_path):
    rules, art = files
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    twin = tmp_path / "twin.txt"
    twin.write_text(ARTICLE, encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "reader", "clean", str(art), str(twin), "--rules", str(rules),
                        "--show-stripped"], capture_output=True, text=True, env=env, timeout=60)
    took = time.monotonic() - start
    assert r.returncode == 0, r.stderr
    assert took < 20, f"{took:.1f} s"
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr  # one per bad rule, not one per line or per file
    assert any("'evil'" in x for x in lines) and any("'evil2'" in x for x in lines)
    assert all("evil.yaml" in x and "disabled" in x for x in lines)
    assert r.stdout.count("PROMO CODE SAVE10  [promotion]") == 2  # the good user rule still applies
    assert "Regional ministers approved" in r.stdout


def test_shipped_rules_are_untouched_and_keep_their_engine():
    import re

    shipped = load_rules(include_user=False)
    assert shipped and all(isinstance(r.pattern, re.Pattern) and r.timeout is None for r in shipped)


def test_a_timed_out_rule_does_not_change_the_other_rules_results(files):
    rules, art = files
    good = load_rules(include_user=False)
    with_evil = load_rules(extra=[str(rules)], include_user=False)
    reported: list[str] = []
    rules_module.set_reporter(reported.append)
    try:
        a = clean(ARTICLE, with_evil)
    finally:
        rules_module.set_reporter(None)
    b = clean(ARTICLE, good)
    assert len(reported) == 2
    kept_a = [s.text for s in a.stripped if s.reason != "promotion"]
    assert kept_a == [s.text for s in b.stripped]


@pytest.mark.parametrize("pattern, line", [("(a+)+$", "a" * 31 + "!"), (r"(\w+\s?)*$", "word " * 30 + "!")])
def test_the_issues_patterns_take_no_time(tmp_path, pattern, line):
    f = tmp_path / "r.yaml"
    f.write_text(f"rules:\n  - id: x\n    pattern: '{pattern}'\n", encoding="utf-8")
    (rule,) = [r for r in load_rules(extra=[str(f)], include_user=False) if r.id == "x"]
    start = time.monotonic()
    assert rules_module.first_match([rule], line, len(line.split())) is None
    assert time.monotonic() - start < 0.1
