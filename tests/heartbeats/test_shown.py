"""Heartbeats on the Now page (OK / LATE / MISSING, last beat "… ago") and in /metrics."""

from __future__ import annotations

from datetime import timedelta

from tests.escalation.pager import Pager


def _line(html: str, name: str) -> str:
    start = html.index(f'data-testid="heartbeat-{name}"')
    return html[start : html.index("</li>", start)]


def _sample(text: str, series: str) -> float:
    (line,) = [line for line in text.splitlines() if line.startswith(series + " ")]
    return float(line.split()[-1])


def test_the_now_page_shows_each_heartbeat(pager: Pager, client, auth, clock):
    client.post("/api/v1/heartbeats/prometheus", headers=auth)
    clock.advance(timedelta(minutes=2))
    client.post("/api/v1/heartbeats/backup", headers=auth)
    html = client.get("/").get_data(as_text=True)
    assert '<h2 id="heartbeats">Heartbeats</h2>' in html
    assert "MISSING" in _line(html, "prometheus") and "last beat 2m ago" in _line(html, "prometheus")
    assert ">OK<" in _line(html, "backup") and "last beat 0s ago" in _line(html, "backup")
    clock.advance(timedelta(seconds=30))
    client.post("/api/v1/heartbeats/prometheus", headers=auth)
    clock.advance(timedelta(seconds=70))
    html = client.get("/").get_data(as_text=True)
    assert ">LATE<" in _line(html, "prometheus") and "last beat 1m ago" in _line(html, "prometheus")


def test_metrics_show_the_last_beat_and_whether_missing(pager: Pager, client, auth, clock):
    client.post("/api/v1/heartbeats/prometheus", headers=auth)
    beat_at = clock.now().timestamp()
    pager.tick()
    text = client.get("/metrics").get_data(as_text=True)
    assert _sample(text, 'oncall_heartbeat_last_beat_timestamp_seconds{heartbeat="prometheus"}') == beat_at
    assert 'oncall_heartbeat_last_beat_timestamp_seconds{heartbeat="backup"}' not in text  # never beat
    assert 'oncall_heartbeat_missing{heartbeat="prometheus"} 0.0' in text
    assert 'oncall_heartbeat_missing{heartbeat="backup"} 0.0' in text
    clock.advance(timedelta(seconds=90))
    text = client.get("/metrics").get_data(as_text=True)
    assert 'oncall_heartbeat_missing{heartbeat="prometheus"} 1.0' in text
