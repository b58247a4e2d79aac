"""The keys, in one place: `?` or `f1` from anywhere.

The table is data (KEYS), also used to build the command palette entries, so the
help, the palette and the bindings cannot drift apart silently (a test checks that
every key listed here is bound on the screens it names).
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

# (screens, keys shown, what it does, action name or None when it is Textual's own)
KEYS: list[tuple[str, str, str, str | None]] = [
    ("list", "j / k / ↓ / ↑", "move in the article list", None),
    ("list", "enter", "read the selected article, each sentence tinted by its best match", "open_reader"),
    ("list", "d", "diff the selected article against the reference (or the one marked article)", "diff"),
    ("list", "r", "make the selected article the reference", "set_reference"),
    ("list", "space", "mark / unmark an article (d then diffs it against the selected one)", "mark"),
    ("list", "s", "show / hide the stripped noise lines in the details pane", "toggle_stripped"),
    ("list", "e", "export the diff of the selected article against the reference to HTML", "export"),
    ("list", "escape", "clear the marks", "clear_marks"),
    ("list", "a", "add an article by web address (fetched in the background, page kept for offline use)",
     "add_url"),
    ("list", "P", "paste an article (or a web address): saved as a .txt in the folder; r then makes it "
     "the reference", "paste"),
    ("list", "m", "folder matrix: how much of each article is found in each other one", "matrix"),
    ("list", "L", "check the folder against the library: which library documents each article reuses, "
     "how much, and the passages (--library FILE or 'library' in the config; else your default library)",
     "library"),
    ("library", "j / k / ↓ / ↑", "move between articles; the passages below follow", None),
    ("library", "enter", "into the passages to scroll them (enter again: back to the articles)", "passages"),
    ("matrix", "arrows / h j k l", "move between cells", None),
    ("matrix", "pgup / pgdn", "a page up / down (with ctrl: left / right)", None),
    ("matrix", "home / end", "first / last column (with ctrl: first / last row)", None),
    ("matrix", "enter", "diff the pair under the cursor, row article on the left (or click a cell twice)",
     "open_pair"),
    ("matrix", "o", "order the articles: folder order, copied most, copied from most", "cycle_order"),
    ("reader diff", "j / k / ↓ / ↑", "move the row cursor", None),
    ("reader diff", "] / [", "jump to the next / previous changed or added sentence", None),
    ("reader", "s", "show / hide stripped noise lines in place, dimmed, with reasons", "toggle_stripped"),
    ("reader", "d", "diff this article against the reference", "diff"),
    ("reader", "n / p", "next / previous article", None),
    ("diff", "n / p", "next / previous article on the right, keeping the left", None),
    ("diff", "s", "show / hide stripped noise lines of both articles", "toggle_stripped"),
    ("diff", "w", "why: show / hide what links the selected pair (shared words, numbers, order)",
     "toggle_why"),
    ("reader diff", "e", "export this diff to HTML", "export"),
    ("reader diff matrix library", "escape", "back", "back"),
    ("all", "t", "cycle themes (remembered)", "cycle_theme"),
    ("all", "S", "alignment mode: lexical / semantic (remembered; semantic needs reader[semantic])",
     "toggle_semantic"),
    ("all", "? / f1", "this help", "help"),
    ("all", "ctrl+p", "command palette: every action by name", None),
    ("all", "q", "quit", "quit"),
]

KEY_WIDTH = 18  # the keys' column: every entry's keys and a space fit in it ("arrows / h j k l" ran into its text)
SCREEN_TITLES = {"list": "Article list", "matrix": "Folder matrix", "library": "Library check",
                 "reader": "Reader view", "diff": "Diff view", "all": "Everywhere"}


def help_content() -> Content:
    parts: list = []
    for screen in ("list", "matrix", "library", "reader", "diff", "all"):
        parts.append(Content.styled(f"{SCREEN_TITLES[screen]}\n", "bold $accent"))
        for where, keys, what, _ in KEYS:
            if screen in where.split():
                parts += [Content.styled(f"  {keys:<{KEY_WIDTH}}", "bold"), f"{what}\n"]
        parts.append("\n")
    parts += [Content.styled("Symbols  ", "bold"),
              Content.styled("= copied", "bold $copied"), " (same words)   ",
              Content.styled("~ changed", "bold $changed"), " (rewritten)   ",
              Content.styled("+ added", "bold $added"), " (no counterpart)   ✂ stripped noise"]
    return Content.assemble(*parts)


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,question_mark,f1,q", "dismiss", "Close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content.styled("reader: keys", "bold"), id="help-title")
            yield Static(help_content(), id="help-text")
            yield Static(Content.styled("escape to close", "dim"))
