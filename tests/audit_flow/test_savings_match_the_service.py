"""What the report says a demotion saves is what the service then does.

Nine nights of FlappyDisk (SEV-1) at 23:00 in Seoul page the on-call person; eight resolve by
themselves after 2 minutes, the first stays open until 10:00 the next morning. The report's replay
says: with FlappyDisk at SEV-3 the eight pages never go out (held to 09:00, resolved by then) and
the first goes out at 09:00, outside sleep hours. After the auditor applies the demotion, the
service does exactly that with two new alerts.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jsonschema
import pytest

from oncall.schedule.shifts import on_call_at
from oncall.web.openapi import document
from tests.escalation.pager import Pager

DOCUMENT = document()

NIGHT_ONE = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # Tuesday 23:00 in Seoul


@pytest.fixture
def pager(app, client, auth, clock, notifier, runtime) -> Pager:
    return Pager(client, auth, clock, notifier, runtime)


def nine_nights(pager: Pager, clock) -> list[str]:
    """Fire the nine nights; returns who was on call each night."""
    paged = []
    for night in range(9):
        clock.set(NIGHT_ONE + timedelta(days=night))
        paged.append(on_call_at(pager.runtime.config, "payments", clock.now()).person)
        pager.fire("FlappyDisk", severity="critical", dedup=f"n{night}")
        if night == 0:  # open until 10:00 the next morning
            clock.set(NIGHT_ONE + timedelta(hours=11))
        else:
            pager.advance(minutes=2)
        pager.fire("FlappyDisk", severity="critical", dedup=f"n{night}", status="resolved")
    clock.set(NIGHT_ONE + timedelta(days=8, hours=12))  # the next noon
    return paged


def report_validator() -> jsonschema.Draft202012Validator:
    response = DOCUMENT["paths"]["/api/v1/audit/report"]["get"]["responses"]["200"]
    schema = response["content"]["application/json"]["schema"]
    return jsonschema.Draft202012Validator({**schema, "components": DOCUMENT["components"]})


def test_the_replayed_window_is_what_the_demoted_rule_then_does(pager: Pager, client, auth, clock):
    paged = nine_nights(pager, clock)
    report = client.get("/api/v1/audit/report", headers=auth).json
    report_validator().validate(report)
    assert report["sample"] is False
    savings = report["savings"]
    assert savings["rules"] == [
        {
            "rule": "FlappyDisk",
            "from_severity": "SEV-1",
            "to_severity": "SEV-3",
            "status": "applied",  # the demo configuration is in auto mode
            "pages_before": 9,
            "pages_after": 1,
            "sleep_before": 9,
            "sleep_after": 0,
        }
    ]
    people = {p["person"]: (p["pages_before"], p["pages_after"], p["sleep_after"]) for p in savings["people"]}
    expected = {person: (paged.count(person), 0, 0) for person in set(paged)}
    expected[paged[0]] = (paged.count(paged[0]), 1, 0)  # the first night's page, at 09:00
    assert people == expected

    assert client.post("/api/v1/audit/run", headers=auth).json["applied"] == ["FlappyDisk"]
    # A tenth night, demoted: the short one pages nobody, the long one pages at 09:00.
    clock.set(NIGHT_ONE + timedelta(days=9))  # Thursday 23:00 in Seoul
    on_call = on_call_at(pager.runtime.config, "payments", clock.now()).person
    pager.drain(on_call)
    pager.fire("FlappyDisk", severity="critical", dedup="short")
    pager.fire("FlappyDisk", severity="critical", dedup="long")
    pager.advance(minutes=2)
    pager.fire("FlappyDisk", severity="critical", dedup="short", status="resolved")
    clock.set(NIGHT_ONE + timedelta(days=9, hours=9, minutes=59, seconds=40))  # Friday 08:59:40
    pager.tick()
    pager.expect_no_page(on_call)
    pager.advance(seconds=30)
    text = pager.expect_sms(on_call, contains="FlappyDisk")
    assert text.count("FlappyDisk") >= 1
    pager.expect_no_sms(on_call)  # one page: the short one never went out
