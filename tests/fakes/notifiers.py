"""A notifier for tests: records every page it is handed and fails when told to.

It implements `oncall.paging.providers.Notifier` like the console and Twilio notifiers, so the
engine pages it the way it pages Twilio; tests read what it saw (`sms_to`, `calls_to`) and
script failures (`fail_next`). Tests that need the real Twilio SDK use the fake Twilio server
in tests/fakes/twilio_server.py instead.
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

from oncall.paging.providers import Delivery, SentPage


@dataclass
class _ScriptedFailure:
    channel: str
    delivery: Delivery
    to: str | None
    remaining: int | None  # None: every time


@dataclass
class RecordingNotifier:
    """A notifier for unit tests: records every attempt and can be told to fail.

    notifier.fail_next("sms", retryable=True)                 # one 5xx-like failure
    notifier.fail_next("sms", permanent_sms_failure=True, to=kim.phone, times=None)
    notifier.sms_to(kim.phone)  -> ["[SEV-1 #1] ...", ...]
    """

    attempts: list[SentPage] = field(default_factory=list)
    _failures: list[_ScriptedFailure] = field(default_factory=list, init=False, repr=False)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1), init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def fail_next(
        self,
        channel: str,
        *,
        retryable: bool = False,
        permanent_sms_failure: bool = False,
        error: str = "scripted failure",
        error_code: int | None = None,
        status: str = "failed",
        to: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Make the next `times` sends on `channel` ("sms" | "call") fail (None: all of them),
        only those to `to` when given."""
        if channel not in ("sms", "call"):
            raise ValueError(f"channel must be 'sms' or 'call', not {channel!r}")
        delivery = Delivery.failed(
            error,
            retryable=retryable,
            permanent_sms_failure=permanent_sms_failure,
            status=status,
            error_code=error_code,
        )
        with self._lock:
            self._failures.append(_ScriptedFailure(channel, delivery, to, times))

    def clear_failures(self) -> None:
        """Forget every scripted failure."""
        with self._lock:
            self._failures.clear()

    @property
    def sms(self) -> list[SentPage]:
        """SMS that were accepted."""
        return [p for p in self.attempts if p.channel == "sms" and p.delivery.ok]

    @property
    def calls(self) -> list[SentPage]:
        """Calls that were accepted."""
        return [p for p in self.attempts if p.channel == "call" and p.delivery.ok]

    def sms_to(self, to: str) -> list[str]:
        """Bodies of the accepted SMS to `to`, oldest first."""
        return [p.content for p in self.sms if p.to == to]

    def calls_to(self, to: str) -> list[str]:
        """TwiML URLs of the accepted calls to `to`, oldest first."""
        return [p.content for p in self.calls if p.to == to]

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> Delivery:
        """Record the SMS; accept it unless a failure is scripted."""
        return self._attempt("sms", to, body, status_callback)

    def place_call(self, to: str, twiml_url: str, status_callback: str | None = None) -> Delivery:
        """Record the call; accept it unless a failure is scripted."""
        return self._attempt("call", to, twiml_url, status_callback)

    def _attempt(self, channel: str, to: str, content: str, callback: str | None) -> Delivery:
        with self._lock:
            delivery = self._take_failure(channel, to)
            if delivery is None:
                prefix = "SM" if channel == "sms" else "CA"
                delivery = Delivery.accepted(f"{prefix}{next(self._counter):032d}")
            self.attempts.append(SentPage(channel, to, content, callback, delivery))
        return delivery

    def _take_failure(self, channel: str, to: str) -> Delivery | None:
        for failure in self._failures:
            if failure.channel == channel and failure.to in (None, to):
                if failure.remaining is not None:
                    failure.remaining -= 1
                    if failure.remaining <= 0:
                        self._failures.remove(failure)
                return failure.delivery
        return None
