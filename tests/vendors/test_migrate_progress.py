"""`migrate` shows its progress on a terminal: a bar over the saved files, a count of the pages
fetched; nothing when stderr is not a terminal (a pipe, a log file, CI)."""

from __future__ import annotations

import subprocess
import sys

from oncall.cli.main import main
from tests.terminal import Terminal, has_bar, record_bars
from tests.vendors.fake_vendor import TOKEN, FakeVendor, serving
from tests.vendors.helpers import fixture_dir
from tests.vendors.test_migrate_cli import ROOT

NOW = "2027-01-15T00:00Z"


def test_saved_files_a_bar_over_the_files_on_a_terminal(tmp_path, monkeypatch):
    folder = fixture_dir("opsgenie")
    bars = record_bars(monkeypatch)
    with Terminal() as term:
        monkeypatch.setattr(sys, "stderr", term.stream)
        code = main(["migrate", "opsgenie", str(folder), "--out", str(tmp_path / "o.yaml"), "--now", NOW])
        drawn = term.read()
    assert code == 0
    (bar,) = bars
    assert bar.drawn and bar.total == bar.n == len(list(folder.glob("*.json")))
    assert has_bar(drawn) and "reading" in drawn
    assert "migrate: " in drawn  # the summary follows the bar, which has made way


def test_fetched_pages_are_counted_one_per_request(tmp_path, monkeypatch):
    fake = FakeVendor("pagerduty")
    bars = record_bars(monkeypatch)
    with serving(fake) as base, Terminal() as term:
        monkeypatch.setattr(sys, "stderr", term.stream)
        args = ["migrate", "pagerduty", "--url", base, "--token", TOKEN, "--now", NOW]
        code = main([*args, "--out", str(tmp_path / "pd.yaml")])
        drawn = term.read()
    assert code == 0
    (bar,) = bars
    assert bar.drawn and bar.total is None and bar.n == len(fake.requests) > 1
    assert "fetching from pagerduty" in drawn and "page" in drawn


def test_not_a_terminal_stderr_has_no_bar(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "oncall", "migrate", "opsgenie", str(fixture_dir("opsgenie")), "--now", NOW],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("migrate: ")  # the summary, and nothing before it
    assert not has_bar(done.stderr) and not has_bar(done.stdout)
