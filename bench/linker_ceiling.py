"""How far the linker's candidates could take recall, and how well its features rank them.

    python bench/linker_ceiling.py --gold ../shared/gold/seeds.yaml=../shared/seeds \
        --gold /tmp/meter/gold.yaml=/tmp/meter/files --negatives /tmp/meter/all [--curve]

Issue 12 asks for METER dev accuracy 0.92 and mean link recall 0.85 at link precision
0.95; reader is at 0.83 and 0.64.  This script tells the two possible causes apart:

1. Ceiling: every pair aligned as `reader diff` does, then every candidate the gold
   links (`bench/fit_linker.py` labels them) added as a link.  If this scored low, the
   candidate search (`linker.candidates`) would be what loses recall.
2. Ranking: leave-one-story-out probabilities (`fit_linker.train` without the story) of
   the candidates the word-overlap passes did not link: the links the linker exists to
   add.  Printed: their AUC, and how many gold links can be added at 95% and 80%
   precision, over all stories and over the METER-like ones alone (a pair its own story).
3. `--curve`: the same ranking measure when the fit sees only part of the other
   METER-like stories (three random draws per share): whether more labelled pairs of
   the kind would help, and how fast.

numpy only, like the fit.  Seen on 2026-12-06 (METER dev and the seed gold, 400
cross-story pairs): METER accuracy 0.832 now, 0.969 with every gold candidate linked
(seeds 0.989, 1.000); METER-like rows AUC 0.768, gold links addable at 95% precision 6 of
46 (8 at 80%); AUC 0.64-0.70 with 30% of the other METER stories, 0.72-0.74 with 60%.
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from fit_linker import gather, negatives, scorer, train  # noqa: E402
from reader.align import align  # noqa: E402
from reader.alignment.linker import CONTEXT_FEATURES, FEATURES, LinkerModel, context_features  # noqa: E402
from reader.articles import load_article  # noqa: E402
from reader.serialise import alignment_json  # noqa: E402

LEXICAL = FEATURES.index("lexical")


def ceiling(sc, golds: list[tuple[Path, Path]], stories: dict) -> None:
    """Accuracy per pair as `reader diff` gives it and with every gold candidate linked."""
    entries = {e.key: e for es in stories.values() for e in es}
    print(f"{'pair':12} {'acc':>6} {'ceiling':>8} {'linkR':>6} {'ceiling':>8}")
    for gold, folder in golds:
        tallies: dict[str, dict] = {"now": {}, "ceiling": {}}
        docs, pairs = sc.load_gold([gold])
        for doc in docs.values():
            doc["text"] = (folder / doc["file"]).read_text(encoding="utf-8")
            sc.locate(doc, doc["text"])
        for key, spec in pairs.items():
            ka, kb = key.split("-")
            result = alignment_json(align(load_article(folder / docs[ka]["file"]),
                                          load_article(folder / docs[kb]["file"])))
            now = sc.score_pair(docs, key, spec, result, tallies["now"])
            for c, y in zip(entries[key].cands, entries[key].labels):
                if y == 1:
                    for side, k in (("left", c.i), ("right", c.j)):
                        s = result[side]["sentences"][k]
                        s["status"] = "changed" if s["status"] == "added" else s["status"]
                    result["pairs"].append({"left": [c.i], "right": [c.j]})
            best = sc.score_pair(docs, key, spec, result, tallies["ceiling"])
            print(f"{key:12} {now['acc']:6.3f} {best['acc']:8.3f} {now['linkR']:6.3f} {best['linkR']:8.3f}")
        acc = {k: sum(t.get((lab, lab), 0) for lab in sc.LABELS) / sum(t.values()) for k, t in tallies.items()}
        print(f"{gold}: accuracy {acc['now']:.3f} now, {acc['ceiling']:.3f} with every gold candidate linked")


def held_out(stories: dict, extra: list, keep=lambda story, others: others) -> tuple[np.ndarray, ...]:
    """Leave-one-story-out probabilities of the candidates the word passes did not link:
    (probability, gold label, METER-like story) per row.  `keep(story, others)` chooses
    the stories the fit sees."""
    p, y, single = [], [], []
    for story, es in stories.items():
        fit = train([e for s in keep(story, [s for s in stories if s != story]) for e in stories[s]] + extra, 5.0)
        # the shipped model's own two stages, as `reader diff` computes them
        model = LinkerModel(tuple(fit["weights"][f] for f in FEATURES),
                            tuple(fit["context"][f] for f in CONTEXT_FEATURES), fit["threshold"], fit["keep"])
        for e in es:
            first = [model.probability(c.x) for c in e.cands]
            second = map(model.in_context, context_features(e.cands, first, e.lexical))
            for c, label, v in zip(e.cands, e.labels, second):
                if label is not None and not c.x[LEXICAL]:
                    p.append(v)
                    y.append(label)
                    single.append(len(es) == 1)
    return np.array(p), np.array(y), np.array(single)


def auc(p: np.ndarray, y: np.ndarray) -> float:
    """Area under the ROC curve: the chance a gold row outranks a wrong one (ties half)."""
    pos, neg = p[y == 1], p[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(wins / (len(pos) * len(neg)))


def addable(p: np.ndarray, y: np.ndarray, precision: float) -> int:
    """Gold rows found from the top of the ranking down while at least `precision` right."""
    hits = np.cumsum(y[np.argsort(-p, kind="stable")])
    ok = np.nonzero(hits / np.arange(1, len(hits) + 1) >= precision)[0]
    return int(hits[ok.max()]) if len(ok) else 0


def report(label: str, p: np.ndarray, y: np.ndarray) -> None:
    print(f"{label:24} rows {len(y):5d} gold {int(y.sum()):3d}  AUC {auc(p, y):.3f}  "
          f"addable at 95%: {addable(p, y, 0.95):3d}  at 80%: {addable(p, y, 0.80):3d}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", action="append", required=True, help="GOLD.yaml=FOLDER (repeatable)")
    ap.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "eval" / "score.py")
    ap.add_argument("--negatives", type=Path, help="METER --all folder (as bench/fit_linker.py)")
    ap.add_argument("--curve", action="store_true", help="ranking with part of the METER-like stories")
    args = ap.parse_args()
    sc = scorer(args.scorer)
    golds = [tuple(Path(x) for x in g.split("=", 1)) for g in args.gold]
    stories = gather(sc, golds)
    extra = negatives(args.negatives, 400, 1.0) if args.negatives else []
    ceiling(sc, golds, stories)
    p, y, single = held_out(stories, extra)
    print("\nleave-one-story-out ranking of the candidates the word passes did not link:")
    report("all stories", p, y)
    report("METER-like stories", p[single], y[single])
    if args.curve:
        singles = {s for s, es in stories.items() if len(es) == 1}
        for share in (0.3, 0.6):
            for draw in range(3):
                rnd = random.Random(draw)

                def keep(story, others, share=share, rnd=rnd):
                    mine = sorted(o for o in others if o in singles)
                    return [o for o in others if o not in singles] + rnd.sample(mine, max(1, round(share * len(mine))))
                p, y, single = held_out(stories, extra, keep)
                report(f"METER, {share:.0%} seen, draw {draw}", p[single], y[single])
    return 0


if __name__ == "__main__":
    sys.exit(main())
