"""Hard-wrapped text (wire copy, e-mail, PDF pastes) is read paragraph by paragraph.

A paragraph broken into lines at ~60-80 columns must give the same sentences as the
same paragraph on one line, each sentence's offsets must still index the file's text
(`text[start:end]`, with the wraps' newlines as spaces, is the sentence's text), and
text that is not hard-wrapped (one paragraph per line, the seeds, the dev pages, the
METER files) must not change at all.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.articles import WRAPPED_NOTE, article_from_text
from reader.cleaning import clean_text, line_spans
from reader.loading import read_text
from reader.rules import load_rules
from reader.wrapping import join_hyphens, unwrap, views, wrap_joins

from support import SEEDS, SHARED

STORY = [
    "LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE",
    "By Jane Example, Maritime Correspondent, PA News",
    "A lighthouse keeper who rowed out in a force nine gale to save two fishermen was "
    "today given a bravery award by the Royal Humane Society in London.",
    "Tom Sample, 61, reached the stricken boat off Harbour Point after its engine failed "
    "in the storm, and towed it back to the harbour with both men aboard, the society said.",
    "\"I only did what anyone would have done,\" said Mr Sample, who has kept the light "
    "for more than thirty years and plans to retire next spring to the village where he grew up.",
    "The two fishermen, who were treated in hospital for exposure, were said to be recovering "
    "well at home tonight after their long ordeal at sea.",
]


def _wrapped(paragraphs: list[str], width: int, indent: str = "") -> str:
    """The paragraphs wrapped at `width`: blank lines between them, or (with `indent`)
    none, each paragraph's first line indented instead."""
    if indent:
        return "\n".join(textwrap.fill(p, width, initial_indent=indent) for p in paragraphs) + "\n"
    return "\n\n".join(textwrap.fill(p, width) for p in paragraphs) + "\n"


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _assert_offsets(text: str, art) -> None:
    """Each sentence is the file's text at its offsets, wraps read as spaces."""
    for s in art.sentences:
        assert len(s.text) == s.end - s.start
        assert s.text == text[s.start:s.end].replace("\n", " "), (s.text, text[s.start:s.end])


@pytest.fixture(scope="module")
def rules():
    return load_rules(include_user=False)


@pytest.mark.parametrize("width", [60, 66, 72])
@pytest.mark.parametrize("indent", ["", "    "])
def test_a_wrapped_story_gives_the_sentences_of_the_unwrapped_one(rules, width, indent):
    flat = "\n\n".join(STORY) + "\n" if not indent else "\n".join(indent + p for p in STORY) + "\n"
    wrapped = _wrapped(STORY, width, indent)
    before, after = article_from_text(flat, rules=rules), article_from_text(wrapped, rules=rules)
    assert [_squeeze(s.text) for s in after.sentences] == [_squeeze(s.text) for s in before.sentences]
    assert len(after.sentences) == 5  # the headline and four one-sentence paragraphs
    assert after.title == "LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE"
    assert after.byline == "Jane Example, Maritime Correspondent, PA News"
    assert all("\n" not in s.text for s in after.sentences)
    assert any("\n" in wrapped[s.start:s.end] for s in after.sentences)
    _assert_offsets(wrapped, after)
    assert WRAPPED_NOTE in after.notes and WRAPPED_NOTE not in before.notes


def test_each_wrapped_paragraph_is_one_line_for_the_cleaner(rules):
    wrapped = _wrapped(STORY, 64)
    cleaned = clean_text(wrapped, rules)
    assert cleaned.unwrapped is not None and len(cleaned.unwrapped) == len(wrapped)
    body = [" ".join(cleaned.unwrapped[a:b].split()) for a, b in cleaned.body_lines]
    assert body == STORY[2:]
    assert clean_text("\n\n".join(STORY), rules).unwrapped is None


def test_a_hyphen_at_a_wrap_stays_but_the_judged_word_is_whole():
    para = ("The president's campaign for re-election was described as a well-known story by "
            "the long-term observers of the scene in the region, who said that it would end soon "
            "enough for everyone involved in it. Officials declined to comment on Tuesday.")
    text = textwrap.fill(para, 30) + "\n\n" + textwrap.fill(para, 30) + "\n"
    assert "long-\nterm" in text
    joins = wrap_joins(text)
    flat = unwrap(text, joins)
    judged = join_hyphens(flat, joins)
    assert "long- term" in flat and "long-term" in judged
    assert len(flat) == len(judged) == len(text)
    assert line_spans(flat) == line_spans(judged)
    art = article_from_text(text)
    _assert_offsets(text, art)
    assert {_squeeze(s.text) for s in art.sentences} == {
        _squeeze(para.split(" Officials")[0]), _squeeze("Officials declined to comment on Tuesday.")}


