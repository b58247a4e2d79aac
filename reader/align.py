"""Aligning two articles sentence by sentence and labelling copied / changed / added.

How it decides, and why:
1. Exact: sentences whose normalised words (`normalise.words`) are equal are copied.
   This is the only road to "copied": a wrong "copied" is the worst error we can make.
2. Candidates: an inverted index over content words (stopwords out, very common
   words capped) finds every pair sharing vocabulary, in time proportional to the
   overlaps rather than to n*m.
3. Scores: rarity-weighted overlap (idf over the two articles, so the story's own
   subject words such as "Putin" count little), order-aware word similarity
   (Indel on word ids, via rapidfuzz) and containment (how much of the shorter
   sentence is in the longer), combined into one score in [0, 1].
4. Selection: greedy one-to-one by score first, because outlets mostly rewrite
   sentence for sentence and a second-best match is usually a different sentence on
   the same topic; then a containment pass links what is left over to a sentence
   that already has a partner, which is how splits, merges and a standfirst
   repeated in the body show up.
5. Pairs: links that share a sentence on one side and nothing else become one
   pair (a split or merge); word-level opcodes give the highlights.
The thresholds live in `AlignOptions` (`options`); they were tuned on the shared
gold (`bench/tune.py`), never per article.  Steps 2 and 3 are `alignment.scoring`; the
per-sentence words and ids every step reads are `alignment.prepared`.
"""
from __future__ import annotations

from functools import partial

from rapidfuzz.distance import Indel

from .alignment import prepared
from .alignment.headings import heading_cut, heading_links, heading_span
from .alignment.clauses import ClauseMatch, adopt_parts, find_matches, idf_of, make_unit, unit_parts
from .runtime.forking import Forked
from .runtime.gcpause import gc_paused
from .model import Alignment, Article, Pair
from .options import AlignOptions, combined_score, kinds_compatible, rare_unit, stopwords
from .normalise import words_and_caps
from .alignment.prepared import Side, prepare, prepare_sentence
from .alignment.scoring import score_pairs

__all__ = ["AlignOptions", "align", "clear_caches", "combined_score", "rare_unit", "stopwords",
           "tokenise", "adopt", "warm"]


def warm(art: Article) -> None:
    """What `align` computes once per sentence (words, ids, clause stems), done for `art`
    now: ahead of `align`, while another process loads the other side (`pair`)."""
    stop = stopwords()
    for s in art.sentences:
        unit_parts(s.text, prepare_sentence(s.text).words, stop)


def tokenise(art: Article) -> dict[str, tuple[list[str], list[bool], frozenset[str]]]:
    """`warm`'s work for `art` in a form that crosses processes (words, capitals and clause
    stems of each sentence; no word ids): done in a forked child, then `adopt`ed here."""
    stop = stopwords()
    out = {}
    for s in art.sentences:
        words, caps = words_and_caps(s.text)
        out[s.text] = (words, caps, unit_parts(s.text, tuple(words), stop).bag)
    return out


def adopt(tokens: dict[str, tuple[list[str], list[bool], frozenset[str]]]) -> None:
    """Take sentences `tokenise`d in another process into this one's caches."""
    prepared.adopt({text: (words, caps) for text, (words, caps, _) in tokens.items()})
    stop = stopwords()
    for text, (_, _, bag) in tokens.items():
        adopt_parts(text, prepare_sentence(text).words, bag, stop)


def clear_caches() -> None:
    """Forget every per-sentence cache (benchmarks time cold runs; long sessions free memory)."""
    from . import normalise
    from .alignment import clauses

    prepared._PREPARED.clear()
    normalise.word_spans.cache_clear()
    clauses._PARTS.clear()
    clauses._DETAILS.clear()
    clauses._CLAUSES.clear()
    clauses._GRAMS.clear()
    normalise.stem.cache_clear()
    normalise._raw_cache.clear()


def _select(left: Side, right: Side, scores: dict, opt: AlignOptions) -> dict[tuple[int, int], float]:
    """Choose links: exact copies, then greedy one-to-one, then containment extras."""
    links: dict[tuple[int, int], float] = {}
    used_l: set[int] = set()
    used_r: set[int] = set()
    for i, j in _exact_links(left, right):
        links[(i, j)] = 1.0
        used_l.add(i)
        used_r.add(j)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1][0])
    for (i, j), (s, _) in ranked:
        if s < opt.link:
            break
        if i in used_l or j in used_r:
            continue
        links[(i, j)] = s
        used_l.add(i)
        used_r.add(j)
    # Leftovers may be a piece of a sentence that already has its partner.
    for (i, j), (s, c) in ranked:
        if s < opt.extra_link:
            break
        if (i, j) in links or (i in used_l and j in used_r):
            continue
        if c >= opt.extra_contain:
            links[(i, j)] = s
            used_l.add(i)
            used_r.add(j)
    return links


