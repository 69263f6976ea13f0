"""Slack in the YAML: a person's `slack:` user id and an escalation's `slack: {channel: …}`.

Slack names people and channels by ids (U024BE7LH, C0123ABC); a display name or `#channel`
can change and `chat.update` needs the id, so only ids are accepted, with a hint where to find one.
"""

from __future__ import annotations

import re

from yaml.nodes import Node

from oncall.config.context import Context
from oncall.config.nodes import read_mapping, read_parsed

USER_ID = re.compile(r"[UW][A-Z0-9]{2,20}")
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,20}")
POLICY_SLACK_KEYS = ("channel",)


def check_slack_user(text: str) -> str:
    """`text` when it is a Slack user id (U… or W…); ValueError saying where to find one."""
    if USER_ID.fullmatch(text.strip()):
        return text.strip()
    raise ValueError(
        f"`{text[:60]}` is not a Slack user id: write the member ID from their Slack profile "
        "(⋮ → Copy member ID), e.g. U024BE7LH; or leave `slack` out and give `email`, which Slack "
        "is asked for"
    )


def check_slack_channel(text: str) -> str:
    """`text` when it is a Slack channel id (C… or G…); ValueError saying where to find one."""
    if CHANNEL_ID.fullmatch(text.strip()):
        return text.strip()
    raise ValueError(
        f"`{text[:60]}` is not a Slack channel id: write the ID at the bottom of the channel's "
        "details (e.g. C0123ABC), not its #name, and invite the app to that channel"
    )


def read_policy_slack(node: Node, ctx: Context, what: str) -> str | None:
    """An escalation's `slack: {channel: C0123ABC}`: the channel id, None after a problem."""
    fields = read_mapping(node, ctx.problems, f"`slack` of {what}", POLICY_SLACK_KEYS, required=("channel",))
    if fields is None or "channel" not in fields:
        return None
    return read_parsed(
        fields.get("channel"), ctx.problems, f"`channel` of `slack` of {what}", check_slack_channel
    )
