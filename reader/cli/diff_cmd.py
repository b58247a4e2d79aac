"""`reader diff A B`: two articles aligned sentence by sentence, as text, JSON or HTML."""
from __future__ import annotations

import json
import os
import sys

from ..align import AlignOptions, align
from ..pair import load_pair
from ..runtime.gcpause import gc_paused
from ..serialise import alignment_json
from ..loading import LoadError
from .common import CliError, guarded, rules_from


def add_arguments(p) -> None:
    p.add_argument("left", metavar="A", help="the first article (the reference)")
    p.add_argument("right", metavar="B", help="the article to compare with it")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("-o", "--output", default=None, metavar="FILE",
                   help="write to FILE ('-' for stdout); html needs it")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
    p.add_argument("--indent", type=int, default=None, metavar="N", help="json format: indent by N spaces")
    p.add_argument("--width", type=int, default=None, help="text format: columns (default: terminal width)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--semantic", dest="semantic", action="store_true", default=None,
                      help="also find paraphrases with sentence embeddings (needs reader[semantic])")
    mode.add_argument("--no-semantic", dest="semantic", action="store_false",
                      help="lexical and clause matching only (default unless the config says semantic: true)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="text format: colour (auto: only on a terminal and without NO_COLOR)")


@guarded
def run(args) -> int:
    with gc_paused():  # a one-shot command that makes no cycles: see `gcpause`
        return _run(args)


def _run(args) -> int:
    if args.output not in (None, "-"):
        _check_output(args.output, (args.left, args.right))  # before any work, not after
    rules = rules_from(args)
    try:
        left, right = load_pair(args.left, args.right, rules)
    except LoadError as e:
        raise CliError(f"{e.path}: {e.reason}") from None
    result = align(left, right, AlignOptions(semantic=_semantic_wanted(args)))
    if args.format == "json":
        # Compact by default: the C encoder is ~6x faster than indented output on long pairs.
        text = json.dumps(alignment_json(result), ensure_ascii=False, indent=args.indent)
        return _emit(text + "\n", args.output)
    if args.format == "html":
        from ..export.html import write_html

        return write_html(result, args.output or "-")
    from .render_text import render_diff

    color = args.color == "always" or (args.color == "auto" and _color_ok(args.output))
    from ..fileio import WriteError

    try:
        render_diff(result, width=args.width, color=color, file=None if args.output in (None, "-") else args.output)
    except WriteError as e:
        raise CliError(str(e), 1) from None
    return 0


def _check_output(output: str, inputs: tuple[str, str]) -> None:
    """-o must not name an input article or a special file (`fileio.check_target`)."""
    from ..fileio import WriteError, check_target

    try:
        check_target(output, inputs)
    except WriteError as e:
        raise CliError(str(e), 1) from None


def _semantic_wanted(args) -> bool:
    """--semantic / --no-semantic, else the config file; a missing extra is a one-line error."""
    wanted = args.semantic
    explicit = wanted is not None
    if not explicit:
        from .. import settings

        wanted = bool(settings.get("semantic"))
    if wanted:
        from ..alignment.semantic import INSTALL_HINT, available

        if not available():
            raise CliError(f"semantic mode needs the optional extra: {INSTALL_HINT}"
                           + ("" if explicit else " (set by semantic: true in the config file)"))
    return wanted


def _color_ok(output: str | None) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    return output in (None, "-") and sys.stdout.isatty()


def _emit(text: str, output: str | None) -> int:
    if output in (None, "-"):
        sys.stdout.write(text)
        return 0
    from ..fileio import WriteError, write_atomic

    try:
        write_atomic(output, text)
    except WriteError as e:
        raise CliError(str(e), 1) from None
    return 0
