"""The Twilio notifier: SMS and voice through the official SDK (adapter).

`api_url` (TWILIO_API_URL) sends every REST call to another base, e.g. the fake Twilio on
loopback in tests. The SDK has no setting for that (only Twilio edges and regions), so a
small HTTP client rewrites scheme, host and port of each URL before it is sent.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import requests
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from oncall.paging.providers import (
    ConsoleNotifier,
    Delivery,
    Notifier,
    is_permanent_sms_error,
    is_retryable_http_status,
)
from oncall.paging.redact import mask_phone, mask_phones_in_text

CALL_STATUS_EVENTS = ["initiated", "ringing", "answered", "completed"]
_log = logging.getLogger(__name__)


def rebase_url(url: str, base: str) -> str:
    """`url` with scheme and host taken from `base` (and `base`'s path as a prefix)."""
    target, new_base = urlsplit(url), urlsplit(base)
    path = new_base.path.rstrip("/") + target.path
    return urlunsplit((new_base.scheme, new_base.netloc, path, target.query, target.fragment))


class RebasedHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, sending every request to `base_url` instead of *.twilio.com."""

    def __init__(self, base_url: str, timeout: float | None = None) -> None:
        super().__init__(timeout=timeout, logger=logging.getLogger("oncall.paging.twilio_http"))
        self.base_url = base_url

    def request(
        self,
        method: str,
        url: str,
        *,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        """Send the request to the same path under `base_url` (the SDK passes all but two by name)."""
        return super().request(
            method,
            rebase_url(url, self.base_url),
            params=params,
            data=data,
            headers=headers,
            auth=auth,
            timeout=timeout,
            allow_redirects=allow_redirects,
        )


class TwilioNotifier:
    """Pages through Twilio: SMS, and calls with answering-machine detection.

    Never raises for a delivery problem: Twilio errors, timeouts and connection errors
    come back as a failed `Delivery` saying whether a retry can help.
    """

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str,
        *,
        api_url: str | None = None,
        timeout: float = 5.0,
        ring_timeout: int = 30,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self.from_number = from_number
        self.ring_timeout = ring_timeout
        if api_url:
            http_client = RebasedHttpClient(api_url, timeout=timeout)
        else:
            http_client = TwilioHttpClient(
                timeout=timeout, logger=logging.getLogger("oncall.paging.twilio_http")
            )
        self._client = Client(account_sid, auth_token, http_client=http_client)

    def send_sms(self, to: str, body: str, status_callback: str | None = None) -> Delivery:
        """Send one SMS; `status_callback` receives sent/delivered/undelivered/failed."""
        options: dict[str, str] = {}
        if status_callback:
            options["status_callback"] = status_callback
        try:
            message = self._client.messages.create(to=to, from_=self.from_number, body=body, **options)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Delivery
            return self._failure("sms", to, exc)
        return Delivery.accepted(message.sid, status=str(message.status or "queued"))

    def place_call(self, to: str, twiml_url: str, status_callback: str | None = None) -> Delivery:
        """Place one call; Twilio fetches its TwiML from `twiml_url` (POST) once answered."""
        options: dict[str, object] = {}
        if status_callback:
            options.update(
                status_callback=status_callback,
                status_callback_method="POST",
                status_callback_event=CALL_STATUS_EVENTS,
            )
        try:
            call = self._client.calls.create(
                to=to,
                from_=self.from_number,
                url=twiml_url,
                method="POST",
                machine_detection="Enable",
                timeout=self.ring_timeout,
                **options,
            )
        except Exception as exc:  # noqa: BLE001 - every failure becomes a Delivery
            return self._failure("call", to, exc)
        return Delivery.accepted(call.sid, status=str(call.status or "queued"))

    def _failure(self, channel: str, to: str, exc: Exception) -> Delivery:
        delivery = delivery_for_exception(channel, exc)
        _log.warning(
            "Twilio %s to %s failed: %s (retryable=%s)",
            channel,
            mask_phone(to),
            delivery.error,
            delivery.retryable,
        )
        return delivery


def delivery_for_exception(channel: str, exc: Exception) -> Delivery:
    """Translate what the SDK raised into a failed `Delivery` (channel "sms" or "call")."""
    if isinstance(exc, (TwilioRestException, TwilioServiceException)):
        code = exc.code if isinstance(exc.code, int) else None
        text = exc.msg if isinstance(exc, TwilioRestException) else (exc.detail or exc.title)
        return Delivery.failed(
            mask_phones_in_text(f"HTTP {exc.status}, Twilio error {code}: {text}"),
            retryable=is_retryable_http_status(int(exc.status)),
            permanent_sms_failure=channel == "sms" and is_permanent_sms_error(code),
            error_code=code,
        )
    if isinstance(exc, requests.Timeout):
        return Delivery.failed(f"timeout: {exc}", retryable=True, status="timeout")
    if isinstance(exc, requests.RequestException):
        return Delivery.failed(f"connection error: {exc}", retryable=True, status="error")
    if isinstance(exc, TwilioException):
        return Delivery.failed(f"Twilio client error: {exc}", retryable=False)
    return Delivery.failed(f"{type(exc).__name__}: {exc}", retryable=False, status="error")


def notifier_from_settings(settings, log: logging.Logger | None = None) -> Notifier:
    """Twilio when its credentials are set (oncall.settings.Settings), else the console."""
    if settings.twilio_configured:
        return TwilioNotifier(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            settings.twilio_from_number,
            api_url=settings.twilio_api_url,
            timeout=settings.twilio_timeout,
        )
    return ConsoleNotifier(log)
