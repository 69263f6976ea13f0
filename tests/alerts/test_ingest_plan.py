"""Ingest as a table: what a batch of incoming alerts stores, given what the store already knows."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import NamedTuple

import pytest

from oncall.alerts.intake import IncomingAlert
from oncall.alerts.plan import IngestPlan, Known, NoRouteError, plan_ingest
from oncall.configfile.loader import load_config
from oncall.settings import ROOT

CONFIG = load_config(ROOT / "config" / "oncall.yaml")  # business hours mon-fri 09-18 Asia/Seoul
NOW = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # Tuesday 11:00 in Seoul: business hours
NIGHT = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)  # Tuesday 22:00 in Seoul
NEXT_MORNING = datetime(2026, 3, 4, 0, 0, tzinfo=UTC)  # Wednesday 09:00 in Seoul


def am(key: str, status: str = "firing", severity: str = "critical", **labels: str) -> IncomingAlert:
    """An Alertmanager alert of team payments (`key` is its episode: fingerprint + startsAt)."""
    labels = {"alertname": "HighErrorRate", "team": "payments", "severity": severity, **labels}
    return IncomingAlert("alertmanager", key, status, labels=labels)


def api(key: str, status: str = "firing") -> IncomingAlert:
    return IncomingAlert(
        "api", key, status, labels={"team": "payments"}, rule="DiskFull", severity="critical"
    )


class New(NamedTuple):
    """What the table says of one new episode."""

    key: str
    status: str
    severity: str
    timeline: tuple[str, ...]
    escalate_at: datetime | None


class Expect(NamedTuple):
    create: tuple[New, ...] = ()
    resolve: tuple[int, ...] = ()
    repeat: tuple[int, ...] = ()
    ignored: int = 0


def outline(plan: IngestPlan) -> Expect:
    new = tuple(
        New(
            e.row["dedup_key"],
            e.row["status"],
            e.row["severity"],
            tuple(kind for kind, _ in e.timeline),
            e.escalate_at,
        )
        for e in plan.create
    )
    return Expect(new, plan.resolve, plan.repeat, plan.ignored)


OPEN_K1 = Known(open_ids={"alertmanager:k1": 7})
CLOSED_K1 = Known(closed=frozenset({("alertmanager", "k1")}))
FIRING_K1 = New("k1", "triggered", "SEV-1", ("received",), NOW)
STORED_RESOLVED_K1 = New("k1", "resolved", "SEV-1", ("received", "resolved"), None)

CASES = [
    ("a new firing alert is stored and escalates now", [am("k1")], Known(), Expect(create=(FIRING_K1,))),
    ("repeat of a firing alert pages nobody", [am("k1")], OPEN_K1, Expect(repeat=(7,))),
    (
        "the same episode twice in one payload is stored once",
        [am("k1"), am("k1")],
        Known(),
        Expect(create=(FIRING_K1,)),
    ),
    ("resolved alert never reopens (a late resend is ignored)", [am("k1")], CLOSED_K1, Expect(ignored=1)),
    (
        "the generic API's key names a problem: firing after its resolution is a new episode",
        [api("disk")],
        Known(closed=frozenset({("api", "disk")})),
        Expect(create=(New("disk", "triggered", "SEV-1", ("received",), NOW),)),
    ),
    ("the source resolves an open alert", [am("k1", "resolved")], OPEN_K1, Expect(resolve=(7,))),
    (
        "a resolution then a new firing of an open key: resolve it, and the firing is new",
        [am("k1", "resolved"), am("k1")],
        OPEN_K1,
        Expect(create=(FIRING_K1,), resolve=(7,)),
    ),
    (
        "fired and resolved in one payload: stored resolved, escalates nobody",
        [am("k1"), am("k1", "resolved")],
        Known(),
        Expect(create=(STORED_RESOLVED_K1,)),
    ),
    (
        "a resolution seen before its firing is kept for history",
        [am("k1", "resolved")],
        Known(),
        Expect(create=(STORED_RESOLVED_K1,)),
    ),
    (
        "a late resolution of a closed episode is ignored",
        [am("k1", "resolved")],
        CLOSED_K1,
        Expect(ignored=1),
    ),
    (
        "SEV-4 is stored and never pages",
        [am("k1", severity="info")],
        Known(),
        Expect(create=(New("k1", "triggered", "SEV-4", ("received", "not_paged"), None),)),
    ),
    (
        "SEV-3 in business hours escalates now",
        [am("k1", severity="warning")],
        Known(),
        Expect(create=(New("k1", "triggered", "SEV-3", ("received",), NOW),)),
    ),
    (
        "an explicit sev label wins over the severity label",
        [am("k1", severity="info", sev="sev-2")],
        Known(),
        Expect(create=(New("k1", "triggered", "SEV-2", ("received",), NOW),)),
    ),
    (
        "a mixed batch: one repeat, one new, one resolved, one ignored",
        [am("k1"), am("k2"), am("k3", "resolved"), am("k4")],
        Known(
            open_ids={"alertmanager:k1": 7, "alertmanager:k3": 9}, closed=frozenset({("alertmanager", "k4")})
        ),
        Expect(
            create=(New("k2", "triggered", "SEV-1", ("received",), NOW),),
            resolve=(9,),
            repeat=(7,),
            ignored=1,
        ),
    ),
]


@pytest.mark.parametrize(("incoming", "known", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_plan_ingest(incoming: list[IncomingAlert], known: Known, expected: Expect) -> None:
    assert outline(plan_ingest(incoming, known, CONFIG, NOW)) == expected


def test_sev3_outside_business_hours_is_held_until_they_start() -> None:
    plan = plan_ingest([am("k1", severity="warning")], Known(), CONFIG, NIGHT)
    (episode,) = plan.create
    assert episode.escalate_at == NEXT_MORNING
    assert episode.timeline[1] == (
        "held",
        "SEV-3 pages in business hours only: held until 2026-03-04T00:00:00+00:00",
    )


def test_the_auditors_demotion_pages_lower_and_says_why_once_per_rule() -> None:
    asked: list[tuple[str, str]] = []

    def demote(rule: str, base: str) -> tuple[str, str | None]:
        asked.append((rule, base))
        return "SEV-3", "noisy: 9 of 10 pages needed nobody"

    plan = plan_ingest([am("k1"), am("k2"), am("k3", "resolved")], Known(), CONFIG, NIGHT, demote)
    first, _, resolved = plan.create
    assert (first.row["severity"], first.row["base_severity"]) == ("SEV-3", "SEV-1")
    assert first.row["severity_reason"] == "noisy: 9 of 10 pages needed nobody"
    assert first.timeline[0] == (
        "received",
        "SEV-1 (severity=critical) from alertmanager; pages as SEV-3: noisy: 9 of 10 pages needed nobody",
    )
    assert first.escalate_at == NEXT_MORNING  # demoted to business hours: held
    assert resolved.row["severity"] == "SEV-1"  # a resolved alert pages nobody: not adjusted
    assert asked == [("HighErrorRate", "SEV-1")]  # asked once for the batch


def test_an_unroutable_firing_refuses_the_batch_and_names_the_alert() -> None:
    config = dataclasses.replace(CONFIG, routes=CONFIG.routes[:1])  # payments only, no default
    incoming = [am("k1"), am("k2", team="search")]
    with pytest.raises(NoRouteError) as refused:
        plan_ingest(incoming, Known(), config, NOW)
    assert refused.value.field == "alerts[1].labels"


def test_an_unroutable_resolution_is_kept_without_a_policy() -> None:
    config = dataclasses.replace(CONFIG, routes=CONFIG.routes[:1])
    (episode,) = plan_ingest([am("k1", "resolved", team="search")], Known(), config, NOW).create
    assert (episode.row["status"], episode.row["policy"], episode.escalate_at) == ("resolved", None, None)
