"""A local web server for the web-address tests: 127.0.0.1 only, generated pages, in a thread.

Routes are a dict of path -> handler(request) so each test can add its own; the
server records every request's path and User-Agent so tests can check what was sent.
Never anything but the loopback address: the tests must not touch the internet.
"""
from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STORY = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Sea wall to be rebuilt | Portwell Gazette</title>
<meta property="og:site_name" content="Portwell Gazette">
<meta property="article:published_time" content="2024-03-12T09:57:00Z">
<meta name="author" content="Maria Lopez"></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li></ul></nav>
<main><article>
<h1>Harbour town votes to rebuild its flooded sea wall</h1>
<p>The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, ending months of argument about who should pay for the work.</p>
<p>Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold back the higher tides that now reach the harbour.</p>
<p>The national government will cover two thirds of the cost, and the rest will come from a local levy that residents will pay over ten years.</p>
</article></main>
<footer><p>© 2024 Portwell Gazette. All rights reserved.</p></footer>
</body></html>
"""

COPY = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Portwell to rebuild sea wall</title>
<meta property="article:published_time" content="2024-03-13T08:00:00Z"></head>
<body><article>
<h1>Portwell to rebuild sea wall after storms</h1>
<p>The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter storms, ending months of argument about who should pay for the work.</p>
<p>Residents welcomed the decision at a packed meeting in the town hall on Tuesday evening, where many said they had waited too long for it.</p>
<p>The national government will cover two thirds of the cost, and the rest will come from a local levy that residents will pay over ten years.</p>
</article></body></html>
"""

ACCENTED = """<!DOCTYPE html>
<html><head><title>Caf\u00e9 owners protest</title></head><body><article>
<h1>Caf\u00e9 owners protest against the new terrace rules</h1>
<p>Owners of the caf\u00e9s on the harbour front said on Monday that the council\u2019s new terrace rules would cost them most of their summer trade and several jobs.</p>
<p>The council said the rules were needed to keep the pavement clear for wheelchairs and prams, and that it would meet the owners next week to discuss them.</p>
</article></body></html>
"""


class Page:
    """A canned response."""

    def __init__(self, body: bytes | str = b"", status: int = 200, content_type: str | None = "text/html; charset=utf-8",
                 headers: dict | None = None, delay: float = 0.0, encoding: str = "utf-8"):
        self.body = body.encode(encoding) if isinstance(body, str) else body
        self.status, self.content_type, self.headers, self.delay = status, content_type, headers or {}, delay

    def send(self, h: BaseHTTPRequestHandler) -> None:
        if self.delay:
            time.sleep(self.delay)
        h.send_response(self.status)
        if self.content_type:
            h.send_header("Content-Type", self.content_type)
        for k, v in self.headers.items():
            h.send_header(k, v)
        if "Content-Length" not in self.headers:
            h.send_header("Content-Length", str(len(self.body)))
        h.end_headers()
        h.wfile.write(self.body)


class Streamed:
    """A body with no Content-Length, sent in pieces: `chunks` of `size` bytes, `pause` apart."""

    def __init__(self, chunks: int, size: int = 16 * 1024, pause: float = 0.0, content_type: str = "text/html"):
        self.chunks, self.size, self.pause, self.content_type = chunks, size, pause, content_type

    def send(self, h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", self.content_type)
        h.send_header("Connection", "close")
        h.end_headers()
        piece = b"<p>" + b"x" * (self.size - 7) + b"</p>\n"
        try:
            for _ in range(self.chunks):
                h.wfile.write(piece)
                h.wfile.flush()
                if self.pause:
                    time.sleep(self.pause)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should
        h.close_connection = True


class Server:
    """`with Server() as s:` serves `s.routes` on 127.0.0.1 at `s.url(path)`."""

    def __init__(self, routes: dict | None = None):
        self.routes: dict = dict(routes or {})
        self.requests: list[tuple[str, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - the http.server name
                outer.requests.append((self.path, self.headers.get("User-Agent", "")))
                page = outer.routes.get(self.path)
                if page is None:
                    page = Page("<h1>Not found</h1>", status=404)
                page.send(self)

            def log_message(self, *args):  # keep the test output quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.httpd.shutdown()
            self.thread.join(timeout=5)
        self.httpd.server_close()
