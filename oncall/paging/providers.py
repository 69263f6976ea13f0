"""Who sends a page: the `Notifier` interface, its result, and the providers with no vendor.

Core: no Twilio import here, so the escalation engine and its tests depend on this module
alone. `TwilioNotifier` lives in `oncall.paging.twilio_provider`.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from oncall.paging.redact import mask_phone

# Twilio error codes meaning "this number cannot take SMS from us": fall back to voice
# rather than retrying. https://www.twilio.com/docs/api/errors
PERMANENT_SMS_ERROR_CODES: dict[int, str] = {
    21211: "invalid 'To' phone number",
    21408: "SMS to this region is not enabled",
    21610: "recipient unsubscribed (replied STOP)",
    21612: "'To' number not reachable via SMS",
    21614: "'To' number is not a mobile number",
    30005: "unknown destination handset",
    30006: "landline or unreachable carrier",
}


@dataclass(frozen=True)
class Delivery:
    """The outcome of handing one SMS or call to a provider.

    ok:          the provider accepted it (not: the phone received it; that arrives later
                 through the status callback).
    status:      the provider's status when accepted ("queued", "sent"), else "failed",
                 "timeout" or "error" (connection).
    retryable:   the same request may succeed later (5xx, 429, timeout, connection error).
    permanent_sms_failure: this number cannot take SMS; fall back to voice.
    """

    ok: bool
    sid: str | None
    status: str
    error: str | None = None
    retryable: bool = False
    permanent_sms_failure: bool = False
    error_code: int | None = None

    @classmethod
    def accepted(cls, sid: str, status: str = "queued") -> Delivery:
        """A successful hand-off."""
        return cls(ok=True, sid=sid, status=status)

    @classmethod
    def failed(
        cls,
        error: str,
        *,
        retryable: bool,
        permanent_sms_failure: bool = False,
        status: str = "failed",
        error_code: int | None = None,
    ) -> Delivery:
        """A hand-off that did not happen."""
        return cls(
            ok=False,
            sid=None,
            status=status,
            error=error,
            retryable=retryable,
            permanent_sms_failure=permanent_sms_failure,
            error_code=error_code,
        )


@runtime_checkable
class Notifier(Protocol):
    """Sends pages. Implementations never raise for a delivery problem; they return it."""

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> Delivery:
        """Send `body` to the E.164 number `to`."""
        ...

    def place_call(self, to: str, twiml_url: str, status_callback: str | None = None) -> Delivery:
        """Call `to`; the provider fetches the call's TwiML from `twiml_url`."""
        ...


def is_permanent_sms_error(code: int | None) -> bool:
    """True when a Twilio error code (REST answer or status callback ErrorCode) means
    the number cannot take SMS, so retrying SMS is pointless."""
    return code in PERMANENT_SMS_ERROR_CODES


def is_retryable_http_status(status: int) -> bool:
    """5xx and 429 (rate limited) may pass later; other 4xx will fail the same way again."""
    return status >= 500 or status == 429


@dataclass(frozen=True)
class SentPage:
    """One page a test or console notifier saw: channel "sms" or "call"."""

    channel: str
    to: str
    content: str  # the SMS body, or the TwiML URL of a call
    status_callback: str | None
    delivery: Delivery


class ConsoleNotifier:
    """Logs pages instead of sending them (no Twilio credentials: the laptop demo).

    The last `keep` pages stay in memory for the outbox page and for tests.
    """

    def __init__(self, log: logging.Logger | None = None, keep: int = 200) -> None:
        self._log = log or logging.getLogger("oncall.paging.console")
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._sent: deque[SentPage] = deque(maxlen=keep)

    @property
    def sent(self) -> list[SentPage]:
        """The most recent pages, oldest first."""
        with self._lock:
            return list(self._sent)

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> Delivery:
        """Log the SMS and report it accepted."""
        delivery = self._record("sms", to, body, status_callback)
        self._log.info("SMS to %s (%s): %s", mask_phone(to), delivery.sid, body)
        return delivery

    def place_call(self, to: str, twiml_url: str, status_callback: str | None = None) -> Delivery:
        """Log the call and report it accepted."""
        delivery = self._record("call", to, twiml_url, status_callback)
        self._log.info("Call to %s (%s): %s", mask_phone(to), delivery.sid, twiml_url)
        return delivery

    def _record(self, channel: str, to: str, content: str, callback: str | None) -> Delivery:
        with self._lock:
            delivery = Delivery.accepted(f"console-{next(self._counter)}", status="sent")
            self._sent.append(SentPage(channel, to, content, callback, delivery))
        return delivery


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
