"""Benchmark of the folder matrix (issues 6, 15): time, peak memory, recall, at several sizes.

    python bench/matrix.py [--articles 1000 5000 100000] [--meter /tmp/meter/all] [--subset 120]

For each size, in one run:
1. Generates `--articles` English-like articles of ~40 sentences.
   Words are drawn with Zipf frequencies (weight 1/rank) from a real word list:
   the vocabulary of the shared cleaning pages when present, else the seeds.
   Articles fall into stories (clusters of 1-8 articles); the articles of a story
   take sentences from the story's wire copy, each either copied or lightly edited
   (1-3 words substituted, inserted or deleted); a few background sentences are
   also reused across stories.  The rest of each article is its own.
   Up to `--folder-max` articles they are files in a folder; beyond, one JSON Lines
   corpus file (the archive case), plus the real METER texts of `--meter` (a folder).
2. Runs `reader matrix PATHS --store FILE --jobs 2` in a child process (the streaming,
   resumable path; both cores): wall time, and peak resident memory of the command
   and of its largest worker (getrusage of the waited-for children: since the align
   workers drop what they are done with, that is a forked child of the index stage,
   most of whose pages are the command's), and the peak of all processes together
   counting shared pages once (`TreeMemory`), the figure issue 15 asks under 1 GB.
3. Recall: on a subset of `--subset` articles (whole stories: an article and its
   generator-known mates, plus METER pairs when given), `align()` on every pair of the
   subset (the brute force) against the links the matrix stored between them; must be
   >= 0.99.  Also reruns the command once to show that a finished store is not redone.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.align import AlignOptions, align  # noqa: E402

WORD = re.compile(r"[A-Za-z][a-z']*[a-z]|[a-z]")


# ---------------------------------------------------------------- generation
def vocabulary() -> list[str]:
    """Words ranked by frequency in real news text (most frequent first).

    The shared cleaning pages give ~19,600 words.  Without them (a checkout that has no
    ../shared beside it, such as a worktree elsewhere) the seeds give ~700: articles
    from so few words share far more of them, and the 100,000-article run verified over
    40 million candidate sentence pairs instead of 4 million.  Figures from the two are
    not comparable, so the run says which it used."""
    sources = sorted((ROOT.parent / "shared" / "cleaning" / "pages").glob("*.txt"))
    where = "the shared cleaning pages"
    if not sources:
        sources = sorted((ROOT / "seeds").glob("*.txt"))
        where = "the seeds only (../shared absent)"
    counts: Counter[str] = Counter()
    for p in sources:
        counts.update(w.lower() for w in WORD.findall(p.read_text(encoding="utf-8", errors="replace")))
    words = [w for w, _ in counts.most_common() if len(w) > 1 or w in ("a", "i")]
    print(f"vocabulary: {len(words):,} words from {where}", flush=True)
    return words


class TextMaker:
    """English-like sentences: Zipf-weighted words, capitalised, full stop."""

    def __init__(self, words: list[str], rng: random.Random):
        self.words = words
        self.rng = rng
        acc, total = [], 0.0
        for r in range(len(words)):
            total += 1.0 / (r + 1)
            acc.append(total)
        self.cum = acc

    def word(self) -> str:
        return self.rng.choices(self.words, cum_weights=self.cum, k=1)[0]

    def sentence(self, lo: int = 12, hi: int = 32) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=self.rng.randint(lo, hi))

    def edit(self, ws: list[str]) -> list[str]:
        """A light edit: 1-3 words substituted, inserted or deleted."""
        ws = list(ws)
        for _ in range(self.rng.randint(1, 3)):
            k = self.rng.randrange(len(ws))
            op = self.rng.random()
            if op < 0.5:
                ws[k] = self.word()
            elif op < 0.75:
                ws.insert(k, self.word())
            elif len(ws) > 6:
                del ws[k]
        return ws


def render(ws: list[str]) -> str:
    return ws[0].capitalize() + " " + " ".join(ws[1:]) + "."


def generate(folder: Path, n_articles: int, seed: int = 7) -> set[frozenset[tuple[str, str]]]:
    """Write the articles; return the known shared pairs as {(name, sentence text), ...}."""
    rng = random.Random(seed)
    maker = TextMaker(vocabulary(), rng)
    background = [maker.sentence() for _ in range(max(10, n_articles // 10))]
    names = [f"{k:04d}.txt" for k in range(n_articles)]
    order = list(range(n_articles))
    rng.shuffle(order)
    stories: list[list[int]] = []
    while order:
        size = rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[10, 20, 20, 18, 12, 10, 10])[0]
        stories.append(order[:size])
        order = order[size:]
    origin: dict[tuple[str, str], tuple] = {}   # (article, sentence text) -> source sentence id
    for sid, members in enumerate(stories):
        wire = [maker.sentence() for _ in range(40)]
        for a in members:
            n_sent = rng.randint(36, 44)
            share = rng.uniform(0.2, 0.7) if len(members) > 1 else 0.0
            picked = sorted(rng.sample(range(len(wire)), round(share * n_sent)))
            body: list[tuple[list[str], tuple | None]] = []
            for w in picked:
                ws = wire[w] if rng.random() < 0.6 else maker.edit(wire[w])
                body.append((ws, ("wire", sid, w)))
            while len(body) < n_sent:
                body.insert(rng.randrange(len(body) + 1), (maker.sentence(), None))
            if rng.random() < 0.3:
                b = rng.randrange(len(background))
                body.insert(rng.randrange(len(body) + 1), (background[b], ("bg", b)))
            _write(folder / names[a], maker, rng, body, origin)
    by_source: dict[tuple, list[tuple[str, str]]] = {}
    for key, src in origin.items():
        by_source.setdefault(src, []).append(key)
    truth: set[frozenset[tuple[str, str]]] = set()
    for keys in by_source.values():
        for x in range(len(keys)):
            for y in range(x + 1, len(keys)):
                if keys[x][0] != keys[y][0]:
                    truth.add(frozenset((keys[x], keys[y])))
    return truth


def _write(path: Path, maker: TextMaker, rng: random.Random, body, origin) -> None:
    title = " ".join(maker.sentence(4, 9)).capitalize()
    lines = [title, ""]
    if rng.random() < 0.9:
        lines += [f"Published: 2024-05-{rng.randint(1, 28):02d}", ""]
    para: list[str] = []
    for ws, src in body:
        text = render(ws)
        para.append(text)
        if src is not None:
            origin[(path.name, text)] = src
        if len(para) >= rng.randint(1, 4):
            lines += [" ".join(para), ""]
            para = []
    if para:
        lines.append(" ".join(para))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- measuring
def write_corpus(folder: Path, corpus: Path) -> None:
    """One JSON Lines row per generated file (title, date, text): the archive's input."""
    with corpus.open("w", encoding="utf-8") as out:
        for f in sorted(folder.glob("*.txt")):
            lines = f.read_text(encoding="utf-8").split("\n")
            date = lines[2][len("Published: "):] if lines[2].startswith("Published: ") else None
            text = "\n".join(lines[4:] if date else lines[2:])
            out.write(json.dumps({"id": f.stem, "title": lines[0], "date": date, "text": text}) + "\n")


