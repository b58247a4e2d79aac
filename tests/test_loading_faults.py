"""Reading files that are not what they seem: endless devices, BOM-less UTF-16/32, permissions.

Tests run as root here, where permissions do not stop anything, so the permission
cases are made by raising PermissionError exactly where the OS would (`os.stat` and
`os.open` on the locked paths); the real chmod variants run only as another user.
"""
from __future__ import annotations

import errno
import os
import resource
import shutil
import subprocess
import sys

import pytest

from reader import loading
from reader.cli import main
from reader.loading import LoadError, decode, read_bytes

from support import ROOT, seed


@pytest.fixture(autouse=True)
def _cache_switch_restored(monkeypatch):
    """`--no-cache` run in-process switches the cache off for the process: undo it after."""
    from reader import userdirs

    monkeypatch.setattr(userdirs, "_enabled", userdirs._enabled)


CAP = 2 * 1024 ** 3
AS_ROOT = os.geteuid() == 0


def _capped():
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


# -- endless and special files

def test_a_symlink_to_dev_zero_is_refused_after_the_cap(tmp_path):
    """In a child with capped memory: a regression must fail, not eat the machine."""
    link = tmp_path / "zero.txt"
    os.symlink("/dev/zero", link)
    code = ("from reader import loading\nloading.MAX_BYTES = 1024 * 1024\n"
            f"try:\n    loading.read_bytes({str(link)!r})\nexcept loading.LoadError as e:\n    print(e.reason)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       preexec_fn=_capped, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.stdout.startswith("too large"), r.stderr[-300:]


def test_the_cli_refuses_dev_zero_and_loads_the_rest(tmp_path):
    link = tmp_path / "zero.txt"
    os.symlink("/dev/zero", link)
    good = tmp_path / "good.txt"
    shutil.copy(seed("000"), good)
    r = subprocess.run([sys.executable, "-m", "reader", "clean", str(link), str(good)], capture_output=True,
                       text=True, timeout=120, preexec_fn=_capped, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert r.returncode == 0, r.stderr[-300:]
    assert r.stderr.strip().splitlines() == [f"reader: {link}: skipped: too large for an article (over 20 MB)"]
    assert "# good.txt" in r.stdout


def test_a_regular_file_exactly_at_the_cap_is_read(tmp_path, monkeypatch):
    f = tmp_path / "a.txt"
    f.write_bytes(b"x" * 1000)
    monkeypatch.setattr(loading, "MAX_BYTES", 1000)
    assert read_bytes(f) == b"x" * 1000
    monkeypatch.setattr(loading, "MAX_BYTES", 999)
    with pytest.raises(LoadError, match="too large"):
        read_bytes(f)


# -- UTF-16 and UTF-32 without a BOM

TEXT = "Regional ministers approved the harbour plan on Tuesday. Café “quoted”, naïve — €240.1bn.\n" * 20


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_bomless_utf16_and_utf32_are_decoded(enc, tmp_path):
    assert decode(TEXT.encode(enc)) == (TEXT, enc)
    f = tmp_path / "a.txt"
    f.write_bytes(TEXT.encode(enc))
    assert loading.read_text(f)[0] == TEXT


@pytest.mark.parametrize("enc", ["utf-16-le", "utf-32-be"])
def test_bomless_wide_text_beyond_latin(enc):
    text = "Путин посетит Китай 16–17 мая. Xi Jinping — 习近平. 😀 ok.\n" * 5
    assert decode(text.encode(enc)) == (text, enc)


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50, bytes(range(256)) * 40,
                                  b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + os.urandom(4000),
                                  b"abc\x00def\x00"])
def test_real_binaries_are_still_refused(data):
    with pytest.raises(ValueError, match="binary"):
        decode(data)


# -- permissions (simulated as root; real otherwise)

class Locks:
    """Refusals as the OS makes them for a user without the permission bits.

    `unreadable(p)`: opening or listing p fails (mode 000 on a file, or a folder's
    missing read bit); stat of p itself still works.  `unsearchable(d)`: stat and open
    of anything inside folder d fail (its missing execute bit); listing d still works.
    """

    def __init__(self):
        self.closed: list[str] = []
        self.shut: list[str] = []

    def unreadable(self, p) -> None:
        self.closed.append(str(p))

    def unsearchable(self, d) -> None:
        self.shut.append(str(d))

    def inside(self, p) -> bool:
        s = os.fspath(p) if not isinstance(p, int) else ""
        return any(s.startswith(d + os.sep) for d in self.shut)

    def refuses_open(self, p) -> bool:
        return self.inside(p) or (not isinstance(p, int) and os.fspath(p) in self.closed)


