"""One article, cleaned, each sentence tinted by its best counterpart in the folder.

The echoes (best status of each sentence against every other article) take one
alignment per other article, so they run in a thread worker that reports progress;
the text is shown at once, untinted, and tinted when the worker posts `EchoesReady`.
Once the folder matrix exists (`m` on the list), the echoes are read off its
provenance instead, which also names each shared sentence's likely source; the
pairwise echoes stay the fallback until then.
"""
from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static
from textual.worker import get_current_worker

from ...inert import inert
from ..analysis import Echo, reading_items
from ..matrix_view import echoes_from_matrix, source_note
from ..messages import EchoesReady, EchoProgress
from ..offload import Cancelled
from ..safe_text import line, plain
from ..widgets.fitting_footer import FittingFooter
from ..widgets.reading_rows import SentenceRow
from ..widgets.row_list import RowList


class ReaderScreen(Screen):
    BINDINGS = [
        Binding("j,down", "move(1)", "Down", show=False),
        Binding("k,up", "move(-1)", "Up", show=False),
        Binding("right_square_bracket", "jump(True)", "Next change", key_display="]"),
        Binding("left_square_bracket", "jump(False)", "Prev change", key_display="["),
        Binding("s", "toggle_stripped", "Noise"),
        Binding("d", "diff", "Diff"),
        Binding("n", "step(True)", "Next article"),
        Binding("p", "step(False)", "Prev article"),
        Binding("e", "export", "Export"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, index: int):
        super().__init__(id="reader")
        self.index = index
        self.echoes: list[Echo] | None = None
        self.show_stripped = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="reader-summary")
        yield RowList(id="reading")
        yield Static(id="reader-status")
        yield FittingFooter()

    async def on_mount(self) -> None:
        self.query_one(RowList).focus()
        await self._show_article()

    @property
    def article(self):
        return self.app.articles[self.index]

    async def _show_article(self) -> None:
        art = self.article
        self.sub_title = f"#{self.index + 1} {line(art.name)}"
        if self.app.matrix is not None:
            self.echoes = echoes_from_matrix(self.index, self.app.matrix)
            self._summary()
            await self._draw(keep_cursor=False)
            return
        self.echoes = None
        self._summary(f"Comparing with {len(self.app.articles) - 1} other article(s)…")
        await self._draw(keep_cursor=False)
        self.compute(self.index)

    @property
    def from_matrix(self) -> bool:
        return bool(self.echoes) and self.echoes[0].verdict is not None

    def matrix_changed(self) -> None:
        """The folder matrix is ready: switch the gutter to its provenance."""
        if self.app.matrix is not None:
            self.call_later(self._use_matrix)

    async def _use_matrix(self) -> None:
        if self.app.matrix is None:
            return
        self.echoes = echoes_from_matrix(self.index, self.app.matrix)
        self._summary()
        await self._draw(keep_cursor=True)

    def mode_changed(self) -> None:
        """The alignment mode changed: the matrix is gone until rebuilt; compare again."""
        self.workers.cancel_group(self, "echoes")
        self.call_later(self._recompute)

    async def _recompute(self) -> None:
        self.echoes = None
        self._summary(f"Comparing with {len(self.app.articles) - 1} other article(s) "
                      f"({self.app.mode_label})…")
        await self._draw(keep_cursor=True)
        self.compute(self.index)

    def _summary(self, note: str = "") -> None:
        art = self.article
        head = [plain(art.display_title, "bold"), "\n",
                plain(" · ".join(x for x in (art.date, art.byline, art.name) if x), "dim"), "\n"]
        if self.echoes is None:
            head.append(Content.styled(note, "italic dim"))
        else:
            counts = {s: 0 for s in ("copied", "changed", "added")}
            for e, sent in zip(self.echoes, art.sentences):
                if sent.kind != "title":
                    counts[e.status] += 1
            head += [Content.styled(f"= {counts['copied']} copied", "bold $copied"), "   ",
                     Content.styled(f"~ {counts['changed']} changed", "bold $changed"), "   ",
                     Content.styled(f"+ {counts['added']} only here", "bold $added"),
                     Content.styled(f"   vs {len(self.app.articles) - 1} other article(s); "
                                    + ("gutter: list numbers sharing it, ←N from N, → first here, "
                                       "? source unclear" if self.from_matrix
                                       else "gutter: list numbers sharing the sentence"), "dim")]
        self.query_one("#reader-summary", Static).update(Content.assemble(*head))

    async def _draw(self, keep_cursor: bool) -> None:
        art = self.article
        items = reading_items(art, self.show_stripped)
        rows = [SentenceRow(art, it, self.echoes[it.index] if self.echoes and it.kind == "sentence" else None,
                            own=self.index) for it in items]
        await self.query_one(RowList).set_rows(rows, keep_cursor=keep_cursor)

    @work(thread=True, exclusive=True, group="echoes")
    def compute(self, index: int) -> None:
        from ..analysis import echoes

        worker = get_current_worker()

        def stop(done: int, total: int) -> bool:
            if done % 10 == 0:
                self.post_message(EchoProgress(index, done, total))
            return worker.is_cancelled

        cache = self.app.cache
        failed: list[tuple[int, str]] = []
        try:
            result = echoes(index, self.app.articles, cache, stop, lambda: worker.is_cancelled, failed)
        except Cancelled:
            return
        if failed:  # those articles count as sharing nothing; say so rather than hide it
            k, reason = failed[0]
            more = f" (and {len(failed) - 1} more)" if len(failed) > 1 else ""
            self.app.notify(inert(f"Could not compare with #{k + 1} {self.app.articles[k].name}{more}: {reason}",
                                  line=True), severity="warning", timeout=8, markup=False)
        if result is not None:
            self.post_message(EchoesReady(index, result, source=cache))

    def on_echo_progress(self, msg: EchoProgress) -> None:
        if self.echoes is None and msg.index == self.index:
            self._summary(f"Comparing with other articles… {msg.done}/{msg.total}")

    async def on_echoes_ready(self, msg: EchoesReady) -> None:
        if msg.index != self.index or msg.source is not self.app.cache or self.from_matrix:
            return  # another article, the other mode, or the matrix's provenance is already shown
        self.echoes = msg.echoes
        self._summary()
        await self._draw(keep_cursor=True)

    def on_row_list_cursor_moved(self, msg: RowList.CursorMoved) -> None:
        rows = msg.row_list.rows
        status = self.query_one("#reader-status", Static)
        if not rows or msg.index >= len(rows):
            status.update("")
            return
        row = rows[msg.index]
        if row.item.kind == "stripped":
            status.update(plain(f"Stripped: {row.item.stripped.reason}", "dim"))
            return
        n = row.item.index + 1
        if row.echo is None:
            status.update(Content.styled(f"Sentence {n}", "dim"))
            return
        arts = self.app.articles
        parts = [f"Sentence {n}: "]
        note = source_note(row.echo, self.index, lambda k: f"#{k + 1} {line(arts[k].stem)}")
        if note:  # first: the status line is one row, and the source is what the matrix adds
            parts += [Content.styled(note, "bold italic"), "   "]
        for label, ks, st in (("copied in", row.echo.copied_in, "copied"), ("changed in", row.echo.changed_in, "changed")):
            if ks:
                names = ", ".join(f"#{k + 1} {line(arts[k].stem)}" for k in ks[:4])
                names += f" +{len(ks) - 4}" if len(ks) > 4 else ""
                parts += [Content.styled(label, f"bold ${st}"), f" {names}   "]
        if len(parts) == 1:
            parts.append(Content.styled("only in this article", "$added"))
        status.update(Content.assemble(*parts))

    # -- actions ----------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        self.query_one(RowList).move(delta)

    def action_jump(self, forward: bool) -> None:
        if self.echoes is None:
            self.notify("Still comparing with the other articles…", timeout=2)
        elif not self.query_one(RowList).jump(forward):
            self.notify(f"No {'later' if forward else 'earlier'} changed or added sentence", timeout=2)

    async def action_toggle_stripped(self) -> None:
        self.show_stripped = not self.show_stripped
        await self._draw(keep_cursor=True)

    def action_diff(self) -> None:
        pair = self.app.diff_pair(self.index)
        if pair:
            self.app.open_diff(*pair)

    async def action_step(self, forward: bool) -> None:
        nxt = self.app.step_article(self.index, forward)
        if nxt is None:
            self.notify("This is the only article", timeout=2)
            return
        self.index = nxt
        await self._show_article()

    def action_export(self) -> None:
        pair = self.app.diff_pair(self.index)
        if pair:
            self.app.export_diff(*pair)

    def action_back(self) -> None:
        self.app.pop_screen()
