"""Who sends a page: the `Notifier` interface, its result, and the providers with no vendor.

Core: no Twilio import here, so the escalation engine and its tests depend on this module
alone. `TwilioNotifier` lives in `oncall.paging.twilio_provider`.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections import deque
from dataclasses import dataclass
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
    """One page a notifier saw (the console's outbox page, the tests' recording double): "sms" or "call"."""

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
