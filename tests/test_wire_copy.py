"""Wire-copy furniture (news agency copy such as the Press Association's) is noise.

Agency copy carries lines for the newsdesk, not the reader: bylines with a job title,
bracketed notes ("(reopens)", "(corrected repetition ...)", "(Memo to CSEs: ...)"),
sign-offs ("ends", "MORE FOLLOWS"), embargo lines, notes to editors, the agency's
name alone, catchlines and markup left over from the wire system.  Each must be
stripped with its own reason (bylines kept as metadata), while the story's sentences
and headlines, and lines of web pages that merely look alike, stay.

The stories below are invented in the wire's layout (no corpus text is stored here);
`test_meter_wire_files` checks the real METER wire files when they have been built.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from reader.articles import article_from_text
from reader.cleaning import byline_text, clean_text
from reader.rules import first_match, load_rules

WIRE_STORY = """\
(corrected repetition, substituting "Harbour" for "Harbor" in second par)

LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE

By Jane Example, Maritime Correspondent, PA News

A lighthouse keeper who rowed out in a force nine gale to save two fishermen was today given a bravery award.

Tom Sample, 61, reached the stricken boat off Harbour Point after its engine failed in the storm.

(reopens)

The Royal Humane Society said his courage had saved both men's lives.

"I only did what anyone would have done," he said.