def _exact_links(left: Side, right: Side) -> list[tuple[int, int]]:
    """Word-for-word copies, in order: the k-th copy of a sentence on one side with the k-th on
    the other (the last one when that side has fewer), so that every copy is linked but a
    sentence repeated k times on each side makes k links, not k * k."""
    groups: dict[tuple[str, ...], tuple[list[int], list[int]]] = {}
    for i, key in enumerate(_exact_keys(left)):
        if key:
            groups.setdefault(key, ([], []))[0].append(i)
    for j, key in enumerate(_exact_keys(right)):
        if key in groups:
            groups[key][1].append(j)
    out = []
    for ls, rs in groups.values():
        for k in range(max(len(ls), len(rs)) if rs else 0):
            i, j = ls[min(k, len(ls) - 1)], rs[min(k, len(rs) - 1)]
            if kinds_compatible(left.art.sentences[i].kind, right.art.sentences[j].kind):
                out.append((i, j))
    # A subhead glued to the front of a copy (`alignment.headings`) is furniture, not an edit.
    out += [(i, j) for i, j in heading_links(left, right, {i for i, _ in out}, {j for _, j in out})
            if kinds_compatible(left.art.sentences[i].kind, right.art.sentences[j].kind)]
    return out


def _exact_keys(side: Side) -> list[tuple[str, ...]]:
    """What must be equal for a copy: the comparison words, or, for a sentence that has none
    ("?!", "***"), its text: the same line in both is a copy, not two additions."""
    return [ws if ws else ("\0", s.text.strip()) if s.text.strip() else ()
            for ws, s in zip(side.words, side.art.sentences)]


def _group(links: dict[tuple[int, int], float]) -> list[tuple[list[int], list[int]]]:
    """One pair per link, except adjacent sentences sharing one partner and nothing else.

    Those are a split (or merge) and read best as one row.  An exact copy is never
    folded into a group: it would lose its "copied" label.  A repeated sentence (a
    standfirst used again in the body) is not adjacent, so it stays a pair of its own.
    """
    by_l: dict[int, list[int]] = {}
    by_r: dict[int, list[int]] = {}
    for i, j in links:
        by_l.setdefault(i, []).append(j)
        by_r.setdefault(j, []).append(i)
    groups, done = [], set()
    for i, js in sorted(by_l.items()):
        js = sorted(j for j in js if len(by_r[j]) == 1 and links[(i, j)] < 1.0)
        if len(js) > 1 and js[-1] - js[0] == len(js) - 1:  # adjacent pieces: a split
            groups.append(([i], js))
            done.update((i, j) for j in js)
    for j, is_ in sorted(by_r.items()):
        is_ = sorted(i for i in is_ if len(by_l[i]) == 1 and links[(i, j)] < 1.0 and (i, j) not in done)
        if len(is_) > 1 and is_[-1] - is_[0] == len(is_) - 1:  # adjacent pieces: a merge
            groups.append((is_, [j]))
            done.update((i, j) for i in is_)
    for (i, j) in sorted(links):
        if (i, j) not in done:
            groups.append(([i], [j]))
    groups.sort(key=lambda g: (g[0][0], g[1][0]))
    return groups


def _make_pair(left: Side, right: Side, li: list[int], rj: list[int], marks: bool = True) -> Pair:
    """The pair of sentences `li` and `rj`: copied, or changed with its word similarity and
    (with `marks`) the offsets of the edited words."""
    lw = [w for i in li for w in left.words[i]]
    rw = [w for j in rj for w in right.words[j]]
    if lw == rw:
        return Pair(li, rj, "copied", 1.0)
    if len(li) == len(rj) == 1:
        glued = _glued_heading(left, right, li[0], rj[0], marks)
        if glued is not None:
            return glued
    score = round(min(Indel.normalized_similarity(lw, rw), 0.999), 4)
    if not marks:
        return Pair(li, rj, "changed", score)
    ls = [sp for i in li for sp in left.spans(i)]
    rs = [sp for j in rj for sp in right.spans(j)]
    lmarks, rmarks = [], []
    for op in Indel.opcodes(lw, rw):
        if op.tag in ("delete", "replace"):
            lmarks.extend(ls[op.src_start:op.src_end])
        if op.tag in ("insert", "replace"):
            rmarks.extend(rs[op.dest_start:op.dest_end])
    return Pair(li, rj, "changed", score, _merge_spans(lmarks), _merge_spans(rmarks))


