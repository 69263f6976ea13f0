"""A fake Slack Web API on 127.0.0.1 that the real `slack_sdk` WebClient talks to.

    with FakeSlack(channels={"C0PAYMENTS"}) as slack:          # or the `fake_slack` fixture
        settings = replace(settings, slack_bot_token=slack.token, slack_api_url=slack.api_url)
        ...                                                   # the service pages someone
        dm = slack.expect_message("D-U024BE7LH")              # the DM to U024BE7LH
        body, headers = slack.press(dm, "ack:12", user="U024BE7LH", secret=SECRET, at=now)

Methods: auth.test, chat.postMessage, chat.update, chat.postEphemeral, users.lookupByEmail,
users.info, conversations.open (Bearer token checked: anything else is `invalid_auth`). A
message to a user id goes to that user's DM channel "D-<user id>"; to a channel id only when
the channel is in `channels` (else `channel_not_found`). Every call is recorded (`calls`);
`fail_next("chat.postMessage", "ratelimited", status=429, times=2)` scripts failures.
`press(...)` builds a signed `block_actions` interaction as Slack would send it.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

from tests.fakes.waiting import DEFAULT_TIMEOUT, wait_until


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Posted:
    """One message in the fake workspace: its latest text and blocks, and every version."""

    channel: str
    ts: str
    text: str
    blocks: list[dict]
    versions: list[list[dict]] = field(default_factory=list)

    @property
    def action_ids(self) -> list[str]:
        """Every button's action id, in order."""
        return [
            element["action_id"]
            for block in self.blocks
            if block.get("type") == "actions"
            for element in block.get("elements", [])
        ]

    @property
    def mrkdwn(self) -> str:
        """All the message's mrkdwn texts joined (what a reader sees, still escaped)."""
        texts = []
        for block in self.blocks:
            if "text" in block:
                texts.append(block["text"].get("text", ""))
            texts += [e.get("text", "") for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
        return "\n".join(texts)


@dataclass
class _Failure:
    method: str
    error: str
    status: int
    times: int


class FakeSlack:
    """A threaded fake Slack Web API on an ephemeral loopback port."""

    def __init__(
        self,
        token: str = "xoxb-fake-bot-token",
        channels: set[str] | None = None,
        users: dict[str, str] | None = None,  # user id -> profile email
    ) -> None:
        self.token = token
        self.channels = set(channels or ())
        self.users = dict(users or {})
        self.calls: list[Call] = []
        self.messages: dict[tuple[str, str], Posted] = {}
        self.ephemeral: list[Call] = []
        self._failures: list[_Failure] = []
        self._ts = itertools.count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Self:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        """What SLACK_API_URL is set to."""
        assert self._server is not None, "start() the fake first"
        return f"http://127.0.0.1:{self._server.server_port}/api/"

    # -- scripting -------------------------------------------------------------------------

    def fail_next(self, method: str, error: str, *, status: int = 200, times: int = 1) -> None:
        """The next `times` calls of `method` answer `{"ok": false, "error": error}` with `status`."""
        with self._lock:
            self._failures.append(_Failure(method, error, status, times))

    def recover(self) -> None:
        """Forget every scripted failure not used yet: Slack is back."""
        with self._lock:
            self._failures.clear()

    def calls_of(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def messages_in(self, channel: str) -> list[Posted]:
        with self._lock:
            return [m for (c, _), m in self.messages.items() if c == channel]

    def expect_message(self, channel: str, count: int = 1, timeout: float = DEFAULT_TIMEOUT) -> Posted:
        """Wait for the `count`-th message in `channel` and return the newest."""
        found = wait_until(lambda: len(self.messages_in(channel)) >= count or None, timeout=timeout)
        assert found, f"no message #{count} in {channel}; calls: {[c.method for c in self.calls]}"
        return self.messages_in(channel)[-1]

    def wait_for_ephemeral(self, count: int = 1, timeout: float = DEFAULT_TIMEOUT) -> Call:
        """Wait for the `count`-th ephemeral message and return it."""
        wait_until(lambda: len(self.ephemeral) >= count, timeout=timeout, what=f"ephemeral #{count}")
        return self.ephemeral[count - 1]

    @staticmethod
    def dm(user_id: str) -> str:
        """The DM channel id the fake gives a user."""
        return f"D-{user_id}"

    # -- interactions ----------------------------------------------------------------------

    @staticmethod
    def press(
        message: Posted, action_id: str, *, user: str, secret: str, at: float
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of Slack's signed `block_actions` request for one button."""
        payload = {
            "type": "block_actions",
            "user": {"id": user, "username": "someone", "team_id": "T0FAKE"},
            "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel},
            "channel": {"id": message.channel},
            "actions": [{"action_id": action_id, "type": "button", "value": "x", "block_id": "b"}],
            "token": "deprecated-verification-token",
            "response_url": "https://hooks.slack.invalid/actions/T0FAKE/1/abc",
        }
        body = urlencode({"payload": json.dumps(payload)}).encode()
        return body, signed_headers(body, secret, at)

    # -- the API ---------------------------------------------------------------------------

    def handle(self, method: str, params: dict[str, Any], auth: str | None) -> tuple[int, dict]:
        with self._lock:
            self.calls.append(Call(method, params))
            if auth != f"Bearer {self.token}":
                return 200, {"ok": False, "error": "invalid_auth"}
            for failure in self._failures:
                if failure.method == method and failure.times > 0:
                    failure.times -= 1
                    return failure.status, {"ok": False, "error": failure.error}
            answer = getattr(self, "_" + method.replace(".", "_"), None)
            if answer is None:
                return 200, {"ok": False, "error": "unknown_method"}
            return 200, answer(params)

    def _auth_test(self, _params: dict) -> dict:
        return {"ok": True, "team": "Fake", "user": "oncall", "bot_id": "B0FAKE"}

    def _target(self, channel: str) -> str | None:
        if channel[:1] in "UW":
            return self.dm(channel)
        if channel.startswith("D-") or channel in self.channels:
            return channel
        return None

    def _chat_postMessage(self, params: dict) -> dict:
        channel = self._target(str(params.get("channel", "")))
        if channel is None:
            return {"ok": False, "error": "channel_not_found"}
        ts = f"1700000000.{next(self._ts):06d}"
        blocks = _blocks(params.get("blocks"))
        self.messages[(channel, ts)] = Posted(channel, ts, str(params.get("text", "")), blocks, [blocks])
        return {"ok": True, "channel": channel, "ts": ts, "message": {"text": params.get("text")}}

    def _chat_update(self, params: dict) -> dict:
        message = self.messages.get((str(params.get("channel")), str(params.get("ts"))))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        message.text, message.blocks = str(params.get("text", "")), _blocks(params.get("blocks"))
        message.versions.append(message.blocks)
        return {"ok": True, "channel": message.channel, "ts": message.ts}

    def _chat_postEphemeral(self, params: dict) -> dict:
        self.ephemeral.append(Call("chat.postEphemeral", params))
        return {"ok": True, "message_ts": "1700000000.999999"}

    def _users_lookupByEmail(self, params: dict) -> dict:
        email = str(params.get("email", "")).lower()
        for user_id, known in self.users.items():
            if known.lower() == email:
                return {"ok": True, "user": {"id": user_id, "profile": {"email": known}}}
        return {"ok": False, "error": "users_not_found"}

    def _users_info(self, params: dict) -> dict:
        user_id = str(params.get("user", ""))
        if user_id not in self.users:
            return {"ok": False, "error": "user_not_found"}
        return {"ok": True, "user": {"id": user_id, "profile": {"email": self.users[user_id]}}}

    def _conversations_open(self, params: dict) -> dict:
        users = str(params.get("users", ""))
        return {"ok": True, "channel": {"id": self.dm(users.split(",")[0])}}


def signed_headers(body: bytes, secret: str, at: float) -> dict[str, str]:
    """Slack's signature headers for `body` sent at `at` (seconds since the epoch)."""
    timestamp = str(int(at))
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature or "",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def _blocks(raw: Any) -> list[dict]:
    if isinstance(raw, str):
        return json.loads(raw)
    return list(raw or [])


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:  # quiet
        pass

    def do_POST(self) -> None:  # noqa: N802
        self._answer()

    def do_GET(self) -> None:  # noqa: N802
        self._answer()

    def _answer(self) -> None:
        parts = urlsplit(self.path)
        method = parts.path.removeprefix("/api/")
        params: dict[str, Any] = {k: v[0] for k, v in parse_qs(parts.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if raw:
            if "json" in (self.headers.get("Content-Type") or ""):
                params.update(json.loads(raw))
            else:
                params.update({k: v[0] for k, v in parse_qs(raw.decode()).items()})
        status, answer = self.server.fake.handle(method, params, self.headers.get("Authorization"))  # type: ignore[attr-defined]
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
