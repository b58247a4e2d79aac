"""The app with articles as people have them (issue 14): outlet and source type in the list,
an article added by web address (`a`), and a pasted article (`P`) that becomes the reference.

Web pages come from a local server on 127.0.0.1 (`web_server`), never the internet.
"""
from __future__ import annotations

import io
import json
import shutil

import docx
from tui_support import STORY, make_app, run_async, settle

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
    return {str(col.key.value): str(table.get_cell_at((row, n)).plain if hasattr(table.get_cell_at((row, n)), "plain")
                                    else table.get_cell_at((row, n)))
            for n, col in enumerate(table.ordered_columns)}


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
        assert "Type" in [str(c.label) for c in table.ordered_columns]
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        jsonl = next(i for i, a in enumerate(app.articles) if a.source == "jsonl")
        table.move_cursor(row=jsonl)
        await settle(pilot)
        details = str(app.list_screen.query_one("#details").render())
        assert "Harbour Wire" in details and "jsonl" in details