ends
"""

FURNITURE = [
    ("(reopens)", "wire-editorial-note"),
    ("(Reopens)", "wire-editorial-note"),
    ("(Pic later)", "wire-editorial-note"),
    ("(with pics)", "wire-editorial-note"),
    ('(corrected repetition, substituting "Anna" for "Anne" in fourth par)', "wire-editorial-note"),
    ("(corrects spelling in 3rd par)", "wire-editorial-note"),
    ("(Memo to CSEs: Note contents of para four.)", "wire-editorial-note"),
    ("(ADVISORY: note nature of contents)", "wire-editorial-note"),
    ("(supersedes item in PEOPLE Pars)", "wire-editorial-note"),
    ("(see SPORT Regatta)", "wire-editorial-note"),
    ("(Magistrates have made an order under the Contempt of Court Act prohibiting any report.)",
     "wire-editorial-note"),
    ("ends", "wire-sign-off"),
    ("ENDS", "wire-sign-off"),
    ("- ends -", "wire-sign-off"),
    ("more", "wire-sign-off"),
    ("MORE FOLLOWS", "wire-sign-off"),
    ("Editors note: pictures are available from the PA picture desk", "wire-editors-note"),
    ("NOTE TO EDITORS", "wire-editors-note"),
    ("Notes to editors:", "wire-editors-note"),
    ("EMBARGOED until 0001 Thursday", "wire-embargo"),
    ("Embargoed to 1000 Tuesday August 10", "wire-embargo"),
    ("PA", "wire-agency-credit"),
    ("COURTS Lighthouse", "wire-catchline"),
    ("SHOWBIZ Soap Star", "wire-catchline"),
    ("09:15 14/03/99: Page 1 (HHH) COURTS Lighthouse", "wire-header"),
    ("/PRE>", "markup-residue"),
    ('IMG SRC="/images/top.gif" ALIGN=right BORDER=0>', "markup-residue"),
]

BYLINES = [
    ("By Jane Example, Maritime Correspondent, PA News", "Jane Example, Maritime Correspondent, PA News"),
    ("By Jane Example and John Sample, PA News", "Jane Example and John Sample, PA News"),
    ("By Jane Example, PA News.", "Jane Example, PA News"),
    ("By Jane Example, PA News, in Zeist, Netherlands", "Jane Example, PA News, in Zeist, Netherlands"),
    ("By Jane Example, European Editor, PA News in Brussels", "Jane Example, European Editor, PA News in Brussels"),
]

# Lines that look like furniture at a glance but are article text (or web-page text
# that the dev-set gold keeps): no wire rule may take them.
NOT_FURNITURE = [
    "By January 1999, Sample had had enough and wanted them gone.",
    "By Christmas, the keeper, a father of three, had retired.",
    "More than 30 million people watched the final episode.",
    "More",
    "Embargoed goods worth #2m were seized at Dover in 1998.",
    "LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE",
    "PA NEWS CHIEF JOINS BOARD",
    "Editor's note: This story was updated at 5:45 p.m. ET to include details from the briefing.",
    "<The Palace: Tale of Two Kings>",
    "(Laughter)",
    "The hearing was adjourned until tomorrow.",
]

WIRE_RULES = {"wire-editorial-note", "wire-sign-off", "wire-editors-note", "wire-embargo",
              "wire-agency-credit", "wire-catchline", "wire-header", "markup-residue"}


@pytest.fixture(scope="module")
def rules():
    return load_rules(include_user=False)


def _rule(rules, line):
    return first_match(rules, line, len(line.split()))


@pytest.mark.parametrize(("line", "rule_id"), FURNITURE)
def test_wire_furniture_is_matched_by_its_rule(rules, line, rule_id):
    rule = _rule(rules, line)
    assert rule is not None and rule.id == rule_id, (line, rule and rule.id)
    assert rule.kind == "noise" and rule.reason


@pytest.mark.parametrize(("line", "names"), BYLINES)
def test_wire_bylines_are_bylines(rules, line, names):
    rule = _rule(rules, line)
    assert rule is not None and rule.kind == "byline", line
    assert byline_text(line) == names


@pytest.mark.parametrize("line", NOT_FURNITURE)
def test_lookalike_lines_are_not_taken_by_a_wire_rule(rules, line):
    rule = _rule(rules, line)
    assert rule is None or (rule.id not in WIRE_RULES and rule.kind != "byline"), (line, rule and rule.id)


def test_a_wire_story_keeps_its_sentences_and_strips_its_furniture(rules):
    cleaned = clean_text(WIRE_STORY, rules)
    body = [WIRE_STORY[a:b] for a, b in cleaned.body_lines]
    assert body == [
        "A lighthouse keeper who rowed out in a force nine gale to save two fishermen was today given a bravery award.",
        "Tom Sample, 61, reached the stricken boat off Harbour Point after its engine failed in the storm.",
        "The Royal Humane Society said his courage had saved both men's lives.",
        "\"I only did what anyone would have done,\" he said.",
    ]
    assert cleaned.title == "LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE"
    assert cleaned.byline == "Jane Example, Maritime Correspondent, PA News"
    reasons = {s.text: s.reason for s in cleaned.stripped}
    assert set(reasons) == {WIRE_STORY.splitlines()[0], "By Jane Example, Maritime Correspondent, PA News",
                            "(reopens)", "ends"}
    assert all(reasons.values())


def test_the_article_carries_the_wire_byline_as_metadata(rules):
    art = article_from_text(WIRE_STORY, rules=rules)
    assert art.byline == "Jane Example, Maritime Correspondent, PA News"
    assert not any("PA News" in s.text or s.text.startswith("(") for s in art.sentences)


def test_the_same_headline_in_a_newspaper_story_stays(rules):
    paper = ("LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE\n\n"
             "A lighthouse keeper who rowed into a gale to save two fishermen has won a bravery award.\n\n"
             "Tom Sample, 61, reached their boat after its engine failed.\n")
    cleaned = clean_text(paper, rules)
    assert cleaned.title == "LIGHTHOUSE KEEPER HONOURED FOR STORM RESCUE"
    assert not cleaned.stripped


METER = Path("/tmp/meter/all")


def test_meter_wire_files(rules):
    """On the real wire files (built by ../shared/meter/build.py), no bracketed note or
    agency byline is left in the body, and every byline line gives the metadata."""
    files = sorted(METER.glob("*.src.txt"))
    if not files:
        pytest.skip(f"METER texts not built at {METER} (see ../shared/meter/README.md)")
    for path in files[::4]:
        text = path.read_text(encoding="utf-8")
        cleaned = clean_text(text, rules)
        for a, b in cleaned.body_lines:
            line = text[a:b]
            assert not (line.startswith("(") and line.endswith(")")), (path.name, line)
            assert not (line.startswith("By ") and "PA News" in line), (path.name, line)
        if any(ln.startswith("By ") and ln.rstrip(".").endswith("PA News") for ln in text.splitlines()):
            assert cleaned.byline, path.name


GLUED_NOTE = ('(Corrected repetition making clear in par 2 the keeper was 61.) KEEPER HONOURED FOR RESCUE\n\n'
              'By Jane Example, PA News\n\n'
              'A lighthouse keeper who rowed out in a gale to save two fishermen was today given an award.\n\n'
              'Tom Sample, 61, reached the stricken boat after its engine failed in the storm.\n')


def test_a_note_glued_before_the_headline_is_stripped_and_the_headline_kept(rules):
    """A wire note can share the headline's line (one METER file in 944): the note goes
    with its reason, the headline stays the title, offsets into the text as before."""
    cleaned = clean_text(GLUED_NOTE, rules)
    assert cleaned.title == "KEEPER HONOURED FOR RESCUE"
    a, b = cleaned.title_span
    assert GLUED_NOTE[a:b] == cleaned.title
    notes = [s for s in cleaned.stripped if s.text.startswith("(Corrected")]
    assert len(notes) == 1 and notes[0].text.endswith("61.)") and notes[0].reason
    assert GLUED_NOTE[notes[0].start:notes[0].end] == notes[0].text
    art = article_from_text(GLUED_NOTE, rules=rules)
    assert not any("Corrected" in s.text for s in art.sentences)


@pytest.mark.parametrize("line", [
    "(Reuters) - Putin will visit China this week, the Kremlin said.",
    "(This sentence sits in brackets.) And this one follows it.",
    "(1) The first of the court's findings was that the contract stood.",
])
def test_a_bracket_that_is_no_note_keeps_its_line_whole(rules, line):
    text = f"HEADLINE OF THE STORY\n\n{line}\n\nA second sentence of the story, for the body.\n"
    cleaned = clean_text(text, rules)
    assert line in [text[a:b] for a, b in cleaned.body_lines]
