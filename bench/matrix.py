"""Benchmark of the folder matrix (issue 6): speed, memory, recall, cache reopen.

    python bench/matrix.py [--articles 1000] [--subset 200] [--out DIR]

What it does, in one process so the figures are comparable:
1. Generates a folder of `--articles` English-like articles of ~40 sentences.
   Words are drawn with Zipf frequencies (weight 1/rank) from a real word list:
   the vocabulary of the shared cleaning pages when present, else the seeds.
   Articles fall into stories (clusters of 1-8 articles); the articles of a story
   take sentences from the story's wire copy, each either copied or lightly edited
   (1-3 words substituted, inserted or deleted); a few background sentences are
   also reused across stories.  The rest of each article is its own.
2. Loads the folder and builds the matrix without cache: time (median of
   `--repeat` runs) and peak Python memory (tracemalloc) plus the process's
   maximum resident size.
3. On the first `--subset` articles, runs `align()` on every pair (the brute
   force) and reports its time and the recall of the matrix's sentence links
   against the brute force's links; also recall of both against the generator's
   known shared pairs.
4. Builds once more with a cache in a temporary folder, then reopens: time to
   read the folder back from the cache (load from files included).
"""
from __future__ import annotations

import argparse
import gc
import random
import re
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.align import AlignOptions, align  # noqa: E402
from reader.articles import load_articles  # noqa: E402
from reader.cache import MatrixCache  # noqa: E402
from reader.folder.matrix import build_matrix  # noqa: E402
from reader.rules import load_rules  # noqa: E402
from timing import median_time  # noqa: E402

WORD = re.compile(r"[A-Za-z][a-z']*[a-z]|[a-z]")


# ---------------------------------------------------------------- generation
def vocabulary() -> list[str]:
    """Words ranked by frequency in real news text (most frequent first)."""
    sources = sorted((ROOT.parent / "shared" / "cleaning" / "pages").glob("*.txt"))
    if not sources:
        sources = sorted((ROOT / "seeds").glob("*.txt"))
    counts: Counter[str] = Counter()
    for p in sources:
        counts.update(w.lower() for w in WORD.findall(p.read_text(encoding="utf-8", errors="replace")))
    return [w for w, _ in counts.most_common() if len(w) > 1 or w in ("a", "i")]


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
def linked_pairs(alignments) -> set[frozenset[tuple[str, int]]]:
    """Sentence pairs linked by a list of alignments, as {(article name, index), ...}."""
    out = set()
    for al in alignments:
        for p in al.pairs:
            for i in p.left:
                for j in p.right:
                    out.add(frozenset(((al.left.name, i), (al.right.name, j))))
    return out


def matrix_links(result) -> set[frozenset[tuple[str, int]]]:
    out = set()
    names = [a.name for a in result.articles]
    for a, sents in enumerate(result.provenance):
        for i, prov in enumerate(sents):
            for link in prov.shared:
                out.add(frozenset(((names[a], i), (names[link.article], link.sentence))))
    return out


def text_pairs(pairs, articles) -> set[frozenset[tuple[str, str]]]:
    by_name = {a.name: a for a in articles}
    return {frozenset((n, by_name[n].sentences[i].text) for n, i in p) for p in pairs}


def timed(fn, repeat: int):
    return median_time(fn, repeat, collect=True)


