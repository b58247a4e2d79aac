"""Semantic mode with the extra installed: the NumPy encoder and what align makes of it.

Skipped as a whole when `pip install 'reader[semantic]'` has not been run, because
every test here needs the packaged model.  The missing-extra behaviour is tested in
test_semantic_missing.py, which needs nothing optional.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from support import ROOT, seed

pytest.importorskip("wordllama", reason="semantic extra not installed: pip install 'reader[semantic]'")
np = pytest.importorskip("numpy", reason="semantic extra not installed: pip install 'reader[semantic]'")
pytest.importorskip("tokenizers", reason="semantic extra not installed: pip install 'reader[semantic]'")

from reader.alignment import semantic  # noqa: E402
from reader.align import AlignOptions, align  # noqa: E402
from reader.articles import article_from_sentences  # noqa: E402
from reader.model import Article  # noqa: E402

THEFT = "Police arrested two men suspected of stealing paintings from the museum."
THEFT_PARA = "Two suspects in the theft of paintings from the museum have been detained by officers."
RESCUE = "Rescue teams evacuated more than 300 residents of Riverton from their homes by boat."
RESCUE_PARA = "Over 300 people in Riverton were taken out of their flooded houses in boats by rescuers."
# The same event with only two facts in common: not enough for a link (sem_words = 3).
RESCUE_THIN = "Over 300 people were taken out of their flooded houses in boats by rescuers."
COPY = "The central bank raised its main interest rate by half a percentage point on Tuesday."
OTHER = "Prime Minister Anna Berg resigned on Friday after losing a confidence vote in parliament."
UNRELATED = "The football club announced a new coach for the coming season."
LONG = " ".join(["The committee discussed the budget, the harbour and the schools again"] * 40) + "."


def article(sentences: list[str]) -> Article:
    """An article built directly, so these tests do not depend on the cleaner's choices."""
    return article_from_sentences(sentences, "<test>")


@pytest.fixture(scope="module")
def enc():
    return semantic.encoder()


def test_encode_shapes_dtype_and_unit_norm(enc):
    texts = [COPY, THEFT, "", LONG]
    v = enc.encode(texts)
    assert v.shape == (4, 256) and v.dtype == np.float32
    assert np.allclose(np.linalg.norm(v[[0, 1, 3]], axis=1), 1.0, atol=1e-5)
    assert not v[2].any()  # no tokens: the zero vector, whose cosine with anything is 0
    assert enc.encode([]).shape == (0, 256)


def test_paraphrase_is_nearer_than_unrelated(enc):
    v = enc.encode([THEFT, THEFT_PARA, UNRELATED, RESCUE, RESCUE_PARA])
    assert v[0] @ v[1] > v[0] @ v[2] + 0.2
    assert v[3] @ v[4] > v[3] @ v[2] + 0.2


def test_batch_does_not_change_vectors(enc):
    texts = [COPY, THEFT, "Yes.", LONG, RESCUE_PARA, OTHER, THEFT_PARA, UNRELATED]
    alone = np.stack([enc.encode([t])[0] for t in texts])
    assert np.abs(enc.encode(texts) - alone).max() < 1e-6


def test_an_endless_sentence_is_cut_at_max_tokens(enc):
    endless = "harbour " * (semantic.MAX_TOKENS * 2)
    assert len(enc.tok.encode(endless).ids) == semantic.MAX_TOKENS
    assert np.isclose(enc.encode([endless])[0] @ enc.encode(["harbour"])[0], 1.0, atol=1e-3)


def test_memory_mapped_weights_equal_the_safetensors_loader():
    st = pytest.importorskip("safetensors.numpy", reason="safetensors not installed")
    path = semantic.model_dir() / semantic.WEIGHTS_FILE
    ours, theirs = semantic.load_safetensors(path), st.load_file(str(path))
    assert ours.keys() == theirs.keys()
    for k, v in theirs.items():
        assert ours[k].dtype == v.dtype and np.array_equal(ours[k], v), k


def test_vectors_match_wordllama_itself(enc):
    """WordLlama's own inference (installed with the extra, never imported at run time),
    given the same table and tokenizer: the vectors reader computes are the model's."""
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    table = semantic.load_safetensors(semantic.model_dir() / semantic.WEIGHTS_FILE)["embedding.weight"]
    ref_model = WordLlamaInference(table, Tokenizer.from_file(str(semantic.model_dir() / semantic.TOKENIZER_FILE)))
    texts = [COPY, THEFT, THEFT_PARA, LONG, "Yes.", RESCUE_PARA]
    ref = ref_model.embed(texts, norm=True)
    ours = enc.encode(texts)
    assert np.abs(ref - ours).max() < 1e-4
    assert (ref * ours).sum(1).min() > 0.9999


@pytest.mark.parametrize("orig,para,lexical_finds", [(THEFT, THEFT_PARA, True), (RESCUE, RESCUE_PARA, False)])
def test_paraphrase_is_changed_with_lower_score_never_copied(orig, para, lexical_finds):
    """The theft paraphrase keeps "two", "paintings" and "museum" and no rival sentence
    shares them: the lexical linker finds it (a rewrite).  The rescue paraphrase shares
    too little for it: that is what semantic mode is for."""
    left, right = article([COPY, OTHER, orig]), article([COPY, UNRELATED, para])
    lexical = align(left, right, AlignOptions(semantic=False))
    assert lexical.right_status[2] == ("changed" if lexical_finds else "added")
    res = align(left, right, AlignOptions(semantic=True))
    assert res.options["mode"] == "semantic"
    assert res.right_status == ["copied", "added", "changed"]
    copy = next(p for p in res.pairs if p.right == [0])
    found = next(p for p in res.pairs if p.right == [2])
    assert copy.status == "copied" and copy.score == 1.0
    assert found.left == [2] and found.status == "changed"
    assert found.method == "semantic"  # its pass comes first; the linker keeps its pair
    assert 0.0 < found.score < 1.0


def test_a_paraphrase_sharing_only_two_facts_is_not_linked():
    # Two shared content words (300, boat) could be coincidence; a wrong link costs more than a miss.
    res = align(article([COPY, OTHER, RESCUE.replace(" of Riverton", "")]), article([COPY, UNRELATED, RESCUE_THIN]),
                AlignOptions(semantic=True))
    assert res.right_status == ["copied", "added", "added"]


PROBE = textwrap.dedent("""
    import socket, sys
    def refuse(*a, **k):
        raise RuntimeError("network access attempted")
    socket.socket.connect = refuse
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    from reader.cli import main
    code = main(sys.argv[1:])
    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"torch", "transformers", "sentence_transformers",
                                                             "huggingface_hub", "sklearn", "scipy",
                                                             "wordllama", "pydantic", "requests"})
    print("HEAVY", heavy, file=sys.stderr)
    sys.exit(code)
""")


def test_cli_semantic_is_offline_and_imports_nothing_heavy(tmp_path):
    """A fresh `reader diff --semantic` with sockets refused: it succeeds, and never loads torch & co."""
    env = {**os.environ, "HF_HUB_OFFLINE": "", "READER_CONFIG_DIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", PROBE, "diff", str(seed("001")), str(seed("002")),
                           "--format", "json", "--semantic"],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "HEAVY []" in proc.stderr
    out = json.loads(proc.stdout)
    assert out["options"]["mode"] == "semantic"
