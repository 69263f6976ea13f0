"""Each vendor's realistic export becomes YAML that names the vendor's person at every instant."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from oncall.schedule import on_call_at
from oncall.vendors.run import migrate, read_paths
from oncall.vendors.verify import differences, load_text
from tests.vendors.helpers import NOW, fixture_dir, local

VENDORS = ("pagerduty", "opsgenie", "grafana-oncall")


def migrated(vendor: str):
    result = migrate(vendor, read_paths([fixture_dir(vendor)]), NOW, 12, check=True)
    return result, load_text(result.text)


@pytest.mark.parametrize("vendor", VENDORS)
def test_twelve_weeks_name_the_same_person_as_the_vendor(vendor):
    result, config = migrated(vendor)
    assert differences(result.migration, config, NOW, NOW + timedelta(weeks=12)) == []
    assert "same person at every instant" in result.text
    assert "from 2027-01-15 00:00 to 2027-04-09 00:00 UTC" in result.text
    assert result.problems == []


# Worked out by hand from the fixtures (turn arithmetic in the comments).
HAND_CHECKED = [
    # PD weekly layer from Mon 2026-03-09 09:00: the week of 2027-03-08 is turn 52 → team[52 % 3] = lee.
    ("pagerduty", "platform_primary", "2027-03-14 09:00", "America/New_York", "lee_ana"),  # US DST day
    ("pagerduty", "platform_primary", "2027-03-14 03:30", "America/New_York", "lee_ana"),  # after the jump
    ("pagerduty", "platform_primary", "2027-03-08 08:59", "America/New_York", "kim_su"),  # turn 51
    # Weekday layer on top, daily from 2026-11-02: 2027-03-15 is day 133 → jung; 08:59 is still weekly.
    ("pagerduty", "platform_primary", "2027-03-15 09:00", "America/New_York", "jung_ho"),
    ("pagerduty", "platform_primary", "2027-03-15 08:59", "America/New_York", "lee_ana"),
    ("pagerduty", "platform_primary", "2027-03-15 17:00", "America/New_York", "park_jo"),  # turn 53
    # Opsgenie off hours, daily from Mon 2026-10-05 18:00 Berlin: 2027-03-27 18:00 is day 173 → fynn.
    ("opsgenie", "sre_berlin", "2027-03-28 12:00", "Europe/Berlin", "fynn"),  # Berlin DST day
    ("opsgenie", "sre_berlin", "2027-03-29 08:30", "Europe/Berlin", "dave"),  # day 174
    # Business hours, weekly from 2026-10-05: the week of 2027-03-29 is turn 25 → ben.
    ("opsgenie", "sre_berlin", "2027-03-29 10:00", "Europe/Berlin", "ben"),
    ("opsgenie", "sre_berlin", "2027-03-29 18:00", "Europe/Berlin", "emil"),  # day 175
    # Grafana: weekend days (level 2) in week 18 since 2026-11-02 → jung; nights day 131 → jung.
    ("grafana-oncall", "payments", "2027-03-14 12:00", "America/New_York", "jung"),
    ("grafana-oncall", "payments", "2027-03-14 03:00", "America/New_York", "jung"),
    ("grafana-oncall", "payments", "2027-03-14 09:30", "America/New_York", "kim"),  # weekly turn 18
    ("grafana-oncall", "payments", "2027-03-15 12:00", "America/New_York", "lee"),  # turn 19
]


@pytest.mark.parametrize(("vendor", "rotation", "when", "zone", "person"), HAND_CHECKED)
def test_hand_checked_instants(vendor, rotation, when, zone, person):
    result, config = migrated(vendor)
    at = local(when, zone)
    assert on_call_at(config, rotation, at).person == person
    vendor_side = result.migration.evaluators[rotation](at, at + timedelta(minutes=1))
    assert vendor_side[0].people == {person}


def test_pagerduty_layers_restrictions_and_escalation():
    result, config = migrated("pagerduty")
    text = result.text
    assert "# PagerDuty layer `Weekday days`" in text
    assert '{days: mon-fri, from: "09:00", to: "17:00"}' in text
    assert "`Old night layer` of schedule `Platform primary` ended on 2026-06-01: left out." in text
    policy = config.escalations["platform"]
    assert [(lv.after, lv.targets[0].key) for lv in policy.levels] == [
        (timedelta(0), "platform_primary"),
        (timedelta(minutes=15), "choi_min"),
        (timedelta(minutes=30), "jung_ho"),
    ]
    assert policy.repeat == 2
    assert "`Database secondary` was not in the export" in text
    assert "No phone number (paging them moves on to the next level): park_jo" in text
    assert config.people["kim_su"].phone == "+12125550101"


def test_pagerduty_rendered_schedule_is_compared_too():
    result, _ = migrated("pagerduty")
    rendered = result.migration.rendered["platform_primary"]
    assert [next(iter(s.people)) for s in rendered] == ["park_jo", "jung_ho", "kim_su", "choi_min", "kim_su"]


def test_opsgenie_conditions_and_repeat():
    result, config = migrated("opsgenie")
    policy = config.escalations["sre_escalation"]
    assert [(lv.after, lv.when, lv.targets[0].key) for lv in policy.levels] == [
        (timedelta(0), "unacknowledged", "sre_berlin"),
        (timedelta(minutes=10), "unacknowledged", "dave"),
        (timedelta(minutes=45), "unresolved", "emil"),
    ]
    assert policy.repeat == 2
    assert "recipient team `SRE` has no counterpart here" in result.text
    assert "separate contact API" in result.text


def test_grafana_chain_waits_add_up_and_repeat():
    result, config = migrated("grafana-oncall")
    policy = config.escalations["payments"]
    assert [(lv.after, lv.targets[0].key) for lv in policy.levels] == [
        (timedelta(0), "payments"),
        (timedelta(minutes=10), "choi"),
        (timedelta(minutes=25), "jung"),
    ]
    assert policy.repeat == 5
    assert "`Kim covers Lee` is an override shift" in result.text
    assert "`Summer cover` ended on 2026-09-01: left out." in result.text


def test_a_group_of_several_people_is_reported_as_a_difference(tmp_path):
    body = json.loads((fixture_dir("grafana-oncall") / "on_call_shifts.json").read_text())
    body["results"][0]["rolling_users"][1] = ["ULEE", "UPARK"]
    folder = tmp_path / "export"
    folder.mkdir()
    for file in fixture_dir("grafana-oncall").glob("*.json"):
        (folder / file.name).write_text(file.read_text())
    (folder / "on_call_shifts.json").write_text(json.dumps(body))
    result = migrate("grafana-oncall", read_paths([folder]), NOW, 12, check=True)
    assert "group 1 has 2 people on call at once; the first, lee, is imported" in result.text
    assert "differences; the first:" in result.text
    assert "names lee, park, this file lee" in result.text
