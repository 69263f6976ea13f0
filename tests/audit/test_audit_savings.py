"""What a demotion saves: the window replayed with the changes in force, numbers worked by hand.

Business hours are Monday-Friday 09:00-18:00 in Seoul; everyone is in Seoul (UTC+9, no DST).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from audit_builders import MIN, episode

from alertaudit.audit import build_report
from alertaudit.decide import RuleMemory
from alertaudit.episodes import fold_events
from alertaudit.events import AlertEvent
from alertaudit.report import to_dict, to_text
from alertaudit.savings import APPLIED, IN_FORCE, PROPOSED, Change, replay
from oncall.config.model import AuditorSettings, BusinessHours

SEOUL = "Asia/Seoul"
HOURS = BusinessHours(days=frozenset(range(5)), start=time(9), end=time(18), timezone=SEOUL)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)  # a Monday, 21:00 in Seoul


def seoul(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in May 2026 on Seoul's clock, as UTC (26 May 2026 is a Tuesday)."""
    return datetime(2026, 5, day, hour, minute, tzinfo=UTC) - timedelta(hours=9)


def history() -> list[AlertEvent]:
    """Seven paged episodes of three rules (see the test for what each becomes)."""
    ev = []
    # Noisy, SEV-2 -> SEV-3
    ev += episode("Noisy", "e1", seoul(27, 2), person="kim", tz=SEOUL, resolve_after=3 * MIN)
    ev += episode("Noisy", "e2", seoul(27, 3), person="kim", tz=SEOUL)
    ev.append(
        AlertEvent(seoul(27, 3, 15), "paged", "Noisy", "e2", person="choi", channel="sms", timezone=SEOUL)
    )
    ev += episode("Noisy", "e3", seoul(27, 11), person="lee", tz=SEOUL)
    ev += episode("Noisy", "e4", seoul(29, 23), person="lee", tz=SEOUL, resolve_after=120 * MIN)  # Fri
    ev += episode("Noisy", "e5", seoul(30, 14), person="lee", tz=SEOUL)  # Saturday afternoon
    # Silent, SEV-3 -> SEV-4
    ev += episode("Silent", "e6", seoul(27, 10), person="park", tz=SEOUL, severity="warning")
    # Useful, unchanged
    ev += episode("Useful", "e7", seoul(28, 3), person="kim", tz=SEOUL, severity="critical")
    return ev


def by_rule(events: list[AlertEvent]) -> dict:
    grouped: dict = {}
    for e in fold_events(events).values():
        grouped.setdefault(e.rule, []).append(e)
    return grouped


CHANGES = [Change("Noisy", "SEV-2", "SEV-3", PROPOSED), Change("Silent", "SEV-3", "SEV-4", PROPOSED)]


def test_a_demotion_to_sev3_holds_night_pages_until_business_hours_and_sev4_pages_nobody():
    s = replay(by_rule(history()), CHANGES, business_hours=HOURS)
    # e1 resolved at 02:03, before the 09:00 it would have been held to: never paged.
    # e2 03:00/03:15 -> 09:00/09:15 (kim, then choi): still paged, no longer at night.
    # e3 11:00 on a Wednesday: business hours already, unchanged.
    # e4 Friday 23:00, resolved Saturday 01:00: held to Monday 09:00, gone by then.
    # e5 Saturday 14:00 (off hours, not sleep): moved to Monday 09:00.
    # e6 SEV-4: pages nobody. e7 is not changed.
    assert (s.pages_before, s.pages_after) == (7, 4)  # e2, e3, e5, e7 remain
    assert (s.sleep_before, s.sleep_after) == (4, 1)  # e1, e2, e4, e7 -> e7
    rules = {r.rule: (r.pages_before, r.pages_after, r.sleep_before, r.sleep_after) for r in s.rules}
    assert rules == {"Noisy": (5, 3, 3, 0), "Silent": (1, 0, 0, 0)}
    people = {p.person: (p.pages_before, p.pages_after, p.sleep_before, p.sleep_after) for p in s.people}
    assert people == {
        "kim": (3, 2, 3, 1),
        "lee": (3, 2, 1, 0),
        "choi": (1, 1, 1, 0),
        "park": (1, 0, 0, 0),
    }


def test_sev1_and_sev2_targets_and_unchanged_rules_keep_every_page():
    events = history()
    same = replay(by_rule(events), [], business_hours=HOURS)
    assert (same.pages_before, same.pages_after, same.sleep_before, same.sleep_after) == (7, 7, 4, 4)
    assert same.rules == []
    to_sev2 = replay(by_rule(events), [Change("Useful", "SEV-1", "SEV-2", PROPOSED)], business_hours=HOURS)
    assert (to_sev2.pages_after, to_sev2.sleep_after) == (7, 4)


