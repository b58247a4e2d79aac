"""`--semantic` without the extra: one clear line naming the install command, no traceback.

Needs nothing optional: the missing extra is simulated, either in-process (the
loader raises as it would) or in a fresh interpreter whose import system refuses
the module, which is what a user without `reader[semantic]` actually has.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from support import ROOT, seed

from reader.alignment import semantic
from reader.cli import main

HINT = "pip install 'reader[semantic]'"

BLOCKER = textwrap.dedent("""
    import os, sys
    BLOCKED = set(os.environ["READER_TEST_BLOCK"].split(","))
    class Block:
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r} (blocked by the test)")
            return None
    sys.meta_path.insert(0, Block())
""")


def run_blocked(tmp_path, blocked: str, *args: str) -> subprocess.CompletedProcess:
    """`python -m reader diff 001 002 ...` in a fresh process where `blocked` cannot be imported."""
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
           "READER_TEST_BLOCK": blocked, "READER_CONFIG_DIR": str(tmp_path / "config")}
    return subprocess.run([sys.executable, "-m", "reader", "diff", str(seed("001")), str(seed("002")),
                           "--format", "json", *args],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)


@pytest.mark.parametrize("blocked", ["wordllama", "tokenizers", "numpy"])
def test_semantic_flag_without_extra_is_one_clear_line(tmp_path, blocked):
    proc = run_blocked(tmp_path, blocked, "--semantic")
    assert proc.returncode != 0
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and HINT in lines[0], proc.stderr


def test_lexical_mode_does_not_need_the_extra(tmp_path):
    proc = run_blocked(tmp_path, "wordllama,tokenizers,numpy", "--no-semantic")
    assert proc.returncode == 0, proc.stderr
    assert '"mode": "lexical"' in proc.stdout


def test_config_semantic_without_extra_says_where_it_came_from(tmp_path):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.yaml").write_text("semantic: true\n", encoding="utf-8")
    proc = run_blocked(tmp_path, "wordllama")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert HINT in proc.stderr and "config" in proc.stderr


def test_missing_model_in_process(monkeypatch, capsys):
    """The same message when the loader reports the extra missing inside this process."""
    def missing():
        raise semantic.SemanticUnavailable(f"{semantic.MODEL_PACKAGE} is not installed")

    monkeypatch.setattr(semantic, "model_dir", missing)
    code = main(["diff", str(seed("001")), str(seed("002")), "--format", "json", "--semantic"])
    err = capsys.readouterr().err
    assert code != 0 and HINT in err and len(err.strip().splitlines()) == 1
    assert semantic.available() is False


def test_a_broken_settings_file_is_never_overwritten(tmp_path, monkeypatch):
    from reader import settings

    monkeypatch.setenv("READER_CONFIG_DIR", str(tmp_path))
    path = tmp_path / "config.yaml"
    path.write_text("theme: reader-dark\nsemantic: [unclosed\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="config.yaml"):
        settings.set_value("semantic", True)
    assert path.read_text(encoding="utf-8") == "theme: reader-dark\nsemantic: [unclosed\n"
    path.write_text("theme: reader-light\n", encoding="utf-8")
    settings.set_value("semantic", True)
    assert settings.load()["theme"] == "reader-light" and settings.get("semantic") is True
