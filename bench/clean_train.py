#!/usr/bin/env python3
"""Fit the line classifier of `reader/cleaning.py` on the cleaning dev set, honestly.

Development tool, not part of reader at run time: it needs scikit-learn
(`pip install scikit-learn`), which reader itself never imports.  It

1. labels every line of the 181 pages in ../shared/cleaning as body or not, by
   finding the line's words in the gold body (in reading order, so a short line
   counts as body only where it sits between body lines of the gold);
2. reports the two-fold held-out F1: pages split in two halves, the model fitted on
   one half and scored (word 4-gram F1, as in shared/eval/clean_score.py) through
   `clean_text` on the other half, both ways round;
3. fits the shipped model on all pages and writes reader/data/line_model.json
   (unless --no-write).

The model is two stages of boosted trees: stage 1 over the line features, stage 2
over those plus the stage-1 probabilities of the neighbourhood (trained on
out-of-fold stage-1 predictions, so it learns how far to trust them).

Usage: python bench/clean_train.py [--set ../shared/cleaning] [--no-write] [--seed 0]
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import sys
import time
from collections import Counter
from pathlib import Path
from statistics import mean

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the machine is shared

import numpy as np  # noqa: E402
from sklearn.ensemble import HistGradientBoostingClassifier  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.cleaning import clean_text, match_rules  # noqa: E402
from reader.line_model import MODEL_FILE, model_from_dict  # noqa: E402
from reader.linefeatures import STAGE1_NAMES, STAGE2_NAMES, page_features, prob_features  # noqa: E402
from reader.loading import read_text  # noqa: E402
from reader.rules import load_rules  # noqa: E402

WORD = re.compile(r"\w+")
STAGES = int(os.environ.get("CLEAN_STAGES", "2"))
PARAMS = dict(max_iter=200, learning_rate=0.08, max_leaf_nodes=7, min_samples_leaf=30,
              l2_regularization=1.0, random_state=0)
PARAMS.update(json.loads(os.environ.get("CLEAN_PARAMS", "{}")))  # for tuning runs


def shingles(text: str, n: int = 4) -> Counter:
    w = WORD.findall(text.lower())
    return Counter(tuple(w[i:i + n]) for i in range(max(len(w) - n + 1, 1 if w else 0)))


def f1(pred: str, gold: str) -> float:
    """Word 4-gram F1, exactly as shared/eval/clean_score.py computes it."""
    p, g = shingles(pred), shingles(gold)
    if not p and not g:
        return 1.0
    tp = sum((p & g).values())
    prec = tp / sum(p.values()) if p else 0.0
    rec = tp / sum(g.values()) if g else 0.0
    return 2 * prec * rec / (prec + rec) if prec + rec else 0.0


def label_lines(lines: list[str], gold: str) -> list[int]:
    """1 for lines of the gold body, found in reading order in the gold's word stream."""
    gw = WORD.findall(gold.lower())
    gtext = " " + " ".join(gw) + " "
    gshing = shingles(gold)
    labels, pointer = [], 0
    for line in lines:
        words = WORD.findall(line.lower())
        if not words:
            labels.append(0)
            continue
        needle = " " + " ".join(words) + " "
        if len(words) >= 4:
            pos = gtext.find(needle, pointer)
            if pos < 0:
                pos = gtext.find(needle)
            if pos >= 0:
                labels.append(1)
                pointer = max(pointer, pos + len(needle) - 1)
                continue
            s = shingles(line)
            overlap = sum((s & gshing).values()) / max(sum(s.values()), 1)
            labels.append(1 if overlap >= 0.5 else 0)
            continue
        # short line: body only where it comes next in the gold, right after the last match
        pos = gtext.find(needle, pointer)
        labels.append(1 if 0 <= pos <= pointer + 2 else 0)
        if labels[-1]:
            pointer = pos + len(needle) - 1
    return labels


def load_set(root: Path, rules) -> list[dict]:
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((root / "pages").glob("*.txt")):
        text, _ = read_text(path)  # as `reader clean` reads it (encoding, mojibake repair)
        pages.append(_page(path.stem, text, gold[path.stem]["body"], rules))
    return pages


