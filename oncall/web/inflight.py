"""Requests in flight in this process, so the engine's thread can make way for them.

The engine runs in a thread of the worker that also answers the webhooks: both want the GIL and
SQLite's one write lock. A burst of webhooks is answered first and paged right after (the pages
of a burst go out as one bundle per person anyway); at any other time the engine runs at once.
`InFlight` wraps the WSGI app and counts the requests being answered; `wait_for_quiet` returns
when none has been answered for `quiet` seconds, or after `at_most` seconds, whichever is first.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

from werkzeug.wsgi import ClosingIterator

QUIET = 0.01  # seconds without a request before the engine goes on
AT_MOST = 0.25  # seconds the engine waits at most, however busy the worker is


class InFlight:
    """WSGI middleware counting the requests in flight; `wait_for_quiet` is the engine's side."""

    def __init__(self, app: Callable, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.app = app
        self._clock = clock
        self._count = 0
        self._last_end = float("-inf")
        self._changed = threading.Condition()

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        """Count the request until its answer is written (the server closes the iterable)."""
        self._enter()
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._leave()
            raise
        return ClosingIterator(body, [self._leave])

    @property
    def count(self) -> int:
        """Requests being answered now."""
        return self._count

    def wait_for_quiet(self, at_most: float = AT_MOST, quiet: float = QUIET) -> bool:
        """Wait until no request has been in flight for `quiet` seconds, at most `at_most` seconds.

        True when it went quiet, False when the time ran out (the caller goes on either way).
        """
        deadline = self._clock() + at_most
        with self._changed:
            while True:
                now = self._clock()
                if self._count == 0 and now - self._last_end >= quiet:
                    return True
                if now >= deadline:
                    return False
                wait = deadline - now if self._count else min(quiet - (now - self._last_end), deadline - now)
                self._changed.wait(wait)

    def _enter(self) -> None:
        with self._changed:
            self._count += 1

    def _leave(self) -> None:
        with self._changed:
            self._count -= 1
            self._last_end = self._clock()
            self._changed.notify_all()
