"""Maintenance windows in the store: start, list and end ad hoc windows; what the intake asks.

Ad hoc windows are rows (`maintenance_windows`); YAML windows come from the configuration in
force. Both are listed together; only ad hoc ones can be ended early. Ending one releases the
alerts it held at once: their escalation, waiting for the window's end, is due now (its levels'
`after` counted from now). The window's end is a compare-and-set, so when two instances end one
window at once, one releases and the other is told it already ended; and the escalation rows'
own claim makes each level page once whichever engine runs it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from oncall.alerts.hold_models import AlertHold
from oncall.alerts.holds import HoldLookup
from oncall.config.maintenance_sections import REASON_MAX
from oncall.config.model import Config
from oncall.maintenance.errors import InvalidWindow, WindowAlreadyEnded, WindowInYaml, WindowNotFound
from oncall.maintenance.matching import ENDED, Window, from_config, hold_lookup
from oncall.maintenance.models import MaintenanceWindow
from oncall.maintenance.release import release_held

MAX_LABELS = 20
MAX_LABEL_NAME = 100
MAX_LABEL_VALUE = 300
MAX_REASON = REASON_MAX  # one limit for YAML and ad hoc windows: what the database keeps
MAX_CREATED_BY = 100
LONGEST = timedelta(days=31)  # longer is a typo, or work that wants a YAML window


def start_window(
    session: Session,
    *,
    match: Mapping[str, str],
    match_all: bool = False,
    starts_at: datetime,
    ends_at: datetime | None = None,
    length: timedelta | None = None,
    reason: str,
    created_by: str,
    now: datetime,
) -> Window:
    """Store a new ad hoc window (the caller commits). Raises `InvalidWindow` saying what to fix.

    It ends at `ends_at` or `length` after it starts: one of them.
    """
    if (length is None) == (ends_at is None):
        raise InvalidWindow("give either `duration` (e.g. 2h) or `ends_at`, one of them", "duration")
    if ends_at is None:
        ends_at = starts_at + length
    labels = _checked_match(match, match_all)
    reason = reason.strip()
    if not reason:
        raise InvalidWindow("a maintenance window needs a reason (what work is planned)", "reason")
    if len(reason) > MAX_REASON:
        raise InvalidWindow(f"the reason is longer than {MAX_REASON} characters", "reason")
    if ends_at <= starts_at:
        raise InvalidWindow("the window must end after it starts", "ends_at")
    if ends_at - starts_at > LONGEST:
        raise InvalidWindow("a maintenance window lasts at most 31 days", "ends_at")
    if ends_at <= now:
        raise InvalidWindow("the window would already be over: its end is in the past", "ends_at")
    row = MaintenanceWindow(
        match=json.dumps(labels, sort_keys=True),
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=created_by[:MAX_CREATED_BY],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return window_of(row)


def _checked_match(match: Mapping[str, str], match_all: bool) -> dict[str, str]:
    if match_all and match:
        raise InvalidWindow("give labels to match or match_all, not both", "match")
    if not match and not match_all:
        raise InvalidWindow(
            "a maintenance window needs labels to match (e.g. service=payments); "
            "to hold every alert, say so with match_all",
            "match",
        )
    if len(match) > MAX_LABELS:
        raise InvalidWindow(f"at most {MAX_LABELS} labels to match", "match")
    for name, value in match.items():
        if not name or len(name) > MAX_LABEL_NAME or len(value) > MAX_LABEL_VALUE:
            raise InvalidWindow(
                f"label names are 1 to {MAX_LABEL_NAME} characters, values at most {MAX_LABEL_VALUE}",
                "match",
            )
    return dict(match)


def window_of(row: MaintenanceWindow) -> Window:
    """A stored window in the common shape."""
    match = tuple(sorted(json.loads(row.match).items()))
    return Window(
        str(row.id),
        match,
        row.starts_at,
        row.ends_at,
        row.reason,
        created_by=row.created_by,
        created_at=row.created_at,
        ended_at=row.ended_at,
    )


def list_windows(
    session: Session, config: Config, now: datetime, *, include_ended: bool = False
) -> list[Window]:
    """YAML and ad hoc windows, soonest first: those not over yet, or every one with `include_ended`."""
    query = select(MaintenanceWindow)
    if not include_ended:
        query = query.where(MaintenanceWindow.ended_at.is_(None), MaintenanceWindow.ends_at > now)
    windows = [from_config(window) for window in config.maintenance]
    windows += [window_of(row) for row in session.scalars(query)]
    if not include_ended:
        windows = [window for window in windows if window.state(now) != ENDED]
    return sorted(windows, key=lambda window: (window.start, window.id))


def held_counts(session: Session, keys: list[str]) -> dict[str, int]:
    """How many alerts each window (by id) held or marked so far."""
    if not keys:
        return {}
    query = (
        select(AlertHold.window_key, func.count())
        .where(AlertHold.window_key.in_(keys))
        .group_by(AlertHold.window_key)
    )
    return {key: count for key, count in session.execute(query).all()}


def find_window(session: Session, config: Config, window_id: str) -> Window:
    """One window by id ("3" or "yaml:0"); `WindowNotFound` otherwise."""
    if window_id.startswith("yaml:"):
        for window in config.maintenance:
            if window.id == window_id:
                return from_config(window)
        raise WindowNotFound(window_id)
    row = session.get(MaintenanceWindow, _number(window_id))
    if row is None:
        raise WindowNotFound(window_id)
    return window_of(row)


def _number(window_id: str) -> int:
    if not window_id.isdigit() or len(window_id) > 12:
        raise WindowNotFound(window_id)
    return int(window_id)


def end_window(
    session: Session, config: Config, window_id: str, now: datetime, *, by: str
) -> tuple[Window, int]:
    """End an ad hoc window now (the caller commits): the window, and how many held alerts page now.

    A YAML window is `WindowInYaml`; one already over is `WindowAlreadyEnded`.
    """
    window = find_window(session, config, window_id)
    if window.in_yaml:
        raise WindowInYaml(window_id)
    if window.state(now) == ENDED:
        raise WindowAlreadyEnded(f"maintenance window {window_id} already ended at {window.ends.isoformat()}")
    ended = session.execute(
        update(MaintenanceWindow)
        .where(MaintenanceWindow.id == int(window.id), MaintenanceWindow.ended_at.is_(None))
        .values(ended_at=now),
        execution_options={"synchronize_session": False},
    )
    if ended.rowcount != 1:  # another instance ended it a moment ago
        raise WindowAlreadyEnded(f"maintenance window {window_id} was just ended by someone else")
    released = release_held(session, config, window.id, now, why=f"was ended early by {by}")
    return find_window(session, config, window_id), released


def holds_for(session: Session, config: Config, now: datetime) -> HoldLookup:
    """What the intake asks of each arriving alert: the window (YAML or ad hoc) holding it now.

    The windows are read on the first question, so a webhook that creates no alert (repeats,
    resolutions: most of them) costs no query.
    """
    read: list[HoldLookup] = []

    def lookup(labels):
        if not read:
            read.append(_active_windows(session, config, now))
        return read[0](labels)

    return lookup


def _active_windows(session: Session, config: Config, now: datetime) -> HoldLookup:
    rows = session.scalars(
        select(MaintenanceWindow).where(
            MaintenanceWindow.starts_at <= now,
            MaintenanceWindow.ends_at > now,
            MaintenanceWindow.ended_at.is_(None),
        )
    )
    windows = [from_config(window) for window in config.maintenance]
    windows += [window_of(row) for row in rows]
    return hold_lookup(windows, now)


def marks_of(session: Session, alert_ids: list[int]) -> dict[int, AlertHold]:
    """The maintenance window each of these alerts arrived in (those that arrived in one)."""
    if not alert_ids:
        return {}
    rows = session.scalars(select(AlertHold).where(AlertHold.alert_id.in_(alert_ids)))
    return {row.alert_id: row for row in rows}


def mark_json(mark: AlertHold | None) -> dict | None:
    """A window mark as the API shows it on an alert; None for an alert in no window."""
    if mark is None:
        return None
    return {
        "window": mark.window_key,
        "reason": mark.reason,
        "until": mark.until.isoformat(),
        "held": mark.held,
    }
