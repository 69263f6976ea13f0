"""Which channels a level pages, per person (pure): the mapping, a level's override, who is
reachable where, the generalised "cannot be paged" line, and STOP touching only SMS."""

from __future__ import annotations

import dataclasses

from oncall.escalation.steps import AlertState, Paging, plan_steps
from tests.escalation.test_step_plan import CONFIG, NOW, due

MAPPED = {
    "SEV-1": ("sms", "voice", "slack"),
    "SEV-2": ("sms", "voice", "email"),
    "SEV-3": ("email",),
    "SEV-4": (),
}


def config_with(channels=MAPPED, level_1=None, **people_changes):
    people = dict(CONFIG.people)
    for key, changes in people_changes.items():
        people[key] = dataclasses.replace(people[key], **changes)
    escalations = dict(CONFIG.escalations)
    if level_1 is not None:
        policy = escalations["payments"]
        levels = (dataclasses.replace(policy.levels[0], channels=level_1), *policy.levels[1:])
        escalations["payments"] = dataclasses.replace(policy, levels=levels)
    return dataclasses.replace(CONFIG, channels=dict(channels), people=people, escalations=escalations)


def plan(config, severity: str, opted_out=frozenset()):
    paging = Paging(config, NOW, opted_out=opted_out)
    return plan_steps([due(0)], {1: AlertState("triggered", severity)}, paging)


def pages(result) -> list[tuple[str, str, int, bool]]:
    return [
        (p.person, p.channel, int((p.due_at - NOW).total_seconds()), p.cancel_if_acked) for p in result.pages
    ]


def lines(result, kind: str) -> list[str]:
    return [line.detail for line in result.lines if line.kind == kind]


def test_the_mapping_decides_the_channels_and_voice_keeps_its_sev2_delay():
    result = plan(config_with(kim={"email": "kim@example.com"}), "SEV-2")
    assert pages(result) == [("kim", "sms", 0, False), ("kim", "voice", 120, True), ("kim", "email", 0, True)]


def test_a_channel_the_person_has_no_address_for_is_skipped_with_a_line():
    result = plan(config_with(), "SEV-1")  # nobody has a Slack user id
    assert [(p, c) for p, c, *_ in pages(result)] == [("kim", "sms"), ("kim", "voice")]
    assert lines(result, "channel_skipped") == [
        "kim has no Slack user id or email address; not paged by slack"
    ]
    assert not result.gaps


def test_reachable_on_none_of_the_levels_channels_moves_on_naming_them():
    result = plan(config_with(kim={"phone": None}), "SEV-2")
    assert result.pages == ()
    assert len(result.gaps) == 1
    assert lines(result, "unreachable") == [
        "kim cannot be reached by sms, voice or email and cannot be paged; moving on to the next level"
    ]


def test_sev3_by_email_only_pages_by_email():
    result = plan(config_with(kim={"email": "kim@example.com"}), "SEV-3")
    assert pages(result) == [("kim", "email", 0, True)]


def test_a_levels_own_channels_win_over_the_mapping():
    config = config_with(level_1=("slack", "email"), kim={"email": "kim@example.com", "slack": "U024BE7LH"})
    assert [(p, c) for p, c, *_ in pages(plan(config, "SEV-1"))] == [("kim", "slack"), ("kim", "email")]


def test_sev4_still_never_pages_whatever_the_level_says():
    result = plan(config_with(level_1=("email",), kim={"email": "kim@example.com"}), "SEV-4")
    assert result.pages == () and not result.gaps


def test_stop_turns_the_sms_into_a_call_and_leaves_email_alone():
    result = plan(config_with(kim={"email": "kim@example.com"}), "SEV-2", opted_out={"kim"})
    assert [(p, c) for p, c, *_ in pages(result)] == [("kim", "voice"), ("kim", "email")]
    assert lines(result, "sms_opted_out") == ["texted STOP; calling instead"]
    by_email_only = plan(config_with(kim={"email": "kim@example.com"}), "SEV-3", opted_out={"kim"})
    assert [(p, c) for p, c, *_ in pages(by_email_only)] == [("kim", "email")]
    assert lines(by_email_only, "sms_opted_out") == []


def test_the_default_mapping_keeps_the_phone_wording():
    result = plan(config_with(channels=dict(CONFIG.channels), kim={"phone": None}), "SEV-1")
    assert lines(result, "no_phone") == [
        "kim has no phone number and cannot be paged; moving on to the next level"
    ]
