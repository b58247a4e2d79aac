"""Finding article files and decoding them, whatever encoding or junk they hold.

A newsroom folder is messy: UTF-16 exports from Word, cp1252 files from old CMSs,
mojibake from copy-paste, stray binaries.  Every failure becomes a `Skipped` entry
with a one-line reason, so callers can report it and carry on with the good files;
nothing here raises on bad input except `LoadError`, which carries that reason.
"""
from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .inputs.registry import FOLDER_SUFFIXES, in_folder, not_a_file

TEXT_SUFFIXES = frozenset({".txt", ".md", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
ARTICLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024  # a news article is never 20 MB; refuse rather than hang


class LoadError(Exception):
    """A file that cannot be used, with a reason fit to show the user."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(slots=True)
class Skipped:
    path: str
    reason: str

    def message(self) -> str:
        return f"{self.path}: skipped: {self.reason}"


@dataclass(slots=True)
class Discovery:
    """The files found under the user's paths, and the paths that gave none."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def discover(paths: list[str | Path]) -> Discovery:
    """Expand files and folders into article files, sorted by name within a folder.

    A file named explicitly is taken whatever its suffix (the user asked for it);
    inside a folder only article suffixes count, so images and notes are ignored.
    """
    found = Discovery()
    seen: set[Path] = set()
    for raw in paths:
        other = not_a_file(raw)  # a web address, or FILE#KEY (one article of a corpus file)
        if other is not None:
            if other not in found.files:
                found.files.append(other)  # a str: Path() would fold a URL's "//"
            continue
        p = Path(raw)
        try:
            exists, is_dir = p.exists(), p.is_dir()
        except OSError as e:  # e.g. inside a folder this user may not search
            found.skipped.append(Skipped(str(raw), _why(e)))
            continue
        if not exists:
            found.skipped.append(Skipped(str(raw), "no such file or folder"))
            continue
        if is_dir:
            try:
                with os.scandir(p) as it:
                    entries = sorted(it, key=lambda e: e.name)
                folder = p.resolve()
            except OSError as e:
                found.skipped.append(Skipped(str(raw), f"cannot list folder ({_why(e)})"))
                continue
            files, refused = [], False
            for entry in entries:
                q = p / entry.name
                if not (q.suffix.lower() in ARTICLE_SUFFIXES or in_folder(q)):
                    continue
                try:
                    if q.is_file():  # a stat: a folder that may be listed but not searched refuses it
                        # a symlink may lead anywhere; any other entry is the folder's own file (no resolve:
                        # it walks every component of the path, twice per file, a third of a warm start)
                        files.append((q, q.resolve() if entry.is_symlink() else folder / entry.name))
                except OSError as e:  # listed, but not searchable: said once per file, the rest goes on
                    found.skipped.append(Skipped(str(q), _why(e)))
                    refused = True
            if not files and not refused:
                kinds = ", ".join([".txt, .md, .text, .html", *sorted(FOLDER_SUFFIXES)])
                found.skipped.append(Skipped(str(raw), f"folder has no article files ({kinds})"))
            for q, real in files:
                if real not in seen:
                    seen.add(real)
                    found.files.append(q)
        elif p.resolve() not in seen:
            seen.add(p.resolve())
            found.files.append(p)
    return found


def _why(e: OSError) -> str:
    """An OSError as the reason in a one-line message."""
    return "permission denied" if isinstance(e, PermissionError) else f"cannot read ({e.strerror or e})"


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes to text and name the encoding used.

    Order matters: a BOM is authoritative; NUL bytes without a UTF-16 BOM mean a
    binary file; strict UTF-8 next; then cp1252 (which covers Latin-1's printable
    range plus smart quotes), then Latin-1, which never fails.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    if b"\x00" in data[:8192]:
        wide = _wide_unicode(data)
        if wide is None:
            raise ValueError("binary file (contains NUL bytes)")
        return wide
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text, enc = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, enc = data.decode("latin-1"), "latin-1"
    if _looks_binary(text):
        raise ValueError("binary file (not text in any known encoding)")
    return text, enc


def _wide_unicode(data: bytes) -> tuple[str, str] | None:
    """UTF-32 or UTF-16 without a BOM, told from a binary by where its NUL bytes fall.

    Text in those encodings has NULs in fixed byte positions: UTF-32 has a zero top
    byte in every 4-byte unit (and a second one at most 0x10), UTF-16 has zeros in the
    high byte of every Latin character and (almost) never in the low byte.  A binary
    file has them everywhere or nowhere in particular.  The candidate must also decode
    cleanly, read as text (`_looks_binary`) and hold some white space (every script's
    text has spaces or line breaks), so a lucky pattern is not enough.
    """
    sample = data[:8192]
    sample = sample[:len(sample) - len(sample) % 4]
    if len(sample) < 16:
        return None
    candidates = []
    if len(sample) >= 4:
        units = [sample[k:k + 4] for k in range(0, len(sample), 4)]
        if all(u[3] == 0 and u[2] <= 0x10 for u in units):
            candidates.append("utf-32-le")
        if all(u[0] == 0 and u[1] <= 0x10 for u in units):
            candidates.append("utf-32-be")
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd and even <= odd // 20:
        candidates.append("utf-16-le")
    if even and odd <= even // 20:
        candidates.append("utf-16-be")
    for enc in candidates:
        try:
            head = sample.decode(enc)
        except UnicodeDecodeError:
            continue  # e.g. a surrogate pair cut at the sample's end: try the whole file
        if "\x00" in head or _looks_binary(head) or not any(c.isspace() for c in head):
            continue
        text = data.decode(enc, errors="replace")
        return text, enc
    return None


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f")
    return control / len(sample) > 0.05


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A UTF-8 lead byte read as cp1252/Latin-1 ("Ã", "â", "Â"...) followed by a
# continuation byte read the same way: the fingerprint of mojibake.  Checking for it
# first keeps clean text (nearly all of it) away from ftfy's slower whole-text scan.
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00f4][\u0080-\u00bf\u2018-\u203a\u20ac\u0152\u0153\u0160\u0161"
                            "\u0178\u017d\u017e\u0192\u02c6\u02dc\u2122]")


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-Latin-1 damage ("Weâ€™d" -> "We’d"), and only that.

    ftfy's full `fix_text` also straightens quotes and changes widths, which would
    alter what the outlet published; `fix_encoding` only reverses the mis-decoding.
    """
    if not _MOJIBAKE_HINT.search(text):
        return text
    try:
        from ftfy import fix_encoding
        from ftfy.badness import is_bad
    except ImportError:  # ftfy is a dependency, but a broken install should not stop reading
        return text
    if not is_bad(text):
        return text
    return fix_encoding(text)


def read_bytes(path: str | Path, kind: str = "an article") -> bytes:
    """A file's bytes; LoadError with a reason for folders, huge, unreadable or empty files.

    At most `MAX_BYTES` + 1 bytes are ever read: the size a file reports is only a
    hint (a device such as /dev/zero, a FIFO or a /proc file reports 0 and never ends),
    so the cap is enforced on what actually arrives.
    """
    p = Path(path)
    try:
        fd = os.open(p, os.O_RDONLY)
        try:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise LoadError(p, "is a folder")
            if stat.S_ISREG(st.st_mode) and st.st_size > MAX_BYTES:  # say how large, without reading it
                raise LoadError(p, f"too large for {kind} ({st.st_size // (1024 * 1024)} MB)")
            data = _read_at_most(fd, MAX_BYTES + 1)
        finally:
            os.close(fd)
    except LoadError:
        raise
    except PermissionError:
        raise LoadError(p, "permission denied") from None
    except FileNotFoundError:
        raise LoadError(p, "no such file") from None
    except IsADirectoryError:
        raise LoadError(p, "is a folder") from None
    except OSError as e:
        raise LoadError(p, f"cannot read ({e.strerror or e})") from None
    if len(data) > MAX_BYTES:
        raise LoadError(p, f"too large for {kind} (over {MAX_BYTES // (1024 * 1024)} MB)")
    if not data.strip():
        raise LoadError(p, "empty file")
    return data


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    left = limit
    while left > 0:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a file into normalised text; raise LoadError with a reason on any problem."""
    text, enc, _ = read_text_repaired(path)
    return text, enc


def read_text_repaired(path: str | Path) -> tuple[str, str, bool]:
    """`read_text`, and whether mojibake was repaired: then the text (and every offset into
    it) is no longer the decoded file's, and the user must be told which text it is."""
    p = Path(path)
    data = read_bytes(p)
    try:
        text, enc = decode(data)
    except ValueError as e:
        raise LoadError(p, str(e)) from None
    decoded = normalise_newlines(text)
    text = repair_mojibake(decoded)
    if not text.strip():
        raise LoadError(p, "empty file")
    return text, enc, text != decoded