def _page(pid: str, text: str, gold: str, rules, labels: list[int] | None = None) -> dict:
    lines = match_rules(text, rules)
    spans = [(ln.start, ln.end) for ln in lines]
    kinds = [ln.rule.kind if ln.rule else None for ln in lines]
    return {"id": pid, "text": text, "gold": gold, "rows": page_features(text, spans, kinds),
            "labels": labels if labels is not None else label_lines([ln.text for ln in lines], gold),
            "spans": spans}


def augment(pages: list[dict], rules, seed: int) -> list[dict]:
    """Cropped copies of the training pages, so the model also knows mostly-clean text.

    Users often paste just the article with a little furniture around it (like the
    seeds), while the dev pages are whole pages; crops around the body (some with the
    blank lines between blocks removed) teach the model that prose in a short text
    is body even when there is no menu above it.
    """
    rnd = random.Random(seed + 7)
    out = []
    for p in pages:
        body = [i for i, y in enumerate(p["labels"]) if y]
        if not body:
            continue
        for margin, collapse in ((3, False), (15, False), (4, True)):
            lo = max(0, body[0] - rnd.randint(0, margin))
            hi = min(len(p["spans"]), body[-1] + 1 + rnd.randint(0, margin))
            text = p["text"][p["spans"][lo][0]:p["spans"][hi - 1][1]]
            if collapse:
                text = re.sub(r"\n\s*\n+", "\n", text)
            out.append(_page(p["id"] + "~", text, p["gold"], rules, p["labels"][lo:hi]))
    return out


def export(clf: HistGradientBoostingClassifier, names: list[str]) -> dict:
    """sklearn's fitted trees as the JSON that reader.line_model compiles."""
    trees = []
    for (pred,) in clf._predictors:
        nodes = []
        for node in pred.nodes:
            if node["is_leaf"]:
                nodes.append([float(node["value"])])
            else:
                nodes.append([int(node["feature_idx"]), float(node["num_threshold"]),
                              int(node["left"]), int(node["right"])])
        trees.append(nodes)
    return {"features": names, "baseline": float(np.ravel(clf._baseline_prediction)[0]), "trees": trees}


def _weights(pages: list[dict]) -> np.ndarray:
    """Each page weighs the same, and within a page a line weighs by its words.

    The score is a per-page average of word 4-gram F1, so a page with 600 one-word
    menu lines must not outvote one with 20 paragraphs.
    """
    out = []
    for p in pages:
        words = np.array([max(math.expm1(r[0]), 1.0) for r in p["rows"]])
        out.append(words / words.sum() * 100.0)
    return np.concatenate(out) if out else np.zeros(0)


def _fit(pages: list[dict], rows=None) -> HistGradientBoostingClassifier:
    X = np.asarray(rows if rows is not None else [r for p in pages for r in p["rows"]])
    y = np.asarray([v for p in pages for v in p["labels"]])
    return HistGradientBoostingClassifier(**PARAMS).fit(X, y, sample_weight=_weights(pages))


def fit_model(pages: list[dict], seed: int, rules) -> dict:
    """Two stages; stage 2 learns from out-of-fold stage-1 probabilities."""
    pages = pages + augment(pages, rules, seed)
    ids = sorted({p["id"].rstrip("~") for p in pages})
    random.Random(seed + 1).shuffle(ids)
    first = set(ids[0::2])  # a page and its crops stay in the same half
    halves = [[p for p in pages if p["id"].rstrip("~") in first],
              [p for p in pages if p["id"].rstrip("~") not in first]]
    stage2_rows, stage2_pages = [], []
    for k in (0, 1):
        inner = _fit(halves[k])
        for p in halves[1 - k]:
            probs = list(inner.predict_proba(np.asarray(p["rows"]))[:, 1])
            stage2_rows.extend(prob_features(p["rows"], probs))
            stage2_pages.append(p)
    stage1 = _fit(pages)
    if STAGES == 1:
        return {"threshold": 0.5, "stages": [export(stage1, STAGE1_NAMES)]}
    stage2 = _fit(stage2_pages, stage2_rows)
    return {"threshold": 0.5, "stages": [export(stage1, STAGE1_NAMES), export(stage2, STAGE2_NAMES)]}


