"""A real SMTP server on loopback for the email tests: aiosmtpd, with STARTTLS or implicit TLS from
a trustme CA, AUTH checked against a password, and replies a test can script (451 once, 550 …)."""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from urllib.parse import quote

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass(frozen=True)
class Received:
    """One mail the server accepted: envelope, parsed message, whether it came over TLS, the login."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes
    tls: bool
    login: str | None


@dataclass
class MailCatcher:
    """The aiosmtpd handler: keeps what arrives; `data_replies`/`rcpt_replies` answer instead of 250."""

    received: list[Received] = field(default_factory=list)
    data_replies: deque[str] = field(default_factory=deque)  # next DATA answers, e.g. "451 4.3.0 busy"
    rcpt_replies: dict[str, str] = field(default_factory=dict)  # address -> answer, e.g. "550 …"
    logins: list[tuple[str, bool]] = field(default_factory=list)  # (user, accepted) per AUTH
    arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rcpt_replies:
            return self.rcpt_replies[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_replies:
            return self.data_replies.popleft()
        raw = envelope.original_content or envelope.content
        login = session.auth_data.decode() if isinstance(session.auth_data, bytes) else None
        mail = Received(
            envelope.mail_from,
            list(envelope.rcpt_tos),
            message_from_bytes(raw, policy=policy.default),
            raw,
            server.transport.get_extra_info("ssl_object") is not None,
            login,
        )
        with self.arrived:
            self.received.append(mail)
            self.arrived.notify_all()
        return "250 2.0.0 queued"

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """The first `count` mails, waiting up to `timeout` seconds for them (a served process)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"expected {count} mails, got {len(self.received)}"
                self.arrived.wait(left)
            return list(self.received[:count])


class PasswordCheck:
    """An aiosmtpd authenticator accepting one user and password; remembers every attempt."""

    def __init__(self, catcher: MailCatcher, user: str, password: str) -> None:
        self.catcher, self.user, self.password = catcher, user, password

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, password = auth_data.login.decode(), auth_data.password.decode()
        ok = (user, password) == (self.user, self.password)
        self.catcher.logins.append((user, ok))
        return AuthResult(success=ok, handled=False, auth_data=user.encode() if ok else None)


@dataclass
class MailServer:
    """A running server: where it listens and what it received."""

    port: int
    catcher: MailCatcher
    scheme: str  # "smtp" or "smtps"

    def url(self, user: str | None = None, password: str | None = None, query: str = "") -> str:
        """ONCALL_SMTP_URL for this server (user and password URL-encoded)."""
        login = f"{quote(user, safe='')}:{quote(password or '', safe='')}@" if user else ""
        return f"{self.scheme}://{login}127.0.0.1:{self.port}{query}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_tls(ca: trustme.CA) -> ssl.SSLContext:
    """A server context with a certificate for 127.0.0.1 and localhost signed by `ca`."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    return context


@contextmanager
def mail_server(
    *,
    tls: str | None = None,
    ca: trustme.CA | None = None,
    login: tuple[str, str] | None = None,
    auth_over_plain: bool = False,
    **options,
) -> Iterator[MailServer]:
    """An SMTP server on 127.0.0.1: `tls` None (plain), "starttls" (required) or "implicit".

    `login` (user, password): AUTH required; `auth_over_plain` offers AUTH without TLS (a badly set
    up server the client must refuse to send a password to). `options`: more aiosmtpd SMTP settings.
    """
    catcher = MailCatcher()
    kwargs: dict = dict(options)
    if tls == "starttls":
        kwargs.update(tls_context=server_tls(ca), require_starttls=True)
    if login is not None:
        kwargs.update(authenticator=PasswordCheck(catcher, *login), auth_required=True)
        # aiosmtpd counts only STARTTLS as TLS for AUTH; implicit TLS is TLS from the first byte.
        kwargs.update(auth_require_tls=not auth_over_plain and tls != "implicit")
    port = free_port()
    controller = Controller(
        catcher,
        hostname="127.0.0.1",
        port=port,
        ssl_context=server_tls(ca) if tls == "implicit" else None,
        server_hostname="localhost",
        **kwargs,
    )
    controller.start()
    try:
        yield MailServer(port, catcher, "smtps" if tls == "implicit" else "smtp")
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A TCP port that accepts connections and never says a word (an SMTP server that hangs)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
