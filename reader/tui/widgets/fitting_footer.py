"""The key footer, compact on narrow terminals so that more of the keys stay visible.

At 80 columns Textual's roomy footer cut the diff screen's keys off after "s Noise";
the compact style (no padding around each key) shows most of them, and every key is
still listed in `?` and the command palette.
"""
from __future__ import annotations

from textual import events
from textual.widgets import Footer

COMPACT_BELOW = 120  # columns


class FittingFooter(Footer):
    def on_mount(self) -> None:
        self.compact = self.app.size.width < COMPACT_BELOW

    def on_resize(self, event: events.Resize) -> None:
        self.compact = event.size.width < COMPACT_BELOW
