"""The folder matrix: values on a hand-made folder, provenance and dates, agreement with align."""
from __future__ import annotations

import pytest

from reader.align import align
from reader.articles import article_from_text, load_articles
from reader.folder.matrix import MatrixCancelled, build_matrix, summarise, summarise_pair

S1 = "Regional ministers approved the harbour expansion plan after a marathon session on Tuesday."
S2 = "The project will create about four thousand jobs over the next decade, officials said."
S3 = "Environmental groups warned that dredging could harm the estuary's seal colony."
S4 = "The mayor declined to comment on the final cost of the scheme when asked by reporters."
S2_EDITED = "The project will create roughly four thousand jobs over the next decade, officials said."
OWN_B = ["Dockworkers in the northern district welcomed the decision with cautious optimism.",
         "A union spokeswoman recalled a similar promise broken fifteen years ago."]
OWN_C = ["Shipping companies have long lobbied for deeper channels to serve larger vessels."]
OWN_D = ["A local bakery won a national prize for its rye bread on Sunday afternoon.",
         "The judges praised the crust and the sourdough starter kept since 1952."]


TITLES = {"a": "Harbour plan gets green light", "b": "Dockers cheer port decision",
          "c": "Shipping lobby wins channel battle", "d": "Bakery takes rye bread crown"}


def art(name, date, *body):
    dateline = f"Published: {date}\n\n" if date else ""
    return article_from_text(f"{TITLES[name]}\n\n{dateline}" + "\n\n".join(body) + "\n", name, rules=None)


def words(*sents):
    return sum(len(s.split()) for s in sents)


@pytest.fixture
def folder():
    a = art("a", "2024-03-01", S1, S2, S3, S4)
    b = art("b", "2024-03-02", S1, OWN_B[0], S3, OWN_B[1])
    c = art("c", None, S2_EDITED, OWN_C[0])
    d = art("d", "2024-03-01", *OWN_D)
    return [a, b, c, d]


def test_cells_are_directional_shares_of_the_row_articles_words(folder):
    m = build_matrix(folder)
    a_words = words(S1, S2, S3, S4)
    b_words = words(S1, S3, *OWN_B)
    ba, ab = m.cell(1, 0), m.cell(0, 1)
    assert ba.copied == pytest.approx(words(S1, S3) / b_words)
    assert ab.copied == pytest.approx(words(S1, S3) / a_words)
    assert ba.changed == ab.changed == 0
    ca = m.cell(2, 0)
    assert ca.copied == 0
    assert ca.changed == pytest.approx(words(S2_EDITED) / words(S2_EDITED, *OWN_C))
    for x in range(3):
        assert m.cell(3, x).total == 0 and m.cell(x, 3).total == 0
    assert m.cell(1, 2).total == 0   # b and c share nothing
    assert (3, 0) not in m.cells


def test_provenance_names_the_earliest_and_says_when_it_cannot(folder):
    m = build_matrix(folder)
    b_s1 = next(p for s, p in zip(folder[1].sentences, m.provenance[1]) if s.text == S1)
    assert [(k.article, k.status) for k in b_s1.shared] == [(0, "copied")]
    assert (b_s1.verdict, b_s1.source) == ("earliest", 0)
    a_s2 = next(p for s, p in zip(folder[0].sentences, m.provenance[0]) if s.text == S2)
    assert [(k.article, k.status) for k in a_s2.shared] == [(2, "changed")]
    assert a_s2.verdict == "undated" and a_s2.source is None and a_s2.candidates == [0, 2]
    own = next(p for s, p in zip(folder[1].sentences, m.provenance[1]) if s.text == OWN_B[0])
    assert own.verdict == "unshared" and not own.shared
    assert m.taken_share(1) == pytest.approx(m.cell(1, 0).total)
    assert m.taken_share(0) == 0 and m.given_count(0) == 1


def test_same_date_is_a_tie_not_a_guess():
    a = art("a", "2024-03-01", S1, S3)
    b = art("b", "2024-03-01", S1, OWN_B[0])
    m = build_matrix([a, b])
    p = next(p for s, p in zip(a.sentences, m.provenance[0]) if s.text == S1)
    assert p.verdict == "same date" and p.source is None and p.candidates == [0, 1]


