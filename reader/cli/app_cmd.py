"""`reader PATH...`: open the Textual app on article files or folders.

Paths are checked before the app starts, so a typo gives one line on stderr and a
non-zero exit instead of an empty screen; files that fail to load inside the app are
reported on stderr (one line each) once the terminal is restored, and when nothing
at all loads the exit status is 1.  Textual is imported only here and in `reader.tui`.
"""
from __future__ import annotations

from ..loading import discover
from .common import CliError, err, guarded, rules_from


@guarded
def run(args) -> int:
    rules = rules_from(args)
    found = discover(list(args.paths))
    if not found.files:
        for s in found.skipped:
            err(s.message())
        raise CliError("no article files to open", code=1)
    from ..tui.app import ReaderApp

    app = ReaderApp(list(args.paths), rules=rules, theme=getattr(args, "theme", None),
                    semantic=getattr(args, "semantic", None), library=getattr(args, "library", None))
    code = app.run()
    for s in app.skipped:
        err(s.message())
    if not app.articles and app.return_code:
        err("no usable articles" + (" (see the messages above)" if app.skipped else ""))
    for message in app.theme_problems:
        err(message)
    return app.return_code or (code if isinstance(code, int) else 0)
