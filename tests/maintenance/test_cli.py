"""`python -m oncall maintenance start|list|end`, in process on the test runtime."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from oncall.maintenance.cli import register
from tests.maintenance.helpers import fire, mark, paged

YAML_WINDOW = """
maintenance:
  - match: {service: search}
    from: "2026-03-03 10:00"
    to: "2026-03-03 12:00"
    reason: reindex
"""


@pytest.fixture
def run(runtime, capsys):
    """Run `maintenance ARGS...` on the test runtime; returns (exit code, stdout, stderr)."""

    def run(*argv: str):
        parser = argparse.ArgumentParser(prog="oncall")
        register(parser.add_subparsers(dest="command", required=True), lambda: runtime)
        args = parser.parse_args(["maintenance", *argv])
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_start_holds_matching_alerts_and_says_until_when(run, runtime, notifier):
    code, out, err = run("start", "--match", "service=payments-db", "--for", "2h", "--reason", "DB migration")

    assert code == 0, err
    assert out.splitlines() == [
        "Started maintenance window 1 (DB migration)",
        "Holds alerts with service=payments-db from 2026-03-03 11:00 KST until 2026-03-03 13:00 KST",
        "End it early: python -m oncall maintenance end 1",
    ]
    alert = fire(runtime, "DiskFull", service="payments-db")[0]
    runtime.engine.tick()
    assert mark(runtime, alert).window_key == "1" and paged(notifier, runtime) == 0


def test_start_from_later_holds_nothing_before_it_starts(run, runtime, notifier):
    assert run("start", "--match", "service=db", "--from", "+1h", "--for", "30m", "--reason", "later")[0] == 0
    alert = fire(runtime, "DiskFull", service="db")[0]
    runtime.engine.tick()
    assert mark(runtime, alert) is None and paged(notifier, runtime) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("start", "--for", "1h", "--reason", "x"), "needs labels to match"),
        (("start", "--match", "a=b", "--match-all", "--for", "1h", "--reason", "x"), "not both"),
        (("start", "--match", "a=b", "--for", "1h", "--reason", "  "), "needs a reason"),
        (("start", "--match", "a=b", "--for", "40d", "--reason", "x"), "at most 31 days"),
        (("start", "--match", "a=b", "--from=-3h", "--for", "1h", "--reason", "x"), "already be over"),
        (("end", "7"), "no maintenance window 7"),
        (("end", "banana"), "no maintenance window banana"),
        (("end", "1", "--as", "nobody"), "is not a person of the configuration"),
    ],
)
def test_refusals_are_one_line_and_exit_1(run, argv, message):
    code, out, err = run(*argv)
    assert code == 1 and out == ""
    assert err.startswith("maintenance: ") and message in err and err.count("\n") == 1


def test_a_malformed_label_is_a_usage_error(run):
    with pytest.raises(SystemExit) as exit_:
        run("start", "--match", "payments", "--for", "1h", "--reason", "x")
    assert exit_.value.code == 2


def test_list_shows_yaml_and_ad_hoc_windows_with_their_alerts(run, runtime, config_path):
    config_path.write_text(config_path.read_text() + YAML_WINDOW)
    runtime.config_store.reload()
    run("start", "--match", "service=db", "--for", "1h", "--reason", "DB migration", "--as", "kim")
    fire(runtime, "DiskFull", service="db")

    code, out, _ = run("list")

    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["ID", "STATE", "FROM", "UNTIL", "MATCH", "ALERTS", "REASON"]
    assert lines[1].split() == [
        "yaml:0",
        "active",
        "2026-03-03",
        "10:00",
        "KST",
        "2026-03-03",
        "12:00",
        "KST",
    ] + [
        "service=search",
        "0",
        "reindex",
        "(YAML)",
    ]
    assert lines[2].split()[:2] == ["1", "active"] and lines[2].split()[8:10] == ["service=db", "1"]
    assert lines[2].endswith("DB migration (by kim)")


def test_end_releases_held_alerts_and_ended_windows_show_with_all(run, runtime, notifier):
    run("start", "--match", "service=db", "--for", "2h", "--reason", "DB migration")
    fire(runtime, "DiskFull", service="db")
    runtime.engine.tick()
    runtime.clock.advance(timedelta(minutes=10))

    code, out, _ = run("end", "1")
    runtime.engine.tick()

    assert (code, out) == (0, "Ended maintenance window 1 (DB migration): 1 held alert pages now\n")
    assert paged(notifier, runtime) == 1
    assert run("list")[1] == "No maintenance windows now or ahead.\n"
    assert "ended" in run("list", "--all")[1]
    code, _, err = run("end", "1")
    assert code == 1 and "already ended" in err


def test_a_yaml_window_cannot_be_ended_from_the_cli(run, runtime, config_path):
    config_path.write_text(config_path.read_text() + YAML_WINDOW)
    runtime.config_store.reload()

    code, _, err = run("end", "yaml:0")

    assert code == 1 and "is in the configuration file: edit its `to`" in err
