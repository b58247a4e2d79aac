"""HTML input: a small saved page, written for the test, read through trafilatura."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from reader.articles import load_article, load_articles
from reader.loading import LoadError

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sea wall to be rebuilt | Portwell Gazette</title>
<meta property="article:published_time" content="2024-03-12T09:57:00Z">
<meta name="author" content="Maria Lopez"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<main><article>
<h1>Harbour town votes to rebuild its flooded sea wall</h1>
<p>The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, ending months of argument about who should pay for the work.</p>
<p>Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold back the higher tides that now reach the harbour.</p>
<h2>Who pays</h2>
<p>The national government will cover two thirds of the cost, and the rest will come from a local levy that residents will pay over ten years.</p>
<p>Share this article</p>
</article></main>
<footer><p>© 2024 Portwell Gazette. All rights reserved.</p></footer>
</body></html>
"""


@pytest.fixture
def page(tmp_path):
    p = tmp_path / "sea-wall.html"
    p.write_text(PAGE, encoding="utf-8")
    return p


def test_html_page_is_extracted_with_metadata_and_offsets_into_the_extracted_text(page):
    art = load_article(page)
    assert art.source == "html"
    assert art.title == "Harbour town votes to rebuild its flooded sea wall"
    assert art.date_iso == "2024-03-12"
    assert art.byline == "Maria Lopez"
    assert art.body.startswith("The council of Portwell voted on Tuesday")
    assert "Who pays" in art.body.split("\n")
    assert "Home" not in art.body and "All rights reserved" not in art.body
    assert art.sentences[0].kind == "title"
    for s in art.sentences:  # every offset points into Article.text (the extracted text)
        assert art.text[s.start:s.end] == s.text
    assert [s.reason for s in art.stripped] == ["share button"]  # the same line rules ran over it
    assert art.text[art.stripped[0].start:art.stripped[0].end] == "Share this article"


def test_clean_json_says_source_html(page):
    out = subprocess.run([sys.executable, "-m", "reader", "clean", str(page), "--format", "json"],
                         capture_output=True, text=True, check=True)
    obj = json.loads(out.stdout.splitlines()[0])
    assert obj["source"] == "html"
    assert obj["title"] == "Harbour town votes to rebuild its flooded sea wall"
    assert obj["stripped"][0]["text"] == "Share this article"


def test_html_without_an_article_is_skipped_with_a_reason(tmp_path, page):
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>", encoding="utf-8")
    with pytest.raises(LoadError) as e:
        load_article(empty)
    assert "no article text" in e.value.reason
    articles, skipped = load_articles([str(page), str(empty)])
    assert [a.source for a in articles] == ["html"]
    assert [s.path for s in skipped] == [str(empty)]


def test_text_input_does_not_import_trafilatura(seeds):
    code = ("import sys\nfrom reader.cli import main\n"
            f"main(['diff', r'{sorted(seeds.glob('*.txt'))[0]}', r'{sorted(seeds.glob('*.txt'))[1]}', '--format', 'json'])\n"
            "assert 'trafilatura' not in sys.modules, 'trafilatura imported for .txt input'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-2000:]


def test_a_tag_with_200000_attributes_is_defused_not_parsed_for_minutes(tmp_path):
    """Hostile page: one start tag of 200,000 attributes kept the extractor busy for minutes;
    tags longer than html_input.MAX_TAG lose their attributes before parsing."""
    import time

    from reader.html_input import MAX_TAG, defuse, load_html

    attrs = " ".join(f'a{k}="v"' for k in range(200_000))
    para = "<p>" + " ".join(["The minister said the new bridge would open in the spring."] * 8) + "</p>"
    page = tmp_path / "attrs.html"
    page.write_text(f"<html><head><title>Bridge</title></head><body><div {attrs}>x</div>"
                    f"<article>{para}</article></body></html>", encoding="utf-8")
    t = time.perf_counter()
    art = load_html(page)
    assert time.perf_counter() - t < 60  # generous for a loaded machine: under a second
    assert any("new bridge" in s.text for s in art.sentences)
    small = '<a href="x" class="y">z</a>'
    assert defuse(small * 1000) == small * 1000  # ordinary tags untouched
    assert defuse("<img src='" + "A" * MAX_TAG + "'> after") == "<img> after"


def test_a_page_whose_meta_charset_lies_is_read_as_what_it_is(tmp_path):
    """UTF-8 bytes declared iso-8859-1 or utf-16 (issue 13): UTF-8 is tried first, so no mojibake."""
    from reader.html_input import load_html

    para = "<p>" + " ".join(["Der Bürgermeister sagte, dass die Straße für den Verkehr gesperrt wird."] * 4) + "</p>"
    for declared in ("iso-8859-1", "utf-16"):
        page = tmp_path / f"lie-{declared}.html"
        page.write_bytes(f'<html><head><meta charset="{declared}"><title>Straße</title></head>'
                         f"<body><article>{para}</article></body></html>".encode("utf-8"))
        art = load_html(page)
        body = " ".join(s.text for s in art.sentences)
        assert "Bürgermeister" in body and "Straße" in body and "Ã" not in body, declared
