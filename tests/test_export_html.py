"""The HTML export as text: content, escaping, the CSP, and writing files safely."""
from __future__ import annotations

import base64
import hashlib
import os
import re
from html.parser import HTMLParser

import pytest

from reader.export import render_html, write_html
from reader.export.view import page_view, segments
from reader.model import Alignment, Pair
from tests.test_export_pairs import make_article, river_pair, statuses

HOSTILE = [
    "<script>window.__pwned=1</script> was found in the report.",
    'A photo <img src=x onerror="window.__pwned=2"> showed the river.',
    'Campaigners wrote "><svg onload=window.__pwned=3> on a banner.',
    'Click <a href="javascript:window.__pwned=4">here</a> for details.',
]


def hostile_pair() -> Alignment:
    text = "\n".join(HOSTILE) + "\n"
    a = make_article('"><img src=x onerror=alert(1)>.txt', text,
                     [("body", s) for s in HOSTILE], [(HOSTILE[3], "<b>reason</b>")])
    b = make_article("b.txt", text, [("body", s) for s in HOSTILE[:3]])
    pairs = [Pair([0], [0], "copied", 1.0), Pair([1], [1], "changed", 0.9, [(a.sentences[1].start, a.sentences[1].start + 7)]),
             Pair([2], [2], "copied", 1.0)]
    return Alignment(a, b, pairs, statuses(4, pairs, "left"), statuses(3, pairs, "right"),
                     options={"<i>opt</i>": "<script>x</script>"})


