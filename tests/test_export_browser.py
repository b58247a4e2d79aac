"""The exported page in a real browser: Debian's chromium driven by Playwright.

Checks what a reader of the page would see: both articles' sentences, the header
counts equal to `reader diff --format json`, a click highlighting the partner, no
console errors, no network requests, and a hostile article shown as text with
nothing executed.  Skips (saying why) when chromium or Playwright is missing; CI
installs chromium (`.ci/run`).  Never runs `playwright install`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def _chromium() -> str | None:
    for cand in (os.environ.get("READER_CHROMIUM"), "/usr/bin/chromium",
                 shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright's Python package is not installed")
    exe = _chromium()
    if exe is None:
        pytest.skip("no chromium found (apt-get install chromium, or set READER_CHROMIUM); browser tests skipped")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


def reader(*args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


class Opened:
    """A page with its console errors, uncaught exceptions and network requests recorded."""

    def __init__(self, browser, html_path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = html_path.resolve().as_uri()
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def text(self, selector: str) -> str:
        return " ".join(self.page.inner_text(selector).split())

    def classes(self, key: str) -> list[str]:
        return self.page.eval_on_selector_all(f'[data-s="{key}"]', "els => els.map(e => e.className)")


def export(tmp_path: Path, a: Path, b: Path) -> tuple[dict, Path]:
    data = json.loads(reader("diff", str(a), str(b), "--format", "json"))
    out = tmp_path / "page.html"
    reader("diff", str(a), str(b), "--format", "html", "-o", str(out))
    return data, out


def test_seed_page_shows_everything_and_highlights_partners(browser, tmp_path):
    seeds = sorted(SEEDS.glob("00[01]_*.txt"))
    data, out = export(tmp_path, *seeds)
    view = Opened(browser, out)
    page = view.page
    for letter, side, prefix in (("A", "left", "L"), ("B", "right", "R")):
        for i, s in enumerate(data[side]["sentences"]):
            shown = view.text(f'[data-s="{prefix}{i}"]')
            assert " ".join(s["text"].split()) in shown, (prefix, i)
        for st, n in data[side]["counts"].items():
            assert view.text(f'.count[data-side="{letter}"][data-status="{st}"]') == str(n)

    pair = next(p for p in data["pairs"] if p["status"] == "changed")
    left = f'L{pair["left"][0]}'
    page.click(f'[data-s="{left}"] >> nth=0')
    for j in pair["right"]:
        assert all("pin" in c.split() for c in view.classes(f"R{j}")), j
    linked = {j for p in data["pairs"] if pair["left"][0] in p["left"] for j in p["right"]}
    others = [f"R{j}" for j in range(len(data["right"]["sentences"])) if j not in linked]
    assert others and not any("pin" in c.split() for k in others for c in view.classes(k))
    page.click(f'[data-s="{left}"] >> nth=0')            # a second click clears
    assert not page.query_selector_all(".s.pin")

    page.hover(f'[data-s="R{pair["right"][0]}"] >> nth=0')
    assert all("hl" in c.split() for c in view.classes(left))

    assert view.errors == []
    assert view.requests == [view.url]                    # nothing fetched but the page itself


HOSTILE_A = """Hostile <script>window.__pwned=1</script> headline about the river
By <b>Mallory</b>

The council said <script>window.__pwned=2</script> the river plan would go ahead on Tuesday.
Residents were told to click <a href="javascript:window.__pwned=3">here</a> for details of the scheme.
A photo <img src=x onerror="window.__pwned=4"> showed the polluted water near the bridge.
Campaigners wrote "><svg onload=window.__pwned=5> on a banner outside the town hall.
READ MORE: <img src=y onerror=window.__pwned=6>
The scheme will cost forty million pounds over five years, officials said.
"""
HOSTILE_B = """River plan goes ahead
The council said <script>window.__pwned=2</script> the river plan would go ahead on Tuesday.
Residents were told to click <a href="javascript:window.__pwned=3">here</a> for more details of the new scheme.
Campaigners wrote "><svg onload=window.__pwned=5> on a large banner outside the town hall.
The mayor welcomed the decision.
"""


def test_hostile_article_shows_as_text_and_runs_nothing(browser, tmp_path):
    a = tmp_path / '"><img src=z onerror=window.__pwned=7>.txt'
    b = tmp_path / "b.txt"
    a.write_text(HOSTILE_A, encoding="utf-8")
    b.write_text(HOSTILE_B, encoding="utf-8")
    data, out = export(tmp_path, a, b)
    view = Opened(browser, out)
    page = view.page
    for s in page.query_selector_all(".s"):                # hover and click everything
        s.click()
    assert page.evaluate("typeof window.__pwned") == "undefined"
    made = page.evaluate("""() => ({
        bad: document.querySelectorAll('img, svg, a, iframe, object, embed, #diff b, details b').length,
        scripts: document.scripts.length,
        handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
    })""")
    assert made == {"bad": 0, "scripts": 1, "handlers": 0}
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    body = page.inner_text("body")
    for line in HOSTILE_B.splitlines()[1:4]:
        assert line in body
    assert '<img src=x onerror="window.__pwned=4">' in body
    assert "READ MORE: <img src=y onerror=window.__pwned=6>" in body     # a stripped line
    assert '"><img src=z onerror=window.__pwned=7>.txt' in body          # the file name
    assert view.text('.count[data-side="A"][data-status="copied"]') == str(data["left"]["counts"]["copied"])
    assert view.errors == []
    assert view.requests == [view.url]
