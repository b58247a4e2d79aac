"""`kind_of`: which reader a path goes to, decided from its name (and a kept page's sidecar)."""
from __future__ import annotations

import pytest

from reader.inputs.registry import KEPT_SIDECAR, kept_sidecar, kind_of


@pytest.mark.parametrize("name, kind", [
    ("story.txt", None), ("page.HTML", None), ("Report.PDF", "pdf"), ("memo.docx", "docx"),
    ("mail.eml", "eml"), ("box.mbox", "mbox"), ("corpus.jsonl", "jsonl"), ("table.csv", "csv"),
    ("crawl.warc.gz", "warc"), ("crawl.warc", "warc"), ("a.b.txt", None), (".txt", None), ("noext", None),
])
def test_kinds_come_from_the_name(tmp_path, name, kind):
    assert kind_of(tmp_path / name) == kind
    assert kind_of(str(tmp_path / name)) == kind


@pytest.mark.parametrize("name", ["page.html", "page.htm", "Page.TXT", "doc.v2.pdf"])
def test_a_page_with_its_sidecar_is_a_kept_page(tmp_path, name):
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    assert kind_of(path) != "kept"
    kept_sidecar(path).write_text("{}", encoding="utf-8")
    assert kept_sidecar(path).name.endswith(KEPT_SIDECAR)
    assert kind_of(path) == "kept" and kind_of(str(path)) == "kept"


def test_urls_are_urls():
    assert kind_of("https://example.org/story.txt") == "url"