def test_pages_already_held_to_business_hours_are_not_moved_twice():
    events = episode("Held", "h1", seoul(27, 9), person="kim", tz=SEOUL, severity="warning")
    s = replay(by_rule(events), [Change("Held", "SEV-2", "SEV-3", IN_FORCE)], business_hours=HOURS)
    assert (s.pages_before, s.pages_after, s.sleep_before, s.sleep_after) == (1, 1, 0, 0)


def night_noise(rule: str, n: int) -> list[AlertEvent]:
    """`n` pages at 03:00 Seoul on consecutive nights, voted noise, resolved after 30 minutes."""
    events: list[AlertEvent] = []
    for i in range(n):
        at = seoul(20, 3) + timedelta(days=i)
        events += episode(rule, f"{rule}-{i}", at, tz=SEOUL, vote="noise", resolve_after=30 * MIN)
    return events


def report(mode: str, memory=None):
    settings = AuditorSettings(mode=mode)
    events = night_noise("DiskNoise", 9) + episode("Fine", "f1", seoul(27, 3), tz=SEOUL, severity="critical")
    return build_report(events, settings, NOW, memory=memory, business_hours=HOURS)


def test_the_report_replays_its_proposed_demotion():
    r = report("propose")
    assert r.rule("DiskNoise").decision.action == "demote"
    s = r.savings
    # Nine 03:00 pages resolved at 03:30: a SEV-3 would have waited until 09:00 and found them gone.
    assert [(x.rule, x.status, x.from_severity, x.to_severity) for x in s.rules] == [
        ("DiskNoise", PROPOSED, "SEV-2", "SEV-3")
    ]
    assert (s.pages_before, s.pages_after, s.sleep_before, s.sleep_after) == (10, 1, 10, 1)
    assert [(p.person, p.pages_before, p.pages_after) for p in s.people] == [("kim", 10, 1)]
    # The "before" side is the report's own count.
    assert s.pages_before == sum(rule.counts.pages for rule in r.rules)
    assert s.sleep_before == sum(rule.counts.sleep_hours_pages for rule in r.rules)


def test_auto_mode_says_applied_and_a_standing_demotion_is_in_force():
    assert report("auto").savings.rules[0].status == APPLIED
    memory = {"DiskNoise": RuleMemory(shift=1, changed_at=NOW - timedelta(days=3), base_severity="SEV-2")}
    standing = report("auto", memory)
    assert standing.rule("DiskNoise").decision.action == "keep"  # scored afresh since the change
    assert [(x.rule, x.status, x.to_severity) for x in standing.savings.rules] == [
        ("DiskNoise", IN_FORCE, "SEV-3")
    ]
    assert standing.savings.pages_after == 1


def test_a_re_promotion_is_listed_as_not_replayed():
    memory = {"Fine": RuleMemory(shift=1, changed_at=NOW - timedelta(days=60), base_severity="SEV-1")}
    events = []
    for i in range(8):
        events += episode("Fine", f"f{i}", seoul(20, 11) + timedelta(hours=i), tz=SEOUL, vote="actionable")
    r = build_report(events, AuditorSettings(mode="auto"), NOW, memory=memory, business_hours=HOURS)
    assert r.rule("Fine").decision.action == "promote"
    assert r.savings.not_replayed == ["Fine"] and r.savings.rules == []


def test_text_and_json_show_before_and_after():
    r = report("propose")
    text = to_text(r)
    assert "If the proposed changes had been in force" in text
    assert "pages" in text and "10 -> 1" in text
    assert "DiskNoise  SEV-2 -> SEV-3  proposed" in text
    body = to_dict(r)
    assert body["savings"]["pages_before"] == 10 and body["savings"]["pages_after"] == 1
    assert body["savings"]["people"] == [
        {"person": "kim", "pages_before": 10, "pages_after": 1, "sleep_before": 10, "sleep_after": 1}
    ]
    assert body["sample"] is False


def test_the_page_table_escapes_rule_and_person_names():
    from alertaudit.html import render_audit

    settings = AuditorSettings(mode="propose")
    events = [
        AlertEvent(
            e.at,
            e.kind,
            "<b>Disk</b>",
            e.episode,
            person=e.person and "<i>kim</i>",
            channel=e.channel,
            timezone=e.timezone,
            value=e.value,
            severity=e.severity,
            labels=e.labels,
        )
        for e in night_noise("x", 9)
    ]
    r = build_report(events, settings, NOW, business_hours=HOURS)
    html = render_audit(r)
    table = html.split('<table class="audit-savings">')[1].split("</table>")[0]
    assert "&lt;b&gt;Disk&lt;/b&gt; SEV-2 → SEV-3 (proposed, not applied)" in table
    assert "&lt;i&gt;kim&lt;/i&gt; (in sleep hours)</th><td>9 (9)</td><td>→ 0 (0)</td>" in table
    assert "<b>" not in html and "<i>" not in html
