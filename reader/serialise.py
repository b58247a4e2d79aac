"""The JSON shapes of articles and alignments: one place, used by CLI, export and tests."""
from __future__ import annotations

from .model import Alignment, Article
from .inputs.registry import OFFSETS


def offsets_of(source: str) -> str:
    """Which text the offsets of an article from `source` index (`Article.text`, named for the user)."""
    return OFFSETS.get(source, "extracted text")


def sentence_json(art: Article, status: list[str] | None = None) -> list[dict]:
    out = []
    for k, s in enumerate(art.sentences):
        d = {"start": s.start, "end": s.end, "text": s.text, "kind": s.kind}
        if status is not None:
            d["status"] = status[k]
        out.append(d)
    return out


def article_json(art: Article, *, body: bool = False, status: list[str] | None = None) -> dict:
    d = {"path": art.path, "title": art.title, "date": art.date, "date_iso": art.date_iso,
         "byline": art.byline, "outlet": art.outlet, "url": art.url, "source": art.source,
         "encoding": art.encoding, "offsets": "repaired text" if art.repaired else offsets_of(art.source)}
    if body:
        d["body"] = art.body
        d["text"] = art.text  # what the offsets index: with it a script can check every span
    d["sentences"] = sentence_json(art, status)
    d["stripped"] = [{"start": s.start, "end": s.end, "text": s.text, "reason": s.reason} for s in art.stripped]
    return d


def alignment_json(al: Alignment) -> dict:
    return {
        "left": article_json(al.left, status=list(al.left_status)) | {"counts": al.counts("left")},
        "right": article_json(al.right, status=list(al.right_status)) | {"counts": al.counts("right")},
        "pairs": [
            {"left": p.left, "right": p.right, "status": p.status, "score": round(p.score, 4),
             "method": p.method,
             "left_marks": [list(m) for m in p.left_marks], "right_marks": [list(m) for m in p.right_marks],
             "reused_left": [list(m) for m in p.reused_left], "reused_right": [list(m) for m in p.reused_right],
             "evidence": p.evidence}
            for p in al.pairs
        ],
        # Likely rewrites not linked (`model.Hint`): no pair, no status; for a reader to check.
        "possible": [{"left": h.left, "right": h.right, "evidence": h.evidence} for h in al.hints],
        "options": al.options,
    }
