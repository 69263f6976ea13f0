"""Run the audit: events in, a ranked report out. Pure: no database, no web, no clock.

`build_report` is what the CLI, the daily job and the web route all call; the database-facing
parts (`alertaudit.state`) read the memory before and apply the decisions after.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from alertaudit.counts import LabelledPage, RuleHistory, rule_history
from alertaudit.decide import RuleMemory, decide, suggest_tune
from alertaudit.episodes import Episode, fold_events, gc_paused
from alertaudit.events import AlertEvent
from alertaudit.labels import ACTIONABLE, UNLABELLED
from alertaudit.load import BUDGET_PER_12H, person_load
from alertaudit.maintenance import suppressed_by_window
from alertaudit.report import Report, RuleReport
from alertaudit.savings import changes_of, replay
from alertaudit.scoring import score
from alertaudit.sources.inferred import is_inferred_page
from oncall.config.model import AuditorSettings, BusinessHours, SeverityMap
from oncall.durations import format_in_one_unit
from oncall.plural import plural
from oncall.severity import level_of, shifted

# Sleep-hours pages cost a night, so they rank a rule twice as high as a daytime page.
SLEEP_RANK_WEIGHT = 2.0
WEEK = timedelta(days=7)


def build_report(
    events: Iterable[AlertEvent],
    settings: AuditorSettings,
    now: datetime,
    *,
    since: datetime | None = None,
    memory: Mapping[str, RuleMemory] | None = None,
    business_hours: BusinessHours | None = None,
    severity_map: SeverityMap | None = None,
    shifts: Mapping[str, Sequence[tuple[datetime, datetime]]] | None = None,
) -> Report:
    """Score every rule seen in `events` over [since, now) and decide what to do with it.

    `since` defaults to `now - settings.window`. `memory` is each rule's remembered state
    (`alertaudit.state.load_memory`); `shifts` the on-call shifts per person, when known.
    """
    with gc_paused():
        return _build(
            events,
            settings,
            now,
            since=since,
            memory=memory,
            business_hours=business_hours,
            severity_map=severity_map,
            shifts=shifts,
        )


def _build(
    events: Iterable[AlertEvent],
    settings: AuditorSettings,
    now: datetime,
    *,
    since: datetime | None,
    memory: Mapping[str, RuleMemory] | None,
    business_hours: BusinessHours | None,
    severity_map: SeverityMap | None,
    shifts: Mapping[str, Sequence[tuple[datetime, datetime]]] | None,
) -> Report:
    since = since if since is not None else now - settings.window
    memory = memory or {}
    counter = _Counted(events)
    by_rule: dict[str, list[Episode]] = {}
    suppressed: list[Episode] = []  # in a maintenance window, paged nobody: not evidence
    earliest = now
    for episode in fold_events(counter).values():
        start = episode.start
        if since <= start < now:
            (suppressed if episode.suppressed else by_rule.setdefault(episode.rule, [])).append(episode)
            earliest = min(earliest, start)
    # A history shorter than the window (an import on day one) is divided by its own length.
    span = max(now - max(since, earliest), timedelta(days=1))
    weeks = span / WEEK

    rules = [
        _rule_report(
            rule,
            episodes,
            settings,
            now,
            since=since,
            weeks=weeks,
            memory=memory,
            business_hours=business_hours,
            severity_map=severity_map,
        )
        for rule, episodes in by_rule.items()
    ]
    for rule, remembered in memory.items():
        # Demoted or pinned rules that went quiet still belong in the report.
        if rule not in by_rule and (remembered.shift or remembered.pinned):
            rules.append(
                _rule_report(
                    rule,
                    [],
                    settings,
                    now,
                    since=since,
                    weeks=weeks,
                    memory=memory,
                    business_hours=business_hours,
                    severity_map=severity_map,
                )
            )
    rules.sort(key=lambda r: (-r.rank_score, -r.counts.pages, r.rule))
    all_episodes = [e for episodes in by_rule.values() for e in episodes]
    changes, promotions = changes_of(rules, settings.mode)
    return Report(
        generated_at=now,
        since=since,
        until=now,
        weeks=weeks,
        mode=settings.mode,
        rules=rules,
        load=person_load(all_episodes, since, now, business_hours=business_hours, shifts=shifts),
        budget_per_12h=BUDGET_PER_12H,
        thresholds=thresholds_of(settings),
        events=counter.count,
        inferred_pages=counter.inferred,
        savings=replay(by_rule, changes, business_hours=business_hours, not_replayed=promotions),
        maintenance=suppressed_by_window(suppressed),
    )


def thresholds_of(settings: AuditorSettings) -> dict[str, float]:
    """The configured thresholds, shown in every report so a decision can be checked by hand."""
    return {
        "prior_mean": settings.prior_mean,
        "prior_strength": settings.prior_strength,
        "half_life_days": settings.half_life / timedelta(days=1),
        "demote_min_pages": settings.demote_min_pages,
        "demote_upper_below": settings.demote_upper_below,
        "promote_lower_at_least": settings.promote_lower_at_least,
        "min_days_between_changes": settings.min_days_between_changes / timedelta(days=1),
        "tune_rate_below": settings.tune_rate_below,
        "tune_transient_share": settings.tune_transient_share,
        "sleep_rank_weight": SLEEP_RANK_WEIGHT,
    }


class _Counted:
    """Counts the events as the fold consumes them, so the input can stay a one-pass stream."""

    def __init__(self, events: Iterable[AlertEvent]) -> None:
        self.events = events
        self.count = 0
        self.inferred = 0  # pages an import inferred rather than read

    def __iter__(self):
        for event in self.events:
            self.count += 1
            self.inferred += is_inferred_page(event)
            yield event


def _rule_report(
    rule: str,
    episodes: list[Episode],
    settings: AuditorSettings,
    now: datetime,
    *,
    since: datetime,
    weeks: float,
    memory: Mapping[str, RuleMemory],
    business_hours: BusinessHours | None,
    severity_map: SeverityMap | None,
) -> RuleReport:
    history = rule_history(episodes, now, business_hours)
    remembered = memory.get(rule, RuleMemory())
    base = _base_severity(episodes, remembered, severity_map)
    # Evidence from before the last change already drove that change; judging the rule again
    # on it would keep a demoted rule demoted forever, so the score restarts at the change.
    scored_since = max(since, remembered.changed_at) if remembered.changed_at else since
    scored = [p for p in history.pages if p.at >= scored_since and p.label.label != UNLABELLED]
    rule_score = score(
        ((p.label.label == ACTIONABLE, p.label.weight, p.at) for p in scored),
        now,
        prior_mean=settings.prior_mean,
        prior_strength=settings.prior_strength,
        half_life=settings.half_life,
    )
    decision = decide(rule, base, rule_score, memory=remembered, settings=settings, now=now)
    exempt = rule in settings.exempt
    tune = None if exempt else suggest_tune(history.counts, rule_score, history.no_ack_durations, settings)
    counts = history.counts
    non_actionable = counts.noise_pages + counts.unlabelled_pages
    sleepy = counts.sleep_non_actionable_pages
    return RuleReport(
        rule=rule,
        base_severity=base,
        current_severity=shifted(base, remembered.shift),
        shift=remembered.shift,
        pinned=remembered.pinned,
        exempt=exempt,
        counts=counts,
        score=rule_score,
        scored_since=scored_since,
        decision=decision,
        tune=tune,
        evidence=_evidence(history, scored, scored_since, since),
        non_actionable_per_week=non_actionable / weeks,
        sleep_non_actionable_per_week=sleepy / weeks,
        rank_score=(non_actionable + (SLEEP_RANK_WEIGHT - 1.0) * sleepy) / weeks,
    )


def _base_severity(episodes: list[Episode], remembered: RuleMemory, severity_map: SeverityMap | None) -> str:
    latest = None
    for episode in episodes:
        if episode.severity and (latest is None or episode.start > latest.start):
            latest = episode
    if latest is not None:
        return level_of(latest.severity, severity_map)
    return remembered.base_severity or level_of(None, severity_map)


def _evidence(
    history: RuleHistory,
    scored: list[LabelledPage],
    scored_since: datetime,
    since: datetime,
) -> list[str]:
    c = history.counts
    lines = [
        (
            f"{plural(c.episodes, 'episode')}, {plural(c.pages, 'page')}: {c.actionable_pages} actionable, "
            f"{c.noise_pages} noise, {c.unlabelled_pages} unlabelled"
        )
    ]
    whys = Counter(p.label.why for p in history.pages if p.label.label != UNLABELLED)
    if whys:
        lines.append("labels: " + ", ".join(f"{n} {why}" for why, n in whys.most_common()))
    if c.pages:
        lines.append(
            f"{plural(c.sleep_hours_pages, 'page')} in sleep hours, {c.off_hours_pages} off hours, "
            f"{c.business_pages} in business hours"
        )
    if c.tta_median_s is not None:
        lines.append(
            f"time to ack: median {format_in_one_unit(round(c.tta_median_s))}, "
            f"p90 {format_in_one_unit(round(c.tta_p90_s or 0))}"
        )
    if c.transient or c.flapping:
        lines.append(f"{c.transient} transient (< 5 min), {c.flapping} flapping (< 1 h apart)")
    if c.escalated_out:
        lines.append(f"{c.escalated_out} ran out of escalation levels with no ack")
    if scored_since > since:
        lines.append(
            f"scored on {len(scored)} labelled pages since the last change "
            f"{scored_since.strftime('%Y-%m-%d %H:%M')} UTC"
        )
    return lines
