"""Two service processes on one PostgreSQL: every escalation step is sent exactly once (docs/paging.md).

200 teams, each with three people nobody else pages (level 1 at once, level 2 after 3 s, level 3
after 6 s); one SEV-2 alert per team, posted half to each instance. The SEV-2 follow-up call is
set a minute out, so the pages in the test are SMS. Each instance sends through a fake Twilio of
its own, so the test sees who sent what: every person must get exactly one SMS naming their
team's alert, summed over both fakes, and both engines must have done part of the work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.conftest import need_component
from tests.fakes.twilio_server import FakeTwilio
from tests.fakes.waiting import wait_until
from tests.integration.configs import Timing, many_teams_config, team_phone
from tests.integration.launcher import LoopbackTwilio
from tests.integration.postgres import ENV, fresh_database, server_url
from tests.integration.service import stays

pytestmark = [pytest.mark.integration, pytest.mark.postgres]

TEAMS = 200
PER_POST = 10


def e164(phone: str) -> str:
    return "+82" + phone.split(" ", 1)[1].replace("-", "").lstrip("0")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    url = server_url()
    if url is None:
        need_component("PostgreSQL", f"set {ENV}=postgresql://postgres@127.0.0.1:55432/postgres")
    with fresh_database(url) as database_url:
        yield database_url


@pytest.fixture
def second_fake() -> Iterator[FakeTwilio]:
    with LoopbackTwilio() as fake:
        yield fake


def test_two_instances_send_every_escalation_step_exactly_once(postgres_url, second_fake, launch):
    # `launch` last: its services stop before the database is dropped.
    config = many_teams_config(TEAMS, Timing(level2_after=3, level3_after=6))
    first = launch(config, database_url=postgres_url, name="first", ONCALL_VOICE_DELAY="60")
    second = launch(
        config,
        database_url=postgres_url,
        name="second",
        ONCALL_VOICE_DELAY="60",
        TWILIO_API_URL=second_fake.base_url,
    )
    fakes = (first.fake, second_fake)

    for start in range(0, TEAMS, PER_POST):
        instance = (first, second)[(start // PER_POST) % 2]
        batch = [
            {"rule": f"Load{t}", "dedup_key": f"load-{t}", "severity": "page", "labels": {"team": f"t{t}"}}
            for t in range(start, start + PER_POST)
        ]
        assert len(instance.api.post_alerts(batch)["created"]) == PER_POST

    expected = 3 * TEAMS

    def sms_count() -> int:
        return sum(len(f.messages) for f in fakes)

    wait_until(lambda: sms_count() >= expected, 60, interval=0.1, what=f"{expected} SMS")
    stays(lambda: sms_count() == expected, 2.0, what="no page twice")

    sms = [m for f in fakes for m in f.messages]
    per_phone = Counter(m.to for m in sms)
    for team in range(TEAMS):
        for level in (1, 2, 3):
            assert per_phone[e164(team_phone(team, level))] == 1, f"team {team} level {level}"
    assert all(f"[SEV-2 #1] Load{_team_of(m.to)} t{_team_of(m.to)}" in m.body for m in sms)
    assert all(len(f.messages) > 0 for f in fakes), "one engine did all the work; nothing was contended"
    assert not any(f.calls for f in fakes)  # the follow-up calls are a minute out
    alerts = first.api.alerts(status="all")
    assert len(alerts) == TEAMS and {a["status"] for a in alerts} == {"triggered"}


def _team_of(phone: str) -> int:
    """Inverse of team_phone: +8210<5+level><team:03><team:04>."""
    return int(phone[-4:])
