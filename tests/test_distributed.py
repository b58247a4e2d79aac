"""The folder matrix on Spark (local mode) gives the embedded path's results.

Same pairs, same cells, same sentence links and provenance, same counts at each
index stage, on a small folder made to exercise every rule of the index: exact and
edited copies, headlines, short sentences found only through the probe, a boilerplate
sentence (in more than 20 articles), a word pair capped when the cap is low, and word
triples at archive scale; then the command, with results written (-o) or printed, from
a folder and from a corpus file.  Skipped where pyspark or Java is missing (CI installs
both: .ci/run).  One Spark session for the module: starting one takes seconds.
"""
from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from reader.articles import load_articles
from reader.options import AlignOptions
from reader.distributed.spark import STAGE_COUNTS, pyspark_missing
from reader.folder.matrix import assemble, build_matrix, linked_pairs
from reader.folder.sentence_index import IndexOptions

MISSING = pyspark_missing()
pytestmark = pytest.mark.skipif(MISSING is not None, reason=f"Spark local mode unavailable: {MISSING}")

BOILERPLATE = "And this is what we do for you, all of it, as we said we would."  # stopwords only: one key
# (short sentence, the same words spread out): linked only through the short-sentence probe
SHORT = [("Mayor resigns.", "The mayor, under pressure from councillors, protesters and the press, resigns."),
         ("Strike ends.", "The strike at the docks, the longest since the war, ends tonight."),
         ("Bridge reopens.", "The bridge, closed for repairs after the floods in March, reopens.")]
HEADLINES = ["Harbour expansion approved", "Council budget under fire", "Storm damage mounts",
             "Rail strike talks collapse", "Museum reopens its doors", "Water prices to rise"]


def _edited(sentence: str, rng: random.Random) -> str:
    """Drop one word, or swap two neighbours: a light edit the index must still find."""
    ws = sentence.rstrip(".").split()
    k = rng.randrange(1, len(ws) - 2)
    ws = ws[:k] + ws[k + 1:] if rng.random() < 0.5 else ws[:k] + [ws[k + 1], ws[k]] + ws[k + 2:]
    return " ".join(ws) + "."


def write_corpus(folder: Path, n: int = 24, seed: int = 15) -> None:
    """`n` articles in stories of four that copy or edit the same wire sentences, each
    with sentences of its own (made-up words, so that chance overlaps are rare), a date
    (most), a headline (shared within a story, edited in one article), a boilerplate
    line (all but two), short sentences reworded across a story, one background
    sentence that two stories share, and a word pair in every article ("city council")."""
    rng = random.Random(seed)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocab = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(3000)})

    def sentence() -> str:
        return " ".join(rng.choice(vocab) for _ in range(rng.randint(9, 16))).capitalize() + "."

    background = sentence()
    for k in range(n):
        story = k // 4
        rng_story = random.Random(seed * 100 + story)
        wire = [" ".join(rng_story.choice(vocab) for _ in range(rng_story.randint(9, 16))).capitalize() + "."
                for _ in range(10)]
        body = [s if rng.random() < 0.6 else _edited(s, rng) for s in rng.sample(wire, rng.randint(4, 8))]
        body += [sentence() for _ in range(rng.randint(3, 6))]
        own = sentence()
        body.append("City council " + own[0].lower() + own[1:])  # a word pair in every article
        if k % 4 < 2:
            body.append(SHORT[story % 3][k % 2])
        if story in (1, 4) and k % 4 == 3:
            body.append(background)
        rng.shuffle(body)
        if k < n - 2:
            body.append(BOILERPLATE)
        title = HEADLINES[story % len(HEADLINES)] + (" again" if k % 4 == 1 else "")
        date = f"2024-03-{1 + rng.randrange(9):02d}" if k % 5 else ""
        text = title + "\n\n" + (f"Published: {date}\n\n" if date else "") + "\n\n".join(body) + "\n"
        (folder / f"{k:02d}_story{story}.txt").write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder)
    articles, skipped = load_articles([folder])
    assert len(articles) == 24 and not skipped
    return folder, articles


@pytest.fixture(scope="module")
def spark():
    from reader.distributed.spark import spark_session

    with spark_session("local[2]") as session:
        yield session


def links(m) -> set[tuple[int, int, int, int, str]]:
    return {(a, i, k.article, k.sentence, k.status) for a, per in enumerate(m.provenance)
            for i, p in enumerate(per) for k in p.shared}


def assert_same_counts(embedded: dict, distributed: dict) -> None:
    common = [k for k in STAGE_COUNTS if k in embedded]
    assert {"sentences", "cap", "verified_pairs", "aligned_article_pairs"} <= set(common)
    assert {k: distributed.get(k) for k in common} == {k: embedded[k] for k in common}


def assert_same_json(embedded: dict, distributed: dict) -> None:
    """`reader matrix --format json` and `reader spark --format json`: equal, counts as above."""
    assert {k: v for k, v in distributed.items() if k != "stats"} == {k: v for k, v in embedded.items() if k != "stats"}
    assert_same_counts(embedded["stats"], distributed["stats"])


