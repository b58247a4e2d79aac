"""The linker: evidence of reuse beyond shared words, one probability per pair, its weights as data."""
from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.align import AlignOptions, align
from reader.alignment import linker
from reader.alignment.evidence import evidence, idf_table, longest_run, numbers_in, profile
from reader.articles import article_from_sentences
from reader.normalise import words
from support import ROOT, SHARED, longest_common_run

METER = Path("/tmp/meter")


def test_numbers_compare_by_value_whatever_the_spelling():
    assert numbers_in(words("worth more than #300 million")) == numbers_in(words("an estimated £300million"))
    assert numbers_in(words("jailed for seven years")) == numbers_in(words("a 7-year sentence"))
    assert 15000.0 in numbers_in(words("the £15,000-a-year school"))
    assert numbers_in(words("one of the girls")) == frozenset()  # "one" is a pronoun far more often


def test_names_are_words_never_written_lower_case():
    p = profile("Coroner Richard Hulett recorded a verdict of suicide.")
    assert {"richard", "hulett"} <= p.names
    assert "coroner" not in p.names  # first word: capitalised by position
    assert "verdict" in p.content and "verdict" not in p.names


def _pair_evidence(a: str, b: str, others: list[str]):
    pa, pb = profile(a), profile(b)
    idf = idf_table([pa.content, pb.content] + [profile(t).content for t in others])
    return evidence(pa, pb, idf)


def test_shared_facts_numbers_and_runs_are_found():
    ev = _pair_evidence("A cleaner found her on April 30, hanging by a scarf from her bedroom door.",
                        "She was found at about 10am on April 30 by a cleaner, hanging from a scarf on the door.",
                        ["The inquest heard she was shy.", "Her school costs £15,000 a year."])
    assert ev.numbers == 1 and 30.0 in ev.shared_numbers
    assert {"cleaner", "scarf", "door"} <= set(ev.shared_stems)
    assert ev.run >= 3  # "on april 30"


def test_exclusive_evidence_is_what_no_rival_candidate_shares():
    """The names of a story run through many sentences; the wire sentence that holds the
    details a paper kept ("15 tracks", "1990", "tour") is the source, and its evidence is
    shared with no other candidate."""
    left = ["Collins took Davis and Satterfield to court over royalties on the album.",
            "Davis and Satterfield were paid royalties on 15 tracks of the album after the 1990 tour."]
    right = ["Collins says Davis and Satterfield were overpaid for 15 tracks after the 1990 tour."]
    found = linker.candidates(left, right)
    excl = linker._exclusive(found)
    assert excl[(1, 0)] > excl[(0, 0)]
    # each left sentence has one candidate (a full 1.0 on that side); on the right side the
    # names are shared by both, the details only by the source
    assert excl[(1, 0)] > 1.5 > excl[(0, 0)]


def test_a_sentence_told_twice_is_no_rival_of_itself():
    """Wire files often tell a story twice: two versions of one sentence do not take each
    other's evidence away (the pair scores as if the second version were not there)."""
    wire = ["Davis and Satterfield were paid royalties on 15 tracks of the album after the 1990 tour.",
            "The singer won an Oscar on Sunday for a song from the film Tarzan."]
    twice = wire + ["Davis and Satterfield were paid royalties on all 15 tracks of the album after the 1990 tour."]
    right = ["Collins says Davis and Satterfield were overpaid for 15 tracks after the 1990 tour."]
    once = linker._exclusive(linker.candidates(wire, right))
    both = linker._exclusive(linker.candidates(twice, right))
    assert both[(0, 0)] == both[(2, 0)] == once[(0, 0)] > 0


def test_same_topic_different_facts_is_not_linked():
    """Two sentences about the same people and event, with different facts: no link."""
    left = article_from_sentences([
        "A former anti-drugs campaigner was jailed for seven years at Leeds Crown Court today.",
        "The court heard he had imported cocaine worth £2 million through Hull docks.",
        "Police said the operation had taken two years."])
    right = article_from_sentences([
        "His brother, a taxi driver, was jailed for five years for his part in the plot.",
        "The jury took four hours to reach its verdicts on the brothers.",
        "Neighbours said the family had lived in the town for decades."])
    al = align(left, right)
    assert al.pairs == [], [(p.left, p.right, p.evidence) for p in al.pairs]