@pytest.fixture
def locks(monkeypatch) -> Locks:
    locks = Locks()
    real_stat, real_open, real_scandir, real_listdir = os.stat, os.open, os.scandir, os.listdir

    def deny(p):
        raise PermissionError(errno.EACCES, "Permission denied", os.fspath(p))

    def stat(p, *a, **k):
        return deny(p) if locks.inside(p) else real_stat(p, *a, **k)

    def open_(p, *a, **k):
        return deny(p) if locks.refuses_open(p) else real_open(p, *a, **k)

    def scandir(p="."):
        return deny(p) if locks.refuses_open(p) else real_scandir(p)

    def listdir(p="."):
        return deny(p) if locks.refuses_open(p) else real_listdir(p)

    monkeypatch.setattr(os, "stat", stat)
    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setattr(os, "listdir", listdir)
    return locks


def _folder(tmp_path):
    """good/ with two articles, plus an unreadable folder and an unreadable file beside them."""
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(seed("000"), good / "a.txt")
    shutil.copy(seed("001"), good / "b.txt")
    shutil.copy(seed("002"), good / "secret.txt")
    (tmp_path / "shut").mkdir()
    shutil.copy(seed("003"), tmp_path / "shut" / "c.txt")
    return good


@pytest.mark.parametrize("command", ["clean", "matrix"])
def test_unreadable_files_and_folders_one_line_each_and_the_rest_loads(tmp_path, locks, capsys, command):
    good = _folder(tmp_path)
    locks.unreadable(good / "secret.txt")
    locks.unreadable(tmp_path / "shut")  # chmod 000: neither listed nor searched
    locks.unsearchable(tmp_path / "shut")
    args = [command, str(good), str(tmp_path / "shut"), str(tmp_path / "shut" / "c.txt")]
    code = main(args + (["--format", "csv", "--no-cache"] if command == "matrix" else []))
    out = capsys.readouterr()
    assert code == 0, out.err
    lines = out.err.strip().splitlines()
    assert len(lines) == 3, out.err
    assert all("ermission denied" in x for x in lines)
    assert any("secret.txt" in x for x in lines) and sum("shut" in x for x in lines) == 2
    assert "Traceback" not in out.err
    if command == "clean":
        assert "# a.txt" in out.out and "# b.txt" in out.out
    else:
        assert "a.txt" in out.out and "b.txt" in out.out


def test_a_folder_without_execute_permission(tmp_path, locks, capsys):
    """Listing works (read permission) but every entry's stat is refused."""
    good = _folder(tmp_path)
    noexec = tmp_path / "noexec"
    noexec.mkdir()
    shutil.copy(seed("004"), noexec / "d.txt")
    (noexec / "photo.jpg").write_bytes(b"\xff\xd8")
    locks.unsearchable(noexec)
    code = main(["clean", str(good), str(noexec)])
    out = capsys.readouterr()
    assert code == 0
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "d.txt" in lines[0] and "ermission denied" in lines[0], out.err
    assert "# a.txt" in out.out


@pytest.mark.skipif(AS_ROOT, reason="root reads everything; the simulated tests above cover it")
def test_real_permissions(tmp_path, capsys):
    good = _folder(tmp_path)
    (good / "secret.txt").chmod(0)
    (tmp_path / "shut").chmod(0)
    try:
        code = main(["clean", str(good), str(tmp_path / "shut")])
    finally:
        (tmp_path / "shut").chmod(0o755)
    out = capsys.readouterr()
    assert code == 0 and len(out.err.strip().splitlines()) == 2 and "# a.txt" in out.out


def test_an_unreadable_config_folder_breaks_no_command(tmp_path, locks, capsys, monkeypatch):
    from reader import rules, settings

    config = tmp_path / "config"
    config.mkdir()
    (config / "rules.yaml").write_text("rules: []\n")
    monkeypatch.setenv("READER_CONFIG_DIR", str(config))
    locks.unreadable(config)  # chmod 000 on the folder
    locks.unsearchable(config)
    rules._load_cached.cache_clear()
    for args in (["clean", str(seed("000"))], ["diff", str(seed("000")), str(seed("001")), "--format", "json"],
                 ["matrix", str(seed("000")), str(seed("001")), "--format", "csv"]):
        code = main(args)
        out = capsys.readouterr()
        assert code == 0, out.err
        assert "Traceback" not in out.err and len(out.err.strip().splitlines()) <= 1
    assert settings.load()["semantic"] is False
