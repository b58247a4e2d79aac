"""Articles added from inside the app: by web address (`a`) and by pasting (`P`).

The use this serves: "paste a press release, see which of these articles copied it"
in two keys and a paste.  The added article joins the list, the cursor lands on it,
and `r` (the list's usual key) makes it the reference.

Both roads end in `load_article`, the one road from a path to an article, so an
added article is read exactly as `reader URL` or `reader file.txt` would read it: a
fetched page is kept in the same keep folder as the command line keeps it (offline
reuse), and a paste becomes an ordinary .txt file in the open folder, so reopening
the folder later shows it again.  Fetching and saving run in thread workers that
only post messages (`ArticleAdded`, `AddFailed`); a failure is one line in a notice.
`ReaderApp` mixes this in.
"""
from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from textual import work
from textual.worker import get_current_worker

from ..inert import inert
from .analysis import BACKGROUND_ALIGN_SECONDS
from .messages import AddFailed, ArticleAdded, Share, SharesComputed
from .offload import Cancelled, HelperFailed, one_line

PASTED_SUBFOLDER = "pasted"  # under the user data folder, when the app has no folder to write to
NAME_WORDS = 6


def paste_folder(paths: list[str]) -> tuple[Path, str]:
    """Where a paste is saved, and how to say it: the first folder the app was opened on;
    else beside the first file given, when that folder is writable; else the user data folder."""
    from ..inputs.registry import is_url
    from ..userdirs import data_dir

    local = [Path(p) for p in paths if not is_url(p)]
    folder = next((p for p in local if p.is_dir()), None)
    if folder is not None:
        return folder, f"the open folder {folder}"
    first = next((p for p in local if p.is_file()), None)
    if first is not None and os.access(first.parent, os.W_OK):
        return first.parent, f"{first.parent} (beside {first.name})"
    target = data_dir() / PASTED_SUBFOLDER
    return target, f"the user data folder {target} (the app was opened on no folder)"


def pasted_name(text: str) -> str:
    """A readable file name: the first words (ASCII letters and digits) and a short hash."""
    words = re.findall(r"[A-Za-z0-9]+", text)[:NAME_WORDS]
    slug = "-".join(w.lower() for w in words)[:60].strip("-") or "pasted"
    return f"{slug}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:8]}"


def save_pasted(text: str, folder: Path) -> Path:
    """Write `text` as a new .txt file in `folder`, never over an existing file.

    The same paste twice finds its own file (same name, same bytes) and reuses it.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    data = text.encode("utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    stem = pasted_name(text)
    for n in range(1, 100):
        path = folder / (f"{stem}.txt" if n == 1 else f"{stem}-{n}.txt")
        try:
            with open(path, "xb") as fh:  # exclusive: fails when the file exists
                fh.write(data)
            return path
        except FileExistsError:
            try:
                if path.is_file() and path.read_bytes() == data:
                    return path
            except OSError:
                pass
    raise OSError(f"no free file name for {stem}.txt in {folder}")


class AddingMixin:
    """`a` and `P` for `ReaderApp` (an `App`: `notify`, `post_message`, workers, screens)."""

    adding = 0  # fetches / saves under way (shown in the list's sub-title)

    def ask_url(self) -> None:
        from .screens.add_screens import UrlScreen

        self.push_screen(UrlScreen(), self.add_url)

    def ask_paste(self) -> None:
        from .screens.add_screens import PasteScreen

        _, where = paste_folder(self.paths)
        self.push_screen(PasteScreen(inert(where, line=True)), self.add_pasted)

    def add_url(self, url: str | None) -> None:
        from ..inputs.registry import is_url

        if not url:
            return
        if not is_url(url):
            self.notify(f"Not a web address (http:// or https://): {inert(url, line=True)}",
                        severity="error", markup=False)
            return
        self.notify(f"Fetching {inert(url, line=True)}…", timeout=3, markup=False)
        self._start_adding(url, None)

    def add_pasted(self, text: str | None) -> None:
        from ..inputs.registry import is_url

        if not text or not text.strip():
            return
        first = text.strip().splitlines()[0].strip()
        if is_url(first):  # a link pasted rather than an article: fetch it as `a` does
            self.add_url(first)
            return
        self._start_adding(None, text)

    def _start_adding(self, url: str | None, text: str | None) -> None:
        self.adding += 1
        self.list_screen.update_subtitle()
        self._add_article(url, text)

    @work(thread=True, group="add")
    def _add_article(self, url: str | None, text: str | None) -> None:
        """Fetch `url` (kept like the command line keeps pages), or save `text` and load it."""
        from ..articles import load_article
        from ..loading import LoadError

        what = url or "the pasted text"
        saved = None
        try:
            if url is not None:
                art = load_article(url, self.rules)
            else:
                folder, _ = paste_folder(self.paths)
                path = save_pasted(text, folder)
                saved = str(path)
                what = saved
                art = load_article(path, self.rules)
        except LoadError as e:
            self.post_message(AddFailed(what, inert(one_line(e.reason), line=True)))
            return
        except OSError as e:
            self.post_message(AddFailed(what, inert(one_line(f"not saved: {e.strerror or e}"), line=True)))
            return
        except Exception as e:  # noqa: BLE001 - a bug in reading: one line, never a crash
            self.post_message(AddFailed(what, inert(one_line(f"{type(e).__name__}: {e}"), line=True)))
            return
        self.post_message(ArticleAdded(art, saved))

    def on_add_failed(self, msg: AddFailed) -> None:
        self.adding = max(0, self.adding - 1)
        self.list_screen.update_subtitle()
        self.notify(f"Could not add {inert(msg.what, line=True)}: {msg.reason}", title="Not added",
                    severity="error", timeout=10, markup=False)

    def on_article_added(self, msg: ArticleAdded) -> None:
        self.adding = max(0, self.adding - 1)
        screen = self.list_screen
        art = msg.article
        known = next((i for i, a in enumerate(self.articles) if a.path == art.path), None)
        if known is not None:  # the same address or the same paste again: show the one we have
            screen.update_subtitle()
            if screen.table.row_count:
                screen.table.move_cursor(row=known)
            self.notify(f"#{known + 1} {inert(art.name, line=True)} is already in the list", timeout=4, markup=False)
            return
        index = len(self.articles)
        self.articles.append(art)
        if self.matrix is not None or self.matrix_progress is not None:
            self.forget_matrix()  # it lacks the new article: rebuilt when opened
        screen.show_articles(index, len(self.articles), loading=False)
        screen.table.move_cursor(row=index)
        saved = f" (saved as {inert(msg.saved, line=True)})" if msg.saved else ""
        self.notify(f"Added #{index + 1} {inert(art.name, line=True)}{saved}; r makes it the reference",
                    title="Added", timeout=6, markup=False)
        if self.loaded:  # while loading, compute_shares will reach it
            self._share_for(index, self.share_generation)

    @work(thread=True, group="add-share")
    def _share_for(self, index: int, generation: int) -> None:
        """The new row's bar against the reference, as `compute_shares` makes the others."""
        worker = get_current_worker()
        if index == self.reference:
            return
        ref, art = self.articles[self.reference], self.articles[index]
        try:
            al = self.cache.get(ref, art, lambda: worker.is_cancelled or generation != self.share_generation,
                                BACKGROUND_ALIGN_SECONDS)
        except Cancelled:
            return
        except HelperFailed as e:
            self.notify(inert(f"No share bar for #{index + 1} {art.name}: {e}", line=True),
                        severity="warning", timeout=8, markup=False)
            return
        self.post_message(SharesComputed(generation, [Share(index, al.word_shares("right"), al.counts("right"))]))
