"""The seed's night, 03:12–04:15 UTC, replayed through the HTTP API on a controlled clock.

The payment API's v2.14.0 deploy at 03:00 starts the impact; the error-rate alert fires at 03:12
and pages the on-call; at 03:15 Kim declares a SEV-1 as Commander with Lee as SME (Park, on call,
is Scribe); updates at 03:20 (Investigating), 03:31 (Identified), 03:35 and 03:40 (Monitoring)
and 04:15 (Resolved); the Scribe's notes; the action items of the seed's table. Then the
postmortem's timeline must be in time order with the night's rows, the measures must be what
the seed's definitions give when worked out by hand, and the action items fall overdue on their
dates (the team's dates, in Seoul).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

API = "/api/v1/incidents"
DAY = datetime(2026, 3, 20, tzinfo=UTC)  # a Friday: Park is on call (12:12 KST)
SEOUL = ZoneInfo("Asia/Seoul")
ACTION_ITEMS = [  # the seed's table
    ("Add EXPLAIN ANALYZE validation to CI pipeline", "lee", "2026-03-27", "P1"),
    ("Script to keep staging DB at ≥10% of production scale", "park", "2026-03-31", "P1"),
    ("Implement payment kill switch as feature flag", "kim", "2026-03-28", "P2"),
    ("Automate status page update within 5 min of SEV-1", "park", "2026-04-07", "P2"),
    ("Add DB query performance anomaly detection alert", "lee", "2026-04-07", "P2"),
]


def at(hh_mm: str) -> datetime:
    """That UTC time on the night."""
    hours, minutes = map(int, hh_mm.split(":"))
    return DAY + timedelta(hours=hours, minutes=minutes)


def local(hh_mm: str) -> str:
    """How the postmortem's table writes that moment (the team's zone, Seoul)."""
    return at(hh_mm).astimezone(SEOUL).strftime("%H:%M")


class Night:
    """The API, the clock and the token, in the words of the story."""

    def __init__(self, client, auth, clock, runtime) -> None:
        self.client, self.auth, self.clock, self.runtime = client, auth, clock, runtime
        self.incident = 0

    def at(self, hh_mm: str) -> Night:
        self.clock.set(at(hh_mm))
        return self

    def post(self, path: str, body: dict, status: int = 201) -> dict:
        response = self.client.post(path, json=body, headers=self.auth)
        assert response.status_code == status, response.json
        return response.json

    def get(self, path: str):
        response = self.client.get(path, headers=self.auth)
        assert response.status_code == 200, response.data
        return response

    def update(self, status: str, impact: str, work: str | None = None) -> dict:
        body = {"status": status, "impact": impact, "person": "kim", "next_update_in": "15m"}
        return self.post(f"{API}/{self.incident}/updates", body | ({"current_work": work} if work else {}))

    def note(self, text: str) -> None:
        self.post(f"{API}/{self.incident}/notes", {"text": text, "person": "park"})  # the Scribe writes

    def overdue(self) -> list[str]:
        return [i["title"] for i in self.get("/api/v1/action-items?state=overdue").json["action_items"]]


@pytest.fixture
def night(client, auth, clock, runtime) -> Night:
    return Night(client, auth, clock, runtime)


def replay(night: Night) -> int:
    """The night as the seed tells it; returns the alert's id."""
    fired = night.at("03:12").post(
        "/api/v1/alerts",
        {
            "rule": "PaymentApiErrorRate",
            "severity": "critical",
            "summary": "API error rate 45%",
            "labels": {"team": "payments"},
        },
    )
    alert = fired["created"][0]
    night.runtime.engine.tick()  # the page goes out (to Park, on call)
    night.at("03:14").post(f"/api/v1/alerts/{alert}/ack", {"person": "park"}, status=200)
    declared = night.at("03:15").post(
        API,
        {
            "title": "Payment API error rate 45%",
            "severity": "SEV-1",
            "alert_ids": [alert],
            "impact_started_at": at("03:00").isoformat(),
            "roles": {"commander": "kim", "sme": "lee", "scribe": "park"},
            "person": "kim",
        },
    )
    night.incident = declared["id"]
    night.at("03:17").note("Lee confirms 45% error rate on /api/payments")
    night.at("03:20").update("Investigating", "Payment API, all users", "reviewing slow query logs")
    night.at("03:22").note("Lee begins slow query log analysis")
    night.at("03:31").update(
        "Identified", "Payment API, all users", "full table scan on user_payment_methods"
    )
    night.at("03:35").update("Monitoring", "error rate drops to 2%", "payment feature in maintenance mode")
    night.at("03:40").update("Monitoring", "error rate 2%", "index rebuild started")
    night.at("04:10").note("Index rebuild complete, maintenance mode disabled")
    night.at("04:15").update("Resolved", "error rate 0.1%, normalized")
    for title, owner, due, priority in ACTION_ITEMS:
        item = {"title": title, "owner": owner, "due": due, "priority": priority, "person": "kim"}
        night.post(f"{API}/{night.incident}/action-items", item)
    return alert


