"""The shape shared by `people`, `rotations` and `escalations`: a mapping of keys the rest of the
file refers to, each key checked and registered, each value read by its section's reader."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.nodes import read_mapping

T = TypeVar("T")


def read_named(
    node: Node,
    ctx: Context,
    *,
    section: str,
    kind: str,
    registry: dict[str, Node],
    read_one: Callable[[str, Node, Context], T | None],
    required: bool = False,
) -> dict[str, T]:
    """`{key: value}` of the section `node` (named `section`, its entries a `kind`; `required`: not empty): keys checked and entered in `registry` (for references
    and did-you-mean), values read by `read_one`; the entries that read without error."""
    fields = read_mapping(node, ctx.problems, f"`{section}`")
    if fields is None:
        return {}
    if required and not fields.values:
        ctx.problems.error(node, f"`{section}` is empty; name at least one {kind}")
    for key, key_node in fields.keys.items():
        ctx.check_key(key, key_node, kind)
        registry[key] = key_node
    read = {}
    for key, value in fields.values.items():
        entry = read_one(key, value, ctx)
        if entry is not None:
            read[key] = entry
    return read
