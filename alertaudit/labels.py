"""Label each page actionable, noise or unlabelled, with how much the evidence weighs.

docs/auditor.md, first match wins:
  explicit vote                                   -> its value, weight 1
  linked to an incident                           -> actionable, 1
  auto-resolved within 5 min, no ack              -> noise, 1
  escalation ran out, no ack                      -> noise, 0.75
  acked and engaged >= 10 min                     -> actionable, 0.75
  acked and closed within 2 min of the ack        -> noise, 0.5
  otherwise                                       -> unlabelled (weighs nothing)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from alertaudit.episodes import Episode

ACTIONABLE = "actionable"
NOISE = "noise"
UNLABELLED = "unlabelled"

TRANSIENT_WITHIN = timedelta(minutes=5)
ENGAGED_AT_LEAST = timedelta(minutes=10)
CLOSED_QUICKLY_WITHIN = timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class PageLabel:
    label: str  # actionable | noise | unlabelled
    weight: float
    why: str  # which rule of the table matched, for the report's evidence


VOTE_ACTIONABLE = PageLabel(ACTIONABLE, 1.0, "voted actionable")
VOTE_NOISE = PageLabel(NOISE, 1.0, "voted noise")
INCIDENT_LINKED = PageLabel(ACTIONABLE, 1.0, "linked to an incident")
AUTO_RESOLVED = PageLabel(NOISE, 1.0, "auto-resolved within 5 min, no ack")
ESCALATION_RAN_OUT = PageLabel(NOISE, 0.75, "escalation ran out, no ack")
ENGAGED = PageLabel(ACTIONABLE, 0.75, "acked and engaged >= 10 min")
CLOSED_QUICKLY = PageLabel(NOISE, 0.5, "acked and closed within 2 min")
NO_EVIDENCE = PageLabel(UNLABELLED, 0.0, "no evidence either way")


def label_page(episode: Episode, now: datetime) -> PageLabel:
    """The label of a paged episode; `now` bounds engagement of an episode still open."""
    if episode.vote == ACTIONABLE:
        return VOTE_ACTIONABLE
    if episode.vote == NOISE:
        return VOTE_NOISE
    if episode.incident is not None:
        return INCIDENT_LINKED
    acked_at = episode.acked_at
    if acked_at is None:
        resolved_at = episode.resolved_at
        if resolved_at is not None and resolved_at - episode.start <= TRANSIENT_WITHIN:
            return AUTO_RESOLVED
        if episode.escalated_last:
            return ESCALATION_RAN_OUT
        return NO_EVIDENCE
    end = episode.end
    engaged = (end if end is not None else now) - acked_at
    if engaged >= ENGAGED_AT_LEAST:
        return ENGAGED
    if episode.closed_at is not None and episode.closed_at - acked_at <= CLOSED_QUICKLY_WITHIN:
        return CLOSED_QUICKLY
    return NO_EVIDENCE


def is_transient(episode: Episode) -> bool:
    """Resolved by its source within 5 minutes of firing."""
    return episode.resolved_at is not None and episode.resolved_at - episode.start <= TRANSIENT_WITHIN
