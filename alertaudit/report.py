"""The audit report as a tree of dataclasses, and its JSON, CSV and terminal renderings.

The HTML page is in `alertaudit.html`; every rendering reads only this tree.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from alertaudit.counts import RuleCounts
from alertaudit.decide import Decision, Tune
from alertaudit.load import PersonLoad
from alertaudit.maintenance import WindowSuppression
from alertaudit.savings import Savings
from alertaudit.scoring import Score
from oncall.plural import plural


@dataclass(slots=True)
class RuleReport:
    rule: str
    base_severity: str  # what the rule's labels say
    current_severity: str  # what the service pages with now (after any demotion)
    shift: int
    pinned: bool
    exempt: bool
    counts: RuleCounts
    score: Score
    scored_since: datetime  # the window start, or the rule's last change when later
    decision: Decision
    tune: Tune | None
    evidence: list[str] = field(default_factory=list)
    non_actionable_per_week: float = 0.0
    sleep_non_actionable_per_week: float = 0.0
    rank_score: float = 0.0  # non-actionable pages per week, sleep-hours ones counted double


@dataclass(slots=True)
class Report:
    generated_at: datetime
    since: datetime
    until: datetime
    weeks: float  # the span the per-week rates divide by
    mode: str  # auto | propose
    rules: list[RuleReport]  # ranked, noisiest first
    load: list[PersonLoad]
    budget_per_12h: float
    thresholds: dict[str, float]
    events: int = 0
    inferred_pages: int = 0  # pages an import inferred (Opsgenie, Grafana OnCall: docs/history-import.md)
    savings: Savings = field(default_factory=Savings)  # the window again with the changes in force
    sample: bool = False  # built from the generated demo history (`audit sample`), not real alerts
    # What each maintenance window kept from paging (left out of the rules' counts above).
    maintenance: list[WindowSuppression] = field(default_factory=list)

    def rule(self, name: str) -> RuleReport | None:
        """The report of one rule by its key."""
        for rule in self.rules:
            if rule.rule == name:
                return rule
        return None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def to_dict(report: Report) -> dict[str, Any]:
    """The report as JSON-ready plain data (times in ISO 8601 UTC)."""
    return _plain(asdict(report))


def to_json(report: Report, indent: int | None = 2) -> str:
    """The report as the JSON body of GET /api/v1/audit/report."""
    return json.dumps(to_dict(report), indent=indent, ensure_ascii=False)


CSV_COLUMNS = (
    "rank",
    "rule",
    "base_severity",
    "current_severity",
    "decision",
    "to_severity",
    "threshold",
    "non_actionable_per_week",
    "sleep_non_actionable_per_week",
    "score_mean",
    "score_lower",
    "score_upper",
    "wilson_low",
    "wilson_high",
    "effective_pages",
    "episodes",
    "pages",
    "acks",
    "tta_median_s",
    "tta_p90_s",
    "auto_resolved",
    "transient",
    "flapping",
    "escalated_out",
    "votes_actionable",
    "votes_noise",
    "business_pages",
    "off_hours_pages",
    "sleep_hours_pages",
    "actionable_pages",
    "noise_pages",
    "unlabelled_pages",
    "tune",
    "proposed_for",
    "reason",
)


def to_csv(report: Report) -> str:
    """One row per rule, ranked, for ?format=csv."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, rule in enumerate(report.rules, start=1):
        c, s, d = rule.counts, rule.score, rule.decision
        writer.writerow(
            [
                rank,
                rule.rule,
                rule.base_severity,
                rule.current_severity,
                d.action,
                d.to_severity,
                d.threshold,
                f"{rule.non_actionable_per_week:.2f}",
                f"{rule.sleep_non_actionable_per_week:.2f}",
                f"{s.mean:.4f}",
                f"{s.lower:.4f}",
                f"{s.upper:.4f}",
                f"{s.wilson_low:.4f}",
                f"{s.wilson_high:.4f}",
                f"{s.effective_pages:.2f}",
                c.episodes,
                c.pages,
                c.acks,
                "" if c.tta_median_s is None else f"{c.tta_median_s:.0f}",
                "" if c.tta_p90_s is None else f"{c.tta_p90_s:.0f}",
                c.auto_resolved,
                c.transient,
                c.flapping,
                c.escalated_out,
                c.votes_actionable,
                c.votes_noise,
                c.business_pages,
                c.off_hours_pages,
                c.sleep_hours_pages,
                c.actionable_pages,
                c.noise_pages,
                c.unlabelled_pages,
                "" if rule.tune is None else rule.tune.reason,
                "" if rule.tune is None or rule.tune.proposed_for is None else rule.tune.proposed_for,
                d.reason,
            ]
        )
    return out.getvalue()


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f}s"
    if seconds < 7200:
        return f"{seconds / 60:.0f}m"
    return f"{seconds / 3600:.1f}h"


