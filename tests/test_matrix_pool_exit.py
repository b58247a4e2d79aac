"""`reader matrix` killed while its process pool works: no worker or tracker outlives it.

A folder big enough to need the pool (every pair shares the same wire sentences, so
more than `PROCESS_MIN_PAIRS` pairs are aligned) is generated with bench/gen.py's
English-like text; the command is started, and once its pool workers are up it is
killed with SIGKILL (nothing of it runs again) or stopped with SIGTERM (a clean stop).
Every process it had started must be gone a few seconds later.
"""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from gen import sentence, vocabulary  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

N_ARTICLES = 48  # 1,128 pairs, all linked


def make_folder(folder: Path) -> None:
    rng = random.Random(5)
    vocab = vocabulary(4000, rng)
    weights = [1 / (k + 1) for k in range(len(vocab))]
    wire = [sentence(rng, vocab, weights) for _ in range(6)]
    folder.mkdir()
    for k in range(N_ARTICLES):
        own = [sentence(rng, vocab, weights) for _ in range(60)]
        body = own[:20] + wire + own[20:]
        (folder / f"{k:03d}.txt").write_text(f"Story number {k}\n\n" + "\n\n".join(
            " ".join(body[i:i + 3]) for i in range(0, len(body), 3)) + "\n", encoding="utf-8")


def children(pid: int) -> set[int]:
    """Every descendant of `pid` (through /proc's children lists)."""
    out: set[int] = set()
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                kids = Path(f"/proc/{p}/task/{t}/children").read_text().split()
            except OSError:
                continue
            for c in map(int, kids):
                if c not in out:
                    out.add(c)
                    todo.append(c)
    return out


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone: it runs nothing)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    f = tmp_path_factory.mktemp("pool") / "articles"
    make_folder(f)
    return f


def start(folder: Path, tmp_path: Path) -> tuple[subprocess.Popen, set[int]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "reader", "matrix", str(folder), "--jobs", "2", "--no-cache",
                             "--format", "csv"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    kids: set[int] = set()
    while time.monotonic() < deadline:  # wait for the tracker and both workers
        kids = children(proc.pid)
        if len(kids) >= 3:
            time.sleep(1.0)  # let the workers get into their first chunk
            return proc, children(proc.pid) | kids
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"the pool never started (children: {kids}, exit {proc.poll()})")


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = {p for p in pids if alive(p)}
        if not left:
            return set()
        time.sleep(0.1)
    return {p for p in pids if alive(p)}


def _cleanup(pids: set[int]) -> None:
    for p in pids:
        try:
            os.kill(p, signal.SIGKILL)
        except OSError:
            pass


def _stopped(proc: subprocess.Popen, kids: set[int], what: str) -> tuple[int, str]:
    """(exit code, stderr) once `proc` has stopped after `what`; every child must be gone."""
    try:
        code = proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        pytest.fail(f"{what} did not stop `reader matrix` within 30 s")
    left = _gone_within(kids, 15)
    _cleanup(left)  # before reading stderr: a surviving worker would hold it open
    err = proc.stderr.read().decode(errors="replace")
    assert not left, f"still running after {what}: {sorted(left)}"
    return code, err


def test_sigkill_leaves_no_worker_or_tracker(folder, tmp_path):
    proc, kids = start(folder, tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    left = _gone_within(kids, 15)
    _cleanup(left)
    proc.stderr.close()
    assert not left, f"still running after the parent was killed: {sorted(left)}"


def test_sigterm_is_a_clean_stop(folder, tmp_path):
    proc, kids = start(folder, tmp_path)
    proc.send_signal(signal.SIGTERM)
    code, err = _stopped(proc, kids, "SIGTERM")
    assert code == 143, (code, err[-2000:])  # handled: not killed by the signal (that would be -15)
    assert "Traceback" not in err and err.strip().endswith("reader: stopped (SIGTERM)"), err[-2000:]


def test_ctrl_c_stops_the_pool_quietly(folder, tmp_path):
    """Ctrl-C reaches the whole foreground group: the command stops its pool and exits 130;
    no worker prints a traceback of its own (nor of the pool's SIGTERM that ends it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "READER_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen([sys.executable, "-m", "reader", "matrix", str(folder), "--jobs", "2", "--no-cache",
                             "--format", "csv"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                            start_new_session=True)  # its own group, as a terminal's foreground job
    deadline = time.monotonic() + 120
    kids: set[int] = set()
    while time.monotonic() < deadline and len(kids) < 3 and proc.poll() is None:
        kids = children(proc.pid)
        time.sleep(0.05)
    assert len(kids) >= 3, f"the pool never started (children: {kids}, exit {proc.poll()})"
    time.sleep(1.0)
    kids |= children(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)
    code, err = _stopped(proc, kids, "Ctrl-C")
    assert code == 130, (code, err[-2000:])
    assert "Traceback" not in err, err[-2000:]


def test_a_fork_pool_worker_ends_quietly_on_the_pools_sigterm(tmp_path):
    """A worker forked while the command had `sigterm_stops` on is stopped by the pool's
    SIGTERM without a `Terminated` traceback (Ctrl-C during the matrix's verify stage
    printed one)."""
    code = ("import multiprocessing, sys, time\n"
            "from reader.runtime import lifeline\n"
            "with lifeline.sigterm_stops():\n"
            "    with multiprocessing.get_context('fork').Pool(2, initializer=lifeline.pool_worker) as pool:\n"
            "        assert pool.map(abs, [-1, -2, -3]) == [1, 2, 3]\n"
            "        pool.apply_async(time.sleep, (10,))\n"
            "        time.sleep(1.0)  # one worker busy, one idle: terminate() stops both with SIGTERM\n"
            "print('done')\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0 and out.stdout.strip() == "done", out.stderr
    assert "Traceback" not in out.stderr, out.stderr


def test_terminated_pool_leaves_no_manager_thread():
    """A pool stopped by `_terminate_workers` has its manager thread ended: left running,
    it closed its wake-up pipe while the interpreter's exit hook wrote to it, and a
    SIGTERM-stopped `reader matrix` printed an EBADF traceback (CI, once)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from reader.folder.align_pool import _terminate_workers

    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    pool.submit(time.sleep, 5)
    pool.submit(time.sleep, 5)  # one running, one pending
    time.sleep(0.5)
    manager = pool._executor_manager_thread
    _terminate_workers(pool)
    assert manager is not None and not manager.is_alive()
