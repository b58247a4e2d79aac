"""One test per cleaning signal, on small hand-written pages.

The features are checked directly (what each signal says about a line), then the
whole cleaner on a page that has every kind of furniture around a short article.
"""
from __future__ import annotations

import math

import pytest

from reader.cleaning import FolderContext, clean_text, clean_texts, line_spans, match_rules
from reader.line_model import compile_stage, load_model
from reader.linefeatures import STAGE1_NAMES, best_run, local_features, page_features, stopwords
from reader.rules import load_rules

COL = {name: k for k, name in enumerate(STAGE1_NAMES)}

PAGE = """Home

World

Politics

Business

Sport

Sign in

Harbour town votes to rebuild its flooded sea wall

By Maria Lopez

12 March 2024

The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, ending months of argument about who should pay for the work.

Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold back the higher tides that now reach the harbour several times a month.

“We cannot wait for another flood,” said the mayor, who has pushed for the repairs since the storms.

Who pays

The national government will cover two thirds of the cost, and the rest will come from a local levy that residents will pay over ten years.

Some shop owners said the levy was unfair to businesses that had already lost stock in the floods, and asked the council to spread the cost more widely.

Work on the new wall is expected to start in the spring and to last about two years

Share this article

Facebook

Related stories

Storm damage bill rises again

Fishing fleet returns to harbour

Comments

Jack Smith on March 12, 2024 at 4:47 pm said:

About time they did something. My house was flooded twice and nobody helped us at all.

Reply

About us | Contact | Privacy policy | Terms of use
© 2024 Portwell Gazette. All rights reserved.
"""


def feats(line: str, rule: str | None = None) -> dict[str, float]:
    return dict(zip(STAGE1_NAMES, local_features(line, rule)))


def page_rows(text: str) -> tuple[list[str], list[dict[str, float]]]:
    lines = match_rules(text, load_rules())
    rows = page_features(text, [(ln.start, ln.end) for ln in lines],
                         [ln.rule.kind if ln.rule else None for ln in lines])
    return [ln.text for ln in lines], [dict(zip(STAGE1_NAMES, r)) for r in rows]


def test_length_and_word_count():
    short, long = feats("Sport"), feats("The council voted on Tuesday to rebuild the wall that failed in the storms.")
    assert short["log_words"] == pytest.approx(math.log1p(1))
    assert long["log_words"] == pytest.approx(math.log1p(14))
    assert long["log_chars"] > short["log_chars"]


def test_sentence_punctuation():
    assert feats("It rained.")["ends_terminal"] == 1.0
    assert feats("“We cannot wait,” she said.”")["ends_terminal"] == 1.0
    assert feats("Who pays")["ends_terminal"] == 0.0
    assert feats("Two sentences here. And another one follows.")["sentence_breaks"] == 1.0
    assert feats("Read the full story...")["ends_ellipsis"] == 1.0


def test_stopword_density_in_several_languages():
    assert {"the", "und", "les", "что"} <= stopwords()
    prose = feats("The wall was built in the 1950s and it is no longer strong enough.")
    menu = feats("Business Politics Sport Weather")
    german = feats("Die Mauer wurde in den Jahren gebaut und ist nicht mehr stark genug.")
    assert prose["stop_ratio"] > 0.3 and german["stop_ratio"] > 0.3
    assert menu["stop_ratio"] == 0.0


def test_menu_like_lines_title_case_and_separators():
    menu = feats("About Us | Contact | Privacy Policy")
    assert menu["titlecase_ratio"] > 0.8
    assert menu["separators"] >= 2
    assert feats("Home · News · Sport")["separators"] >= 2
    assert feats("the wall that failed in the storms")["titlecase_ratio"] == 0.0
    assert feats("Read more at https://example.com/story")["url_like"] == 1.0


def test_known_phrases_come_from_the_rules():
    rules = load_rules()
    lines = match_rules("Share this article\nREAD ALSO: Another story\nA sentence of the body.\n", rules)
    assert [ln.rule.reason if ln.rule else None for ln in lines] == ["share button", "link to another article", None]
    assert feats("x", "noise")["rule_noise"] == 1.0 and feats("x", "date")["rule_date"] == 1.0


def test_dates_times_and_comment_headers():
    head = feats("Jack Smith on March 12, 2024 at 4:47 pm said:")
    assert head["date_like"] == 1.0 and head["time_like"] == 1.0 and head["comment_head"] == 1.0
    assert feats("3 Comments")["comment_head"] == 1.0
    assert feats("The council said the work would start soon.")["comment_head"] == 0.0


def test_position_densest_prose_block():
    assert best_run([-3, -3, 40, 35, -2, 30, -3, -3]) == (2, 6)
    lines, rows = page_rows(PAGE)
    body = lines.index("Who pays")
    assert rows[body]["in_dense"] == 1.0
    assert rows[0]["before_dense"] > 0 and rows[0]["in_dense"] == 0.0
    assert rows[-1]["after_dense"] > 0
    assert rows[0]["pos_rel"] == 0.0 and rows[-1]["pos_rel"] == 1.0


def test_neighbour_and_window_context():
    lines, rows = page_rows(PAGE)
    k = lines.index("Who pays")
    assert rows[k]["ends_terminal@-1"] == 1.0 and rows[k]["ends_terminal@+1"] == 1.0
    assert rows[1]["short_run"] > rows[k]["short_run"]  # "World" sits in a run of menu items


