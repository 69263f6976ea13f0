"""The mail for one outgoing message: subject, a plain-text and an HTML alternative, threading.

Alert fields are hostile (anyone who may post an alert writes the rule, summary and labels): the
HTML comes from a Jinja2 template with autoescaping on, links are http(s) only, header values lose
their control characters, and every phone number is masked. No MIME is written by hand: the
standard library's `EmailMessage` builds the parts and encodes the headers.

A page and its re-notifications thread together in a mail client: each mail has its own
Message-ID, and `In-Reply-To`/`References` name a per-alert id (`<alert-12.20260303020000@host>`:
the alert's number and arrival, so a fresh database's alert 12 never joins an old thread).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from jinja2 import Environment

from oncall.paging.cards import AlertCard, web_link
from oncall.paging.redact import mask_phones_in_text
from oncall.severity import most_severe

MAX_CARDS = 50  # alerts listed in one bundle mail; the rest are counted, with a link to the list
MAX_SUBJECT = 150  # characters
MAX_REFERENCES = 10  # alert thread ids named in a bundle's References
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ONE_LINE = re.compile(r"\s+")


@dataclass(frozen=True)
class Composed:
    """A mail ready for SMTP, and the short id the outbox keeps for it (≤ 64 characters)."""

    message: EmailMessage
    sid: str


def clean(text: str) -> str:
    """`text` fit to show: no control characters (newlines and tabs stay), phone numbers masked."""
    return mask_phones_in_text(_CONTROL.sub("", text))


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """`clean(text)` on one line (for a header), cut to `limit` characters with "…"."""
    line = _ONE_LINE.sub(" ", clean(text)).strip()
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def scope(card: AlertCard) -> str:
    """The team or service an alert belongs to, as its labels say ("" when neither is set)."""
    return card.labels.get("team") or card.labels.get("service") or ""


def alert_subject(cards: Sequence[AlertCard], total: int) -> str:
    """`[SEV-1] HighErrorRate — payments`, or for a bundle `[SEV-1] 37 alerts for payments`."""
    worst = most_severe(c.severity for c in cards)
    scopes = {scope(c) for c in cards}
    where = scopes.pop() if len(scopes) == 1 else ""
    if total == 1:
        text = f"[{worst}] {cards[0].rule}" + (f" — {where}" if where else "")
    else:
        text = f"[{worst}] {total} alerts" + (f" for {where}" if where else "")
    return one_line(text)


def notice_subject(body: str) -> str:
    """A notice's subject: its first sentence or line, `[oncall]` first."""
    first = re.split(r"(?<=[.!?])\s|\n| / ", body.strip(), maxsplit=1)[0]
    return one_line(f"[oncall] {first or 'notice'}")


def thread_id(card: AlertCard, domain: str) -> str:
    """The per-alert id every mail about this alert names in In-Reply-To/References."""
    return f"<alert-{card.id}.{card.received_at:%Y%m%d%H%M%S}@{domain}>"


def alert_mail(
    cards: Sequence[AlertCard], *, total: int, mail_from: str, to: str, public_url: str, now: datetime
) -> Composed:
    """The mail for a page of one alert or a bundle (`total` alerts, the first MAX_CARDS shown)."""
    shown = [_shown_card(c) for c in cards[:MAX_CARDS]]
    facts = {"cards": shown, "total": total, "more": max(total - len(shown), 0)}
    facts["list_url"] = web_link(f"{public_url}/alerts")
    domain = _domain(mail_from)
    threads = [thread_id(c, domain) for c in cards[:MAX_REFERENCES]]
    return _envelope(
        subject=alert_subject(cards, total),
        text=_TEXT_ALERTS.render(**facts),
        html=_HTML_ALERTS.render(**facts),
        mail_from=mail_from,
        to=to,
        now=now,
        threads=threads,
        kind="page",
    )


def notice_mail(body: str, *, mail_from: str, to: str, public_url: str, now: datetime) -> Composed:
    """The mail for a notice (an incident role page, a reminder, the action-item digest): `body`."""
    facts = {"body": clean(body).replace(" / ", "\n"), "home": web_link(public_url)}
    return _envelope(
        subject=notice_subject(body),
        text=_TEXT_NOTICE.render(**facts),
        html=_HTML_NOTICE.render(**facts),
        mail_from=mail_from,
        to=to,
        now=now,
        threads=[],
        kind="notice",
    )


