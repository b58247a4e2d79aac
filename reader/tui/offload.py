"""Long computations of the app in helper processes that can be stopped at once.

A thread cannot be killed: an alignment that takes minutes (hostile input: issue 13)
would keep its worker thread, a core and gigabytes after the user pressed escape,
and q would wait for it.  So the app sends each alignment to a helper process: the
worker thread only waits, checking its cancel flag every few hundredths of a second,
and when the user moves on the helper is killed and the memory goes with it.

Helpers are plain `subprocess` children (`python -m reader.tui.offload`) talking
pickled frames over their stdin/stdout, not `multiprocessing`: nothing to do with
the terminal Textual draws on (their stderr goes to a file read only to explain a
death), no resource tracker, no fork of a threaded process.  A helper exits as soon
as its stdin closes, so it never outlives the app, even one killed with -9.  Its
memory is capped (half the machine's RAM) so hostile input fails with a message
instead of swapping the machine to a halt.

Only data crosses: the function is named as "module:function" and the arguments and
result are pickled; the app reads its own helpers' output only.
"""
from __future__ import annotations

import importlib
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from time import monotonic
from typing import Any, BinaryIO

POLL_SECONDS = 0.05   # how often a waiting thread looks at its cancel flag
MAX_IDLE = 2          # helpers kept ready between calls
_HEADER = struct.Struct(">Q")


class Cancelled(Exception):
    """The caller's cancel flag was set (or the offloader closed): the helper was killed."""


class HelperFailed(Exception):
    """The computation failed in the helper, or the helper died; the message is one line."""


def _read_frame(stream: BinaryIO) -> bytes | None:
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(head)
    data = stream.read(size)
    return data if len(data) == size else None


