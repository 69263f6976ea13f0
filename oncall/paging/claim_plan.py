"""What one sending pass writes to the outbox rows it read, as plain data (pure; no I/O).

`claim_due` reads the due rows (pending and due, or claimed by a sender whose lease ran out),
the last message of each person and channel, and asks `plan_claim`. The storm rule itself is
`bundling.plan_sends`; this adds what each decision writes: a moot page is cancelled, a page for
a person who left the configuration fails with that reason, a page inside its person's window
waits for the window's end (and joins the window's bundle), and a page that goes out now is
claimed by this sender under a short lease. Only the message text (it needs a reply code from
the store) is left to the executor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from oncall.paging.bundling import RATE_WINDOW, DueRow, LastMessage, Send, plan_sends

# A claimed message belongs to its sender while the lease runs; a live sender renews it (see
# LeaseKeeper), so only a dead sender's message is claimed again, and soon.
LEASE = timedelta(seconds=10)


@dataclass(frozen=True)
class RowUpdate:
    """Set `values` on the outbox rows `row_ids` (only on those not yet attached, if asked)."""

    row_ids: tuple[int, ...]
    values: Mapping[str, Any] = field(default_factory=dict)
    only_unattached: bool = False


@dataclass(frozen=True)
class ClaimPlan:
    updates: tuple[RowUpdate, ...] = ()  # cancels, failures, waits and joins
    sends: tuple[Send, ...] = ()  # one message each, to compose and send now
    claims: tuple[RowUpdate, ...] = ()  # one per send, in order: its rows, claimed under a lease


def plan_claim(
    rows: Iterable[DueRow],
    last: Mapping[tuple[str, str], LastMessage | None],
    people: set[str],
    now: datetime,
    *,
    lease: timedelta = LEASE,
    window: timedelta = RATE_WINDOW,
) -> ClaimPlan:
    """Decide what a sending pass writes for `rows`: cancel, fail, wait (and join), or claim and send."""
    rows = list(rows)
    person_of = {r.id: r.person for r in rows}
    plan = plan_sends(rows, last, people, now, window)
    updates = []
    if plan.cancel:
        updates.append(RowUpdate(plan.cancel, {"status": "cancelled"}))
    updates.extend(
        RowUpdate(
            (row_id,),
            {"status": "failed", "error": f"person {person_of[row_id]!r} is no longer in the configuration"},
        )
        for row_id in plan.unknown_person
    )
    for wait in plan.waits:
        updates.append(
            RowUpdate(wait.row_ids, {"status": "pending", "due_at": wait.until, "lease_until": None})
        )
        if wait.join is not None:
            updates.append(RowUpdate(wait.row_ids, {"attached_to": wait.join}, only_unattached=True))
    claims = tuple(
        RowUpdate(send.row_ids, {"status": "sending", "lease_until": now + lease, "batch_id": send.batch_id})
        for send in plan.sends
    )
    return ClaimPlan(tuple(updates), plan.sends, claims)
