"""Hints: likely rewrites the aligner did not link (`model.Hint`, `alignment.relink.hints_of`).

A link must be right 95 times in 100, so a paper sentence rewritten far from the wire is
often left "added".  Its most likely source is then offered as a hint: in the JSON
("possible"), in the app (a note on the row, the evidence under `w`) and in the HTML
export (the row's "why").  A hint changes no status and no share.
"""
from __future__ import annotations

import json

from reader.align import align
from reader.alignment.evidence import PairEvidence
from reader.alignment.linker import Candidate, LinkerModel, load_model
from reader.alignment.relink import HINT, hints_of
from reader.articles import article_from_text
from reader.export import render_html
from reader.export.view import page_view
from reader.model import Hint, Pair
from reader.serialise import alignment_json
from reader.why import hint_phrases
from tests.test_export_pairs import river_pair
from tui_support import make_app, run_async, settle

WIRE = """Harbour row over ferry contract

A row broke out today over which company will run the island ferry from next spring.

Seaway Lines claimed a victory by announcing it would be the first to sail the new catamaran, the Morning Star, on the northern route.

The harbour board said it had not signed anything and that talks with both operators were continuing.

The catamaran carries 300 passengers and was built at the Appledore yard in Devon for 12 million pounds.

A Seaway spokesman said: "We have a deal. We have agreed terms with the board."
"""
PAPER = """Ferry firm claims coup

SEAWAY Lines sparked a dispute yesterday after insisting it had won the right to run the island ferry.

Its coup in securing the Morning Star, the catamaran built at Appledore, is seen as a blow to its rival.

The harbour board insisted no deal had been done.

Local traders said they feared higher fares.
"""
EVIDENCE = {"probability": 0.64, "shared_words": ["ferry", "island"], "shared_numbers": [], "run": 3,
            "in_order": False, "number_clash": False}


def _cand(i: int, j: int, p: float) -> Candidate:
    ev = PairEvidence(facts=1.0, names=0.0, numbers=0, number_clash=False, cover_small=0.5, cover_large=0.3,
                      run=2, phrases=1, shared_stems=("ferry",), shared_numbers=())
    return Candidate(i, j, ev, [], p)


def test_each_unlinked_sentence_gets_its_most_likely_counterpart_only():
    model = LinkerModel((), (), threshold=0.9, keep=0.3)
    pairs = [Pair([0], [0], "changed", 0.8)]
    cands = [_cand(1, 1, 0.7), _cand(1, 2, 0.6), _cand(2, 2, 0.55), _cand(0, 3, 0.8),
             _cand(0, 0, 0.85),   # a pair already: both sentences are linked
             _cand(3, 4, 0.95),   # above the threshold: that is a link, not a hint
             _cand(4, 5, HINT - 0.01)]
    got = [(h.left, h.right) for h in hints_of(cands, pairs, model)]
    # right 1 and left 1: (1, 1); right 2: (1, 2) beats (2, 2); left 2: (2, 2); right 3: its
    # partner, left 0, is linked elsewhere, which a wire sentence feeding two of the paper's may be
    assert got == [(0, 3), (1, 1), (1, 2), (2, 2)]
    assert all(h.evidence["probability"] == next(c.p for c in cands if (c.i, c.j) == (h.left, h.right))
               for h in hints_of(cands, pairs, model))


def test_ties_go_to_the_lowest_indices():
    model = LinkerModel((), (), threshold=0.9, keep=0.3)
    held = [Pair([1], [5], "changed", 0.8), Pair([2], [6], "changed", 0.8)]  # only right 0 is free
    got = hints_of([_cand(2, 0, 0.6), _cand(1, 0, 0.6)], held, model)
    assert [(h.left, h.right) for h in got] == [(1, 0)]


