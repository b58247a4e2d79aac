"""Articles from the seeds: metadata found, noise stripped with reasons, title kept apart."""
from __future__ import annotations

from reader.articles import article_from_text, load_article

from support import seed


def test_title_and_date_are_metadata():
    a = load_article(seed("001"))
    assert a.title == "Putin to visit China on May 16-17 to deepen partnership with Xi Jinping"
    assert a.date_iso == "2024-05-14"
    assert a.sentences[0].kind == "title"
    assert a.title not in a.body
    b = load_article(seed("004"))
    assert b.date_iso == "2024-05-14" and b.title is None


def test_stripped_lines_keep_their_reason_and_position():
    a = load_article(seed("001"))
    reasons = {s.text: s.reason for s in a.stripped}
    assert "ADVERTISEMENT" in reasons and "Follow Us :" in reasons
    for s in a.stripped:
        assert a.text[s.start:s.end] == s.text
    assert "ADVERTISEMENT" not in a.body


def test_sentences_never_overlap_stripped_lines():
    for p in ("000", "001", "002", "003", "004"):
        a = load_article(seed(p))
        cuts = [(s.start, s.end) for s in a.stripped]
        for s in a.sentences:
            assert a.text[s.start:s.end] == s.text
            assert not any(x < s.end and s.start < y for x, y in cuts)


def test_first_words_stand_in_for_a_missing_title():
    a = article_from_text("A body line that is a whole sentence. And another one follows here.", "x.txt")
    assert a.title is None
    assert a.display_title.startswith("A body line")


def test_article_from_sentences_keeps_each_sentence_at_its_offsets():
    from reader.articles import article_from_sentences

    art = article_from_sentences(["One sentence.", "Another, “quoted” one."], "x")
    assert [art.text[s.start:s.end] for s in art.sentences] == ["One sentence.", "Another, “quoted” one."]
    assert art.body_lines == [(s.start, s.end) for s in art.sentences] and art.path == "x"
