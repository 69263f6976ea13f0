"""Each page's label, first match wins (docs/auditor.md), and the per-rule counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from audit_builders import MIN, NOW, episode

from alertaudit.counts import rule_history
from alertaudit.episodes import fold_events
from alertaudit.events import AlertEvent
from alertaudit.labels import label_page

T0 = NOW - timedelta(days=1)


def only_episode(events):
    (ep,) = fold_events(events).values()
    return ep


@pytest.mark.parametrize(
    ("outcome", "label", "weight"),
    [
        pytest.param({"vote": "noise", "incident": "INC-1"}, "noise", 1.0, id="a vote beats all"),
        pytest.param(
            {"vote": "actionable", "resolve_after": 2 * MIN},
            "actionable",
            1.0,
            id="vote actionable beats auto-resolve",
        ),
        pytest.param(
            {"incident": "INC-7", "resolve_after": MIN}, "actionable", 1.0, id="linked to an incident"
        ),
        pytest.param({"resolve_after": 4 * MIN}, "noise", 1.0, id="auto-resolved in 4 min, no ack"),
        pytest.param({"resolve_after": 9 * MIN}, "unlabelled", 0.0, id="auto-resolved after 9 min, no ack"),
        pytest.param({"escalated_last": True}, "noise", 0.75, id="escalation ran out, no ack"),
        pytest.param(
            {"ack_after": MIN, "resolve_after": 15 * MIN}, "actionable", 0.75, id="acked and engaged 14 min"
        ),
        pytest.param(
            {"ack_after": MIN, "close_after": 2 * MIN}, "noise", 0.5, id="acked and closed within 2 min"
        ),
        pytest.param(
            {"ack_after": MIN, "close_after": 6 * MIN}, "unlabelled", 0.0, id="acked, closed after 5 min"
        ),
        pytest.param(
            {"ack_after": MIN, "escalated_last": True, "resolve_after": 3 * MIN},
            "unlabelled",
            0.0,
            id="acked: escalation rule does not apply",
        ),
        pytest.param({}, "unlabelled", 0.0, id="no outcome at all, still open"),
    ],
)
def test_label_table(outcome, label, weight):
    ep = only_episode(episode("R", "e1", T0, **outcome))
    got = label_page(ep, NOW)
    assert (got.label, got.weight) == (label, weight)


def test_events_in_any_order_make_the_same_episode():
    events = episode("R", "e1", T0, ack_after=MIN, resolve_after=20 * MIN, vote="noise")
    assert only_episode(events) == only_episode(list(reversed(events)))


@pytest.mark.parametrize(
    ("hour_utc", "tz", "part"),
    [
        pytest.param(1, "UTC", "sleep", id="01:00 UTC Monday, UTC person: sleep"),
        pytest.param(10, "UTC", "business", id="10:00 UTC Monday, UTC person: business"),
        pytest.param(19, "UTC", "off", id="19:00 UTC Monday, UTC person: off hours"),
        pytest.param(23, "UTC", "sleep", id="23:00 UTC Monday, UTC person: sleep"),
        pytest.param(18, "Asia/Seoul", "sleep", id="18:00 UTC is 03:00 in Seoul: sleep"),
        pytest.param(2, "Asia/Seoul", "business", id="02:00 UTC is 11:00 in Seoul: business"),
    ],
)
def test_pages_are_judged_on_the_paged_persons_clock(hour_utc, tz, part):
    monday = NOW.replace(month=6, day=1, hour=hour_utc, minute=0)  # 2026-06-01 is a Monday
    history = rule_history(list(fold_events(episode("R", "e", monday, tz=tz)).values()), NOW)
    assert history.pages[0].part_of_day == part


def test_counts_over_a_small_history():
    events = (
        episode("R", "a", T0, ack_after=2 * MIN, resolve_after=30 * MIN)
        + episode("R", "b", T0 + 180 * MIN, ack_after=8 * MIN, close_after=20 * MIN)
        + episode("R", "c", T0 + 360 * MIN, resolve_after=3 * MIN)  # transient, auto-resolved
        + episode("R", "d", T0 + 390 * MIN, resolve_after=3 * MIN)  # flaps: 27 min after c
        + episode("R", "e", T0 + 600 * MIN, person=None, resolve_after=40 * MIN)  # no page
        + episode("R", "f", T0 + 840 * MIN, escalated_last=True, vote="noise")
    )
    c = rule_history(list(fold_events(events).values()), NOW).counts
    assert (c.episodes, c.pages, c.acks) == (6, 5, 2)
    assert (c.tta_median_s, c.tta_p90_s) == (300.0, pytest.approx(444.0))
    assert (c.auto_resolved, c.transient, c.flapping) == (3, 2, 1)
    assert c.transient_or_flapping == 2
    assert (c.escalated_out, c.votes_noise, c.votes_actionable) == (1, 1, 0)
    assert (c.actionable_pages, c.noise_pages, c.unlabelled_pages) == (2, 3, 0)


def test_flapping_is_per_series_not_per_rule():
    a = {"alertname": "R", "instance": "a"}
    b = {"alertname": "R", "instance": "b"}
    events = (
        episode("R", "1", T0, labels=a, resolve_after=10 * MIN)
        + episode("R", "2", T0 + 20 * MIN, labels=b, resolve_after=10 * MIN)  # another series
        + episode("R", "3", T0 + 50 * MIN, labels=a, resolve_after=10 * MIN)  # a again: flaps
    )
    c = rule_history(list(fold_events(events).values()), NOW).counts
    assert c.flapping == 1


def test_a_person_paged_twice_counts_once_at_the_first_page():
    events = episode("R", "e", T0) + [
        AlertEvent(T0 + 5 * MIN, "paged", "R", "e", person="kim", channel="voice"),
        AlertEvent(T0 + 15 * MIN, "paged", "R", "e", person="choi", channel="sms"),
    ]
    ep = only_episode(events)
    assert [(p.person, p.at, p.channel) for p in ep.pages] == [
        ("kim", T0, "sms"),
        ("choi", T0 + 15 * MIN, "sms"),
    ]
