"""What a Slack message about alerts says: Block Kit blocks and the plain notification text.

Pure: plain data in, JSON-ready dicts out. Every text that comes from an alert (rule, summary,
labels) is escaped for Slack's mrkdwn (`&`, `<`, `>`), so a hostile summary can neither make a
link nor a mention such as <!channel>. Button action ids carry the alert id (`ack:12`); a
bundle's "all" buttons (`all:ack`) act on every alert of the message they are pressed in.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("ack", "resolve", "escalate", "noise")
LABELS = {"ack": "Acknowledge", "resolve": "Resolve", "escalate": "Escalate", "noise": "Not actionable"}
# What each status leaves worth pressing: an acknowledged alert is not acknowledged again, a
# resolved one can still be voted on.
STILL_USEFUL = {
    "triggered": ACTIONS,
    "acknowledged": ("resolve", "escalate", "noise"),
    "resolved": ("noise",),
}
MAX_LISTED = 10  # alerts of a bundle listed with their own buttons (Slack allows 50 blocks)
MAX_RULE = 200
MAX_SUMMARY = 600
MAX_TEXT = 300  # the notification text


@dataclass(frozen=True)
class ShownAlert:
    """One alert as a Slack message shows it. `by`: who acknowledged or resolved it (a name)."""

    id: int
    rule: str
    severity: str
    status: str
    summary: str
    url: str
    by: str | None = None


def escape(text: str) -> str:
    """`text` safe inside Slack mrkdwn: no link, mention or channel ping can come from it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def status_line(alert: ShownAlert) -> str:
    """ "Triggered", "Acknowledged by Kim", "Resolved by its source"… (escaped)."""
    if alert.status == "acknowledged":
        return f":eyes: Acknowledged by {escape(alert.by or 'someone')}"
    if alert.status == "resolved":
        who = "its source" if alert.by in (None, "source") else alert.by
        return f":white_check_mark: Resolved by {escape(who)}"
    return ":rotating_light: Triggered, not acknowledged yet"


def _title(alert: ShownAlert) -> str:
    rule = escape(_cut(alert.rule, MAX_RULE))
    return f"*{escape(alert.severity)}* · *{rule}* · <{alert.url}|#{alert.id}>"


def _button(action: str, action_id: str, value: str, label: str | None = None) -> dict:
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": label or LABELS[action]},
        "action_id": action_id,
        "value": value,
    }
    if action == "ack":
        button["style"] = "primary"
    return button


def alert_buttons(alert: ShownAlert) -> dict:
    """The actions block of one alert: the buttons its status still makes sense for."""
    wanted = STILL_USEFUL.get(alert.status, ())
    return {
        "type": "actions",
        "block_id": f"alert:{alert.id}",
        "elements": [_button(a, f"{a}:{alert.id}", str(alert.id)) for a in wanted],
    }


def _alert_blocks(alert: ShownAlert) -> list[dict]:
    summary = escape(_cut(alert.summary, MAX_SUMMARY))
    text = _title(alert) + (f"\n{summary}" if summary else "")
    return [
        {"type": "section", "text": {"type": "mrkdwn", "text": text}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": status_line(alert)}]},
        alert_buttons(alert),
    ]


def _bundle_buttons(alerts: list[ShownAlert]) -> dict | None:
    statuses = {a.status for a in alerts}
    wanted = [a for a in ACTIONS if any(a in STILL_USEFUL.get(s, ()) for s in statuses)]
    if not wanted:
        return None
    labels = {"ack": "Acknowledge all", "resolve": "Resolve all", "escalate": "Escalate all"}
    return {
        "type": "actions",
        "block_id": "all",
        "elements": [_button(a, f"all:{a}", "all", labels.get(a, "All not actionable")) for a in wanted],
    }


def message_blocks(alerts: list[ShownAlert], alerts_url: str) -> list[dict]:
    """The blocks of a message about `alerts`: one alert, or a bundle with buttons for all."""
    if len(alerts) == 1:
        return _alert_blocks(alerts[0])
    open_count = sum(1 for a in alerts if a.status != "resolved")
    head = f"*{len(alerts)} alerts* ({open_count} open) need you"
    blocks: list[dict] = [{"type": "section", "text": {"type": "mrkdwn", "text": head}}]
    everything = _bundle_buttons(alerts)
    if everything is not None:
        blocks.append(everything)
    blocks.append({"type": "divider"})
    for alert in alerts[:MAX_LISTED]:
        blocks += _alert_blocks(alert)
    if len(alerts) > MAX_LISTED:
        more = f"…and {len(alerts) - MAX_LISTED} more: <{alerts_url}|all alerts>"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": more}]})
    return blocks


def message_text(alerts: list[ShownAlert]) -> str:
    """The plain notification text (what a phone's lock screen shows), escaped too."""
    if len(alerts) == 1:
        a = alerts[0]
        state = "" if a.status == "triggered" else f"[{a.status}] "
        text = f"{state}{a.severity} {a.rule} #{a.id}: {a.summary}"
    else:
        rules = ", ".join(sorted({a.rule for a in alerts}))
        text = f"{len(alerts)} alerts: {rules}"
    return escape(_cut(text, MAX_TEXT))


def notice_blocks(body: str) -> list[dict]:
    """A notice without alerts (an incident role page, a reminder, a digest): its text, escaped."""
    return [{"type": "section", "text": {"type": "mrkdwn", "text": escape(body[:2900]) or " "}}]
