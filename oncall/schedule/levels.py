"""Who an escalation policy would notify at a given moment, level by level."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from oncall.config.model import Config, EscalationPolicy, Override
from oncall.schedule.shifts import on_call_at


def levels_at(
    config: Config,
    policy_key: str,
    at: datetime,
    extra_overrides: Iterable[Override] = (),
) -> list[list[str]]:
    """The person keys each level of the policy would notify at `at`, one list per level.

    A rotation target resolves to whoever is on call then (override and cover included); a
    gap in that rotation yields nobody for that target. Each person appears once per level.
    """
    policy = _policy(config, policy_key)
    extra = tuple(extra_overrides)
    levels: list[list[str]] = []
    for level in policy.levels:
        people: list[str] = []
        for target in level.targets:
            person = _resolve(config, target.kind, target.key, at, extra)
            if person is not None and person not in people:
                people.append(person)
        levels.append(people)
    return levels


def _resolve(config: Config, kind: str, key: str, at: datetime, extra: tuple[Override, ...]) -> str | None:
    if kind == "person":
        return key
    if kind == "rotation":
        shift = on_call_at(config, key, at, extra)
        return shift.person if shift is not None else None
    raise ValueError(f"unknown escalation target kind {kind!r} (expected rotation or person)")


def _policy(config: Config, policy_key: str) -> EscalationPolicy:
    try:
        return config.escalations[policy_key]
    except KeyError:
        known = ", ".join(sorted(config.escalations)) or "none"
        raise KeyError(f"unknown escalation policy {policy_key!r} (known: {known})") from None
