"""A page is never lost: SIGKILL the service while an escalation is pending, start it again on the
same database, and the next level is paged at its time, exactly once (docs/architecture.md, docs/paging.md)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.fakes.waiting import wait_until
from tests.integration.configs import PHONE, Timing, demo_config
from tests.integration.service import stays

pytestmark = pytest.mark.integration

KIM, CHOI, JUNG = PHONE["kim"], PHONE["choi"], PHONE["jung"]
# Seconds. Wall time never gets there within the test: the service's clock is moved to each time.
LEVEL2, LEVEL3 = 60, 120
BEFORE = 5  # "just before a level is due": wall time a check may take without reaching it


def test_sigkill_with_a_pending_escalation_pages_the_next_level_once_at_its_time(launch):
    running = launch(demo_config(Timing(level2_after=LEVEL2, level3_after=LEVEL3)))
    fake, api, service = running.fake, running.api, running.service
    alert_id = api.fire("HighErrorRate")
    fake.expect_sms(KIM, "HighErrorRate")
    fake.expect_call(KIM)
    # Both pages recorded as sent: what is left in the database is the pending level 2.
    wait_until(lambda: len(api.events(alert_id, "notified")) == 2, what="Kim's pages recorded")

    received = datetime.fromisoformat(api.alert(alert_id)["received_at"])

    service.crash()
    service.start()
    assert running.clock.now() - received < timedelta(seconds=LEVEL2 - BEFORE), "restarted too late"

    running.clock.move_to(received + timedelta(seconds=LEVEL2 - BEFORE))
    stays(lambda: not fake.unexpected(), 1.0, what="nothing paged before level 2 is due")
    running.clock.move_to(received + timedelta(seconds=LEVEL2))
    choi = fake.expect_sms(CHOI, "HighErrorRate")
    fake.expect_call(CHOI)
    running.clock.move_to(received + timedelta(seconds=LEVEL3 - BEFORE))
    stays(lambda: not fake.unexpected(), 1.0, what="nothing paged before level 3 is due")
    running.clock.move_to(received + timedelta(seconds=LEVEL3))
    fake.expect_sms(JUNG, "HighErrorRate")
    fake.expect_call(JUNG)
    stays(lambda: not fake.unexpected(), 1.5, what="no page twice")

    alert = api.alert(alert_id)
    escalated = {
        e["detail"]: datetime.fromisoformat(e["at"]) for e in alert["timeline"] if e["kind"] == "escalated"
    }
    assert list(escalated) == ["level 2 round 1: choi", "level 3 round 1: jung"]
    assert LEVEL2 <= (escalated["level 2 round 1: choi"] - received).total_seconds() < LEVEL2 + 1.5
    assert LEVEL3 <= (escalated["level 3 round 1: jung"] - received).total_seconds() < LEVEL3 + 1.5
    assert "[SEV-1 #" in choi.body
    notified = [(e["person"], e["channel"]) for e in alert["timeline"] if e["kind"] == "notified"]
    assert sorted(notified) == sorted([(p, c) for p in ("kim", "choi", "jung") for c in ("sms", "voice")])
    assert service.starts == 2
