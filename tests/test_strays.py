"""Links out of the story's order (`alignment.story_order`): a sentence that matches a formula
repeated in two stories of one wire file is linked where the paper's story is told.

A wire file may hold two inquests before the same coroner; "The coroner recorded a
verdict of suicide" then matches a sentence of each with the same evidence.  A careful
reader links the one in the story the paper tells, and a wire file that tells one story
twice (a first take and its rewrite) keeps both links.
"""
from __future__ import annotations

from reader.align import align
from reader.alignment import relink, story_order
from reader.articles import article_from_text
from reader.model import Pair

YOLANDA = """A shy public schoolgirl hanged herself in her room on the eve of her A-level exams, an inquest heard today.

Yolanda Pearce, 18, was discovered by a cleaner at Stowe School, Buckinghamshire, on April 30.

Coroner Richard Hulett, recording a verdict of suicide, said the pressure of exams probably contributed to her decision.

Her housemistress told the inquest that Yolanda had been drinking vodka in her room.

She said Yolanda was disorganised and had been under-achieving at school.

Her mother attended the inquest but left without comment.
"""

TWO_INQUESTS = """Boy hanged himself over exam fears

A teenage boy hanged himself because he feared he would fail his exams, an inquest heard today.

Daniel Hartley, 16, was found by his mother at their home in Welbeck Avenue, Aylesbury.

Coroner Richard Hulett, recording a verdict of suicide, said there was an irony in the fact that Daniel had been expected to pass.

His mother said he had never spoken of any trouble with his coursework.

He had written two notes explaining why he had taken his life.

A classmate said Daniel had left school at break time on the day of his death.

"He said he wasn't coming back," the classmate told the inquest.

Daniel's father, a bus driver, said his son loved football and fishing.

The family have set up a fund in his name at the Grange School.

A teacher described him as quiet, polite and hard-working.

The headmaster said the school would review how it supports pupils before exams.

Counsellors have been offered to his year group.

His funeral will be held at St Mary's Church next Friday.

Schoolgirl hanged herself on eve of A-levels

""" + YOLANDA

PAPER = """Stowe pupil killed herself before exams

A public schoolgirl hanged herself in her room at Stowe School on the eve of her A-level exams.

Yolanda Pearce, 18, was found by a cleaner on April 30.

Her housemistress told the inquest that the girl had been drinking vodka in her room.

Coroner Richard Hulett recorded a verdict of suicide.
"""

TWO_TAKES = "Stowe pupil inquest\n\n" + YOLANDA + """
The school said staff and pupils had united to cope with their grief.

Her father now lives in Mexico.

Stowe pupil inquest (rewrite)

Yolanda had been to the sixth form bar the night before and had a difficult talk with her boyfriend.

She was due to sit exams in English, History and Art.

School reports said her social life had become her main priority.

A friend said she had seemed cheerful at lunch.

The headmaster paid tribute to her at a school assembly.

Her teachers described the sixth-former as disorganised and under-achieving at school.

Her housemistress said the teenager had been drinking vodka in her room before her death.

Her mother, Elizabeth, left the inquest without comment.
"""


def _links(left, right) -> set[tuple[int, int]]:
    return {(i, j) for p in align(left, right).pairs for i in p.left for j in p.right}


def _index(art, start: str) -> int:
    return next(k for k, s in enumerate(art.sentences) if s.text.startswith(start))


def test_a_formula_shared_by_two_stories_is_linked_in_the_story_the_paper_tells(monkeypatch):
    wire, paper = article_from_text(TWO_INQUESTS, "wire"), article_from_text(PAPER, "paper")
    verdict = _index(paper, "Coroner Richard Hulett recorded")
    daniel = _index(wire, "Coroner Richard Hulett, recording a verdict of suicide, said there was")
    yolanda = _index(wire, "Coroner Richard Hulett, recording a verdict of suicide, said the pressure")
    with monkeypatch.context() as m:  # the word-overlap passes and the linker link both
        m.setattr(relink, "out_of_order", lambda left, right, pairs: pairs)
        both = _links(wire, paper)
    assert {(daniel, verdict), (yolanda, verdict)} <= both
    kept = _links(wire, paper)
    assert (yolanda, verdict) in kept and (daniel, verdict) not in kept
    assert kept == both - {(daniel, verdict)}  # nothing else moves


def test_a_story_told_twice_in_one_file_keeps_both_links():
    """The rewrite's housemistress sentence is its only one the paper used, but sentences near
    it retell sentences near the first take's: one story, so both takes keep their link."""
    wire, paper = article_from_text(TWO_TAKES, "wire"), article_from_text(PAPER, "paper")
    found = _links(wire, paper)
    housemistress = _index(paper, "Her housemistress")
    first, rewrite = _index(wire, "Her housemistress told"), _index(wire, "Her housemistress said")
    assert {(first, housemistress), (rewrite, housemistress)} <= found
    assert not any(abs(i - rewrite) <= story_order.ALONE for i, j in found if j != housemistress)


OTHER_NEWS = ["Heavy rain flooded the market square on Tuesday.", "A new bakery opened beside the station.",
              "The library extended its opening hours for students.", "Swans nested again on the mill pond.",
              "Volunteers repainted the scout hut over the weekend.", "The choir raised money for the hospice.",
              "A lost parrot was returned to its owner in Church Lane.", "Parking charges at the leisure centre rise in May.",
              "The cricket club appointed a new captain.", "Roadworks closed Mill Street for three nights.",
              "A mural celebrating the town's miners was unveiled.", "The farmers' market moves to Saturdays."]


def test_rivals_with_different_words_are_a_merge_not_a_contest():
    """Two wire sentences feeding different parts of one paper sentence both stay."""
    wire = article_from_text("The council approved the bypass on Monday.\n\n" + "\n\n".join(OTHER_NEWS)
                             + "\n\nThe route will cost 40 million pounds and open in 2027.\n", "wire")
    paper = article_from_text("The council approved the bypass, which will cost 40 million pounds.\n\n"
                              + OTHER_NEWS[0] + "\n", "paper")
    approved, cost = _index(wire, "The council approved"), _index(wire, "The route will cost")
    merged = [Pair([approved], [0], "changed", 0.9), Pair([cost], [0], "changed", 0.9),
              Pair([approved + 1], [1], "copied", 1.0)]
    assert cost - approved > story_order.ALONE + 1
    assert story_order.out_of_order(wire, paper, merged) == merged
