"""A fake Twilio on 127.0.0.1 that the real Twilio SDK can talk to.

    with FakeTwilio(public_url=app_public_url) as fake:        # or the `fake_twilio` fixture
        settings = Settings.from_env(TWILIO_API_URL=fake.base_url, ...)
        ...                                                    # the service pages someone
        page = fake.expect_sms("+821012345601", "HighErrorRate")
        fake.send_sms("+821012345601", "12a")                 # a signed inbound reply
        fake.expect_sms("+821012345601", "Acknowledged #12")

REST: POST/GET Messages and Calls (Basic auth with account SID and token; Twilio-shaped
JSON and errors). Scripted failures: `fail_next("sms", status=400, code=21614)`,
`fail_next("call", status=500)`, `fail_next("sms", timeout=True)`, per number with `to=`.
`stall_next("sms", hold=30)`: the message is accepted and recorded, the answer comes late.
Calls do nothing until a test drives them: `answer(call, press="1")`,
`answer_by_machine(call)`, `no_answer(call)`. SMS status callbacks: `deliver(message)`,
`undeliver(message, error_code=30003)`, or automatically with `auto_sms_statuses`.
Every webhook is signed with the auth token over the *public* URL (what the service's
ONCALL_PUBLIC_URL forms), and sent to the service's real address via `route`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from typing import Self, TypeVar

from tests.fakes.twilio_calls import CallDriving
from tests.fakes.twilio_rest import (
    API_VERSION,
    E164,
    FakeCall,
    FakeMessage,
    Rejected,
    RestHandler,
    error_body,
    new_sid,
)
from tests.fakes.twilio_webhooks import WebhookResult, WebhookSender
from tests.fakes.waiting import DEFAULT_TIMEOUT, wait_until

__all__ = ["FakeCall", "FakeMessage", "FakeTwilio", "Rejected", "WebhookResult", "wait_until"]

T = TypeVar("T")
OPT_OUT_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"}
OPT_IN_WORDS = {"START", "YES", "UNSTOP"}
DEFAULT_HOLD = 10.0  # seconds a scripted timeout keeps the client waiting


@dataclass
class _Failure:
    channel: str
    status: int
    code: int | None
    message: str | None
    to: str | None
    timeout: bool
    hold: float
    remaining: int | None


class FakeTwilio(CallDriving):
    """A threaded fake Twilio REST API on an ephemeral loopback port."""

    def __init__(
        self,
        account_sid: str = "AC" + "0123456789abcdef" * 2,
        auth_token: str = "fake-auth-token",
        phone_number: str = "+15005550006",
        public_url: str | None = None,
        service_url: str | None = None,
        auto_sms_statuses: Iterable[str] = (),
        honour_opt_out: bool = True,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.phone_number = phone_number
        self.public_url: str | None = None
        self.auto_sms_statuses = tuple(auto_sms_statuses)
        self.honour_opt_out = honour_opt_out
        self.messages: list[FakeMessage] = []
        self.calls: list[FakeCall] = []
        self.rejected: list[Rejected] = []
        self.opted_out: set[str] = set()
        self.webhooks = WebhookSender(auth_token)
        self.stopping = threading.Event()
        self._failures: list[_Failure] = []
        self._stalls: list[_Failure] = []  # accepted, then answered late
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        if public_url:
            self.connect(public_url, service_url)

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        """Listen on 127.0.0.1 on a free port, serving from a daemon thread."""
        server = ThreadingHTTPServer(("127.0.0.1", 0), RestHandler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; requests held by a scripted timeout are let go at once."""
        self.stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The REST base to give the service as TWILIO_API_URL."""
        if self._server is None:
            raise RuntimeError("FakeTwilio is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def connect(self, public_url: str, service_url: str | None = None) -> None:
        """Webhooks are signed for `public_url` (ONCALL_PUBLIC_URL) and, when the service
        really listens elsewhere, sent to `service_url` instead."""
        self.public_url = public_url.rstrip("/")
        if service_url and service_url.rstrip("/") != self.public_url:
            self.webhooks.route(self.public_url, service_url)

    @property
    def sms_webhook_url(self) -> str | None:
        """Where inbound SMS go: the service's /twilio/sms under its public URL."""
        return f"{self.public_url}/twilio/sms" if self.public_url else None

    # -- scripted failures -----------------------------------------------------------------

    def fail_next(
        self,
        channel: str,
        status: int = 400,
        code: int | None = None,
        *,
        to: str | None = None,
        times: int | None = 1,
        message: str | None = None,
        timeout: bool = False,
        hold: float = DEFAULT_HOLD,
    ) -> None:
        """Make the next `times` requests on `channel` ("sms" | "call") fail, globally or only
        those to `to`; `times=None` fails all of them. With `timeout`, the request is held
        `hold` seconds (longer than the client waits) and gets no useful answer."""
        if channel not in ("sms", "call"):
            raise ValueError(f"channel must be 'sms' or 'call', not {channel!r}")
        with self._lock:
            self._failures.append(_Failure(channel, status, code, message, to, timeout, hold, times))

    def clear_failures(self) -> None:
        """Forget every scripted failure (and stall)."""
        with self._lock:
            self._failures.clear()
            self._stalls.clear()

    def stall_next(self, channel: str, hold: float, *, to: str | None = None, times: int | None = 1) -> None:
        """Accept and record the next `times` requests on `channel` ("sms" | "call"), globally or
        only those to `to`, then hold the answer `hold` seconds: a slow Twilio, or, when the
        service is killed meanwhile, a message sent that the service never learnt about."""
        if channel not in ("sms", "call"):
            raise ValueError(f"channel must be 'sms' or 'call', not {channel!r}")
        with self._lock:
            self._stalls.append(_Failure(channel, 201, None, None, to, False, hold, times))

    def _take_stall(self, channel: str, to: str) -> _Failure | None:
        return self._take_from(self._stalls, channel, to)

    def _take_failure(self, channel: str, to: str) -> _Failure | None:
        return self._take_from(self._failures, channel, to)

    def _take_from(self, scripted: list[_Failure], channel: str, to: str) -> _Failure | None:
        with self._lock:
            for failure in scripted:
                if failure.channel == channel and failure.to in (None, to):
                    if failure.remaining is not None:
                        failure.remaining -= 1
                        if failure.remaining <= 0:
                            scripted.remove(failure)
                    return failure
        return None

    # -- REST (called by RestHandler on a server thread) -------------------------------------

    def handle_rest(
        self,
        method: str,
        resource: str,
        sid: str | None,
        form: dict[str, list[str]],
        hold: Callable[[float], None],
    ) -> tuple[int, dict]:
        """Answer one authenticated REST request: (HTTP status, JSON body)."""
        params = {key: values[0] for key, values in form.items()}
        records = self.messages if resource == "Messages" else self.calls
        if sid is not None:
            with self._lock:
                found = next((r for r in records if r.sid == sid), None)
            if found is None:
                return 404, error_body(404, 20404)
            if method == "POST" and isinstance(found, FakeCall) and params.get("Status"):
                found.status = params["Status"]
            return 200, found.resource(self.account_sid)
        if method != "POST":
            return 405, error_body(405, 20004, "Method not allowed")
        channel = "sms" if resource == "Messages" else "call"
        to = params.get("To", "")
        status, payload = self._refusal(channel, to, params, hold)
        if status:
            with self._lock:
                self.rejected.append(Rejected(channel, to, params, status, payload.get("code")))
            return status, payload
        if channel == "sms":
            created = self._create_message(params).resource(self.account_sid)
        else:
            created = self._create_call(params, form).resource(self.account_sid)
        stall = self._take_stall(channel, to)
        if stall is not None:
            hold(stall.hold)  # accepted and recorded; the answer is late (or never comes)
        return 201, created

    def _refusal(
        self, channel: str, to: str, params: dict[str, str], hold: Callable[[float], None]
    ) -> tuple[int, dict]:
        """(0, {}) when the request is fine, else the error Twilio would answer."""
        failure = self._take_failure(channel, to)
        if failure is not None and failure.timeout:
            hold(failure.hold)
            return 504, error_body(504, 20500, "Gateway Timeout (scripted)")
        if failure is not None:
            return failure.status, error_body(failure.status, failure.code, failure.message, to)
        if not to:
            return 400, error_body(400, 21604)
        if not E164.fullmatch(to):
            return 400, error_body(400, 21211, to=to)
        if not params.get("From"):
            return 400, error_body(400, 21603)
        if channel == "sms" and not params.get("Body"):
            return 400, error_body(400, 21602)
        if channel == "sms" and self.honour_opt_out and to in self.opted_out:
            return 400, error_body(400, 21610)
        if channel == "call" and not (params.get("Url") or params.get("Twiml")):
            return 400, error_body(400, 21205)
        return 0, {}

    def _create_message(self, params: dict[str, str]) -> FakeMessage:
        message = FakeMessage(
            sid=new_sid("SM"),
            to=params["To"],
            from_=params["From"],
            body=params["Body"],
            status_callback=params.get("StatusCallback"),
            params=params,
        )
        with self._lock:
            self.messages.append(message)
        return message

    def after_rest_reply(self, payload: dict) -> None:
        """Called once a REST answer is on the wire: start automatic status callbacks, on
        their own thread so the service is free to call the API again meanwhile."""
        sid = str(payload.get("sid", ""))
        if not (self.auto_sms_statuses and sid.startswith("SM")):
            return
        with self._lock:
            message = next((m for m in self.messages if m.sid == sid), None)
        if message is not None and message.status == "queued":
            threading.Thread(target=self._auto_status, args=(message,), daemon=True).start()

    def _auto_status(self, message: FakeMessage) -> None:
        for status in self.auto_sms_statuses:
            if self.stopping.is_set():
                return
            self.sms_status(message, status)

    def _create_call(self, params: dict[str, str], form: dict[str, list[str]]) -> FakeCall:
        call = FakeCall(
            sid=new_sid("CA"),
            to=params["To"],
            from_=params["From"],
            url=params.get("Url", ""),
            method=(params.get("Method") or "POST").upper(),
            status_callback=params.get("StatusCallback"),
            status_callback_method=(params.get("StatusCallbackMethod") or "POST").upper(),
            status_callback_events=form.get("StatusCallbackEvent") or ["completed"],
            machine_detection=params.get("MachineDetection"),
            params=params,
        )
        with self._lock:
            self.calls.append(call)
        return call

    # -- SMS: inbound and status callbacks ------------------------------------------------

    def send_sms(
        self,
        from_number: str,
        body: str,
        *,
        to: str | None = None,
        webhook_url: str | None = None,
    ) -> WebhookResult:
        """A person texts the service: a signed POST to the inbound SMS webhook.

        <Message> replies in the answer are recorded as SMS to `from_number`, as Twilio
        would send them. STOP/START words update `opted_out` like Twilio's opt-out handling.
        """
        url = webhook_url or self.sms_webhook_url
        if url is None:
            raise ValueError("no webhook URL: pass webhook_url= or connect(public_url)")
        if url.startswith("/"):
            url = f"{self.public_url}{url}"
        to = to or self.phone_number
        keyword = body.strip().upper()
        if keyword in OPT_OUT_WORDS:
            self.opted_out.add(from_number)
        elif keyword in OPT_IN_WORDS:
            self.opted_out.discard(from_number)
        sid = new_sid("SM")
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "Body": body,
            "From": from_number,
            "MessageSid": sid,
            "NumMedia": "0",
            "NumSegments": "1",
            "SmsMessageSid": sid,
            "SmsSid": sid,
            "SmsStatus": "received",
            "To": to,
        }
        result = self.webhooks.send(url, params)
        if not (self.honour_opt_out and from_number in self.opted_out):
            for text in result.messages:
                with self._lock:
                    self.messages.append(FakeMessage(new_sid("SM"), from_number, to, text, None, via="twiml"))
        return result

    def sms_status(
        self, message: FakeMessage, status: str, error_code: int | None = None
    ) -> WebhookResult | None:
        """Move `message` to `status` and post the signed status callback, if it asked for one."""
        message.status = status
        if not message.status_callback:
            return None
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "From": message.from_,
            "MessageSid": message.sid,
            "MessageStatus": status,
            "SmsSid": message.sid,
            "SmsStatus": status,
            "To": message.to,
        }
        if error_code is not None:
            params["ErrorCode"] = str(error_code)
        return self.webhooks.send(message.status_callback, params)

    def deliver(self, message: FakeMessage) -> None:
        """Status callbacks `sent`, then `delivered`."""
        self.sms_status(message, "sent")
        self.sms_status(message, "delivered")

    def undeliver(self, message: FakeMessage, error_code: int = 30003) -> None:
        """Status callbacks `sent`, then `undelivered` with `ErrorCode`."""
        self.sms_status(message, "sent")
        self.sms_status(message, "undelivered", error_code)

    # -- expectations --------------------------------------------------------------------

    def expect_sms(self, to: str, *contains: str, timeout: float = DEFAULT_TIMEOUT) -> FakeMessage:
        """Wait for an SMS to `to` containing every string of `contains` that no earlier
        expectation took; take it and return it."""

        def find() -> FakeMessage | None:
            with self._lock:
                for message in self.messages:
                    if (
                        not message.consumed
                        and message.to == to
                        and all(part in message.body for part in contains)
                    ):
                        message.consumed = True
                        return message
            return None

        return wait_until(find, timeout, what=f"an SMS to {to} containing {contains!r}")

    def expect_call(self, to: str, timeout: float = DEFAULT_TIMEOUT) -> FakeCall:
        """Wait for a call to `to` that no earlier expectation took; take it and return it."""

        def find() -> FakeCall | None:
            with self._lock:
                for call in self.calls:
                    if not call.consumed and call.to == to:
                        call.consumed = True
                        return call
            return None

        return wait_until(find, timeout, what=f"a call to {to}")

    def unexpected(self, to: str | None = None) -> list[FakeMessage | FakeCall]:
        """SMS and calls (to `to`, or to anyone) that no expectation took."""
        with self._lock:
            pages: list[FakeMessage | FakeCall] = [*self.messages, *self.calls]
            return [p for p in pages if not p.consumed and to in (None, p.to)]

    def assert_no_pages(self, to: str | None = None) -> None:
        """Fail when any SMS or call (to `to`) was not taken by an expectation."""
        left = self.unexpected(to)
        assert not left, f"unexpected pages: {left!r}"

    def wait_for(self, predicate: Callable[[], T], timeout: float = DEFAULT_TIMEOUT) -> T:
        """Poll `predicate` every 10 ms until truthy (see `wait_until`)."""
        return wait_until(predicate, timeout)
