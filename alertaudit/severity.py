"""Severity levels as the auditor moves them: one step down a demotion, one step back up.

A demotion turns a 24/7 page (SEV-1/2) into a business-hours notice (SEV-3), and a SEV-3 into
a queue entry (SEV-4). A rule's state is its `shift`: how many such steps it is demoted by.
"""

from __future__ import annotations

from oncall.config.model import SEVERITIES, SeverityMap


def to_sev(value: str | None, severity_map: SeverityMap | None = None) -> str:
    """A SEV level from either a SEV name or a label value such as `critical` or `warning`."""
    severity_map = severity_map or SeverityMap()
    if value is None:
        return severity_map.default
    upper = value.upper()
    if upper in SEVERITIES:
        return upper
    return dict(severity_map.mapping).get(value, severity_map.default)


def demote_once(sev: str) -> str:
    """One step down: SEV-1/2 -> SEV-3 (business hours), SEV-3 -> SEV-4 (no page)."""
    if sev in ("SEV-1", "SEV-2"):
        return "SEV-3"
    return "SEV-4"


def shifted(base: str, shift: int) -> str:
    """`base` demoted `shift` times."""
    sev = base
    for _ in range(max(0, shift)):
        sev = demote_once(sev)
    return sev


def can_demote(base: str, shift: int) -> bool:
    """Whether one more demotion changes anything (SEV-4 is already silent)."""
    return shifted(base, shift) != "SEV-4"


def label_value_for(sev: str, severity_map: SeverityMap | None = None) -> str:
    """The `severity` label value that maps to `sev` (the first in the map), for rules files."""
    severity_map = severity_map or SeverityMap()
    for label_value, level in severity_map.mapping:
        if level == sev:
            return label_value
    return sev
