"""Writing output files atomically, so a failed export never leaves half a file behind.

A temporary file beside the target is renamed into place.  That is right for a
regular file and wrong for anything else: renaming over a FIFO or a device node
(as root, `-o /dev/null`) would replace it with a regular file, so those are
refused with a message pointing at `-o -`.  `check_target` also refuses a path that
is one of the command's own inputs (the same file, however it is spelt: `./a.txt`,
a symlink, a hard link), which the command checks before doing any work.  Whatever
stops the write (an error, Ctrl-C, running out of memory) removes the temporary file.
"""
from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path


class WriteError(Exception):
    """A path that cannot be written, with a reason fit to show the user (on a terminal:
    the path the user gave is made inert, `reader.inert`)."""

    def __init__(self, message: str):
        from .inert import inert

        super().__init__(inert(message, line=True))


_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_target(path: str | Path, inputs: Iterable[str | Path] = ()) -> Path:
    """The target path, or WriteError if writing there would replace what it must not."""
    target = Path(path).expanduser()
    try:
        st = target.stat()  # follows symlinks: what a write would end up replacing or writing
    except FileNotFoundError:
        return target
    except OSError as e:
        raise WriteError(f"{target}: cannot write ({e.strerror or e})") from None
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(f"{target}: is a folder")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
        raise WriteError(f"{target}: not a regular file ({kind}); not replacing it "
                         "(use '-o -' to write to standard output)")
    for inp in inputs:
        try:
            other = os.stat(inp)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
            raise WriteError(f"{target}: is one of the input articles; not overwriting it")
    return target


def write_atomic(path: str | Path, text: str, encoding: str = "utf-8",
                 inputs: Iterable[str | Path] = ()) -> Path:
    """Write `text` to a temporary file beside `path`, then rename it into place."""
    target = check_target(path, inputs)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"{target}: folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as e:
        raise WriteError(f"{target}: cannot write here ({e.strerror or e})") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="\n") as fh:
            fh.write(text)
        # mkstemp makes the file owner-only; give it the mode a plain open() would.
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException as e:  # Ctrl-C and MemoryError too: never leave the temporary file
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise WriteError(f"{target}: cannot write ({e.strerror or e})") from None
        if isinstance(e, MemoryError):
            raise WriteError(f"{target}: not written (out of memory)") from None
        raise
    return target
