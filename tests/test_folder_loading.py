"""reader.folder.loading: the app's folder loader (cache record, per-file rows, chunks in order)."""
from __future__ import annotations

import threading

import pytest

from reader.articles import load_articles
from reader.cache import MatrixCache
from reader.cache import article_from_json, article_to_json
from reader.folder.loading import FOLDER_TABLE, chunk_size, load_files, load_folder, open_folder
from reader.model import Sentence
from reader.rules import load_rules


def _folder(tmp_path, n=9):
    folder = tmp_path / "f"
    folder.mkdir()
    for k in range(n):
        (folder / f"{k:02d}.txt").write_text(f"Story {k} headline\n\nThe council met on day {k} to vote. "
                                             f"It approved plan number {k * 7} after a long debate.\n",
                                             encoding="utf-8")
    (folder / "zz-empty.txt").write_text("   \n", encoding="utf-8")
    return folder


def _all(batches):
    arts, skipped, finals = [], [], 0
    for b in batches:
        arts += b.articles
        skipped += b.skipped
        finals += b.final
    return arts, skipped, finals


def test_same_articles_as_load_articles_in_folder_order_with_chunks(tmp_path):
    folder = _folder(tmp_path)
    rules = load_rules(include_user=False)
    want, want_skipped = load_articles([folder], rules)
    calls = []

    def clean(paths, rules, cancelled):
        calls.append(len(paths))
        return load_files(paths, rules)

    arts, skipped, finals = _all(load_folder([str(folder)], rules, clean=clean, jobs=2, batch_seconds=0))
    assert arts == want and [s.path for s in skipped] == [s.path for s in want_skipped]
    assert finals == 1 and len(calls) > 1 and sum(calls) == 10


def test_reopened_folder_is_one_cache_record_and_an_edit_misses(tmp_path):
    folder = _folder(tmp_path)
    rules = load_rules(include_user=False)
    with MatrixCache(tmp_path / "c.sqlite") as cache:
        first, _, _ = _all(load_folder([str(folder)], rules, cache=cache))
    cleaned = []

    def clean(paths, rules, cancelled):
        cleaned.extend(paths)
        return load_files(paths, rules)

    with MatrixCache(tmp_path / "c.sqlite") as cache:
        batches = list(load_folder([str(folder)], rules, cache=cache, clean=clean))
        assert len(batches) == 1 and batches[0].from_cache and batches[0].final
        assert batches[0].articles == first and cleaned == []
        assert [s.reason for s in batches[0].skipped] == ["empty file"]
    (folder / "03.txt").write_text("Edited headline\n\nSomething else entirely happened today.\n", encoding="utf-8")
    with MatrixCache(tmp_path / "c.sqlite") as cache:
        again, _, _ = _all(load_folder([str(folder)], rules, cache=cache, clean=clean))
    assert "Something else entirely" in again[3].text
    assert cleaned == [str(folder / "03.txt"), str(folder / "zz-empty.txt")]  # the rest came from per-file rows


def test_an_opening_started_beforehand_is_used_as_is(tmp_path):
    """The app opens the folder while its first screen is composed and hands the opening over."""
    folder = _folder(tmp_path)
    rules = load_rules(include_user=False)
    with MatrixCache(tmp_path / "c.sqlite") as cache:
        first, _, _ = _all(load_folder([str(folder)], rules, cache=cache))
        opening = open_folder([str(folder)], rules, cache)
        assert opening.known is not None and opening.fkey
        batches = list(load_folder([str(folder)], rules, cache=cache, opening=opening,
                                   clean=lambda *a: pytest.fail("nothing to clean")))
    assert len(batches) == 1 and batches[0].from_cache and batches[0].articles == first
    no_cache = open_folder([str(folder)], rules, None)
    assert no_cache.known is None and no_cache.fkey is None and no_cache.keys == [None] * 10


def test_a_cache_row_leaves_out_sentence_text_that_is_a_slice_of_the_article(tmp_path):
    folder = _folder(tmp_path, n=1)
    art = load_articles([folder], load_rules(include_user=False))[0][0]
    row = article_to_json(art)
    assert all(len(s) == 3 for s in row["sentences"])  # start, end, kind: the text is the article's slice
    assert article_from_json(row, art.path) == art
    # a sentence whose text is not its slice (joined hard-wrapped lines) keeps it, and rows
    # written before (text always there) still read
    art.sentences[0] = Sentence(art.sentences[0].start, art.sentences[0].end, "Joined text.", art.sentences[0].kind)
    row = article_to_json(art)
    assert row["sentences"][0][3] == "Joined text." and article_from_json(row, art.path) == art
    old = dict(row, sentences=[[s.start, s.end, s.kind, s.text] for s in art.sentences])
    assert article_from_json(old, art.path) == art


def test_a_failing_chunk_is_retried_file_by_file_and_only_the_bad_file_is_skipped(tmp_path):
    folder = _folder(tmp_path)
    rules = load_rules(include_user=False)

    def clean(paths, rules, cancelled):
        if any(p.endswith("04.txt") for p in paths):
            raise RuntimeError("helper died")
        return load_files(paths, rules)

    arts, skipped, _ = _all(load_folder([str(folder)], rules, clean=clean, jobs=2))
    assert len(arts) == 8
    assert any(s.path.endswith("04.txt") and "helper died" in s.reason for s in skipped)


def test_stopping_ends_without_a_final_batch_and_writes_no_cache(tmp_path):
    folder = _folder(tmp_path)
    rules = load_rules(include_user=False)
    stop = threading.Event()

    def clean(paths, rules, cancelled):
        stop.set()
        return load_files(paths, rules)

    with MatrixCache(tmp_path / "c.sqlite") as cache:
        _, _, finals = _all(load_folder([str(folder)], rules, cache=cache, clean=clean, should_stop=stop.is_set))
        assert finals == 0
        assert cache.get_many("articles", ["x"]) == {}
        n = cache._db.execute(f"SELECT COUNT(*) FROM {FOLDER_TABLE}").fetchone()[0]
    assert n == 0


@pytest.mark.parametrize("n, jobs, size", [(0, 2, 2), (10, 2, 2), (500, 2, 24), (100, 2, 9)])
def test_chunk_size(n, jobs, size):
    assert chunk_size(n, jobs) == size


def test_the_same_bytes_as_txt_and_as_html_are_two_articles(tmp_path):
    from reader.cache import engine_digest, file_key

    salt = engine_digest().encode()
    data = b"<p>Council votes</p>\n"
    assert file_key(salt, tmp_path / "a.txt", data) != file_key(salt, tmp_path / "a.html", data)
    assert file_key(salt, tmp_path / "a.txt", data) == file_key(salt, tmp_path / "b.TXT", data)
