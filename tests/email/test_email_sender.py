"""The email sender against a real SMTP server on loopback: what a mail looks like, TLS modes, logins
and how each failure comes back (retried or not, never with the password)."""

from __future__ import annotations

import time
from email.message import EmailMessage

import pytest

from oncall.paging.channels import Outgoing
from oncall.paging.email_provider import EmailSender, email_sender_from_settings
from oncall.settings import Settings, smtp_server
from tests.email.mailserver import mail_server, silent_server

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

KIM = "kim@example.com"
FROM = "On-call <oncall@example.com>"
HOSTILE = '<script>alert("x")</script> call +82 10-1234-5601 now'


def sender(runtime, url: str, **kwargs) -> EmailSender:
    return EmailSender(smtp_server(url), FROM, db=runtime.db, public_url="http://oncall.test", **kwargs)


def page(*alert_ids: int, to: str | None = KIM, body: str = "") -> Outgoing:
    return Outgoing(7, "kim", to, "email", body, (1,), tuple(alert_ids))


def fire(client, auth, rule: str = "HighErrorRate", **extra) -> int:
    body = {
        "rule": rule,
        "dedup_key": extra.pop("dedup", rule),
        "severity": "critical",
        "summary": "error rate 45%",
        "labels": {"team": "payments"},
        **extra,
    }
    response = client.post("/api/v1/alerts", json=body, headers=auth)
    assert response.status_code in (200, 201), response.json
    return response.json["created"][0]


def parts(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return plain, html


def test_a_page_arrives_with_both_parts_the_link_and_everything_hostile_escaped(runtime, client, auth, smtp):
    alert = fire(
        client,
        auth,
        summary=HOSTILE,
        labels={"team": "payments", "evil": '"><img src=x onerror=alert(1)>'},
        runbook_url="javascript:alert(1)",
    )
    delivery = sender(runtime, smtp.url()).send(page(alert))
    assert delivery.ok and delivery.sid.startswith("email:") and len(delivery.sid) <= 64
    [mail] = smtp.catcher.received
    assert mail.rcpt_tos == [KIM] and mail.mail_from == "oncall@example.com"
    message = mail.message
    assert message["Subject"] == "[SEV-1] HighErrorRate — payments"
    assert message["To"] == KIM and message["From"] == FROM
    assert message["Message-ID"].endswith("@example.com>") and message["Date"]
    thread = message["In-Reply-To"]
    assert thread.startswith(f"<alert-{alert}.") and thread in message["References"]
    assert message.get_content_type() == "multipart/alternative"
    plain, html = parts(message)
    link = f"http://oncall.test/alerts/{alert}"
    assert link in plain and f'href="{link}"' in html
    assert '<script>alert("x")</script>' in plain  # plain text is shown as text, never run
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "javascript:" not in html and "javascript:" not in plain  # only http(s) links
    raw = mail.raw.decode("utf-8", "replace")
    assert "1234-5601" not in raw and "+821012345601" not in raw  # no full phone number anywhere


def test_a_renotification_threads_with_the_first_page_under_a_new_message_id(runtime, client, auth, smtp):
    alert = fire(client, auth)
    mails = sender(runtime, smtp.url())
    mails.send(page(alert))
    mails.send(page(alert))
    first, second = (m.message for m in smtp.catcher.received)
    assert first["Message-ID"] != second["Message-ID"]
    assert first["References"] == second["References"] == first["In-Reply-To"]
    assert first["Subject"] == second["Subject"]


def test_a_bundle_names_the_count_and_lists_its_alerts(runtime, client, auth, smtp, monkeypatch):
    monkeypatch.setattr("oncall.paging.email_provider.MAX_CARDS", 3)
    monkeypatch.setattr("oncall.paging.email_message.MAX_CARDS", 3)
    ids = [fire(client, auth, rule=f"Rule{n}") for n in range(5)]
    assert sender(runtime, smtp.url()).send(page(*ids)).ok
    message = smtp.catcher.received[0].message
    assert message["Subject"] == "[SEV-1] 5 alerts for payments"
    plain, html = parts(message)
    for alert, rule in zip(ids[:3], ("Rule0", "Rule1", "Rule2"), strict=True):
        assert rule in plain and f"http://oncall.test/alerts/{alert}" in html
    assert "Rule3" not in plain and "… and 2 more: http://oncall.test/alerts" in plain


def test_a_notice_renders_its_body_in_both_parts(runtime, smtp):
    body = "You have 2 overdue action items; the oldest: <b>fix</b> retries (INC-4, due 2026-03-01)"
    assert sender(runtime, smtp.url()).send(page(body=body)).ok
    message = smtp.catcher.received[0].message
    assert message["Subject"].startswith("[oncall] You have 2 overdue action items")
    assert "In-Reply-To" not in message
    plain, html = parts(message)
    assert body in plain
    assert "&lt;b&gt;fix&lt;/b&gt; retries (INC-4, due 2026-03-01)" in html


def test_starttls_with_a_login(runtime, ca, ca_file, smtp):
    with mail_server(tls="starttls", ca=ca, login=("pager", "s3cr:et@")) as server:
        delivery = sender(runtime, server.url("pager", "s3cr:et@"), ca_file=ca_file).send(page(body="hello"))
    assert delivery.ok, delivery.error
    [mail] = server.catcher.received
    assert mail.tls and mail.login == "pager"


def test_implicit_tls(runtime, ca, ca_file):
    with mail_server(tls="implicit", ca=ca, login=("pager", "pw")) as server:
        assert server.url().startswith("smtps://")
        delivery = sender(runtime, server.url("pager", "pw"), ca_file=ca_file).send(page(body="hello"))
    assert delivery.ok, delivery.error
    assert server.catcher.received[0].tls


def test_a_certificate_the_client_does_not_trust_is_not_retried(runtime, ca):
    with mail_server(tls="implicit", ca=ca) as server:
        delivery = sender(runtime, server.url()).send(page(body="hello"))  # no ONCALL_SMTP_CA_FILE
    assert not delivery.ok and not delivery.retryable
    assert "TLS certificate of 127.0.0.1" in delivery.error and "not trusted" in delivery.error
    assert not server.catcher.received


def test_a_wrong_password_is_535_not_retried_and_never_named(runtime, ca, ca_file):
    with mail_server(tls="starttls", ca=ca, login=("pager", "right")) as server:
        delivery = sender(runtime, server.url("pager", "hunter2-wrong"), ca_file=ca_file).send(page(body="x"))
    assert not delivery.ok and not delivery.retryable
    assert delivery.error.startswith(f"SMTP 535 from 127.0.0.1:{server.port}")
    assert "hunter2" not in delivery.error and delivery.error_code == 535
    assert server.catcher.logins and all(not ok for _, ok in server.catcher.logins)
    assert not server.catcher.received


def test_no_password_over_plain_text(runtime):
    with mail_server(login=("pager", "pw"), auth_over_plain=True) as server:
        delivery = sender(runtime, server.url("pager", "pw")).send(page(body="x"))
        required = sender(runtime, server.url(query="?starttls=required")).send(page(body="x"))
    assert not delivery.ok and not delivery.retryable
    assert "offers no STARTTLS: refusing to send the password in plain text" in delivery.error
    assert not required.ok and "refusing to send mail (?starttls=required)" in required.error
    assert server.catcher.logins == []  # the password never left


def test_a_server_that_is_down_is_retried(runtime):
    with mail_server() as server:
        url = server.url()
    delivery = sender(runtime, url).send(page(body="x"))
    assert not delivery.ok and delivery.retryable and delivery.status == "error"
    assert f"SMTP connection to 127.0.0.1:{server.port} failed" in delivery.error


def test_a_server_that_never_answers_times_out_and_is_retried(runtime):
    with silent_server() as port:
        started = time.monotonic()
        delivery = sender(runtime, f"smtp://127.0.0.1:{port}", timeout=0.5).send(page(body="x"))
    assert time.monotonic() - started < 5
    assert not delivery.ok and delivery.retryable and delivery.status == "timeout"
    assert delivery.error == f"SMTP timeout after 0.5 s with 127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("where", "reply", "retryable"),
    [
        ("data", "421 4.3.2 shutting down", True),
        ("data", "451 4.3.0 try again later", True),
        ("data", "452 4.3.1 insufficient storage", True),
        ("rcpt", "450 4.2.1 mailbox busy", True),
        ("rcpt", "550 5.1.1 <kim@example.com>: mailbox unavailable", False),
        ("rcpt", "553 5.1.3 mailbox name not allowed", False),
    ],
)
def test_smtp_replies_map_to_retried_or_not(runtime, smtp, where, reply, retryable):
    if where == "data":
        smtp.catcher.data_replies.append(reply)
    else:
        smtp.catcher.rcpt_replies[KIM] = reply
    delivery = sender(runtime, smtp.url()).send(page(body="x"))
    code = int(reply[:3])
    assert not delivery.ok and delivery.retryable is retryable and delivery.error_code == code
    assert delivery.error.startswith(f"SMTP {code} from 127.0.0.1:{smtp.port}: {reply[4:9]}")
    assert KIM not in delivery.error  # an address is masked: the timeline shows this text


