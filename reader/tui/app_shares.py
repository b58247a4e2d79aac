"""The list's share bars: each article against the reference, in the background.

Kept apart from `app.py`; `ReaderApp` mixes this in.  The bars of a folder opened
before come from the on-disk cache (table ``shares``, keyed by both articles'
content, the aligner's options and engine: `cache.shares_key`), all at once; the
rest are aligned `SHARE_JOBS` at a time, each in a helper process (both cores), and
posted in batches as they finish, each batch also written to the cache, so a user
who quits half-way keeps what was computed.  The worker only posts messages.
"""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict
from time import monotonic

from textual import work
from textual.worker import get_current_worker

from ..inert import inert
from .analysis import BACKGROUND_ALIGN_SECONDS
from .messages import Share, SharesComputed
from .offload import Cancelled, HelperFailed

SHARE_BATCH_SECONDS = 0.15
SHARE_JOBS = 2  # share-bar alignments at once, each in a helper process


class SharesMixin:
    """Share bars for `ReaderApp` (an `App` with `articles`, `reference`, `cache`, `shares`)."""

    @work(thread=True, exclusive=True, group="shares")
    def compute_shares(self, generation: int) -> None:
        worker = get_current_worker()
        articles = list(self.articles)
        ref = articles[self.reference]
        wanted = [k for k in range(len(articles)) if k != self.reference]

        def stop() -> bool:
            return worker.is_cancelled or generation != self.share_generation

        disk = self._open_cache()
        try:
            keys, known = self._cached_shares(disk, ref, articles, wanted)
            if known:
                self.post_message(SharesComputed(generation, known))
            done = {s.index for s in known}
            self._align_shares(generation, ref, articles, [k for k in wanted if k not in done], stop,
                               lambda batch: self._keep_shares(disk, keys, batch))
        finally:
            if disk is not None:
                disk.close()

    def _cached_shares(self, disk, ref, articles, wanted) -> tuple[dict[int, str], list[Share]]:
        if disk is None:
            return {}, []
        from ..cache import shares_key

        options = asdict(self.cache.options)
        keys = {k: shares_key(ref, articles[k], options) for k in wanted}
        rows = disk.get_many("shares", list(keys.values()))
        known = []
        for k, key in keys.items():
            row = rows.get(key)
            if isinstance(row, dict) and isinstance(row.get("shares"), dict) and isinstance(row.get("counts"), dict):
                known.append(Share(k, row["shares"], row["counts"]))
        return keys, known

    @staticmethod
    def _keep_shares(disk, keys: dict[int, str], batch: list[Share]) -> None:
        if disk is not None and keys:
            disk.put_many("shares", [(keys[s.index], {"shares": s.shares, "counts": s.counts}) for s in batch])

    def _align_shares(self, generation: int, ref, articles: list, todo_list: list[int], stop, keep) -> None:
        """Align `todo_list` against `ref`, `SHARE_JOBS` at once; post (and `keep`) in batches."""
        todo = iter(todo_list)
        batch: list[Share] = []
        last = monotonic()
        pool = ThreadPoolExecutor(max_workers=SHARE_JOBS, thread_name_prefix="reader-shares")
        running: dict[Future, int] = {}

        def submit_next() -> None:
            k = next(todo, None)
            if k is not None:
                running[pool.submit(self.cache.get, ref, articles[k], stop, BACKGROUND_ALIGN_SECONDS)] = k

        try:
            for _ in range(SHARE_JOBS):
                submit_next()
            while running:
                finished, _ = wait(list(running), timeout=0.05, return_when=FIRST_COMPLETED)
                if stop():
                    return
                for fut in finished:
                    k = running.pop(fut)
                    submit_next()
                    try:
                        al = fut.result()
                    except Cancelled:
                        return
                    except HelperFailed as e:  # this one bar stays empty; say why once
                        self.notify(inert(f"No share bar for #{k + 1} {articles[k].name}: {e}", line=True),
                                    severity="warning", timeout=8, markup=False)
                        continue
                    batch.append(Share(k, al.word_shares("right"), al.counts("right")))
                if batch and monotonic() - last > SHARE_BATCH_SECONDS:
                    self.post_message(SharesComputed(generation, batch))
                    keep(batch)
                    batch, last = [], monotonic()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        self.post_message(SharesComputed(generation, batch, done=True))
        keep(batch)

    def on_shares_computed(self, msg: SharesComputed) -> None:
        if msg.generation != self.share_generation:
            return
        for share in msg.shares:
            self.shares[share.index] = share
            self.list_screen.show_share(share)
