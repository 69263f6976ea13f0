"""`{rotation: NAME}` or `{person: KEY}`: who a level notifies, who holds an incident role by
default. One reader, so both say the same things about the same mistakes."""

from __future__ import annotations

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import Target
from oncall.config.nodes import read_mapping, read_text

TARGET_KINDS = ("rotation", "person")


def read_target(node: Node, where: str, ctx: Context, owner: str | None = None) -> Target | None:
    """A target naming one rotation or person the file declares, else None (the problem recorded).

    `where` names the place in messages ("a `notify` target of level 1 of escalation `ops`");
    `owner` is what an unknown name is reported in (default `where`).
    """
    fields = read_mapping(node, ctx.problems, where, TARGET_KINDS)
    if fields is None:
        return None
    named = [kind for kind in TARGET_KINDS if kind in fields.values]
    if len(named) != 1:
        ctx.problems.error(node, f"{where} names one `rotation` or one `person`")
        return None
    kind = named[0]
    value_node = fields.get(kind)
    if value_node is None:
        ctx.problems.error(fields.values[kind], f"`{kind}` in {where} has no value")
        return None
    name = read_text(value_node, ctx.problems, f"`{kind}` in {where}")
    if name is None:
        return None
    if kind == "person":
        ctx.people_in_use.add(name)
    if not ctx.check_reference(name, value_node, kind, owner or where):
        return None
    return Target(kind, name)
