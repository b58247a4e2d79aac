"""PDF input: the text layer of PDFs the tests write (`pdf_writer`), furniture removed.

Failure cases (scanned, encrypted, damaged, not a PDF) are one line each, and the
good files beside them still load.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdf
from pdf_writer import make_pdf
from support import refusal, seed, write_file
from web_server import Page, Server

from reader.align import align
from reader.articles import WRAPPED_NOTE, load_article, load_articles
from reader.inputs import options
from reader.inputs.pdf import extract_pages, page_text

ROOT = Path(__file__).resolve().parent.parent
HEADER = "PORTWELL COUNCIL - PRESS RELEASE"
PARA1 = ("The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, "
         "ending months of argument about who should pay for the work. Engineers had warned last year that the "
         "wall, built in the 1950s, was no longer strong enough to hold back the higher tides.")
PARA2 = ("The national government will cover two thirds of the cost, and the rest will come from a local levy "
         "that residents will pay over ten years, the council said in a statement on its website.")


def release_pdf() -> bytes:
    """Two pages with a running header, page numbers, wrapped paragraphs, one running over the break."""
    one, two = textwrap.wrap(PARA1, 70), textwrap.wrap(PARA2, 70)
    return make_pdf([[HEADER, "", "Council votes to rebuild the sea wall", "", *one, "", *two[:2], "", "Page 1 of 2"],
                     [HEADER, "", *two[2:], "", "Ends.", "", "Page 2 of 2"]], title="Sea wall release")


def test_a_press_release_pdf_reads_as_its_article(tmp_path):
    art = load_article(write_file(tmp_path, "release.pdf", release_pdf()))
    assert art.source == "pdf"
    assert art.title == "Council votes to rebuild the sea wall"
    assert HEADER not in art.text and "Page 1" not in art.text and "Page 2" not in art.text
    body = [s.text for s in art.sentences if s.kind == "body"]
    assert body == [
        "The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, "
        "ending months of argument about who should pay for the work.",
        "Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold "
        "back the higher tides.",
        PARA2,  # runs over the page break, read as one paragraph
    ]
    assert WRAPPED_NOTE in art.notes  # the hard wraps went to reader.wrapping, which joined them
    assert any(n.startswith("running header/footer lines removed: 'PORTWELL COUNCIL") for n in art.notes)
    for s in art.sentences:
        assert art.text[s.start:s.end].replace("\n", " ") == s.text


def test_hyphenation_at_line_ends_is_joined_only_where_the_document_shows_the_word():
    pages = [["The plan was long-term and they said the re-",
              "build would start soon; a rebuild is due. An inter-",
              "national team and a long-",
              "term plan. A sea\xad",
              "wall text."]]
    text, notes = page_text(extract_pages(make_pdf(pages), "x.pdf")[0])
    assert text.split("\n") == [
        "The plan was long-term and they said the",
        "rebuild would start soon; a rebuild is due. An inter-",  # "international" appears nowhere: as printed
        "national team and a",
        "long-term plan. A",   # "long-term" is written so elsewhere
        "seawall text.",       # a soft hyphen is always a break
    ]
    assert notes == ["3 words hyphenated at a line end joined"]


def test_bare_page_numbers_go_but_numbers_in_the_text_stay():
    pages = [["- 1 -", "Sales rose by 12 per cent in 2023, the company said on Monday in its report.", "7"]]
    text, notes = page_text(extract_pages(make_pdf(pages), "x.pdf")[0])
    assert text == "Sales rose by 12 per cent in 2023, the company said on Monday in its report."
    assert notes == ["2 page numbers removed"]


def _encrypted(user: str) -> bytes:
    w = pypdf.PdfWriter(clone_from=io.BytesIO(release_pdf()))
    w.encrypt(user, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def test_scanned_encrypted_and_damaged_pdfs_get_one_line_each(tmp_path):
    blank = pypdf.PdfWriter()
    blank.add_blank_page(595, 842)
    buf = io.BytesIO()
    blank.write(buf)
    assert refusal(write_file(tmp_path, "scan.pdf", buf.getvalue())) == \
        "no text layer (a scanned PDF? reader does not read text in images)"
    assert refusal(write_file(tmp_path, "locked.pdf", _encrypted("secret"))) == \
        "encrypted PDF (it needs a password; reader cannot open it)"
    assert refusal(write_file(tmp_path, "cut.pdf", release_pdf()[:400])).startswith("damaged PDF, cannot be read")
    assert refusal(write_file(tmp_path, "fake.pdf", b"<html>not a pdf</html>")) == "not a PDF file (no %PDF header)"
    # Encrypted with an empty user password (permissions only): readable.
    assert load_article(write_file(tmp_path, "perm.pdf", _encrypted(""))).title == "Council votes to rebuild the sea wall"


def test_a_folder_with_pdfs_loads_the_good_ones_and_reports_the_rest(tmp_path):
    write_file(tmp_path, "a-release.pdf", release_pdf())
    write_file(tmp_path, "b-locked.pdf", _encrypted("secret"))
    write_file(tmp_path, "c-story.txt", f"Sea wall vote\n\n{PARA1}\n".encode())
    articles, skipped = load_articles([tmp_path])
    assert [a.name for a in articles] == ["a-release.pdf", "c-story.txt"]
    assert [(Path(s.path).name, s.reason) for s in skipped] == [
        ("b-locked.pdf", "encrypted PDF (it needs a password; reader cannot open it)")]


def test_clean_json_says_pdf_and_the_offsets_index_the_extracted_text(tmp_path):
    pdf = write_file(tmp_path, "release.pdf", release_pdf())
    bad = write_file(tmp_path, "cut.pdf", release_pdf()[:400])
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(pdf), str(bad), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == [f"reader: {bad}: skipped: damaged PDF, cannot be read (PdfStreamError)"]
    obj = json.loads(out.stdout)
    assert (obj["source"], obj["offsets"]) == ("pdf", "extracted text")
    assert all(obj["text"][s["start"]:s["end"]].replace("\n", " ") == s["text"] for s in obj["sentences"])


def test_a_pdf_press_release_against_a_seed_article(tmp_path):
    """The seed's own paragraphs, typeset as a two-page PDF, align as copies of the seed."""
    src = seed("000")
    paras = [p for p in src.read_text(encoding="utf-8").split("\n") if len(p.split()) > 12][:6]
    lines: list[str] = []
    for p in paras:
        lines += [*textwrap.wrap(p, 75), ""]
    half = len(lines) // 2
    pdf = write_file(tmp_path, "release.pdf", make_pdf([["Press office", *lines[:half], "1"],
                                                     ["Press office", *lines[half:], "2"]]))
    al = align(load_article(pdf), load_article(src))
    counts = al.counts("left")
    assert counts["copied"] >= len(paras) - 1 and counts["added"] <= 1


def test_a_pdf_at_a_web_address(tmp_path):
    options.configure(keep=tmp_path / "kept", timeout=2)
    try:
        with Server({"/release.pdf": Page(release_pdf(), content_type="application/pdf")}) as s:
            art = load_article(s.url("/release.pdf"))
        assert (art.source, art.url, art.outlet) == ("url", s.url("/release.pdf"), "127.0.0.1")
        assert art.title == "Council votes to rebuild the sea wall"
        assert [a.source for a in load_articles([tmp_path / "kept"])[0]] == ["url"]  # the kept PDF reopens
    finally:
        options.reset()
