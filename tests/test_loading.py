"""Decoding any encoding, and refusing junk with a reason instead of a traceback."""
from __future__ import annotations

import codecs
import os

import pytest

from reader.articles import load_articles
from reader.loading import LoadError, decode, discover, read_text


def test_utf8_with_and_without_bom():
    assert decode("Café “quoted”".encode("utf-8")) == ("Café “quoted”", "utf-8")
    assert decode(codecs.BOM_UTF8 + "Café".encode("utf-8"))[0] == "Café"


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(enc):
    bom = codecs.BOM_UTF16_LE if enc.endswith("le") else codecs.BOM_UTF16_BE
    assert decode(bom + "Café au lait.".encode(enc))[0] == "Café au lait."


def test_legacy_single_byte_text_survives():
    text, enc = decode("Café said “hi”.".encode("cp1252"))
    assert text == "Café said “hi”."
    assert enc == "cp1252"


def test_latin1_fallback_for_bytes_cp1252_lacks():
    text, _ = decode(b"Caf\xe9 \x81 ok")  # 0x81 is undefined in cp1252
    assert text.startswith("Café")


def test_binary_is_refused():
    with pytest.raises(ValueError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_newlines_normalised_and_mojibake_repaired(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("We’d go.\r\nNext line.\rLast.".encode("utf-8").decode("latin-1").encode("utf-8"))
    text, _ = read_text(f)
    assert text == "We’d go.\nNext line.\nLast."


def test_clean_text_is_left_exactly_as_published(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("“Curly” quotes, café, naïve — and a dash.\n", encoding="utf-8")
    assert read_text(f)[0] == "“Curly” quotes, café, naïve — and a dash.\n"
    # The mojibake hint must not fire on ordinary accented text either:
    g = tmp_path / "b.txt"
    g.write_text("Le député a dit: « Ça suffit ». Über Österreich.\n", encoding="utf-8")
    assert read_text(g)[0] == "Le député a dit: « Ça suffit ». Über Österreich.\n"


@pytest.mark.parametrize("content,reason", [(b"", "empty file"), (b"  \n\n ", "empty file"),
                                            (b"abc\x00def\x00", "binary")])
def test_bad_files_raise_load_error_with_reason(tmp_path, content, reason):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(LoadError) as e:
        read_text(f)
    assert reason in e.value.reason


def test_unreadable_file(tmp_path, monkeypatch):
    f = tmp_path / "locked.txt"
    f.write_text("text", encoding="utf-8")

    real_open = os.open

    def deny(path, *a, **k):  # what the OS does for a file this user may not read
        if os.fspath(path) == str(f):
            raise PermissionError(13, "Permission denied")
        return real_open(path, *a, **k)

    monkeypatch.setattr(os, "open", deny)
    with pytest.raises(LoadError, match="permission denied"):
        read_text(f)


def test_discover_sorts_and_reports_missing_and_empty_folders(tmp_path):
    (tmp_path / "b.txt").write_text("B.", encoding="utf-8")
    (tmp_path / "a.md").write_text("A.", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    empty = tmp_path / "empty"
    empty.mkdir()
    found = discover([tmp_path, tmp_path / "nope", empty])
    assert [p.name for p in found.files] == ["a.md", "b.txt"]
    reasons = {s.path: s.reason for s in found.skipped}
    assert "no such file" in reasons[str(tmp_path / "nope")]
    assert "no article files" in reasons[str(empty)]


def test_folder_keeps_good_files_and_skips_bad(tmp_path):
    (tmp_path / "good.txt").write_text("Putin will visit China. He said so.", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 10)
    articles, skipped = load_articles([tmp_path])
    assert [a.name for a in articles] == ["good.txt"]
    assert sorted(s.path.rsplit("/", 1)[-1] for s in skipped) == ["binary.txt", "empty.txt"]