def run_command(paths: list[str], store: Path, jobs: int) -> tuple[float, int, int, int, str]:
    """(seconds, peak MB of the command, peak MB of its largest worker, peak MB of the command
    and its workers together (`TreeMemory`), stderr) of one run."""
    code = ("import resource, sys\nfrom reader.cli import entry\n"
            "status = 0\ntry:\n    entry()\nexcept SystemExit as e:\n    status = e.code\n"
            "status_file = open('/proc/self/status').read()\n"
            "import re\nown = int(re.search(r'VmHWM:\\s+(\\d+)', status_file).group(1)) // 1024\n"
            "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
            "print(own, kids, file=sys.stderr)\nsys.exit(status)\n")
    argv = [sys.executable, "-c", code, "matrix", *paths, "--store", str(store), "--jobs", str(jobs),
            "--format", "csv"]
    t = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    sampler = TreeMemory(proc.pid)
    sampler.start()
    stderr = proc.communicate()[1]
    seconds = time.perf_counter() - t
    sampler.stop()
    if proc.returncode:
        raise SystemExit(f"reader matrix failed:\n{stderr}")
    last = stderr.strip().splitlines()[-1].split()
    return seconds, int(last[0]), int(last[1]), sampler.peak_mb, stderr


class TreeMemory(threading.Thread):
    """Peak memory of a process and all its descendants together, sampled every 0.2 s:
    the sum of their proportional set sizes (Pss, /proc/PID/smaps_rollup), so pages the
    forked workers share with the command count once, not once per process as adding
    their peak resident sizes would.  0 where /proc has no smaps_rollup."""

    def __init__(self, pid: int, every: float = 0.2):
        super().__init__(daemon=True)
        self.pid, self.every, self.peak_mb = pid, every, 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.peak_mb = max(self.peak_mb, sum(map(self._pss_kb, self._tree())) // 1024)

    def stop(self) -> None:
        self.done.set()
        self.join()

    def _tree(self) -> list[int]:
        """The process and its descendants, from every process's parent in /proc/PID/stat."""
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat") as fh:
                        children.setdefault(int(fh.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
                except (OSError, ValueError, IndexError):
                    continue
        pids, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            pids.append(pid)
            todo += children.get(pid, [])
        return pids

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                return next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
        except OSError:
            return 0


def stored(store: Path):
    """(article paths by id, stats, {(a, b): links}) of a results store."""
    db = sqlite3.connect(store)
    paths = [p for (p,) in db.execute("SELECT path FROM articles ORDER BY id")]
    plan = json.loads(db.execute("SELECT value FROM meta WHERE key='plan'").fetchone()[0])
    plan["seconds"] = json.loads(db.execute("SELECT value FROM meta WHERE key='last_run'").fetchone()[0])["seconds"]
    links = {(a, b): json.loads(zlib.decompress(blob))["links"] for a, b, blob in
             db.execute("SELECT a, b, summary FROM pairs")}
    db.close()
    return paths, plan, links


def pick_subset(names: list[str], truth, size: int, meter: list[int]) -> list[int]:
    """Whole stories: articles in order, each with its generator-known mates, plus METER ids."""
    mates: dict[str, set[str]] = {}
    for pair in truth:
        (x, _), (y, _) = tuple(pair)
        mates.setdefault(x, set()).add(y)
        mates.setdefault(y, set()).add(x)
    at = {n: i for i, n in enumerate(names)}
    chosen: list[int] = list(meter)
    for n in names:
        if len(chosen) >= size:
            break
        if at[n] in chosen or n not in mates:
            continue
        chosen += [at[n]] + [at[m] for m in sorted(mates[n]) if m in at and at[m] not in chosen]
    return sorted(set(chosen[:size]))


def recall(store: Path, subset: list[int], links) -> tuple[float, int, int, int, float]:
    """Recall of the brute force's sentence links inside the subset; extra links; seconds."""
    from reader.folder.results_store import StoredArticles

    arts = StoredArticles(str(store), keep=len(subset) + 1)
    opt = AlignOptions()
    want, got = set(), set()
    t = time.perf_counter()
    for x in range(len(subset)):
        for y in range(x + 1, len(subset)):
            a, b = subset[x], subset[y]
            al = align(arts[a], arts[b], opt)
            want |= {(a, i, b, j) for p in al.pairs for i in p.left for j in p.right}
            got |= {(a, i, b, j) for i, j, _ in links.get((a, b), ())}
    seconds = time.perf_counter() - t
    hit = len(want & got)
    return (hit / len(want) if want else 1.0), hit, len(want), len(got - want), seconds


def measure(n: int, args, work: Path) -> None:
    folder = work / f"gen{n}"
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    truth = generate(folder, n)
    paths = [str(folder)]
    if n > args.folder_max:
        corpus = work / f"gen{n}.jsonl"
        write_corpus(folder, corpus)
        shutil.rmtree(folder)
        paths = [str(corpus)]
    if args.meter and n > args.folder_max:
        paths.append(args.meter)
    print(f"\n== {n:,} generated articles ({'corpus file' if n > args.folder_max else 'folder'}"
          f"{' + METER ' + args.meter if len(paths) > 1 else ''}); made in {time.perf_counter() - t:.0f} s")
    store = work / f"gen{n}.sqlite"
    seconds, own, kids, together, err = run_command(paths, store, args.jobs)
    names_paths, plan, links = stored(store)
    print(f"matrix: {seconds:.1f} s; peak memory: command {own} MB, largest worker {kids} MB, "
          f"all processes together {together} MB (Pss); "
          f"{len(names_paths):,} articles, {plan['sentences']:,} sentences")
    print(f"  {plan['raw_candidates']:,} candidate sentence pairs, {plan['overlapping_candidates']:,} overlapping, "
          f"{plan.get('plausible_candidates', 0):,} plausible, {plan['candidate_pairs']:,} verified to decide, "
          f"{len(links):,} article pairs aligned; cap {plan['cap']}, {plan['capped_keys']:,} keys capped; "
          f"seconds per stage {plan['seconds']}")
    again, *_ = run_command(paths, store, args.jobs)
    print(f"  rerun on the finished store (resume: nothing redone): {again:.1f} s")
    names = [Path(p).name.split("#")[-1] + ".txt" if "#" in p else Path(p).name for p in names_paths]
    meter = [i for i, p in enumerate(names_paths) if "/meter" in p][:args.meter_files]
    subset = pick_subset(names, truth, args.subset, meter)
    r, hit, want, extra, brute_s = recall(store, subset, links)
    print(f"  recall on a subset of {len(subset)} articles ({len(meter)} METER): {r:.4f} ({hit}/{want} brute-force "
          f"links; brute force {len(subset) * (len(subset) - 1) // 2:,} pairs in {brute_s:.0f} s); "
          f"extra links {extra}")
    print(f"  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (2 cores, shared)")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, nargs="+", default=[1000, 5000, 100000])
    ap.add_argument("--subset", type=int, default=120)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (reader matrix --jobs)")
    ap.add_argument("--meter", default=None, help="a folder of real texts added to the corpus sizes (/tmp/meter/all)")
    ap.add_argument("--meter-files", type=int, default=20, help="METER texts in the recall subset")
    ap.add_argument("--folder-max", type=int, default=20000, help="larger sizes are a JSON Lines corpus file")
    ap.add_argument("--out", default=None, help="working folder (default: temporary)")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="reader-matrix-bench-")
    work = Path(args.out) if args.out else Path(tmp.name)
    for n in args.articles:
        measure(n, args, work)
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
