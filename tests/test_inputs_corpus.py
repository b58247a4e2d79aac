"""Corpus files: JSONL and CSV rows, WARC records, each an article; fixtures written here."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from support import seed
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter
from web_server import COPY, STORY

from reader.articles import load_article, load_articles
from reader.inputs import options
from reader.loading import LoadError

ROOT = Path(__file__).resolve().parent.parent
P1 = ("The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, "
      "ending months of argument about who should pay for the work.")
P2 = ("The national government will cover two thirds of the cost, and the rest will come from a local levy "
      "that residents will pay over ten years.")


@pytest.fixture(autouse=True)
def _default_options():
    options.reset()
    yield
    options.reset()


def _reason(path) -> str:
    with pytest.raises(LoadError) as e:
        load_article(path)
    assert "\n" not in e.value.reason
    return e.value.reason


def _rows() -> list[dict]:
    return [{"id": "a1", "title": "Sea wall vote", "date": "2024-03-12T09:57:00Z", "outlet": "Portwell Gazette",
             "url": "https://gazette.example/sea-wall", "text": f"{P1}\n{P2}"},
            {"id": "b2", "headline": "Portwell wall", "published": "13 March 2024", "text": f"{P1}\r\nResidents cheered."}]


def test_jsonl_rows_are_articles_with_their_metadata_and_offsets_into_the_text_field(tmp_path):
    p = tmp_path / "corpus.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in _rows()) + "\n\n", encoding="utf-8")
    arts, skipped = load_articles([p])
    assert skipped == []
    a, b = arts
    assert (a.path, a.source, a.title, a.date_iso, a.outlet, a.url) == (
        f"{p}#a1", "jsonl", "Sea wall vote", "2024-03-12", "Portwell Gazette", "https://gazette.example/sea-wall")
    assert (b.path, b.title, b.date_iso, b.outlet) == (f"{p}#b2", "Portwell wall", "2024-03-13", None)
    assert a.text == f"{P1}\n{P2}"  # the text field as given: offsets are the dataset's own
    assert [s.text for s in a.sentences] == [P1, P2]
    assert load_article(f"{p}#b2").text == f"{P1}\nResidents cheered."
    assert _reason(p).startswith(f"holds several articles; name one as {p}#KEY")


def test_jsonl_bad_rows_are_one_line_each_and_the_rest_load(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"text": P1}) + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n"
                 + json.dumps({"text": P2}) + "\n", encoding="utf-8")
    arts, skipped = load_articles([p])
    assert [a.path for a in arts] == [f"{p}#1", f"{p}#4"]
    assert [(s.path, s.reason) for s in skipped] == [
        (f"{p}#2", "line 2 is not a JSON object"), (f"{p}#3", "row 3 has no text ('text' field missing or empty)")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("<html>\n", encoding="utf-8")
    assert load_articles([bad])[1][0].reason == "not JSON Lines (line 1 is not a JSON object)"


def test_field_names_can_be_given(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"doc": "x9", "story": P1, "hed": "Wall", "text": "not this one at all"}) + "\n",
                 encoding="utf-8")
    options.configure(fields={"text": "story", "title": "hed", "id": "doc"})
    (art,), _ = load_articles([p])
    assert (art.path, art.title, art.text) == (f"{p}#x9", "Wall", P1)


def test_csv_rows_with_semicolons_cp1252_and_tsv(tmp_path):
    p = tmp_path / "c.csv"
    with open(p, "w", newline="", encoding="cp1252") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Title", "Body", "Date"])
        w.writerow(["Café owners", f"{P1}\nThe café’s owners said so; \"quoted\".", "12/03/2024"])
        w.writerow(["Empty", "", ""])
    arts, skipped = load_articles([p])
    assert [(a.path, a.source, a.title) for a in arts] == [(f"{p}#1", "csv", "Café owners")]
    assert arts[0].text.endswith("The café’s owners said so; \"quoted\".")
    assert [s.reason for s in skipped] == ["row 2 has no text ('text' field missing or empty)"]
    t = tmp_path / "c.tsv"
    t.write_text(f"id\ttext\nk1\t{P1}\n", encoding="utf-8")
    assert [a.path for a in load_articles([t])[0]] == [f"{t}#k1"]
    none = tmp_path / "n.csv"
    none.write_text("name,age\nann,3\n", encoding="utf-8")
    assert _reason(none) == "no text column (looked for text, body, content, article; name it with --text-field)"


def _warc(path: Path) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=True)

        def response(uri, body: bytes, status="200 OK", ctype="text/html; charset=utf-8"):
            headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers))

        w.write_record(w.create_warc_record("https://gazette.example/robots.txt", "request",
                                            payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
        response("https://www.gazette.example/story", STORY.encode())
        response("https://gazette.example/old", b"", status="301 Moved Permanently")
        response("https://gazette.example/logo.png", b"\x89PNG\r\n", ctype="image/png")
        response("https://herald.example/copy", COPY.encode())
        response("https://herald.example/", b"<html><body><nav><a href='/'>Home</a></nav></body></html>")


def test_warc_pages_are_articles_and_the_rest_is_passed_over(tmp_path):
    p = tmp_path / "crawl.warc.gz"
    _warc(p)
    arts, skipped = load_articles([p])
    assert [(a.path, a.source, a.url, a.outlet) for a in arts] == [
        (f"{p}#2", "warc", "https://www.gazette.example/story", "Portwell Gazette"),
        (f"{p}#5", "warc", "https://herald.example/copy", "herald.example")]
    assert arts[0].date_iso == "2024-03-12" and arts[0].title == "Harbour town votes to rebuild its flooded sea wall"
    assert [s.path for s in skipped] == [f"{p}#6"]  # a home page: no article in it
    assert skipped[0].reason.startswith("no article text") and skipped[0].reason.endswith("(https://herald.example/)")
    assert load_article(f"{p}#5").url == "https://herald.example/copy"


def test_bad_warc_files_get_one_line(tmp_path):
    p = tmp_path / "crawl.warc.gz"
    _warc(p)
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(p.read_bytes()[:900])
    fake = tmp_path / "fake.warc"
    fake.write_bytes(b"hello, this is not an archive\n")
    arts, skipped = load_articles([cut, fake])
    assert [a.path for a in arts] == [f"{cut}#2"]  # the records before the cut still load
    assert [(s.path, s.reason) for s in skipped] == [
        (str(cut), "damaged: the archive is cut short (in or after record 2)"),
        (str(fake), skipped[1].reason)]
    assert skipped[1].reason == "not a WARC file (it does not start with a WARC/1.x record header)"


def test_matrix_on_a_corpus_file_works_like_a_folder(tmp_path):
    rows = [{"id": f"s{k}", "text": seed(f"00{k}").read_text(encoding="utf-8")} for k in range(3)]
    p = tmp_path / "seeds.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    by_row = subprocess.run([sys.executable, "-m", "reader", "matrix", str(p), "--format", "csv"],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert by_row.returncode == 0, by_row.stderr
    folder = tmp_path / "seeds"
    folder.mkdir()
    for k in range(3):
        (folder / f"s{k}.txt").write_text(rows[k]["text"], encoding="utf-8")
    by_file = subprocess.run([sys.executable, "-m", "reader", "matrix", str(folder), "--format", "csv"],
                             capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert by_file.returncode == 0, by_file.stderr
    assert by_row.stdout.replace("seeds.jsonl#", "") == by_file.stdout.replace(".txt", "")
    assert len(by_row.stdout.splitlines()) > 1


def test_clean_json_names_the_source_and_the_text_field(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"body": P1, "id": 7}) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(p), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    obj = json.loads(out.stdout)
    assert (obj["path"], obj["source"], obj["offsets"], obj["text"]) == (f"{p}#7", "jsonl", "text field", P1)
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(p), "--format", "json", "--text-field", "nope"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode != 0
    assert out.stderr.splitlines()[0] == f"reader: {p}#7: skipped: row 1 has no text ('nope' field missing or empty)"


def test_one_row_by_name_does_not_clean_the_others(tmp_path, monkeypatch):
    import reader.inputs.corpus as corpus

    p = tmp_path / "big.jsonl"
    p.write_text("\n".join(json.dumps({"text": f"{P1} Row {k}."}) for k in range(1, 301)) + "\n", encoding="utf-8")
    built = []
    real = corpus.build_article
    monkeypatch.setattr(corpus, "build_article", lambda *a, **k: built.append(a[1]) or real(*a, **k))
    assert load_article(f"{p}#250").text.endswith("Row 250.")
    assert built == [f"{p}#250"]