# Two court reports of different trials (different people and places) and a report of
# the first trial made from it: a reporting formula or a stock fact shared with another
# trial is no reuse; the same sentence shared within one story is.
_TRIAL = ["Serial sex attacker Clive Barwell today admitted attacking four women in Leeds over eight years.",
          "Barwell, 42, of Wortley, Leeds, was arrested after a DNA match, Teesside Crown Court heard.",
          "Detective Inspector Anne Lowther said the victims had shown great courage.",
          "Police in Bradford, Halifax and Huddersfield had linked the attacks in 1998.",
          "Mr Justice Jowitt remanded Barwell in custody at Armley Prison."]
_OTHER_TRIAL = ["A former scoutmaster from Swindon denies indecently assaulting boys in his troop.",
                "Graham Pocock, 58, ran the troop in Wiltshire for twenty years, Bristol Crown Court heard.",
                "Judge Michael Roach warned the jury against sympathy for either side.",
                "Pocock's wife Maureen wept in the public gallery.",
                "He led camps in Devon, Cornwall and the Brecon Beacons, the Scout Association said."]
_SAME_TRIAL = ["Clive Barwell, a serial sex attacker, admitted attacking four women in Leeds over eight years.",
               "The 42-year-old from Wortley was caught by a DNA match, Teesside Crown Court was told.",
               "Detective Inspector Anne Lowther praised the courage of the victims.",
               "Officers in Bradford, Halifax and Huddersfield linked the attacks in 1998."]


@pytest.mark.parametrize("formula, variant", [
    ("His body was found six days later.",
     "His body was found in a picnic area 50 miles away in Thetford, Norfolk, a day later."),
    ("He was jailed for five years.", "Pocock, who was jailed for five years for theft in 1990, shook his head."),
    ("The hearing was adjourned until tomorrow.", "The case was adjourned until tomorrow, when the defence will open."),
    ("The trial, expected to last two weeks, was adjourned until tomorrow.", "The case was adjourned until tomorrow."),
])
def test_a_formula_shared_by_reports_of_different_trials_is_not_linked(formula, variant):
    left = article_from_sentences([*_TRIAL, formula])
    other = align(left, article_from_sentences([*_OTHER_TRIAL, variant]))
    assert [p for p in other.pairs if 5 in p.left] == [], [p.evidence for p in other.pairs]
    same = align(left, article_from_sentences([*_SAME_TRIAL, variant]))
    assert [(p.left, p.right) for p in same.pairs if 5 in p.left] == [([5], [4])]


def test_story_names_is_the_share_of_names_both_articles_use_smoothed_when_few():
    assert linker.story_names(_TRIAL, _SAME_TRIAL) > 0.85
    assert linker.story_names(_TRIAL, _OTHER_TRIAL) < 0.3  # "Crown Court" only
    assert linker.story_names(["Nothing named here."], ["Nor here."]) == pytest.approx(0.7)
    assert linker.story_names(["Putin met Xi."], ["Biden met Modi."]) == pytest.approx(0.6)  # one name: little
    # the same share weighs more the more names it rests on
    assert linker.story_names(_TRIAL, _OTHER_TRIAL) < linker.story_names(["Putin met Xi."], ["Biden met Modi."])


def test_a_close_rewrite_is_linked_with_its_evidence():
    left = article_from_sentences([
        "Rock star Phil Collins today launched a High Court action against two American members of his "
        "former backing band, claiming he overpaid them a total of £500,000 in royalties.",
        "The hearing was adjourned until tomorrow."])
    right = article_from_sentences([
        "Phil Collins has launched High Court action against two former members of his backing band, "
        "claiming he overpaid them £500,000 in royalties.",
        "The weather was fine."])
    al = align(left, right)
    [pair] = al.pairs
    assert (pair.left, pair.right, pair.status) == ([0], [0], "changed")
    assert pair.evidence == {"word_overlap": round(pair.score, 3)}  # settled by the word passes


def test_a_rewrite_the_linker_scores_carries_its_evidence():
    left = article_from_sentences([
        "Rock star Phil Collins was today suing two black American members of his former backing band, "
        "claiming he overpaid them £500,000 in royalties.",
        "The hearing was adjourned until tomorrow."])
    right = article_from_sentences([
        "Phil Collins has launched a court action against two musicians who once played in his band, "
        "saying they were overpaid £500,000 in royalties over the years.",
        "The weather was fine."])
    al = align(left, right)
    [pair] = al.pairs
    ev = pair.evidence
    assert ev["probability"] >= linker.load_model().threshold or pair.method != "rewrite"
    assert "500000" in ev["shared_numbers"] and {"overpaid", "royalty", "collin"} <= set(ev["shared_words"])