def probe_pairs(articles, options: IndexOptions) -> set[tuple[int, int]]:
    """Article pairs of different stories that the index sends to alignment because they
    hold a short sentence and its spread-out wording: nothing but the short-sentence probe
    can find those.  (The alignment itself then drops most such links: two words shared
    by articles on different stories are no evidence of reuse.)"""
    short = dict(SHORT)
    texts = [{s.text for s in a.sentences} for a in articles]
    pairs, _ = linked_pairs(articles, AlignOptions(), options, None, lambda: False)
    return {(a, b) for a, b in pairs if a // 4 != b // 4
            and any(x in texts[a] and y in texts[b] or y in texts[a] and x in texts[b] for x, y in short.items())}


@pytest.mark.parametrize("options", [IndexOptions(), IndexOptions(cap_min=4, probe_limit=3), IndexOptions(short=1)],
                         ids=["default", "low-cap", "no-probe"])
def test_spark_gives_the_embedded_matrix(spark, corpus, options):
    _, articles = corpus
    embedded = build_matrix(articles, index_options=options)
    # The folder exercises what it is made for (else equality would prove little).
    assert embedded.stats["boilerplate_sentences"] >= 20
    assert embedded.stats["aligned_article_pairs"] >= 30 and len(links(embedded)) >= 200
    assert any(p.status == "changed" for per in embedded.provenance for x in per for p in x.shared)
    assert len(embedded.cells) < len(articles) * (len(articles) - 1) / 2  # not every pair shares
    assert (embedded.stats["capped_keys"] > 0) == (options.cap_min < 40)
    assert bool(probe_pairs(articles, options)) == (options.short > 1 and options.probe_limit > 3)
    assert_same_matrix(spark, articles, options, embedded)


def test_archive_scale_keys_agree(spark, corpus, monkeypatch):
    """Past ARCHIVE_SENTENCES both engines key sentences by word triples (lowered here)."""
    from reader.folder import compact_index

    _, articles = corpus
    normal = build_matrix(articles)
    monkeypatch.setattr(compact_index, "ARCHIVE_SENTENCES", 100)
    embedded = build_matrix(articles)
    assert embedded.stats["raw_candidates"] != normal.stats["raw_candidates"]  # other keys were used
    assert embedded.stats["aligned_article_pairs"] >= 30
    assert_same_matrix(spark, articles, IndexOptions(), embedded)


def assert_same_matrix(spark, articles, options, embedded) -> None:
    from reader.distributed.spark import build_matrix_spark

    distributed = build_matrix_spark(spark, articles, index_options=options)
    assert links(distributed) == links(embedded)
    assert distributed.cells == embedded.cells
    assert distributed.provenance == embedded.provenance
    assert_same_counts(embedded.stats, distributed.stats)


def test_command_writes_the_embedded_pairs(spark, corpus, tmp_path, capsys):
    """`reader spark DIR -o OUT`: articles read on the executors, in the embedded order;
    the pairs written equal the embedded matrix once assembled."""
    from reader.cli import main
    from reader.distributed.spark import read_pairs

    folder, articles = corpus
    out = tmp_path / "results"
    assert main(["spark", str(folder), "-o", str(out)]) == 0
    assert "24 articles" in capsys.readouterr().err
    rows = [json.loads(x) for f in sorted((out / "articles").glob("part-*")) for x in f.read_text().splitlines()]
    assert [r["name"] for r in sorted(rows, key=lambda r: r["index"])] == [a.name for a in articles]
    pairs = read_pairs(x for f in sorted((out / "pairs").glob("part-*")) for x in f.read_text().splitlines())
    stats = json.loads(next((out / "stats").glob("part-*")).read_text())
    embedded = build_matrix(articles)
    written = assemble(articles, pairs, stats)
    assert links(written) == links(embedded) and written.cells == embedded.cells
    assert written.provenance == embedded.provenance
    assert_same_counts(embedded.stats, stats)
    assert main(["spark", str(folder), "-o", str(out)]) == 2  # never over an earlier run's results
    assert "already exists" in capsys.readouterr().err


def test_command_prints_what_reader_matrix_prints(spark, corpus, capsys):
    from reader.cli import main

    folder, _ = corpus
    assert main(["matrix", str(folder), "--format", "json", "--no-cache"]) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert main(["spark", str(folder), "--format", "json"]) == 0
    assert_same_json(embedded, json.loads(capsys.readouterr().out))


def test_corpus_file_with_a_named_text_field(spark, corpus, tmp_path, capsys):
    """A JSON Lines corpus read on the executors with the command's --text-field (an option
    the loaders read process-wide: the executors get the driver's)."""
    from reader.cli import main

    folder, articles = corpus
    rows = [{"story": a.text, "id": a.name} for a in articles[:12]]
    (tmp_path / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    args = [str(tmp_path / "corpus.jsonl"), "--text-field", "story", "--format", "json"]
    assert main(["matrix", *args, "--no-cache"]) == 0
    embedded = json.loads(capsys.readouterr().out)
    assert len(embedded["articles"]) == 12 and embedded["cells"]
    assert main(["spark", *args]) == 0
    assert_same_json(embedded, json.loads(capsys.readouterr().out))
