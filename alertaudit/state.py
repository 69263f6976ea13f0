"""The auditor's memory in the database: apply decisions, undo, pin, and what to page with.

Plain functions taking a Session; the caller owns the transaction (`Database.session()`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alertaudit.decide import RuleMemory
from alertaudit.models import RuleDecision, RuleState
from alertaudit.report import Report
from oncall.config.model import AuditorSettings
from oncall.severity import shifted

AUDITOR = "auditor"


def load_memory(session: Session) -> dict[str, RuleMemory]:
    """Every remembered rule state, keyed by rule, for `build_report(memory=...)`."""
    return {
        state.rule: RuleMemory(
            shift=state.shift or 0,
            pinned=bool(state.pinned),
            changed_at=state.changed_at,
            reason=state.reason,
            base_severity=state.base_severity,
        )
        for state in session.scalars(select(RuleState))
    }


def _state(session: Session, rule: str, lock: bool = False) -> RuleState:
    # FOR UPDATE on PostgreSQL, so two instances' daily runs cannot both change one rule.
    state = session.get(RuleState, rule, with_for_update=lock or None)
    if state is None:
        state = RuleState(rule=rule, shift=0, pinned=False)
        session.add(state)
    return state


def apply_decisions(
    session: Session, report: Report, settings: AuditorSettings, now: datetime
) -> list[RuleDecision]:
    """In `auto` mode, apply every demote/promote of `report`; returns the recorded changes.

    In `propose` mode nothing is recorded: the report is the whole output. A decision is
    applied only if the rule's state is still the one the report was computed from, so two
    instances running the daily audit at once change a rule once.
    """
    if settings.mode != "auto":
        return []
    applied = []
    for rule in report.rules:
        decision = rule.decision
        if not decision.changes:
            continue
        state = _state(session, rule.rule, lock=True)
        if (state.shift or 0) != rule.shift or state.pinned:
            continue
        to_shift = rule.shift + (1 if decision.action == "demote" else -1)
        state.shift = to_shift
        state.base_severity = rule.base_severity
        state.changed_at = now
        state.changed_by = AUDITOR
        state.reason = f"{decision.action}d by the auditor: {decision.reason}"
        record = RuleDecision(
            rule=rule.rule,
            at=now,
            action=decision.action,
            by=AUDITOR,
            from_shift=rule.shift,
            to_shift=to_shift,
            from_severity=decision.from_severity,
            to_severity=decision.to_severity,
            reason=decision.reason,
            threshold=decision.threshold,
        )
        session.add(record)
        applied.append(record)
    session.flush()
    return applied


def undo(session: Session, rule: str, by: str, now: datetime) -> RuleState:
    """Reverse the last demotion or promotion of `rule`; LookupError when there is none.

    The undo counts as a change, so the auditor leaves the rule alone for the hysteresis
    period and then judges it only on pages after the undo.
    """
    last = session.scalars(
        select(RuleDecision)
        .where(
            RuleDecision.rule == rule,
            RuleDecision.action.in_(("demote", "promote", "undo")),
        )
        .order_by(RuleDecision.at.desc(), RuleDecision.id.desc())
        .limit(1)
    ).first()
    if last is None or last.action == "undo":
        raise LookupError(f"rule {rule!r} has no demotion or promotion to undo")
    state = _state(session, rule)
    from_shift = state.shift or 0
    state.shift = last.from_shift
    state.changed_at = now
    state.changed_by = by
    state.reason = f"{last.action} undone by {by}"
    base = state.base_severity or last.from_severity or "SEV-3"
    session.add(
        RuleDecision(
            rule=rule,
            at=now,
            action="undo",
            by=by,
            from_shift=from_shift,
            to_shift=last.from_shift,
            from_severity=shifted(base, from_shift),
            to_severity=shifted(base, last.from_shift),
            reason=state.reason,
        )
    )
    session.flush()
    return state


def pin(session: Session, rule: str, by: str, now: datetime, pinned: bool = True) -> RuleState:
    """Pin `rule` at its current severity (the auditor will not change it), or unpin it."""
    state = _state(session, rule)
    shift = state.shift or 0
    state.pinned = pinned
    # `reason` and `changed_at` describe the severity change, which pinning leaves as it is;
    # who pinned and when is in the decision history.
    action = "pin" if pinned else "unpin"
    base = state.base_severity
    session.add(
        RuleDecision(
            rule=rule,
            at=now,
            action=action,
            by=by,
            from_shift=shift,
            to_shift=shift,
            from_severity=None if base is None else shifted(base, shift),
            to_severity=None if base is None else shifted(base, shift),
            reason=f"{action}ned by {by}",
        )
    )
    session.flush()
    return state


def effective_severity(session: Session, rule_key: str, base: str) -> tuple[str, str | None]:
    """The severity to page `rule_key` with now, and the reason when it differs from `base`."""
    state = session.get(RuleState, rule_key)
    if state is None or not state.shift:
        return base, None
    return shifted(base, state.shift), state.reason


def severity_adjuster(session: Session) -> Callable[[str, str], tuple[str, str | None]]:
    """`effective_severity` for many alerts: the demoted rules are read once, on first use."""
    demoted: dict[str, RuleState] | None = None

    def adjust(rule_key: str, base: str) -> tuple[str, str | None]:
        nonlocal demoted
        if demoted is None:
            demoted = {s.rule: s for s in session.scalars(select(RuleState).where(RuleState.shift != 0))}
        state = demoted.get(rule_key)
        if state is None:
            return base, None
        return shifted(base, state.shift), state.reason

    return adjust


def history(session: Session, rule: str | None = None, limit: int = 100) -> list[RuleDecision]:
    """The latest recorded changes, newest first (all rules, or one); not the runs themselves."""
    query = (
        select(RuleDecision)
        .where(RuleDecision.action != "run")  # alertaudit.runs: one line per run, not a change
        .order_by(RuleDecision.at.desc(), RuleDecision.id.desc())
    )
    if rule is not None:
        query = query.where(RuleDecision.rule == rule)
    return list(session.scalars(query.limit(limit)))