def test_comment_thread_after_a_header_with_comment_metadata():
    lines, rows = page_rows(PAGE)
    reply = lines.index("About time they did something. My house was flooded twice and nobody helped us at all.")
    assert rows[reply]["after_comment_head"] == 1.0
    assert rows[lines.index("Who pays")]["after_comment_head"] == 0.0
    # a "Comments" share-bar button above the body, with prose after it, is not a thread
    _, rows2 = page_rows("Comments\n\n" + "\n\n".join(
        f"Paragraph {k} says that the council met and voted for the new wall by the harbour." for k in range(6)))
    assert all(r["after_comment_head"] == 0.0 for r in rows2)


def test_repetition_within_the_page():
    _, rows = page_rows("Subscribe now\n\nA sentence of the article body.\n\nSubscribe now\n")
    assert rows[0]["repeat_log"] == pytest.approx(math.log(2)) and rows[0]["later_repeat"] == 0.0
    assert rows[2]["later_repeat"] == 1.0


def test_repetition_across_the_folder_strips_menus_but_never_copied_sentences():
    copied = "Putin will visit China on May 16-17, the Kremlin said on Tuesday."
    texts = [f"Latest Headlines\n\nArticle {k} opens with its own words about the visit.\n\n{copied}\n\nMore From Us\n"
             for k in range(3)]
    results = clean_texts(texts)
    for text, cleaned in zip(texts, results):
        kept = [text[a:b] for a, b in cleaned.body_lines]
        assert copied in kept
        reasons = {s.text: s.reason for s in cleaned.stripped}
        assert reasons.get("Latest Headlines") == "recurs in 2 other files of the folder"
    assert FolderContext(texts[:2]).is_boilerplate("Latest Headlines", 2, 1) is False  # two files are not "several"


def test_whole_page_keeps_body_subhead_quote_and_unpunctuated_last_paragraph():
    cleaned = clean_text(PAGE, load_rules())
    kept = [PAGE[a:b] for a, b in cleaned.body_lines]
    assert kept[0].startswith("The council of Portwell voted")
    assert "Who pays" in kept  # subhead inside the body
    assert "“We cannot wait for another flood,” said the mayor, who has pushed for the repairs since the storms." in kept
    assert kept[-1] == "Work on the new wall is expected to start in the spring and to last about two years"
    assert len(kept) == 7
    assert cleaned.title == "Harbour town votes to rebuild its flooded sea wall"
    assert cleaned.byline == "Maria Lopez" and cleaned.date_iso == "2024-03-12"
    reasons = {s.text: s.reason for s in cleaned.stripped}
    assert cleaned.title not in reasons  # metadata, not a stripped line
    assert reasons["World"].startswith("page header")
    assert reasons["Storm damage bill rises again"].startswith("after the article")
    assert reasons["Reply"] == "comment thread after the article"
    # every non-blank line is either body, the title, or stripped with a reason
    assert len(kept) + 1 + len(cleaned.stripped) == len(line_spans(PAGE))
    assert all(s.reason for s in cleaned.stripped)


def test_rules_only_mode_keeps_everything_the_rules_do_not_know():
    cleaned = clean_text(PAGE, load_rules(), model=False)
    kept = [PAGE[a:b] for a, b in cleaned.body_lines]
    assert "Storm damage bill rises again" in kept and "World" in kept


def test_never_an_empty_article():
    text = "Menu\n\nSome Words Here\n\nshort line of text here\n"
    cleaned = clean_text(text, load_rules())
    assert cleaned.body_lines or cleaned.title


def test_tree_scorer_matches_the_tree():
    spec = {"features": ["a", "b"], "baseline": 0.5,
            "trees": [[[0, 1.0, 1, 2], [-1.0], [1, 0.0, 3, 4], [2.0], [3.0]], [[0.25]]]}
    stage = compile_stage(spec)
    assert stage.score([0.5, 9.0]) == pytest.approx(0.5 - 1.0 + 0.25)
    assert stage.score([2.0, -1.0]) == pytest.approx(0.5 + 2.0 + 0.25)
    assert stage.score([2.0, 1.0]) == pytest.approx(0.5 + 3.0 + 0.25)
    assert stage.proba([[2.0, 1.0]])[0] == pytest.approx(1 / (1 + math.exp(-3.75)))


def test_shipped_model_matches_the_feature_list(tmp_path):
    model = load_model()
    assert model is not None
    assert list(model.stages[0].features) == STAGE1_NAMES
    assert load_model(str(tmp_path / "missing.json")) is None


def test_short_quoted_line_between_paragraphs_stays():
    text = ("Home\n\nNews\n\nCouncil agrees to rebuild the harbour wall\n\n"
            "The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter "
            "storms, ending months of argument about who should pay for the work.\n\n"
            "Asked whether the town could wait another year, the mayor gave a one-word answer.\n\n"
            "“No.”\n\n"
            "Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough "
            "to hold back the higher tides that now reach the harbour several times a month.\n\n"
            "Related stories\n\nStorm damage bill rises again\n")
    cleaned = clean_text(text, load_rules())
    kept = [text[a:b] for a, b in cleaned.body_lines]
    assert kept[1:3] == ["Asked whether the town could wait another year, the mayor gave a one-word answer.", "“No.”"]
    assert "Storm damage bill rises again" not in kept and "News" not in kept
