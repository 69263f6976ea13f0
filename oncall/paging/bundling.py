"""The storm rule as plain data: which due pages go out now, together, and which wait (core).

At most one message per person per channel per `RATE_WINDOW`. A person's window on a channel
starts when a message is sent to her on it. Pages that fall due inside the window wait for its
end and then go out together as one message, however many there are. When the window's message
was a bundle (it stood for two or more alerts), the waiting pages also *join* it at once: its
reply code (`100a`) and the keys of its call act on them too, from the moment they fall due.
A page that joined a single-alert message's window is not joined to it (`12a` names one alert);
it goes out in the bundle at the window's end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

RATE_WINDOW = timedelta(minutes=1)


@dataclass(frozen=True)
class DueRow:
    """One due outbox row, with the state of its alert."""

    id: int
    person: str
    channel: str
    alert_id: int
    alert_status: str  # triggered | acknowledged | resolved
    cancel_if_acked: bool = False


@dataclass(frozen=True)
class LastMessage:
    """The last message sent to a person on a channel."""

    batch_id: int
    sent_at: datetime
    alerts: int  # how many alerts it stood for; more than one makes it a bundle others can join


@dataclass(frozen=True)
class Send:
    """One message to send now: `batch_id` names it, `row_ids` are the rows it carries."""

    person: str
    channel: str
    batch_id: int
    row_ids: tuple[int, ...]
    alert_ids: tuple[int, ...]


@dataclass(frozen=True)
class Wait:
    """Rows that wait for the end of their person's window; `join` is the bundle they join."""

    row_ids: tuple[int, ...]
    until: datetime
    join: int | None


@dataclass(frozen=True)
class SendPlan:
    sends: tuple[Send, ...] = ()
    waits: tuple[Wait, ...] = ()
    cancel: tuple[int, ...] = ()  # the alert is resolved, or acknowledged and the row asks to stop
    unknown_person: tuple[int, ...] = ()  # the person left the configuration


def is_moot(row: DueRow) -> bool:
    """A row whose page no longer needs to go out."""
    return row.alert_status == "resolved" or (row.cancel_if_acked and row.alert_status == "acknowledged")


def plan_sends(
    rows: Iterable[DueRow],
    last: Mapping[tuple[str, str], LastMessage | None],
    people: set[str],
    now: datetime,
    window: timedelta = RATE_WINDOW,
) -> SendPlan:
    """Decide, for due rows, what goes out now (one message per person and channel) and what waits."""
    groups: dict[tuple[str, str], list[DueRow]] = defaultdict(list)
    cancel: list[int] = []
    for row in rows:
        if is_moot(row):
            cancel.append(row.id)
        else:
            groups[(row.person, row.channel)].append(row)
    sends, waits, unknown = [], [], []
    for (person, channel), group in groups.items():
        ids = tuple(sorted(r.id for r in group))
        previous = last.get((person, channel))
        if previous is not None and previous.sent_at + window > now:
            join = previous.batch_id if previous.alerts > 1 else None
            waits.append(Wait(ids, previous.sent_at + window, join))
        elif person not in people:
            unknown.extend(ids)
        else:
            alert_ids = tuple(sorted({r.alert_id for r in group}))
            sends.append(Send(person, channel, ids[0], ids, alert_ids))
    return SendPlan(tuple(sends), tuple(waits), tuple(sorted(cancel)), tuple(unknown))
