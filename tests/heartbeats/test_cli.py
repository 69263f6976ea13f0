"""`python -m oncall heartbeats`: one line per heartbeat, exit 1 while one is missing."""

from __future__ import annotations

from datetime import timedelta

from oncall.heartbeats.cli import list_heartbeats


def test_lists_each_heartbeat_and_fails_while_one_is_missing(runtime, client, auth, clock, capsys):
    client.post("/api/v1/heartbeats/prometheus", headers=auth)
    clock.advance(timedelta(seconds=30))
    assert list_heartbeats(runtime) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("backup ") and "not seen yet" in lines[0]
    assert lines[1].startswith("prometheus ") and "OK       last beat 30s ago (api)" in lines[1]
    clock.advance(timedelta(seconds=60))
    runtime.engine.tick()
    assert list_heartbeats(runtime) == 1
    out = capsys.readouterr().out
    assert "MISSING  last beat 90s ago (api)" in out and "alert #1" in out