def test_list_items_labels_and_indented_paragraphs_are_not_joined():
    text = ("The council published its plans for the new harbour on Monday, and listed\n"
            "the works it expects to finish before the end of the summer season this year:\n"
            "- dredging the inner basin and rebuilding the old wall on the north side\n"
            "- a new slipway for the lifeboat, which has been waiting for one since\n"
            "the storm of last winter damaged the old one beyond repair, officials said\n"
            "READ ALSO: Harbour master retires after forty years in the job at the port\n"
            "    The work will be paid for by the county and by a grant from the fund set\n"
            "up after the storm, which raised more than two million pounds in a year.\n")
    flat = unwrap(text)
    lines = [ln.strip() for ln in flat.split("\n") if ln.strip()]
    assert lines == [
        "The council published its plans for the new harbour on Monday, and listed the works it "
        "expects to finish before the end of the summer season this year:",
        "- dredging the inner basin and rebuilding the old wall on the north side",
        "- a new slipway for the lifeboat, which has been waiting for one since the storm of last "
        "winter damaged the old one beyond repair, officials said",
        "READ ALSO: Harbour master retires after forty years in the job at the port",
        "The work will be paid for by the county and by a grant from the fund set up after the "
        "storm, which raised more than two million pounds in a year.",
    ]


def test_a_dash_inside_a_wrapped_sentence_continues_it():
    text = ("He would play games of hide and seek with the children and meet them after hours\n"
            "- although, apart from one incident, none complained of any abuse at the time,\n"
            "the court heard on the second day of the trial at the crown court in the city.\n\n"
            "The trial continues tomorrow, when the defence is expected to call its first\n"
            "witness, a former colleague of the accused who worked with him for many years.\n")
    assert len([ln for ln in unwrap(text).split("\n") if ln.strip()]) == 2


NOT_WRAPPED = {
    "one paragraph per line": "\n".join(STORY) + "\n",
    "a column of headlines": "\n".join([
        "Harbour master retires after forty years in the job at the port",
        "Council publishes its plans for the new harbour and the old wall",
        "Lifeboat crew called out twice in one night as storm hits the coast",
        "Fishermen rescued by lighthouse keeper in force nine gale off point",
        "County to pay for new slipway with grant from storm relief fund",
    ]) + "\n",
    "one sentence per line": "\n".join([
        "The council published its plans for the new harbour on Monday.",
        "Work on the inner basin will start in the spring, it said.",
        "The lifeboat crew has waited for a new slipway since the storm.",
        "A grant from the relief fund will pay for most of the works.",
        "The harbour master said he was delighted with the plans for it.",
    ]) + "\n",
    "a menu": "Home\nNews\nSport\nWeather\nIn pictures\nContact us\n",
}


@pytest.mark.parametrize("name", sorted(NOT_WRAPPED))
def test_text_that_is_not_hard_wrapped_is_left_alone(name):
    text = NOT_WRAPPED[name]
    assert wrap_joins(text) == []
    flat, judged = views(text)
    assert flat is text and judged is text


def _seed_paragraphs(path: Path) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8")
    return text, [p for p in text.split("\n") if p.strip()]


SEED_FILES = sorted(SEEDS.glob("*.txt"))


@pytest.mark.parametrize("width", [60, 64, 68, 72])
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_wrapped_seeds_give_the_same_sentences(rules, path, width):
    text, paragraphs = _seed_paragraphs(path)
    assert wrap_joins(text) == []
    before = article_from_text(text, rules=rules)
    for wrapped, plain in ((_wrapped(paragraphs, width), text),
                           (_wrapped(paragraphs, width, "    "), "\n".join("    " + p for p in paragraphs))):
        after = article_from_text(wrapped, rules=rules)
        base = before if plain is text else article_from_text(plain, rules=rules)
        assert [_squeeze(s.text) for s in after.sentences] == [_squeeze(s.text) for s in base.sentences]
        assert [s.kind for s in after.sentences] == [s.kind for s in base.sentences]
        _assert_offsets(wrapped, after)


