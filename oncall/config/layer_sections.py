"""Reading a rotation's `layers:`: plain rotations stacked bottom first, in its time zone."""

from __future__ import annotations

from collections.abc import Callable

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.model import Rotation
from oncall.config.nodes import Fields, read_list, read_mapping

LAYER_KEYS = ("type", "every", "handoff", "start", "team", "restrict", "phase")
# Reads the plain keys of one layer: (rotation key, the layer's fields, what, zone, context).
TurnsReader = Callable[[str, Fields, str, str, Context], "Rotation | None"]


def read_layers(
    key: str, fields: Fields, timezone: str, ctx: Context, read_turns: TurnsReader
) -> Rotation | None:
    """A layered rotation: `layers` (bottom first) and `timezone`, no plain keys beside them."""
    what = f"rotation `{key}`"
    plain = [name for name in fields.keys if name in LAYER_KEYS]
    for name in plain:
        ctx.problems.error(
            fields.keys[name],
            f"{what} has both `layers` and `{name}`; move `{name}` into a layer "
            "(a rotation has either the plain keys or `layers`)",
        )
    items = read_list(fields.values["layers"], ctx.problems, f"`layers` of {what}")
    if items is None:
        return None
    if not items:
        ctx.problems.error(fields.values["layers"], f"`layers` of {what} is empty; give at least one layer")
        return None
    layers = [
        _read_layer(key, number, item, timezone=timezone, ctx=ctx, read_turns=read_turns)
        for number, item in enumerate(items, 1)
    ]
    if plain or any(layer is None for layer in layers):
        return None
    return layered_rotation(key, timezone, [layer for layer in layers if layer is not None])


def layered_rotation(key: str, timezone: str, layers: list[Rotation]) -> Rotation:
    """The rotation made of `layers`; its own fields summarise them (see `Rotation`)."""
    bottom = layers[0]
    team = tuple(dict.fromkeys(member for layer in layers for member in layer.team))
    return Rotation(
        key=key,
        kind="layered",
        period=max(layer.period for layer in layers),
        handoff_weekday=bottom.handoff_weekday,
        handoff_time=bottom.handoff_time,
        start=min(layer.start for layer in layers),
        team=team,
        timezone=timezone,
        layers=tuple(layers),
    )


def _read_layer(
    key: str, number: int, node: Node, *, timezone: str, ctx: Context, read_turns: TurnsReader
) -> Rotation | None:
    what = f"layer {number} of rotation `{key}`"
    allowed = (*LAYER_KEYS, "timezone")
    fields = read_mapping(node, ctx.problems, what, allowed, required=("handoff", "start", "team"))
    if fields is None:
        return None
    own_zone = "timezone" in fields.keys
    if own_zone:
        ctx.problems.error(
            fields.keys["timezone"],
            f"{what} cannot have its own `timezone`; give it to rotation `{key}` (all its layers share it)",
        )
    layer = read_turns(key, fields, what, timezone, ctx)
    return None if own_zone else layer
