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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from oncall.alerts.actions import escalate
from oncall.alerts.models import Alert, AlertEvent
from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.escalation import steps
from oncall.escalation.followups import FOLLOW_UPS
from oncall.escalation.models import Escalation
from oncall.events import AlertsReceived, EngineTicked, EscalationStepped, EventBus, PageSent
from oncall.memory import release_free_memory
from oncall.overrides.service import active_overrides
from oncall.paging import outbox
from oncall.paging.channels import Sender, failure_reason, unreachable
from oncall.paging.lease_keeper import LeaseKeeper
from oncall.paging.models import SmsOptOut
from oncall.paging.providers import Delivery

log = logging.getLogger("oncall.engine")
BATCH = 200
TRIM_EVERY = 10.0  # seconds between heap trims while idle
MAX_SEND_PASSES = 10


@dataclass
class TickStats:
    steps: int = 0
    sent: int = 0
    failed: int = 0
    lags: list[float] = field(default_factory=list)


class Engine:
    """Runs escalation and sending; `tick()` is one pass, `kick()` asks for a pass right away."""

    def __init__(
        self,
        *,
        db: Database,
        clock: Clock,
        config: Callable[[], Config],
        senders: Mapping[str, Sender],
        events: EventBus,
        voice_delay: timedelta = timedelta(minutes=2),
    ) -> None:
        self.db, self.clock, self._config = db, clock, config
        self.senders = senders  # one per channel (oncall.paging.channels)
        self.events = events
        self.voice_delay = voice_delay
        self.last_tick: float | None = None  # time.monotonic() of the last finished tick
        self._trimmed_at = 0.0  # time.monotonic() of the last heap trim
        # time.monotonic() of the last finished tick, batch of steps or page: a long tick in a
        # storm keeps this fresh, a failing or hung one does not (`/readyz` reads it)
        self.last_progress: float | None = None
        self._lock = threading.Lock()
        self.kick_hook = None  # set by the scheduler adapter: wakes the tick job now
        # Set by the web edge in a serving process: waits (briefly, bounded) while this process
        # answers requests, so a burst of webhooks is stored first and paged right after.
        self.make_way: Callable[[], object] | None = None
        self.leases = LeaseKeeper(db, clock)
        # Run in the sending transaction before each claim: the layers above cancel pages that
        # became moot (the runtime adds the incidents' "notices of closed incidents").
        self.before_send: list[Callable[[Session], object]] = []

    @property
    def config(self) -> Config:
        """The configuration in force now (it can be reloaded between two ticks)."""
        return self._config()

    def kick(self) -> None:
        """Run a tick as soon as possible (a new alert is dispatched at once, not next tick)."""
        if self.kick_hook is not None:
            self.kick_hook()

    def wake_for(self, received: AlertsReceived) -> None:
        """An `AlertsReceived` subscriber: a new or resolved alert is dispatched at once."""
        if received.created or received.resolved:
            self.kick()

    def tick(self) -> TickStats:
        """One pass: due escalation steps, then due notifications. Safe to call concurrently.

        Publishes an `EngineTicked` when the pass ends, whether it finished or raised.
        """
        started = time.perf_counter()
        try:
            stats = self._tick()
        except Exception:
            self.events.publish(EngineTicked(False, time.perf_counter() - started, self.clock.now()))
            raise
        seconds = time.perf_counter() - started
        self.events.publish(EngineTicked(True, seconds, self.clock.now(), tuple(stats.lags)))
        self._give_back_memory(stats)
        return stats

    def _tick(self) -> TickStats:
        stats = TickStats()
        with self._lock:
            while True:
                self._make_way()
                now = self.clock.now()
                n = self._process_escalations(now, stats)
                if n < BATCH:
                    break
                self.last_progress = time.monotonic()  # a long pass (a storm) is still alive
            self._send_due(stats)
            self.last_tick = self.last_progress = time.monotonic()
        return stats

    def _give_back_memory(self, stats: TickStats) -> None:
        """Hand the heap pages a burst freed back to the system, after a pass that did work and
        otherwise every `TRIM_EVERY` seconds: the served worker then sits near its idle size."""
        now = time.monotonic()
        if not (stats.steps or stats.sent or stats.failed) and now - self._trimmed_at < TRIM_EVERY:
            return
        self._trimmed_at = now
        release_free_memory()

    def _make_way(self) -> None:
        if self.make_way is not None:
            self.make_way()

    # --- escalation ------------------------------------------------------------------------

    def _process_escalations(self, now: datetime, stats: TickStats) -> int:
        """Claim up to BATCH due escalations and process them in one transaction."""
        db = self.db
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
            paging = steps.Paging(
                self.config,
                now,
                overrides=tuple(active_overrides(session)),
                opted_out=set(session.scalars(select(SmsOptOut.person))),
                voice_delay=self.voice_delay,
            )
            states = {alert_id: steps.AlertState(a.status, a.severity) for alert_id, a in alerts.items()}
            plan = steps.plan_steps([_due(esc) for esc in rows], states, paging)
            stats.lags.extend((now - esc.next_at).total_seconds() for esc in rows)
            stats.steps += len(rows)
            self._write_steps(session, plan, {esc.alert_id: esc for esc in rows}, alerts, paging)
            return len(rows)

    def _write_steps(
        self, session: Session, plan: steps.StepPlan, escalations: dict, alerts: dict, paging: steps.Paging
    ) -> None:
        """Write a step plan: positions, escalation past gaps, outbox rows, timeline lines."""
        for move in plan.moves:
            esc = escalations[move.alert_id]
            esc.cursor, esc.next_at, esc.forced_cursor = move.cursor, move.next_at, move.forced_cursor
        for gap in plan.gaps:
            # `escalate` moves on from the last level paged, as it stood when the gap was met.
            esc = escalations[gap.alert_id]
            if gap.last is not None:
                esc.last_round, esc.last_level = gap.last
            escalate(
                session,
                paging.config,
                alerts[gap.alert_id],
                person=None,
                via="engine",
                now=paging.now,
                follow=FOLLOW_UPS,
            )
        for move in plan.moves:
            if move.last is not None:
                esc = escalations[move.alert_id]
                esc.last_round, esc.last_level = move.last
        for level in plan.stepped:
            self.events.publish(EscalationStepped(level))
        # Bulk inserts of plain values: a storm's thousands of rows cost no ORM object each. The
        # flush first writes what `escalate` added above, so the timeline keeps its order.
        session.flush()
        now = paging.now
        outbox.insert_pages(
            session, [{**vars(page), "status": "pending", "created_at": now} for page in plan.pages]
        )
        lines = [
            {
                "alert_id": line.alert_id,
                "at": now,
                "kind": line.kind,
                "person": line.person,
                "detail": line.detail,
            }
            for line in plan.lines
        ]
        if lines:
            session.connection().execute(insert(AlertEvent.__table__), lines)

    # --- sending ---------------------------------------------------------------------------

    def _send_due(self, stats: TickStats) -> None:
        db = self.db
        # A failure can make a fallback due at once (SMS -> voice); a few passes send those too,
        # without making way again: a fallback is as urgent as the page that failed.
        self._make_way()
        for _ in range(MAX_SEND_PASSES):
            now = self.clock.now()
            with db.session() as session:
                for hook in self.before_send:
                    hook(session)
                batch = outbox.claim_due(session, self.config, now, db.is_postgres)
            if not batch:
                return
            # A live sender keeps its short leases; a dead one's messages are sent again soon.
            with self.leases.holding(out.batch_id for out in batch):
                for out in batch:
                    self._send_one(out, stats)
                    self.last_progress = time.monotonic()

    def _send_one(self, out: outbox.Outgoing, stats: TickStats) -> None:
        delivery = self._deliver(out)
        now = self.clock.now()
        with self.db.session() as session:
            if delivery.ok:
                outbox.mark_sent(session, out, delivery.sid, now)
                stats.sent += 1
                self.events.publish(PageSent(out.channel, "sent"))
                return
            stats.failed += 1
            self.events.publish(PageSent(out.channel, "failed"))
            rows = outbox.mark_failed(session, out, delivery.error or delivery.status, now)
            reason = failure_reason(out.channel, delivery)
            outbox.after_failure(session, self.config, rows, reason, now, follow=FOLLOW_UPS)

    def _deliver(self, out: outbox.Outgoing) -> Delivery:
        """Hand `out` to its channel's sender; a sender that raises is a retryable failure."""
        sender = self.senders.get(out.channel)
        if sender is None:
            return Delivery.failed(f"no sender for channel {out.channel!r}", retryable=False)
        if out.address is None:  # the person's address was removed from the configuration meanwhile
            return Delivery.failed(unreachable(out.channel), retryable=False)
        try:
            return sender.send(out)
        except Exception as error:  # a sender must not raise; if one does, the page is not lost
            log.exception("the %s sender raised", out.channel)
            return Delivery.failed(f"{out.channel} sender error: {type(error).__name__}", retryable=True)


def _due(esc: Escalation) -> steps.DueEscalation:
    return steps.DueEscalation(
        esc.alert_id, esc.policy, esc.cursor, esc.started_at, esc.shift_seconds, esc.forced_cursor
    )
