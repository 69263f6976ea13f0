"""Secrets out of log lines: calendar feed tokens in paths and `token=` query values.

A calendar feed's URL is its password (`/calendar/<token>.ics`), so it must not reach the
gunicorn access log or an application log line. Standard library only: the gunicorn master
imports this module (see oncall.gunicorn_conf) and stays small.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
# `/calendar/<token>.ics` (also without `.ics`, and `webcal://host/calendar/...`).
_CALENDAR_PATH = re.compile(r"(/calendar/)[^/\s?#\"'&]+?(\.ics)?(?=$|[/\s?#\"'&])")
# `token=...`, `access_token=...`, `csrf_token=...` in a query string or a form body.
_TOKEN_VALUE = re.compile(r"(token=)[^&\s\"';#]+", re.IGNORECASE)


def redact_secrets(text: str) -> str:
    """`text` with calendar tokens in paths and every `token=` value replaced by [redacted]."""
    text = _CALENDAR_PATH.sub(lambda m: f"{m[1]}{REDACTED}{m[2] or ''}", text)
    return _TOKEN_VALUE.sub(lambda m: f"{m[1]}{REDACTED}", text)


class SecretRedactingFilter(logging.Filter):
    """A handler filter: redacts the formatted message and the exception text of each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_secrets(message)
        if redacted != message:
            # Freeze the formatted message: args could otherwise bring the secret back.
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_secrets(record.exc_text)
        return True
