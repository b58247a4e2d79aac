"""The `reader` command: `reader PATH...` opens the app; subcommands serve scripts.

Each subcommand lives in its own module with `add_arguments(parser)` and
`run(args) -> int`, imported only when used, so `reader diff` and `reader clean`
start without importing Textual (they run in pipelines and must start fast).
"""
from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from .. import __version__
from ..inputs import options as input_options

# name -> (module, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "diff": ("reader.cli.diff_cmd", "compare two articles sentence by sentence"),
    "clean": ("reader.cli.clean_cmd", "print articles with page noise removed"),
    "matrix": ("reader.cli.matrix_cmd", "who copied whom across a whole folder"),
    "library": ("reader.cli.library_cmd", "keep sources in a standing library; check articles against it"),
    "spark": ("reader.cli.spark_cmd", "the matrix computed by Spark, locally or on a cluster (reader[distributed])"),
}


def build_parser(commands: dict[str, tuple[str, str]], chosen: str | None = None) -> argparse.ArgumentParser:
    """The full parser; only the `chosen` command's module is imported (fast start)."""
    parser = _Parser(
        prog="reader",
        description="See who copied whom: open a folder of news articles (reader PATH), "
                    "or use a subcommand in scripts.",
        epilog="Run 'reader COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = sub.add_parser("open", help="open the app on files or folders (the default: 'reader PATH')")
    _app_arguments(app)
    for name, (mod, help_) in commands.items():
        p = sub.add_parser(name, help=help_, description=help_)
        if name == chosen:
            importlib.import_module(mod).add_arguments(p)
            input_options.add_arguments(p)
    return parser


class _Parser(argparse.ArgumentParser):
    """argparse echoes arguments in its errors ("unrecognized arguments: ..."): inert them."""

    def _print_message(self, message: str, file=None) -> None:
        from ..inert import inert

        super()._print_message(inert(message) if message else message, file)


def _app_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
    p.add_argument("--theme", default=None, help="theme name")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--semantic", dest="semantic", action="store_true", default=None,
                      help="align with sentence embeddings too (needs reader[semantic])")
    mode.add_argument("--no-semantic", dest="semantic", action="store_false", help="lexical alignment only")
    p.add_argument("--library", metavar="FILE", default=None,
                   help="the library L checks the folder against (default: 'library' in the config file, "
                        "else library.sqlite in the user data folder)")
    input_options.add_arguments(p)


# Commands that hold nothing open once they return: the process may skip interpreter teardown.
QUICK_EXIT = frozenset({"diff", "clean"})
_quick_exit = False  # set by main() when such a command has returned


def entry() -> None:
    """The console script and `python -m reader`: `main()`, then exit.

    After `reader diff` or `reader clean` returned (every file it wrote is closed),
    the interpreter's teardown would free each of the hundreds of thousands of
    objects a long diff leaves, one by one: ~50 ms, a tenth of a 2,000-sentence
    diff, for memory the OS reclaims at once.  So those two flush stdout and stderr
    and leave with `os._exit`; everything else (the app, the matrix with its SQLite
    cache) exits normally.

    For the same reason those two run with the cycle collector off from the start
    (`gcpause` explains why alignment makes no cycles): re-enabling it when the work
    is done would make its next pass walk every object the command made, ~30 ms on
    a long diff, just before the process ends anyway.
    """
    if len(sys.argv) > 1 and sys.argv[1] in QUICK_EXIT:
        gc.disable()  # never re-enabled: the process ends with os._exit (or sys.exit on error)
    code = main()
    if not _quick_exit:
        sys.exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # `reader diff ... | head`
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # closed by main() after a broken pipe
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    global _quick_exit
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = COMMANDS
    if argv and not argv[0].startswith("-") and argv[0] not in commands and argv[0] != "open":
        argv.insert(0, "open")  # `reader seeds/` means `reader open seeds/`
    parser = build_parser(commands, argv[0] if argv else None)
    if not argv:
        parser.print_help(sys.stderr)
        return 2
    args = parser.parse_args(argv)
    input_options.apply_arguments(args)  # --keep, --refetch, --text-field...: see reader.inputs.options
    try:
        if args.command == "open":
            from .app_cmd import run
        else:
            run = importlib.import_module(commands[args.command][0]).run
        code = run(args)
        if args.command in QUICK_EXIT:
            _quick_exit = True
        return code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `reader diff ... | head` is normal use
        # As the Python docs advise: point stdout at devnull, so that flushing it at
        # exit does not fail a second time.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return 0
