"""The archive mode (`reader matrix --store`): streamed from a folder or a corpus file it gives
the in-memory matrix; it resumes after a stop without redoing finished pairs; it reports
progress and can be cancelled; a store made with other settings is refused."""
from __future__ import annotations

import json
import random

import pytest

import reader.folder.archive as archive
from reader.articles import load_articles
from reader.cli import main
from reader.folder.archive import build_archive, matrix_from_store
from reader.folder.matrix import MatrixCancelled, build_matrix
from reader.folder.results_store import ResultsStore, StoreMismatch

WORDS = ("harbour minister council budget river school station hospital tunnel bridge museum "
         "election farmer union court judge police report festival airport railway market "
         "factory teacher doctor storm flood winter summer village city county region plan "
         "contract company worker strike protest vote mayor office street park theatre").split()


def _sentence(rng: random.Random) -> str:
    ws = [rng.choice(WORDS) for _ in range(rng.randint(9, 15))]
    return " ".join([ws[0].capitalize(), *ws[1:]]) + "."


def _articles(n_stories: int = 4, per_story: int = 3, seed: int = 3) -> list[tuple[str, str, str]]:
    """(name, date, text): stories whose articles share some wire sentences, edited or not."""
    rng = random.Random(seed)
    out = []
    for s in range(n_stories):
        wire = [_sentence(rng) for _ in range(6)]
        for k in range(per_story):
            body = [w if rng.random() < 0.7 else w.replace(".", " today.") for w in rng.sample(wire, 3)]
            body += [_sentence(rng) for _ in range(3)]
            rng.shuffle(body)
            out.append((f"s{s}a{k}", f"2024-05-{10 + k:02d}", "\n\n".join(body)))
    return out


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "articles"
    root.mkdir()
    for name, date, text in _articles():
        (root / f"{name}.txt").write_text(f"Story {name}\n\nPublished: {date}\n\n{text}\n", encoding="utf-8")
    return root


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for name, date, text in _articles():
            fh.write(json.dumps({"id": name, "title": f"Story {name}", "date": date, "text": text}) + "\n")
    return path


def _view(m):
    """What a matrix says: cells and every sentence's provenance."""
    return m.cells, [[(p.verdict, p.source, p.candidates, p.shared) for p in sents] for sents in m.provenance]


def _in_memory(paths):
    articles, _ = load_articles(paths)
    return build_matrix(articles)


def test_streaming_a_folder_gives_the_in_memory_matrix(folder, tmp_path):
    store = tmp_path / "results.sqlite"
    stats = build_archive([folder], store)
    expected = _in_memory([folder])
    assert expected.cells  # the stories really share sentences
    assert _view(matrix_from_store(store)) == _view(expected)
    assert stats["aligned_article_pairs"] == expected.stats["aligned_article_pairs"]


def test_streaming_a_corpus_file_gives_the_in_memory_matrix(corpus, tmp_path):
    store = tmp_path / "results.sqlite"
    build_archive([corpus], store)
    got, expected = matrix_from_store(store), _in_memory([corpus])
    assert [a.path for a in got.articles] == [a.path for a in expected.articles]
    assert _view(got) == _view(expected)


def test_worker_processes_give_the_same_matrix(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "PROCESS_MIN_PAIRS", 0)  # even this small folder goes through the pool
    monkeypatch.setattr(archive, "FILES_PER_TASK", 2)
    build_archive([folder], tmp_path / "one.sqlite", workers=1)
    build_archive([folder], tmp_path / "two.sqlite", workers=2)
    assert _view(matrix_from_store(tmp_path / "two.sqlite")) == _view(matrix_from_store(tmp_path / "one.sqlite"))


def _counting_align(monkeypatch) -> list:
    calls = []
    real = archive.summarise_pair  # each pair the archive aligns

    def counted(a, b, opt):
        calls.append((a.path, b.path))
        return real(a, b, opt)

    monkeypatch.setattr(archive, "summarise_pair", counted)
    return calls


