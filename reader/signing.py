"""Sealing cache files that hold code, so only this user's own reader can have written them.

The line model's compiled code is cached like a .pyc (`line_model`), and loading it
means executing it.  Anyone who can write the cache folder (a shared or mis-set
$READER_CACHE_DIR, a synced home folder, another program) could otherwise run code in
every reader process.  So such a file carries a MAC of its bytes under a secret key
kept in the *config* folder, never the cache folder, and is unmarshalled only when
the MAC checks out.  The MAC is keyed BLAKE2b (a MAC by design), taken from `_blake2`
when present because `hashlib` and `hmac` load OpenSSL, ~2.5 ms of a short command.

The key is 32 random bytes made on first use, readable by its owner only; a key that
others could read or write, that belongs to someone else, or that sits inside the
cache folder is not trusted.  No usable key means no sealing: the caller simply
works without its cache.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from .userdirs import cache_dir, config_dir

KEY_FILE = "cache.key"
_KEY_BYTES = 32
_MAGIC = b"RDRSEAL1"
_MAC_BYTES = 32

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - other Pythons
    from hashlib import blake2b


def _mac(key: bytes, payload: bytes) -> bytes:
    return blake2b(payload, key=key, digest_size=_MAC_BYTES).digest()


def _same(a: bytes, b: bytes) -> bool:
    """Constant-time comparison (hmac.compare_digest, without importing OpenSSL when avoidable)."""
    try:
        from _operator import _compare_digest
    except ImportError:  # pragma: no cover
        from hmac import compare_digest as _compare_digest
    return _compare_digest(a, b)


def key_path() -> Path:
    return config_dir() / KEY_FILE


def _inside(path: Path, folder: Path) -> bool:
    try:
        path, folder = path.resolve(), folder.resolve()
    except (OSError, RuntimeError):
        return True  # cannot tell: assume the worst
    return path == folder or folder in path.parents


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if (not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or st.st_size != _KEY_BYTES
                or (hasattr(os, "getuid") and st.st_uid != os.getuid())):
            return None
        data = os.read(fd, _KEY_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)
    return data if len(data) == _KEY_BYTES else None


def _key() -> bytes | None:
    """This user's key, made on first use; None when there is no trustworthy one."""
    path = key_path()
    if _inside(path, cache_dir()):
        return None
    key = _read_key(path)
    if key is not None:
        return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    except OSError:
        return None  # exists but untrusted (left alone: it is the user's file), or unwritable
    try:
        os.write(fd, os.urandom(_KEY_BYTES))
    except OSError:
        return None
    finally:
        os.close(fd)
    return _read_key(path)  # read back: two processes may have raced to make it


def seal(payload: bytes, key: bytes | None = None) -> bytes | None:
    """`payload` with a header and its MAC, or None when there is no usable key."""
    key = key if key is not None else _key()
    if key is None:
        return None
    return _MAGIC + _mac(key, payload) + payload


def unseal(blob: bytes) -> bytes | None:
    """The payload of a blob `seal` made with this user's key; None for anything else."""
    if not blob.startswith(_MAGIC) or len(blob) < len(_MAGIC) + _MAC_BYTES:
        return None
    key = _key()
    if key is None:
        return None
    mac, payload = blob[len(_MAGIC):len(_MAGIC) + _MAC_BYTES], blob[len(_MAGIC) + _MAC_BYTES:]
    return payload if _same(mac, _mac(key, payload)) else None
