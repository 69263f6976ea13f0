"""Schedule: a rotation's next weeks as a calendar grid, overrides, and feed subscriptions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for

from oncall.calendar.events import FeedSubject
from oncall.calendar.tokens import feed_links, rotate_token
from oncall.overrides.service import OverrideError, active_overrides, create_override, delete_override
from oncall.schedule import shifts_between
from oncall.ui.auth import current_person
from oncall.wallclock import resolve_wall
from oncall.web.context import current_runtime

WEEKS_SHOWN = 4
MAX_REASON = 200  # the form's maxlength; checked here too, a browser is not the only client


def index():
    """The first rotation's schedule (most teams have one)."""
    rotations = list(current_runtime().config.rotations)
    if not rotations:
        abort(404)
    return redirect(url_for("ui.schedule", rotation=rotations[0]))


def page(rotation: str, links=None, status: int = 200):
    """The grid from the Monday of this week (or ?from=YYYY-MM-DD) for WEEKS_SHOWN weeks."""
    runtime = current_runtime()
    config = runtime.config
    if rotation not in config.rotations:
        abort(404)
    tz = ZoneInfo(config.rotations[rotation].timezone)
    now = runtime.clock.now()
    first = _first_day(request.args.get("from"), now.astimezone(tz).date())
    days = [first + timedelta(days=i) for i in range(WEEKS_SHOWN * 7)]
    start, end = _midnight(days[0], tz), _midnight(days[-1] + timedelta(days=1), tz)
    with runtime.db.session() as session:
        api_overrides = active_overrides(session)
    shifts = shifts_between(config, rotation, start, end, api_overrides)
    weeks = [[_cell(day, tz, shifts, now) for day in days[w * 7 : (w + 1) * 7]] for w in range(WEEKS_SHOWN)]
    overrides = sorted(
        (o for o in config.overrides + api_overrides if o.rotation == rotation and o.end > now),
        key=lambda o: o.start,
    )
    time_off = [
        (config.people[key], window)
        for key in config.rotations[rotation].team
        if key in config.people
        for window in config.people[key].unavailable
        if window.end > start and window.start < end
    ]
    return render_template(
        "schedule.html",
        rotation=rotation,
        rotations=list(config.rotations),
        weeks=weeks,
        overrides=overrides,
        time_off=time_off,
        rot_tz=str(tz),
        links=links,
        team=config.rotations[rotation].team,
        earlier=(first - timedelta(weeks=WEEKS_SHOWN)).isoformat(),
        later=(first + timedelta(weeks=WEEKS_SHOWN)).isoformat(),
        form=request.form,
    ), status


def create(rotation: str):
    """Create an override from the form; times are wall-clock in the rotation's time zone."""
    runtime = current_runtime()
    config = runtime.config
    if rotation not in config.rotations:
        abort(404)
    tz = ZoneInfo(config.rotations[rotation].timezone)
    reason = request.form.get("reason", "").strip()
    try:
        if len(reason) > MAX_REASON:
            raise OverrideError("reason", f"at most {MAX_REASON} characters")
        start = _wall(request.form.get("start", ""), tz, "start")
        end = _wall(request.form.get("end", ""), tz, "end")
        with runtime.db.session() as session:
            create_override(
                session,
                config,
                rotation=rotation,
                person=request.form.get("person", ""),
                start=start,
                end=end,
                reason=reason,
                by=f"web:{current_person()}",
                now=runtime.clock.now(),
            )
    except OverrideError as error:
        flash(f"Override not created: {error}", "error")
        return page(rotation, status=400)
    flash("Override created.")
    return redirect(
        url_for("ui.schedule", rotation=rotation, **{"from": start.astimezone(tz).date().isoformat()})
    )


def delete(rotation: str, override_id: int):
    """Remove an API override (YAML ones are removed by editing the YAML)."""
    runtime = current_runtime()
    try:
        with runtime.db.session() as session:
            delete_override(session, override_id, runtime.clock.now())
        flash("Override removed.")
    except OverrideError as error:
        flash(f"Override not removed: {error}", "error")
    return redirect(url_for("ui.schedule", rotation=rotation))


def subscribe(rotation: str):
    """Issue a fresh feed token for the rotation and show its links once (old links stop working)."""
    runtime = current_runtime()
    if rotation not in runtime.config.rotations:
        abort(404)
    with runtime.db.session() as session:
        token = rotate_token(session, FeedSubject("rotation", rotation), runtime.clock.now())
    return page(rotation, links=feed_links(runtime.settings.public_url, token))


def _cell(day: date, tz: ZoneInfo, shifts, now: datetime) -> dict:
    """One day of the grid: the pieces of the schedule that touch it, clipped to the day."""
    start, end = _midnight(day, tz), _midnight(day + timedelta(days=1), tz)
    pieces = []
    for shift in shifts:
        piece = shift.clipped(start, end)
        if piece is None:
            continue
        whole = piece.start == start and piece.end == end
        pieces.append(
            {
                "shift": piece,
                "whole_day": whole,
                "from": piece.start.astimezone(tz).strftime("%H:%M"),
                "to": piece.end.astimezone(tz).strftime("%H:%M") if piece.end != end else "24:00",
            }
        )
    return {"day": day, "today": start <= now < end, "pieces": pieces}


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return resolve_wall(datetime(day.year, day.month, day.day), tz)


def _first_day(text: str | None, today: date) -> date:
    try:
        chosen = date.fromisoformat(text) if text else today
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


def _wall(text: str, tz: ZoneInfo, field: str) -> datetime:
    try:
        wall = datetime.fromisoformat(text)
    except ValueError:
        raise OverrideError(field, f"{text!r} is not a date and time like 2026-03-20T18:00") from None
    return resolve_wall(wall.replace(tzinfo=None), tz)
