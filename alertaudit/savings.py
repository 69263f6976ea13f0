"""What a demotion saves: the last window replayed with the auditor's severity changes in force.

Pure: episodes and each rule's severities in, before → after counts out. The replay follows
how the service pages a level (`oncall.severity`):

- a rule that would page at SEV-4 pages nobody: its pages disappear;
- a rule that would page at SEV-3 (a business-hours SMS) has its escalation held until business
  hours start: every page of an episode whose first page fell outside business hours moves by
  the same delay (to the next business-hours start, on the team's clock), and a page is dropped
  when the source resolved the alert before the moved page would have gone out;
- SEV-1 and SEV-2 page around the clock: their pages stay as they happened.

Pages are counted the way the report counts them: a *page* is an episode that interrupted
someone (judged by its first page); *sleep* pages are those whose first page fell in 22:00-08:00
on the paged person's clock (`alertaudit.hours`); per person, each episode that paged them once.
Re-promotions are listed but not replayed: the history cannot show pages that never went out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Protocol

from alertaudit.episodes import Episode, Page
from alertaudit.hours import DEFAULT_BUSINESS_HOURS, SLEEP, part_of_day
from oncall.config.model import BusinessHours
from oncall.severity import BUSINESS_HOURS_ONLY, next_business_start, pages_at_all

PROPOSED = "proposed"  # propose mode: a demotion the report suggests
APPLIED = "applied"  # auto mode: a demotion this run applies
IN_FORCE = "in force"  # auto mode: a demotion applied earlier and still standing


class _DecisionLike(Protocol):
    action: str
    from_severity: str
    to_severity: str


class RuleLike(Protocol):
    """What the replay reads of a rule's report (`alertaudit.report.RuleReport`)."""

    rule: str
    base_severity: str
    current_severity: str
    shift: int
    decision: _DecisionLike


@dataclass(frozen=True, slots=True)
class Change:
    """One rule paging at `to_severity` instead of `from_severity` for the whole window."""

    rule: str
    from_severity: str
    to_severity: str
    status: str  # proposed | applied | in force


@dataclass(slots=True)
class RuleSaving:
    rule: str
    from_severity: str
    to_severity: str
    status: str
    pages_before: int
    pages_after: int
    sleep_before: int
    sleep_after: int


@dataclass(slots=True)
class PersonSaving:
    person: str
    pages_before: int
    pages_after: int
    sleep_before: int
    sleep_after: int


@dataclass(slots=True)
class Savings:
    """The whole window before → after, per changed rule and per paged person."""

    pages_before: int = 0
    pages_after: int = 0
    sleep_before: int = 0
    sleep_after: int = 0
    rules: list[RuleSaving] = field(default_factory=list)
    people: list[PersonSaving] = field(default_factory=list)
    not_replayed: list[str] = field(default_factory=list)  # re-promotions: rule names

    @property
    def changes_anything(self) -> bool:
        """Whether some change moved or removed a page."""
        return (self.pages_before, self.sleep_before) != (self.pages_after, self.sleep_after) or any(
            p.pages_before != p.pages_after for p in self.people
        )


def changes_of(rules: Iterable[RuleLike], mode: str) -> tuple[list[Change], list[str]]:
    """The demotions to replay (proposed or applied now, or in force) and the re-promotions."""
    changes: list[Change] = []
    promotions: list[str] = []
    for r in rules:
        d = r.decision
        if d.action == "demote":
            status = APPLIED if mode == "auto" else PROPOSED
            changes.append(Change(r.rule, d.from_severity, d.to_severity, status))
        elif d.action == "promote":
            promotions.append(r.rule)
        elif r.shift > 0 and r.current_severity != r.base_severity:
            changes.append(Change(r.rule, r.base_severity, r.current_severity, IN_FORCE))
    return changes, promotions


def replay(
    episodes_by_rule: Mapping[str, Sequence[Episode]],
    changes: Iterable[Change],
    *,
    business_hours: BusinessHours | None = None,
    not_replayed: Sequence[str] = (),
) -> Savings:
    """Count the window's pages as they happened and as they would have with `changes`.

    `episodes_by_rule` holds the episodes that started in the window, as the report scores them.
    """
    hours = business_hours or DEFAULT_BUSINESS_HOURS
    by_rule = {c.rule: c for c in changes}
    savings = Savings(not_replayed=sorted(not_replayed))
    people: dict[str, PersonSaving] = {}
    for rule, episodes in episodes_by_rule.items():
        change = by_rule.get(rule)
        saving = None
        if change is not None:
            saving = RuleSaving(rule, change.from_severity, change.to_severity, change.status, 0, 0, 0, 0)
            savings.rules.append(saving)
        for episode in episodes:
            before = list(episode.pages or ())
            if not before:
                continue
            after = before if change is None else _replayed(episode, before, change.to_severity, hours)
            _count(savings, saving, people, before=before, after=after, hours=hours)
    savings.rules.sort(key=lambda s: (s.pages_after - s.pages_before, s.rule))
    savings.people = sorted(people.values(), key=lambda p: (-p.pages_before, p.person))
    return savings


def _replayed(episode: Episode, pages: list[Page], level: str, hours: BusinessHours) -> list[Page]:
    """The pages `episode` would have made had its rule paged at `level`."""
    if not pages_at_all(level):
        return []
    if level not in BUSINESS_HOURS_ONLY:  # SEV-1 and SEV-2 page around the clock
        return pages
    first = min(pages, key=lambda p: p.at)
    delay = next_business_start(hours, first.at) - first.at
    if delay <= timedelta(0):
        return pages
    moved = [Page(p.person, p.at + delay, "sms", p.timezone) for p in pages]
    resolved = episode.resolved_at
    return [p for p in moved if resolved is None or p.at < resolved]


def _count(
    savings: Savings,
    saving: RuleSaving | None,
    people: dict[str, PersonSaving],
    *,
    before: list[Page],
    after: list[Page],
    hours: BusinessHours,
) -> None:
    sleep_before = _first_in_sleep(before, hours)
    sleep_after = bool(after) and _first_in_sleep(after, hours)
    for target in (savings, saving):
        if target is None:
            continue
        target.pages_before += 1
        target.pages_after += bool(after)
        target.sleep_before += sleep_before
        target.sleep_after += sleep_after
    for page in before:
        person = people.setdefault(page.person, PersonSaving(page.person, 0, 0, 0, 0))
        person.pages_before += 1
        person.sleep_before += _in_sleep(page, hours)
    for page in after:
        person = people.setdefault(page.person, PersonSaving(page.person, 0, 0, 0, 0))
        person.pages_after += 1
        person.sleep_after += _in_sleep(page, hours)


def _in_sleep(page: Page, hours: BusinessHours) -> bool:
    return part_of_day(page.at, page.timezone, hours) == SLEEP


def _first_in_sleep(pages: list[Page], hours: BusinessHours) -> bool:
    return _in_sleep(min(pages, key=lambda p: p.at), hours)