def test_in_order_means_the_neighbouring_sentences_are_linked_too():
    """"Same order as neighbours" is said of a pair whose sentences before or after are
    linked to each other, not of any pair that merely has a candidate nearby."""
    left = ["The inquest heard the girl had been painfully shy at school.",
            "A cleaner found her on April 30, hanging by a scarf from her bedroom door.",
            "The coroner recorded a verdict of suicide."]
    right = ["She was painfully shy, the inquest heard of the girl at school.",
             "She was found at about 10am on April 30 by a cleaner, hanging from a scarf on the door.",
             "A verdict of suicide was recorded by the coroner."]
    titles = (set(), set())
    others = ["The weather in Buckinghamshire was fine all week.", right[1], "Shares in the company fell."]
    found = linker.candidates(left, others)
    alone = {c.j: c for c in linker.score_candidates(found, 3, 3, {}, titles) if c.i == 1}
    assert alone[1].p > 0.5 and not alone[1].in_order  # nothing around it is linked
    settled = {(0, 0): 1.0, (2, 2): 1.0}
    found = linker.candidates(left, right, linker.settled_of(settled))
    [middle] = [c for c in linker.score_candidates(found, 3, 3, settled, titles) if (c.i, c.j) == (1, 1)]
    assert middle.in_order and linker.why(middle)["in_order"]


