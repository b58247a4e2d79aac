"""The per-sentence caches' bound: recently used entries stay, at most `limit` are held."""
from __future__ import annotations

from reader.runtime.text_cache import TextCache


def test_a_full_generation_becomes_the_old_one_and_hits_there_come_back():
    c: TextCache[str, int] = TextCache(4)            # generations of two
    for k, key in enumerate("abcd"):
        c.put(key, k)
    assert len(c) == 4 and all(key in c for key in "abcd")
    c.put("e", 4)                                     # new generation full: a and b are dropped
    assert c.get("a") is None and c.get("b") is None
    assert c.get("c") == 2                            # old generation: found, moved to the new one
    c.put("f", 5)
    assert c.get("c") == 2 and c.get("d") is None     # c was kept by its use, d was not
    assert len(c) <= 4


def test_clear_and_a_tiny_limit():
    c: TextCache[str, int] = TextCache(1)
    c.put("a", 1)
    c.put("b", 2)
    assert c.get("b") == 2 and len(c) <= 2
    c.clear()
    assert len(c) == 0 and c.get("b") is None
