"""Work done in a forked child must give exactly what the parent would have computed."""
from __future__ import annotations

import os
import sys

import pytest
from support import SEEDS

from reader.runtime import forking
from reader.align import align
from reader.articles import load_article
from reader.pair import load_pair
from reader.loading import LoadError
from reader.serialise import alignment_json

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or forking._cpus() < 2,
                                reason="forking is used on Linux with more than one CPU only")


@pytest.fixture
def forks(monkeypatch):
    """Pretend the test process is single-threaded (pytest plugins may start threads)."""
    monkeypatch.setattr(forking.threading, "active_count", lambda: 1)
    monkeypatch.delenv("READER_NO_FORK", raising=False)


def _child_pid() -> int:
    return os.getpid()


@linux_only
def test_result_comes_from_a_child(forks):
    assert forking.Forked(_child_pid).result() != os.getpid()


def test_no_fork_when_turned_off(monkeypatch):
    monkeypatch.setenv("READER_NO_FORK", "1")
    assert forking.Forked(_child_pid).result() == os.getpid()


def _fails_in_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("child trouble")
    return "computed by the parent"


@linux_only
def test_a_failing_child_is_recomputed_by_the_parent(forks):
    assert forking.Forked(_fails_in_child, os.getpid()).result() == "computed by the parent"


@linux_only
def test_cancel_reaps_the_child(forks):
    job = forking.Forked(_child_pid)
    job.cancel()
    job.cancel()  # twice is harmless


def _long_copy(tmp_path, name: str, source) -> str:
    """A seed article repeated until it is long enough to be loaded in a child."""
    text = source.read_text(encoding="utf-8")
    body = "\n\n".join(f"{line} (part {k})" for k in range(40) for line in text.splitlines() if len(line) > 60)
    path = tmp_path / name
    path.write_text(text.splitlines()[0] + "\n\n" + body + "\n", encoding="utf-8")
    assert path.stat().st_size >= 32_000
    return str(path)


@linux_only
def test_load_pair_and_align_agree_with_and_without_children(tmp_path, forks, monkeypatch):
    seeds = sorted(SEEDS.glob("*.txt"))
    a, b = _long_copy(tmp_path, "a.txt", seeds[0]), _long_copy(tmp_path, "b.txt", seeds[1])
    forked = load_pair(a, b)
    got = alignment_json(align(*forked))
    assert len(forked[0].sentences) + len(forked[1].sentences) >= 1000  # the clause search forks too
    monkeypatch.setenv("READER_NO_FORK", "1")
    inline = (load_article(a), load_article(b))
    assert forked[1].sentences == inline[1].sentences and forked[1].stripped == inline[1].stripped
    assert got == alignment_json(align(*inline))


@linux_only
def test_load_pair_reports_a_bad_right_file_like_the_parent_would(tmp_path, forks):
    seeds = sorted(SEEDS.glob("*.txt"))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01binary" * 8000)
    with pytest.raises(LoadError) as caught:
        load_pair(str(seeds[0]), str(bad))
    assert str(caught.value.path) == str(bad)


def test_a_disabled_process_computes_inline(forks, monkeypatch):
    monkeypatch.setattr(forking, "_disabled", False)
    forking.disable()
    assert forking.Forked(_child_pid).result() == os.getpid()


@linux_only
def test_a_parent_error_stops_and_reaps_the_child(forks):
    import time

    started = time.monotonic()
    with pytest.raises(ValueError):
        with forking.Forked(time.sleep, 30) as job:
            assert job._pid is not None
            raise ValueError("the parent failed")
    assert job._pid is None and time.monotonic() - started < 10


def test_not_worth_a_child_computes_inline(forks):
    assert forking.Forked(_child_pid, worth=False).result() == os.getpid()
