"""Keeps the outbox leases of messages being sent alive while their sender lives.

A claimed message carries a short lease (`outbox.LEASE`, 10 s). While the provider call is in
flight, a thread of the sending process renews it every `RENEW_EVERY` seconds. A live sender
that waits on a slow provider is therefore never sent twice by another engine, and a sender
that died (SIGKILL, power cut) stops renewing: its lease runs out within `LEASE` and any engine
(the restarted one, or another instance) sends the message again. That repeat is the "at most
one duplicate" of a crash between the provider accepting a message and the outbox recording it.

The same rule works on SQLite and PostgreSQL, with one process or several hosts; a process-id or
boot-id check would not (a restarted container reuses both).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from oncall.clock import Clock
from oncall.db import Database
from oncall.paging import outbox

log = logging.getLogger("oncall.paging.leases")
RENEW_EVERY = 2.0  # seconds; a fifth of the lease, so a renewal may be late a few times


class LeaseKeeper:
    """Renews the leases of this process's in-flight messages from a daemon thread."""

    def __init__(self, db: Database, clock: Clock, every: float = RENEW_EVERY) -> None:
        self.db, self.clock, self.every = db, clock, every
        self._batches: dict[int, int] = {}  # batch id -> how many senders hold it
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None

    @contextmanager
    def holding(self, batch_ids: Iterable[int]) -> Iterator[None]:
        """Keep these messages' leases alive until the block ends."""
        ids = list(batch_ids)
        with self._lock:
            for batch_id in ids:
                self._batches[batch_id] = self._batches.get(batch_id, 0) + 1
        self._ensure_thread()
        try:
            yield
        finally:
            with self._lock:
                for batch_id in ids:
                    self._batches[batch_id] -= 1
                    if not self._batches[batch_id]:
                        del self._batches[batch_id]

    def held(self) -> list[int]:
        """The batch ids whose leases are being kept now."""
        with self._lock:
            return sorted(self._batches)

    def renew(self) -> int:
        """One renewal of every held lease; returns the rows renewed."""
        batch_ids = self.held()
        if not batch_ids:
            return 0
        with self.db.session() as session:
            return outbox.renew_leases(session, batch_ids, self.clock.now())

    def _ensure_thread(self) -> None:
        # A thread does not survive fork(): a gunicorn worker starts its own on first use.
        with self._lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="outbox-lease-keeper", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        stop = threading.Event()  # never set: the thread ends with the process
        while not stop.wait(self.every):
            try:
                self.renew()
            except Exception:  # the database is briefly unavailable: the next round tries again
                log.warning("could not renew outbox leases", exc_info=True)