def dump_probs(pages: list[dict], model_dict: dict, handle) -> None:
    """Held-out line probabilities, one JSON object per page, for error analysis."""
    model = model_from_dict(model_dict)
    for p in pages:
        probs = p1 = model.stages[0].proba(p["rows"])
        for stage in model.stages[1:]:
            probs = stage.proba(prob_features(p["rows"], probs))
        handle.write(json.dumps({"id": p["id"], "lines": [p["text"][a:b] for a, b in p["spans"]],
                                 "labels": p["labels"], "probs": [round(x, 3) for x in probs],
                                 "p1": [round(x, 3) for x in p1]}) + "\n")


def score_pages(pages: list[dict], model_dict: dict | None, rules) -> list[tuple[str, float]]:
    model = model_from_dict(model_dict) if model_dict else False
    out = []
    for p in pages:
        cleaned = clean_text(p["text"], rules, model=model)
        body = "\n".join(p["text"][a:b] for a, b in cleaned.body_lines)
        out.append((p["id"], f1(body, p["gold"])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", type=Path, default=ROOT.parent / "shared" / "cleaning")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--worst", type=int, default=8)
    ap.add_argument("--dump", type=Path, help="write held-out line probabilities here (JSON lines)")
    args = ap.parse_args()
    rules = load_rules(include_user=False)
    t0 = time.perf_counter()
    pages = load_set(args.set, rules)
    oracle = mean(f1("\n".join(ln for ln, y in zip(
        [p["text"][a:b] for a, b in [(x.start, x.end) for x in match_rules(p["text"], rules)]], p["labels"]) if y),
        p["gold"]) for p in pages)
    print(f"{len(pages)} pages, {sum(len(p['rows']) for p in pages)} lines, "
          f"{sum(sum(p['labels']) for p in pages)} body lines; label oracle F1={oracle:.3f} "
          f"({time.perf_counter() - t0:.1f}s)")
    print(f"rules only F1={mean(f for _, f in score_pages(pages, None, rules)):.3f}")
    order = pages[:]
    random.Random(args.seed).shuffle(order)
    folds = [order[0::2], order[1::2]]
    held: list[tuple[str, float]] = []
    for k in (0, 1):
        model = fit_model(folds[k], args.seed, rules)
        scores = score_pages(folds[1 - k], model, rules)
        if args.dump:
            with args.dump.open("a" if k else "w", encoding="utf-8") as handle:
                dump_probs(folds[1 - k], model, handle)
        print(f"fold {k}: fitted on {len(folds[k])} pages, held-out F1 on {len(scores)} = "
              f"{mean(f for _, f in scores):.3f}")
        held.extend(scores)
    print(f"two-fold held-out F1 = {mean(f for _, f in held):.3f} over {len(held)} pages")
    for pid, f in sorted(held, key=lambda x: x[1])[: args.worst]:
        print(f"  worst held-out {pid} F1={f:.3f}")
    if not args.no_write:
        model = fit_model(pages, args.seed, rules)
        model["meta"] = {"trained_on": f"{len(pages)} pages of the cleaning dev set",
                         "heldout_f1_two_fold": round(mean(f for _, f in held), 4), "params": PARAMS}
        MODEL_FILE.parent.mkdir(parents=True, exist_ok=True)
        MODEL_FILE.write_text(json.dumps(model, separators=(",", ":")), encoding="utf-8")
        fitted = mean(f for _, f in score_pages(pages, model, rules))
        print(f"wrote {MODEL_FILE} ({MODEL_FILE.stat().st_size // 1024} KB); F1 on its own training pages "
              f"{fitted:.3f} (not a generalisation figure)")
    print(f"total {time.perf_counter() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
