"""Checks of a valid configuration that need the schedule maths: coverage gaps, re-phasing.

They run after the YAML was read into `oncall.config.model` (which knows nothing of the
schedule), so they live here, above both `oncall.config` and `oncall.schedule`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from oncall.config.context import Context
from oncall.config.model import Config
from oncall.schedule.layers import first_turn_start
from oncall.schedule.rephase import headline, pin_text, rephasings
from oncall.schedule.shifts import gap_windows

# Gaps of restricted hours are expected; the first week's show the pattern, the rest are counted.
_LISTED_HOURS_GAPS = timedelta(weeks=1)
_HOURS_CAUSE = "outside the restricted hours (expected for a restricted rotation; add a layer to cover them)"


def warn_coverage_gaps(config: Config, ctx: Context, now: datetime) -> None:
    """Warn, with the exact window, wherever a rotation has nobody on call.

    Only from the rotation's first turn on: a rotation that starts later is not a gap. Gaps that
    restricted hours leave recur every week, so the first week's are listed and the rest counted.
    """
    horizon = now + config.calendar.horizon_ahead
    for key, rotation in config.rotations.items():
        start = max(now, first_turn_start(rotation))
        if start >= horizon:
            continue
        zone = ZoneInfo(rotation.timezone)
        node = ctx.rotations.get(key)
        later_hours_gaps = 0
        for gap_start, gap_end, away in gap_windows(config, key, start, horizon):
            if not away and gap_start >= start + _LISTED_HOURS_GAPS:
                later_hours_gaps += 1
                continue
            cause = "everyone on the team is away" if away else _HOURS_CAUSE
            ctx.problems.warning(
                node,
                f"rotation `{key}` has nobody on call from "
                f"{gap_start.astimezone(zone):%a %Y-%m-%d %H:%M} to {gap_end.astimezone(zone):%a %Y-%m-%d %H:%M}"
                f" ({rotation.timezone}): {cause}",
            )
        if later_hours_gaps:
            ctx.problems.warning(
                node,
                f"rotation `{key}` has {later_hours_gaps} more such gaps outside its restricted hours "
                f"until {horizon.astimezone(zone):%Y-%m-%d}, the same every week",
            )


def warn_rephasing(previous: Config, config: Config, ctx: Context, now: datetime) -> None:
    """Warn at each rotation whose new team or start hands turns, the current one included, to
    other people than `previous` did (see `oncall.schedule.rephase`)."""
    names = {key: person.name for key, person in {**previous.people, **config.people}.items()}
    for found in rephasings(previous, config, now):
        pin = pin_text(found) or 'phase: {at: "YYYY-MM-DD HH:MM", person: KEY}'
        ctx.problems.warning(
            ctx.rotations.get(found.rotation),
            f"rotation `{found.rotation}` re-phases: {headline(found, names)}; `config diff` shows "
            f"the next 4 weeks before and after; to keep the current order add `{pin}`",
        )
