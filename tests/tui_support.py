"""Helpers for the Textual app tests (test_tui_*.py): a fixture folder and a settled app."""
from __future__ import annotations

from pathlib import Path

from reader.rules import load_rules

STORY = Path(__file__).parent / "tui_fixtures" / "story"
SEEDS = Path(__file__).parent.parent / "seeds"


def make_app(tmp_path, paths=None, **kwargs):
    """A ReaderApp on the fixture story, with its config in `tmp_path`, never the user's."""
    from reader.tui.app import ReaderApp

    kwargs.setdefault("config_dir", tmp_path / "config")
    return ReaderApp([str(p) for p in (paths or [STORY])], rules=load_rules(include_user=False), **kwargs)


async def settle(pilot) -> None:
    """Wait until every worker has finished and its messages have been handled."""
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def run_async(test):
    """Run an async test function with asyncio (no pytest-asyncio plugin needed)."""
    import asyncio
    import functools

    @functools.wraps(test)
    def wrapper(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return wrapper
