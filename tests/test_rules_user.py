"""User noise rules: the config-folder file and --rules FILE, merged over the shipped ones,
and malformed files reported with the file and the line."""
from __future__ import annotations

import subprocess
import sys

import pytest

from reader.cleaning import clean_text
from reader.rules import RulesError, load_rules, user_rules_path

TEXT = ("Harbour town votes to rebuild its sea wall\n\n"
        "The council voted on Tuesday to rebuild the sea wall that failed in the winter storms.\n\n"
        "Sponsored by Acme Concrete\n\n"
        "Engineers had warned that the old wall was no longer strong enough for the tides.\n\n"
        "Share this article\n")


def stripped(rules) -> dict[str, str]:
    return {s.text: s.reason for s in clean_text(TEXT, rules).stripped}


def write(path, body: str):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")
    return path


def test_user_config_file_adds_rules(tmp_path):
    assert "Sponsored by Acme Concrete" not in stripped(load_rules())
    write(user_rules_path(), "rules:\n  - id: sponsor-line\n    pattern: 'sponsored by .+'\n"
                             "    reason: sponsor credit\n")
    assert stripped(load_rules())["Sponsored by Acme Concrete"] == "sponsor credit"
    assert stripped(load_rules(include_user=False)).get("Sponsored by Acme Concrete") != "sponsor credit"


def test_same_id_replaces_and_enabled_false_switches_a_shipped_rule_off(tmp_path):
    assert stripped(load_rules())["Share this article"] == "share button"
    off = write(tmp_path / "off.yaml", "rules:\n  - id: share\n    enabled: false\n")
    assert stripped(load_rules(extra=[off])).get("Share this article") != "share button"
    assert all(r.id != "share" for r in load_rules(extra=[off]))
    renamed = write(tmp_path / "renamed.yaml", "rules:\n  - id: share\n    pattern: 'share this article'\n"
                                              "    reason: our share bar\n")
    assert stripped(load_rules(extra=[renamed]))["Share this article"] == "our share bar"


def test_rules_option_file_wins_over_the_user_file(tmp_path):
    write(user_rules_path(), "rules:\n  - id: sponsor-line\n    pattern: 'sponsored by .+'\n    reason: from config\n")
    extra = write(tmp_path / "mine.yaml", "rules:\n  - id: sponsor-line\n    pattern: 'sponsored by .+'\n"
                                         "    reason: from --rules\n")
    assert stripped(load_rules(extra=[extra]))["Sponsored by Acme Concrete"] == "from --rules"


@pytest.mark.parametrize("body, expected", [
    ("rules:\n  - id: ok\n    pattern: 'foo'\n  - id: broken\n    pattern: 'foo('\n",
     "line 5: rule 'broken' has a bad pattern"),
    ("rules:\n  - id: ok\n    pattern: \"foo\n  bar: [\n", "invalid YAML"),
    ("rules:\n  - id: a\n    reason: no pattern here\n", "line 2: rule 'a' has no 'pattern'"),
    ("rules:\n  - id: k\n    pattern: x\n    kind: weird\n", "line 4: rule 'k' has kind 'weird'"),
    ("rules:\n  - just a string\n", "line 2: rule 1 is not a mapping"),
    ("rules: 5\n", "line 1: expected a mapping with a 'rules:' list"),
    ("rules:\n  - id: m\n    pattern: x\n    max_words: lots\n", "line 4: rule 'm': max_words must be a whole number"),
])
def test_malformed_rules_name_the_file_and_line(tmp_path, body, expected):
    bad = write(tmp_path / "bad.yaml", body)
    with pytest.raises(RulesError) as e:
        load_rules(extra=[bad])
    assert str(e.value).startswith(f"{bad}:")
    assert expected in str(e.value)


def test_yaml_syntax_error_points_at_where_the_problem_starts(tmp_path):
    bad = write(tmp_path / "bad.yaml", "rules:\n  - id: ok\n    pattern: \"foo\n  bar: [\n")
    with pytest.raises(RulesError, match=r"starts on line 3"):
        load_rules(extra=[bad])


def test_cli_reports_a_bad_rules_file_in_one_line(tmp_path, seeds):
    bad = write(tmp_path / "bad.yaml", "rules:\n  - id: broken\n    pattern: '(unclosed'\n")
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(seeds), "--rules", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 2
    (line,) = out.stderr.strip().splitlines()
    # User patterns are compiled by the `regex` package (timeouts): its wording of the error.
    assert line.startswith(f"reader: {bad}: line 3: rule 'broken' has a bad pattern: missing )")
    assert "Traceback" not in out.stderr


def test_missing_rules_file(tmp_path):
    with pytest.raises(RulesError, match="no such rules file"):
        load_rules(extra=[tmp_path / "nope.yaml"])
