"""What to do with a rule: demote, re-promote, hold, keep — and whether to suggest tuning.

Hysteresis (docs/auditor.md): demotion needs strong evidence of noise (enough effective pages and
the upper bound below 0.5); re-promotion needs strong evidence of action (the lower bound at
least 0.7); and a rule changes at most once per 14 days, so a rule near a threshold does not
flip back and forth. Exempt and pinned rules never change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from alertaudit.counts import RuleCounts, percentile
from alertaudit.scoring import Score
from oncall.config.model import AuditorSettings
from oncall.durations import format_in_one_unit
from oncall.severity import can_demote, shifted

DEMOTE = "demote"
PROMOTE = "promote"
KEEP = "keep"
HOLD = "hold"  # a change is due but the last one is too recent
EXEMPT = "exempt"
PINNED = "pinned"

# `for:` values a person would write, smallest first (seconds).
FOR_STEPS = (60, 120, 300, 600, 900, 1800, 3600, 7200)


@dataclass(frozen=True, slots=True)
class RuleMemory:
    """What the database remembers about a rule between audits."""

    shift: int = 0  # how many severity steps it is demoted by
    pinned: bool = False
    changed_at: datetime | None = None
    reason: str | None = None
    base_severity: str | None = None  # as last seen, for rules that have gone quiet


@dataclass(slots=True)
class Decision:
    action: str  # demote | promote | keep | hold | exempt | pinned
    from_severity: str
    to_severity: str
    reason: str  # a sentence for people
    threshold: str  # the threshold that triggered (or blocked) it, e.g. "upper 0.47 < 0.5"

    @property
    def changes(self) -> bool:
        return self.action in (DEMOTE, PROMOTE)


@dataclass(slots=True)
class Tune:
    reason: str
    proposed_for: str | None  # e.g. "10m": raise the rule's `for:` by this much
    proposed_for_s: int | None
    silenced: int  # unacked transient/flapping episodes that `for:` would have suppressed
    delayed: int  # acked episodes whose page it would have delayed


def decide(
    rule: str,
    base: str,
    score: Score,
    *,
    memory: RuleMemory,
    settings: AuditorSettings,
    now: datetime,
) -> Decision:
    """The decision for one rule given its score and what the database remembers."""
    current = shifted(base, memory.shift)
    if rule in settings.exempt:
        return Decision(EXEMPT, current, current, "exempt from the auditor", "auditor.exempt")
    if memory.pinned:
        why = f"pinned by a person at {current}"
        return Decision(PINNED, current, current, why, "pinned")

    upper, lower, n = score.upper, score.lower, score.effective_pages
    want = None
    if (
        n >= settings.demote_min_pages
        and upper < settings.demote_upper_below
        and can_demote(base, memory.shift)
    ):
        want = DEMOTE
        target = shifted(base, memory.shift + 1)
        threshold = (
            f"upper {upper:.2f} < {settings.demote_upper_below:g} "
            f"with {n:.1f} >= {settings.demote_min_pages:g} effective pages"
        )
        reason = f"at most {upper:.0%} of its pages need action (90% bound) over {n:.1f} effective pages"
    elif memory.shift > 0 and lower >= settings.promote_lower_at_least:
        want = PROMOTE
        target = shifted(base, memory.shift - 1)
        threshold = f"lower {lower:.2f} >= {settings.promote_lower_at_least:g}"
        reason = f"at least {lower:.0%} of its pages since the demotion needed action (90% bound)"

    if want is None:
        return Decision(
            KEEP,
            current,
            current,
            "no threshold crossed",
            _keep_threshold(score, memory, settings),
        )
    if memory.changed_at is not None:
        since_change = now - memory.changed_at
        if since_change < settings.min_days_between_changes:
            days = settings.min_days_between_changes.total_seconds() / 86400
            return Decision(
                HOLD,
                current,
                current,
                f"would {want} to {target}, but the last change was "
                f"{since_change.total_seconds() / 86400:.1f} days ago",
                f"{threshold}; < {days:g} days since the last change",
            )
    return Decision(want, current, target, reason, threshold)


def _keep_threshold(score: Score, memory: RuleMemory, settings: AuditorSettings) -> str:
    if memory.shift > 0:
        return f"lower {score.lower:.2f} < {settings.promote_lower_at_least:g}"
    if score.effective_pages < settings.demote_min_pages:
        return f"{score.effective_pages:.1f} < {settings.demote_min_pages:g} effective pages"
    return f"upper {score.upper:.2f} >= {settings.demote_upper_below:g}"


def suggest_tune(
    counts: RuleCounts,
    score: Score,
    no_ack_durations: Sequence[float],
    settings: AuditorSettings,
) -> Tune | None:
    """A tuning suggestion (never a change) when the rule is noisy but not demoted-noisy."""
    reasons = []
    # The prior alone sits below 0.9, so a rate-based suggestion needs some actual noise.
    if score.mean < settings.tune_rate_below and score.noise_weight > 0:
        reasons.append(f"actionable rate {score.mean:.0%} < {settings.tune_rate_below:.0%}")
    share = counts.transient_or_flapping / counts.episodes if counts.episodes else 0.0
    if counts.episodes and share >= settings.tune_transient_share:
        reasons.append(
            f"{share:.0%} of episodes transient or flapping >= {settings.tune_transient_share:.0%}"
        )
    if not reasons:
        return None
    proposed = _proposed_for(no_ack_durations)
    silenced = sum(1 for d in no_ack_durations if proposed is not None and d < proposed)
    return Tune(
        reason="; ".join(reasons),
        proposed_for=None if proposed is None else format_in_one_unit(proposed),
        proposed_for_s=proposed,
        silenced=silenced,
        delayed=counts.acks if proposed is not None else 0,
    )


def _proposed_for(durations: Sequence[float]) -> int | None:
    """The smallest usual `for:` step longer than 80% of the unacked short episodes."""
    p80 = percentile(durations, 0.8)
    if p80 is None:
        return None
    for step in FOR_STEPS:
        if step > p80:
            return step
    return None  # episodes that long are not fixed by waiting
