"""A scrolling column of rows with a keyboard cursor, shared by the reader and diff views.

One scrolling container holds every row, so in the diff both articles scroll
together by construction.  The cursor is what `]` / `[` move between changed and
added rows; it is shown by a class on the row, so the theme decides how it looks.
"""
from __future__ import annotations

from textual.containers import VerticalScroll
from textual.message import Message
from textual.widget import Widget

from ..analysis import step

JUMP_TO = frozenset({"changed", "added"})


class CursorRow(Widget):
    """Base for rows in a RowList: `status` says whether `]` / `[` stop here."""

    status: str = ""

    def on_click(self) -> None:
        parent = self.parent
        if isinstance(parent, RowList):
            parent.move_to(parent.rows.index(self))


class RowList(VerticalScroll, can_focus=True):
    class CursorMoved(Message):
        def __init__(self, row_list: "RowList", index: int):
            super().__init__()
            self.row_list, self.index = row_list, index

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cursor = 0

    @property
    def rows(self) -> list[CursorRow]:
        return [c for c in self.children if isinstance(c, CursorRow)]

    async def set_rows(self, rows: list[CursorRow], keep_cursor: bool = False) -> None:
        """Replace every row at once (one layout pass), keeping the cursor if asked."""
        old = self.cursor if keep_cursor else 0
        with self.app.batch_update():
            await self.remove_children()
            await self.mount_all(rows)
        self.cursor = -1
        if rows:
            self.move_to(min(old, len(rows) - 1), scroll=keep_cursor)
        if not keep_cursor:
            self.scroll_home(animate=False)

    def move_to(self, index: int, scroll: bool = True) -> None:
        rows = self.rows
        if not rows:
            return
        index = max(0, min(index, len(rows) - 1))
        if 0 <= self.cursor < len(rows):
            rows[self.cursor].remove_class("-cursor")
        self.cursor = index
        rows[index].add_class("-cursor")
        if scroll:
            self.scroll_to_widget(rows[index], animate=False, top=False)
        self.post_message(self.CursorMoved(self, index))

    def move(self, delta: int) -> None:
        self.move_to(self.cursor + delta)

    def jump(self, forward: bool) -> bool:
        """Move to the next / previous changed or added row; False when there is none."""
        positions = [n for n, r in enumerate(self.rows) if r.status in JUMP_TO]
        target = step(positions, self.cursor, forward)
        if target is None:
            return False
        self.move_to(target)
        return True