def test_a_far_rewrite_is_a_hint_not_a_link():
    al = align(article_from_text(WIRE, "wire.txt"), article_from_text(PAPER, "paper.txt"))
    model = load_model()
    assert al.hints, "the paper's rewritten lead should be offered as a hint"
    held_l = {i for p in al.pairs for i in p.left}
    held_r = {j for p in al.pairs for j in p.right}
    for h in al.hints:
        assert HINT <= h.evidence["probability"] < model.threshold
        assert h.left not in held_l or h.right not in held_r       # it is for a sentence left added
        assert (h.left, h.right) not in {(i, j) for p in al.pairs for i in p.left for j in p.right}
    lead = next(h for h in al.hints if "insisting it had won" in al.right.sentences[h.right].text)
    assert al.right_status[lead.right] == "added"                     # no status changes
    assert "island ferry" in al.left.sentences[lead.left].text
    traders = next(j for j, s in enumerate(al.right.sentences) if s.text.startswith("Local traders"))
    assert all(h.right != traders for h in al.hints)                  # nothing like it on the wire
    out = json.loads(json.dumps(alignment_json(al)))
    assert out["possible"] == [{"left": h.left, "right": h.right, "evidence": h.evidence} for h in al.hints]
    assert out["right"]["sentences"][lead.right]["status"] == "added"


def test_hint_phrases_name_the_other_sentence_then_the_evidence():
    texts = ["The island ferry row.", "Who runs the island ferries?"]
    assert hint_phrases(Hint(1, 2, EVIDENCE), "A #2", texts) == [
        "perhaps reworded from A #2, not linked", "64% likely", "shared: ferry, island", "3 words in a row"]


def test_the_export_says_why_an_added_row_may_still_be_a_rewrite():
    al = river_pair()
    row = next(r for r in page_view(al).rows if r.status == "added" and r.side == "right")
    j = int(row.right[0].key[1:])
    al.hints = [Hint(0, j, dict(EVIDENCE, shared_words=["<script>x</script>"]))]
    row = next(r for r in page_view(al).rows if r.right and r.right[0].key == f"R{j}")
    assert row.status == "added"
    assert row.why[0].startswith("perhaps reworded from A #") and row.why[0].endswith(", not linked")
    assert "64% likely" in row.why
    page = render_html(al)
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x</script>" not in page
    assert page.count('<details class="why">') == 1


@run_async
async def test_w_on_an_added_row_shows_its_hint(tmp_path):
    from reader.tui.widgets.row_list import RowList
    from tests.test_evidence_views import _why_lines

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "d")
        await settle(pilot)
        rl = pilot.app.screen.query_one(RowList)
        n = next(k for k, r in enumerate(rl.rows) if r.status == "added" and r.item.row.right)
        j = rl.rows[n].item.row.right[0]
        app.screen.alignment.hints = [Hint(0, j, dict(EVIDENCE, shared_words=["[bold red]boom[/]"]))]
        rl.move_to(n)
        await pilot.press("w")
        await settle(pilot)
        [line] = _why_lines(app)
        assert line.startswith("maybe: perhaps reworded from sentence 1 of ") and ", not linked · " in line
        assert "64% likely" in line and "[bold red]boom[/]" in line   # article words stay text


def test_the_text_diff_marks_an_added_sentence_with_its_hint(tmp_path):
    from reader.cli.render_text import render_diff

    al = align(article_from_text(WIRE, "wire.txt"), article_from_text(PAPER, "paper.txt"))
    out = tmp_path / "diff.txt"
    render_diff(al, width=200, file=str(out))
    text = out.read_text(encoding="utf-8")
    lead = next(h for h in al.hints if "insisting it had won" in al.right.sentences[h.right].text)
    likely = round(lead.evidence["probability"] * 100)
    assert f"(perhaps from #{lead.left + 1}, {likely}%) SEAWAY Lines sparked" in text
    assert "(perhaps from" not in next(line for line in text.splitlines() if "Local traders" in line)


def test_hints_are_looked_up_per_sentence_without_a_scan_per_row():
    import time

    from reader.articles import article_from_sentences

    n = 20_000
    art = article_from_sentences([f"Sentence number {k} here." for k in range(3)], "a")
    al = align(art, art)
    al.hints = [Hint(k, n - 1 - k, EVIDENCE) for k in range(n)]
    t = time.perf_counter()
    found = [al.hints_at("right", [j]) for j in range(n)]   # one lookup per row, as the views do
    assert time.perf_counter() - t < 5.0                      # a scan per row: 400 million steps
    assert all(h.right == j for j, hs in enumerate(found) for h in hs) and all(len(hs) == 1 for hs in found)
    al.hints = [Hint(1, 2, EVIDENCE)]                         # replaced: the index follows
    assert al.hints_at("left", [0, 1]) == al.hints and al.hints_at("right", [1]) == []
