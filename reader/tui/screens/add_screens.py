"""The two dialogs that bring in an article the folder does not hold: a web address (`a`)
and pasted text (`P`).

They only ask; the app fetches, saves and loads in a worker (`app_adding.py`), so a
slow server never freezes the screen.  Paths shown here come from the command line
and are made inert like every other untrusted text.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, TextArea

from ..safe_text import plain


class UrlScreen(ModalScreen[str | None]):
    """Ask for a web address; dismisses with it (stripped), or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Add an article by web address")
            yield Input(placeholder="https://…", id="url")
            yield Label("enter to fetch (the page is kept for offline use) · escape to cancel", classes="hint")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class PasteScreen(ModalScreen[str | None]):
    """A text box to paste an article into; dismisses with the text, or None.

    `where` says in which folder the text will be saved as a new file, so the user
    knows before confirming that the paste becomes part of the folder (or why not).
    ctrl+s confirms: enter must stay a new line in the text.
    """

    BINDINGS = [Binding("ctrl+s", "confirm", "Add", priority=True),
                Binding("escape", "cancel", "Cancel")]

    def __init__(self, where: str):
        super().__init__()
        self.where = where

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="paste-box"):
            yield Label("Paste an article (or a web address on the first line)")
            yield TextArea(id="paste-text", soft_wrap=True, show_line_numbers=False)
            yield Label(plain(f"Saved as a new .txt file in {self.where}"), classes="hint", id="paste-where")
            with Horizontal(classes="buttons"):
                yield Button("Add (ctrl+s)", id="add", variant="primary")
                yield Button("Cancel (escape)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_confirm(self) -> None:
        text = self.query_one(TextArea).text
        self.dismiss(text if text.strip() else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
