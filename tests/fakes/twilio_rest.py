"""The REST side of the fake Twilio: records, error bodies and the HTTP handler.

Only what the paging adapter uses: create and fetch Messages and Calls under
/2010-04-01/Accounts/{AccountSid}/, HTTP Basic auth with the account SID and auth token,
form-encoded requests, and JSON answers and errors shaped like Twilio's.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from tests.fakes.twilio_server import FakeTwilio

API_VERSION = "2010-04-01"
E164 = re.compile(r"\+[1-9]\d{6,14}")
_ROUTE = re.compile(
    r"/2010-04-01/Accounts/(?P<account>[^/]+)/(?P<resource>Messages|Calls)"
    r"(?:/(?P<sid>[A-Za-z0-9]+))?\.json"
)
_ERROR_MESSAGES = {
    20003: "Authenticate",
    20404: "The requested resource was not found",
    20429: "Too Many Requests",
    20500: "Internal Server Error",
    20503: "Service Unavailable",
    21211: "The 'To' number {to} is not a valid phone number.",
    21408: "Permission to send an SMS has not been enabled for the region indicated by the "
    "'To' number: {to}.",
    21602: "Message body is required.",
    21604: "A 'To' phone number is required.",
    21603: "A 'From' phone number is required.",
    21205: "Url is not a valid URL.",
    21610: "Attempt to send to unsubscribed recipient",
    21612: "The 'To' phone number: {to}, is not currently reachable using the 'From' phone number via SMS.",
    21614: "'To' number {to} is not a valid mobile number",
}
_DEFAULT_CODE_FOR_STATUS = {400: 21211, 401: 20003, 404: 20404, 429: 20429, 503: 20503}


def new_sid(prefix: str) -> str:
    """A Twilio-looking SID: two letters and 32 hex digits."""
    return prefix + uuid.uuid4().hex


def rfc2822_now() -> str:
    """Now, as Twilio writes dates ("Mon, 02 Mar 2026 01:00:00 +0000")."""
    return format_datetime(datetime.now(UTC))


def error_body(status: int, code: int | None, message: str | None = None, to: str = "") -> dict:
    """A Twilio REST error: {code, message, more_info, status}."""
    code = code or _DEFAULT_CODE_FOR_STATUS.get(status, 20500)
    text = message or _ERROR_MESSAGES.get(code, "Error").format(to=to)
    return {
        "code": code,
        "message": text,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass
class FakeMessage:
    """An SMS the fake accepted: sent by REST, or as <Message> in a webhook answer."""

    sid: str
    to: str
    from_: str
    body: str
    status_callback: str | None
    via: str = "rest"  # "rest" | "twiml"
    status: str = "queued"
    params: dict[str, str] = field(default_factory=dict)
    consumed: bool = False

    def resource(self, account_sid: str) -> dict:
        """The Message resource as JSON."""
        now = rfc2822_now()
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "api_version": API_VERSION,
            "body": self.body,
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": self.from_,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "status": self.status,
            "subresource_uris": {},
            "to": self.to,
            "uri": f"/{API_VERSION}/Accounts/{account_sid}/Messages/{self.sid}.json",
        }


@dataclass
class FakeCall:
    """A call the fake accepted, and what happened on it so far."""

    sid: str
    to: str
    from_: str
    url: str
    method: str
    status_callback: str | None
    status_callback_method: str
    status_callback_events: list[str]
    machine_detection: str | None
    params: dict[str, str] = field(default_factory=dict)
    status: str = "queued"
    answered_by: str | None = None
    documents: list[str] = field(default_factory=list)  # every TwiML document received
    said: list[str] = field(default_factory=list)  # every <Say> text, in order
    digits: list[str] = field(default_factory=list)  # keys pressed
    consumed: bool = False

    def resource(self, account_sid: str) -> dict:
        """The Call resource as JSON."""
        now = rfc2822_now()
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "api_version": API_VERSION,
            "answered_by": self.answered_by,
            "date_created": now,
            "date_updated": now,
            "direction": "outbound-api",
            "duration": None,
            "end_time": None,
            "from": self.from_,
            "from_formatted": self.from_,
            "parent_call_sid": None,
            "price": None,
            "start_time": None,
            "status": self.status,
            "subresource_uris": {},
            "to": self.to,
            "to_formatted": self.to,
            "uri": f"/{API_VERSION}/Accounts/{account_sid}/Calls/{self.sid}.json",
        }


@dataclass(frozen=True)
class Rejected:
    """A REST request the fake answered with an error."""

    channel: str  # "sms" | "call"
    to: str
    params: dict[str, str]
    status: int  # HTTP status; 504 after a scripted timeout
    code: int | None


class RestHandler(BaseHTTPRequestHandler):
    # Headers and body go out in two writes; without this each answer waits ~40 ms for the
    # client's delayed ACK (Nagle), which made storms through the fake look slow.
    disable_nagle_algorithm = True
    """HTTP front of the fake; `self.server.fake` is the FakeTwilio that owns the state."""

    protocol_version = "HTTP/1.1"
    server_version = "FakeTwilio/1.0"

    @property
    def fake(self) -> FakeTwilio:
        return self.server.fake  # type: ignore[attr-defined]

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: test output should not fill with access logs."""

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        form = parse_qs(raw, keep_blank_values=True)
        match = _ROUTE.fullmatch(urlsplit(self.path).path)
        if not self._authorized():
            self._reply(401, error_body(401, 20003))
        elif match is None or match["account"] != self.fake.account_sid:
            self._reply(404, error_body(404, 20404))
        else:
            status, payload = self.fake.handle_rest(
                method, match["resource"], match["sid"], form, hold=self._hold
            )
            self._reply(status, payload)
            if status == 201:
                self.fake.after_rest_reply(payload)

    def _authorized(self) -> bool:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return user == self.fake.account_sid and password == self.fake.auth_token

    def _hold(self, seconds: float) -> None:
        """Keep the client waiting (a scripted timeout); released early when the fake stops."""
        self.fake.stopping.wait(seconds)

    def _reply(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a scripted timeout): nothing to answer
