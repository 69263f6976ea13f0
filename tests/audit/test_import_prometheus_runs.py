"""Firing runs of the ALERTS series -> fired/resolved events, across query chunks (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from alertaudit.sources.prometheus import FiringRuns, chunks

S = 1000  # ms
LABELS = {"__name__": "ALERTS", "alertstate": "firing", "alertname": "Flapping", "severity": "warning"}


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_a_run_across_a_chunk_boundary_is_one_episode_and_a_gap_ends_it():
    runs = FiringRuns(step_ms=1 * S)
    first = list(runs.chunk([(LABELS, [8 * S, 9 * S])], last_ms=9 * S))  # still firing at the chunk's end
    second = list(runs.chunk([(LABELS, [10 * S, 11 * S, 15 * S])], last_ms=19 * S))
    kinds = [(e.kind, e.at, e.episode) for e in first + second]
    assert kinds == [
        ("fired", at(8), "prom-" + first[0].episode.split("-")[1] + "-8"),
        ("resolved", at(12), first[0].episode),  # one step after its last sample
        ("fired", at(15), kinds[2][2]),
        ("resolved", at(16), kinds[2][2]),  # the chunk's later steps did not see it
    ]
    assert first[0].labels == {"alertname": "Flapping", "severity": "warning"}
    assert (first[0].rule, first[0].severity) == ("Flapping", "warning")


def test_a_run_still_firing_at_the_end_gets_no_resolved():
    runs = FiringRuns(step_ms=30 * S)
    events = list(runs.chunk([(LABELS, [0, 30 * S, 60 * S])], last_ms=60 * S))
    assert [e.kind for e in events] == ["fired"]


def test_the_rule_follows_auditor_rule_key():
    runs = FiringRuns(step_ms=S, rule_key=("alertname", "severity"))
    (event,) = runs.chunk([(LABELS, [0])], last_ms=0)
    assert event.rule == "Flapping/warning"


def test_chunks_sit_on_the_step_grid_and_cover_the_window_without_overlap():
    assert list(chunks(start_ms=1_500, end_ms=10_000, step_ms=1_000, max_points=4)) == [
        (2_000, 5_000),
        (6_000, 9_000),
        (10_000, 10_000),
    ]
    # the same instants whatever the window start: overlapping imports see the same samples
    assert next(chunks(start_ms=1_999, end_ms=5_000, step_ms=1_000, max_points=4))[0] == 2_000