def _glued_heading(left: Side, right: Side, i: int, j: int, marks: bool) -> Pair | None:
    """Sentence i or j is a heading glued to a copy of the other (`alignment.headings`):
    a copied pair, the heading marked as the words the other side lacks."""
    for side, k_side, other, k_other, mark_left in ((left, i, right, j, True), (right, j, left, i, False)):
        s = side.art.sentences[k_side]
        k = heading_cut(side.words[k_side], s.text, other.words[k_other])
        if k:
            a, b = heading_span(s.text, s.start, k)
            head = [(a, b)] if marks else []
            return Pair([i], [j], "copied", 1.0, head if mark_left else [], [] if mark_left else head,
                        evidence={"copied": True, "inline_heading": s.text[a - s.start:b - s.start]})
    return None


def _merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(set(spans)):
        if out and a <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def align(left: Article, right: Article, options: AlignOptions | None = None, *,
          highlights: bool = True) -> Alignment:
    """Compare two articles; every sentence of each side gets a status, every link a pair.

    `highlights=False` leaves out what only a view of the pair reads: the offsets of the
    edited words (`Pair.left_marks`, `right_marks`) and of the reused clauses
    (`reused_left`, `reused_right`) stay empty.  Pairs, statuses, scores and evidence are
    the same.  The folder matrix aligns thousands of pairs and keeps only their links.
    """
    with gc_paused():  # see `gcpause`: nothing here makes cycles
        return _align(left, right, options or AlignOptions(), highlights)


def _align(left: Article, right: Article, opt: AlignOptions, highlights: bool = True) -> Alignment:
    ls, rs = prepare(left), prepare(right)
    make = partial(_make_pair, ls, rs, marks=highlights)
    scores = score_pairs(ls, rs, opt)
    links = _select(ls, rs, scores, opt)
    groups = _group(links)
    idf = None
    if opt.clause or opt.semantic:
        ul, ur = _units(ls), _units(rs)
        idf = idf_of(ul, ur)
    if not opt.clause:
        pairs = [make(li, rj) for li, rj in groups]
        found = _linker_search(ls, rs, links, idf) if opt.rewrite else {}
    else:
        search = partial(_linker_search, ls, rs, links, idf) if opt.rewrite else None
        pairs, clause, within, found = _pairs_and_clause_links(ls, rs, ul, ur, idf, links, groups, opt, make, search)
        for p in pairs if highlights else ():
            if len(p.left) == 1 and len(p.right) == 1 and (p.left[0], p.right[0]) in within:
                p.reused_left, p.reused_right = _reused(within[(p.left[0], p.right[0])])
        pairs += [_clause_pair(make, i, j, ms, highlights) for (i, j), ms in clause.items()]
        links = links | {k: 0.0 for k in clause}
    if opt.semantic:
        from .alignment.semantic import semantic_links

        for (i, j), cos in semantic_links(ls.art, rs.art, ul, ur, links, opt).items():
            p = make([i], [j])
            p.method = "semantic"
            p.score = round(min(p.score, cos), 4)
            pairs.append(p)
    hints = []
    if opt.rewrite:
        from .alignment.relink import relink

        pairs, hints = relink(left, right, pairs, found, make)
    pairs.sort(key=lambda p: (p.left[0], p.right[0]))
    lstat = ["added"] * ls.n
    rstat = ["added"] * rs.n
    for p in pairs:
        for i in p.left:
            if lstat[i] != "copied":
                lstat[i] = p.status
        for j in p.right:
            if rstat[j] != "copied":
                rstat[j] = p.status
    mode = "semantic" if opt.semantic else "lexical"
    return Alignment(left, right, pairs, lstat, rstat, {**opt.as_dict(), "mode": mode}, hints)


def _units(side: Side) -> list:
    stop = stopwords()
    return [make_unit(s.text, s.start, side.words[i], stop)
            for i, s in enumerate(side.art.sentences)]


def word_links(left: Article, right: Article, options: AlignOptions | None = None) -> dict[tuple[int, int], float]:
    """The word passes' first links (exact copies, one-to-one, containment) and their combined
    scores: what the linker's candidate search starts from (`bench/fit_linker.py` uses it)."""
    opt = options or AlignOptions()
    ls, rs = prepare(left), prepare(right)
    return _select(ls, rs, score_pairs(ls, rs, opt), opt)


