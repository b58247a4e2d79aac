"""The `reader` command as scripts use it: JSON shapes, text output, and bad input."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from reader.cli import main

from support import seed


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reader", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def test_diff_json_shape_and_offsets():
    a, b = seed("000"), seed("001")
    out = run("diff", str(a), str(b), "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    for side, path in (("left", a), ("right", b)):
        text = path.read_text(encoding="utf-8")
        art = d[side]
        assert art["path"] == str(path)
        assert {"title", "date", "sentences"} <= set(art)
        for s in art["sentences"]:
            assert text[s["start"]:s["end"]] == s["text"]
            assert s["status"] in ("copied", "changed", "added")
    n_left, n_right = len(d["left"]["sentences"]), len(d["right"]["sentences"])
    for p in d["pairs"]:
        assert p["status"] in ("copied", "changed") and 0 <= p["score"] <= 1
        assert all(0 <= i < n_left for i in p["left"]) and all(0 <= j < n_right for j in p["right"])
        for i in p["left"]:
            assert d["left"]["sentences"][i]["status"] != "added"


def test_diff_finds_the_wire_copy_in_the_seeds():
    d = json.loads(run("diff", str(seed("000")), str(seed("001")), "--format", "json").stdout)
    left = {s["text"][:40]: s["status"] for s in d["left"]["sentences"]}
    assert left["Russia has become China’s top crude supp"] == "copied"          # 24 percent / 24%
    assert left["China-Russian trade hit a record of $240"] == "copied"          # $240.1bn / billion
    assert left["Putin and Xi share a broad worldview, wh"] == "copied"          # worldview / world view
    assert left["Meeting in Paris with French President E"] == "added"


def test_diff_text_has_summary_and_symbols_without_colour():
    out = run("diff", str(seed("000")), str(seed("001")), "--width", "120", env={"NO_COLOR": "1"})
    assert out.returncode == 0, out.stderr
    assert "\x1b[" not in out.stdout
    last = out.stdout.strip().splitlines()[-1]
    assert "copied" in last and "changed" in last and "added" in last
    assert all(len(line) <= 120 for line in out.stdout.splitlines())
    assert "[-" in out.stdout and "{+" in out.stdout  # edited words marked without colour


def test_the_summary_says_when_semantic_mode_made_the_counts():
    """Semantic mode can come from the config file (the app's `S` key saves it): the text
    summary names it, so counts that differ from lexical mode's are not a mystery."""
    from reader.align import align
    from reader.cli.render_text import summary_line
    from reader.pair import load_pair

    al = align(*load_pair(seed("000"), seed("001")))
    assert al.options["mode"] == "lexical" and "mode" not in summary_line(al)
    al.options["mode"] = "semantic"
    assert summary_line(al).endswith("(semantic mode)")


def test_clean_json_lines(seeds):
    out = run("clean", str(seeds), "--format", "json")
    assert out.returncode == 0, out.stderr
    objs = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(objs) == 5
    for o in objs:
        assert {"path", "title", "date", "body", "sentences", "stripped"} <= set(o)
        text = open(o["path"], encoding="utf-8").read()
        for s in o["stripped"]:
            assert text[s["start"]:s["end"]] == s["text"] and s["reason"]
    assert "ADVERTISEMENT" not in objs[1]["body"]


@pytest.mark.parametrize("args,needle", [
    (("diff", "nope.txt", "seeds"), "nope.txt"),
    (("clean", "/definitely/missing"), "/definitely/missing"),
])
def test_missing_paths_give_one_line_and_nonzero(args, needle):
    out = run(*args)
    assert out.returncode != 0
    assert needle in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2


def test_bad_files_are_reported_and_good_ones_still_load(tmp_path, seeds):
    (tmp_path / "good.txt").write_text(seed("000").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    out = run("clean", str(tmp_path), "--format", "json")
    assert out.returncode == 0
    assert len(out.stdout.splitlines()) == 1
    assert "empty.txt" in out.stderr and "binary.txt" in out.stderr and "Traceback" not in out.stderr


def test_nothing_usable_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    out = run("clean", str(tmp_path))
    assert out.returncode != 0 and "no usable articles" in out.stderr
    empty_dir = tmp_path / "none"
    empty_dir.mkdir()
    out = run("clean", str(empty_dir))
    assert out.returncode != 0 and "no article files" in out.stderr


def test_diff_of_a_binary_file_is_an_error(tmp_path):
    junk = tmp_path / "photo.txt"
    junk.write_bytes(b"\x89PNG\x00\x00\x00" * 20)
    out = run("diff", str(junk), str(seed("000")))
    assert out.returncode != 0 and "binary" in out.stderr and "Traceback" not in out.stderr


def test_diff_and_clean_do_not_import_textual():
    code = ("import sys, io, contextlib\nfrom reader.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['diff', r'{seed('000')}', r'{seed('001')}', '--format', 'json'])\n"
            f"    main(['clean', r'{seed('002')}'])\n"
            "assert 'textual' not in sys.modules, 'textual imported'\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert "reader" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_unwritable_output_is_one_line_and_leaves_nothing(tmp_path, fmt):
    target = tmp_path / "missing-folder" / "out.txt"
    out = run("diff", str(seed("000")), str(seed("001")), "--format", fmt, "-o", str(target))
    assert out.returncode != 0 and "Traceback" not in out.stderr and "missing-folder" in out.stderr
    assert not target.parent.exists()


def test_written_files_get_ordinary_permissions(tmp_path):
    target = tmp_path / "out.json"
    out = run("diff", str(seed("000")), str(seed("001")), "--format", "json", "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert target.stat().st_mode & 0o044  # readable by group/others under a normal umask
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_reader_that_stops_early_is_a_normal_end(fmt):
    """`reader diff A B | head`: exit 0 and nothing on stderr, whatever the format."""
    proc = subprocess.Popen([sys.executable, "-m", "reader", "diff", str(seed("000")), str(seed("001")), "--format", fmt,
                             "--color", "always", "--width", "100"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    assert proc.wait(timeout=60) == 0
    assert proc.stderr.read() == b""
