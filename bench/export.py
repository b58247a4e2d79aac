"""How fast is the HTML export, against difflib.HtmlDiff on the same sentences?

Generates a 2,000-sentence pair (seeded: the same every run), builds the two
`Article`s directly, and times in one process:
- reader render:  `render_html(alignment)` on an alignment computed beforehand
  (what the app's export key costs: the app already has the alignment);
- reader total:   `align` + `render_html` (what `reader diff --format html` adds to loading);
- difflib:        `difflib.HtmlDiff().make_file(left, right)` on the two sentence lists,
  which both aligns and renders.
Medians of several runs; ratios are difflib's median over ours (above 1: we are faster).
Target: at least 2x.  Run: python bench/export.py [--sentences N] [--runs K]
"""
from __future__ import annotations

import argparse
import difflib
import random

from timing import median_time

from reader.align import align
from reader.export import render_html
from reader.model import Article, Sentence

SYLLABLES = "ka lo mi ne ru sa to vi ber dan el fin gor han is jul mor pel quin ras tul".split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def _sentence(rng: random.Random, vocab: list[str]) -> list[str]:
    return [rng.choice(vocab) for _ in range(rng.randint(8, 24))]


def _edit(rng: random.Random, words: list[str], vocab: list[str]) -> list[str]:
    out = list(words)
    for _ in range(rng.randint(1, 4)):
        k = rng.randrange(len(out))
        op = rng.random()
        if op < 0.4:
            out[k] = rng.choice(vocab)
        elif op < 0.7:
            out.insert(k, rng.choice(vocab))
        elif len(out) > 6:
            del out[k]
    return out


def _article(path: str, sentences: list[list[str]]) -> Article:
    """An Article built directly, four sentences a paragraph, so the bench measures the
    export and the aligner, not the cleaner's view of generated text."""
    text, sents, body = "", [], []
    for k, ws in enumerate(sentences):
        if k % 4 == 0:
            if text:
                text += "\n\n"
            body.append([len(text), len(text)])
        elif text:
            text += " "
        s = ws[0].capitalize() + " " + " ".join(ws[1:]) + "."
        sents.append(Sentence(len(text), len(text) + len(s), s))
        text += s
        body[-1][1] = len(text)
    return Article(path=path, text=text + "\n", sentences=sents, body_lines=[tuple(b) for b in body])


def generate(n: int, seed: int = 5) -> tuple[Article, Article]:
    """Left: n sentences.  Right: about half copied, a quarter reworded, some dropped,
    some new, and a few paragraphs moved, as a rewrite of a wire story would be."""
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(6000)]
    left = [_sentence(rng, vocab) for _ in range(n)]
    right: list[list[str]] = []
    for ws in left:
        r = rng.random()
        if r < 0.5:
            right.append(ws)
        elif r < 0.78:
            right.append(_edit(rng, ws, vocab))
        elif r < 0.9:
            continue
        else:
            right.append(_sentence(rng, vocab))
        if rng.random() < 0.05:
            right.append(_sentence(rng, vocab))
    for _ in range(n // 100):                      # move a few short runs
        a = rng.randrange(len(right) - 5)
        block = right[a:a + 3]
        del right[a:a + 3]
        b = rng.randrange(len(right))
        right[b:b] = block
    return _article("left.txt", left), _article("right.txt", right)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    left, right = generate(args.sentences)
    al = align(left, right)
    ls = [s.text for s in left.sentences]
    rs = [s.text for s in right.sentences]
    print(f"pair: {len(ls)} vs {len(rs)} sentences; counts A {al.counts('left')}, B {al.counts('right')}")

    render_t, page = median_time(lambda: render_html(al), args.runs)
    total_t, _ = median_time(lambda: render_html(align(left, right)), args.runs)
    difflib_t, ref = median_time(lambda: difflib.HtmlDiff().make_file(ls, rs), args.runs)

    print(f"reader render_html         median {render_t * 1000:8.1f} ms  ({len(page) / 1e6:.2f} MB)")
    print(f"reader align + render_html median {total_t * 1000:8.1f} ms")
    print(f"difflib HtmlDiff.make_file median {difflib_t * 1000:8.1f} ms  ({len(ref) / 1e6:.2f} MB)")
    print(f"ratio difflib / render         {difflib_t / render_t:6.2f}x  (the export; target >= 2x)")
    print(f"ratio difflib / align+render   {difflib_t / total_t:6.2f}x  (mostly the aligner's cost)")


if __name__ == "__main__":
    main()
