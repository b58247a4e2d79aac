"""Web addresses: fetched from a local server (127.0.0.1 only), kept, and read again offline.

Every failure (404, too many redirects, slow, huge, not a page, nothing listening) must
be one line naming the address, and the other addresses of the same command still load.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from web_server import ACCENTED, COPY, STORY, Page, Server, Streamed

from reader import __version__
from reader.articles import load_article, load_articles
from reader.inputs import options
from reader.inputs.registry import KEPT_SIDECAR
from reader.loading import LoadError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def keep(tmp_path):
    folder = tmp_path / "kept"
    options.configure(keep=folder, timeout=0.5, max_bytes=200 * 1024)
    yield folder
    options.reset()


@pytest.fixture
def server():
    routes = {
        "/story": Page(STORY),
        "/copy": Page(COPY),
        "/old": Page(b"", status=301, headers={"Location": "/story"}),
        "/loop": Page(b"", status=302, headers={"Location": "/loop"}),
        "/slow": Page(STORY, delay=2.0),
        "/huge-declared": Page(b"<p>x</p>", headers={"Content-Length": str(50 * 1024 * 1024)}),
        "/huge-streamed": Streamed(chunks=40),
        "/trickle": Streamed(chunks=100, size=64, pause=0.3),
        "/image": Page(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, content_type="image/png"),
        "/says-utf8-is-cp1252": Page(ACCENTED, content_type="text/html; charset=utf-8", encoding="cp1252"),
        "/says-latin1-is-utf8": Page(ACCENTED, content_type="text/html; charset=iso-8859-1"),
        "/plain": Page("Sea wall vote\n\nThe council of Portwell voted on Tuesday to rebuild the sea wall that "
                       "failed during the winter storms.\n", content_type="text/plain; charset=utf-8"),
    }
    with Server(routes) as s:
        yield s


def _reason(url: str) -> str:
    with pytest.raises(LoadError) as e:
        load_article(url)
    assert "\n" not in e.value.reason
    return e.value.reason


def test_a_page_is_fetched_extracted_and_kept_with_what_was_fetched(server, keep):
    url = server.url("/story")
    art = load_article(url)
    assert (art.source, art.path, art.url) == ("url", url, url)
    assert art.title == "Harbour town votes to rebuild its flooded sea wall"
    assert art.date_iso == "2024-03-12" and art.outlet == "Portwell Gazette" and art.byline == "Maria Lopez"
    assert art.body.startswith("The council of Portwell voted on Tuesday")
    assert "All rights reserved" not in art.body
    for s in art.sentences:
        assert art.text[s.start:s.end] == s.text
    assert server.requests == [("/story", server.requests[0][1])]
    assert server.requests[0][1].startswith(f"reader/{__version__}")
    sidecars = list(keep.glob(f"*{KEPT_SIDECAR}"))
    assert len(sidecars) == 1
    meta = json.loads(sidecars[0].read_text())
    assert meta["url"] == meta["final_url"] == url and meta["status"] == 200
    assert meta["content_type"] == "text/html" and meta["fetched"].endswith("+00:00")
    assert (keep / meta["file"]).read_bytes() == STORY.encode()


def test_a_kept_page_is_read_again_offline_and_gives_the_same_article(server, keep):
    url = server.url("/story")
    first = load_article(url)
    server.stop()  # offline from here on
    again = load_article(url)
    assert [s.text for s in again.sentences] == [s.text for s in first.sentences]
    assert (again.title, again.date_iso, again.outlet, again.url) == (first.title, first.date_iso, first.outlet, url)
    assert any("kept" in n for n in again.notes)
    options.configure(refetch=True)  # asked to fetch again, the server is gone: the kept copy, said so
    third = load_article(url)
    assert [s.text for s in third.sentences] == [s.text for s in first.sentences]
    assert any(n.startswith("fetching again failed (cannot fetch: connection refused)") for n in third.notes)


def test_a_kept_page_grown_past_the_limit_is_not_read_whole(server, keep, monkeypatch):
    """The keep folder is only as trusted as whoever can write to it: a kept page (or its
    record) is read through the same size cap as any input, never whole."""
    import reader.loading

    url = server.url("/story")
    load_article(url)
    server.stop()
    [record] = keep.glob("*" + KEPT_SIDECAR)
    page = keep / json.loads(record.read_text(encoding="utf-8"))["file"]
    monkeypatch.setattr(reader.loading, "MAX_BYTES", 4096)
    page.write_bytes(b"<p>" + b"x" * 10_000 + b"</p>")
    assert "too large" in _reason(str(page))            # opened as a file of the keep folder
    assert "connection refused" in _reason(url)         # the address: the copy is not used, fetching fails
    page.write_text(STORY, encoding="utf-8")
    record.write_bytes(b'{"url": "' + b"x" * 10_000 + b'"}')
    assert "unreadable" in _reason(str(page)) or "too large" in _reason(str(page))


def test_refetch_fetches_again(server, keep):
    url = server.url("/story")
    load_article(url)
    load_article(url)
    assert len(server.requests) == 1
    options.configure(refetch=True)
    load_article(url)
    assert len(server.requests) == 2


def test_a_keep_folder_opens_as_a_folder_with_urls_and_outlets(server, keep):
    load_article(server.url("/story"))
    load_article(server.url("/copy"))
    load_article(server.url("/plain"))
    server.stop()
    articles, skipped = load_articles([keep])
    assert skipped == []
    assert sorted(a.url for a in articles) == sorted(server.url(p) for p in ("/story", "/copy", "/plain"))
    assert {a.source for a in articles} == {"url"}
    assert "Portwell Gazette" in {a.outlet for a in articles}
    assert "127.0.0.1" in {a.outlet for a in articles}  # no og:site_name: the host


def test_a_redirect_is_followed_and_the_final_address_recorded(server, keep):
    art = load_article(server.url("/old"))
    assert art.url == server.url("/story") and art.path == server.url("/old")
    meta = json.loads(next(keep.glob(f"*{KEPT_SIDECAR}")).read_text())
    assert (meta["url"], meta["final_url"]) == (server.url("/old"), server.url("/story"))


def test_failures_are_one_line_each(server, keep):
    assert _reason(server.url("/missing")) == "HTTP 404 Not Found"
    assert _reason(server.url("/loop")) == "too many redirects (more than 5)"
    assert _reason(server.url("/image")) == "not an article page (content type image/png)"
    assert _reason(server.url("/huge-declared")).startswith("too large (50.0 MB; the limit is")
    assert _reason(server.url("/huge-streamed")) == "too large (more than 200 KB)"
    assert list(keep.glob("*")) == []  # nothing that failed is kept


def test_a_slow_server_times_out(server, keep):
    t0 = time.monotonic()
    assert _reason(server.url("/slow")) == "timed out (no answer within 0.5 s)"
    assert time.monotonic() - t0 < 1.8
    t0 = time.monotonic()  # bytes trickling in never end the read timeout, the deadline ends it
    assert _reason(server.url("/trickle")) == "timed out (download took longer than 1.5 s)"
    assert time.monotonic() - t0 < 3


def test_nothing_listening_is_one_line(keep):
    with Server() as s:
        url = s.url("/story")
    assert _reason(url) == "cannot fetch: connection refused"


def test_a_wrong_charset_in_the_header_does_not_garble_the_text(server, keep):
    for path in ("/says-utf8-is-cp1252", "/says-latin1-is-utf8"):
        art = load_article(server.url(path))
        assert art.title == "Café owners protest against the new terrace rules", path
        assert "the council’s new terrace rules" in art.body, path


def test_plain_text_at_an_address_is_an_article(server, keep):
    art = load_article(server.url("/plain"))
    assert art.source == "url" and art.outlet == "127.0.0.1"
    assert "rebuild the sea wall" in art.body


def _reader(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_cli_clean_diff_and_matrix_take_addresses_and_skip_bad_ones(server, tmp_path):
    kept = tmp_path / "kept"
    story, copy, missing = server.url("/story"), server.url("/copy"), server.url("/missing")
    out = _reader("clean", story, missing, copy, "--format", "json", "--keep", str(kept))
    assert out.returncode == 0, out.stderr
    assert out.stderr.strip().splitlines() == [f"reader: {missing}: skipped: HTTP 404 Not Found"]
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [o["path"] for o in objs] == [story, copy]
    assert {o["source"] for o in objs} == {"url"} and {o["offsets"] for o in objs} == {"extracted text"}
    for o in objs:
        assert all(o["text"][s["start"]:s["end"]] == s["text"] for s in o["sentences"])
    assert objs[0]["outlet"] == "Portwell Gazette" and objs[0]["url"] == story
    diff = _reader("diff", story, copy, "--format", "json", "--keep", str(kept))
    assert diff.returncode == 0, diff.stderr
    pairs = json.loads(diff.stdout)["pairs"]
    assert sum(p["status"] == "copied" for p in pairs) == 2
    matrix = _reader("matrix", story, copy, "--format", "json", "--keep", str(kept))
    assert matrix.returncode == 0, matrix.stderr
    assert [a["path"] for a in json.loads(matrix.stdout)["articles"]] == [story, copy]
    assert len(server.requests) == 3  # clean fetched three; diff and matrix read the kept copies


def test_cli_fails_with_one_line_when_the_only_address_fails(server, tmp_path):
    out = _reader("clean", server.url("/image"), "--keep", str(tmp_path / "k"))
    assert out.returncode != 0
    assert out.stderr.splitlines()[0] == f"reader: {server.url('/image')}: skipped: not an article page " \
                                         "(content type image/png)"


def test_clean_text_says_outlet_address_and_source(server, tmp_path):
    out = _reader("clean", server.url("/story"), "--keep", str(tmp_path / "k"))
    assert out.returncode == 0, out.stderr
    head = out.stdout.split("\n\n", 1)[0].splitlines()
    assert head[-3:] == ["Outlet: Portwell Gazette", f"URL: {server.url('/story')}",
                         "Source: url (offsets index the extracted text)"]


def test_a_proxy_from_the_environment_is_used_but_never_for_this_machine(server, keep, monkeypatch):
    with Server({"http://news.example/story": Page(STORY)}) as proxy:  # a proxy sees the whole address
        monkeypatch.setenv("http_proxy", proxy.url(""))
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("NO_PROXY", raising=False)
        art = load_article("http://news.example/story")
        assert art.url == "http://news.example/story" and art.outlet == "Portwell Gazette"
        assert [p for p, _ in proxy.requests] == ["http://news.example/story"]
        assert load_article(server.url("/copy")).source == "url"  # 127.0.0.1: straight to the server
        assert len(proxy.requests) == 1
