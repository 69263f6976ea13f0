"""Reading the optional `incidents` section: status-update intervals and default role sources.

incidents:
  update_every: {SEV-1: 15m, SEV-2: 15m, SEV-3: 1h, SEV-4: 4h}   # SEV-4: none unless given
  commander: {rotation: payments}       # whoever is on call there when it is declared
  communications: {person: choi}
"""

from __future__ import annotations

from datetime import timedelta

from yaml.nodes import Node

from oncall.config.channel_sections import read_digest_channels
from oncall.config.context import Context
from oncall.config.model import DEFAULT_UPDATE_EVERY, INCIDENT_ROLES, SEVERITIES, IncidentSettings, Target
from oncall.config.nodes import is_null, read_duration, read_mapping
from oncall.config.target_sections import read_target

INCIDENT_KEYS = ("update_every", "digest_channels", *INCIDENT_ROLES)


def read_incidents(node: Node, ctx: Context) -> IncidentSettings | None:
    """The `incidents` section; every problem is reported with its line and column."""
    fields = read_mapping(node, ctx.problems, "`incidents`", INCIDENT_KEYS)
    if fields is None:
        return None
    every = _read_update_every(fields.values.get("update_every"), ctx)
    roles: dict[str, Target] = {}
    ok = every is not None
    for role in INCIDENT_ROLES:
        if role in fields:
            source = _read_source(fields.get(role), role, ctx)
            ok &= source is not None
            if source is not None:
                roles[role] = source
    digest = IncidentSettings().digest_channels
    if "digest_channels" in fields:
        digest = read_digest_channels(fields.get("digest_channels"), ctx)
    if not ok or every is None or digest is None:
        return None
    return IncidentSettings(update_every=every, roles=roles, digest_channels=digest)


def _read_update_every(node: Node | None, ctx: Context) -> dict[str, timedelta] | None:
    """Severity → interval; the defaults stay for severities not named, `~` turns one off."""
    every = dict(DEFAULT_UPDATE_EVERY)
    if node is None or is_null(node):
        return every
    what = "`update_every` of `incidents`"
    fields = read_mapping(node, ctx.problems, what, SEVERITIES, extensions=False)
    if fields is None:
        return None
    ok = True
    for severity, value_node in fields.values.items():
        if is_null(value_node):
            every.pop(severity, None)
            continue
        interval = read_duration(value_node, ctx.problems, f"`{severity}` in {what}", positive=True)
        ok &= interval is not None
        if interval is not None:
            every[severity] = interval
    return every if ok else None


def _read_source(node: Node, role: str, ctx: Context) -> Target | None:
    """`{rotation: NAME}` or `{person: KEY}`, naming one that the file declares."""
    return read_target(node, f"`{role}` of `incidents`", ctx)
