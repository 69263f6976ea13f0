"""A person without a phone number (an import from a tool whose API gives none) is kept, warned
about, and skipped when paging: the level moves on and the timeline says why."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from oncall.configfile.loader import load_config
from oncall.escalation.steps import AlertState, Paging, plan_steps
from tests.escalation.pager import Pager
from tests.escalation.test_step_plan import CONFIG, NOW, due

KIM = '  kim:  {name: Kim,  phone: "+82 10-1234-5601"}'


def without_kims_phone(path: Path) -> Path:
    text = path.read_text()
    assert KIM in text
    path.write_text(text.replace(KIM, "  kim:  {name: Kim}"))
    return path


@pytest.fixture
def config_path(config_path: Path) -> Path:
    return without_kims_phone(config_path)


def test_config_check_passes_with_a_warning_naming_the_person(config_path: Path):
    config = load_config(config_path)
    assert config.people["kim"].phone is None
    (warning,) = [w for w in config.warnings if "phone" in w.message]
    assert "person `kim` has no `phone`" in warning.message
    assert "moves on to the next level" in warning.message
    kim_line = next(
        n for n, line in enumerate(config_path.read_text().splitlines(), 1) if line.startswith("  kim:")
    )
    assert warning.line == kim_line


def test_a_level_of_phoneless_people_is_a_gap_with_the_reason_on_the_timeline():
    people = dict(CONFIG.people)
    people["kim"] = dataclasses.replace(people["kim"], phone=None)
    config = dataclasses.replace(CONFIG, people=people)
    paging = Paging(config, NOW)
    plan = plan_steps([due(0)], {1: AlertState("triggered", "SEV-1")}, paging)
    assert plan.pages == ()
    assert len(plan.gaps) == 1  # on to level 2 at once
    no_phone = [line for line in plan.lines if line.kind == "no_phone"]
    assert [(line.person, line.detail) for line in no_phone] == [
        ("kim", "kim has no phone number and cannot be paged; moving on to the next level")
    ]


def test_paging_skips_the_phoneless_on_call_and_pages_the_team_lead_at_once(
    app, client, auth, clock, notifier, runtime
):
    pager = Pager(client, auth, clock, notifier, runtime)
    alert = pager.fire("HighErrorRate", severity="critical")
    pager.tick()
    pager.expect_sms("choi", contains="HighErrorRate")
    timeline = client.get(f"/api/v1/alerts/{alert}", headers=auth).json["timeline"]
    reasons = [event["detail"] for event in timeline if event["kind"] == "no_phone"]
    assert reasons == ["kim has no phone number and cannot be paged; moving on to the next level"]
    assert all(page.to is not None for page in notifier.sms + notifier.calls)


def test_replying_as_a_phoneless_person_from_the_cli_says_why(runtime, capsys):
    from oncall.cli.commands import cmd_reply

    class Args:
        person, text = "kim", "1a"

    assert cmd_reply(runtime, Args) == 2
    assert "kim has no phone number" in capsys.readouterr().err


def test_a_page_queued_before_the_number_was_removed_fails_cleanly_and_escalation_goes_on(
    app, client, auth, clock, notifier, runtime, tmp_path
):
    """SEV-2 queues Kim's call for 2 minutes later; the number is removed from the file meanwhile."""
    path = Path(runtime.settings.config_path)
    path.write_text(path.read_text().replace("  kim:  {name: Kim}", KIM))
    assert runtime.config_store.reload()
    pager = Pager(client, auth, clock, notifier, runtime)
    alert = pager.fire("PaymentLatencyHigh", severity="page")
    pager.expect_sms("kim")
    without_kims_phone(path)
    assert runtime.config_store.reload()
    pager.advance(minutes=2, seconds=10)
    assert notifier.calls == []  # nothing was handed to Twilio without a number
    timeline = pager.alert(alert)["timeline"]
    failed = [event["detail"] for event in timeline if event["kind"] == "delivery_failed"]
    assert any("no phone number" in detail for detail in failed), timeline