def test_resume_after_a_stop_redoes_nothing_and_gives_the_same_result(corpus, tmp_path, monkeypatch):
    whole = tmp_path / "whole.sqlite"
    total = build_archive([corpus], whole)["aligned_article_pairs"]
    assert total >= 4
    store, k = tmp_path / "stopped.sqlite", 3
    calls = _counting_align(monkeypatch)
    with pytest.raises(MatrixCancelled):
        build_archive([corpus], store, should_stop=lambda: len(calls) >= k)
    with ResultsStore(store) as s:
        assert s.n_pairs() == k  # the pairs finished before the stop were committed
    first = list(calls)
    calls.clear()
    stats = build_archive([corpus], store)
    assert stats["articles_read_now"] == 0 and stats["pairs_aligned_before"] == k
    assert stats["pairs_aligned_now"] == len(calls) == total - k
    assert not set(calls) & set(first)  # no finished pair aligned again
    assert _view(matrix_from_store(store)) == _view(matrix_from_store(whole))


def test_resume_after_a_stop_while_reading(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "FILES_PER_TASK", 4)
    store = tmp_path / "r.sqlite"
    seen = []

    def progress(done, total, stage):
        seen.append(stage)

    with pytest.raises(MatrixCancelled):
        build_archive([folder], store, progress=progress, should_stop=lambda: "load" in seen)
    with ResultsStore(store) as s:
        read = s.n_articles()
    assert 0 < read < 12
    stats = build_archive([folder], store)
    assert stats["articles_read_now"] == 12 - read and stats["articles"] == 12
    assert _view(matrix_from_store(store)) == _view(_in_memory([folder]))


def test_progress_goes_through_every_stage(folder, tmp_path):
    seen = []
    build_archive([folder], tmp_path / "p.sqlite", progress=lambda d, t, stage: seen.append((stage, d, t)))
    stages = [s for s, _, _ in seen]
    assert {"load", "index", "verify", "align"} <= set(stages)
    assert stages.index("load") < stages.index("index") < stages.index("verify") < stages.index("align")
    aligned = [(d, t) for s, d, t in seen if s == "align"]
    assert aligned[-1][0] == aligned[-1][1]  # the last report says all pairs are done


def test_cancel_before_any_pair_leaves_no_pair(folder, tmp_path, monkeypatch):
    calls = _counting_align(monkeypatch)
    store = tmp_path / "c.sqlite"
    with pytest.raises(MatrixCancelled):
        build_archive([folder], store, should_stop=lambda: True)
    assert not calls
    with ResultsStore(store) as s:
        assert s.n_pairs() == 0


def test_a_store_made_with_other_inputs_is_refused(folder, corpus, tmp_path):
    store = tmp_path / "s.sqlite"
    build_archive([folder], store)
    with pytest.raises(StoreMismatch, match="inputs"):
        build_archive([corpus], store)


def test_command_line_store_matches_the_in_memory_command(folder, tmp_path, capsys):
    assert main(["matrix", str(folder), "--no-cache", "--format", "csv"]) == 0
    plain = capsys.readouterr().out
    store = tmp_path / "cli.sqlite"
    assert main(["matrix", str(folder), "--store", str(store), "--format", "csv", "--jobs", "1"]) == 0
    assert capsys.readouterr().out == plain
    assert main(["matrix", str(folder), "--store", str(store), "--format", "csv", "--jobs", "1"]) == 0  # resumed
    assert capsys.readouterr().out == plain


def test_align_workers_take_the_stored_tokens_as_tokenising_would_give_them(corpus, tmp_path):
    from reader.alignment import prepared
    from reader.align import clear_caches
    from reader.folder.results_store import StoredArticles

    store = tmp_path / "t.sqlite"
    build_archive([corpus], store)
    clear_caches()
    arts = StoredArticles(str(store), tokens=True)
    adopted = {s.text: prepared._PREPARED.get(s.text) for i in range(2) for s in arts[i].sentences}
    assert adopted and all(v is not None for v in adopted.values())  # taken over as each article was read
    clear_caches()
    assert adopted == {text: prepared.prepare_sentence(text) for text in adopted}
    assert any(p.facts != p.content for p in adopted.values())  # capitals (names) were carried over
