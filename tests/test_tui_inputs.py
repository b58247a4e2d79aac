"""The app with articles as people have them (issue 14): outlet and source type in the list,
an article added by web address (`a`), and a pasted article (`P`) that becomes the reference.

Web pages come from a local server on 127.0.0.1 (`web_server`), never the internet.
"""
from __future__ import annotations

import io
import json
import shutil

import docx
import pytest
from tui_support import STORY, make_app, run_async, settle
from web_server import STORY as STORY_PAGE
from web_server import COPY as COPY_PAGE
from web_server import Page, Server

from reader.inputs import options

P1 = ("The council of Portwell voted on Tuesday to rebuild the sea wall that failed during the winter "
      "storms, ending months of argument about who should pay for the work.")
P2 = ("Engineers had warned last year that the wall, built in the 1950s, was no longer strong enough to hold "
      "back the higher tides that now reach the harbour.")


def _word_file() -> bytes:
    d = docx.Document()
    d.add_heading("Council votes to rebuild the sea wall", level=0)
    d.add_paragraph(P1)
    d.add_paragraph(P2)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _cells(table, row: int) -> dict[str, str]:
    return {key: table.get_cell_at((row, n)).plain for n, key in enumerate(table.column_keys)}


@run_async
async def test_the_list_shows_the_outlet_and_the_source_type(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(STORY / "a_wire.txt", folder / "a_wire.txt")
    (folder / "release.docx").write_bytes(_word_file())
    corpus = tmp_path / "feed.jsonl"
    corpus.write_text(json.dumps({"id": "w1", "title": "Sea wall vote", "outlet": "Harbour Wire",
                                  "text": f"{P1}\n\n{P2}"}) + "\n", encoding="utf-8")
    app = make_app(tmp_path, [folder, corpus])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.list_screen.table
        rows = [_cells(table, r) for r in range(table.row_count)]
        by_type = {r["type"]: r for r in rows}
        assert set(by_type) == {"txt", "docx", "jsonl"}
        assert by_type["jsonl"]["source"] == "Harbour…"  # the outlet, cut to the 80-column width
        assert by_type["txt"]["source"] == "a_wire"  # no outlet: the file name, as before
        assert "Type" in table.render_line(0).text  # the header as drawn
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        jsonl = next(i for i, a in enumerate(app.articles) if a.source == "jsonl")
        table.move_cursor(row=jsonl)
        await settle(pilot)
        details = str(app.list_screen.query_one("#details").render())
        assert "Harbour Wire" in details and "jsonl" in details


@pytest.fixture
def keep(tmp_path):
    folder = tmp_path / "kept"
    options.configure(keep=folder, timeout=2.0, max_bytes=200 * 1024)
    yield folder
    options.reset()


def _notices(app) -> str:
    return "\n".join(n.message for n in app._notifications)


async def _type(pilot, text: str) -> None:
    for ch in text:
        await pilot.press(ch if ch.isalnum() else {":": "colon", "/": "slash", ".": "full_stop",
                                                   "-": "minus", "_": "underscore"}[ch])


@run_async
async def test_a_adds_an_article_by_web_address_and_a_404_is_one_line(tmp_path, keep):
    from reader.tui.screens.add_screens import UrlScreen

    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    with Server({"/story": Page(STORY_PAGE)}) as server:
        app = make_app(tmp_path, [folder])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            assert len(app.articles) == 3
            await pilot.press("a")
            await settle(pilot)
            assert isinstance(app.screen, UrlScreen)
            app.screen.query_one("#url").value = server.url("/story")
            await pilot.press("enter")
            await settle(pilot)
            assert len(app.articles) == 4
            art = app.articles[3]
            assert (art.source, art.outlet, art.path) == ("url", "Portwell Gazette", server.url("/story"))
            table = app.list_screen.table
            assert table.row_count == 4 and table.cursor_row == 3
            assert _cells(table, 3)["type"] == "url"
            assert 3 in app.shares  # its bar against the reference was computed
            assert list(keep.glob("*.html")), "the fetched page is kept, as the command line keeps it"
            # a missing page: one line in a notice, the list unchanged
            await pilot.press("a")
            await settle(pilot)
            app.screen.query_one("#url").value = server.url("/gone")
            await pilot.press("enter")
            await settle(pilot)
            assert len(app.articles) == 4
            failed = [n.message for n in app._notifications if n.message.startswith("Could not add")]
            assert len(failed) == 1 and "\n" not in failed[0] and "404" in failed[0]
            # not a web address: said at once, nothing fetched
            await pilot.press("a")
            await settle(pilot)
            app.screen.query_one("#url").value = "story.txt"
            await pilot.press("enter")
            await settle(pilot)
            assert "Not a web address" in _notices(app) and len(app.articles) == 4


@run_async
async def test_a_is_in_the_help_and_the_palette(tmp_path):
    from reader.tui.screens.help_screen import help_content

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = " ".join(c.title for c in app.get_system_commands(app.screen))
        assert "(a)" in titles and "(P)" in titles
        text = help_content().plain
        assert "add an article by web address" in text and "paste an article" in text
        keys = {b.key for b in app.screen.BINDINGS}
        assert {"a", "P"} <= keys


RELEASE = ("Portwell Council press release\n\n" + P1 + "\n\n" + P2 + "\n")


@run_async
async def test_pasted_text_is_saved_in_the_folder_listed_and_r_makes_it_the_reference(tmp_path):
    from textual.widgets import TextArea

    from reader.tui.screens.add_screens import PasteScreen

    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    app = make_app(tmp_path, [folder])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, PasteScreen)
        assert str(folder) in str(app.screen.query_one("#paste-where").render())
        app.screen.query_one(TextArea).text = RELEASE
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = [p for p in folder.glob("*.txt") if p.name.startswith("portwell-council-press-release")]
        assert len(saved) == 1 and saved[0].read_text(encoding="utf-8") == RELEASE
        assert len(app.articles) == 4 and app.articles[3].path == str(saved[0])
        assert app.list_screen.table.cursor_row == 3
        await pilot.press("r")
        await settle(pilot)
        assert app.reference == 3
        assert set(app.shares) == {0, 1, 2}
        # the same paste again: no second file, no second row
        await pilot.press("P")
        await settle(pilot)
        app.screen.query_one(TextArea).text = RELEASE
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert len(app.articles) == 4 and len(list(folder.glob("portwell-*.txt"))) == 1
        # escape leaves without saving anything
        await pilot.press("P")
        await settle(pilot)
        app.screen.query_one(TextArea).text = "Another text that is never saved."
        await pilot.press("escape")
        await settle(pilot)
        assert len(list(folder.glob("*.txt"))) == 4