def _linker_search(left: Side, right: Side, links: dict, idf: dict | None) -> dict:
    from .alignment.linker import candidates, settled_of

    return candidates([s.text for s in left.art.sentences], [s.text for s in right.art.sentences],
                      settled_of(links), idf)


def _pairs_and_clause_links(left: Side, right: Side, ul: list, ur: list, idf: dict, links: dict, groups: list,
                            opt: AlignOptions, make, search=None) -> tuple[list[Pair], dict, dict, dict]:
    """The pairs of `groups` (with their highlights), and the partial reuse not yet linked.

    Partial reuse: a clause of one side derived from a sentence of the other.  Exact
    copies are skipped as sources (nothing partial about them).  Each clause
    proposes its single best counterpart; a link already made keeps its pair.
    The two search directions and the two halves of the pairs are independent: on
    long inputs the second of each runs in a forked child; the linker's candidate
    `search` (if any) runs here beside them, and its result is returned too.  `make`
    makes the pair of (left indices, right indices) (`_make_pair`).
    """
    linked_l = {i for i, _ in links}
    linked_r = {j for _, j in links}
    # A sentence copied or closely rewritten already has its source: its clauses map onto it.
    copied_l = {i for (i, _), v in links.items() if v >= opt.clause_skip}
    copied_r = {j for (_, j), v in links.items() if v >= opt.clause_skip}
    unit = rare_unit(left.n + right.n)
    kw = dict(min_cover=opt.clause_cover, min_shared=opt.clause_shared * unit, min_words=opt.clause_words,
              min_facts=opt.clause_facts,
              min_run=opt.clause_run,
              df_cap=max(opt.clause_cap, int(opt.common_cap * (left.n + right.n) ** 0.5)))
    # The child's pairs cross a pipe (pickled, then unpickled here) and the child starts
    # later: this process takes two thirds of them (measured on the 2,000-sentence bench
    # pair: the phase took 71 ms median against 83 ms with an even split).  With the
    # linker's candidate search, this process runs it and takes half the pairs: the child
    # running it kept this one waiting about 40 ms (whole alignment 0.387 s median against
    # 0.41 s, eleven interleaved rounds).
    half = len(groups) // 2 if search else len(groups) * 2 // 3
    other = partial(_search_and_pairs, ur, ul, idf, "right", copied_r, kw, make, groups[half:])
    with Forked(other, worth=left.n + right.n >= _FORK_SENTENCES) as job:
        found, pairs, *mine = _search_and_pairs(ul, ur, idf, "left", copied_l, kw, make, groups[:half], search)
        found_r, pairs_r = job.result()
    candidates = mine[0] if mine else {}
    pairs += pairs_r
    out: dict[tuple[int, int], list[ClauseMatch]] = {}
    within = {}  # clause matches inside pairs the lexical pass already made: spans only
    for m in found + found_r:
        key = (m.src, m.dst) if m.side == "left" else (m.dst, m.src)
        if key in links:
            if links[key] < 1.0:
                within.setdefault(key, []).append(m)
            continue
        if key[0] in linked_l and key[1] in linked_r and m.shared < opt.clause_both * unit:
            continue  # both have partners: a shared fact, unless the clause is long and rare
        if not kinds_compatible(left.art.sentences[key[0]].kind, right.art.sentences[key[1]].kind):
            continue
        out.setdefault(key, []).append(m)
    return pairs, out, within, candidates


def _search_and_pairs(src: list, dst: list, idf: dict, side: str, skip: set[int], kw: dict,
                      make, groups: list, search=None):
    """One direction of the clause search, and the pairs of some of the groups: one process's
    share (and the linker's candidate `search`, when given: this process's)."""
    out = (find_matches(src, dst, idf, side, skip=skip, **kw), [make(li, rj) for li, rj in groups])
    return out if search is None else (*out, search())


_FORK_SENTENCES = 1000  # below this the clause search takes a few ms: not worth a process


def _clause_pair(make, i: int, j: int, matches: list[ClauseMatch], highlights: bool = True) -> Pair:
    p = make([i], [j])
    p.method = "clause"
    if highlights:
        p.reused_left, p.reused_right = _reused(matches)
    return p


def _reused(matches: list[ClauseMatch]) -> tuple[list, list]:
    """Offsets of the reused clauses on each side, from the clause matches of one pair."""
    rl, rr = [], []
    for m in matches:
        (rl if m.side == "left" else rr).append(m.span)
        (rr if m.side == "left" else rl).append(m.dst_span)
    return _merge_spans(rl), _merge_spans(rr)

