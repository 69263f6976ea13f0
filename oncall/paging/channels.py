"""The channels a page can go out on, where a person is reached on each, and who sends on each.

Core: no Flask and no vendor SDK here. Each channel has one `Sender` (the engine calls
`senders[out.channel].send(out)`); SMS and voice wrap the Twilio `Notifier`, email and Slack are
built by their own modules at the runtime layer, and a channel whose settings are absent gets an
`Unconfigured` sender that fails every message it is handed (retried and shown like any failure).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from oncall.config.model import CHANNELS as _CHANNELS
from oncall.config.model import Config, Person
from oncall.paging.providers import Delivery, Notifier

CHANNELS = _CHANNELS  # ("sms", "voice", "email", "slack"): the configuration's names
PHONE_CHANNELS = frozenset({"sms", "voice"})


@dataclass(frozen=True)
class Outgoing:
    """One message to send: rows it stands for, where it goes and its plain text.

    address: the phone for sms/voice, the email address, the Slack user id; None when the person
    can no longer be reached there (the configuration changed since the page was planned).
    body: for sms the SMS with its reply code; for email/slack the plain summary without reply
    instructions. alert_ids: empty for a notice (an incident role page, a reminder, a digest).
    """

    batch_id: int
    person: str
    address: str | None
    channel: str
    body: str
    row_ids: tuple[int, ...]
    alert_ids: tuple[int, ...]

    @property
    def phone(self) -> str | None:
        """The phone number of an sms/voice message (the older name of `address`)."""
        return self.address if self.channel in PHONE_CHANNELS else None


def address(person: Person, channel: str) -> str | None:
    """Where `person` is reached on `channel`: E.164 phone for sms/voice, `person.email` for email,
    `person.slack` (a Slack user id like U024BE7LH) for slack, else their email (the Slack user
    whose profile has it). None: not reachable there."""
    if channel in PHONE_CHANNELS:
        return person.phone
    if channel == "email":
        return person.email
    if channel == "slack":  # else their email: the Slack sender finds the Slack user who has it
        return person.slack or person.email
    return None


def reachable(person: Person, channels: Sequence[str]) -> list[str]:
    """The channels of `channels` on which `person` can be reached, in their order."""
    return [c for c in channels if address(person, c) is not None]


def needs(channel: str) -> str:
    """What a person needs to be reached on `channel`: "phone number", "email address", "Slack user id"."""
    return {"email": "email address", "slack": "Slack user id or email address"}.get(channel, "phone number")


def unreachable(channel: str) -> str:
    """Why a message on `channel` has nowhere to go ("the person has no phone number")."""
    return f"the person has no {needs(channel)}"


@runtime_checkable
class Sender(Protocol):
    """Hands one message to one channel's provider."""

    def send(self, out: Outgoing) -> Delivery:
        """Hand one message to the channel's provider. Never raises for a delivery problem: returns
        Delivery.failed(error, retryable=...) (retryable: timeouts, connection errors, 5xx, 429/
        rate limits; not retryable: bad address, auth errors). On success Delivery.accepted(sid)
        where sid identifies the message for later updates (≤ 64 chars; Slack: "<channel>:<ts>")."""
        ...


class Unconfigured:
    """The sender of a channel whose settings are absent: every message fails, not retryable."""

    def __init__(self, channel: str, what: str) -> None:
        self.channel = channel
        self.what = what  # e.g. "ONCALL_SMTP_URL is not set"

    def send(self, out: Outgoing) -> Delivery:
        """Fail the message, saying which setting is missing."""
        return Delivery.failed(f"{self.channel} is not configured: {self.what}", retryable=False)

    def __repr__(self) -> str:
        return f"Unconfigured({self.channel!r}, {self.what!r})"


class SmsSender:
    """SMS through the `Notifier` (Twilio or the console), with the status callback URL."""

    def __init__(self, notifier: Notifier, public_url: str) -> None:
        self.notifier, self.public_url = notifier, public_url

    def send(self, out: Outgoing) -> Delivery:
        """Send `out.body` to `out.address`."""
        if out.address is None:  # the person's number was removed from the configuration meanwhile
            return Delivery.failed(unreachable("sms"), retryable=False)
        return self.notifier.send_sms(out.address, out.body, f"{self.public_url}/twilio/status/sms")


class VoiceSender:
    """A call through the `Notifier`; the provider fetches the call's script by batch id."""

    def __init__(self, notifier: Notifier, public_url: str) -> None:
        self.notifier, self.public_url = notifier, public_url

    def send(self, out: Outgoing) -> Delivery:
        """Call `out.address`."""
        if out.address is None:
            return Delivery.failed(unreachable("voice"), retryable=False)
        public = self.public_url
        return self.notifier.place_call(
            out.address, f"{public}/twilio/voice/{out.batch_id}", f"{public}/twilio/status/call"
        )


def unconfigured_in_use(config: Config, senders: Mapping[str, Sender]) -> list[str]:
    """What the configuration pages on (the `channels` mapping, a level's own `channels`) but has
    no settings for, each as "email (ONCALL_SMTP_URL is not set)": worth a warning at start."""
    named = {c for listed in config.channels.values() for c in listed}
    named |= {
        c for policy in config.escalations.values() for level in policy.levels for c in level.channels or ()
    }
    return [
        f"{c} ({senders[c].what})"
        for c in CHANNELS
        if c in named and isinstance(senders.get(c), Unconfigured)
    ]


def failure_reason(channel: str, delivery: Delivery) -> str:
    """Why a send failed, as the outbox's fallback reads it.

    "permanent": retrying this address on this channel is pointless (a number that takes no SMS;
    an email or Slack page the provider refused: unknown user, bad login, no such mailbox), so it
    goes straight to the next step. "retryable": 5xx, rate limits, timeouts. "rejected": Twilio's
    other 4xx answers, retried like the rest (docs/paging.md).
    """
    if delivery.permanent_sms_failure:
        return "permanent"
    if delivery.retryable:
        return "retryable"
    return "rejected" if channel in PHONE_CHANNELS else "permanent"


def ready_channels(senders: Mapping[str, Sender]) -> frozenset[str]:
    """The channels whose sender is configured (not `Unconfigured`)."""
    return frozenset(name for name, sender in senders.items() if not isinstance(sender, Unconfigured))


def phone_senders(notifier: Notifier, public_url: str) -> dict[str, Sender]:
    """SMS and voice over `notifier`; email and Slack `Unconfigured` (the runtime adds the real ones)."""
    return {
        "sms": SmsSender(notifier, public_url),
        "voice": VoiceSender(notifier, public_url),
        "email": Unconfigured("email", "ONCALL_SMTP_URL is not set"),
        "slack": Unconfigured("slack", "SLACK_BOT_TOKEN is not set"),
    }
