"""Word files and e-mail (.eml, .mbox), with attachments that are articles; fixtures built here."""
from __future__ import annotations

import io
import json
import mailbox
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import docx
from pdf_writer import make_pdf
from support import refusal, write_file

from reader.articles import load_article, load_articles

ROOT = Path(__file__).resolve().parent.parent
P1 = ("The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, "
      "ending months of argument about who should pay for the work.")
P2 = ("The national government will cover two thirds of the cost, and the rest will come from a local levy "
      "that residents will pay over ten years.")
P3 = ("Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold "
      "back the higher tides that now reach the harbour.")


def word_file(title: str = "Council votes to rebuild the sea wall", table: bool = True) -> bytes:
    d = docx.Document()
    d.core_properties.title = "Template title"
    d.add_paragraph("PRESS RELEASE")
    d.add_heading(title, level=0)  # the "Title" style
    d.add_paragraph(P1)
    d.add_heading("Who pays", level=2)
    d.add_paragraph(P2)
    if table:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text, t.cell(0, 1).text = "Cost", "£12 million"
        t.cell(1, 0).text, t.cell(1, 1).text = "Work starts", "June"
    d.sections[0].header.paragraphs[0].text = "Portwell Council letterhead"
    d.sections[0].footer.paragraphs[0].text = "Page 1"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# -- Word ---------------------------------------------------------------------------------------
def test_a_word_file_reads_its_title_paragraphs_and_tables_not_its_header(tmp_path):
    art = load_article(write_file(tmp_path, "release.docx", word_file()))
    assert art.source == "docx"
    assert art.title == "Council votes to rebuild the sea wall"
    assert P1 in art.body and P2 in art.body and "Cost | £12 million" in art.text
    assert "letterhead" not in art.text and "Template title" not in art.text
    assert [s.text for s in art.sentences if s.kind == "title"] == ["Council votes to rebuild the sea wall"]
    for s in art.sentences:
        assert art.text[s.start:s.end] == s.text


