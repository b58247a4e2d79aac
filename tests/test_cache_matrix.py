"""The on-disk cache (hit, invalidation on change, --no-cache) and `reader matrix` formats."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

import reader.folder.matrix as matrix_module
from reader.cache import MatrixCache, cache_dir
from reader.folder.matrix import build_matrix

WIRE = ["Regional ministers approved the harbour expansion plan after a marathon session on Tuesday.",
        "The project will create about four thousand jobs over the next decade, officials said.",
        "Environmental groups warned that dredging could harm the estuary's seal colony."]


def write_folder(root):
    root.mkdir()
    (root / "a.txt").write_text("Harbour plan gets green light\n\nPublished: 2024-03-01\n\n"
                                + "\n\n".join(WIRE) + "\n", encoding="utf-8")
    (root / "b.txt").write_text("Dockers cheer port decision\n\nPublished: 2024-03-02\n\n" + WIRE[0]
                                + "\n\nDockworkers in the northern district welcomed the decision.\n\n"
                                + WIRE[2] + "\n", encoding="utf-8")
    (root / "c.txt").write_text("Bakery takes rye bread crown\n\nA local bakery won a national prize "
                                "for its rye bread on Sunday.\n\nThe judges praised the crust.\n",
                                encoding="utf-8")
    return root


@pytest.fixture
def cache(tmp_path):
    with MatrixCache(tmp_path / "cache" / "c.sqlite") as c:
        yield c


def count_aligns(monkeypatch) -> list:
    calls = []
    real = matrix_module.summarise_pair  # each pair the matrix aligns

    def counting(left, right, options=None):
        calls.append((left.name, right.name))
        return real(left, right, options)

    monkeypatch.setattr(matrix_module, "summarise_pair", counting)
    return calls


def test_reopening_comes_from_the_cache(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "f")
    calls = count_aligns(monkeypatch)
    arts, _ = cache.load_articles([folder])
    first = build_matrix(arts, cache=cache)
    assert calls and first.stats["from_cache"] is False
    calls.clear()
    again_arts, _ = cache.load_articles([folder])
    again = build_matrix(again_arts, cache=cache)
    assert calls == []
    assert again.stats["from_cache"] is True
    assert again.cells == first.cells and again.cells
    assert [a.text for a in again_arts] == [a.text for a in arts]
    assert [[p.shared for p in per] for per in again.provenance] == [[p.shared for p in per] for per in first.provenance]


def test_a_changed_file_is_reloaded_and_its_pairs_realigned(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "f")
    arts, _ = cache.load_articles([folder])
    before = build_matrix(arts, cache=cache)
    (folder / "b.txt").write_text("Dockers cheer port decision\n\nPublished: 2024-03-02\n\n" + WIRE[0]
                                  + "\n\nDockworkers welcomed it.\n", encoding="utf-8")
    calls = count_aligns(monkeypatch)
    arts, _ = cache.load_articles([folder])
    assert "Dockworkers welcomed it." in arts[1].text
    after = build_matrix(arts, cache=cache)
    assert after.stats["from_cache"] is False
    assert calls == [("a.txt", "b.txt")]
    assert after.cell(1, 0).copied > before.cell(1, 0).copied   # b is now mostly a's sentence
    assert after.cell(0, 1).copied < before.cell(0, 1).copied


def test_a_renamed_file_still_hits(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "f")
    build_matrix(cache.load_articles([folder])[0], cache=cache)
    (folder / "c.txt").rename(folder / "z.txt")
    calls = count_aligns(monkeypatch)
    arts, _ = cache.load_articles([folder])
    assert arts[2].path.endswith("z.txt")
    build_matrix(arts, cache=cache)
    assert calls == []


def test_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("READER_CACHE_DIR", str(tmp_path / "here"))
    assert cache_dir() == tmp_path / "here"
    with MatrixCache() as c:
        assert c.path.parent == tmp_path / "here"


def cli(*args, env_dir):
    import os

    env = dict(os.environ, READER_CACHE_DIR=str(env_dir), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "reader", "matrix", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_cli_no_cache_leaves_no_cache_and_default_writes_one(tmp_path):
    folder = write_folder(tmp_path / "f")
    r = cli(str(folder), "--no-cache", "--format", "csv", env_dir=tmp_path / "nc")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "nc").exists()
    r2 = cli(str(folder), "--format", "csv", env_dir=tmp_path / "wc")
    assert r2.returncode == 0 and r2.stdout == r.stdout
    assert list((tmp_path / "wc").glob("*.sqlite"))


def test_cli_json_csv_and_text(tmp_path):
    folder = write_folder(tmp_path / "f")
    r = cli(str(folder), "--format", "json", env_dir=tmp_path / "c")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert [a["name"] for a in data["articles"]] == ["a.txt", "b.txt", "c.txt"]
    cells = {(c["from"], c["to"]): c for c in data["cells"]}
    assert set(cells) == {(0, 1), (1, 0)}
    assert cells[(1, 0)]["copied"] > cells[(0, 1)]["copied"] > 0
    b_sents = data["articles"][1]["sentences"]
    assert {s["source"] for s in b_sents if s["kind"] == "body"} == {0}
    rows = list(csv.reader(io.StringIO(cli(str(folder), "--format", "csv", env_dir=tmp_path / "c").stdout)))
    assert rows[0][:5] == ["article", "shares_with", "copied", "changed", "total"]
    assert sorted((r[0], r[1]) for r in rows[1:]) == [("a.txt", "b.txt"), ("b.txt", "a.txt")]
    text = cli(str(folder), "--width", "120", env_dir=tmp_path / "c").stdout
    assert "a.txt" in text and "Pairs sharing the most" in text and "%" in text


def test_cli_nothing_usable(tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli(str(tmp_path / "empty"), env_dir=tmp_path / "c")
    assert r.returncode == 2 and "no usable articles" in r.stderr