def test_pasted_files_never_overwrite_and_go_beside_files_or_to_the_data_folder(tmp_path, monkeypatch):
    from reader.tui.app_adding import paste_folder, save_pasted

    monkeypatch.setenv("READER_DATA_DIR", str(tmp_path / "data"))
    a = tmp_path / "files" / "a.txt"
    a.parent.mkdir()
    a.write_text(P1)
    assert paste_folder([str(a)])[0] == a.parent
    assert paste_folder(["http://127.0.0.1:1/x"])[0] == tmp_path / "data" / "pasted"
    first = save_pasted("Sea wall: the vote\r\nText.", a.parent)
    assert first.name.startswith("sea-wall-the-vote-text-") and first.read_bytes() == b"Sea wall: the vote\nText.\n"
    first.write_text("changed by the user\n")  # same name, other bytes: a new file, the old one kept
    second = save_pasted("Sea wall: the vote\nText.\n", a.parent)
    assert second != first and second.name.endswith("-2.txt")
    assert first.read_text() == "changed by the user\n"


@run_async
async def test_a_web_address_pasted_on_the_first_line_is_fetched_not_saved(tmp_path, keep):
    from textual.widgets import TextArea

    folder = tmp_path / "story"
    shutil.copytree(STORY, folder)
    with Server({"/copy": Page(COPY_PAGE)}) as server:
        app = make_app(tmp_path, [folder])
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("P")
            await settle(pilot)
            app.screen.query_one(TextArea).text = f"  {server.url('/copy')}\nsome words after it\n"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert len(app.articles) == 4 and app.articles[3].source == "url"
            assert sorted(p.name for p in folder.iterdir()) == ["a_wire.txt", "b_daily.txt", "c_weekly.txt"]