class Tags(HTMLParser):
    """Every start tag with its attributes, as the browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in = None


def test_hostile_text_is_escaped_and_creates_no_elements():
    page = render_html(hostile_pair())
    parsed = Tags(page)
    names = [t for t, _ in parsed.tags]
    assert names.count("script") == 1                      # ours, at the end
    assert "img" not in names and "svg" not in names and "a" not in names and "i" not in names
    assert "b" not in [t for t, a in parsed.tags if "reason" in str(a)]
    for _, attrs in parsed.tags:
        assert not any(k.startswith("on") for k in attrs), attrs
        assert not any("javascript:" in (v or "") for v in attrs.values()), attrs
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;svg onload=window.__pwned=3&gt;" in page
    assert "&lt;b&gt;reason&lt;/b&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;.txt" in page  # the file name too
    assert "&lt;i&gt;opt&lt;/i&gt;" in page


def test_csp_forbids_loads_and_allows_exactly_the_shipped_script_and_style():
    page = render_html(river_pair())
    parsed = Tags(page)
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "unsafe" not in csp

    def sha(s):
        return "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
    assert len(parsed.scripts) == 1 and len(parsed.styles) == 1
    assert f"script-src {sha(parsed.scripts[0])}" in csp
    assert f"style-src {sha(parsed.styles[0])}" in csp


def test_page_loads_nothing_from_outside():
    page = render_html(river_pair())
    for tag, attrs in Tags(page).tags:
        assert "src" not in attrs and "href" not in attrs, (tag, attrs)
    assert not re.search(r"url\(|@import|https?://", page)


def test_header_counts_titles_dates_and_files():
    al = river_pair()
    page = render_html(al)
    for letter, side in (("A", "left"), ("B", "right")):
        for st, n in al.counts(side).items():
            assert f'data-side="{letter}" data-status="{st}">{n}</span>' in page
    assert "Ministers agree plan to clean up the River Wey" in page
    assert "River Wey clean-up plan agreed by ministers" in page
    assert "river_a.txt" in page and "river_b.txt" in page
    assert "12 March 2024" in page and "13 March 2024" in page


def test_every_sentence_is_shown_with_its_partners():
    al = river_pair()
    page = render_html(al)
    for prefix, art in (("L", al.left), ("R", al.right)):
        for i in range(len(art.sentences)):
            assert f'data-s="{prefix}{i}"' in page
    # The split: A's sentence 2 faces B's 3 and 4, and each of those points back.
    assert 'data-s="L2" data-partners="R3 R4"' in page
    assert 'data-s="R3" data-partners="L2"' in page and 'data-s="R4" data-partners="L2"' in page
    assert 'data-s="L3" data-partners=""' in page   # added: nobody to highlight


def test_edits_and_reused_clauses_are_marked():
    page = render_html(river_pair())
    assert "<del>on Tuesday</del>" in page and "<ins>on Tuesday</ins>" in page
    assert "<ins>local</ins>" in page
    assert "<mark title=\"reused clause\">will be paid for by the water company</mark>" in page
    # One mark per reused clause, around the edited word inside it, not one per piece.
    assert "<mark title=\"reused clause\"><ins>It</ins> will be paid for by the water company</mark>" in page


def test_segments_clip_marks_to_the_sentence():
    # A mark spanning two sentences of a merged pair is cut at the sentence boundary.
    segs = segments("cat sat", 10, [(8, 13)], "del", [])
    assert [(g.text, g.edit) for g in segs] == [("cat", "del"), (" sat", "")]
    segs = segments("one two three", 0, [(4, 7)], "ins", [(0, 13)])
    assert [(g.text, g.edit, g.reused) for g in segs] == [("one ", "", True), ("two", "ins", True), (" three", "", True)]
    assert [g.text for g in segments("plain", 0, [(50, 60)], "del", [])] == ["plain"]


def test_rows_follow_the_shared_layout_with_moved_and_added():
    view = page_view(river_pair())
    shape = [([s.key for s in r.left], [s.key for s in r.right], r.status, r.moved) for r in view.rows]
    assert ([], ["R6"], "added", False) in shape                 # added opposite a blank
    assert (["L3"], [], "added", False) in shape
    assert (["L5"], ["R1"], "copied", True) in shape             # moved to the top in B
    moved = next(r for r in view.rows if r.moved)
    assert moved.moved_from == "1"
    page = render_html(river_pair())
    assert "from B #1" in page and "(nothing in A)" in page and "(nothing in B)" in page


def test_labels_carry_meaning_without_colour():
    page = render_html(river_pair())
    for sym, word in (("=", "copied"), ("≈", "changed"), ("+", "added")):
        assert f'<span class="sym">{sym}</span> {word}' in page


def test_stripped_lines_and_options_are_listed():
    page = render_html(river_pair())
    assert '<span class="reason">link to another article</span> <q>READ MORE: Council tax to rise again</q>' in page
    assert "3 lines removed" in page and "2 lines removed" in page
    assert "<th>link</th><td>0.36</td>" in page and "<th>semantic</th><td>no</td>" in page
    assert "prefers-color-scheme: dark" in page and "@media print" in page


def test_write_to_stdout(capsysbinary):
    assert write_html(river_pair(), "-") == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"<!DOCTYPE html>") and "≈".encode() in out


def test_write_file_atomically(tmp_path):
    target = tmp_path / "out.html"
    assert write_html(river_pair(), str(target)) == 0
    assert target.read_text(encoding="utf-8") == render_html(river_pair())
    assert os.listdir(tmp_path) == ["out.html"]


@pytest.mark.parametrize("where", ["missing/out.html", "."])
def test_unwritable_path_gives_one_line_and_no_file(tmp_path, capsys, where):
    target = tmp_path / where
    before = sorted(os.listdir(tmp_path))
    assert write_html(river_pair(), str(target)) != 0
    err = capsys.readouterr().err
    assert err.startswith("reader: ") and err.count("\n") == 1 and "Traceback" not in err
    assert sorted(os.listdir(tmp_path)) == before


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, capsys, monkeypatch):
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")

    def refuse(src, dst):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(os, "replace", refuse)
    assert write_html(river_pair(), str(target)) == 1
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["out.html"]
    assert "No space left on device" in capsys.readouterr().err


def test_save_html_raises_a_user_message_for_the_app(tmp_path):
    from reader.export import save_html
    from reader.fileio import WriteError

    with pytest.raises(WriteError, match="does not exist"):
        save_html(river_pair(), tmp_path / "missing" / "x.html")
    assert save_html(river_pair(), tmp_path / "x.html").read_text(encoding="utf-8") == render_html(river_pair())
