"""`reader library ACTION ...`: keep sources in a standing library and check articles against it.

    reader library add PATH...        file wire copy, press releases, past coverage
    reader library check ARTICLE...   which documents each article reuses, and how much
    reader library list               what the library holds
    reader library remove DOC...      by id, path or hash (as `list` shows them)
    reader library rebuild            re-index, or set a damaged file aside and keep what it can

Each action is a subcommand with its own options, written after it (argparse cannot
take a free list of paths after a positional action word mixed with options).  The
library is a file in the user data folder unless `--library FILE` names another
(`reader.library.store`).
"""
from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

from .common import CliError, err, guarded, rules_from

def add_arguments(p) -> None:
    from ..inputs import options as input_options

    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="file documents in the library (files, folders, corpus files, URLs)")
    add.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    add.add_argument("--jobs", type=int, default=0, metavar="N",
                     help="processes for cleaning large batches (default: one per CPU, at most 4)")
    check = actions.add_parser("check", help="which library documents each article reuses")
    check.add_argument("paths", nargs="+", metavar="ARTICLE", help="article files or folders")
    check.add_argument("--format", choices=("text", "json", "html"), default="text")
    check.add_argument("-o", "--output", default=None, metavar="FILE",
                       help="write to FILE ('-' for stdout); html needs it")
    check.add_argument("--top", type=int, default=10, metavar="N", help="at most N documents per article")
    check.add_argument("--examine", type=int, default=40, metavar="N",
                       help="verify at most N candidate documents per article, best first")
    check.add_argument("--brief", action="store_true", help="text format: documents only, no passages")
    mode = check.add_mutually_exclusive_group()
    mode.add_argument("--semantic", dest="semantic", action="store_true", default=None,
                      help="align with sentence embeddings too (needs reader[semantic])")
    mode.add_argument("--no-semantic", dest="semantic", action="store_false", help="lexical alignment only")
    listing = actions.add_parser("list", help="the documents in the library")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    remove = actions.add_parser("remove", help="remove documents by id, path or hash")
    remove.add_argument("paths", nargs="+", metavar="DOC", help="a document's id, path or hash ('list' shows them)")
    actions.add_parser("rebuild", help="re-index; a damaged file is set aside and what it holds kept")
    for sub in (add, check, listing, remove, actions.choices["rebuild"]):
        sub.add_argument("--library", metavar="FILE", default=None,
                         help="the library file (default: library.sqlite in the user data folder)")
    for sub in (add, check):
        sub.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
        input_options.add_arguments(sub)


@guarded
def run(args) -> int:
    from ..library import LibraryError, default_path
    from ..library.store import describe

    path = Path(args.library).expanduser() if args.library else default_path()
    try:
        return ACTION_RUN[args.action](args, path)
    except LibraryError as e:
        raise CliError(str(e), 1) from None
    except sqlite3.Error as e:
        raise CliError(str(describe(e, path)), 1) from None


def _add(args, path: Path) -> int:
    import os

    from ..library import Library, add_paths

    rules = rules_from(args)
    jobs = args.jobs if args.jobs > 0 else min(4, os.cpu_count() or 1)
    with Library(path, create=True) as lib:
        report = add_paths(lib, args.paths, rules, jobs=jobs, progress=_progress("adding"))
        total = lib.count()
    for s in report.skipped:
        err(s.message())
    if not report.added and not report.duplicates:
        raise CliError("nothing to add" + (" (see the messages above)" if report.skipped else ""), 1)
    print(f"added {len(report.added)} document{'' if len(report.added) == 1 else 's'}"
          f" ({len(report.duplicates)} already in the library, {len(report.skipped)} skipped);"
          f" {_inert(str(path))} holds {total}")
    return 0


