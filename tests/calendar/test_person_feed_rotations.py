"""A person's feed computes the rotations that can change it, not every rotation of the team."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from calendar_builders import START, seed_config, weekly

from oncall.calendar import events, service
from oncall.calendar.events import FeedSubject, Window, person_events, person_rotations, query_window
from oncall.config.model import EscalationPolicy, Level, Override, Target
from oncall.schedule.shifts import shifts_between

WINDOW = Window(START, START + timedelta(weeks=8))
OTHERS = 40  # rotations Kim has nothing to do with


def many_rotations_config():
    """The seed team, plus OTHERS rotations of Lee and Park with policies of their own."""
    config = seed_config()
    rotations = dict(config.rotations)
    escalations = dict(config.escalations)
    for n in range(OTHERS):
        key = f"other{n}"
        rotations[key] = weekly(key, "Asia/Seoul", ("lee", "park"), START.date())
        escalations[key] = EscalationPolicy(key, (Level(targets=(Target("rotation", key),)),))
    return replace(config, rotations=rotations, escalations=escalations)


def test_a_member_needs_their_own_rotations_only():
    config = many_rotations_config()

    assert person_rotations(config, "kim") == ["payments"]
    assert len(person_rotations(config, "lee")) == OTHERS + 1


def test_an_override_or_a_backup_level_brings_that_rotation_in():
    config = many_rotations_config()
    at = START + timedelta(days=1)
    override = Override("other7", "kim", at, at + timedelta(days=1))
    behind = EscalationPolicy(
        "other3", (Level(targets=(Target("rotation", "other3"),)), Level(targets=(Target("person", "kim"),)))
    )
    config = replace(config, escalations={**config.escalations, "other3": behind})

    assert person_rotations(config, "kim", (override,)) == ["other3", "other7", "payments"]
    assert person_rotations(replace(config, overrides=(override,)), "kim") == ["other3", "other7", "payments"]


@pytest.mark.parametrize("person", ["kim", "lee", "choi", "jung"])
def test_the_feed_is_the_one_every_rotation_would_give(person):
    config = many_rotations_config()
    query = query_window(config, WINDOW)
    everything = {key: shifts_between(config, key, query.start, query.end) for key in config.rotations}

    built = service.feed_events(config, FeedSubject("person", person), WINDOW)

    assert built == person_events(config, person, everything, WINDOW)
    assert built  # a feed with something in it: shifts, or backup levels


def test_building_kims_feed_computes_one_rotation_of_forty_one(monkeypatch):
    config = many_rotations_config()
    asked = []

    def counting(config, key, *args):
        asked.append(key)
        return shifts_between(config, key, *args)

    monkeypatch.setattr(service, "shifts_between", counting)
    service.feed_events(config, FeedSubject("person", "kim"), WINDOW)

    assert asked == ["payments"]


def test_a_rotation_feed_reads_each_policy_once_not_once_per_shift(monkeypatch):
    config = many_rotations_config()
    query = query_window(config, WINDOW)
    shifts = shifts_between(config, "payments", query.start, query.end)
    read = []

    def counting(policy):
        read.append(policy.key)
        return original(policy)

    original = events._policy_rotations
    monkeypatch.setattr(events, "_policy_rotations", counting)
    feed = events.rotation_events(config, "payments", shifts, WINDOW)

    assert len(feed) >= 8  # eight weekly shifts in the window, each describing its policies
    assert all("Escalation policy payments:" in event.description for event in feed)
    assert len(read) == len(config.escalations)  # 41, where it used to be 41 per shift