def build_only_rss(folder: Path) -> int:
    """Peak resident memory (MB) of a fresh process that loads the folder and builds the matrix.

    This process's own peak would include the brute-force comparison below.
    """
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across fork+exec, so a child would
    # report this (larger) process's peak.
    code = ("import re\nfrom reader.articles import load_articles\n"
            "from reader.folder.matrix import build_matrix\n"
            f"arts, _ = load_articles([{str(folder)!r}])\nbuild_matrix(arts)\n"
            "status = open('/proc/self/status').read()\n"
            "print(int(re.search(r'VmHWM:\\s+(\\d+)', status).group(1)) // 1024)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return int(out.stdout.strip())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--subset", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=1, help="processes for the align stage (build_matrix workers)")
    ap.add_argument("--out", default=None, help="folder for the generated articles (default: temporary)")
    args = ap.parse_args(argv)
    tmp = tempfile.TemporaryDirectory(prefix="reader-matrix-bench-")
    folder = Path(args.out) if args.out else Path(tmp.name) / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    truth = generate(folder, args.articles)
    print(f"generated {args.articles} articles in {time.perf_counter() - t:.1f} s; "
          f"{len(truth)} known shared sentence pairs")
    rules = load_rules()
    opt = AlignOptions()

    load_s, (articles, _) = timed(lambda: load_articles([folder], rules), 1)
    n_sent = sum(len(a.sentences) for a in articles)
    print(f"load: {len(articles)} articles, {n_sent} sentences in {load_s:.2f} s")

    stages: dict[str, float] = {}

    def note(done, total, stage):
        stages.setdefault(stage + "_start", time.perf_counter())
        stages[stage] = time.perf_counter()

    def one_build():
        stages.clear()  # stage marks of the last run only
        return build_matrix(articles, opt, workers=args.workers, progress=note)

    build_s, result = timed(one_build, args.repeat)
    index_s = stages["index"] - stages["index_start"]
    tracemalloc.start()
    build_matrix(articles, opt)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    st = result.stats
    print(f"matrix: {build_s:.2f} s median of {args.repeat} (load + matrix {load_s + build_s:.2f} s); "
          f"peak traced {peak / 2**20:.0f} MB; max RSS of a process that only loads and builds: "
          f"{build_only_rss(folder)} MB")
    print(f"  {st['candidate_pairs']} candidate sentence pairs, {st['verified_pairs']} verified, "
          f"{st['aligned_article_pairs']} of {st['article_pairs']} article pairs aligned, "
          f"{st['capped_keys']} common keys capped; workers {args.workers}; last run: sentence index "
          f"{index_s:.2f} s, candidates+verification {stages['align_start'] - stages['index']:.2f} s, "
          f"align stage {stages['align'] - stages['align_start']:.2f} s")
    print(f"  load average {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())} (2 cores, shared)")

    sub = articles[:args.subset]
    sub_s, sub_result = timed(lambda: build_matrix(sub, opt), 1)
    brute_s, brute = timed(lambda: [align(sub[x], sub[y], opt) for x in range(len(sub))
                                    for y in range(x + 1, len(sub))], 1)
    want, got = linked_pairs(brute), matrix_links(sub_result)
    recall = len(want & got) / len(want) if want else 1.0
    print(f"subset of {len(sub)}: matrix {sub_s:.2f} s, brute force all {len(brute)} pairs {brute_s:.1f} s "
          f"(x{brute_s / sub_s:.0f}); recall of brute-force links {recall:.4f} "
          f"({len(want & got)}/{len(want)}); extra links {len(got - want)}")
    names = {a.name for a in sub}
    known = {p for p in truth if all(n in names for n, _ in p)}
    for label, links in (("brute force", want), ("matrix", got)):
        found = text_pairs(links, sub) & known
        print(f"  known shared pairs found by {label}: {len(found)}/{len(known)} "
              f"({len(found) / len(known) if known else 1:.4f})")

    del brute, sub_result, want, got   # 19,900 alignments kept alive would slow every later GC pass
    gc.collect()
    with tempfile.TemporaryDirectory(prefix="reader-matrix-cache-") as cdir:
        cache = MatrixCache(Path(cdir) / "cache.sqlite")
        cold_s, _ = timed(lambda: build_matrix(articles, opt, cache=cache), 1)

        def reopen():
            arts, _ = cache.load_articles([folder], rules)
            return build_matrix(arts, opt, cache=cache)

        warm_s, again = timed(reopen, args.repeat)
        same = again.cells == result.cells
        cache.close()
    print(f"cache: first build with cache {cold_s:.2f} s; reopen (files hashed, articles and matrix "
          f"from cache) {warm_s:.2f} s median of {args.repeat}; same matrix: {same}")
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
