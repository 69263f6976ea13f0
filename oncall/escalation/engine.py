"""The engine: every tick, process due escalation steps, then send what the outbox has due.

Deadlines live in the database, so the engine holds no state worth losing. On PostgreSQL due rows
are claimed with `SELECT ... FOR UPDATE SKIP LOCKED`; on SQLite (one writer at a time) the claim is
the write lock itself plus a compare-and-set on the cursor. Either way any number of engines can
run against one database without paging twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import escalate
from oncall.alerts.models import Alert, AlertEvent
from oncall.escalation import core
from oncall.escalation.models import Escalation
from oncall.overrides.service import active_overrides
from oncall.paging import outbox
from oncall.paging.lease_keeper import LeaseKeeper
from oncall.paging.models import SmsOptOut
from oncall.paging.providers import Notifier
from oncall.schedule.levels import levels_at
from oncall.services import Services

log = logging.getLogger("oncall.engine")
BATCH = 200
MAX_SEND_PASSES = 10


@dataclass
class _Batch:
    """What one batch of escalation steps shares: read once, written once."""

    overrides: tuple
    opted_out: set[str]
    targets: dict[str, list[list[str]]] = field(default_factory=dict)  # policy -> people per level
    notifications: list = field(default_factory=list)
    events: list = field(default_factory=list)


@dataclass
class TickStats:
    steps: int = 0
    sent: int = 0
    failed: int = 0
    lags: list[float] = field(default_factory=list)


class Engine:
    """Runs escalation and sending; `tick()` is one pass, `kick()` asks for a pass right away."""

    def __init__(
        self, services: Services, notifier: Notifier, voice_delay: timedelta = timedelta(minutes=2)
    ) -> None:
        self.services = services
        self.notifier = notifier
        self.voice_delay = voice_delay
        self.last_tick: float | None = None  # time.monotonic() of the last finished tick
        # time.monotonic() of the last finished tick, batch of steps or page: a long tick in a
        # storm keeps this fresh, a failing or hung one does not (`/readyz` reads it)
        self.last_progress: float | None = None
        self._lock = threading.Lock()
        self.kick_hook = None  # set by the scheduler adapter: wakes the tick job now
        self.leases = LeaseKeeper(services.db, services.clock)
        self.observers: list = []  # callables(event: str, **data) for metrics

    def kick(self) -> None:
        """Run a tick as soon as possible (a new alert is dispatched at once, not next tick)."""
        if self.kick_hook is not None:
            self.kick_hook()

    def tick(self) -> TickStats:
        """One pass: due escalation steps, then due notifications. Safe to call concurrently."""
        stats = TickStats()
        with self._lock:
            now = self.services.clock.now()
            while True:
                n = self._process_escalations(now, stats)
                if n < BATCH:
                    break
                self.last_progress = time.monotonic()  # a long pass (a storm) is still alive
            self._send_due(stats)
            self.last_tick = self.last_progress = time.monotonic()
        return stats

    # --- escalation ------------------------------------------------------------------------

    def _process_escalations(self, now: datetime, stats: TickStats) -> int:
        """Claim up to BATCH due escalations and process them in one transaction."""
        db = self.services.db
        with db.session() as session, session.no_autoflush:
            due = (Escalation.next_at.is_not(None), Escalation.next_at <= now)
            if not db.is_postgres:
                # Most ticks find nothing due: a read answers that without taking the write lock.
                if session.scalar(select(Escalation.alert_id).where(*due).limit(1)) is None:
                    return 0
                session.rollback()  # end the read so the write below starts on the newest data
                # SQLite has one writer: writing first takes the write lock for this whole
                # transaction, so a second engine waits and then sees these rows moved on.
                session.execute(
                    update(Escalation).where(*due).values(claimed_until=now),
                    execution_options={"synchronize_session": False},
                )
            query = select(Escalation).where(*due).order_by(Escalation.next_at).limit(BATCH)
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = list(session.scalars(query))
            if not rows:
                return 0
            alerts = {
                a.id: a
                for a in session.scalars(select(Alert).where(Alert.id.in_([e.alert_id for e in rows])))
            }
            batch = _Batch(
                overrides=active_overrides(session),
                opted_out=set(session.scalars(select(SmsOptOut.person))),
            )
            for esc in rows:
                stats.lags.append((now - esc.next_at).total_seconds())
                self._step(session, esc, alerts[esc.alert_id], now, batch)
                stats.steps += 1
            outbox.insert_new(session, batch.notifications)
            session.add_all(batch.events)
            return len(rows)

    def _step(self, session: Session, esc: Escalation, alert: Alert, now: datetime, batch: _Batch) -> None:
        config = self.services.config
        policy = config.escalations.get(esc.policy)
        if policy is None:
            batch.events.append(
                AlertEvent(
                    alert_id=alert.id,
                    at=now,
                    kind="escalation_stopped",
                    detail=f"policy {esc.policy!r} is no longer configured",
                )
            )
            esc.cursor, esc.next_at = None, None
            return
        shift = timedelta(seconds=esc.shift_seconds)
        decision = core.advance(
            policy, alert.status, esc.cursor, esc.started_at, shift, now, forced=esc.forced_cursor
        )
        esc.cursor, esc.next_at, esc.forced_cursor = decision.cursor, decision.next_at, None
        if not decision.notify:
            return
        if policy.key not in batch.targets:
            batch.targets[policy.key] = levels_at(config, policy.key, now, batch.overrides)
        targets = batch.targets[policy.key]
        for step in decision.notify:
            persons = targets[step.level]
            if step.renotify == 0:
                esc.last_round, esc.last_level = step.round, step.level
            kind = "renotify" if step.renotify else ("escalated" if (step.level or step.round) else "level")
            names = ", ".join(persons) or "nobody"
            batch.events.append(
                AlertEvent(
                    alert_id=alert.id,
                    at=now,
                    kind=kind,
                    detail=f"level {step.level + 1} round {step.round + 1}: {names}",
                )
            )
            for observer in self.observers:
                observer("escalation", level=step.level + 1)
            if not persons:
                # Nobody to page at this level (a gap): move on to the next level at once.
                escalate(session, config, alert, None, "engine", now)
                continue
            rows, events = outbox.plan_pages(
                config,
                alert,
                persons,
                step.level,
                step.round,
                step.renotify,
                now,
                self.voice_delay,
                batch.opted_out,
            )
            batch.notifications.extend(rows)
            batch.events.extend(events)

    # --- sending ---------------------------------------------------------------------------

    def _send_due(self, stats: TickStats) -> None:
        db = self.services.db
        # A failure can make a fallback due at once (SMS -> voice); a few passes send those too.
        for _ in range(MAX_SEND_PASSES):
            now = self.services.clock.now()
            with db.session() as session:
                batch = outbox.claim_due(session, self.services.config, now, db.is_postgres)
            if not batch:
                return
            # A live sender keeps its short leases; a dead one's messages are sent again soon.
            with self.leases.holding(out.batch_id for out in batch):
                for out in batch:
                    self._send_one(out, stats)
                    self.last_progress = time.monotonic()

    def _send_one(self, out: outbox.Outgoing, stats: TickStats) -> None:
        public = self.services.settings.public_url
        if out.channel == "sms":
            delivery = self.notifier.send_sms(out.phone, out.body, f"{public}/twilio/status/sms")
        else:
            delivery = self.notifier.place_call(
                out.phone, f"{public}/twilio/voice/{out.batch_id}", f"{public}/twilio/status/call"
            )
        now = self.services.clock.now()
        with self.services.db.session() as session:
            if delivery.ok:
                outbox.mark_sent(session, out, delivery.sid, now)
                stats.sent += 1
                for observer in self.observers:
                    observer("page", channel=out.channel, outcome="sent")
                return
            stats.failed += 1
            for observer in self.observers:
                observer("page", channel=out.channel, outcome="failed")
            rows = outbox.mark_failed(session, out, delivery.error or delivery.status, now)
            reason = (
                "permanent"
                if delivery.permanent_sms_failure
                else ("retryable" if delivery.retryable else "rejected")
            )
            outbox.after_failure(session, self.services.config, rows, reason, now)
