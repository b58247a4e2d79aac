"""Clause splitting and partial-reuse spans on small hand-written pairs."""
from hypothesis import given, settings
from hypothesis import strategies as st

from reader import normalise
from reader.align import AlignOptions, align
from reader.articles import article_from_text, load_article
from reader.alignment.clauses import UnitParts, _clause_words, _shares_run, clause_view, details, split_clauses
from reader.normalise import stem
from reader.options import stopwords
from support import longest_common_run


def texts(text, spans):
    return [text[a:b] for a, b in spans]


def test_split_on_punctuation_and_attribution_tail():
    t = "Putin will visit China on May 16-17, the Kremlin said on Tuesday, using his first trip abroad."
    assert texts(t, split_clauses(t)) == ["Putin will visit China on May 16-17", "the Kremlin said on Tuesday",
                                         "using his first trip abroad"]


def test_short_pieces_fold_into_neighbours():
    t = "China and Russia declared a partnership in February."
    assert texts(t, split_clauses(t)) == ["China and Russia declared a partnership in February"]


def test_split_before_joining_words_and_quotes():
    t = 'They will "identify key areas for cooperation, and exchange views on pressing issues."'
    got = texts(t, split_clauses(t))
    assert got == ["They will", "identify key areas for cooperation", "and exchange views on pressing issues"] or \
        got == ["They will \"identify key areas for cooperation", "and exchange views on pressing issues"]


def test_offset_is_added():
    t = "One two three, four five six."
    assert split_clauses(t, 100) == [(100, 113), (115, 128)]


def test_stem_and_run():
    assert stem("signed") == stem("signing") == stem("sign") == "sign"
    assert stem("75th") == "75"


def _parts(text: str) -> UnitParts:
    words = tuple(normalise.words(text))
    return UnitParts(text, words, frozenset(map(stem, words)), stopwords())


@given(st.lists(st.sampled_from("the a cat sat on mat and dog".split()), max_size=25),
       st.lists(st.sampled_from("the a cat sat on mat and dog".split()), min_size=1, max_size=25),
       st.integers(1, 4))
@settings(max_examples=300, deadline=None)
def test_shared_run_check_equals_the_longest_run_definition(a, b, n):
    dst = _parts(" ".join(b))
    assert _shares_run(a, dst, n) == (longest_common_run(a, list(details(dst).every)) >= n)


def test_clause_words_are_the_stems_inside_the_span():
    p = _parts("Putin and Xi will sign a joint statement, the Kremlin said on Tuesday.")
    for span in clause_view(p)[0]:
        d = details(p)
        assert _clause_words(p, span) == [w for w, a in zip(d.every, d.starts) if span[0] <= a < span[1]]


def test_topic_words_alone_do_not_link():
    a = article_from_text("The harbour authority said the terminal is busy.\n\nCargo rose in May at the port.\n", "a.txt")
    b = article_from_text("Fishermen at the harbour said prices fell, while the weather was calm.\n", "b.txt")
    al = align(a, b, AlignOptions())
    assert al.pairs == []
    assert set(al.right_status) == {"added"}


# The clause view of a sentence, by its plain definition: every word's stem, where each
# word starts, which words are content words, the lower-case content stems, and for
# each clause the content stems that start inside it.  `details`/`clause_view` are
# written for speed (one stem call per word, one pass over the clauses); they must agree.
def _plain_view(text):
    words = tuple(normalise.words(text))
    stop = stopwords()
    spans = normalise.word_spans(text)
    stems = [(stem(w), a) for w, (a, _) in zip(words, spans) if w not in stop]
    every = tuple(stem(w) for w in words)
    starts = tuple(a for a, _ in spans)
    content = tuple(k for k, w in enumerate(words) if w not in stop)
    facts = frozenset(s for s, a in stems if not text[a].isupper())
    cl = tuple(split_clauses(text))
    return every, starts, content, facts, cl, tuple(frozenset(s for s, x in stems if a <= x < b) for a, b in cl)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Putin", "and", "Xi", "signed", "a", "joint", "statement", ",", ";", "—",
                                 "(", ")", "\u201c", "which", "26.3%", "U.S.", "world", "view", "leaders",
                                 "after", "talks", "in", "Beijing", "-", ":", "the", "75th"]),
                max_size=30))
def test_clause_view_matches_plain_definition(tokens):
    text = " ".join(tokens)
    p = UnitParts(text, tuple(normalise.words(text)), frozenset(), stopwords())
    d = details(p)
    assert (d.every, d.starts, d.content, d.facts, *clause_view(p)) == _plain_view(text)


def test_clause_view_matches_plain_definition_on_seeds(seeds):
    for path in sorted(seeds.glob("*.txt")):
        for s in load_article(path).sentences:
            p = UnitParts(s.text, tuple(normalise.words(s.text)), frozenset(), stopwords())
            d = details(p)
            assert (d.every, d.starts, d.content, d.facts, *clause_view(p)) == _plain_view(s.text), s.text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["AND", "And", "and", "Which", "WHILE", "according", "TO", "As", "well", "as",
                                 "sandwich", "Despite", "x", ",", "İ", "ſ", "K", "Band", "after-", "é"]),
                max_size=20).map(" ".join) | st.text(max_size=40))
def test_join_words_found_as_the_ignorecase_pattern_finds_them(text):
    from reader.alignment.clauses import _JOIN, _join_starts

    assert _join_starts(text) == [m.start() for m in _JOIN.finditer(text)]
