"""The pages through Flask's test client: what a person sees and what their clicks change.

The clock stands at Tue 2026-03-03 11:00 KST: Kim's first week on payments, Lee next.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from alertaudit.models import RuleDecision, RuleState
from oncall.alerts.models import AlertEvent
from tests.ui.conftest import csrf_of, fire


def test_now_shows_who_until_when_next_and_every_level_with_call_links(signed_in):
    page = signed_in.get("/").get_data(as_text=True)
    card = page.split('data-testid="oncall-payments"')[1].split("</section>")[0]
    assert "<strong>Kim</strong>" in card
    assert "Mon 09 Mar 10:00" in card  # until the next handoff, Seoul time
    assert "next: Lee from" in card
    assert 'href="tel:+821012345601"' in card and 'href="sms:+821012345601"' in card
    for level, name, phone in (
        (1, "Kim", "+821012345601"),
        (2, "Choi", "+821012345604"),
        (3, "Jung", "+821012345605"),
    ):
        item = page.split(f'data-testid="level-payments-{level}"')[1].split("</li>")[0]
        assert f"<strong>{name}</strong>" in item and f"tel:{phone}" in item


def test_acknowledge_from_the_list_shows_on_the_timeline(signed_in, auth):
    alert_id = fire(signed_in, auth, "PaymentsDown", summary="checkout 5xx above 5%")
    listing = signed_in.get("/alerts").get_data(as_text=True)
    assert "PaymentsDown" in listing and "checkout 5xx above 5%" in listing
    answer = signed_in.post(
        f"/alerts/{alert_id}/ack", data={"csrf_token": csrf_of(listing), "back": "/alerts"}
    )
    assert (answer.status_code, answer.headers["Location"]) == (302, "/alerts")
    page = signed_in.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert '<span class="status" data-testid="status">acknowledged</span>' in page
    timeline = page.split('data-testid="timeline"')[1].split("</ol>")[0]
    assert "acknowledged</strong>" in timeline and "by Kim" in timeline and "via web" in timeline


@pytest.mark.parametrize(
    "action, data, expected_status, expected_event",
    [
        pytest.param("resolve", {}, "resolved", "resolved", id="resolve"),
        pytest.param("escalate", {}, "triggered", "escalate_requested", id="escalate"),
        pytest.param("vote", {"value": "noise"}, "triggered", "vote", id="vote noise"),
        pytest.param("vote", {"value": "actionable"}, "triggered", "vote", id="vote actionable"),
    ],
)
def test_alert_actions_go_through_perform(
    signed_in, runtime, auth, action, data, expected_status, expected_event
):
    alert_id = fire(signed_in, auth, "PaymentsDown")
    token = csrf_of(signed_in.get(f"/alerts/{alert_id}").get_data(as_text=True))
    assert (
        signed_in.post(f"/alerts/{alert_id}/{action}", data={"csrf_token": token, **data}).status_code == 302
    )
    with runtime.db.session() as session:
        events = session.scalars(select(AlertEvent).where(AlertEvent.alert_id == alert_id)).all()
        last = events[-1]
        assert (last.kind, last.person, last.channel) == (expected_event, "kim", "web")
        assert last.detail == data.get("value", last.detail)
    assert signed_in.get(f"/api/v1/alerts/{alert_id}", headers=auth).json["status"] == expected_status


def test_a_bad_vote_is_a_message_not_a_crash(signed_in, auth):
    alert_id = fire(signed_in, auth, "PaymentsDown")
    token = csrf_of(signed_in.get("/alerts").get_data(as_text=True))
    signed_in.post(f"/alerts/{alert_id}/vote", data={"csrf_token": token, "value": "maybe"})
    assert "vote must be one of actionable, noise" in signed_in.get("/alerts").get_data(as_text=True)


def test_override_created_in_the_form_shows_in_the_grid_and_can_be_removed(signed_in):
    page = signed_in.get("/schedule/payments").get_data(as_text=True)
    wednesday = page.split('data-day="2026-03-04"')[1].split('role="cell"')[0]
    assert "Kim" in wednesday and "override" not in wednesday
    answer = signed_in.post(
        "/schedule/payments/overrides",
        data={
            "csrf_token": csrf_of(page),
            "person": "park",
            "start": "2026-03-04T09:00",
            "end": "2026-03-04T18:00",
            "reason": "dentist",
        },
    )
    assert answer.status_code == 302
    page = signed_in.get(answer.headers["Location"]).get_data(as_text=True)
    wednesday = page.split('data-day="2026-03-04"')[1].split('role="cell"')[0]
    assert 'class="piece override"' in wednesday and "09:00–18:00" in wednesday and "Park" in wednesday
    assert "for Kim" in wednesday
    overrides = page.split('data-testid="overrides"')[1].split("</ul>")[0]
    assert "Park: Wed 04 Mar 09:00" in overrides and "dentist" in overrides
    remove = overrides.split('action="')[1].split('"')[0]
    assert signed_in.post(remove, data={"csrf_token": csrf_of(page)}).status_code == 302
    page = signed_in.get("/schedule/payments").get_data(as_text=True)
    assert 'class="piece override"' not in page.split('data-day="2026-03-04"')[1].split('role="cell"')[0]


@pytest.mark.parametrize(
    "start, end, message",
    [
        pytest.param(
            "2026-03-04T18:00", "2026-03-04T09:00", "end: must be after start", id="end before start"
        ),
        pytest.param("tomorrow", "2026-03-04T09:00", "is not a date and time", id="unreadable start"),
        pytest.param(
            "2026-03-20T20:00", "2026-03-21T02:00", "overlaps override yaml", id="overlaps the YAML one"
        ),
        pytest.param(
            "2026-03-04T09:00", "2026-03-04T18:00", "reason: at most 200 characters", id="reason too long"
        ),
    ],
)
def test_a_bad_override_is_refused_with_its_reason(signed_in, start, end, message):
    token = csrf_of(signed_in.get("/schedule/payments").get_data(as_text=True))
    reason = "x" * 201 if "reason" in message else ""
    answer = signed_in.post(
        "/schedule/payments/overrides",
        data={"csrf_token": token, "person": "park", "start": start, "end": end, "reason": reason},
    )
    assert answer.status_code == 400
    assert message in answer.get_data(as_text=True)


def test_yaml_override_is_marked_in_the_grid(client):
    march = client.get("/schedule/payments?from=2026-03-16").get_data(as_text=True)
    friday = march.split('data-day="2026-03-20"')[1].split('role="cell"')[0]
    assert 'class="piece override"' in friday and "18:00–24:00" in friday and "Lee" in friday


def test_time_off_is_listed_and_its_cover_marked(client, runtime, config_path):
    # Move Park's holiday into Park's own turn (14-21 Dec) so that Kim, next in the team, covers.
    text = config_path.read_text().replace(
        "from: 2026-12-24, to: 2026-12-28", "from: 2026-12-16, to: 2026-12-17"
    )
    config_path.write_text(text)
    assert runtime.config_store.reload()
    page = client.get("/schedule/payments?from=2026-12-14").get_data(as_text=True)
    assert "Park: Wed 16 Dec 00:00" in page and "(holiday)" in page
    day = page.split('data-day="2026-12-16"')[1].split('role="cell"')[0]
    assert 'class="piece cover"' in day and "Kim" in day and "for Park" in day


def test_subscribe_shows_webcal_and_https_links_that_serve_the_feed(signed_in):
    token = csrf_of(signed_in.get("/schedule/payments").get_data(as_text=True))
    page = signed_in.post("/schedule/payments/subscribe", data={"csrf_token": token}).get_data(as_text=True)
    webcal = page.split('href="webcal://')[1].split('"')[0]
    https = page.split('class="button secondary" href="')[1].split('"')[0]
    assert https.startswith("http://127.0.0.1:8080/calendar/") and https.endswith(
        webcal.split("/calendar/")[1]
    )
    feed = signed_in.get("/calendar/" + https.split("/calendar/")[1])
    assert feed.status_code == 200 and b"BEGIN:VCALENDAR" in feed.data


def test_outbox_lists_the_notification_queue(signed_in, auth, runtime):
    alert_id = fire(signed_in, auth, "PaymentsDown")
    runtime.engine.tick()
    page = signed_in.get("/outbox").get_data(as_text=True)
    assert f"#{alert_id}</a></td><td>Kim</td><td>sms</td>" in page


def test_config_page_shows_each_error_with_its_line(client, runtime, config_path):
    assert "valid and in force" in client.get("/config").get_data(as_text=True)
    config_path.write_text(config_path.read_text().replace('handoff: "mon 10:00"', 'handoff: "someday"'))
    runtime.config_store.reload()
    page = client.get("/config").get_data(as_text=True)
    assert "has errors; the last valid version keeps running" in page
    problem = page.split('class="problems"')[1].split("</ul>")[0]
    line = next(i for i, text in enumerate(config_path.read_text().splitlines(), 1) if "someday" in text)
    assert f"oncall.yaml:{line}:" in problem
    assert "Last applied" in page


def test_noise_report_renders_with_charts_and_a_pin_changes_the_rule(signed_in, auth, runtime, clock):
    alert_id = fire(signed_in, auth, "DiskFull", severity="page")
    runtime.engine.tick()  # Kim is paged: the auditor counts pages
    clock.advance(timedelta(minutes=10))  # the report covers [since, now): let the page be past
    token = csrf_of(signed_in.get("/alerts").get_data(as_text=True))
    signed_in.post(f"/alerts/{alert_id}/vote", data={"csrf_token": token, "value": "noise"})
    page = signed_in.get("/audit").get_data(as_text=True)
    assert "<h1>Alert audit</h1>" in page and "<svg" in page
    assert 'data-testid="rule-DiskFull"' in page
    assert signed_in.post("/audit/DiskFull/pin", data={"csrf_token": token}).status_code == 302
    with runtime.db.session() as session:
        assert session.get(RuleState, "DiskFull").pinned is True
    assert "Unpin" in signed_in.get("/audit").get_data(as_text=True).split('data-testid="rule-DiskFull"')[1]


def test_undo_reverses_a_demotion(signed_in, auth, runtime):
    fire(signed_in, auth, "DiskFull", severity="page")
    at = datetime(2026, 3, 2, tzinfo=UTC)
    with runtime.db.session() as session:
        session.add(
            RuleState(
                rule="DiskFull",
                shift=1,
                pinned=False,
                base_severity="SEV-2",
                changed_at=at,
                changed_by="auditor",
                reason="noisy",
            )
        )
        session.add(
            RuleDecision(
                rule="DiskFull",
                at=at,
                action="demote",
                by="auditor",
                from_shift=0,
                to_shift=1,
                from_severity="SEV-2",
                to_severity="SEV-3",
                reason="noisy",
            )
        )
    page = signed_in.get("/audit").get_data(as_text=True)
    assert "Undo the last change of DiskFull" in page
    assert signed_in.post("/audit/DiskFull/undo", data={"csrf_token": csrf_of(page)}).status_code == 302
    with runtime.db.session() as session:
        assert session.get(RuleState, "DiskFull").shift == 0


def test_unknown_page_is_an_html_page_and_unknown_api_path_is_json(client):
    page = client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert "Back to who is on call" in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.mimetype == "application/json"
