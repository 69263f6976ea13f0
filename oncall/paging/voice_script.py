"""What a paging call says and what each key does (core; TwiML lives in `voice`)."""

from __future__ import annotations

import re

# docs/paging.md: 1 acknowledge, 2 resolve, 3 escalate now, 9 not actionable, * repeat.
KEY_ACTIONS: dict[str, str] = {
    "1": "ack",
    "2": "resolve",
    "3": "escalate",
    "9": "noise",
    "*": "repeat",
}

MENU_TEXT = (
    "Press 1 to acknowledge, 2 to resolve, 3 to escalate now, 9 if this is not actionable, star to repeat."
)
INCIDENT_MENU_TEXT = "Press 1 to acknowledge, star to repeat."
NO_INPUT_TEXT = "No key pressed. The alert is not acknowledged. Goodbye."
VOICEMAIL_TEXT = "This is the on-call pager. An alert needs you. Check your messages."

_SEV = re.compile(r"SEV-(\d)", re.IGNORECASE)
# Text-to-speech reads CamelCase rule names as one mangled word.
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def key_action(digits: str | None) -> str | None:
    """The action for the key(s) pressed in a Gather, or None for an unknown key."""
    if not digits:
        return None
    return KEY_ACTIONS.get(digits.strip()[:1])


def spoken_alert(code: int, sev: str, rule: str, scope: str, summary: str) -> str:
    """The alert as a sentence for text-to-speech, e.g. `Severity 1 alert 12. High Error Rate...`."""
    sev_spoken = _SEV.sub(lambda m: f"Severity {m.group(1)}", sev) if sev else "An"
    rule_spoken = _CAMEL.sub(" ", rule).replace("_", " ")
    parts = [f"{sev_spoken} alert {code}.", f"{rule_spoken}" + (f" on {scope}." if scope else ".")]
    if summary:
        parts.append(summary.rstrip(".") + ".")
    return " ".join(parts)
