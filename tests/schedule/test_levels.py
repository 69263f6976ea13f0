"""Whom each level of an escalation policy would notify at a given moment."""

from __future__ import annotations

from datetime import date

import pytest
from schedule_builders import config, override, person, policy, rotation, z

from oncall.schedule import levels_at

SEED_POLICY = policy(
    "payments",
    ("rotation:payments",),  # level 1: the on-call engineer
    ("person:choi",),  # level 2: the team lead
    ("person:jung",),  # level 3: the VP
)
PEOPLE = (person("choi"), person("jung"))


def seed_config(*overrides, start=date(2026, 3, 2), extra_policies=()):
    return config(
        rotation(start=start),
        people=PEOPLE,
        overrides=tuple(overrides),
        escalations=(SEED_POLICY, *extra_policies),
    )


@pytest.mark.parametrize(
    ("cfg", "policy_key", "at", "expected"),
    [
        pytest.param(
            seed_config(),
            "payments",
            z("2026-03-05 00:00"),
            [["kim"], ["choi"], ["jung"]],
            id="three levels during Kim's week",
        ),
        pytest.param(
            seed_config(),
            "payments",
            z("2026-03-09 14:00"),
            [["lee"], ["choi"], ["jung"]],
            id="at the handoff level 1 is already Lee",
        ),
        pytest.param(
            seed_config(override("park", "2026-03-04 00:00", "2026-03-06 00:00")),
            "payments",
            z("2026-03-05 00:00"),
            [["park"], ["choi"], ["jung"]],
            id="an override changes level 1",
        ),
        pytest.param(
            seed_config(start=date(2026, 4, 6)),
            "payments",
            z("2026-03-05 00:00"),
            [[], ["choi"], ["jung"]],
            id="a gap in the rotation notifies nobody at level 1",
        ),
        pytest.param(
            seed_config(
                extra_policies=(policy("shared", ("rotation:payments", "person:kim", "person:choi")),),
            ),
            "shared",
            z("2026-03-05 00:00"),
            [["kim", "choi"]],
            id="a person named twice in a level is notified once",
        ),
    ],
)
def test_levels_at(cfg, policy_key, at, expected):
    assert levels_at(cfg, policy_key, at) == expected


def test_levels_at_sees_extra_overrides():
    api_made = (override("lee", "2026-03-04 00:00", "2026-03-06 00:00"),)
    assert levels_at(seed_config(), "payments", z("2026-03-05 00:00"), api_made)[0] == ["lee"]


def test_an_unknown_policy_is_a_key_error():
    with pytest.raises(KeyError, match="unknown escalation policy 'paymnets'"):
        levels_at(seed_config(), "paymnets", z("2026-03-05 00:00"))
