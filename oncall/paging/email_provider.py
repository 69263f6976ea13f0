"""The email channel's sender: one message over SMTP with the standard library's smtplib.

`smtps://` speaks TLS from the first byte; `smtp://` upgrades with STARTTLS whenever the server
offers it, and refuses to send a password (or, with `?starttls=required`, anything) over plain
text. One SMTP connection per message. Failures come back as a `Delivery`, never raised: 4xx SMTP
replies, timeouts and connection errors are retried by the outbox; 5xx replies (550 mailbox
unavailable, 553, 535 authentication failed), a certificate that does not verify and a refused
plain-text login are not. Error texts name the SMTP code and the server's words, never the
password, and mask email addresses and phone numbers (they reach the alert's timeline).
"""

from __future__ import annotations

import logging
import smtplib
import socket
import ssl
from datetime import UTC, datetime

from oncall.db import Database
from oncall.paging.cards import alert_cards
from oncall.paging.channels import Outgoing, unreachable
from oncall.paging.email_message import MAX_CARDS, Composed, alert_mail, notice_mail
from oncall.paging.providers import Delivery
from oncall.paging.redact import mask_email, mask_phones_in_text
from oncall.settings import Settings, SmtpServer

_log = logging.getLogger(__name__)
MAX_ERROR = 300  # characters of an error text (the timeline shows it)


class PlainTextRefused(Exception):
    """The server offers no STARTTLS and this mail must not travel in plain text."""


class EmailSender:
    """Sends the email channel's messages through one SMTP server (see the module docstring)."""

    def __init__(
        self,
        smtp: SmtpServer,
        mail_from: str,
        *,
        db: Database,
        public_url: str,
        timeout: float = 10.0,
        ca_file: str | None = None,
    ) -> None:
        self.smtp, self.mail_from, self.db = smtp, mail_from, db
        self.public_url, self.timeout, self.ca_file = public_url.rstrip("/"), timeout, ca_file
        self._helo = socket.gethostname() or "localhost"  # not getfqdn(): no DNS lookup per mail

    def __repr__(self) -> str:  # never the password
        return f"EmailSender({self.smtp.host}:{self.smtp.port}, tls={self.smtp.implicit_tls})"

    def send(self, out: Outgoing) -> Delivery:
        """Compose `out` (its alerts' cards, or its body for a notice) and hand it to the server."""
        if not out.address:
            return Delivery.failed(unreachable("email"), retryable=False)
        try:
            composed = self.compose(out, datetime.now(UTC))
        except ValueError as error:  # an address the mail headers cannot carry
            return Delivery.failed(f"email not composed: {self._scrub(str(error))}", retryable=False)
        delivery = self._deliver(composed, out.address)
        if delivery.ok:
            _log.info(
                "Mail to %s (%s): %s", mask_email(out.address), delivery.sid, composed.message["Subject"]
            )
        else:
            _log.warning("Mail to %s failed: %s", mask_email(out.address), delivery.error)
        return delivery

    def compose(self, out: Outgoing, now: datetime) -> Composed:
        """The mail for `out`: the alerts' cards when it pages alerts that still exist, else its body."""
        cards = []
        if out.alert_ids:
            with self.db.session() as session:
                cards = alert_cards(session, out.alert_ids[:MAX_CARDS], self.public_url)
        where = {"mail_from": self.mail_from, "to": out.address, "public_url": self.public_url, "now": now}
        if cards:
            return alert_mail(cards, total=len(out.alert_ids), **where)
        return notice_mail(out.body, **where)

    def _deliver(self, composed: Composed, to: str) -> Delivery:
        try:
            with self._connect() as client:
                self._secure(client)
                if self.smtp.username:
                    client.login(self.smtp.username, self.smtp.password or "")
                client.send_message(composed.message, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()), (0, b""))
            return self._refused(code, text)
        except smtplib.SMTPResponseException as error:  # auth, sender, data, connect, helo replies
            return self._refused(error.smtp_code, error.smtp_error)
        except PlainTextRefused as error:
            return Delivery.failed(str(error), retryable=False)
        except smtplib.SMTPNotSupportedError as error:  # no AUTH, or no SMTPUTF8 for such an address
            return Delivery.failed(f"{self._where}: {self._scrub(str(error))}", retryable=False)
        except ssl.SSLCertVerificationError as error:
            why = self._scrub(error.verify_message or "certificate not trusted")
            return Delivery.failed(f"TLS certificate of {self._where} not trusted: {why}", retryable=False)
        except (OSError, smtplib.SMTPException) as error:  # refused, reset, timed out, TLS errors
            if _timed_out(error):
                return Delivery.failed(
                    f"SMTP timeout after {self.timeout:g} s with {self._where}",
                    retryable=True,
                    status="timeout",
                )
            what = self._scrub(str(error) or type(error).__name__)
            return Delivery.failed(
                f"SMTP connection to {self._where} failed: {what}", retryable=True, status="error"
            )
        return Delivery.accepted(composed.sid, status="sent")

    @property
    def _where(self) -> str:
        return f"{self.smtp.host}:{self.smtp.port}"

    def _connect(self) -> smtplib.SMTP:
        host, port = self.smtp.host, self.smtp.port
        if self.smtp.implicit_tls:
            return smtplib.SMTP_SSL(
                host, port, local_hostname=self._helo, timeout=self.timeout, context=self._tls()
            )
        return smtplib.SMTP(host, port, local_hostname=self._helo, timeout=self.timeout)

    def _secure(self, client: smtplib.SMTP) -> None:
        """STARTTLS when offered; PlainTextRefused when it is not and the mail needs it."""
        if self.smtp.implicit_tls:
            return
        client.ehlo()
        if client.has_extn("starttls"):
            client.starttls(context=self._tls())
            client.ehlo()
        elif self.smtp.username or self.smtp.starttls_required:
            why = "the password" if self.smtp.username else "mail (?starttls=required)"
            raise PlainTextRefused(
                f"{self._where} offers no STARTTLS: refusing to send {why} in plain text (use smtps:// or a server with STARTTLS)"
            )

    def _tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.ca_file)

    def _refused(self, code: int, text: bytes | str) -> Delivery:
        """A reply code from the server: 4xx (421, 450, 451, 452) retried; 5xx (535, 550, 553) not."""
        words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        retryable = not 500 <= code < 600
        error = f"SMTP {code} from {self._where}: {self._scrub(words)}"
        if code == 535:
            error += " (check the user and password in ONCALL_SMTP_URL)"
        return Delivery.failed(error, retryable=retryable, error_code=code)

    def _scrub(self, text: str) -> str:
        """`text` without the password, with email addresses and phone numbers masked, one line."""
        if self.smtp.password:
            text = text.replace(self.smtp.password, "***")
        return " ".join(mask_phones_in_text(text).split())[:MAX_ERROR]  # emails masked too


def _timed_out(error: BaseException | None) -> bool:
    """Whether `error` is, or was raised while handling, a timeout (smtplib rewraps a read timeout)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, TimeoutError):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def email_sender_from_settings(settings: Settings, db: Database) -> EmailSender:
    """The email sender for ONCALL_SMTP_URL and ONCALL_MAIL_FROM (ValueError when they are not set)."""
    if settings.smtp is None or not settings.mail_from:
        raise ValueError("email needs ONCALL_SMTP_URL and ONCALL_MAIL_FROM")
    return EmailSender(
        settings.smtp,
        settings.mail_from,
        db=db,
        public_url=settings.public_url,
        timeout=settings.smtp_timeout,
        ca_file=settings.smtp_ca_file,
    )
