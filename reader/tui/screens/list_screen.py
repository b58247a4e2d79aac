"""The default screen: the folder's articles, a details pane, and load progress.

The app owns the data (articles, reference, marks, shares) and calls this screen's
`show_*` methods when workers report; the screen only draws and turns keys into app
requests.
"""
from __future__ import annotations

from collections import Counter

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Label, ProgressBar, Static

from ..analysis import short_source, source_tag
from ..messages import Share
from ..safe_text import line, plain
from ..widgets.article_table import ArticleTable
from ..widgets.fitting_footer import FittingFooter


class ArticleListScreen(Screen):
    BINDINGS = [
        Binding("enter", "open_reader", "Read"),
        Binding("d", "diff", "Diff"),
        Binding("r", "set_reference", "Reference"),
        Binding("space", "mark", "Mark"),
        Binding("s", "toggle_stripped", "Noise"),
        Binding("e", "export", "Export"),
        Binding("m", "matrix", "Matrix"),
        Binding("L", "library", "Library"),
        Binding("a", "add_url", "URL"),
        Binding("P", "paste", "Paste"),
        Binding("escape", "clear_marks", "Clear marks", show=False),
    ]

    def __init__(self):
        super().__init__(id="list")
        self.show_stripped = False
        self._filled = False  # the first rows have been shown

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="loading"):
            yield Label("Looking for articles…", id="load-label")
            yield ProgressBar(id="load-bar", show_eta=False)
        with Horizontal(id="list-main"):
            yield ArticleTable(id="articles")
            with VerticalScroll(id="details-pane"):
                yield Static(id="details")
        yield FittingFooter()

    def on_mount(self) -> None:
        # The (empty) table is there and focused from the start, the progress line above it:
        # the first rows then only grow the table, instead of swapping views, refocusing and
        # recomposing the footer (a third of a warm start of 500 articles went there).
        self.table.focus()
        # hidden until there is a count: a bar without one animates every frame, and a
        # reopened folder, listed at once, never needs it
        self.query_one("#load-bar", ProgressBar).display = False
        self.app.load_folder()

    @property
    def table(self) -> ArticleTable:
        return self.query_one(ArticleTable)

    @property
    def selected(self) -> int | None:
        t = self.table
        return t.cursor_row if t.row_count else None

    # -- called by the app ----------------------------------------------------------------
    def show_progress(self, done: int, total: int, path: str) -> None:
        bar = self.query_one("#load-bar", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#load-label", Label).update(plain(f"Loading {done}/{total}" + (f": {path}" if path else "…")))

    def show_articles(self, first: int, total: int, loading: bool) -> None:
        """Show the list (first batch) or append the rows loaded since `first`."""
        if not self._filled:
            self._filled = True
            self.table.expected = total
            self.refill()
        else:
            app = self.app
            self.table.append(app.articles, first, app.reference, app.marked, app.shares)
            self.update_subtitle()
        if loading:
            self.sub_title += f" · loading {len(self.app.articles)}/{total}"

    def loading_done(self) -> None:
        self.query_one("#loading").display = False
        self.update_subtitle()
        self.update_details()

    def refill(self) -> None:
        app = self.app
        self.table.fill(app.articles, app.reference, app.marked, app.shares)
        self.update_details()
        self.update_subtitle()

    def show_share(self, share: Share) -> None:
        self.table.set_share(share.index, self.app.reference, share)
        if share.index == self.selected:
            self.update_details()

    def show_marks(self, indexes) -> None:
        for i in indexes:
            self.table.set_marker(i, self.app.reference, self.app.marked)

    def update_subtitle(self) -> None:
        app = self.app
        n = len(app.articles)
        ref = line(app.articles[app.reference].name) if app.articles else "—"
        marked = f" · {len(app.marked)} marked" if app.marked else ""
        adding = f" · adding {app.adding}…" if app.adding else ""
        self.sub_title = (f"{n} article{'s' if n != 1 else ''} · {app.mode_label}"
                          f" · reference #{app.reference + 1} {ref}{marked}{adding}")

    def mode_changed(self) -> None:
        """The alignment mode changed: bars are recomputed, so show them pending."""
        if self.app.articles and self._filled:
            self.refill()

    def update_details(self) -> None:
        i = self.selected
        details = self.query_one("#details", Static)
        if i is None or not self.app.articles:
            details.update("")
            return
        details.update(self._details(i))

    def _details(self, i: int) -> Content:
        app = self.app
        art = app.articles[i]
        parts: list[Content | str] = [plain(art.display_title, "bold"), "\n\n"]
        rows = [("file", art.path), ("date", art.date or "—"), ("source", short_source(art)),
                ("type", source_tag(art))] + ([("url", art.url)] if art.url else []) + [
                ("words", str(art.word_count)), ("sentences", str(len(art.sentences)))]
        if art.encoding not in ("utf-8", "utf-8-sig"):
            rows.append(("encoding", art.encoding))
        for k, v in rows:
            parts += [Content.styled(f"{k:>10}  ", "dim"), plain(v), "\n"]
        parts.append("\n")
        if i == app.reference:
            parts.append(Content.styled("This is the reference article.\n", "italic"))
        else:
            share = app.shares.get(i)
            if share is None:
                parts.append(Content.styled("Aligning with the reference…\n", "dim"))
            else:
                parts.append(f"Against #{app.reference + 1} (reference), sentences:\n")
                for st, sym in (("copied", "="), ("changed", "~"), ("added", "+")):
                    parts += [Content.styled(f" {sym} {st:<8}", f"bold ${st}"),
                              f"{share.counts[st]:>4}   {share.shares[st]:>4.0%} of words\n"]
        reasons = Counter(s.reason for s in art.stripped)
        parts.append(f"\n{len(art.stripped)} noise line(s) stripped")
        parts.append(" (s hides them)\n" if self.show_stripped else " (s shows them)\n")
        if self.show_stripped:
            for s in art.stripped:
                parts += [plain(f"  {s.text}", "dim strike"), "\n", plain(f"    ↳ {s.reason}", "italic dim"), "\n"]
        else:
            for reason, n in reasons.most_common():
                parts += [plain(f"  {n} × {reason}", "dim"), "\n"]
        for note in art.notes:
            parts += ["\n", plain(f"note: {note}", "italic")]
        if app.skipped:
            parts.append(Content.styled(f"\n\n{len(app.skipped)} file(s) skipped:\n", "bold $warning"))
            for s in app.skipped[:20]:
                parts += [plain(f"  {s.message()}", "dim"), "\n"]
        return Content.assemble(*parts)

    # -- events -----------------------------------------------------------------------------
    def on_article_table_row_highlighted(self, event: ArticleTable.RowHighlighted) -> None:
        self.update_details()

    def on_article_table_row_selected(self, event: ArticleTable.RowSelected) -> None:
        event.stop()
        self.action_open_reader()

    def on_article_table_relayout(self, event: ArticleTable.Relayout) -> None:
        if self.table.needs_relayout and self.app.articles:
            self.refill()

    # -- actions ----------------------------------------------------------------------------
    def _need_articles(self) -> bool:
        if not self.app.articles:
            self.notify("Still loading the folder…", severity="warning")
            return False
        return True

    def action_open_reader(self) -> None:
        if self._need_articles():
            self.app.open_reader(self.selected)

    def action_diff(self) -> None:
        if self._need_articles():
            pair = self.app.diff_pair(self.selected)
            if pair:
                self.app.open_diff(*pair)

    def action_matrix(self) -> None:
        if self._need_articles():
            self.app.open_matrix()

    def action_library(self) -> None:
        if self._need_articles():
            self.app.open_library()

    def action_set_reference(self) -> None:
        if self._need_articles():
            self.app.set_reference(self.selected)

    def action_mark(self) -> None:
        if self._need_articles():
            self.app.toggle_mark(self.selected)

    def action_clear_marks(self) -> None:
        if self.app.marked:
            self.app.clear_marks()

    def action_toggle_stripped(self) -> None:
        self.show_stripped = not self.show_stripped
        self.update_details()
        if self.app.size.width < 140:  # details pane hidden: say what happened
            art = self.app.articles[self.selected] if self.app.articles else None
            if art is not None:
                self.notify(f"{len(art.stripped)} noise line(s) in {line(art.name)}; "
                            "open it (enter) and press s to see them", markup=False)

    def action_add_url(self) -> None:
        self.app.ask_url()

    def action_paste(self) -> None:
        self.app.ask_paste()

    def action_export(self) -> None:
        if self._need_articles():
            pair = self.app.diff_pair(self.selected)
            if pair:
                self.app.export_diff(*pair)
