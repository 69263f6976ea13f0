"""The body of the /audit page: inline SVG charts and the ranked rule table, no JavaScript.

Returns an HTML fragment; the web layer wraps it in the page layout. Every chart has a
<title> per mark (a native tooltip) and the table below repeats the numbers, so nothing is
only in a picture.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from alertaudit.report import MAINTENANCE_TITLE, Report, RuleReport, savings_title
from alertaudit.runstatus import AuditRunRecord
from oncall.plural import plural
from oncall.wallclock import team_time

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 190
PLOT_WIDTH = 420
NOISE = "#c0504d"
SLEEP = "#7b2c2a"
GOOD = "#4f81bd"
MUTED = "#999"
ACTION_COLOURS = {"demote": NOISE, "promote": GOOD, "hold": "#d99a00"}


def _svg(height: int, body: list[str], label: str) -> str:
    width = LABEL_WIDTH + PLOT_WIDTH + 70
    return (
        f'<svg class="audit-chart" role="img" aria-label="{escape(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
        + "".join(body)
        + "</svg>"
    )


def _row_label(y: float, text: str) -> str:
    return (
        f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end">{escape(text)}</text>'
    )


def noise_chart(rules: list[RuleReport]) -> str:
    """Horizontal bars: non-actionable pages per week per rule, the sleep-hours share darker."""
    if not rules:
        return ""
    top = max((r.non_actionable_per_week for r in rules), default=0.0) or 1.0
    scale = PLOT_WIDTH / top
    body = []
    for i, r in enumerate(rules):
        y = 24 + i * (BAR_HEIGHT + GAP)
        total = r.non_actionable_per_week
        sleep = min(r.sleep_non_actionable_per_week, total)
        tip = f"{r.rule}: {total:.1f} non-actionable pages/week, {sleep:.1f} in sleep hours"
        body.append(_row_label(y, r.rule))
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{(total - sleep) * scale:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{NOISE}"><title>{escape(tip)}</title></rect>'
        )
        body.append(
            f'<rect x="{LABEL_WIDTH + (total - sleep) * scale:.1f}" y="{y}" '
            f'width="{sleep * scale:.1f}" height="{BAR_HEIGHT}" fill="{SLEEP}">'
            f"<title>{escape(tip)}</title></rect>"
        )
        body.append(
            f'<text x="{LABEL_WIDTH + total * scale + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}">'
            f"{total:.1f}</text>"
        )
    body.insert(
        0,
        f'<text x="{LABEL_WIDTH}" y="14">non-actionable pages per week '
        f'(<tspan fill="{SLEEP}">■ sleep hours</tspan> <tspan fill="{NOISE}">■ other</tspan>)'
        "</text>",
    )
    return _svg(30 + len(rules) * (BAR_HEIGHT + GAP), body, "Non-actionable pages per week")


def score_chart(report: Report) -> str:
    """Each rule's actionable rate with its 90% bounds as an error bar, on a 0..1 axis."""
    rules = report.rules
    if not rules:
        return ""
    demote = report.thresholds.get("demote_upper_below", 0.5)
    promote = report.thresholds.get("promote_lower_at_least", 0.7)
    height = 40 + len(rules) * (BAR_HEIGHT + GAP)
    body = [f'<text x="{LABEL_WIDTH}" y="14">actionable rate, 90% bounds (Wilson in grey)</text>']
    for value, name in ((demote, "demote below"), (promote, "re-promote at")):
        x = LABEL_WIDTH + value * PLOT_WIDTH
        body.append(
            f'<line x1="{x:.1f}" y1="20" x2="{x:.1f}" y2="{height - 16}" stroke="{MUTED}" '
            f'stroke-dasharray="4 3"><title>{name} {value:g}</title></line>'
        )
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        x = LABEL_WIDTH + tick * PLOT_WIDTH
        body.append(f'<text x="{x:.1f}" y="{height - 2}" text-anchor="middle" fill="{MUTED}">{tick:g}</text>')
    for i, r in enumerate(rules):
        y = 24 + i * (BAR_HEIGHT + GAP)
        mid = y + BAR_HEIGHT / 2
        s = r.score
        colour = ACTION_COLOURS.get(r.decision.action, "#333")
        tip = (
            f"{r.rule}: {s.mean:.2f} [{s.lower:.2f}, {s.upper:.2f}], Wilson "
            f"[{s.wilson_low:.2f}, {s.wilson_high:.2f}], {s.effective_pages:.1f} effective "
            f"pages, {r.decision.action}"
        )

        def x_of(v: float) -> float:
            return LABEL_WIDTH + v * PLOT_WIDTH

        body.append(_row_label(y, r.rule))
        body.append(
            f'<line x1="{x_of(s.wilson_low):.1f}" y1="{mid + 5:.1f}" '
            f'x2="{x_of(s.wilson_high):.1f}" y2="{mid + 5:.1f}" stroke="#bbb" stroke-width="3"/>'
        )
        body.append(
            f'<line x1="{x_of(s.lower):.1f}" y1="{mid:.1f}" x2="{x_of(s.upper):.1f}" '
            f'y2="{mid:.1f}" stroke="{colour}" stroke-width="2"/>'
        )
        for end in (s.lower, s.upper):
            body.append(
                f'<line x1="{x_of(end):.1f}" y1="{mid - 5:.1f}" x2="{x_of(end):.1f}" '
                f'y2="{mid + 5:.1f}" stroke="{colour}" stroke-width="2"/>'
            )
        body.append(
            f'<circle cx="{x_of(s.mean):.1f}" cy="{mid:.1f}" r="4" fill="{colour}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    return _svg(height, body, "Actionable rate per rule with 90% bounds")


def load_chart(report: Report) -> str:
    """Pages per 12 hours on call per person, against the budget line."""
    people = report.load
    if not people:
        return ""
    budget = report.budget_per_12h
    top = max(max(p.pages_per_12h for p in people), budget * 1.5)
    scale = PLOT_WIDTH / top
    height = 40 + len(people) * (BAR_HEIGHT + GAP)
    x_budget = LABEL_WIDTH + budget * scale
    body = [
        f'<text x="{LABEL_WIDTH}" y="14">pages per 12 h shift (budget {budget:g})</text>',
        (
            f'<line x1="{x_budget:.1f}" y1="20" x2="{x_budget:.1f}" y2="{height - 12}" '
            f'stroke="{NOISE}" stroke-dasharray="4 3"><title>budget {budget:g}</title></line>'
        ),
    ]
    for i, p in enumerate(people):
        y = 24 + i * (BAR_HEIGHT + GAP)
        colour = NOISE if p.pages_per_12h > budget else GOOD
        tip = (
            f"{p.person}: {plural(p.pages, 'page')} ({p.business} business, {p.off} off, {p.sleep} sleep) "
            f"over {plural(p.shifts, 'shift')}; busiest {p.busiest_shift}; {p.shifts_over_budget} over"
        )
        body.append(_row_label(y, p.person))
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{p.pages_per_12h * scale:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(tip)}</title></rect>'
        )
        body.append(
            f'<text x="{LABEL_WIDTH + p.pages_per_12h * scale + 6:.1f}" '
            f'y="{y + BAR_HEIGHT * 0.7:.1f}">{p.pages_per_12h:.1f}</text>'
        )
    return _svg(height, body, "On-call load per person against the budget")