def test_broken_and_old_word_files_get_one_line(tmp_path):
    assert refusal(write_file(tmp_path, "old.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)) == \
        "not a Word .docx file (an old .doc, or another format: save it as .docx)"
    assert refusal(write_file(tmp_path, "cut.docx", word_file()[:500])).startswith("damaged Word file, cannot be read")
    empty = docx.Document()
    buf = io.BytesIO()
    empty.save(buf)
    assert refusal(write_file(tmp_path, "empty.docx", buf.getvalue())) == "the Word file has no text"


# -- e-mail -------------------------------------------------------------------------------------
def message(body: str, subject: str = "Fwd: Council votes to rebuild the sea wall", attachments=()) -> EmailMessage:
    m = EmailMessage()
    m["From"] = "Portwell Council Press Office <press@portwell.gov.example>"
    m["To"] = "newsdesk@gazette.example"
    m["Subject"] = subject
    m["Date"] = "Tue, 12 Mar 2024 09:57:00 +0000"
    m.set_content(body)
    for name, data, mime in attachments:
        main, sub = mime.split("/")
        m.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return m


BODY = f"Hello all,\n\n{P1}\n\n{P3}\n\n> an old reply line\n\n-- \nJane Doe\nPress officer, 01234 567890\n"


def test_an_email_is_an_article_with_subject_date_and_sender(tmp_path):
    p = write_file(tmp_path, "wire.eml", bytes(message(BODY)))
    art = load_article(p)
    assert (art.source, art.title, art.date_iso, art.outlet) == (
        "eml", "Council votes to rebuild the sea wall", "2024-03-12", "Portwell Council Press Office")
    assert P1 in art.body and P3 in art.body
    assert "Jane Doe" not in art.text and "old reply" not in art.text
    assert {"signature removed", "1 quoted line of a reply removed"} <= set(art.notes)
    for s in art.sentences:
        assert art.text[s.start:s.end] == s.text


def test_a_forwarded_wire_story_loses_the_forward_header():
    from reader.inputs.email import clean_body

    text, notes = clean_body(f"FYI\n\n---------- Forwarded message ---------\nFrom: PA <news@pa.example>\n"
                             f"Date: Tue, 12 Mar 2024\nSubject: Sea wall\nTo: desk\n\n{P1}\n")
    assert text == f"FYI\n\n{P1}" and notes == ["forwarded-message header removed"]


def test_attachments_that_are_articles_are_offered_too(tmp_path):
    pdf = make_pdf([["Sea wall: the council's statement", "", P2, "", P3]])
    atts = [("release.pdf", pdf, "application/pdf"),
            ("release.docx", word_file(title="Sea wall to be rebuilt", table=False),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("notes.txt", f"Sea wall notes\n\n{P2}\n".encode(), "text/plain"),
            ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "image/png"),
            ("broken.pdf", b"%PDF-1.4 nothing", "application/pdf")]
    p = write_file(tmp_path, "mail.eml", bytes(message(BODY, attachments=atts)))
    articles, skipped = load_articles([p])
    assert [a.path for a in articles] == [str(p), f"{p}#release.pdf", f"{p}#release.docx", f"{p}#notes.txt"]
    assert [a.source for a in articles] == ["eml", "pdf", "docx", "txt"]
    assert [(s.path, s.reason.split(" (")[0]) for s in skipped] == [(f"{p}#broken.pdf", "damaged PDF, cannot be read")]
    assert all(a.date_iso == "2024-03-12" for a in articles)  # the message's date when they carry none
    assert load_article(f"{p}#release.docx").title == "Sea wall to be rebuilt"  # one attachment by name
    assert load_article(p).source == "eml"  # the mail itself is its message
    assert refusal(f"{p}#nothing.pdf") == f"no article 'nothing.pdf' in {p} (reader clean {p} lists them)"


def test_a_cover_note_beside_attachments_is_not_an_article(tmp_path):
    pdf = make_pdf([["Sea wall", "", P2]])
    p = write_file(tmp_path, "note.eml", bytes(message("Please find attached our release.\n",
                                                    attachments=[("r.pdf", pdf, "application/pdf")])))
    articles, skipped = load_articles([p])
    assert [a.path for a in articles] == [f"{p}#r.pdf"] and skipped == []


def test_an_html_only_email_is_read_through_its_html(tmp_path):
    m = EmailMessage()
    m["From"], m["Subject"], m["Date"] = "news@gazette.example", "Sea wall", "Wed, 13 Mar 2024 08:00:00 +0000"
    m.set_content(f"<html><body><article><h1>Sea wall</h1><p>{P1}</p><p>{P2}</p></article></body></html>",
                  subtype="html")
    art = load_article(write_file(tmp_path, "h.eml", bytes(m)))
    assert art.outlet == "gazette.example" and P1 in art.body and "<p>" not in art.text


def test_a_mailbox_is_several_articles(tmp_path):
    path = tmp_path / "desk.mbox"
    box = mailbox.mbox(str(path))
    box.add(message(f"{P1}\n\n{P3}\n", subject="Sea wall vote"))
    box.add(message(f"{P2}\n\n{P3}\n", subject="Re: Sea wall costs"))
    box.flush()
    box.close()
    articles, skipped = load_articles([path])
    assert [(a.path, a.title) for a in articles] == [(f"{path}#1", "Sea wall vote"), (f"{path}#2", "Sea wall costs")]
    assert skipped == []
    assert load_article(f"{path}#2").title == "Sea wall costs"
    assert refusal(path).startswith(f"holds several articles; name one as {path}#KEY")


def test_bad_email_files_get_one_line_and_the_folder_still_loads(tmp_path):
    write_file(tmp_path, "a.eml", bytes(message(BODY)))
    write_file(tmp_path, "b.eml", b"just some words, no headers at all\n")
    write_file(tmp_path, "c.mbox", b"no From line here\n")
    write_file(tmp_path, "d.docx", word_file())
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(tmp_path), "--format", "json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stderr.splitlines() == [
        f"reader: {tmp_path / 'b.eml'}: skipped: not an e-mail message (no From, Date, Subject or To header)",
        f"reader: {tmp_path / 'c.mbox'}: skipped: not an mbox mailbox (no message starts with a 'From ' line)"]
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [(o["source"], o["offsets"]) for o in objs] == [("eml", "extracted text"), ("docx", "extracted text")]
    for o in objs:
        assert all(o["text"][s["start"]:s["end"]] == s["text"] for s in o["sentences"])


def test_a_message_forwarded_as_an_attachment_is_an_article_too(tmp_path):
    inner = message(f"{P2}\n\n{P3}\n", subject="PA: Sea wall costs")
    outer = message("See the wire story below.\n")
    outer.add_attachment(inner)  # message/rfc822
    p = write_file(tmp_path, "fwd.eml", bytes(outer))
    articles, skipped = load_articles([p])
    assert [(a.path, a.title) for a in articles] == [(f"{p}#message-1", "PA: Sea wall costs")]
    assert skipped == []
