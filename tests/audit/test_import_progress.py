"""`audit import` draws a progress bar on a terminal (stderr) and writes nothing extra elsewhere."""

from __future__ import annotations

import os
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from audit_builders import NOW, voted
from import_helpers import AFTER_FIXTURES, FIXTURES, make_cli

from alertaudit.events import write_jsonl
from tests.terminal import Terminal, has_bar, record_bars


@pytest.fixture
def cli(runtime, capsys):
    return make_cli(runtime, capsys)


@pytest.fixture
def history(tmp_path) -> Path:
    """2,000 events (500 episodes of 4): more than one of the bar's 1,000-line steps."""
    events = voted("PaymentLatencyHigh", 100, 500, NOW - timedelta(days=20), severity="page")
    path = tmp_path / "history.jsonl"
    with path.open("w") as out:
        write_jsonl(events, out)
    return path


def test_not_a_terminal_no_bar(cli, history, monkeypatch):
    bars = record_bars(monkeypatch)
    code, out, err = cli("audit", "import", str(history))
    assert code == 0 and out == f"{history}: 2000 events read, 2000 new\n"
    assert err == ""  # captured stderr is not a TTY: not one bar character
    assert [bar.drawn for bar in bars] == [False]


def test_on_a_terminal_a_bar_in_bytes_that_ends_at_the_file_size(cli, history, monkeypatch):
    bars = record_bars(monkeypatch)
    with Terminal() as term:
        monkeypatch.setattr(sys, "stderr", term.stream)
        code, out, _ = cli("audit", "import", str(history))
        drawn = term.read()
    assert code == 0 and "events read" in out and not has_bar(out)  # stdout stays clean
    assert has_bar(drawn) and str(history) in drawn
    (bar,) = bars
    assert bar.drawn
    assert bar.total == history.stat().st_size
    assert bar.n == bar.total  # every byte counted, the last partial step included


def test_a_vendor_import_counts_its_files(cli, clock, monkeypatch):
    clock.set(AFTER_FIXTURES)
    bars = record_bars(monkeypatch)
    folder = FIXTURES / "pagerduty" / "export-1"
    with Terminal() as term:
        monkeypatch.setattr(sys, "stderr", term.stream)
        code, out, _ = cli("audit", "import", "--from", "pagerduty", str(folder))
        drawn = term.read()
    assert code == 0
    (bar,) = bars
    assert bar.drawn
    assert bar.total == bar.n == len(list(folder.glob("*.json"))) == 2
    assert "total: 13 events read, 12 new" in out and not has_bar(out)
    assert "importing pagerduty" in drawn


def test_a_pipe_has_no_size_so_the_bar_counts_bytes_without_a_total(cli, history, monkeypatch):
    bars = record_bars(monkeypatch)
    reader, writer = os.pipe()
    feeder = threading.Thread(target=lambda: (os.write(writer, history.read_bytes()), os.close(writer)))
    feeder.start()
    with Terminal() as term, os.fdopen(reader, "r") as piped:
        monkeypatch.setattr(sys, "stderr", term.stream)
        monkeypatch.setattr(sys, "stdin", piped)
        code, out, _ = cli("audit", "import", "-")
    feeder.join()
    assert (code, out) == (0, "-: 2000 events read, 2000 new\n")
    (bar,) = bars
    assert bar.drawn and bar.total is None
    assert bar.n == history.stat().st_size