def timeline_rows(markdown: str) -> list[tuple[str, str]]:
    """(time, event) of each row of the postmortem's Timeline table."""
    section = markdown.split("## Timeline", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| (\d\d:\d\d) \| (.*) \|$", section, flags=re.MULTILINE)


def test_the_postmortem_timeline_tells_the_night_in_order(night):
    alert = replay(night)

    response = night.get(f"{API}/{night.incident}/postmortem")

    assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
    rows = timeline_rows(response.text)
    times = [time for time, _ in rows]
    assert times == sorted(times)
    expected = [  # (time, words the row must hold), in the night's order
        ("03:12", f"Alert #{alert} PaymentApiErrorRate fired"),
        ("03:12", "Paged Park"),
        ("03:14", "acknowledged"),
        ("03:15", "declared SEV-1: Payment API error rate 45%"),
        ("03:15", "Kim is Commander"),
        ("03:15", "Lee is SME"),
        ("03:17", "Lee confirms 45% error rate on /api/payments"),
        ("03:20", "Status Investigating"),
        ("03:22", "Lee begins slow query log analysis"),
        ("03:31", "Status Identified"),
        ("03:35", "Status Monitoring — impact: error rate drops to 2%"),
        ("03:40", "index rebuild started"),
        ("04:10", "Index rebuild complete, maintenance mode disabled"),
        ("04:15", "Status Resolved — impact: error rate 0.1%, normalized"),
    ]
    position = 0
    for time, words in expected:
        found = next(
            (i for i in range(position, len(rows)) if rows[i][0] == local(time) and words in rows[i][1]), None
        )
        assert found is not None, f"no row {local(time)} '{words}' after row {position} in {rows}"
        position = found + 1
    assert "Scribe (Park): Lee confirms" in response.text  # blameless: a role's action, by role
    for title, *_ in ACTION_ITEMS:
        assert title in response.text.split("## Action Items", 1)[1]


def test_the_measures_are_the_seeds_definitions_worked_out_by_hand(night):
    replay(night)

    body = night.get(f"{API}/metrics?since=90d").json

    minutes = 60.0
    # MTTD: impact start (the 03:00 deploy) -> first alert firing (03:12)
    # MTTA: first alert firing (03:12) -> Commander assigned (03:15)
    # MTTM: Commander assigned (03:15) -> first Monitoring (03:35)
    # MTTR: Commander assigned (03:15) -> Resolved (04:15)
    by_hand = {
        "count": 1,
        "mttd_seconds": 12 * minutes,
        "mtta_seconds": 3 * minutes,
        "mttm_seconds": 20 * minutes,
        "mttr_seconds": 60 * minutes,
    }
    assert body["overall"] == by_hand
    assert body["by_severity"] == {"SEV-1": by_hand}
    assert body["by_team"] == {"payments": by_hand}


def test_action_items_fall_overdue_on_their_dates_in_seoul(night):
    replay(night)
    assert night.overdue() == []

    night.clock.set(datetime(2026, 3, 27, 14, 59, tzinfo=UTC))  # 23:59 on the 27th in Seoul: due today
    assert night.overdue() == []
    night.clock.set(datetime(2026, 3, 27, 15, 0, tzinfo=UTC))  # midnight in Seoul: the 28th
    assert night.overdue() == [ACTION_ITEMS[0][0]]
    night.clock.set(datetime(2026, 4, 8, 0, 0, tzinfo=UTC))
    assert sorted(night.overdue()) == sorted(title for title, *_ in ACTION_ITEMS)

    first = night.get("/api/v1/action-items?state=overdue").json["action_items"][0]
    night.client.patch(f"/api/v1/action-items/{first['id']}", json={"done": True}, headers=night.auth)
    assert first["title"] not in night.overdue()
    assert len(night.overdue()) == 4
