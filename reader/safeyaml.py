"""Loading YAML the user controls (rules, themes, settings) without alias bombs.

PyYAML builds an alias as a reference to the anchored object, so a "billion laughs"
file (nine levels of nine aliases) loads into a few kilobytes; whatever walks the
result afterwards expands it: the JSON cache of parsed rules, a theme's str() of its
variables, a comparison.  So the document's node graph is measured before it is
built: its size with every alias expanded (a node counts 1, a long string 1 per 64
characters) may exceed its size without expanding by at most `MAX_NODES` (far above
what anchors in a real rules or theme file add, far below what hurts), and an alias
must not contain itself.  Either is a `yaml.YAMLError`, which every caller already turns into a
one-line message; so is a document nested too deeply for Python to build.
"""
from __future__ import annotations

from typing import Any

import yaml

MAX_NODES = 200_000  # growth by aliases, in nodes; a large real rules file has a few thousand nodes


class YamlTooLarge(yaml.YAMLError):
    """A document whose aliases expand beyond `MAX_NODES`, refer to themselves, or nest absurdly."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _weight(node: yaml.Node) -> int:
    return 1 + len(node.value) // 64 if isinstance(node, yaml.ScalarNode) else 1


def _check_growth(root: yaml.Node, growth: int) -> None:
    """Refuse a document whose aliases add more than `growth` to its size, or contain themselves."""
    own = 0  # every distinct node once
    sizes: dict[int, int] = {}
    open_: set[int] = set()
    # Iterative post-order walk: a deep document must not exhaust Python's stack here.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            open_.discard(key)
            own += _weight(node)
            total = _weight(node) + sum(sizes[id(c)] for c in _children(node))
            if total > own + growth:
                raise YamlTooLarge(f"aliases expand it by more than {growth:,} items (an alias bomb?)")
            sizes[key] = total
            continue
        if key in sizes:
            continue
        if key in open_:
            raise YamlTooLarge("an alias refers to the node that contains it")
        open_.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_:
                raise YamlTooLarge("an alias refers to the node that contains it")
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def load(text: str) -> Any:
    """`yaml.safe_load(text)` (libyaml's loader when present), refusing alias bombs."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_growth(node, MAX_NODES)
        try:
            return loader.construct_document(node)
        except RecursionError:
            raise YamlTooLarge("nested too deeply") from None
    except RecursionError:
        raise YamlTooLarge("nested too deeply") from None
    finally:
        loader.dispose()
