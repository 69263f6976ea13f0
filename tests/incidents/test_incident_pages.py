"""Role holders are paged through the outbox: SEV-1/2 like an alert's level, SEV-3/4 by one SMS in
business hours; the real Twilio SDK against the fake Twilio, on the controllable clock."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from sqlalchemy import select

from oncall.incidents import service
from oncall.incidents.models import IncidentEntry
from oncall.incidents.notify import IncidentPager
from oncall.paging.models import Notification
from tests.conversations.phone import Conversation
from tests.fakes.twilio_server import FakeMessage
from tests.incidents.incident_phone import assign, declare, incident, jump


def test_sev1_commander_gets_an_sms_and_a_call_at_once(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim")
    sms = talk.expect_sms("kim", f"INC-{number} SEV-1 Payment API errors", "Incident Commander")
    assert f"reply a INC-{number} to ack" in sms.body
    assert len(sms.body) <= 160 and "—" not in sms.body  # GSM-7, one segment
    call = talk.expect_call("kim")
    said = talk.press(call, "1")
    assert any("Payment API errors" in s for s in said)
    assert any(f"Acknowledged INC-{number}" in s for s in said)
    talk.expect_no_page("kim")


def test_sev2_sms_then_the_call_after_the_voice_delay_unless_acknowledged(talk: Conversation):
    first = declare(talk, "SEV-2", commander="kim")
    talk.expect_sms("kim", f"INC-{first} SEV-2")
    talk.expect_no_page("kim")  # no call yet
    jump(talk, seconds=talk.runtime.settings.voice_delay_seconds)
    talk.expect_call("kim")

    second = declare(talk, "SEV-2", commander="lee")
    talk.expect_sms("lee", f"INC-{second} SEV-2")
    assert talk.reply("lee", f"a INC-{second}") == f"Acknowledged INC-{second}: you are Incident Commander"
    jump(talk, seconds=talk.runtime.settings.voice_delay_seconds + 60)
    talk.expect_no_page("lee")
    lines = [e["text"] for e in incident(talk, second)["timeline"]]
    assert any("acknowledged the page (Incident Commander) by sms" in line for line in lines)


def test_a_failed_role_sms_falls_back_to_a_call(talk: Conversation):
    talk.fake.fail_next("sms", 400, 21614, to=talk.phone("lee"))  # not a mobile number
    declare(talk, "SEV-2", commander="lee")
    talk.tick()
    talk.expect_call("lee")


def test_sev3_role_notice_waits_for_business_hours_then_one_sms(talk: Conversation):
    talk.clock.advance(timedelta(hours=9))  # Tuesday 20:00 in Seoul
    number = declare(talk, "SEV-3", scribe="lee")
    talk.expect_no_page("lee")
    jump(talk, hours=12, minutes=59)  # Wednesday 08:59
    talk.expect_no_page("lee")
    jump(talk, minutes=1)  # 09:00
    sms = talk.expect_sms("lee", f"INC-{number} SEV-3", "you are Scribe", f"u INC-{number}")
    assert len(sms.body) <= 160
    jump(talk, minutes=5)
    talk.expect_no_page("lee")  # one SMS, no call


def test_sev3_notice_of_an_incident_resolved_before_business_hours_is_dropped(talk: Conversation):
    talk.clock.advance(timedelta(hours=9))
    number = declare(talk, "SEV-3", scribe="lee")
    answer = talk.client.post(
        f"/api/v1/incidents/{number}/updates",
        json={"status": "Resolved", "impact": "none"},
        headers=talk.auth,
    )
    assert answer.status_code == 201
    jump(talk, hours=14)
    talk.expect_no_page("lee")


def test_the_same_role_again_is_not_paged_twice(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim")
    talk.expect_sms("kim", f"INC-{number}")
    talk.expect_call("kim")
    assign(talk, number, commander="kim")  # the same holder: no change
    jump(talk, minutes=2)
    talk.expect_no_page("kim")
    assign(talk, number, commander="lee")
    talk.expect_sms("lee", f"INC-{number}", "Incident Commander")
    talk.expect_call("lee")
    assign(talk, number, commander="kim")  # back to Kim: she was paged for it already
    jump(talk, minutes=2)
    talk.expect_no_page("kim")


def test_role_pages_share_the_per_person_rate_limit_with_alert_pages(talk: Conversation):
    talk.page("HighErrorRate", summary="error rate 45%")
    talk.expect_sms("kim", "HighErrorRate")
    talk.expect_call("kim")
    number = declare(talk, "SEV-1", commander="kim")
    talk.tick()
    waiting = [m for m in talk.fake.unexpected(talk.phone("kim")) if isinstance(m, FakeMessage)]
    assert waiting == []  # the role SMS waits for the minute since the alert's SMS
    jump(talk, seconds=61)
    talk.expect_sms("kim", f"INC-{number}", "Incident Commander")


def test_someone_without_a_phone_number_is_skipped_with_a_timeline_line(session, config, clock):
    people = dict(config.people)
    people["kim"] = dataclasses.replace(people["kim"], phone=None)
    config = dataclasses.replace(config, people=people)
    now: datetime = clock.now()
    found = service.declare(
        session,
        config,
        title="Payment API errors",
        severity="SEV-1",
        now=now,
        actor="token:ci",
        roles={"commander": "kim", "scribe": "lee"},
        follow=IncidentPager(),
    )
    pages = session.scalars(select(Notification.person).where(Notification.incident_id == found.id)).all()
    assert set(pages) == {"lee"}
    lines = session.scalars(select(IncidentEntry.text).where(IncidentEntry.incident_id == found.id)).all()
    assert "Kim has no phone number and cannot be paged as Incident Commander" in lines


def test_the_postmortem_tells_role_pages_as_the_services_doing_not_a_persons(talk: Conversation):
    number = declare(talk, "SEV-1", commander="kim")
    talk.expect_sms("kim", f"INC-{number}")
    markdown = talk.client.get(f"/api/v1/incidents/{number}/postmortem", headers=talk.auth).get_data(
        as_text=True
    )
    (row,) = [line for line in markdown.splitlines() if "Paging Kim" in line]
    assert row.split("|")[2].strip().startswith("Paging Kim (Incident Commander)")  # no "pager:" as a person
