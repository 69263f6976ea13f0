"""The words of a page: SMS texts, bundles, help and reply confirmations (core).

Every text here is GSM-7 and, where the product allows, one segment (docs/paging.md). The
separator before the reply hint is " - ": the em dash of the spec is not GSM-7 and would
turn the whole page into UCS-2 (70 characters per segment).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from oncall.paging.gsm7 import (
    SINGLE_SEGMENT_SEPTETS,
    is_gsm7,
    segments,
    septets,
    to_gsm7,
    truncate_septets,
)

__all__ = [
    "bundle_confirmation",
    "help_text",
    "is_gsm7",
    "no_open_alerts_reply",
    "not_open_reply",
    "plain_bundle",
    "plain_for_alert",
    "reply_confirmation",
    "segments",
    "sms_bundle",
    "sms_for_alert",
    "unknown_code_reply",
    "unknown_reply",
]

SEPARATOR = " - "
# A summary shorter than this after truncation says nothing; the rule name gets the room.
_MIN_SUMMARY_SEPTETS = 24

_DONE = {
    "ack": "Acknowledged",
    "resolve": "Resolved",
    "escalate": "Escalated",
}


def sms_for_alert(code: int, sev: str, rule: str, scope: str, summary: str) -> str:
    """The page for one alert, one GSM-7 segment.

    `[SEV-1 #12] HighErrorRate payments: error rate 45% - reply 12a ack, 12r resolve, 12n noise`
    A long summary is cut with "..."; the code, severity and reply hint always survive.
    """
    head = f"[{to_gsm7(sev)} #{code}] "
    tail = f"{SEPARATOR}reply {code}a ack, {code}r resolve, {code}n noise"
    budget = SINGLE_SEGMENT_SEPTETS - septets(head) - septets(tail)
    subject = " ".join(part for part in (to_gsm7(rule), to_gsm7(scope)) if part)
    summary = to_gsm7(summary)
    if summary:
        # Leave the summary some room even when the rule name is long.
        reserve = min(septets(summary), _MIN_SUMMARY_SEPTETS) + 2
        subject = truncate_septets(subject, max(budget - reserve, 0))
        room = budget - septets(subject) - (2 if subject else 0)
        summary = truncate_septets(summary, room)
        body = f"{subject}: {summary}" if subject and summary else subject or summary
    else:
        body = truncate_septets(subject, budget)
    return f"{head}{body}{tail}"


def sms_bundle(code: int, alerts: Sequence[str], scope: str, *, sev: str | None = None) -> str:
    """One SMS standing for several alerts sent to one person inside the storm window.

    `alerts` holds the rule name of each bundled alert (repeats allowed), e.g.
    `5 alerts for payments: HighErrorRate x3, DiskFull x2 - reply 100a to ack all`.
    With `sev` (the worst severity), the text starts `[SEV-1 #100] `.
    """
    head = f"[{to_gsm7(sev)} #{code}] " if sev else ""
    noun = "alert" if len(alerts) == 1 else "alerts"
    scope = to_gsm7(scope)
    intro = f"{len(alerts)} {noun} for {scope}" if scope else f"{len(alerts)} {noun}"
    tail = f"{SEPARATOR}reply {code}a to ack all"
    budget = SINGLE_SEGMENT_SEPTETS - septets(head) - septets(tail)
    intro = truncate_septets(intro, budget)

    counted = Counter(to_gsm7(rule) or "unnamed" for rule in alerts).most_common()
    items = [rule if n == 1 else f"{rule} x{n}" for rule, n in counted]
    listed = _fit_list(items, budget - septets(intro) - 2)
    body = f"{intro}: {listed}" if listed else intro
    return f"{head}{body}{tail}"


MAX_PLAIN_LISTED = 50  # alerts listed one a line in a plain bundle; the rest are counted
MAX_PLAIN_SUMMARY = 200  # characters of each listed alert's summary


def plain_for_alert(sev: str, rule: str, scope: str, summary: str) -> str:
    """One alert for a channel without reply codes (email, Slack): `[SEV-1] HighErrorRate payments: …`."""
    subject = " ".join(part for part in (rule, scope) if part)
    body = f"{subject}: {summary}" if subject and summary else subject or summary
    return f"[{sev}] {body}"


def plain_bundle(alerts: Sequence[tuple[str, str, str]], scope: str, *, sev: str) -> str:
    """Several alerts for a channel without reply codes: a headline, then one line per alert
    (`severity`, `rule`, `summary`), at most MAX_PLAIN_LISTED of them and "+N more"."""
    intro = f"[{sev}] {len(alerts)} alerts" + (f" for {scope}" if scope else "")
    shown = alerts[:MAX_PLAIN_LISTED]
    lines = [plain_for_alert(s, rule, "", summary[:MAX_PLAIN_SUMMARY]) for s, rule, summary in shown]
    if len(alerts) > MAX_PLAIN_LISTED:
        lines.append(f"+{len(alerts) - MAX_PLAIN_LISTED} more")
    return "\n".join([intro, *(f"- {line}" for line in lines)])


def _fit_list(items: list[str], budget: int) -> str:
    """Join as many items as fit in `budget` septets, ending with "+N more" when cut."""
    for shown in range(len(items), -1, -1):
        parts = items[:shown]
        if shown < len(items):
            parts = [*parts, f"+{len(items) - shown} more"]
        text = ", ".join(parts)
        if septets(text) <= budget:
            return text
    return ""


def help_text() -> str:
    """The one-line reply help, sent for `help` and for anything not understood."""
    return (
        "Reply 12a ack, 12r resolve, 12e escalate, 12n noise, 12y actionable "
        "(12 = alert code); a = ack latest"
    )


def reply_confirmation(action: str, code: int, rule: str) -> str:
    """What a person reads after a reply worked, e.g. `Acknowledged #12 HighErrorRate`."""
    label = f"#{code} {to_gsm7(rule)}".rstrip()
    if action in _DONE:
        text = f"{_DONE[action]} {label}"
        if action == "escalate":
            text += " to the next level"
    elif action == "noise":
        text = f"Noted {label} as not actionable, thanks"
    elif action == "actionable":
        text = f"Noted {label} as actionable"
    else:
        raise ValueError(f"no confirmation for action {action!r}")
    return truncate_septets(text, SINGLE_SEGMENT_SEPTETS)


def bundle_confirmation(action: str, code: int, count: int) -> str:
    """Confirmation for a reply to a bundle code, e.g. `Acknowledged 5 alerts (#100)`."""
    noun = "alert" if count == 1 else "alerts"
    if action in _DONE:
        return f"{_DONE[action]} {count} {noun} (#{code})"
    if action == "noise":
        return f"Noted {count} {noun} (#{code}) as not actionable, thanks"
    if action == "actionable":
        return f"Noted {count} {noun} (#{code}) as actionable"
    raise ValueError(f"no confirmation for action {action!r}")


def bundle_reply(action: str, code: int, changed: int, unchanged: int, state: str) -> str:
    """The answer to a bundle reply that counts only what changed, e.g.
    `Acknowledged 2 alerts (#100); 1 already acknowledged` or `#100: all 3 alerts already acknowledged`.
    """
    if changed == 0:
        which = "the alert is" if unchanged == 1 else f"all {unchanged} alerts"
        return f"#{code}: {which} already {to_gsm7(state)}"
    text = bundle_confirmation(action, code, changed)
    return f"{text}; {unchanged} already {to_gsm7(state)}" if unchanged else text


def not_open_reply(code: int, rule: str, state: str) -> str:
    """Answer to a reply about an alert that is already closed, e.g. `#12 X is already resolved`."""
    label = f"#{code} {to_gsm7(rule)}".rstrip()
    return truncate_septets(f"{label} is already {to_gsm7(state)}", SINGLE_SEGMENT_SEPTETS)


def unknown_code_reply(code: int) -> str:
    """Answer to a reply naming a code the sender has no open alert for."""
    return f"No open alert #{code} for you. {help_text()}"


def unknown_reply() -> str:
    """Answer to a reply that is not a command: the help line."""
    return help_text()


def no_open_alerts_reply() -> str:
    """Answer to a code-less reply (`a`) when the sender has no open alert."""
    return "You have no open alerts."
