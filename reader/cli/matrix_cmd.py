"""`reader matrix PATH`: who copied whom across a folder, as a table, JSON or CSV.

Text is for reading (a rich table: rows are the articles that copied, columns the
articles they share with, each cell the share of the row's words found in the
column, copied + changed).  JSON carries everything, per-sentence provenance
included; CSV is one line per ordered pair, for spreadsheets.  Names in text and CSV pass through
`inert` (both end up on terminals); JSON carries them exactly.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sys

from ..align import AlignOptions
from ..folder.matrix import FolderMatrix, build_matrix
from ..inert import inert
from .common import CliError, err, guarded, rules_from
from .progress_line import ProgressLine


def add_arguments(p) -> None:
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--format", choices=("text", "json", "csv"), default="text")
    p.add_argument("--no-cache", action="store_true", help="neither read nor write the on-disk cache")
    p.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="processes for aligning pairs in large folders (default: one per CPU)")
    p.add_argument("--store", default=None, metavar="FILE",
                   help="archive mode: stream the inputs, write results to this SQLite file as they are made, "
                        "and resume from it when rerun (see README, archive workflow)")
    p.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra noise rules (YAML)")
    p.add_argument("--width", type=int, default=None, help="text format: columns (default: terminal width)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="text format: colour (auto: only on a terminal and without NO_COLOR)")


@guarded
def run(args) -> int:
    """The command; SIGTERM stops it like Ctrl-C (pool torn down, cache closed), status 143."""
    from ..runtime.lifeline import Terminated, sigterm_stops

    try:
        with sigterm_stops():
            return _run(args)
    except Terminated:
        err("stopped (SIGTERM)")
        return Terminated.exit_code


def _run(args) -> int:
    if args.store:
        return _run_archive(args)
    if args.no_cache:
        from ..userdirs import disable_cache

        disable_cache()  # not even the parsed rules or the line model's compiled code
    rules = rules_from(args)
    cache = None
    if not args.no_cache:
        from ..cache import MatrixCache

        try:
            cache = MatrixCache()
        except Exception as e:  # an unusable cache folder must not stop the command
            err(f"cache unavailable, building without it ({e})")
    progress = ProgressLine()
    try:
        if cache is not None:
            articles, skipped = cache.load_articles(args.paths, rules, progress=_loading(progress))
        else:
            from ..articles import load_articles

            articles, skipped = load_articles(args.paths, rules, progress=_loading(progress))
        progress.close()
        for s in skipped:
            err(s.message())
        if not articles:
            raise CliError("no usable articles" + (" (see the messages above)" if skipped else ""))
        result = build_matrix(articles, AlignOptions(), cache=cache, workers=_jobs(args), progress=progress)
    finally:
        progress.close()
        if cache is not None:
            cache.close()
    print_matrix(result, args)
    return 0


def print_matrix(result: FolderMatrix, args) -> None:
    """The matrix on stdout in the format asked (`--format`, `--width`, `--color`): one
    place for `reader matrix`, its archive report and `reader spark`."""
    if args.format == "json":
        sys.stdout.write(json.dumps(matrix_json(result), ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        sys.stdout.write(matrix_csv(result))
    else:
        render_matrix(result, width=args.width, color=_color(args.color))


def _jobs(args) -> int:
    import os

    return args.jobs if args.jobs > 0 else min(4, os.cpu_count() or 1)


def _run_archive(args) -> int:
    """`--store`: the streaming, resumable build (`folder.archive`), then the report from the store."""
    from ..folder.archive import build_archive
    from ..folder.results_store import StoreMismatch

    progress = ProgressLine()
    try:
        stats = build_archive(args.paths, args.store, AlignOptions(), rules=rules_from(args), workers=_jobs(args),
                              progress=progress)
    except StoreMismatch as e:
        raise CliError(str(e)) from None
    finally:
        progress.close()
    if not stats["articles"]:
        raise CliError("no usable articles")
    _report_store(args, stats)
    return 0


FULL_REPORT_ARTICLES = 2000  # a store this small is reported like a folder (provenance included)


def _report_store(args, stats: dict) -> None:
    """The usual report for a small store; for an archive, its cells streamed from the store
    (CSV, JSON without per-sentence provenance) or the pairs sharing the most (text)."""
    from ..folder.archive import matrix_from_store
    from ..folder.matrix import Cell
    from ..folder.results_store import ResultsStore

    if stats["articles"] <= FULL_REPORT_ARTICLES:
        print_matrix(matrix_from_store(args.store), args)
        return
    with ResultsStore(args.store) as store:
        rows = store.article_rows()
        names = [os.path.basename(r[1]) for r in rows]

        def cells():
            for a, b, s in store.summaries():
                for x, y, c in ((a, b, Cell(*s["l"])), (b, a, Cell(*s["r"]))):
                    if c.total > 0:
                        yield x, y, c

        if args.format == "csv":
            w = csv.writer(sys.stdout, lineterminator="\n")
            w.writerow(["article", "shares_with", "copied", "changed", "total", "article_date", "shares_with_date"])
            for a, b, c in cells():
                w.writerow([inert(names[a], line=True), inert(names[b], line=True), f"{c.copied:.4f}",
                            f"{c.changed:.4f}", f"{c.total:.4f}", rows[a][3] or "", rows[b][3] or ""])
        elif args.format == "json":
            out = sys.stdout
            out.write('{"articles": [')
            out.write(",".join(json.dumps({"index": i, "path": path, "name": names[i], "title": title,
                                           "date_iso": date, "words": words}, ensure_ascii=False)
                               for i, path, title, date, words in rows))
            out.write('],\n"cells": [')
            out.write(",\n".join(json.dumps({"from": a, "to": b, "copied": round(c.copied, 4),
                                              "changed": round(c.changed, 4), "total": round(c.total, 4)})
                                  for a, b, c in cells()))
            out.write('],\n"stats": ' + json.dumps(stats) + "}\n")
        else:
            import heapq

            top = heapq.nlargest(TOP_PAIRS, cells(), key=lambda t: (t[2].total, -t[0], -t[1]))
            from rich.console import Console
            from rich.table import Table

            console = Console(width=args.width, no_color=not _color(args.color), highlight=False)
            console.print(f"{len(rows):,} articles, {stats['aligned_article_pairs']:,} pairs aligned "
                          f"(results in {inert(args.store, line=True)})")
            table = Table(title=f"Pairs sharing the most (top {len(top)})", title_justify="left")
            for col in ("article", "shares with", "total", "copied", "changed"):
                table.add_column(col, justify="left" if col in ("article", "shares with") else "right",
                                 overflow="fold")
            for a, b, c in top:
                table.add_row(_plain(f"{a} {names[a]}"), _plain(f"{b} {names[b]}"), _pct(c.total),
                              _pct(c.copied), _pct(c.changed))
            console.print(table)


def _loading(progress: ProgressLine):
    """The loaders report (files done, files, path) once per article: shown as the 'load'
    stage with the articles read so far (one corpus file can hold 100,000 of them)."""
    count = 0

    def report(done: int, total: int, _path: str) -> None:
        nonlocal count
        count += 1
        progress(done, total, "load", f"{count:,} articles")

    return report


def _color(choice: str) -> bool:
    import os

    if choice != "auto":
        return choice == "always"
    return not os.environ.get("NO_COLOR") and sys.stdout.isatty()


def matrix_json(m: FolderMatrix) -> dict:
    """Articles, every non-empty ordered pair, and provenance of each shared sentence."""
    arts = []
    for a, art in enumerate(m.articles):
        sents = []
        for i, (s, p) in enumerate(zip(art.sentences, m.provenance[a])):
            if not p.shared:
                continue
            sents.append({"index": i, "start": s.start, "end": s.end, "kind": s.kind, "text": s.text,
                          "shared": [{"article": k.article, "sentence": k.sentence, "status": k.status}
                                     for k in p.shared],
                          "verdict": p.verdict, "candidates": p.candidates, "source": p.source})
        arts.append({"index": a, "path": art.path, "name": art.name, "title": art.title,
                     "date_iso": art.date_iso, "words": art.word_count,
                     "shared": round(m.shared_share(a), 4), "taken": round(m.taken_share(a), 4),
                     "given_to": m.given_count(a), "sentences": sents})
    cells = [{"from": a, "to": b, "copied": round(c.copied, 4), "changed": round(c.changed, 4),
              "total": round(c.total, 4)} for (a, b), c in sorted(m.cells.items())]
    return {"articles": arts, "cells": cells, "stats": m.stats}


def matrix_csv(m: FolderMatrix) -> str:
    """One row per ordered pair that shares anything: who, with whom, how much."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["article", "shares_with", "copied", "changed", "total", "article_date", "shares_with_date"])
    for (a, b), c in sorted(m.cells.items()):
        x, y = m.articles[a], m.articles[b]
        w.writerow([inert(x.name, line=True), inert(y.name, line=True), f"{c.copied:.4f}", f"{c.changed:.4f}",
                    f"{c.total:.4f}", x.date_iso or "", y.date_iso or ""])
    return buf.getvalue()


