"""The words of incident messages: role pages, notices, reminders, SMS answers, the digest (pure).

GSM-7 and one segment where the content allows (a long title is cut, the reply hint survives);
" - " instead of the em dash, which is not GSM-7 and would make a text UCS-2.
"""

from __future__ import annotations

from datetime import date

from oncall.paging.gsm7 import SINGLE_SEGMENT_SEPTETS, septets, to_gsm7, truncate_septets

ROLE_NAMES = {
    "commander": "Incident Commander",
    "communications": "Communications",
    "sme": "SME",
    "scribe": "Scribe",
}


def _fit(head: str, middle: str, tail: str) -> str:
    """`head + middle + tail` in one segment, cutting only `middle`."""
    room = SINGLE_SEGMENT_SEPTETS - septets(head) - septets(tail)
    return f"{head}{truncate_septets(to_gsm7(middle), max(room, 0))}{tail}"


def role_page(number: str, severity: str, title: str, role: str) -> str:
    """`INC-7 SEV-1 Payment API errors: you are Incident Commander - reply a INC-7 to ack`."""
    return _fit(f"{number} {severity} ", title, f": you are {ROLE_NAMES[role]} - reply a {number} to ack")


def role_notice(number: str, severity: str, title: str, role: str) -> str:
    """The business-hours SMS of a SEV-3/4 role: `INC-9 SEV-3 Slow search: you are Scribe. Updates: u INC-9 <text>`."""
    return _fit(f"{number} {severity} ", title, f": you are {ROLE_NAMES[role]}. Updates: u {number} <text>")


def reminder(number: str) -> str:
    """`INC-7 status update due - reply with the update or 'u INC-7 ...'`."""
    return f"{number} status update due - reply with the update or 'u {number} ...'"


def declared_answer(number: str, severity: str, alert_id: int) -> str:
    """`Declared INC-7 (SEV-1) from alert #123 - you are Commander. Updates: u INC-7 <text>`."""
    return f"Declared {number} ({severity}) from alert #{alert_id} - you are Commander. Updates: u {number} <text>"


def already_declared_answer(number: str, severity: str, alert_id: int, commander: str) -> str:
    """The answer to `12i` when the alert already belongs to an open incident."""
    return _fit(
        f"Alert #{alert_id} is already in {number} ({severity}), Commander ",
        commander,
        f". Updates: u {number} <text>",
    )


def update_answer(number: str, status: str) -> str:
    """`Posted update to INC-7 (Identified)`."""
    return f"Posted update to {number} ({status})"


def digest(count: int, oldest_title: str, oldest_number: str, oldest_due: date) -> str:
    """`3 action items overdue, oldest: 'Add EXPLAIN to CI' (INC-7) due 2026-03-27`."""
    noun = "action item" if count == 1 else "action items"
    tail = f"' ({oldest_number}) due {oldest_due.isoformat()}"
    return _fit(f"{count} {noun} overdue, oldest: '", oldest_title, tail)
