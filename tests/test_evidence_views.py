"""A pair's evidence ("why are these linked?") in words, in the app (`w`) and the HTML export.

The evidence is made of article words, so besides saying the right thing every view
must keep it inert: no Rich/Textual markup parsed in the app, everything escaped in
the page.  The export tests use the hand-made river pair (no aligner), with evidence
set by hand, so they test the views and not the linker's current judgement.
"""
from __future__ import annotations

from collections import Counter

import pytest

from reader.export import render_html
from reader.export.view import page_view
from reader.model import Pair
from reader.why import number_text, surface_words, why_line, why_phrases
from tests.test_export_html import Tags
from tests.test_export_pairs import river_pair
from tui_support import make_app, run_async, settle

LINKED = {"probability": 0.873, "shared_words": ["collin", "davi", "evidenc", "300"],
          "shared_numbers": ["300000000", "15000"], "run": 4, "in_order": True, "number_clash": False}
HOSTILE = {"probability": 0.5, "shared_words": ["<script>alert(1)</script>", '"><img src=x onerror=alert(2)>',
                                               "[bold red]boom[/]"],
           "shared_numbers": ["<b>7</b>"], "run": 2, "in_order": False, "number_clash": True}


def _pair(evidence: dict, method: str = "lexical") -> Pair:
    return Pair([0], [0], "changed", 0.5, method=method, evidence=evidence)


# -- the words (reader.why) ----------------------------------------------------------------
def test_linker_evidence_reads_as_plain_phrases():
    texts = ["Collins and Davis gave evidence worth 300 million.", "Collins gave Davis the evidence."]
    assert why_phrases(_pair(LINKED), texts) == [
        "87% likely", "shared: Collins, Davis, evidence", "numbers: 300 million, 15,000",
        "4 words in a row", "same order as neighbours"]
    assert why_line(_pair(LINKED), texts).startswith("87% likely · shared: Collins")


def test_copied_rewrite_clash_and_nothing_recorded():
    assert why_phrases(Pair([0], [0], "copied", 1.0, evidence={"copied": True})) == ["exact copy: the same words"]
    ev = {"probability": 0.9996, "shared_words": ["door"], "shared_numbers": [], "run": 1,
          "in_order": False, "number_clash": True}
    assert why_phrases(_pair(ev, "rewrite")) == ["over 99% likely", "rewritten", "shared: door", "numbers differ"]
    assert why_phrases(_pair({})) == [] and why_line(_pair({})) == ""


def test_malformed_evidence_is_tolerated_not_raised():
    odd = {"probability": "high", "shared_words": "scarf", "shared_numbers": None, "run": True}
    assert why_phrases(_pair(odd)) == []


@pytest.mark.parametrize("raw, shown", [("15000", "15,000"), ("2024", "2024"), ("30", "30"),
                                        ("2.5", "2.5"), ("300000000", "300 million"),
                                        ("2500000", "2.5 million"), ("1234567", "1,234,567"),
                                        ("4000000000", "4 billion"), ("n/a", "n/a")])
def test_numbers_are_written_as_a_reader_would(raw, shown):
    assert number_text(raw) == shown


def test_stems_map_back_to_the_words_the_article_wrote():
    assert surface_words(["The Scarves were found by cleaners."]) == {
        "the": "The", "scarv": "Scarves", "wer": "were", "found": "found", "by": "by", "cleaner": "cleaners"}


# -- the HTML export -----------------------------------------------------------------------
def test_export_shows_each_linked_pairs_evidence_in_a_closed_details():
    al = river_pair()
    al.pairs[1].evidence = dict(LINKED, shared_words=["tuesday", "complaint"], shared_numbers=[])
    al.pairs[3].evidence = {"copied": True}
    view = page_view(al)
    whys = [r.why for r in view.rows if r.why]
    assert ["87% likely", "shared: Tuesday, complaints", "4 words in a row", "same order as neighbours"] in whys
    assert ["exact copy: the same words"] in whys and view.has_why
    page = render_html(al)
    assert page.count('<details class="why">') == 2
    assert "<li>shared: Tuesday, complaints</li>" in page
    assert "what links the two sentences" in page          # the legend explains it


def test_export_without_evidence_shows_no_why():
    page = render_html(river_pair())                        # hand-made pairs record nothing
    assert '<details class="why">' not in page and 'class="badge why-badge"' not in page
    assert not page_view(river_pair()).has_why


