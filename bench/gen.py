"""Generated news-like article pairs for benchmarks: English-like words, Zipf frequencies.

The right article copies, edits, reorders, drops and adds sentences of the left one
in known proportions, so benchmarks exercise every path of the aligner.
"""
from __future__ import annotations

import random

_COMMON = ("the of and to in a is that for on was with he it as at by from his an were are which "
           "this be has had not but have they after said its who their been would new also two first "
           "year more than about into over government president minister official week people state").split()
_SYLL = "ka ri to mo na le si pa ve du ro ba ti ne lu sa mi ko re da".split()


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLL) for _ in range(rng.randint(1, 4))))
    return _COMMON + sorted(words)


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    n = rng.randint(8, 32)
    ws = rng.choices(vocab, weights=weights, k=n)
    ws[0] = ws[0].capitalize()
    if rng.random() < 0.3:
        ws.insert(rng.randint(1, n - 1), f"{rng.randint(2, 999)}.{rng.randint(0, 9)}%")
    return " ".join(ws) + "."


def edit(s: str, rng: random.Random, vocab: list[str]) -> str:
    ws = s.rstrip(".").split()
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        k = rng.randrange(len(ws))
        if op < 0.4:
            ws[k] = rng.choice(vocab)
        elif op < 0.7 and len(ws) > 6:
            del ws[k]
        else:
            ws.insert(k, rng.choice(vocab))
    ws[0] = ws[0].capitalize()
    return " ".join(ws) + "."


def labelled_pair(n: int, seed: int = 7) -> tuple[list[str], list[str], list[str]]:
    """Left and right sentence lists of n sentences, and the true label of each right one.

    40% copied, 30% edited (changed), 30% unrelated (added); 5% of positions swapped.
    """
    rng = random.Random(seed)
    vocab = vocabulary(6000, rng)
    weights = [1 / (k + 1) for k in range(len(vocab))]
    left = [sentence(rng, vocab, weights) for _ in range(n)]
    right, truth = [], []
    for s in left:
        r = rng.random()
        if r < 0.4:
            right.append(s)
            truth.append("copied")
        elif r < 0.7:
            right.append(edit(s, rng, vocab))
            truth.append("changed")
        else:
            right.append(sentence(rng, vocab, weights))
            truth.append("added")
    for _ in range(n // 20):  # some reordering
        a, b = rng.randrange(n), rng.randrange(n)
        right[a], right[b] = right[b], right[a]
        truth[a], truth[b] = truth[b], truth[a]
    return left, right, truth


def paragraphs(sentences: list[str], per: int = 4) -> str:
    return "\n\n".join(" ".join(sentences[k:k + per]) for k in range(0, len(sentences), per))


def article_pair(n: int, seed: int = 7) -> tuple[str, str]:
    """Two article texts of about n sentences (see `labelled_pair`)."""
    left, right, _ = labelled_pair(n, seed)
    return paragraphs(left), paragraphs(right)
