"""`reply 1a` answers as whoever was sent code 1: the README's example works in any week.

The served demo (config/oncall.yaml: Kim, Lee and Park take weekly turns) is moved to two
different weeks; in each, an alert pages whoever is on call, and `reply 1a` without a name
acknowledges it as that person.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.demo_service import DemoService
from tests.fakes.waiting import wait_until

pytestmark = pytest.mark.integration
SEOUL = ZoneInfo("Asia/Seoul")
# A Tuesday noon in Seoul, and the same time a week later: two different people on call.
WEEK_ONE = datetime(2027, 1, 5, 12, 0, tzinfo=SEOUL)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoService]:
    service = DemoService.start(tmp_path_factory.mktemp("demo"))
    yield service
    service.stop()


def on_call(demo: DemoService) -> str:
    """The name `who payments` prints for now (e.g. "Park")."""
    result = demo.cli("who", "payments")
    assert result.returncode == 0, result.stderr
    return result.stdout.split(":", 1)[1].split()[0]


def wait_for_sms(demo: DemoService, person_key: str, rule: str) -> None:
    def sent() -> bool:
        rows = demo.cli("outbox").stdout.splitlines()
        return any(f" sms   {person_key} " in row and rule in row and " sent " in row for row in rows)

    wait_until(sent, timeout=20, interval=0.2, what=f"an SMS to {person_key} about {rule}")


def acked_by(demo: DemoService, alert_id: int) -> str | None:
    return demo.api().alert(alert_id)["acked_by"]


def test_reply_without_a_name_acknowledges_as_whoever_was_paged_in_two_weeks(demo):
    names: list[str] = []
    for week, rule in ((0, "HighErrorRate"), (1, "DiskFull")):
        demo.move_to(WEEK_ONE + timedelta(weeks=week))
        name = on_call(demo)
        key = name.lower()
        alert_id = demo.api().fire(rule)
        wait_for_sms(demo, key, rule)

        result = demo.cli("reply", "1a")

        assert result.returncode == 0, result.stderr
        assert f"Acknowledged #1 {rule}" in result.stdout
        assert f"replying as {name} ({key})" in result.stderr
        assert acked_by(demo, alert_id) == key
        resolved = demo.cli("reply", "1r")  # so the next week starts with nothing open
        assert resolved.returncode == 0 and f"as {name}" in resolved.stderr, resolved.stderr
        names.append(name)
    assert names[0] != names[1]


def test_reply_with_a_name_still_answers_as_that_person(demo):
    result = demo.cli("reply", "kim", "help")
    assert result.returncode == 0, result.stderr
    assert "ack" in result.stdout and "replying as" not in result.stderr


def test_reply_to_a_code_nobody_was_sent_says_to_name_the_person(demo):
    result = demo.cli("reply", "77a")
    assert result.returncode == 2
    assert "nobody has been sent code 77" in result.stderr and "reply PERSON" in result.stderr
    assert "Traceback" not in result.stderr
