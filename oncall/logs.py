"""Logging: text or JSON lines, with phone numbers masked and feed tokens redacted in every record."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from oncall.log_redaction import SecretRedactingFilter
from oncall.paging.redact import PhoneMaskingFilter


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info or record.exc_text:
            # exc_text first: SecretRedactingFilter leaves the redacted traceback there.
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)
        return json.dumps(entry)


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """Set up the root handler once; later calls only change the format."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_oncall", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler._oncall = True  # type: ignore[attr-defined]
        handler.addFilter(PhoneMaskingFilter())
        handler.addFilter(SecretRedactingFilter())
        root.addHandler(handler)
        root.setLevel(level)
    # The Twilio SDK logs every request at INFO; pages are logged by the engine already.
    logging.getLogger("oncall.paging.twilio_http").setLevel(logging.WARNING)
    logging.getLogger("twilio.http_client").setLevel(logging.WARNING)
    # APScheduler reports every one-second tick at INFO.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