def test_hostile_evidence_is_escaped_in_the_page():
    al = river_pair()
    al.pairs[1].evidence = HOSTILE
    page = render_html(al)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;" in page
    assert "numbers: &lt;b&gt;7&lt;/b&gt;" in page
    parsed = Tags(page)
    added = Counter(t for t, _ in parsed.tags) - Counter(t for t, _ in Tags(render_html(river_pair())).tags)
    assert set(added) == {"details", "summary", "ul", "li", "span"}  # the why box and its legend line
    assert not any(k.startswith("on") for _, attrs in parsed.tags for k in attrs)


# -- the app: `w` in the diff --------------------------------------------------------------
async def _open_diff_on_changed_row(pilot):
    from reader.tui.widgets.row_list import RowList

    await settle(pilot)
    await pilot.press("j", "d")
    await settle(pilot)
    rl = pilot.app.screen.query_one(RowList)
    n = next(k for k, r in enumerate(rl.rows) if r.status == "changed")
    rl.move_to(n)
    await settle(pilot)
    return rl, n


def _why_lines(app) -> list[str]:
    from reader.tui.widgets.diff_rows import WhyLine

    return [str(w.content) for w in app.screen.query(WhyLine)]


@run_async
async def test_w_shows_the_evidence_under_the_cursor_row_and_hides_it(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        rl, n = await _open_diff_on_changed_row(pilot)
        pair = app.screen.alignment.pairs[rl.rows[n].item.row.pair]
        pair.evidence = dict(LINKED, shared_words=["engineer", "steel"], shared_numbers=["2"])
        assert _why_lines(app) == []
        await pilot.press("w")
        await settle(pilot)
        assert _why_lines(app) == ["why: 87% likely · shared: engineers, steel · numbers: 2 · "
                                   "4 words in a row · same order as neighbours"]
        children = list(rl.children)
        assert children.index(app.screen.query_one("#why")) == children.index(rl.rows[n]) + 1  # right under
        assert "-with-why" in rl.rows[n].classes
        await pilot.press("w")
        await settle(pilot)
        assert _why_lines(app) == [] and "-with-why" not in rl.rows[n].classes


@run_async
async def test_the_why_line_follows_the_cursor_and_survives_a_redraw(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        rl, n = await _open_diff_on_changed_row(pilot)
        await pilot.press("w")
        await settle(pilot)
        statuses = [r.status for r in rl.rows]
        copied = statuses.index("copied")
        app.screen.alignment.pairs[rl.rows[copied].item.row.pair].evidence = {"copied": True}
        rl.move_to(copied)
        await settle(pilot)
        assert _why_lines(app) == ["why: exact copy: the same words"]
        children = list(rl.children)
        assert children.index(app.screen.query_one("#why")) == children.index(rl.rows[copied]) + 1
        rl.move_to(statuses.index("added"))                 # nothing links an added sentence
        await settle(pilot)
        assert _why_lines(app) == []
        pair = rl.rows[copied].item.row.pair
        await pilot.press("s")                              # redraw: every row is new
        await settle(pilot)
        assert app.screen.show_why
        rl.move_to(next(k for k, r in enumerate(rl.rows) if r.item.row and r.item.row.pair == pair))
        await settle(pilot)
        assert _why_lines(app) == ["why: exact copy: the same words"]


@run_async
async def test_why_line_shows_markup_in_article_words_as_text(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        rl, n = await _open_diff_on_changed_row(pilot)
        app.screen.alignment.pairs[rl.rows[n].item.row.pair].evidence = HOSTILE
        await pilot.press("w")
        await settle(pilot)
        [line] = _why_lines(app)
        assert "[bold red]boom[/]" in line and "<script>alert(1)</script>" in line
        spans = app.screen.query_one("#why").content.spans
        assert all("red" not in str(s.style) for s in spans)  # only our own "why:" is styled


@run_async
async def test_w_is_in_the_help_and_the_palette_of_the_diff(tmp_path):
    from reader.tui.screens.help_screen import help_content

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_diff_on_changed_row(pilot)
        assert "what links the selected pair" in help_content().plain
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert any(t.startswith("Why: show / hide") and t.endswith("(w)") for t in titles)
