"""The SMS reply grammar of docs/paging.md (core).

    12a, 12 a, a12, ack 12, #12 ack   acknowledge alert 12     a, ack    the latest alert
    12r, resolve 12                   resolve                  12e       escalate now
    12n, noise 12                     vote "not actionable"    12y       vote "actionable"
    12i, i 12                         declare an incident from alert 12 (the sender is Commander)
    u INC-7 [status] text             a status update on incident 7 (status: monitoring, ...)
    n INC-7 text                      a note on incident 7's timeline
    a INC-7, ack INC-7                acknowledge the page of a role on incident 7
    help, info, ?                     the help line
    STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT, OPTOUT, REVOKE   opt out
    START, YES, UNSTOP                                               opt back in

Case and surrounding whitespace do not matter; commands may end in "." or "!" (phones
like to add a period), opt-out and opt-in words must stand alone. Anything else is
`unknown`. The opt-out and opt-in words are Twilio's: Twilio
blocks or unblocks the number itself, this service only records it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ACTIONS = (
    "ack",
    "resolve",
    "escalate",
    "noise",
    "actionable",
    "declare",
    "incident_update",
    "incident_note",
    "incident_ack",
    "help",
    "stop",
    "start",
    "unknown",
)

# Words that act on an alert, by action.
_ALERT_WORDS = {
    "a": "ack",
    "ack": "ack",
    "acknowledge": "ack",
    "r": "resolve",
    "res": "resolve",
    "resolve": "resolve",
    "e": "escalate",
    "esc": "escalate",
    "escalate": "escalate",
    "n": "noise",
    "noise": "noise",
    "y": "actionable",
    "actionable": "actionable",
}
# Whole-message keywords. A keyword only counts when it is the entire message, as Twilio
# matches them; "stop 12" is not an opt-out.
_KEYWORDS = {
    "help": "help",
    "info": "help",
    "?": "help",
    "stop": "stop",
    "stopall": "stop",
    "unsubscribe": "stop",
    "cancel": "stop",
    "end": "stop",
    "quit": "stop",
    "optout": "stop",
    "revoke": "stop",
    "start": "start",
    "yes": "start",
    "unstop": "start",
}

# Declaring an incident from an alert code: `12i` (not a bare `i`: it needs an alert).
_DECLARE_WORDS = {"i": "declare", "inc": "declare", "incident": "declare"}
# `u INC-7 ...`: the incident number always carries INC- (`n 12` is a noise vote on alert 12).
_INCIDENT_VERB = re.compile(r"(u|update|n|note|a|ack)\s+inc-?\s?(\d{1,6})\b[.!]?(?:\s+(.*))?", re.I | re.S)
_INCIDENT_VERBS = {
    "u": "incident_update",
    "update": "incident_update",
    "n": "incident_note",
    "note": "incident_note",
    "a": "incident_ack",
    "ack": "incident_ack",
}
# The statuses an update may name first (`u INC-7 monitoring fix deployed`).
STATUS_WORDS = {
    "investigating": "Investigating",
    "identified": "Identified",
    "monitoring": "Monitoring",
    "resolved": "Resolved",
    "post-incident": "Post-Incident",
    "postincident": "Post-Incident",
}
_CODE_THEN_WORD = re.compile(r"#?(\d{1,6})\s*([a-z]+)")
_WORD_THEN_CODE = re.compile(r"([a-z]+)\s*#?(\d{1,6})")
_TRAILING_PUNCTUATION = ".!"


@dataclass(frozen=True)
class Reply:
    """What a reply asks for. `code` None means "the latest alert sent to me".

    Incident verbs carry the incident's number, the text after it (case kept) and, for an
    update, the status named first, if any.
    """

    action: str
    code: int | None = None
    incident: int | None = None
    text: str = ""
    status: str | None = None

    @property
    def acts_on_alert(self) -> bool:
        """True for replies that change or vote on an alert."""
        return self.action in ("ack", "resolve", "escalate", "noise", "actionable")


UNKNOWN = Reply("unknown")


def parse_reply(text: str) -> Reply:
    """Read an inbound SMS body as a command; anything not in the grammar is `unknown`."""
    normalized = " ".join(text.lower().split())
    incident = _incident_reply(text)
    if incident is not None:
        return incident
    if normalized in _KEYWORDS:
        return Reply(_KEYWORDS[normalized])
    # Opt-out words must match exactly, as Twilio matches them ("stop." is not an
    # opt-out there, so it must not be one here); commands may carry punctuation.
    normalized = normalized.rstrip(_TRAILING_PUNCTUATION).rstrip()
    if _KEYWORDS.get(normalized) == "help":
        return Reply("help")
    if normalized in _ALERT_WORDS:
        return Reply(_ALERT_WORDS[normalized])
    for pattern, code_group, word_group in (
        (_CODE_THEN_WORD, 1, 2),
        (_WORD_THEN_CODE, 2, 1),
    ):
        match = pattern.fullmatch(normalized)
        if match and match.group(word_group) in _ALERT_WORDS:
            return Reply(_ALERT_WORDS[match.group(word_group)], int(match.group(code_group)))
        if match and match.group(word_group) in _DECLARE_WORDS:
            return Reply("declare", int(match.group(code_group)))
    return UNKNOWN


def _incident_reply(text: str) -> Reply | None:
    """`u INC-7 ...`, `n INC-7 ...` or `a INC-7`, else None."""
    match = _INCIDENT_VERB.fullmatch(text.strip())
    if match is None:
        return None
    action = _INCIDENT_VERBS[match.group(1).lower()]
    rest = " ".join((match.group(3) or "").split())
    status = None
    if action == "incident_update" and rest:
        first, _, after = rest.partition(" ")
        status = STATUS_WORDS.get(first.lower().rstrip(":,.-"))
        if status is not None:
            rest = after.strip()
    if action == "incident_ack":
        rest = ""
    return Reply(action, incident=int(match.group(2)), text=rest, status=status)
