"""The channel seam: where a person is reached on each channel, the unconfigured sender, the
phone senders over the Notifier, and the cards a rich channel renders."""

from __future__ import annotations

import json

from oncall.config.model import Person
from oncall.paging.cards import bounded_labels, web_link
from oncall.paging.channels import CHANNELS, Outgoing, Unconfigured, address, phone_senders, reachable
from oncall.paging.providers import ConsoleNotifier

KIM = Person("kim", "Kim", "+821012345601", "Asia/Seoul", email="kim@example.com")


def _out(channel: str, to: str | None) -> Outgoing:
    return Outgoing(7, "kim", to, channel, "[SEV-1 #1] Disk full", (1,), (1,))


def test_address_per_channel_and_none_where_the_person_has_none():
    assert CHANNELS == ("sms", "voice", "email", "slack")
    # Slack: her `slack:` user id, else her email (the Slack sender finds the user who has it)
    assert [address(KIM, c) for c in CHANNELS] == ["+821012345601"] * 2 + ["kim@example.com"] * 2
    phoneless = Person("lee", "Lee", None, "UTC")
    assert reachable(phoneless, ["sms", "voice", "email", "slack"]) == []
    assert address(Person("lee", "Lee", None, "UTC", slack="U0LEE0002"), "slack") == "U0LEE0002"


def test_unconfigured_fails_every_message_without_retrying_and_names_the_setting():
    delivery = Unconfigured("email", "ONCALL_SMTP_URL is not set").send(_out("email", "kim@example.com"))
    assert not delivery.ok and not delivery.retryable
    assert delivery.error == "email is not configured: ONCALL_SMTP_URL is not set"


def test_phone_senders_wrap_the_notifier_with_the_callback_urls():
    notifier = ConsoleNotifier()
    senders = phone_senders(notifier, "https://oncall.example.com")
    assert senders["sms"].send(_out("sms", "+821012345601")).ok
    assert senders["voice"].send(_out("voice", "+821012345601")).ok
    sms, call = notifier.sent
    assert (sms.channel, sms.to, sms.content) == ("sms", "+821012345601", "[SEV-1 #1] Disk full")
    assert sms.status_callback == "https://oncall.example.com/twilio/status/sms"
    assert call.content == "https://oncall.example.com/twilio/voice/7"
    assert isinstance(senders["email"], Unconfigured) and isinstance(senders["slack"], Unconfigured)


def test_outgoing_phone_is_the_address_only_for_phone_channels():
    assert _out("sms", "+821012345601").phone == "+821012345601"
    assert _out("email", "kim@example.com").phone is None


def test_cards_keep_only_web_links_and_few_short_labels():
    assert web_link("https://grafana.example.com/d/1") == "https://grafana.example.com/d/1"
    assert web_link("javascript:alert(1)") is None
    labels = bounded_labels(json.dumps({f"k{i:02}": "v" * 500 for i in range(30)}))
    assert len(labels) == 20 and all(len(v) == 200 for v in labels.values())
    assert bounded_labels("not json") == {}


def test_a_refusal_on_email_or_slack_is_not_retried_while_twilio_4xx_still_is():
    from oncall.paging.channels import failure_reason
    from oncall.paging.providers import Delivery

    refused = Delivery.failed("SMTP 550", retryable=False)
    busy = Delivery.failed("SMTP 451", retryable=True)
    assert [failure_reason(c, refused) for c in CHANNELS] == [
        "rejected",
        "rejected",
        "permanent",
        "permanent",
    ]
    assert {failure_reason(c, busy) for c in CHANNELS} == {"retryable"}
    no_sms = Delivery.failed("21614", retryable=False, permanent_sms_failure=True)
    assert failure_reason("sms", no_sms) == "permanent"
