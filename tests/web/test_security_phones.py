"""Anonymous visitors never see a full phone number or a tel:/sms: link; signed-in people do."""

from __future__ import annotations

import re

import pytest

from oncall.app import create_app
from oncall.paging.providers import ConsoleNotifier
from oncall.paging.redact import mask_phone_readable
from oncall.runtime import build_runtime
from tests.ui import conftest as ui_fixtures
from tests.ui.conftest import fire, sign_in

# The UI's fixtures: people with logins, and a client signed in as Kim.
logins = ui_fixtures.logins

# Every demo number, as E.164 and as written in the YAML; and the digits that must stay hidden.
FULL_NUMBERS = re.compile(r"\+?82[\s-]?10[\s-]?1234[\s-]?560\d|1012345|tel:|sms:")


@pytest.mark.parametrize(
    "phone, shown",
    [
        pytest.param("+821012345601", "+82 10-****-5601", id="Korean mobile keeps its network code"),
        pytest.param("+82 10-1234-5601", "+82 10-****-5601", id="as written in the YAML"),
        pytest.param("+442079460958", "+44 20 **** 0958", id="London keeps its area code"),
        pytest.param("+14155550100", "+1 ***-***-0100", id="NANP: too short to show the area code"),
        pytest.param("+35312345678", "+353 * *** 5678", id="Dublin: too short to show the area code"),
        pytest.param("12345", "*2345", id="unparseable: compact mask"),
    ],
)
def test_mask_phone_readable_keeps_country_code_and_last_four(phone, shown):
    assert mask_phone_readable(phone) == shown


@pytest.fixture
def console_runtime(settings, clock):
    """The service paging through the console notifier, whose outbox page lists what it 'sent'."""
    runtime = build_runtime(settings, clock=clock, notifier=ConsoleNotifier())
    yield runtime
    runtime.close()


@pytest.fixture
def console_app(console_runtime):
    return create_app(runtime=console_runtime, start_background=False)


def paged_alert(client, auth, runtime) -> int:
    alert_id = fire(client, auth, "PaymentsDown", summary="call the DBA at +82 10-1234-5605")
    runtime.engine.tick()
    return alert_id


def pages_seen(client, alert_id: int) -> dict[str, str]:
    paths = ("/", "/outbox", f"/alerts/{alert_id}", "/alerts", "/schedule/payments", "/config")
    return {path: client.get(path).get_data(as_text=True) for path in paths}


def test_anonymous_pages_show_no_full_number_and_no_call_links(console_app, auth, console_runtime):
    client = console_app.test_client()
    alert_id = paged_alert(client, auth, console_runtime)
    for path, page in pages_seen(client, alert_id).items():
        assert not FULL_NUMBERS.search(page), f"{path}: {FULL_NUMBERS.search(page)[0]!r}"
    now = client.get("/").get_data(as_text=True)
    assert "+82 10-****-5601" in now  # Kim, on call: who it is stays readable
    outbox = client.get("/outbox").get_data(as_text=True)
    assert "+82 10-****-5601" in outbox
    assert "+82 10-****-5605" in client.get(f"/alerts/{alert_id}").get_data(as_text=True)


def test_signed_in_people_see_full_numbers_and_call_links(console_app, auth, console_runtime, logins):
    client = console_app.test_client()
    assert sign_in(client).status_code == 302
    alert_id = paged_alert(client, auth, console_runtime)
    pages = pages_seen(client, alert_id)
    assert 'href="tel:+821012345601"' in pages["/"] and 'href="sms:+821012345601"' in pages["/"]
    assert "+821012345601" in pages["/outbox"]
    assert "+82 10-1234-5605" in pages[f"/alerts/{alert_id}"]


def test_a_number_in_a_delivery_error_is_masked_on_the_timeline(client, auth, runtime, notifier):
    notifier.fail_next("sms", error="The 'To' number +821012345601 is not reachable", times=None)
    alert_id = fire(client, auth, "PaymentsDown")
    runtime.engine.tick()
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "is not reachable" in timeline
    assert "+82 10-****-5601" in timeline and "+821012345601" not in timeline
    assert "+821012345601" not in client.get("/outbox").get_data(as_text=True)


def test_a_number_in_a_configuration_error_is_masked(client, runtime, config_path):
    text = config_path.read_text().replace('handoff: "mon 10:00"', 'handoff: "+821012345699"')
    config_path.write_text(text)
    runtime.config_store.reload()
    for path in ("/config", "/"):
        page = client.get(path).get_data(as_text=True)
        assert "+821012345699" not in page and "1012345699" not in page, path