def test_exact_copies_say_so_and_json_carries_evidence(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Sky said today it had won exclusive rights to the film.\n\nThe BBC declined to comment.\n")
    b.write_text("Sky said today it had won exclusive rights to the film.\n\nIt opens in London next week.\n")
    out = subprocess.run([sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    pairs = json.loads(out.stdout)["pairs"]
    assert [p["evidence"] for p in pairs] == [{"copied": True}]


def test_linker_off_changes_nothing_the_word_passes_made():
    left = article_from_sentences(["The Kremlin said the two leaders would sign a joint statement.",
                                   "Trade hit a record $240.1 billion in 2023."])
    right = article_from_sentences(["The Kremlin said the two leaders would sign a joint statement.",
                                    "Trade hit a record $240.1bn in 2023, up 26.3%."])
    on, off = align(left, right), align(left, right, AlignOptions(rewrite=False))
    assert [(p.left, p.right, p.status) for p in on.pairs] == [(p.left, p.right, p.status) for p in off.pairs]


def test_weights_file_names_every_feature_and_thresholds_are_probabilities():
    data = json.loads(linker.MODEL_FILE.read_text(encoding="utf-8"))
    assert set(data["weights"]) == set(linker.FEATURES)
    assert 0 < data["keep"] < data["threshold"] < 1


def test_model_file_can_be_replaced_for_cross_validation(tmp_path, monkeypatch):
    data = json.loads(linker.MODEL_FILE.read_text(encoding="utf-8"))
    data["threshold"] = 0.5
    path = tmp_path / "m.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv(linker.MODEL_ENV, str(path))
    assert linker.load_model().threshold == 0.5


@given(st.lists(st.sampled_from("a b c d e the of".split()), max_size=30),
       st.lists(st.sampled_from("a b c d e the of".split()), max_size=30))
@settings(max_examples=200, deadline=None)
def test_longest_run_is_the_longest_common_substring(a, b):
    assert longest_run(tuple(a), tuple(b)) == longest_common_run(a, b)


def test_a_sentence_repeated_many_times_stays_bounded():
    """Hostile input: the candidate search caps postings, so repeats cannot make it quadratic."""
    s = "The minister said the plan would cost £3 million over five years."
    art = article_from_sentences([s + f" Item {k}." for k in range(600)])
    other = article_from_sentences([f"Officials said the scheme costs £3 million, note {k}." for k in range(600)])
    t = time.perf_counter()
    found = linker.candidates([x.text for x in art.sentences], [x.text for x in other.sentences])
    assert time.perf_counter() - t < 60  # generous, for a loaded machine: it takes well under a second
    assert len(found) <= 2 * 4 * 600  # at most per_sentence best per sentence, each side


@pytest.mark.skipif(not (METER / "gold.yaml").is_file(),
                    reason="METER dev set not built: see ../shared/meter/README.md (build.py --out /tmp/meter)")
def test_meter_dev_set_holds_its_figures():
    """Real wire-to-paper pairs: accuracy and link precision must not fall below what this
    version measured (0.832 overall; link precision 1.0 on every pair)."""
    score = SHARED / "eval" / "score.py"
    cmd = f"{sys.executable} -m reader diff {{a}} {{b}} --format json"
    out = subprocess.run([sys.executable, str(score), str(METER / "gold.yaml"), "--seeds", str(METER / "files"),
                          "--cmd", cmd, "--json"], capture_output=True, text=True, cwd=ROOT, timeout=600,
                         env={k: v for k, v in os.environ.items() if k != linker.MODEL_ENV})
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["overall"]["acc"] >= 0.83, res["overall"]
    for row in res["pairs"]:
        assert row["linkP"] >= 0.99, row
    assert math.isclose(res["overall"]["noiseR"], 1.0), res["noise"]  # wire furniture stripped


@pytest.mark.skipif(not (METER / "gold.yaml").is_file() or not (SHARED / "gold" / "seeds.yaml").is_file(),
                    reason="METER dev set or shared gold absent: see ../shared/meter/README.md")
def test_shipped_weights_are_what_the_fit_script_gives():
    """The weights are data made by bench/fit_linker.py: a change to the pipeline that moves
    them must come with a refit (`--write`), so the shipped model is always reproducible."""
    pytest.importorskip("numpy", reason="the fit script needs numpy")
    shipped = json.loads(linker.MODEL_FILE.read_text(encoding="utf-8"))
    extra = []
    if "negative_pairs" in shipped:  # fitted with pairs of different stories too
        if not (METER / "all").is_dir():
            pytest.skip("the METER texts of every story are absent: build.py --all (../shared/meter/README.md)")
        extra = ["--negatives", str(METER / "all"), "--negative-pairs", str(shipped["negative_pairs"]),
                 "--negative-weight", str(shipped["negative_weight"])]
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "fit_linker.py"),
                          "--gold", f"{SHARED / 'gold' / 'seeds.yaml'}={SHARED / 'seeds'}",
                          "--gold", f"{METER / 'gold.yaml'}={METER / 'files'}", *extra],
                         capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    fitted = json.loads(out.stdout.split("full fit: ", 1)[1].splitlines()[0])
    for part in ("weights", "context"):
        for name, value in shipped[part].items():
            assert fitted[part][name] == pytest.approx(value, abs=1e-3), (part, name)
    assert (fitted["threshold"], fitted["keep"]) == (shipped["threshold"], shipped["keep"])


def test_a_diff_is_the_same_in_every_process():
    """String hashes (and so set order) differ between processes: the linker's sums and
    tie-breaks must not, or the same two files would give different links and evidence."""
    from support import SEEDS

    a, b = sorted(SEEDS.glob("001_*.txt"))[0], sorted(SEEDS.glob("002_*.txt"))[0]
    outs = []
    for seed in ("1", "2", "3"):
        out = subprocess.run([sys.executable, "-m", "reader", "diff", str(a), str(b), "--format", "json"],
                             capture_output=True, text=True, cwd=ROOT, timeout=120,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.returncode == 0, out.stderr
        outs.append(json.loads(out.stdout)["pairs"])
    assert outs[0] == outs[1] == outs[2]
    assert any(p["evidence"].get("probability") is not None for p in outs[0])


_TIES = """
from reader.alignment.linker import candidates
left = ["Alpha beta gamma delta epsilon zeta eta theta iota kappa."]
right = [f"Filler{k} {a} {b} words{k}." for k, (a, b) in enumerate(
    [("alpha", "beta"), ("gamma", "delta"), ("epsilon", "zeta"), ("eta", "theta"),
     ("iota", "kappa"), ("beta", "gamma"), ("delta", "epsilon"), ("zeta", "eta")])]
found = candidates(left, right)
print(sorted(found), [round(found[k].facts, 12) for k in sorted(found)])
"""


def test_tied_candidates_are_chosen_the_same_in_every_process():
    """Eight sentences tie for one sentence's four candidate places: which four must not
    depend on the process's string hashes."""
    outs = {subprocess.run([sys.executable, "-c", _TIES], capture_output=True, text=True, cwd=ROOT, timeout=60,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3", "4", "5")}
    assert len(outs) == 1 and "[(0, " in outs.pop()


@pytest.mark.skipif(not (METER / "all").is_dir(),
                    reason="METER texts of every story absent: build.py --all (../shared/meter/README.md)")
def test_reports_of_different_real_stories_are_rarely_linked(monkeypatch):
    """`bench/cross_story.py` in small, on stories the fit never saw: court reports of
    different trials share formulas, not sentences (3 of these 300 pairs linked when
    written; 17 with the weights fitted without such pairs), while the wire/paper pairs
    of the same stories keep their links (13.3 a pair)."""
    monkeypatch.syspath_prepend(str(ROOT / "bench"))
    from cross_story import cross_pairs, links_of, same_story_pairs

    linked = sum(1 for pair in cross_pairs(METER / "all", "test", 300) if links_of(pair))
    assert linked <= 6, linked
    same = same_story_pairs(METER / "all", "test")[:100]
    assert sum(len(links_of(pair)) for pair in same) / len(same) >= 12
