"""Reading which channels page: the top-level `channels` mapping, a level's `channels` override,
and the `digest_channels` of `incidents`; and the warning for a channel nobody can be reached on.

channels:                      # optional; severities not named keep these defaults
  SEV-1: [sms, voice]          # at once
  SEV-2: [sms, voice]          # voice after the voice delay, unless acknowledged
  SEV-3: [sms]
  SEV-4: []                    # SEV-4 never pages
"""

from __future__ import annotations

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from oncall.config.context import Context
from oncall.config.model import CHANNELS, DEFAULT_CHANNELS, SEVERITIES, Config, Person
from oncall.config.nodes import read_mapping, read_texts
from oncall.config.values import did_you_mean

NEVER_PAGES = "SEV-4"
# What a person needs for each channel (the field of `people:` that holds it).
NEEDS = {"sms": "phone", "voice": "phone", "email": "email", "slack": "slack"}
_NEEDS_TEXT = {"sms": "`phone:`", "voice": "`phone:`", "email": "`email:`", "slack": "`slack:` or `email:`"}


def read_channel_list(
    node: Node, ctx: Context, what: str, *, allow_empty: bool = False
) -> tuple[str, ...] | None:
    """A list of channel names (one bare name is a list of one), each known and named once."""
    items = read_texts(node, ctx.problems, what, single_ok=True)
    if items is None:
        return None
    names: list[str] = []
    ok = True
    for name, item in items:
        if name not in CHANNELS:
            hint = did_you_mean(name, CHANNELS)
            ctx.problems.error(
                item, f"unknown channel `{name}` in {what}{hint}; the channels are {', '.join(CHANNELS)}"
            )
            ok = False
        elif name in names:
            ctx.problems.error(item, f"channel `{name}` is named twice in {what}")
            ok = False
        else:
            names.append(name)
    if ok and not names and not allow_empty:
        ctx.problems.error(node, f"{what} names no channel; name at least one ({', '.join(CHANNELS)})")
        return None
    return tuple(names) if ok else None


def read_channels(node: Node, ctx: Context) -> dict[str, tuple[str, ...]] | None:
    """The top-level `channels` mapping: severity → channels; the defaults stay for those not named."""
    fields = read_mapping(node, ctx.problems, "`channels`", SEVERITIES, extensions=False)
    if fields is None:
        return None
    chosen = dict(DEFAULT_CHANNELS)
    ok = True
    for severity, value in fields.values.items():
        what = f"`{severity}` in `channels`"
        names = read_channel_list(value, ctx, what, allow_empty=severity == NEVER_PAGES)
        if names is None:
            ok = False
        elif severity == NEVER_PAGES and names:
            ctx.problems.error(value, f"{what} must be `[]`: SEV-4 never pages (its alerts are only listed)")
            ok = False
        else:
            chosen[severity] = names
    return chosen if ok else None


def read_digest_channels(node: Node, ctx: Context) -> tuple[str, ...] | None:
    """`digest_channels` of `incidents`: the action-item digest goes on the first the owner is reachable on."""
    return read_channel_list(node, ctx, "`digest_channels` of `incidents`")


def reachable_on(person: Person, channel: str) -> bool:
    """Whether `person` has what `channel` needs (a phone, an email address, a Slack user id)."""
    if channel == "slack":  # a Slack user id, or an email the Slack sender looks up
        return person.slack is not None or person.email is not None
    return getattr(person, NEEDS[channel], None) is not None


def warn_unreachable_channels(config: Config, ctx: Context, root: Node) -> None:
    """Warn where a written `channels` list names a channel nobody it pages can be reached on."""
    mapping = _child(root, "channels")
    everyone = list(config.people.values())
    for severity in SEVERITIES:
        node = _child(mapping, severity)
        if node is not None:
            _warn(ctx, node, f"`channels` pages {severity}", config.channels[severity], everyone)
    for key, policy in config.escalations.items():
        levels = _child(_child(_child(root, "escalations"), key), "levels")
        for number, level in enumerate(policy.levels, start=1):
            node = _child(_item(levels, number - 1), "channels")
            if node is None or level.channels is None:
                continue
            people = [config.people[p] for p in _level_people(config, level.targets) if p in config.people]
            _warn(ctx, node, f"level {number} of escalation `{key}` pages", level.channels, people)


def _warn(ctx: Context, node: Node, what: str, channels: tuple[str, ...], people: list[Person]) -> None:
    for channel in channels:
        if people and not any(reachable_on(p, channel) for p in people):
            ctx.problems.warning(
                node,
                f"{what} by {channel}, but nobody it can page has {_NEEDS_TEXT[channel]} in `people`; "
                f"those {channel} pages are skipped",
            )


def _level_people(config: Config, targets) -> list[str]:
    found: list[str] = []
    for target in targets:
        if target.kind == "person":
            found.append(target.key)
        elif target.key in config.rotations:
            found.extend(config.rotations[target.key].team)
    return list(dict.fromkeys(found))


def _child(node: Node | None, key: str) -> Node | None:
    if not isinstance(node, MappingNode):
        return None
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return value
    return None


def _item(node: Node | None, index: int) -> Node | None:
    if isinstance(node, SequenceNode) and index < len(node.value):
        return node.value[index]
    return None