def _write_frame(stream: BinaryIO, data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def one_line(text: str, limit: int = 200) -> str:
    """The first non-blank line of `text`, shortened: messages in the app are one line."""
    line = next((x.strip() for x in str(text).splitlines() if x.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def memory_cap() -> int | None:
    """Bytes of address space a helper may use: half the machine's memory (None: unknown)."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (AttributeError, ValueError, OSError):
        return None


class Helper:
    """One helper process; `call` runs one function in it, killing it if cancelled."""

    def __init__(self) -> None:
        self._errors = tempfile.TemporaryFile()
        cap = memory_cap()
        self.proc = subprocess.Popen([sys.executable, "-m", "reader.tui.offload", str(cap or 0)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors)
        self._replies: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._pump, name="reader-helper-reader", daemon=True).start()

    @property
    def pid(self) -> int:
        return self.proc.pid

    def _pump(self) -> None:
        while True:
            frame = _read_frame(self.proc.stdout)
            self._replies.put(frame)
            if frame is None:
                return

    def call(self, target: str, args: tuple, cancelled: Callable[[], bool], timeout: float | None = None) -> Any:
        try:
            _write_frame(self.proc.stdin, pickle.dumps((target, args), protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            raise HelperFailed(self.death()) from None
        end = None if timeout is None else monotonic() + timeout
        while True:
            try:
                frame = self._replies.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if cancelled():
                    self.kill()
                    raise Cancelled from None
                if end is not None and monotonic() > end:
                    self.kill()
                    raise HelperFailed(f"gave up after {timeout:.0f} s") from None
                continue
            if frame is None:
                raise HelperFailed(self.death())
            status, value = pickle.loads(frame)
            if status == "ok":
                return value
            raise HelperFailed(value)

    def death(self) -> str:
        """Why the helper stopped, in one line (its exit status and last words)."""
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
            code = self.proc.returncode
        last = ""
        try:
            self._errors.seek(0)
            tail = self._errors.read()[-2000:].decode("utf-8", "replace")
            last = next((x.strip() for x in reversed(tail.splitlines()) if x.strip()), "")
        except OSError:
            pass
        how = (f"killed by signal {-code}" + (" (out of memory?)" if code == -9 else "")
               if code is not None and code < 0 else f"exit status {code}")
        return one_line(f"the helper process stopped ({how})" + (f": {last}" if last else ""))

    def kill(self) -> None:
        if self.proc.poll() is None:
            try:
                self.proc.kill()
            except OSError:
                pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.proc.stdin, self.proc.stdout, self._errors):
            try:
                stream.close()
            except (OSError, ValueError):
                pass

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None


class Offloader:
    """Helpers for the app: one per concurrent caller, a couple kept warm between calls."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[Helper] = []
        self._busy: set[Helper] = set()
        self._closed = False

    def call(self, target: str, args: tuple, cancelled: Callable[[], bool] | None = None,
             timeout: float | None = None) -> Any:
        """`target(*args)` in a helper; Cancelled as soon as `cancelled()` is true.

        HelperFailed (one line) when the work raised, the helper died (out of memory:
        killed) or it ran longer than `timeout` seconds; OSError when no helper can start.
        """
        check = cancelled or (lambda: False)
        with self._lock:
            if self._closed:
                raise Cancelled
            helper = self._idle.pop() if self._idle else None
        if helper is None or not helper.alive:
            helper = Helper()  # OSError when no process can be started: the caller decides
        with self._lock:
            self._busy.add(helper)
        try:
            value = helper.call(target, args, lambda: self._closed or check(), timeout)
        except HelperFailed:
            with self._lock:
                self._busy.discard(helper)
            if self._closed:
                helper.kill()
                raise Cancelled from None
            self._release(helper) if helper.alive else helper.kill()  # an error in the work, or a death
            raise
        except BaseException:
            with self._lock:
                self._busy.discard(helper)
            helper.kill()
            if self._closed:
                raise Cancelled from None
            raise
        with self._lock:
            self._busy.discard(helper)
        self._release(helper)
        return value

    def _release(self, helper: Helper) -> None:
        with self._lock:
            keep = not self._closed and len(self._idle) < MAX_IDLE
            if keep:
                self._idle.append(helper)
        if not keep:
            helper.kill()

    def pids(self) -> list[int]:
        """Process ids of the helpers alive now (for tests and diagnostics)."""
        with self._lock:
            return [h.pid for h in [*self._idle, *self._busy] if h.alive]

    def close(self) -> None:
        """Kill every helper; later calls raise Cancelled (the app is leaving)."""
        with self._lock:
            self._closed = True
            helpers = [*self._idle, *self._busy]
            self._idle.clear()
        for helper in helpers:
            helper.kill()


class DaemonThreads(ThreadPoolExecutor):
    """The app's event-loop executor (its thread workers run here): daemon threads, no waiting.

    asyncio and `concurrent.futures` join their worker threads when the app ends, so
    one stuck computation (a hostile file in the loader, a semantic alignment) kept
    the process alive after q.  The app's thread work is all recomputable and holds
    nothing to save, so these threads are daemons and `shutdown` does not wait:
    the process leaves when the user does.  (A subclass because asyncio accepts only
    a ThreadPoolExecutor as the default executor.)
    """

    def submit(self, fn, /, *args, **kwargs) -> Future:
        future: Future = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                result = fn(*args, **kwargs)
            except BaseException as e:  # noqa: BLE001 - handed to whoever awaits the future
                future.set_exception(e)
            else:
                future.set_result(result)

        threading.Thread(target=run, name="reader-worker", daemon=True).start()
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass  # nothing to join: the threads are daemons


def resolve(target: str) -> Callable:
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def _serve(memory: int) -> None:
    """The helper's side: run each framed (target, args) and answer ("ok" | "error", value)."""
    if memory > 0:
        try:
            import resource

            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        except (ImportError, ValueError, OSError):
            pass
    inp = sys.stdin.buffer
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the frames
    jobs: queue.Queue[bytes] = queue.Queue()

    def pump() -> None:
        while True:
            frame = _read_frame(inp)
            if frame is None:
                os._exit(0)  # the app is gone: never outlive it, even mid-computation
            jobs.put(frame)

    threading.Thread(target=pump, daemon=True).start()
    while True:
        frame = jobs.get()
        try:
            target, args = pickle.loads(frame)
            reply = ("ok", resolve(target)(*args))
        except MemoryError:
            reply = ("error", "out of memory (the helper's limit is half the machine's memory)")
        except Exception as e:  # noqa: BLE001 - reported to the app as one line
            reply = ("error", one_line(f"{type(e).__name__}: {e}"))
        try:
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as e:  # noqa: BLE001
            data = pickle.dumps(("error", one_line(f"unpicklable result: {e}")))
        _write_frame(out, data)


if __name__ == "__main__":
    _serve(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
