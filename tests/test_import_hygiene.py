"""The core never imports Textual: only reader.tui and reader.cli.app_cmd may."""
from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import reader

ROOT = Path(__file__).parent.parent
ALLOWED = ("reader.tui", "reader.cli.app_cmd")


def core_modules() -> list[str]:
    names = []
    for mod in pkgutil.walk_packages(reader.__path__, "reader."):
        if not mod.name.startswith(ALLOWED) and mod.name != "reader.__main__":
            names.append(mod.name)
    return names


PROBE = r"""
import importlib, json, sys
failed = {}
for name in json.loads(sys.argv[1]):
    try:
        importlib.import_module(name)
    except Exception as e:  # an optional dependency missing is not this test's business
        failed[name] = repr(e)
from reader.cli import main
code = main(["diff", sys.argv[2], sys.argv[3], "--format", "json", "-o", sys.argv[4]])
print(json.dumps({"textual": sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")),
                  "code": code, "failed": failed}))
"""


def test_core_modules_and_reader_diff_never_import_textual(tmp_path):
    names = core_modules()
    assert "reader.align" in names and "reader.layout" in names
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(names), str(seeds[0]), str(seeds[1]),
                          str(tmp_path / "diff.json")], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["code"] == 0
    assert result["textual"] == [], f"core imported Textual: {result['textual'][:5]}"


def test_the_probe_would_notice_textual():
    out = subprocess.run([sys.executable, "-c", "import sys, reader.tui.app; print('textual' in sys.modules)"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "True"
