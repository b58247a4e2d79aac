"""E-mail: .eml messages and .mbox mailboxes (wire copy and press releases arrive this way).

Read with the standard library's `email` (modern policy) and `mailbox`; no dependency.
A message is an article: its subject (less "Re:"/"Fwd:") is the headline, put on the
first line of the text as `html_input` does with a page's headline; its body is the
plain-text part (else the HTML part, through trafilatura); the Date header gives the
date when the text carries none; the sender's name (else its domain) is the outlet.
A signature ("-- " and after), a forwarded-message header block and quoted lines of
a reply are not the article and are removed; when nearly every line is quoted (a
forwarded story), the quote marks go instead.

Attachments that are articles themselves (PDF, Word, text, HTML, a forwarded message)
are offered as articles too, named ``MAIL#FILENAME`` (in an mbox ``BOX#N#FILENAME``), with the
message's date and sender when they carry none.  A one-line cover note ("please find
attached...") beside such attachments is not offered as an article of its own.
Offsets index the extracted text of each (`Article.text`).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from ..loading import LoadError, Skipped, decode, normalise_newlines, read_bytes
from ..model import Article
from .common import build_article

COVER_NOTE_WORDS = 40  # a body shorter than this beside article attachments is a cover note
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|tr|sv|vs)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_FORWARD_MARK = re.compile(r"^-{2,}\s*(forwarded message|original message)\s*-{2,}\s*$|^begin forwarded message:$",
                           re.IGNORECASE)
_HEADER_LINE = re.compile(r"^(from|sent|date|to|cc|subject|reply-to)\s*:", re.IGNORECASE)
ATTACHMENT_KINDS = {".pdf": "pdf", ".docx": "docx", ".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html",
                    ".htm": "html"}


def iter_eml(path: str | Path, rules=None, only: str | None = None) -> Iterator[Article | Skipped]:
    data = read_bytes(path, "an e-mail")
    msg = message_from_bytes(data, policy=policy.default)
    if not any(msg.get(h) for h in ("From", "Date", "Subject", "To", "Message-ID")):
        raise LoadError(path, "not an e-mail message (no From, Date, Subject or To header)")
    yield from message_articles(msg, str(path), rules)


def iter_mbox(path: str | Path, rules=None, only: str | None = None) -> Iterator[Article | Skipped]:
    """Every message of a mailbox, numbered from 1 in file order (``BOX#1``, ``BOX#2``...)."""
    import mailbox

    try:
        if Path(path).stat().st_size == 0:
            raise LoadError(path, "empty file")
        box = mailbox.mbox(str(path), create=False)
        keys = box.keys()
    except (OSError, mailbox.Error) as e:
        raise LoadError(path, f"cannot read the mailbox ({type(e).__name__})") from None
    if not keys:
        raise LoadError(path, "not an mbox mailbox (no message starts with a 'From ' line)")
    try:
        for n, key in enumerate(keys, 1):
            if only is not None and only.split("#", 1)[0] != str(n):
                continue  # BOX#N or BOX#N#attachment: only message N
            msg = message_from_bytes(box.get_bytes(key), policy=policy.default)
            yield from message_articles(msg, f"{path}#{n}", rules)
    finally:
        box.close()


def message_articles(msg, path: str, rules) -> Iterator[Article | Skipped]:
    """The message's body as an article, then each attachment that is one."""
    subject = _subject(msg)
    date, date_iso = _date(msg)
    outlet = _sender(msg)
    attachments = [a for a in _attachments(msg) if _kind(a) is not None]
    try:
        body, notes = body_text(msg)
    except LoadError as e:
        yield Skipped(path, e.reason)
        body, notes = "", []
    if body.strip() and not (attachments and len(body.split()) < COVER_NOTE_WORDS):
        try:
            yield build_article(body, path, rules, source="eml", title=subject, date=date, date_iso=date_iso,
                                outlet=outlet, notes=notes)
        except LoadError as e:
            yield Skipped(path, e.reason)
    elif not attachments:
        yield Skipped(path, "the message has no text")
    for k, part in enumerate(attachments, 1):
        name = _safe_name(part.get_filename() or (f"message-{k}" if _kind(part) == "message" else "attachment"))
        sub = f"{path}#{name}"
        if _kind(part) == "message":  # a message forwarded as an attachment: its own articles
            inner = part.get_content()
            if hasattr(inner, "get_body"):
                yield from message_articles(inner, sub, rules)
            continue
        try:
            art = attachment_article(part, sub, rules)
        except LoadError as e:
            yield Skipped(sub, e.reason)
            continue
        if not art.date and date:
            art.date, art.date_iso = date, date_iso
        art.outlet = art.outlet or outlet
        art.notes.append(f"attached to the e-mail '{subject or '(no subject)'}'")
        yield art


def attachment_article(part, path: str, rules) -> Article:
    data = part.get_payload(decode=True) or b""
    if not data.strip():
        raise LoadError(path, "empty attachment")
    kind = _kind(part)
    if kind == "pdf":
        from .pdf import article_from_bytes

        return article_from_bytes(data, path, rules)
    if kind == "docx":
        from .docx import article_from_bytes

        return article_from_bytes(data, path, rules)
    try:
        text, encoding = decode(data)
    except ValueError as e:
        raise LoadError(path, str(e)) from None
    if kind == "html":
        from ..html_input import html_article

        return html_article(normalise_newlines(text), path, encoding, rules)
    return build_article(text, path, rules, source="txt", encoding=encoding, prepend_title=False)


def body_text(msg) -> tuple[str, list[str]]:
    """The article text of the message body, and notes on what was removed."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", []
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):  # an unknown or lying charset
        text = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    if not isinstance(text, str):
        return "", []
    text = normalise_newlines(text)
    if part.get_content_subtype() == "html":
        from ..html_input import extract

        try:
            text, _ = extract(text)
        except Exception as e:  # noqa: BLE001 - one line for a broken HTML body
            raise LoadError("", f"cannot extract the HTML body ({type(e).__name__})") from None
        return text, ["the HTML part of the message was read"]
    return clean_body(text)


def clean_body(text: str) -> tuple[str, list[str]]:
    """Remove the signature, forwarded-message headers and reply quotes from a plain body."""
    notes = []
    lines = text.split("\n")
    if "-- " in lines:
        lines = lines[:lines.index("-- ")]
        notes.append("signature removed")
    out: list[str] = []
    skipping = False
    for line in lines:
        if _FORWARD_MARK.match(line.strip()):
            skipping = True
            notes.append("forwarded-message header removed")
            continue
        if skipping and (_HEADER_LINE.match(line.strip()) or not line.strip()):
            continue  # the forwarded message's From/Date/Subject lines, up to its text
        skipping = False
        out.append(line)
    filled = [ln for ln in out if ln.strip()]
    quoted = [ln for ln in filled if ln.lstrip().startswith(">")]
    if filled and len(quoted) >= 0.8 * len(filled):
        out = [re.sub(r"^\s*(>\s?)+", "", ln) for ln in out]
        notes.append("quote marks removed")
    elif quoted:
        out = [ln for ln in out if not ln.lstrip().startswith(">")]
        notes.append(f"{len(quoted)} quoted line{'s' * (len(quoted) != 1)} of a reply removed")
    return "\n".join(out).strip("\n"), notes


def _attachments(msg) -> list:
    try:
        return list(msg.iter_attachments()) if msg.is_multipart() else []
    except (KeyError, TypeError, AttributeError):
        return []


def _kind(part) -> str | None:
    name = (part.get_filename() or "").lower()
    kind = ATTACHMENT_KINDS.get(Path(name).suffix) if name else None
    if kind is None and part.get_content_type() == "application/pdf":
        kind = "pdf"
    if kind is None and part.get_content_type() == "message/rfc822":
        kind = "message"
    return kind


def _safe_name(name: str) -> str:
    return re.sub(r"[#/\\\x00-\x1f]", "_", name).strip() or "attachment"


def _header(msg, name: str) -> str:
    try:
        return " ".join(str(msg.get(name) or "").split())
    except (ValueError, TypeError, IndexError, AttributeError):  # a malformed header: as if absent
        return ""


def _subject(msg) -> str | None:
    return _SUBJECT_PREFIX.sub("", _header(msg, "Subject")).strip() or None


def _date(msg) -> tuple[str | None, str | None]:
    raw = _header(msg, "Date")
    if not raw:
        return None, None
    try:
        return raw, parsedate_to_datetime(raw).date().isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return raw, None


def _sender(msg) -> str | None:
    name, address = parseaddr(_header(msg, "From"))
    if name.strip():
        return name.strip()
    return address.rpartition("@")[2].lower() or None
