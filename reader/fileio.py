"""Writing output files atomically, so a failed export never leaves half a file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteError(Exception):
    """A path that cannot be written, with a reason fit to show the user."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to a temporary file beside `path`, then rename it into place."""
    target = Path(path).expanduser()
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise WriteError(f"{target}: folder {folder} does not exist")
    if target.is_dir():
        raise WriteError(f"{target}: is a folder")
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
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise WriteError(f"{target}: cannot write ({e.strerror or e})") from None
    return target