def _rule_row(rank: int, r: RuleReport) -> str:
    c, s, d = r.counts, r.score, r.decision
    sev = escape(r.current_severity)
    if d.changes:
        sev = f"{escape(d.from_severity)} → {escape(d.to_severity)}"
    evidence = "".join(f"<li>{escape(line)}</li>" for line in r.evidence)
    if r.tune is not None:
        proposal = f" — raise <code>for:</code> by {r.tune.proposed_for}" if r.tune.proposed_for else ""
        evidence += f"<li>tune: {escape(r.tune.reason)}{proposal}</li>"
    return (
        f'<tr class="decision-{escape(d.action)}"><td>{rank}</td><td>{escape(r.rule)}</td>'
        f"<td>{sev}</td><td>{r.non_actionable_per_week:.1f}</td><td>{c.pages}</td>"
        f"<td>{c.sleep_hours_pages}</td><td>{c.acks}</td>"
        f"<td>{s.mean:.2f} [{s.lower:.2f}, {s.upper:.2f}]</td>"
        f"<td><strong>{escape(d.action)}</strong><br/><small>{escape(d.threshold)}</small></td>"
        f"<td><details><summary>{escape(d.reason)}</summary><ul>{evidence}</ul></details></td></tr>"
    )


def sample_banner(report: Report) -> str:
    """The notice that the report is the demo's generated history, or nothing for real history."""
    if not report.sample:
        return ""
    return (
        '<p class="flash sample-data" role="note"><strong>Sample data:</strong> this report is a '
        "generated 90-day demo history, not your alerts, and nothing in it is applied. Import your "
        "history (<code>python -m oncall audit import</code>, see <code>docs/auditor.md</code>, "
        '"Sample data") or wait for real alerts: once either arrives the sample is left out.</p>'
    )


# The page only looks (nothing is applied by viewing it): a demotion an auto-mode run would
# apply is due at the next audit, not applied.
SAVINGS_STATUS = {"applied": "due at the next audit", "proposed": "proposed, not applied"}


def _rules_list(rules: list[str]) -> str:
    return f" ({escape(', '.join(rules))})" if rules else ""


