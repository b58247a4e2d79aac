"""The sentence index: candidates found, common keys capped, verification agrees with align."""
from __future__ import annotations

from reader.align import AlignOptions, align
from reader.articles import article_from_text, load_articles
from reader.folder.sentence_index import IndexOptions, build_index, candidate_pairs, linked_articles, verify

WIRE = ("Regional ministers approved the harbour expansion plan after a marathon session "
        "on Tuesday evening in Rotterdam.")
EDITED = ("Regional ministers approved the harbour expansion project after a marathon session "
          "on Tuesday evening in Rotterdam.")
OTHER = "Farmers protested against new fertiliser quotas outside the parliament building."


def art(name: str, *body: str, title: str | None = None) -> object:
    title = title or f"Headline{name} about topic{name} today{name}"
    return article_from_text(title + "\n\n" + "\n\n".join(body) + "\n", name, rules=[])


def where(idx, article: int, text: str) -> int:
    """Index (in the sentence index) of the sentence of `article` with this text."""
    return next(k for k, s in enumerate(idx.sents)
                if s.article == article and idx_text(idx, k) == text)


_TEXTS: dict = {}


def idx_text(idx, k):
    return _TEXTS[id(idx)][k]


def index(arts, options=None):
    idx = build_index(arts, options)
    _TEXTS[id(idx)] = [arts[s.article].sentences[s.index].text for s in idx.sents]
    return idx


def test_exact_and_edited_copies_are_candidates_unrelated_is_not():
    arts = [art("a", WIRE, "The mayor did not comment on the figures released."),
            art("b", "Dockworkers welcomed the decision with cautious optimism.", WIRE),
            art("c", EDITED),
            art("d", OTHER)]
    idx = index(arts)
    cands = candidate_pairs(idx)
    a, b, c = where(idx, 0, WIRE), where(idx, 1, WIRE), where(idx, 2, EDITED)
    assert (a, b) in cands
    assert (a, c) in cands
    d = where(idx, 3, OTHER)
    assert not any(d in pair for pair in cands)
    pairs, stats = linked_articles(idx)
    assert pairs == {(0, 1), (0, 2), (1, 2)}
    assert stats["candidate_pairs"] == len(cands)


def test_common_word_pairs_are_capped():
    # Sixty articles share only "prime minister" (plus stopwords); each sentence is otherwise unique.
    arts = [art(f"n{k}", f"The prime minister visited district{k} and village{k} and hamlet{k} today.")
            for k in range(60)]
    capped = index(arts, IndexOptions(cap_min=10, cap_fraction=0.0))
    assert capped.capped_keys >= 1
    assert candidate_pairs(capped, IndexOptions(cap_min=10, cap_fraction=0.0)) == set()
    uncapped = index(arts, IndexOptions(cap_min=1000, cap_fraction=0.0, min_overlap=0.0))
    assert len(candidate_pairs(uncapped, IndexOptions(min_overlap=0.0))) == 60 * 59 // 2


def test_short_sentence_is_probed_through_scattered_words():
    # Two content words only, far apart in the other sentence: no word pair is shared.
    short = art("s", "It was about the refinery and all of the strikes.")
    long_ = art("l", "Strikes, said the union leaders, were planned near the old coastal refinery.")
    idx = index([short, long_])
    k1 = where(idx, 0, short.sentences[1].text)
    k2 = where(idx, 1, long_.sentences[1].text)
    assert (k1, k2) in candidate_pairs(idx)
    assert (k1, k2) not in candidate_pairs(idx, IndexOptions(short=0))


def test_titles_match_titles_only():
    arts = [art("a", "Body sentence about the harbour expansion plan approved today.", title=WIRE[:60]),
            art("b", WIRE[:60] + " and more words follow here.")]
    idx = index(arts)
    for k1, k2 in candidate_pairs(idx):
        assert idx.sents[k1].title == idx.sents[k2].title


def test_verify_passes_every_link_align_makes_on_the_seeds(seeds):
    arts, _ = load_articles([seeds], None)
    idx = build_index(arts)
    pos = {(s.article, s.index): k for k, s in enumerate(idx.sents)}
    opt = AlignOptions()
    checked = 0
    for a in range(len(arts)):
        for b in range(a + 1, len(arts)):
            for p in align(arts[a], arts[b], opt).pairs:
                if p.method != "lexical" or len(p.left) != 1 or len(p.right) != 1:
                    continue   # clause-level and split/merge links are not sentence-to-sentence scores
                assert verify(idx, pos[(a, p.left[0])], pos[(b, p.right[0])], opt, 0.0) > 0, (a, b, p)
                checked += 1
    assert checked > 20


def test_linked_articles_cover_every_seed_pair_align_links(seeds):
    arts, _ = load_articles([seeds], None)
    found, _ = linked_articles(build_index(arts))
    for a in range(len(arts)):
        for b in range(a + 1, len(arts)):
            if align(arts[a], arts[b]).pairs:
                assert (a, b) in found


def test_the_range_expansion_of_no_groups_is_empty():
    """No candidate group at all (a corpus whose articles had no usable sentences) gives an
    empty expansion, not an index error; it crashed test_matrix_archive when a leaked input
    option left its corpus without articles."""
    import numpy as np

    from reader.folder.sorted_arrays import ranges as _ranges

    assert _ranges(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).tolist() == []
    assert _ranges(np.array([3, 10]), np.array([2, 3])).tolist() == [3, 4, 10, 11, 12]