def test_diff_of_a_wrapped_seed_with_its_original_is_all_copied(tmp_path):
    original = SEEDS / "003_13c2d92e542bc94b.txt"
    _, paragraphs = _seed_paragraphs(original)
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text(_wrapped(paragraphs, 66), encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "reader", "diff", str(wrapped), str(original), "--format", "json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    text = wrapped.read_text(encoding="utf-8")
    assert d["left"]["sentences"] and len(d["left"]["sentences"]) == len(d["right"]["sentences"])
    for s in d["left"]["sentences"]:
        assert s["status"] == "copied", s["text"]
        assert s["text"] == text[s["start"]:s["end"]].replace("\n", " ")
    assert all(s["status"] == "copied" for s in d["right"]["sentences"])


# Words of two letters or more: a wrapped line that starts "a. " reads as a list item
# ("a. the first point"), which wrapping deliberately never joins (hypothesis found it).
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
SENTENCE = st.lists(WORDS, min_size=4, max_size=18).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPH = st.lists(SENTENCE, min_size=2, max_size=6).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(st.lists(PARAGRAPH, min_size=2, max_size=5), st.integers(min_value=50, max_value=90))
def test_unwrapping_a_greedy_wrap_gives_back_the_paragraphs(paragraphs, width):
    text = _wrapped(paragraphs, width)
    flat = unwrap(text)
    if flat is text:  # too little evidence (e.g. every paragraph fits on two lines): nothing changes
        assert wrap_joins(text) == []
        return
    assert [" ".join(ln.split()) for ln in flat.split("\n") if ln.strip()] == paragraphs


PIECES = st.lists(st.sampled_from(list("ab -.\n") + ["Word", "re-", "  ", "\n    ", "- "]), max_size=150).map("".join)
HYPHENATED = st.lists(st.one_of(WORDS, st.sampled_from(["re-election", "long-term", "well-known", "- ", "A."])),
                      min_size=20, max_size=80).map(" ".join)
WRAPPED = st.tuples(st.lists(HYPHENATED, min_size=1, max_size=4), st.integers(20, 90), st.sampled_from(["", "  "])
                    ).map(lambda t: _wrapped(*t))


@settings(max_examples=200, deadline=None)
@given(st.one_of(PIECES, WRAPPED))
def test_views_keep_length_lines_and_every_character_but_wrapped_newlines(text):
    flat, judged = views(text)
    assert len(flat) == len(judged) == len(text)
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(text, flat))
    assert line_spans(flat) == line_spans(judged)
    assert sorted(judged) == sorted(flat)


def _pages() -> list[Path]:
    return sorted((SHARED / "cleaning" / "pages").glob("*.txt"))


def test_dev_pages_change_only_where_they_are_hard_wrapped():
    """The 181 dev pages: where a page is hard-wrapped (one is), every joined paragraph
    is a paragraph of the gold body; elsewhere nothing is joined."""
    pages = _pages()
    if not pages:
        pytest.skip("cleaning dev set not found beside the repo")
    gold = json.loads((SHARED / "cleaning" / "gold.json").read_text(encoding="utf-8"))
    for page in pages:
        text, _ = read_text(page)
        joins = wrap_joins(text)
        flat = unwrap(text, joins)
        body = " ".join(gold[page.stem]["body"].split())
        for k in joins:
            a, b = flat.rfind("\n", 0, k) + 1, flat.find("\n", k)
            assert " ".join(flat[a:b].split()) in body, (page.name, flat[a:b])


def test_meter_files_are_not_hard_wrapped():
    files = sorted(Path("/tmp/meter/all").glob("*.txt")) + sorted(Path("/tmp/meter/files").glob("*.txt"))
    if not files:
        pytest.skip("METER texts not built at /tmp/meter (see ../shared/meter/README.md)")
    assert [f.name for f in files if wrap_joins(f.read_text(encoding="utf-8"))] == []


def test_text_diff_shows_a_wrapped_sentence_like_its_unwrapped_copy(tmp_path):
    """The terminal view prints a wrapped sentence as one flowing line: with equal columns,
    each row's left half reads as its right half (the original, one paragraph per line)."""
    original = sorted(SEEDS.glob("000_*.txt"))[0]
    paras = [p for p in original.read_text(encoding="utf-8").split("\n") if p.strip()]
    wrapped = tmp_path / "wrapped.txt"
    wrapped.write_text("\n\n".join(textwrap.fill(p, 60) for p in paras) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "reader", "diff", str(wrapped), str(original), "--width", "121"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    body = lines[next(k for k, r in enumerate(lines) if r.strip().startswith("─")) + 1:]
    col = next(r for r in body if "    =    " in r).index("    =    ")
    rows = [r for r in body if len(r) > col + 9 and r[col:col + 9].strip() in ("", "=") and r[:col].strip()]
    assert len(rows) > 20
    for r in rows:  # "payment-and- settlement": a hyphen at a wrap keeps its space (see above)
        assert "".join(r[:col].split()) == "".join(r[col + 9:].split()), r
