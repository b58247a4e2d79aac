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


def test_discard_and_forget_drop_a_text_from_every_cache():
    from reader.runtime.text_cache import forget

    a: TextCache[str, int] = TextCache(4)
    b: TextCache[str, int] = TextCache(4)
    for c in (a, b):
        for k, key in enumerate("abcde"):              # a, b in the old generation, the rest new
            c.put(key, k)
    a.discard("a")
    a.discard("e")
    a.discard("missing")
    assert "a" not in a and "e" not in a and "c" in a
    forget(["c", "d"])
    assert all(key not in c for c in (a, b) for key in "cd")
    assert "e" in b


def test_holds_forget_a_text_only_when_no_owner_holds_it():
    from reader.runtime.text_cache import Holds

    c: TextCache[str, int] = TextCache(100)
    for key in ("copied", "own x", "own y"):
        c.put(key, 1)
    holds = Holds()
    holds.hold("x", ["copied", "own x", "own x"])
    holds.hold("y", ["copied", "own y"])
    holds.hold("y", ["ignored: already held"])
    assert "x" in holds and len(holds) == 2
    assert holds.release("x") == ["own x"]
    assert "own x" not in c and "copied" in c and "own y" in c
    assert sorted(holds.release("y")) == ["copied", "own y"]
    assert len(c) == 0 and len(holds) == 0
    assert holds.release("never held") == []
    holds.hold("x", ["again"])                                   # held again after its release
    assert "x" in holds