GRID_MAX = 16     # more articles than this: the text format lists the top pairs instead of a grid
TOP_PAIRS = 40


def render_matrix(m: FolderMatrix, *, width: int | None = None, color: bool = False, file=None) -> None:
    """A grid (rows copied from columns) for a small folder, a ranked list of pairs for a large one."""
    from rich.console import Console
    from rich.table import Table

    console = Console(file=file or sys.stdout, width=width, no_color=not color,
                      color_system="standard" if color else None, highlight=False)
    n = len(m.articles)
    summary = Table(title="Articles", title_justify="left", show_lines=False)
    for col, just in (("#", "right"), ("article", "left"), ("date", "left"), ("words", "right"),
                      ("shared", "right"), ("from earlier", "right"), ("source for", "right")):
        summary.add_column(col, justify=just, overflow="fold")
    for a, art in enumerate(m.articles):
        summary.add_row(str(a), _plain(art.name), _plain(art.date_iso or "no date"), str(art.word_count),
                        _pct(m.shared_share(a)), _pct(m.taken_share(a)), f"{m.given_count(a)} articles")
    console.print(summary)
    if n <= GRID_MAX:
        grid = Table(title="Share of the row article's words found in the column article (copied + changed)",
                     title_justify="left")
        grid.add_column("", justify="right")
        for b in range(n):
            grid.add_column(str(b), justify="right")
        for a in range(n):
            row = []
            for b in range(n):
                if a == b:
                    row.append("·")
                    continue
                c = m.cell(a, b)
                row.append(_styled(c.total, color, f"{_pct(c.total)}"))
            grid.add_row(str(a), *row)
        console.print(grid)
    pairs = sorted(m.cells.items(), key=lambda kv: -kv[1].total)[:TOP_PAIRS]
    top = Table(title=f"Pairs sharing the most (top {len(pairs)} of {len(m.cells)})", title_justify="left")
    for col in ("article", "shares with", "total", "copied", "changed"):
        top.add_column(col, justify="left" if col in ("article", "shares with") else "right", overflow="fold")
    for (a, b), c in pairs:
        top.add_row(_plain(f"{a} {m.articles[a].name}"), _plain(f"{b} {m.articles[b].name}"),
                    _styled(c.total, color, _pct(c.total)),
                    _pct(c.copied), _pct(c.changed))
    console.print(top)
    if not m.cells:
        console.print("No sentence is shared between these articles.")


def _plain(text: str):
    """A name as a rich Text: shown as written (no markup: "[red]" stays "[red]"), made inert."""
    from rich.text import Text

    return Text(inert(text, line=True))


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _styled(value: float, color: bool, text: str) -> str:
    if not color or value <= 0:
        return text
    style = "bold red" if value >= 0.5 else "yellow" if value >= 0.2 else "green"
    return f"[{style}]{text}[/]"
