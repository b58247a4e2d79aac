"""Clause splitting and partial-reuse spans on small hand-written pairs."""
from reader.align import AlignOptions, align
from reader.articles import article_from_text
from reader.clauses import longest_run, split_clauses
from reader.normalise import stem


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
    assert longest_run("a b c d".split(), "x b c d y".split()) == 3
    assert longest_run([], ["a"]) == 0


def test_topic_words_alone_do_not_link():
    a = article_from_text("The harbour authority said the terminal is busy.\n\nCargo rose in May at the port.\n", "a.txt")
    b = article_from_text("Fishermen at the harbour said prices fell, while the weather was calm.\n", "b.txt")
    al = align(a, b, AlignOptions())
    assert al.pairs == []
    assert set(al.right_status) == {"added"}
