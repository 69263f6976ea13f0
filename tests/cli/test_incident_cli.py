"""`python -m oncall incident ...`: declare, list, update, note, show, postmortem, and clear refusals."""

from __future__ import annotations

import argparse
from datetime import timedelta

import pytest

from oncall.incidents.cli import register
from tests.cli.test_startup import env, loaded_by  # noqa: F401 (env: the fixture loaded_by runs in)


@pytest.fixture
def run(runtime, capsys):
    """Run `incident ARGS...` on the test runtime; returns (exit code, stdout, stderr)."""

    def run(*argv: str):
        parser = argparse.ArgumentParser(prog="oncall")
        register(parser.add_subparsers(dest="command", required=True), lambda: runtime)
        args = parser.parse_args(["incident", *argv])
        code = args.func(args)
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_declare_prints_the_number_the_commander_and_when_the_first_update_is_due(run, client, auth):
    body = {"rule": "HighErrorRate", "severity": "critical", "labels": {"team": "payments"}}
    alert = client.post("/api/v1/alerts", json=body, headers=auth).json["created"][0]

    code, out, err = run(
        "declare", "Payment API errors", "--severity", "SEV-1", "--alert", str(alert), "--commander", "kim"
    )

    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Declared INC-1 (SEV-1): Payment API errors"
    assert "Commander: Kim" in lines
    assert lines[-1] == "Next status update due 2026-03-03 11:15 KST"  # 11:00 KST + 15 min
    incident = client.get("/api/v1/incidents/1", headers=auth).json
    assert (incident["declared_by"], incident["alert_ids"]) == ("cli", [alert])


def test_list_update_note_show_and_postmortem(run, clock):
    run("declare", "Checkout slow", "--severity", "SEV-2", "--as", "lee")
    clock.advance(timedelta(minutes=5))

    assert run("update", "INC-1", "--status", "Identified", "--impact", "checkout p99 3s", "--next", "10m")[
        :2
    ] == (
        0,
        "INC-1 is Identified.\nNext status update due 2026-03-03 11:15 KST\n",
    )
    assert run("note", "1", "cache hit rate fell to 2%", "--as", "park")[:2] == (0, "Noted on INC-1.\n")

    code, out, _ = run("list")
    assert code == 0
    assert out.startswith("INC-1    SEV-2  Identified    2026-03-03 11:00 KST")
    assert out.rstrip().endswith("Checkout slow")

    code, shown, _ = run("show", "inc-1")
    assert code == 0
    assert "Park: cache hit rate fell to 2%" in shown
    assert shown.index("declared SEV-2") < shown.index("Status Identified") < shown.index("cache hit rate")

    code, markdown, _ = run("postmortem", "INC-1")
    assert code == 0
    assert "Checkout slow" in markdown and "## Timeline" in markdown and "## Action Items" in markdown


def test_list_leaves_out_resolved_incidents_unless_all(run):
    run("declare", "Old", "--severity", "SEV-3")
    run("update", "1", "--status", "Resolved", "--impact", "none")
    assert run("list")[1] == "No open incidents.\n"
    assert "Old" in run("list", "--all")[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(("show", "INC-9"), "no incident INC-9", id="unknown incident"),
        pytest.param(("note", "9", "x"), "no incident INC-9", id="note on an unknown incident"),
        pytest.param(
            ("update", "1", "--status", "Investigating", "--impact", "x"),
            "status cannot go from Resolved to Investigating",
            id="status going back",
        ),
        pytest.param(
            ("declare", "x", "--severity", "SEV-1", "--commander", "kym"), "unknown person 'kym'", id="person"
        ),
        pytest.param(("declare", "x", "--severity", "SEV-1", "--alert", "99"), "no alert #99", id="alert"),
        pytest.param(("note", "1", "x", "--as", "ghost"), "--as 'ghost' is not a person", id="actor"),
        pytest.param(("note", "1", "   "), "text must not be empty", id="empty note"),
    ],
)
def test_a_refusal_is_one_line_and_exit_1_with_nothing_saved(run, client, auth, argv, message):
    run("declare", "Done", "--severity", "SEV-3")
    run("update", "1", "--status", "Resolved", "--impact", "none")
    before = client.get("/api/v1/incidents/1", headers=auth).json

    code, out, err = run(*argv)

    assert (code, out) == (1, "")
    assert message in err and err.count("\n") == 1
    assert client.get("/api/v1/incidents/1", headers=auth).json == before
    assert client.get("/api/v1/incidents?status=all", headers=auth).json["total"] == 1


@pytest.mark.parametrize(
    "argv",
    [
        ("show", "INC-x"),
        ("show", "0"),
        ("update", "1", "--status", "Done", "--impact", "x"),
        ("update", "1", "--next", "soon"),
    ],
)
def test_a_malformed_command_line_is_exit_2(run, argv):
    with pytest.raises(SystemExit) as exited:
        run(*argv)
    assert exited.value.code == 2


def test_a_command_of_its_own_that_loads_no_heavy_package(env):  # noqa: F811
    assert loaded_by(env, "incident", "declare", "Disk full", "--severity", "SEV-3")[0] == 0
    code, loaded = loaded_by(env, "incident", "list")
    assert code == 0
    assert loaded == []  # no Flask, pydantic, Alembic, Twilio or engine
    assert loaded_by(env, "incident", "show", "INC-9")[0] == 1


def test_a_commander_named_on_the_command_line_is_paged(run, runtime):
    """The CLI pages role holders through the runtime's incident pager, like the API and the web."""
    from sqlalchemy import select

    from oncall.paging.models import Notification

    code, _, err = run("declare", "Payment API errors", "--severity", "SEV-1", "--commander", "lee")
    assert code == 0, err
    with runtime.db.session() as session:
        paged = session.execute(select(Notification.person, Notification.channel)).all()
    assert sorted(paged) == [("lee", "sms"), ("lee", "voice")]
