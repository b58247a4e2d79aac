"""Two articles side by side, one aligned row per pair, from `reader.layout.side_by_side`.

Aligning runs in a thread worker that posts `AlignmentReady`; the rows are drawn
when it arrives, so opening a diff of two long articles never freezes the UI.
`w` ("why") shows, under the cursor row, what links its two sides (`reader.why`),
so a "changed" verdict can be checked without leaving the diff.
"""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from ...layout import side_by_side
from ...model import Alignment
from ...inert import inert
from ..analysis import diff_items
from ..messages import AlignmentFailed, AlignmentReady
from ..offload import Cancelled, HelperFailed, one_line
from ..safe_text import line, plain
from ..widgets.diff_rows import DiffRow, WhyLine, summary_content, why_content
from ..widgets.fitting_footer import FittingFooter
from ..widgets.row_list import RowList


class DiffScreen(Screen):
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("right_square_bracket", "jump(True)", "Next change", key_display="]"),
        Binding("left_square_bracket", "jump(False)", "Prev change", key_display="["),
        Binding("n", "step(True)", "Next article"),
        Binding("p", "step(False)", "Prev article"),
        Binding("s", "toggle_stripped", "Noise"),
        Binding("w", "toggle_why", "Why"),
        Binding("e", "export", "Export"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, left: int, right: int):
        super().__init__(id="diff")
        self.left, self.right = left, right
        self.alignment: Alignment | None = None
        self.show_stripped = False
        self.show_why = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Aligning…", id="diff-summary")
        with Horizontal(id="diff-heads"):
            yield Static(classes="head left")
            yield Static("", classes="gutter")
            yield Static(classes="head right")
        yield RowList(id="diff-rows")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(RowList).focus()
        self._show_pair()

    def _label(self, i: int) -> str:
        ref = " (reference)" if i == self.app.reference else ""
        return f"#{i + 1} {line(self.app.articles[i].name)}{ref}"

    def _show_pair(self) -> None:
        arts = self.app.articles
        self.sub_title = f"{self._label(self.left)}  ↔  {self._label(self.right)}"
        heads = self.query(".head").results(Static)
        for head, i in zip(heads, (self.left, self.right)):
            head.update(Content.assemble(Content.styled(f"#{i + 1} ", "dim"),
                                         plain(arts[i].display_title, "bold")))
        self.alignment = None
        self.query_one("#diff-summary", Static).update(
            Content.styled(f"Aligning ({self.app.mode_label})… escape stops it", "dim"))
        self.compute(self.left, self.right)

    @work(thread=True, exclusive=True, group="diff")
    def compute(self, left: int, right: int) -> None:
        """Align in the app's helper process; leaving the screen or stepping on kills it."""
        worker = get_current_worker()
        arts = self.app.articles
        cache = self.app.cache
        try:
            al = cache.get(arts[left], arts[right], lambda: worker.is_cancelled)
        except Cancelled:
            return
        except Exception as e:  # noqa: BLE001 - said on the screen, never a crash or a spinner
            reason = str(e) if isinstance(e, HelperFailed) else f"{type(e).__name__}: {e}"
            self.post_message(AlignmentFailed(left, right, inert(one_line(reason), line=True), source=cache))
            return
        self.post_message(AlignmentReady(left, right, al, source=cache))

    def on_alignment_failed(self, msg: AlignmentFailed) -> None:
        if (msg.left, msg.right) != (self.left, self.right) or msg.source is not self.app.cache:
            return
        self.query_one("#diff-summary", Static).update(
            Content.styled(f"Could not align these two articles: {msg.reason}", "bold $error"))

    async def on_alignment_ready(self, msg: AlignmentReady) -> None:
        if (msg.left, msg.right) != (self.left, self.right) or msg.source is not self.app.cache:
            return  # the user stepped on, or toggled the mode, before this one finished
        self.alignment = msg.alignment
        short = {i: f"#{i + 1}" + (" (reference)" if i == self.app.reference else "") for i in (self.left, self.right)}
        self.query_one("#diff-summary", Static).update(
            summary_content(msg.alignment, short[self.left], short[self.right]))
        await self._draw(keep_cursor=False)

    async def _draw(self, keep_cursor: bool) -> None:
        al = self.alignment
        items = diff_items(side_by_side(al), al, self.show_stripped)
        await self.query_one(RowList).set_rows([DiffRow(it, al) for it in items], keep_cursor=keep_cursor)

    async def _place_why(self) -> None:
        """Show the cursor row's evidence right under it (`w` on), or no why line at all."""
        rl = self.query_one(RowList)
        old = rl.query_children(WhyLine)
        for row in rl.query_children(".-with-why"):
            row.remove_class("-with-why")
        rows = rl.rows
        content = None
        if self.show_why and self.alignment is not None and 0 <= rl.cursor < len(rows):
            row = rows[rl.cursor]
            content = why_content(row.item, self.alignment) if isinstance(row, DiffRow) else None
        if content is None:
            await old.remove()
            return
        row.add_class("-with-why")  # the why line takes the row's bottom margin
        if old:
            line = old.first()
            line.update(content)
            rl.move_child(line, after=row)
        else:
            line = WhyLine(content, id="why")
            await rl.mount(line, after=row)
        self.call_after_refresh(self._reveal, line)

    def _reveal(self, line: WhyLine) -> None:
        """Scroll the why line into view once laid out, unless the cursor moved on already."""
        if line.is_attached:
            self.query_one(RowList).scroll_to_widget(line, animate=False, top=False)

    async def on_row_list_cursor_moved(self, msg: RowList.CursorMoved) -> None:
        if self.show_why:
            await self._place_why()

    def mode_changed(self) -> None:
        """The alignment mode changed: align this pair again, in the new mode."""
        self._show_pair()

    # -- actions ----------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.query_one(RowList).move(delta)

    def action_jump(self, forward: bool) -> None:
        if not self.query_one(RowList).jump(forward):
            self.notify(f"No {'later' if forward else 'earlier'} changed or added sentence", timeout=2)

    def action_step(self, forward: bool) -> None:
        nxt = self.app.step_article(self.right, forward, skip=self.left)
        if nxt is None:
            self.notify("No other article to compare", timeout=2)
            return
        self.right = nxt
        self._show_pair()

    async def action_toggle_stripped(self) -> None:
        self.show_stripped = not self.show_stripped
        if self.alignment is not None:
            await self._draw(keep_cursor=True)

    async def action_toggle_why(self) -> None:
        self.show_why = not self.show_why
        await self._place_why()
        if self.show_why and self.alignment is not None and not self.query(WhyLine):
            self.notify("Why: nothing recorded for this row; move to a linked (= or ~) pair", timeout=3)

    def action_export(self) -> None:
        self.app.export_diff(self.left, self.right)

    def action_back(self) -> None:
        self.app.pop_screen()
