"""The incident pages through Flask's test client: declare, roles, updates, notes, action items,
the postmortem download, MTTx, the alert page's Declare button and paging the alerts list.

The clock stands at Tue 2026-03-03 11:00 KST: Kim is on call for payments.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from oncall.incidents import service
from oncall.incidents.models import ActionItem, Incident
from oncall.paging.models import Notification
from oncall.ui import alerts as alert_pages
from oncall.ui import incidents as incident_pages
from tests.ui.conftest import csrf_of, fire, sign_in

HOSTILE = '<script>alert("x")</script>'


def declare(client, title: str = "Checkout failing", **fields) -> int:
    """Declare through the list page's form; returns the new incident's id."""
    token = csrf_of(client.get("/incidents").get_data(as_text=True))
    data = {"csrf_token": token, "title": title, "severity": "SEV-2", "commander": "me", **fields}
    answer = client.post("/incidents", data=data)
    assert answer.status_code == 302, answer.get_data(as_text=True)
    return int(re.fullmatch(r"/incidents/(\d+)", answer.headers["Location"])[1])


def post(client, path: str, **data):
    """A form post from the incident's page, with its CSRF token."""
    token = csrf_of(client.get("/incidents").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def stored(runtime, incident_id: int) -> Incident:
    with runtime.db.session() as session:
        return session.get(Incident, incident_id)


def incident_count(runtime) -> int:
    with runtime.db.session() as session:
        return session.scalar(select(func.count()).select_from(Incident))


def text_of(html: str) -> str:
    """The page's text without tags, whitespace collapsed (what a reader sees)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_every_incident_page_renders_for_anonymous_and_signed_in(client, signed_in, runtime):
    incident_id = declare(signed_in)
    paths = [
        "/incidents",
        "/incidents?status=all",
        f"/incidents/{incident_id}",
        "/incidents/action-items",
        "/incidents/metrics",
        "/incidents/metrics?since=7d",
        f"/incidents/{incident_id}/postmortem.md",
    ]
    for path in paths:
        assert signed_in.get(path).status_code == 200, path
    signed_in.post("/logout", data={"csrf_token": csrf_of(signed_in.get("/").get_data(as_text=True))})
    for path in paths:
        assert signed_in.get(path).status_code == 200, path
    assert signed_in.get("/incidents/999").status_code == 404


def test_declare_form_attaches_alerts_and_makes_the_declarer_commander(signed_in, auth, runtime):
    alert_id = fire(signed_in, auth, "PaymentsDown", summary="checkout 5xx above 5%")
    incident_id = declare(signed_in, "Checkout failing", severity="SEV-1", alert_ids=f"#{alert_id}")
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        roles = service.current_roles(session, incident)
        assert (incident.severity, incident.status, incident.declared_by) == ("SEV-1", "Investigating", "kim")
        assert roles["commander"].person == "kim"
        assert [r.text for r in service.timeline(session, incident) if r.kind == "alert"] == [
            f"Alert #{alert_id} PaymentsDown attached"
        ]
    page = signed_in.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert f"INC-{incident_id} declared." in page
    listing = text_of(signed_in.get("/incidents").get_data(as_text=True))
    assert f"INC-{incident_id} Checkout failing Investigating" in listing
    assert "Commander: Kim" in listing


@pytest.mark.parametrize(
    "fields, status, message",
    [
        pytest.param({"title": "  "}, 400, "title must not be empty", id="empty title"),
        pytest.param({"severity": "SEV-9"}, 400, "severity must be one of SEV-1", id="bad severity"),
        pytest.param({"alert_ids": "12; drop"}, 400, "is not an alert id", id="not an id"),
        pytest.param({"alert_ids": "999"}, 422, "no alert #999", id="unknown alert"),
    ],
)
def test_a_refused_declaration_says_why_and_stores_nothing(signed_in, runtime, fields, status, message):
    token = csrf_of(signed_in.get("/incidents").get_data(as_text=True))
    data = {"csrf_token": token, "title": "Checkout failing", "severity": "SEV-2", **fields}
    answer = signed_in.post("/incidents", data=data)
    assert answer.status_code == status
    assert message in answer.get_data(as_text=True)
    assert incident_count(runtime) == 0


def test_forms_need_the_csrf_token(signed_in, runtime):
    answer = signed_in.post("/incidents", data={"title": "x", "severity": "SEV-2"})
    assert answer.status_code == 400 and "did not come from this site" in answer.get_data(as_text=True)
    incident_id = declare(signed_in)
    answer = signed_in.post(
        f"/incidents/{incident_id}/notes", data={"text": "forged", "csrf_token": "not-the-token"}
    )
    assert answer.status_code == 400
    with runtime.db.session() as session:
        assert "forged" not in [r.text for r in service.timeline(session, stored(runtime, incident_id))]


def test_anonymous_visitors_read_but_cannot_write(client, logins, runtime):
    assert sign_in(client).status_code == 302
    incident_id = declare(client)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    page = client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    assert "Post update" not in page and "Assign roles" not in page and "Save draft" not in page
    assert "Sign in</a> to post updates" in page
    token = csrf_of(client.get("/login").get_data(as_text=True))
    writes = {
        "/incidents": {"title": "anon", "severity": "SEV-1"},
        f"/incidents/{incident_id}/roles": {"commander": "person:lee"},
        f"/incidents/{incident_id}/updates": {"status": "Resolved", "impact": "none"},
        f"/incidents/{incident_id}/notes": {"text": "anon note"},
        f"/incidents/{incident_id}/action-items": {"title": "a", "owner": "kim", "due": "2026-03-10"},
        f"/incidents/{incident_id}/postmortem": {"postmortem": "# mine"},
    }
    for path, data in writes.items():
        assert client.post(path, data={"csrf_token": token, **data}).status_code == 401, path
    assert incident_count(runtime) == 1
    incident = stored(runtime, incident_id)
    assert (incident.status, incident.postmortem_draft) == ("Investigating", None)


def test_hostile_titles_notes_and_items_are_shown_as_text(signed_in, runtime):
    incident_id = declare(signed_in, HOSTILE, summary=HOSTILE)
    assert (
        post(
            signed_in, f"/incidents/{incident_id}/notes", text=f"<img src=x onerror=alert(1)> {HOSTILE}"
        ).status_code
        == 302
    )
    item = {"title": HOSTILE, "owner": "lee", "due": "2026-03-10", "priority": "P1"}
    assert post(signed_in, f"/incidents/{incident_id}/action-items", **item).status_code == 302
    for path in ("/incidents", f"/incidents/{incident_id}", "/incidents/action-items"):
        page = signed_in.get(path).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page, path
        assert "&lt;script&gt;alert(" in page, path


def test_anonymous_visitors_see_phone_numbers_masked(client, logins, runtime):
    assert sign_in(client).status_code == 302
    incident_id = declare(client, "Call Kim on +821012345601", summary="reach Kim at +821012345601")
    post(client, f"/incidents/{incident_id}/postmortem", postmortem="# INC\nKim: +821012345601\n")
    assert "+821012345601" in client.get(f"/incidents/{incident_id}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/").get_data(as_text=True))})
    for path in ("/incidents", f"/incidents/{incident_id}", f"/incidents/{incident_id}/postmortem.md"):
        body = client.get(path).get_data(as_text=True)
        assert "+821012345601" not in body, path
        assert "+82 10-****-5601" in body, path


def test_status_updates_move_forward_and_a_refused_move_says_why(signed_in, runtime, clock):
    incident_id = declare(signed_in)
    answer = post(
        signed_in,
        f"/incidents/{incident_id}/updates",
        status="Monitoring",
        impact="checkout errors 2%",
        current_work="rolled back",
        next_update_in="30m",
    )
    assert answer.status_code == 302
    incident = stored(runtime, incident_id)
    assert incident.status == "Monitoring"
    assert incident.next_update_due_at == clock.now() + timedelta(minutes=30)

    refused = post(signed_in, f"/incidents/{incident_id}/updates", status="Investigating", impact="again")
    assert refused.status_code == 409
    assert "status cannot go from Monitoring to Investigating" in refused.get_data(as_text=True)
    assert stored(runtime, incident_id).status == "Monitoring"

    back = post(
        signed_in, f"/incidents/{incident_id}/updates", status="Identified", impact="fix did not hold"
    )
    assert back.status_code == 302 and stored(runtime, incident_id).status == "Identified"
    timeline = text_of(signed_in.get(f"/incidents/{incident_id}").get_data(as_text=True))
    assert "Status Monitoring — impact: checkout errors 2%; current work: rolled back" in timeline
    bad = post(
        signed_in, f"/incidents/{incident_id}/updates", status="Resolved", impact="x", next_update_in="soon"
    )
    assert bad.status_code == 400 and "next update in" in bad.get_data(as_text=True)


def test_an_overdue_status_update_is_highlighted(signed_in, clock):
    incident_id = declare(signed_in, severity="SEV-1")  # SEV-1: an update every 15 minutes
    row = signed_in.get("/incidents").get_data(as_text=True).split(f'data-testid="incident-{incident_id}"')
    assert "overdue" not in row[0].rsplit("<li", 1)[1] and "next update by 11:15" in row[1]
    clock.advance(timedelta(minutes=16))
    listing = signed_in.get("/incidents").get_data(as_text=True)
    assert f'class="incident-row overdue" data-testid="incident-{incident_id}"' in listing
    assert "update overdue since 11:15" in listing
    assert "Status update overdue" in signed_in.get(f"/incidents/{incident_id}").get_data(as_text=True)


def test_roles_go_to_a_person_or_to_whoever_is_on_call(signed_in, runtime):
    incident_id = declare(signed_in, commander="")
    answer = post(
        signed_in, f"/incidents/{incident_id}/roles", commander="person:lee", scribe="rotation:payments"
    )
    assert answer.status_code == 302
    with runtime.db.session() as session:
        roles = service.current_roles(session, stored(runtime, incident_id))
        assert {r: (v.person, v.source) for r, v in roles.items()} == {
            "commander": ("lee", "person"),
            "scribe": ("kim", "rotation payments"),
        }
    roles_html = (
        signed_in.get(f"/incidents/{incident_id}").get_data(as_text=True).split('data-testid="roles"')[1]
    )
    assert (
        "<dt>Commander</dt><dd>Lee" in roles_html
        and 'Kim <span class="muted">(on call in payments)' in roles_html
    )
    for bad, status, message in (
        ({"sme": "person:nobody"}, 422, "unknown person &#39;nobody&#39;"),
        ({"sme": "rotation:nowhere"}, 422, "unknown rotation &#39;nowhere&#39;"),
        ({"sme": "somebody"}, 400, "is neither a person nor a rotation"),
        ({}, 400, "choose someone for at least one role"),
    ):
        refused = post(signed_in, f"/incidents/{incident_id}/roles", **bad)
        assert refused.status_code == status and message in refused.get_data(as_text=True), bad


def test_action_items_report_overdue_first_and_marking_done_removes_them(signed_in, runtime, clock):
    incident_id = declare(signed_in)
    for title, due in (("Add a canary", "2026-03-20"), ("Alert on queue depth", "2026-03-05")):
        item = {"title": title, "owner": "lee", "due": due, "priority": "P2"}
        assert post(signed_in, f"/incidents/{incident_id}/action-items", **item).status_code == 302
    refused = post(signed_in, f"/incidents/{incident_id}/action-items", title="x", owner="lee", due="soon")
    assert refused.status_code == 400 and "due must be a date (YYYY-MM-DD)" in refused.get_data(as_text=True)
    clock.advance(timedelta(days=5))  # Sun 8 Mar in Seoul: the queue-depth item is 3 days late
    assert sign_in(signed_in).status_code == 302  # the session ended after 12 hours
    report = signed_in.get("/incidents/action-items").get_data(as_text=True)
    overdue = text_of(report.split('data-testid="overdue"')[1].split("</table>")[0])
    later = text_of(report.split('data-testid="open"')[1].split("</table>")[0])
    assert f"Alert on queue depth INC-{incident_id} Lee 2026-03-05 P2 3 days overdue" in overdue
    assert "Add a canary" in later and "Add a canary" not in overdue
    with runtime.db.session() as session:
        late_id = session.scalar(select(ActionItem.id).where(ActionItem.title == "Alert on queue depth"))
    done = post(
        signed_in, f"/incidents/action-items/{late_id}/done", done="1", back="/incidents/action-items"
    )
    assert (done.status_code, done.headers["Location"]) == (302, "/incidents/action-items")
    report = signed_in.get("/incidents/action-items").get_data(as_text=True)
    assert "Action item “Alert on queue depth” done." in report
    assert "Alert on queue depth" not in report.split('data-testid="overdue"')[1]
    assert post(signed_in, "/incidents/action-items/999/done", done="1").status_code == 404


def test_postmortem_downloads_as_markdown_and_an_edited_draft_is_kept(signed_in, runtime):
    incident_id = declare(signed_in, "Checkout failing", severity="SEV-1")
    post(signed_in, f"/incidents/{incident_id}/notes", text="rollback started")
    answer = signed_in.get(f"/incidents/{incident_id}/postmortem.md")
    assert answer.mimetype == "text/markdown"
    assert answer.headers["Content-Disposition"] == f'attachment; filename="INC-{incident_id}-postmortem.md"'
    text = answer.get_data(as_text=True)
    assert "Checkout failing" in text and "rollback started" in text and "SEV-1" in text
    edited = text.replace("rollback started", "rollback started (edited)")
    assert (
        post(
            signed_in, f"/incidents/{incident_id}/postmortem", postmortem=edited.replace("\n", "\r\n")
        ).status_code
        == 302
    )
    assert signed_in.get(f"/incidents/{incident_id}/postmortem.md").get_data(as_text=True) == edited
    empty = post(signed_in, f"/incidents/{incident_id}/postmortem", postmortem="   ")
    assert empty.status_code == 400 and "the postmortem is empty" in empty.get_data(as_text=True)


def test_metrics_page_shows_the_measures_of_a_replayed_incident(signed_in, auth, clock):
    alert_id = fire(signed_in, auth, "PaymentsDown")  # fires at 11:00
    clock.advance(timedelta(minutes=5))
    token = csrf_of(signed_in.get(f"/alerts/{alert_id}").get_data(as_text=True))
    answer = signed_in.post(f"/alerts/{alert_id}/declare", data={"csrf_token": token})
    incident_id = int(answer.headers["Location"].rsplit("/", 1)[1])  # Commander at 11:05: MTTA 5m
    clock.advance(timedelta(minutes=15))
    post(signed_in, f"/incidents/{incident_id}/updates", status="Monitoring", impact="degraded")  # MTTM 15m
    clock.advance(timedelta(minutes=15))
    post(signed_in, f"/incidents/{incident_id}/updates", status="Resolved", impact="none")  # MTTR 30m
    page = signed_in.get("/incidents/metrics").get_data(as_text=True)
    table = page.split('data-testid="mttx"')[1].split("</table>")[0]
    rows = [text_of(row).strip() for row in table.split("<tr>")[2:]]
    assert "All 1 — 5m 15m 30m" in rows
    assert "SEV-1 1 — 5m 15m 30m" in rows
    assert "team payments 1 — 5m 15m 30m" in rows
    assert "first alert firing to when a Commander was assigned" in page
    assert signed_in.get("/incidents/metrics?since=forever").status_code == 400


def test_declare_from_an_alert_then_the_alert_links_to_its_incident(signed_in, client, auth, runtime):
    alert_id = fire(signed_in, auth, "PaymentsDown", severity="warning", summary="checkout slow")
    page = signed_in.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert f'aria-label="Declare an incident from alert {alert_id}"' in page
    answer = signed_in.post(f"/alerts/{alert_id}/declare", data={"csrf_token": csrf_of(page)})
    incident_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    with runtime.db.session() as session:
        incident = service.get(session, incident_id)
        alert_severity = signed_in.get(f"/api/v1/alerts/{alert_id}", headers=auth).json["severity"]
        assert (incident.title, incident.severity) == ("PaymentsDown: checkout slow", alert_severity)
        assert service.current_roles(session, incident)["commander"].person == "kim"
    page = signed_in.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "Declare incident</button>" not in page
    assert f'href="/incidents/{incident_id}">INC-{incident_id} PaymentsDown: checkout slow</a>' in page
    again = signed_in.post(f"/alerts/{alert_id}/declare", data={"csrf_token": csrf_of(page)})
    assert again.headers["Location"] == f"/incidents/{incident_id}" and incident_count(runtime) == 1
    assert signed_in.post("/alerts/999/declare", data={"csrf_token": csrf_of(page)}).status_code == 404


def test_the_alert_page_offers_no_declare_button_to_anonymous_visitors(client, auth, runtime):
    alert_id = fire(client, auth, "PaymentsDown")
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    assert "Declare incident" not in page
    token = csrf_of(client.get("/login").get_data(as_text=True))
    assert client.post(f"/alerts/{alert_id}/declare", data={"csrf_token": token}).status_code == 401
    assert incident_count(runtime) == 0


def test_alerts_list_pages_older_alerts_by_id(signed_in, auth, monkeypatch):
    monkeypatch.setattr(alert_pages, "PAGE_SIZE", 2)
    ids = [fire(signed_in, auth, f"Rule{n}") for n in range(5)]
    seen, path = [], "/alerts"
    for _ in range(3):
        page = signed_in.get(path).get_data(as_text=True)
        seen.append([int(i) for i in re.findall(r'data-testid="alert-(\d+)"', page)])
        assert '<span class="count">5</span>' in page  # the heading counts all, not this page
        older = re.search(r'href="(/alerts\?before=\d+)" rel="next">Older', page)
        if older is None:
            break
        path = older[1]
    assert seen == [ids[4:2:-1], ids[2:0:-1], ids[:1]]
    assert signed_in.get("/alerts?before=abc").status_code == 400
    assert signed_in.get("/alerts?before=" + "9" * 5000).status_code == 400
    assert signed_in.get("/alerts?before=0").status_code == 400


def test_incident_list_pages_and_shows_all_or_open(signed_in, monkeypatch):
    monkeypatch.setattr(incident_pages, "PAGE_SIZE", 2)
    ids = [declare(signed_in, f"Incident {n}") for n in range(3)]
    post(signed_in, f"/incidents/{ids[0]}/updates", status="Resolved", impact="none")
    first = signed_in.get("/incidents").get_data(as_text=True)
    assert re.findall(r'data-testid="incident-(\d+)"', first) == [str(ids[2]), str(ids[1])]
    assert f'href="/incidents?before={ids[1]}"' not in first  # two open ones: nothing older
    everything = signed_in.get("/incidents?status=all").get_data(as_text=True)
    older = re.search(r'href="(/incidents\?[^"]+)" rel="next">Older', everything)[1].replace("&amp;", "&")
    assert re.findall(r'data-testid="incident-(\d+)"', signed_in.get(older).get_data(as_text=True)) == [
        str(ids[0])
    ]
    assert signed_in.get("/incidents?before=x").status_code == 400


def test_navigation_links_to_incidents(client):
    page = client.get("/incidents").get_data(as_text=True)
    assert '<a href="/incidents" aria-current="page">Incidents</a>' in page


def test_action_item_due_dates_are_the_teams_dates(signed_in, runtime):
    incident_id = declare(signed_in)
    post(
        signed_in,
        f"/incidents/{incident_id}/action-items",
        title="t",
        owner="kim",
        due="2026-03-03",
        priority="P3",
    )
    with runtime.db.session() as session:
        assert session.scalar(select(ActionItem.due)) == date(2026, 3, 3)
    report = text_of(signed_in.get("/incidents/action-items").get_data(as_text=True))
    assert "due in 0 days" in report  # due today in Seoul: not overdue yet


def test_a_role_given_on_a_sev1_page_pages_that_person(signed_in, runtime):
    incident_id = declare(signed_in, severity="SEV-1")  # Kim took Commander herself: no page
    assert post(signed_in, f"/incidents/{incident_id}/roles", communications="person:lee").status_code == 302
    with runtime.db.session() as session:
        paged = {(n.person, n.channel) for n in session.scalars(select(Notification))}
    assert paged == {("lee", "sms"), ("lee", "voice")}  # SEV-1: SMS and a call at once
