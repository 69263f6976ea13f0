"""Phone numbers out of logs: mask all but the country code and the last four digits (core).

DESIGN §10/§11: no full phone number in logs. Attach `PhoneMaskingFilter` to the log
*handlers* (a filter on a logger does not see records propagated from its children).
"""

from __future__ import annotations

import logging
import re

from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

KEEP_LAST = 4
# "+821012345601" and also "+82 10-1234-5601" as people write them: a plus, then 8-15
# digits possibly separated by spaces, dashes, dots or parentheses.
_PHONE_LIKE = re.compile(r"\+\d(?:[\s\-.()]{0,2}\d){6,16}")
_DIGIT_COUNT = range(8, 16)
# Attributes every LogRecord has; anything else came from `extra=` and may hold a number.
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
}


def _country_code(digits: str) -> str:
    """The E.164 country code at the start of `digits` (codes are prefix-free, 1-3 digits)."""
    for length in (1, 2, 3):
        if int(digits[:length] or 0) in COUNTRY_CODE_TO_REGION_CODE:
            return digits[:length]
    return digits[:1]


def mask_phone(phone: str) -> str:
    """`+821012345601` -> `+82******5601`: country code and last four digits stay."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not digits:
        return phone
    country = _country_code(digits) if phone.lstrip().startswith("+") else ""
    national = digits[len(country) :]
    shown = national[-KEEP_LAST:] if len(national) > KEEP_LAST else ""
    prefix = f"+{country}" if country else ""
    return prefix + "*" * (len(national) - len(shown)) + shown


def mask_phones_in_text(text: str) -> str:
    """Mask every E.164-looking number inside free text."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if sum(ch.isdigit() for ch in found) not in _DIGIT_COUNT:
            return found
        return mask_phone(found)

    return _PHONE_LIKE.sub(replace, text)


class PhoneMaskingFilter(logging.Filter):
    """A logging filter that masks phone numbers in the message and in `extra=` fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_phones_in_text(message)
        if masked != message:
            # Freeze the formatted message: args could otherwise re-insert the number.
            record.msg, record.args = masked, None
        for name, value in list(vars(record).items()):
            if name not in _STANDARD_ATTRS and isinstance(value, str):
                setattr(record, name, mask_phones_in_text(value))
        return True