def test_cells_agree_with_align_on_the_seeds(seeds):
    arts, _ = load_articles([seeds], None)
    m = build_matrix(arts)
    for x in range(len(arts)):
        for y in range(x + 1, len(arts)):
            al = align(arts[x], arts[y])
            left, right = al.word_shares("left"), al.word_shares("right")
            assert m.cell(x, y).copied == pytest.approx(left["copied"])
            assert m.cell(x, y).changed == pytest.approx(left["changed"])
            assert m.cell(y, x).copied == pytest.approx(right["copied"])
            assert m.cell(y, x).changed == pytest.approx(right["changed"])


def test_the_matrix_aligns_without_highlights_and_keeps_every_link(seeds):
    """`summarise_pair` (align's highlights=False) gives what summarising the full alignment
    gives, and the alignment differs only by its pairs' offsets (left empty)."""
    arts, _ = load_articles([seeds], None)

    def view(p):
        return p.left, p.right, p.status, p.score, p.method, p.evidence

    marked = reused = 0
    for x in range(len(arts)):
        for y in range(len(arts)):
            if x == y:
                continue
            full, plain = align(arts[x], arts[y]), align(arts[x], arts[y], highlights=False)
            assert summarise_pair(arts[x], arts[y]) == summarise(full) == summarise(plain)
            assert (plain.left_status, plain.right_status) == (full.left_status, full.right_status)
            assert [view(p) for p in plain.pairs] == [view(p) for p in full.pairs]
            assert not any(p.left_marks or p.right_marks or p.reused_left or p.reused_right for p in plain.pairs)
            marked += sum(bool(p.left_marks or p.right_marks) for p in full.pairs)
            reused += sum(bool(p.reused_left) for p in full.pairs)
    assert marked and reused  # the seeds have edited words and reused clauses to leave out


def test_seeds_matrix_shows_what_a_reader_sees(seeds):
    arts, _ = load_articles([seeds], None)
    m = build_matrix(arts)
    n = {a.name[:3]: k for k, a in enumerate(arts)}
    assert m.cell(n["001"], n["000"]).total > 0.6
    assert m.cell(n["004"], n["000"]).total > 0.6 and m.cell(n["004"], n["001"]).total > 0.5
    for other in ("000", "001", "003", "004"):
        assert m.cell(n["002"], n[other]).total < 0.3
        assert m.cell(n["002"], n[other]).total < m.cell(n["004"], n["000"]).total / 2


def test_progress_and_cancel(folder):
    seen = []
    build_matrix(folder, progress=lambda done, total, stage: seen.append((stage, done, total)))
    assert ("index", 4, 4) in seen and seen[-1][0] == "align" and seen[-1][1] == seen[-1][2]
    with pytest.raises(MatrixCancelled):
        build_matrix(folder, should_stop=lambda: True)


def test_worker_processes_give_the_same_matrix(seeds, monkeypatch):
    import reader.folder.matrix as matrix_module

    arts, _ = load_articles([seeds], None)
    monkeypatch.setattr(matrix_module, "PROCESS_MIN_PAIRS", 0)
    one = build_matrix(arts)
    two = build_matrix(arts, workers=2)
    assert two.cells == one.cells and one.cells
    assert [[p.shared for p in per] for per in two.provenance] == [[p.shared for p in per] for per in one.provenance]


def test_partial_matrices_report_each_aligned_pair_once_with_its_final_cells(seeds):
    arts, _ = load_articles([seeds], None)
    seen: list[tuple[int, int]] = []
    snapshots = []

    def partial(m, pairs):
        assert not set(pairs) & set(seen)          # each pair is new when reported
        seen.extend(pairs)
        snapshots.append((m, list(seen)))

    final = build_matrix(arts, partial=partial, partial_seconds=0)
    assert snapshots and len(seen) < len(arts) * (len(arts) - 1) // 2 + 1
    for m, done in snapshots:
        for a, b in done:                          # a reported pair has its final cells already
            assert m.cell(a, b) == final.cell(a, b) and m.cell(b, a) == final.cell(b, a)
    assert snapshots[-1][0].cells != final.cells   # the last pair comes with the result, not before