def _table(headers: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    return [line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def to_text(report: Report) -> str:
    """A readable ranked table for `python -m oncall audit` in a terminal."""
    day = "%Y-%m-%d"
    lines = [SAMPLE_NOTE, ""] if report.sample else []
    lines += [
        (
            f"Alert audit {report.since.strftime(day)} .. {report.until.strftime(day)} "
            f"(history covers {report.weeks:.1f} weeks; mode {report.mode}; "
            f"{plural(len(report.rules), 'rule')})"
        ),
        "Ranked by non-actionable pages per week, sleep-hours pages counted double.",
        "",
    ]
    if report.inferred_pages:
        lines.insert(-1, f"Pages inferred from acknowledgements/on-call: {report.inferred_pages}.")
    headers = [
        "#",
        "rule",
        "sev",
        "noise/wk",
        "pages",
        "sleep",
        "acks",
        "tta p50",
        "score [90% bounds]",
        "decision",
        "threshold",
    ]
    rows = []
    for rank, r in enumerate(report.rules, start=1):
        sev = r.current_severity
        if r.decision.changes:
            sev = f"{r.decision.from_severity}->{r.decision.to_severity}"
        elif r.current_severity != r.base_severity:
            sev = f"{r.base_severity}->{r.current_severity}"
        rows.append(
            [
                str(rank),
                r.rule,
                sev,
                f"{r.non_actionable_per_week:.1f}",
                str(r.counts.pages),
                str(r.counts.sleep_hours_pages),
                str(r.counts.acks),
                _duration(r.counts.tta_median_s),
                f"{r.score.mean:.2f} [{r.score.lower:.2f}, {r.score.upper:.2f}]",
                r.decision.action,
                r.decision.threshold,
            ]
        )
    lines += _table(headers, rows, right={0, 3, 4, 5, 6, 7})
    notes = []
    for r in report.rules:
        if r.decision.changes or r.decision.action == "hold":
            notes.append(f"  {r.rule}: {r.decision.action} - {r.decision.reason}")
        if r.tune is not None:
            proposal = f"; raise for: by {r.tune.proposed_for}" if r.tune.proposed_for else ""
            notes.append(f"  {r.rule}: tune - {r.tune.reason}{proposal}")
    if notes:
        lines += ["", "Decisions and suggestions:", *notes]
    if report.load:
        lines += [
            "",
            f"On-call load (budget {report.budget_per_12h:g} pages per 12 h shift):",
        ]
        load_rows = [
            [
                p.person,
                str(p.pages),
                str(p.business),
                str(p.off),
                str(p.sleep),
                str(p.shifts),
                f"{p.pages_per_12h:.1f}",
                str(p.busiest_shift),
                str(p.shifts_over_budget),
            ]
            for p in report.load
        ]
        lines += _table(
            [
                "person",
                "pages",
                "business",
                "off",
                "sleep",
                "shifts",
                "per 12h",
                "max",
                "over",
            ],
            load_rows,
            right=set(range(1, 9)),
        )
    lines += savings_lines(report)
    lines += maintenance_lines(report)
    return "\n".join(lines) + "\n"


MAINTENANCE_TITLE = "Maintenance windows: alerts that paged nobody, left out of the rules' counts"


def maintenance_lines(report: Report) -> list[str]:
    """Per maintenance window, what it kept from paging; nothing when no window held an alert."""
    if not report.maintenance:
        return []
    rows = [
        [f"{w.window} ({w.reason})", str(w.alerts), str(w.would_be_pages), ", ".join(w.rules)]
        for w in report.maintenance
    ]
    return [
        "",
        f"{MAINTENANCE_TITLE}:",
        *_table(["window", "alerts", "would-be pages", "rules"], rows, right={1, 2}),
    ]


SAMPLE_NOTE = (
    "Sample data: a generated demo history, not your alerts. Import your history "
    "(docs/auditor.md, 'Sample data') or wait for real alerts; once either arrives the sample is left out."
)


def savings_title(report: Report) -> str:
    """The heading of the before -> after comparison, saying which changes it replays."""
    if report.mode == "auto" and not report.sample:
        return "If the auditor's demotions had been in force over this window"
    return "If the proposed changes had been in force over this window"


def _arrow(before: object, after: object) -> str:
    return f"{before} -> {after}"


def savings_lines(report: Report) -> list[str]:
    """The before -> after section of the text report: totals, per changed rule, per person."""
    s = report.savings
    if not s.rules:
        lines = ["", "No demotions to replay: the window stays as it was."]
    else:
        lines = [
            "",
            f"{savings_title(report)}:",
            f"  pages {_arrow(s.pages_before, s.pages_after)}, "
            f"sleep-hours pages {_arrow(s.sleep_before, s.sleep_after)}",
            "",
        ]
        rows = [
            [
                r.rule,
                _arrow(r.from_severity, r.to_severity),
                r.status,
                _arrow(r.pages_before, r.pages_after),
                _arrow(r.sleep_before, r.sleep_after),
            ]
            for r in s.rules
        ]
        lines += _table(["rule", "change", "status", "pages", "sleep"], rows, right={3, 4})
        people = [
            [p.person, _arrow(p.pages_before, p.pages_after), _arrow(p.sleep_before, p.sleep_after)]
            for p in s.people
        ]
        lines += ["", *_table(["person", "interruptions", "in sleep hours"], people, right={1, 2})]
    if s.not_replayed:
        lines.append(
            f"Not replayed (re-promotions add pages the history cannot show): {', '.join(s.not_replayed)}"
        )
    return lines
