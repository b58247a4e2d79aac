"""The key footer, compact on narrow terminals so that more of the keys stay visible.

At 80 columns Textual's roomy footer cut the diff screen's keys off after "s Noise";
the compact style (no padding around each key) shows most of them, and every key is
still listed in `?` and the command palette.

Textual's footer rebuilds all its key widgets after every change of the screen's
bindings, and a screen coming up changes them several times in a row (mounted,
focused, themed): four builds when the list opens, ~0.1 s of a 0.5 s start, most of
them of the very same keys.  Here a rebuild already waiting for the next refresh
absorbs the changes that arrive before it runs (it reads the bindings when it runs,
so it shows the last of them), and a rebuild that would show exactly the keys
already shown is skipped.
"""
from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 120  # columns


class FittingFooter(Footer):
    _rebuild_pending = False
    _shown: tuple | None = None  # what the last build showed (see `_shown_bindings`)

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    def _shown_bindings(self) -> tuple:
        """Everything of the screen's bindings a build of the footer draws."""
        return tuple((b.key, b.action, b.description, b.tooltip, enabled, tooltip, b.group)
                     for (_, b, enabled, tooltip) in self.screen.active_bindings.values() if b.show)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False  # a change from now on schedules another rebuild
        shown = self._shown_bindings()
        if shown == self._shown:
            return
        self._shown = shown
        await self.recompose()

    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
