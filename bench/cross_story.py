"""Topic is not reuse: how many links reader makes between articles on different real stories.

    python bench/cross_story.py /tmp/meter/all [--pairs 600] [--half test]

The METER texts (`../shared/meter/build.py --all`) are named
`<domain>_<ddmmyy>_<story><n>_<paper>.{src,drv}.txt`; texts whose story names differ are
about different events (two trials, two inquests), so any link between them is a wrong
link: a reporting formula ("The case was adjourned until tomorrow") or a coincidence,
not reuse.  The pairs are drawn within a domain (court reports against court reports),
the hard case.  The same story's wire/paper pairs are aligned too, as the other side of
the scale: their links should not go.

Stories are split in two halves by a hash of their name (`half_of`): `bench/fit_linker.py
--negatives` learns from pairs of the "fit" half only, and this script reports the "test"
half by default, so the figure is out of sample.  The dev set's stories are in neither.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAME = re.compile(r"^([a-z]+)_(\d{6})_([a-z]+)\d*_([a-z]+)\.(src|drv)\.txt$")
DEV_LABELS = ROOT.parent / "shared" / "meter" / "dev-labels.json"


def story_of(path: Path) -> tuple[str, str] | None:
    """(domain, story name) of a METER file, None for other names."""
    m = NAME.match(path.name)
    return (m.group(1), m.group(3)) if m else None


def dev_stories() -> set[str]:
    """Story names of the labelled dev pairs: kept out of both halves."""
    if not DEV_LABELS.exists():
        return set()
    docs = json.loads(DEV_LABELS.read_text(encoding="utf-8"))["documents"].values()
    return {m.group(3) for d in docs if (m := NAME.match(d["pair_id"] + ".src.txt"))}


def half_of(story: str) -> str:
    return "fit" if hashlib.sha1(story.encode()).digest()[0] % 2 == 0 else "test"


def cross_pairs(folder: Path, half: str, count: int, seed: int = 1) -> list[tuple[Path, Path]]:
    """`count` random pairs of texts from different stories of the same domain, both
    stories in `half`."""
    dev = dev_stories()
    by_domain: dict[str, list[Path]] = {}
    for p in sorted(folder.glob("*.txt")):
        s = story_of(p)
        if s and s[1] not in dev and half_of(s[1]) == half:
            by_domain.setdefault(s[0], []).append(p)
    rng = random.Random(seed)
    weights = [len(v) for v in by_domain.values()]
    pairs: set[tuple[Path, Path]] = set()
    domains = list(by_domain)
    while len(pairs) < count:
        files = by_domain[rng.choices(domains, weights)[0]]
        a, b = rng.sample(files, 2)
        if story_of(a)[1] != story_of(b)[1]:
            pairs.add((min(a, b), max(a, b)))
    return sorted(pairs)


def same_story_pairs(folder: Path, half: str) -> list[tuple[Path, Path]]:
    """Every wire/paper pair of the half (the reuse the corpus was built around)."""
    dev = dev_stories()
    out = []
    for src in sorted(folder.glob("*.src.txt")):
        s = story_of(src)
        drv = src.with_name(src.name.replace(".src.txt", ".drv.txt"))
        if s and s[1] not in dev and half_of(s[1]) == half and drv.exists():
            out.append((src, drv))
    return out


def links_of(pair: tuple[Path, Path]) -> list[tuple[str, str, float | None, str, str]]:
    from reader.align import align
    from reader.articles import load_article
    a, b = (load_article(p) for p in pair)
    out = []
    for p in align(a, b).pairs:
        prob = (p.evidence or {}).get("probability")
        out.append((p.status, p.method, prob, a.sentences[p.left[0]].text, b.sentences[p.right[0]].text))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--pairs", type=int, default=600, help="cross-story pairs to align")
    ap.add_argument("--half", choices=("fit", "test"), default="test")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--show", type=int, default=12, help="wrong links to print")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    cross = cross_pairs(args.folder, args.half, args.pairs, args.seed)
    same = same_story_pairs(args.folder, args.half)
    t = time.perf_counter()
    with Pool(args.workers) as pool:
        cross_links = pool.map(links_of, cross, chunksize=8)
        same_links = pool.map(links_of, same, chunksize=8)
    print(f"{args.half} half: {len(cross)} cross-story pairs, {len(same)} wire/paper pairs; "
          f"aligned in {time.perf_counter() - t:.0f} s")
    linked = sum(1 for ls in cross_links if ls)
    total = sum(len(ls) for ls in cross_links)
    print(f"cross-story: {linked} pairs linked ({linked / len(cross):.1%}), {total} links "
          f"({total / len(cross):.3f} a pair)")
    kinds = Counter((st, m) for ls in cross_links for st, m, *_ in ls)
    print("  by kind:", ", ".join(f"{st}/{m} {n}" for (st, m), n in kinds.most_common()))
    same_total = sum(len(ls) for ls in same_links)
    print(f"wire/paper: {same_total} links ({same_total / max(1, len(same)):.2f} a pair), "
          f"{sum(1 for ls in same_links if not ls)} pairs with none")
    rng = random.Random(args.seed)
    flat = [l for ls in cross_links for l in ls]
    for st, m, prob, x, y in rng.sample(flat, min(args.show, len(flat))):
        p = "-" if prob is None else f"{prob:.2f}"
        print(f"  {st}/{m} p={p} | {x[:90]!r} | {y[:90]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
