"""A crash during a send: Twilio has accepted the SMS, the service is killed (SIGKILL) before it
records that, and is started again on the same database. The interrupted page goes out again
within 15 s of the restart: once more at most (one duplicate), never lost (docs/architecture.md, docs/paging.md).

The fake Twilio records the SMS and then holds its answer (`stall_next`), so the kill lands
exactly between "accepted" and "recorded". Levels 2 and 3 are far away: only Kim is paged.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.conftest import need_component
from tests.fakes.waiting import wait_until
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.postgres import ENV, fresh_database, server_url
from tests.integration.service import stays

pytestmark = pytest.mark.integration

KIM = PHONE["kim"]
RECOVERY = 15  # seconds from the restart (ready) to the SMS at Twilio again


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'oncall.db'}"
        return
    url = server_url()
    if url is None:
        need_component("PostgreSQL", f"set {ENV}=postgresql://postgres@127.0.0.1:55432/postgres")
    with fresh_database(url) as fresh:
        yield fresh


def test_sigkill_after_twilio_accepted_an_sms_sends_it_again_within_15_s_of_the_restart(launch, database_url):
    # A long Twilio timeout: the service is still waiting for the answer when it is killed.
    running = launch(
        demo_config(Timing(level2_after=600, level3_after=1200)),
        database_url=database_url,
        TWILIO_TIMEOUT="60",
    )
    fake, api, service = running.fake, running.api, running.service
    fake.stall_next("sms", hold=120, to=KIM)
    alert_id = api.fire("HighErrorRate", summary="error rate 45%")
    first = fake.expect_sms(KIM, "[SEV-1 #1] HighErrorRate")  # accepted; the answer is held
    service.crash()

    service.start()
    restarted = time.monotonic()
    again = fake.expect_sms(KIM, "[SEV-1 #1] HighErrorRate", timeout=RECOVERY + 5)
    recovered = time.monotonic() - restarted
    print(f"sent again {recovered:.1f} s after the restart")
    assert recovered <= RECOVERY, f"the interrupted SMS went out again {recovered:.1f} s after the restart"
    assert again.body == first.body
    fake.expect_call(KIM)  # the call waiting behind the SMS went out too, once

    # One duplicate at most: no third SMS, and the page is recorded as sent once.
    stays(lambda: not fake.unexpected(KIM), 3, what="no further page to Kim")
    wait_until(lambda: len(api.events(alert_id, "notified")) == 2, what="the SMS and the call recorded")
    notified = sorted(e["channel"] for e in api.events(alert_id, "notified"))
    assert notified == ["sms", "voice"]
    assert service.starts == 2