def test_a_person_without_an_address_is_not_retried(runtime, smtp):
    delivery = sender(runtime, smtp.url()).send(page(body="x", to=None))
    assert not delivery.ok and not delivery.retryable and "no email address" in delivery.error
    assert not smtp.catcher.received


def test_from_settings_and_no_password_in_its_repr(runtime, smtp):
    settings = Settings(
        database_url=runtime.settings.database_url,
        smtp_url=smtp.url("pager", "hunter2"),
        mail_from=FROM,
        smtp_timeout=3,
    )
    built = email_sender_from_settings(settings, runtime.db)
    assert (built.smtp.port, built.timeout, built.mail_from) == (smtp.port, 3, FROM)
    assert "hunter2" not in repr(built)


def test_a_hundred_mails_take_little_time(runtime, ca, ca_file, record_property):
    """One SMTP connection per mail (STARTTLS and a login each time): fast enough for a storm."""
    with mail_server(tls="starttls", ca=ca, login=("pager", "pw")) as server:
        mails = sender(runtime, server.url("pager", "pw"), ca_file=ca_file)
        started = time.perf_counter()
        for n in range(100):
            assert mails.send(page(body=f"notice {n}")).ok
        took = time.perf_counter() - started
    record_property("seconds_per_100_mails", round(took, 2))
    print(f"100 mails over STARTTLS with a login: {took:.2f} s")
    assert len(server.catcher.received) == 100
    assert took < 30


def test_an_address_the_server_cannot_take_is_not_retried(runtime):
    with mail_server(enable_SMTPUTF8=False) as server:
        delivery = sender(runtime, server.url()).send(page(body="x", to="김@example.com"))  # needs SMTPUTF8
    assert not delivery.ok and not delivery.retryable
    assert delivery.error.startswith(f"127.0.0.1:{server.port}: ") and "SMTPUTF8" in delivery.error
    assert "김" not in delivery.error
    assert not server.catcher.received
