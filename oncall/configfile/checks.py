"""Checks of a valid configuration that need the schedule maths: coverage gaps.

They run after the YAML was read into `oncall.config.model` (which knows nothing of the
schedule), so they live here, above both `oncall.config` and `oncall.schedule`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from oncall.config.context import Context
from oncall.config.model import Config
from oncall.schedule.shifts import gaps
from oncall.schedule.turns import handoff_instant


def warn_coverage_gaps(config: Config, ctx: Context, now: datetime) -> None:
    """Warn, with the exact window, wherever a rotation has nobody on call.

    Only from the rotation's first turn on: a rotation that starts later is not a gap.
    """
    horizon = now + config.calendar.horizon_ahead
    for key, rotation in config.rotations.items():
        start = max(now, handoff_instant(rotation, 0))
        if start >= horizon:
            continue
        zone = ZoneInfo(rotation.timezone)
        for gap_start, gap_end in gaps(config, key, start, horizon):
            ctx.problems.warning(
                ctx.rotations.get(key),
                f"rotation `{key}` has nobody on call from "
                f"{gap_start.astimezone(zone):%a %Y-%m-%d %H:%M} to {gap_end.astimezone(zone):%a %Y-%m-%d %H:%M}"
                f" ({rotation.timezone}): everyone on the team is away",
            )
