"""Composing YAML that may be hostile: bounded nesting, aliases and size.

A configuration file is small and flat. Anything else is refused with a problem at its line
instead of exhausting the worker: deep nesting (PyYAML composes recursively, so 5,000 `[`
raise RecursionError), "billion laughs" anchors whose aliases expand exponentially, and an
alias to the list or mapping that contains it (a cycle every reader would loop on).
"""

from __future__ import annotations

import yaml
from yaml.error import Mark
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_DEPTH = 50  # lists and mappings inside each other; a real configuration uses about 6
MAX_ALIASES = 500
MAX_NODES = 200_000  # values after aliases are expanded; the demo configuration has about 300


class YamlTooComplex(Exception):
    """The text is refused before it is read; `mark` is where (may be None)."""

    def __init__(self, message: str, mark: Mark | None) -> None:
        super().__init__(message)
        self.mark = mark


class GuardedLoader(yaml.SafeLoader):
    """A SafeLoader whose composer stops at `MAX_DEPTH` nesting and `MAX_ALIASES` aliases."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: object) -> Node:
        """Compose one node, counting nesting depth and aliases (PyYAML's hook)."""
        if self.check_event(AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                mark = self.peek_event().start_mark
                raise YamlTooComplex(f"more than {MAX_ALIASES} aliases (`*name`)", mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise YamlTooComplex(f"lists and mappings nested more than {MAX_DEPTH} deep", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def compose_guarded(text: str) -> Node | None:
    """The node tree of one YAML document, or `YamlTooComplex` / a `yaml.YAMLError`."""
    loader = GuardedLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if root is not None:
        check_expansion(root)
    return root


def check_expansion(root: Node) -> None:
    """Refuse a node graph that loops back on itself or expands past `MAX_NODES` values."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    # Iterative post-order walk: each distinct node is sized once, however often it is aliased.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > MAX_NODES:
                message = f"aliases expand to more than {MAX_NODES} values (a `billion laughs` file?)"
                raise YamlTooComplex(message, node.start_mark)
            continue
        if key in sizes:
            continue
        open_nodes.add(key)
        stack.append((node, True))
        for child in _children(node):
            if id(child) in open_nodes:
                raise YamlTooComplex(
                    "an alias refers to the list or mapping that contains it", child.start_mark
                )
            if id(child) not in sizes:
                stack.append((child, False))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []
