"""Every data file the package reads at run time is in the wheel (a non-editable install works)."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import ROOT


def _tracked_data_files() -> set[str]:
    out = subprocess.run(["git", "ls-files", "reader", "themes"], cwd=ROOT, capture_output=True, text=True)
    if out.returncode != 0:
        pytest.skip("not a git checkout")
    files = set()
    for p in out.stdout.split():
        if p.endswith(".py") or p == "reader/themes":  # reader/themes is a link to themes/
            continue
        files.add("reader/" + p if p.startswith("themes/") else p)
    return files


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the tracked files")
def test_wheel_carries_all_package_data(tmp_path):
    needed = _tracked_data_files()
    assert "reader/rules/stopwords.txt" in needed and "reader/themes/reader-dark.yaml" in needed
    # Build from a clean copy of the tracked files: a stale build/ folder would hide a gap.
    src = tmp_path / "src"
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    for rel in listed:
        target = src / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / rel).is_symlink():
            target.symlink_to(Path((ROOT / rel).readlink()))
        elif (ROOT / rel).is_file():
            shutil.copy2(ROOT / rel, target)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(src)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]
    names = set(zipfile.ZipFile(next(Path(tmp_path).glob("reader-*.whl"))).namelist())
    assert not sorted(needed - names), f"not packaged: {sorted(needed - names)}"