def _shown_card(card: AlertCard) -> dict:
    return {
        "id": card.id,
        "heading": one_line(
            f"[{card.severity}] {card.rule}" + (f" — {scope(card)}" if scope(card) else ""), 300
        ),
        "summary": clean(card.summary),
        "status": clean(card.status),
        "received": f"{card.received_at:%Y-%m-%d %H:%M} UTC",
        "labels": [(one_line(k, 200), one_line(v, 200)) for k, v in card.labels.items()],
        "links": [
            (name, url)
            for name, url in (
                ("Open the alert", web_link(card.url)),
                ("Source", web_link(card.generator_url)),
                ("Runbook", web_link(card.runbook_url)),
            )
            if url
        ],
    }


def _domain(mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2]
    return re.sub(r"[^A-Za-z0-9.-]", "", domain) or "oncall.invalid"


def _envelope(
    *,
    subject: str,
    text: str,
    html: str,
    mail_from: str,
    to: str,
    now: datetime,
    threads: list[str],
    kind: str,
) -> Composed:
    """The message with its headers; ValueError when `to` or `mail_from` is not a usable header."""
    token = secrets.token_hex(12)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = format_datetime(now)
    message["Message-ID"] = f"<{token}.{kind}@{_domain(mail_from)}>"
    if threads:
        message["In-Reply-To"] = threads[0]
        message["References"] = " ".join(threads)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to the pager
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return Composed(message, f"email:{token}")


_JINJA = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
_PLAIN = Environment(autoescape=False, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

_TEXT_ALERTS = _PLAIN.from_string(
    """\
{% for card in cards %}
{{ card.heading }}
{% if card.summary %}
{{ card.summary }}
{% endif %}

Status: {{ card.status }}, received {{ card.received }}
{% if card.labels %}
Labels: {% for k, v in card.labels %}{{ k }}={{ v }}{{ ", " if not loop.last }}{% endfor %}

{% endif %}
{% for name, url in card.links %}
{{ name }}: {{ url }}
{% endfor %}

{% endfor %}
{% if more %}
… and {{ more }} more{% if list_url %}: {{ list_url }}{% endif %}


{% endif %}
Acknowledge, resolve or escalate on the alert's page.
"""
)

_HTML_ALERTS = _JINJA.from_string(
    """\
<!DOCTYPE html>
<html><body style="font-family: sans-serif; line-height: 1.4">
{% for card in cards %}
<h2 style="font-size: 1.1em; margin-bottom: 0.2em">{{ card.heading }}</h2>
{% if card.summary %}<p style="white-space: pre-wrap; margin-top: 0">{{ card.summary }}</p>{% endif %}
<p>Status: {{ card.status }}, received {{ card.received }}</p>
{% if card.labels %}
<table style="border-collapse: collapse">
{% for k, v in card.labels %}<tr><td style="padding-right: 1em; color: #555">{{ k }}</td><td>{{ v }}</td></tr>
{% endfor %}
</table>
{% endif %}
<p>{% for name, url in card.links %}<a href="{{ url }}">{{ name }}</a>{{ " · " if not loop.last }}{% endfor %}</p>
{% endfor %}
{% if more %}<p>… and {{ more }} more{% if list_url %}: <a href="{{ list_url }}">all alerts</a>{% endif %}</p>{% endif %}
<p style="color: #555">Acknowledge, resolve or escalate on the alert's page.</p>
</body></html>
"""
)

_TEXT_NOTICE = _PLAIN.from_string(
    """\
{{ body }}
{% if home %}

{{ home }}
{% endif %}
"""
)

_HTML_NOTICE = _JINJA.from_string(
    """\
<!DOCTYPE html>
<html><body style="font-family: sans-serif; line-height: 1.4">
<p style="white-space: pre-wrap">{{ body }}</p>
{% if home %}<p><a href="{{ home }}">{{ home }}</a></p>{% endif %}
</body></html>
"""
)