def run_status(last: AuditRunRecord | None, next_at: datetime, timezone: str) -> str:
    """What the auditor has done and when, e.g. `Last audit 2026-12-02 06:00 KST: 2 rules demoted
    (A, B), 0 promoted. Next audit 2026-12-03 06:00 KST.`, or that none has run yet."""
    upcoming = team_time(next_at, timezone)
    if last is None:
        text = f"No audit has run yet; the next one runs at {escape(upcoming)}. Nothing has been applied."
    elif last.mode == "auto":
        text = (
            f"Last audit {escape(team_time(last.at, timezone))}: {plural(len(last.demoted), 'rule')} demoted"
            f"{_rules_list(last.demoted)}, {len(last.promoted)} promoted{_rules_list(last.promoted)}. "
            f"Next audit {escape(upcoming)}."
        )
    else:
        text = (
            f"Last audit {escape(team_time(last.at, timezone))} (propose mode): "
            f"{plural(len(last.demoted), 'demotion')}{_rules_list(last.demoted)} and "
            f"{plural(len(last.promoted), 'promotion')}{_rules_list(last.promoted)} proposed, not applied. "
            f"Next audit {escape(upcoming)}."
        )
    return f'<p class="audit-runs" data-testid="audit-runs">{text}</p>'


def _pending(report: Report) -> str:
    """What the decisions below amount to: due at the next audit (auto) or only proposed."""
    changes = sum(1 for r in report.rules if r.decision.changes)
    counted = plural(changes, "severity change")
    if report.mode == "auto":
        return f"{counted} due at the next audit (auto mode; nothing is applied by viewing this page)"
    return f"{counted} proposed, not applied (propose mode)"


def _before_after(label: str, before: str, after: str) -> str:
    return f'<tr><th scope="row">{escape(label)}</th><td>{before}</td><td>→ {after}</td></tr>'


def savings_table(report: Report) -> str:
    """Before → after for the window had the demotions been in force: totals, then each person."""
    s = report.savings
    if not s.rules:
        return '<p class="audit-savings">No demotions to replay: the window stays as it was.</p>'
    changed = ", ".join(
        f"{escape(r.rule)} {escape(r.from_severity)} → {escape(r.to_severity)} "
        f"({escape(SAVINGS_STATUS.get(r.status, r.status))})"
        for r in s.rules
    )
    rows = [
        _before_after("pages", str(s.pages_before), str(s.pages_after)),
        _before_after("sleep-hours pages", str(s.sleep_before), str(s.sleep_after)),
        *(
            _before_after(
                f"{p.person} (in sleep hours)",
                f"{p.pages_before} ({p.sleep_before})",
                f"{p.pages_after} ({p.sleep_after})",
            )
            for p in s.people
        ),
    ]
    return (
        f'<table class="audit-savings"><caption>{escape(savings_title(report))}: {changed}</caption>'
        '<thead><tr><th scope="col">the window</th><th scope="col">before</th><th scope="col">after</th>'
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def render_audit(report: Report, status: str = "") -> str:
    """The /audit page body for `report` as an HTML fragment string; `status` is `run_status`'s."""
    day = "%Y-%m-%d"
    rows = "".join(_rule_row(i, r) for i, r in enumerate(report.rules, start=1))
    summary = (
        f"{plural(len(report.rules), 'rule')}, {plural(sum(r.counts.pages for r in report.rules), 'page')}, "
        f"{_pending(report)}"
    )
    return (
        '<section class="audit">'
        f"<h1>Alert audit</h1>{sample_banner(report)}{status}<p>{report.since.strftime(day)} – {report.until.strftime(day)} "
        f"({report.weeks:.1f} weeks). {escape(summary)}. Ranked by non-actionable pages per "
        "week; sleep-hours pages count double."
        + (
            f" Pages inferred from acknowledgements/on-call: {report.inferred_pages}."
            if report.inferred_pages
            else ""
        )
        + "</p>"
        f"{savings_table(report)}"
        f"<figure>{noise_chart(report.rules)}</figure>"
        f"<figure>{score_chart(report)}</figure>"
        f"<figure>{load_chart(report)}</figure>"
        '<table class="audit-rules"><thead><tr><th>#</th><th>rule</th><th>severity</th>'
        "<th>noise/week</th><th>pages</th><th>sleep</th><th>acks</th><th>score [90%]</th>"
        "<th>decision</th><th>why</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{maintenance_table(report)}</section>"
    )


def maintenance_table(report: Report) -> str:
    """Per maintenance window, what it kept from paging; empty when no window held an alert."""
    if not report.maintenance:
        return ""
    rows = "".join(
        f"<tr><td>{escape(w.window)} ({escape(w.reason)})</td><td>{w.alerts}</td><td>{w.would_be_pages}</td>"
        f"<td>{escape(', '.join(w.rules))}</td></tr>"
        for w in report.maintenance
    )
    return (
        f'<table class="audit-maintenance" data-testid="audit-maintenance"><caption>{escape(MAINTENANCE_TITLE)}'
        '</caption><thead><tr><th scope="col">window</th><th scope="col">alerts</th>'
        '<th scope="col">would-be pages</th><th scope="col">rules</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
