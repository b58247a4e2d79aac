"""Mojibake repaired on reading changes the text: the JSON must say which text offsets index."""
from __future__ import annotations

import json
import subprocess
import sys

from support import ROOT

from reader.articles import load_article
from reader.cache import article_from_json, article_to_json


def _mojibake_file(tmp_path):
    text = "The mayor said the café would close.\n\nIt was a sad day, she said, and the crème brûlée shop shut.\n"
    p = tmp_path / "moji.txt"
    p.write_text(text.encode("utf-8").decode("latin-1"), encoding="utf-8")
    return p


def test_offsets_of_a_repaired_file_say_so_and_index_the_text_given(tmp_path):
    p = _mojibake_file(tmp_path)
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(p), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout.splitlines()[0])
    assert d["offsets"] == "repaired text"
    assert "café" in d["text"]
    for s in d["sentences"]:
        assert d["text"][s["start"]:s["end"]] == s["text"]


def test_a_clean_file_says_file_text_and_the_flag_survives_the_cache(tmp_path):
    p = tmp_path / "plain.txt"
    p.write_text("The mayor said the café would close.\n", encoding="utf-8")
    assert not load_article(p).repaired
    art = load_article(_mojibake_file(tmp_path))
    assert art.repaired and any("mojibake" in n for n in art.notes)
    assert article_from_json(article_to_json(art), art.path).repaired