def _check(args, path: Path) -> int:
    from ..articles import load_articles
    from ..library import CheckOptions, Library, check_article
    from ..library.check import result_json
    from .diff_cmd import _check_output, _emit, _semantic_wanted

    if args.format == "html" and args.output is None:
        raise CliError("--format html needs -o FILE ('-o -' for stdout)")
    if args.output not in (None, "-"):
        _check_output(args.output, tuple(args.paths))
    from ..align import AlignOptions

    aopt = AlignOptions(semantic=_semantic_wanted(args))
    copt = CheckOptions(top=max(1, args.top), examine=max(1, args.examine, args.top))
    with Library(path) as lib:
        _warn_version(lib)
        articles, skipped = load_articles(args.paths, rules_from(args))
        for s in skipped:
            err(s.message())
        if not articles:
            raise CliError("no usable articles" + (" (see the messages above)" if skipped else ""))
        n_docs = lib.count()
        results = [check_article(lib, a, aopt, copt, n_docs) for a in articles]
    if args.format == "json":
        doc = {"library": {"path": str(path), "documents": n_docs},
               "articles": [result_json(r) for r in results],
               "skipped": [{"path": s.path, "reason": s.reason} for s in skipped]}
        return _emit(json.dumps(doc, ensure_ascii=False) + "\n", args.output)
    if args.format == "html":
        from ..library.render import render_html

        return _emit(render_html(results, str(path), n_docs), args.output)
    import io

    from ..library.render import render_text

    buf = io.StringIO()
    render_text(results, str(path), n_docs, buf, passages=not args.brief)
    return _emit(buf.getvalue(), args.output)


def _list(args, path: Path) -> int:
    from ..library import Library

    with Library(path) as lib:
        docs = lib.documents()
        version_ok = _warn_version(lib)
    if args.format == "json":
        sys.stdout.write(json.dumps({"library": str(path), "documents": [d.to_json() for d in docs],
                                     "current": version_ok}, ensure_ascii=False) + "\n")
        return 0
    for d in docs:
        title = f'  "{_inert(d.title)}"' if d.title else ""
        print(f"#{d.id:<6} {d.added[:10]}  {d.words:>6} words  {d.hash[:12]}  {_inert(d.path)}{title}")
    print(f"{len(docs)} document{'' if len(docs) == 1 else 's'} in {_inert(str(path))}")
    return 0


def _remove(args, path: Path) -> int:
    from ..library import Library

    missing = []
    with Library(path) as lib:
        ids: list[int] = []
        for sel in args.paths:
            found = lib.find(sel)
            if not found:
                missing.append(sel)
            ids.extend(d.id for d in found if d.id not in ids)
        removed = lib.remove(ids)
        total = lib.count()
    for sel in missing:
        err(f"{_inert(sel)}: no such document in the library")
    print(f"removed {removed} document{'' if removed == 1 else 's'}; {_inert(str(path))} holds {total}")
    return 1 if missing else 0


def _rebuild(args, path: Path) -> int:
    from ..library import rebuild

    report = rebuild(path, progress=_progress("rebuilding"))
    if report.set_aside is not None:
        err(f"the old file was set aside as {_inert(str(report.set_aside))}"
            + (f" ({_inert(report.reason)})" if report.reason else ""))
    lost = f", {report.lost} could not be read" if report.lost else ""
    print(f"rebuilt {_inert(str(path))}: {report.kept} documents kept{lost}")
    return 0


def _warn_version(lib) -> bool:
    from ..library.keys import keys_version

    have = lib.meta("keys")
    if have is not None and have != keys_version():
        err(f"library {_inert(str(lib.path))} was indexed by another version of reader and may miss "
            "documents; run 'reader library rebuild'")
        return False
    return True


def _progress(verb: str):
    """A progress line on stderr, only on a terminal and only for long runs."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int, _item: str) -> None:
        if total >= 50 and (done % 25 == 0 or done == total):
            sys.stderr.write(f"\r{verb} {done}/{total}" + ("\n" if done == total else ""))
            sys.stderr.flush()
    return show


def _inert(text: str) -> str:
    from ..inert import inert

    return inert(text, line=True)


ACTION_RUN = {"add": _add, "check": _check, "list": _list, "remove": _remove, "rebuild": _rebuild}
