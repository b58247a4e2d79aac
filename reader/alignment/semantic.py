"""Sentence embeddings for the optional semantic mode (`pip install 'reader[semantic]'`).

The model is WordLlama's l2_supercat 256-dimension table of token embeddings, as shipped
inside the `wordllama` package (16 MB of weights, MIT), so nothing is downloaded at run
time and nothing pulls torch: the extra adds about 90 MB with its
dependencies (measured in a new venv), where the all-MiniLM-L6-v2 package used before declared
sentence-transformers and so a multi-GB CUDA build of torch unless the user installed a
CPU build first.  A sentence's vector is the mean of its tokens' rows, L2-normalised,
which is what WordLlama's own `embed(norm=True)` computes (`tests/test_semantic.py`
checks both give the same vectors).  We read its tokenizer (Hugging Face `tokenizers`)
and memory-map its weights ourselves: WordLlama's loader looks for the tokenizer in a
folder the package does not have and then tries the network.

Why a static model is enough here: semantic mode only proposes pairs that already share
`sem_words` content stems (a fact, not a topic), and on that ground it decides much like
the six-layer MiniLM did.  Measured on the hand-labelled pairs, with the thresholds of
`options.AlignOptions` (`sem_free` 0.72, `sem_linked` 0.80): the same accuracy as
MiniLM on METER dev (0.836) and the seeds (0.989); cosine alone separates gold links
from the linker's other candidates with AUC 0.813 (MiniLM 0.804), and neither adds to
the linker's features.  It is more cautious: on 150 unlabelled METER pairs it makes 20
semantic links where MiniLM made 41 (19 of the 20 right by my reading, against about
35 of the 41); at 0.71 the seeds gain a wrong link (a "United States and its allies"
topic match), and at 0.66 / 0.76, which makes as many links as MiniLM, two.

Everything heavy is imported lazily, so the core stays importable without the extra.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

INSTALL_HINT = "pip install 'reader[semantic]'"
MODEL_PACKAGE = "wordllama"
TOKENIZER_FILE = "tokenizers/l2_supercat_tokenizer_config.json"
WEIGHTS_FILE = "weights/l2_supercat_256.safetensors"
MAX_TOKENS = 4096  # a longer "sentence" is page noise: its first tokens say what it is about


class SemanticUnavailable(RuntimeError):
    """The semantic extra is not installed (or its model files are missing)."""

    def __init__(self, detail: str = ""):
        msg = f"semantic mode needs the optional extra: {INSTALL_HINT}"
        super().__init__(msg + (f" ({detail})" if detail else ""))


def model_dir() -> Path:
    """Where the packaged model lives; raises SemanticUnavailable when it does not.

    The package is located without importing it: its `__init__` imports pydantic,
    requests and its Cython kernels, none of which encoding needs.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec(MODEL_PACKAGE)
    except ImportError:  # a broken or blocked install is a missing one
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise SemanticUnavailable(f"{MODEL_PACKAGE} is not installed")
    path = Path(next(iter(spec.submodule_search_locations)))
    for name in (TOKENIZER_FILE, WEIGHTS_FILE):
        if not (path / name).is_file():
            raise SemanticUnavailable(f"model file {name} missing under {path}")
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
    """WordLlama in NumPy: `encode(texts)` -> unit vectors, one row per text.

    A static model: each token has one row, and a sentence is the mean of its tokens'
    rows.  No BLAS work at all, so no thread pool to tame: a gather and a mean per
    sentence.  Measured: 1.7 ms for an 18-sentence seed article, 0.12 ms a sentence on
    1,500; loading (mostly parsing the 1.8 MB tokenizer file) about 80 ms.
    """

    def __init__(self, path: Path):
        import numpy as np
        from tokenizers import Tokenizer

        weights = load_safetensors(path / WEIGHTS_FILE)
        if len(weights) != 1:
            raise SemanticUnavailable(f"expected one embedding table in {WEIGHTS_FILE}, found {len(weights)}")
        self.table = next(iter(weights.values()))
        self.dim = int(self.table.shape[1])
        self.tok = Tokenizer.from_file(str(path / TOKENIZER_FILE))
        self.tok.no_padding()
        self.tok.enable_truncation(MAX_TOKENS)
        self.np = np

    def encode(self, texts: list[str]):
        """Unit-length embeddings (float32, shape (len(texts), 256)); a text with no
        tokens gets the zero vector, whose cosine with anything is 0."""
        np = self.np
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        top = self.table.shape[0] - 1
        for k, enc in enumerate(self.tok.encode_batch(list(texts), add_special_tokens=False)):
            if not enc.ids:
                continue
            ids = np.minimum(np.asarray(enc.ids, dtype=np.int64), top)
            v = self.table[ids].mean(axis=0, dtype=np.float32)
            norm = float(np.linalg.norm(v))
            if norm > 0:
                out[k] = v / norm
        return out


def load_safetensors(path: Path) -> dict:
    """Tensors of a .safetensors file as read-only NumPy views of a memory map.

    `safetensors.numpy.load_file` reads and copies the whole file; the format is an
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


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (16 MB of weights, memory-mapped)."""
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
    2,000-sentence pair embedded 3,334 sentences (49 s with the MiniLM model used
    then) and 27 of its 28 semantic links joined unrelated sentences; the seeds,
    whose shared facts are rare words, are not affected.
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
