"""The served process sends email: `python -m oncall serve` with ONCALL_SMTP_URL pointing at a real
SMTP server on loopback (STARTTLS with a login, the CA from ONCALL_SMTP_CA_FILE); an alert arrives
by the Alertmanager webhook and a mail with the alert's link arrives at the on-call's address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.email.mailserver import MailServer, mail_server
from tests.integration.configs import demo_config
from tests.integration.payloads import am_alert, am_payload

PASSWORD = "s3cret-smtp-pw"


@pytest.fixture
def smtp_tls(tmp_path: Path) -> Iterator[tuple[MailServer, str]]:
    ca = trustme.CA()
    ca_file = tmp_path / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    with mail_server(tls="starttls", ca=ca, login=("pager", PASSWORD)) as server:
        yield server, str(ca_file)


def test_an_alert_by_webhook_is_mailed_with_its_link(launch, smtp_tls):
    server, ca_file = smtp_tls
    config = demo_config()
    for key, person in config["people"].items():
        person["email"] = f"{key}@example.com"
    config["escalations"]["payments"]["levels"][0]["channels"] = ["email"]
    running = launch(
        config,
        ONCALL_SMTP_URL=server.url("pager", PASSWORD),
        ONCALL_MAIL_FROM="On-call <oncall@example.com>",
        ONCALL_SMTP_CA_FILE=ca_file,
        ONCALL_SMTP_TIMEOUT="5",
    )
    response = running.api.post("/api/v1/alerts/alertmanager", json=am_payload([am_alert("HighErrorRate")]))
    assert response.status_code in (200, 201), response.text
    [mail] = server.catcher.wait_for(1)
    [alert] = running.api.alerts()
    assert mail.tls and mail.login == "pager" and mail.rcpt_tos == ["kim@example.com"]
    assert mail.message["Subject"] == "[SEV-1] HighErrorRate — payments"
    link = f"{running.service.url}/alerts/{alert['id']}"
    assert link in mail.message.get_body(("plain",)).get_content()
    assert f'href="{link}"' in mail.message.get_body(("html",)).get_content()
    running.fake.assert_no_pages()  # level 1 pages by email only: no SMS, no call
    log = running.service.log_text()
    assert PASSWORD not in log and "kim@example.com" not in log
