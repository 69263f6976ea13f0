"""The decisive check: our imported file names the same person as the vendor at every instant.

Both sides are compared at every change point of either (and a minute after each) over the
window, our side through `on_call_at` of the loaded configuration, the vendor's through the
reader's independent evaluator (and its own rendered schedule when the export carried one).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from oncall.config.model import Config
from oncall.configfile.loader import load_config
from oncall.plural import plural
from oncall.schedule import on_call_at, shifts_between
from oncall.vendors.migration import Migration
from oncall.vendors.timeline import Span

MINUTE = timedelta(minutes=1)
SHOWN = 5


@dataclass(frozen=True)
class Difference:
    rotation: str
    at: datetime
    vendor: frozenset[str]
    ours: str | None
    against: str  # "definition" | "rendered"


def load_text(text: str) -> Config:
    """The configuration a YAML text loads into (through the real loader; ConfigError if invalid)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "imported.yaml"
        path.write_text(text, encoding="utf-8")
        return load_config(path)


def differences(migration: Migration, config: Config, start: datetime, end: datetime) -> list[Difference]:
    """Every instant (change points and a minute after) where the two sides name different people."""
    found: list[Difference] = []
    for key, evaluate in migration.evaluators.items():
        found += _compare(key, evaluate(start, end), config, start, end, against="definition")
        rendered = [s for s in migration.rendered.get(key, []) if s.end > start and s.start < end]
        if rendered:
            low, high = max(start, min(s.start for s in rendered)), min(end, max(s.end for s in rendered))
            found += _compare(key, rendered, config, low, high, against="rendered")
    return sorted(found, key=lambda d: (d.at, d.rotation))


def summary(found: list[Difference], start: datetime, end: datetime) -> list[str]:
    """The header lines that report the check."""
    span = f"from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M} UTC"
    if not found:
        return [f"Checked against the vendor's definition {span}: same person at every instant."]
    lines = [
        f"Checked against the vendor's definition {span}: {plural(len(found), 'difference')}; the first:"
    ]
    for item in found[:SHOWN]:
        vendor = ", ".join(sorted(item.vendor)) or "nobody"
        lines.append(
            f"  {item.at:%Y-%m-%d %H:%M} UTC rotation {item.rotation}: the vendor's {item.against} "
            f"names {vendor}, this file {item.ours or 'nobody'}"
        )
    return lines


def _compare(
    key: str, vendor: list[Span], config: Config, start: datetime, end: datetime, *, against: str
) -> list[Difference]:
    ours = shifts_between(config, key, start, end)
    points = {
        start,
        *(t for s in vendor for t in (s.start, s.end)),
        *(t for p in ours for t in (p.start, p.end)),
    }
    instants = sorted({t for p in points for t in (p, p + MINUTE) if start <= t < end})
    found = []
    for at in instants:
        theirs = frozenset().union(*(s.people for s in vendor if s.start <= at < s.end))
        piece = on_call_at(config, key, at)
        person = piece.person if piece is not None else None
        if theirs != (frozenset({person}) if person else frozenset()):
            found.append(Difference(key, at, theirs, person, against))
    return found
