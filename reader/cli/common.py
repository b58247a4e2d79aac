"""What the subcommands share: loading paths with friendly errors, output helpers."""
from __future__ import annotations

import json
import sys

from ..articles import load_article, load_articles
from ..inert import inert
from ..loading import LoadError
from ..model import Article
from ..rules import RulesError, load_rules


class CliError(Exception):
    """An error to print as one line on stderr, with exit status `code`."""

    def __init__(self, message: str, code: int = 2):
        super().__init__(message)
        self.code = code


def err(message: str) -> None:
    """One line on stderr; file names and reasons in it are made inert (`reader.inert`)."""
    print(f"reader: {inert(message, line=True)}", file=sys.stderr)


def rules_from(args) -> list:
    try:
        return load_rules(extra=getattr(args, "rules", []) or [])
    except RulesError as e:
        raise CliError(str(e)) from None


def one_article(path: str, rules: list) -> Article:
    try:
        return load_article(path, rules)
    except LoadError as e:
        raise CliError(f"{e.path}: {e.reason}") from None


def many_articles(paths: list[str], rules: list) -> list[Article]:
    """Load everything usable; report the rest; fail only when nothing is left."""
    articles, skipped = load_articles(paths, rules)
    for s in skipped:
        err(s.message())
    if not articles:
        raise CliError("no usable articles" + (" (see the messages above)" if skipped else ""))
    return articles


def print_json_line(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def guarded(run):
    """Turn CliError and RulesError into a one-line message and an exit status."""
    def wrapper(args) -> int:
        try:
            return run(args)
        except CliError as e:
            err(str(e))
            return e.code
        except RulesError as e:
            err(str(e))
            return 2
    return wrapper
