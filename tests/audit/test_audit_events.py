"""The JSON-lines history format: what is accepted, and where a bad line is reported."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from audit_builders import NOW, episode

from alertaudit.events import EventError, read_jsonl, write_jsonl


def test_round_trip_keeps_every_field():
    events = episode("R", "e1", NOW, tz="Asia/Seoul", ack_after=None, vote="noise")
    events += episode("R", "e2", NOW, escalated_last=True, labels={"alertname": "R", "x": "1"})
    out = io.StringIO()
    assert write_jsonl(events, out) == len(events)
    assert list(read_jsonl(io.StringIO(out.getvalue()))) == events


def test_rule_can_come_from_labels_and_the_rule_key():
    line = (
        '{"at": "2026-03-02T10:00:00+09:00", "kind": "fired", "episode": 7,'
        ' "labels": {"alertname": "CPUHigh", "team": "db"}}'
    )
    (event,) = read_jsonl([line], rule_key=("alertname", "team"))
    assert event.rule == "CPUHigh/db"
    assert event.episode == "7"
    assert event.at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def test_blank_lines_and_comments_are_skipped():
    lines = ["# exported 2026-03-02", "", '{"at": 0, "kind": "resolved", "rule": "R", "episode": "1"}']
    (event,) = read_jsonl(lines)
    assert event.at == datetime(1970, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        pytest.param("{not json", "line 2: ", id="not JSON"),
        pytest.param("[1, 2]", "JSON object", id="not an object"),
        pytest.param(
            '{"at": "2026-03-02T10:00:00", "kind": "fired", "rule": "R", "episode": "1"}',
            "no time zone",
            id="naive time",
        ),
        pytest.param(
            '{"at": "2026-03-02T10:00:00Z", "kind": "boom", "rule": "R", "episode": "1"}',
            "'kind' must be one of",
            id="unknown kind",
        ),
        pytest.param(
            '{"at": "2026-03-02T10:00:00Z", "kind": "fired", "episode": "1"}',
            "'rule' is required",
            id="no rule",
        ),
        pytest.param(
            '{"at": "2026-03-02T10:00:00Z", "kind": "paged", "rule": "R", "episode": "1",'
            ' "person": "kim", "channel": "email"}',
            "'channel'",
            id="bad channel",
        ),
        pytest.param(
            '{"at": "2026-03-02T10:00:00Z", "kind": "vote", "rule": "R", "episode": "1", "value": "meh"}',
            "'value'",
            id="bad vote",
        ),
        pytest.param(
            '{"at": "2026-03-02T10:00:00Z", "kind": "acked", "rule": "R", "episode": "1"}',
            "'person' is required",
            id="ack without person",
        ),
    ],
)
def test_bad_lines_name_the_line_and_field(line, message):
    good = '{"at": "2026-03-02T10:00:00Z", "kind": "fired", "rule": "R", "episode": "1"}'
    with pytest.raises(EventError, match="line 2") as info:
        list(read_jsonl([good, line]))
    assert message in str(info.value)
    assert info.value.line == 2
