"""Phone numbers and email addresses out of logs and public pages: mask all but the country
code and last digits (`+82******5601`), or all but the first letter and the domain (`k***@example.com`).

docs/observability.md, docs/security.md: no full phone number in logs, and none for anonymous visitors. Logs use the
compact `mask_phone` (`+82******5601`); pages and API answers use `mask_phone_readable`
(`+82 10-****-5601`). Attach `PhoneMaskingFilter` to the log *handlers* (a filter on a logger
does not see records propagated from its children).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneNumberFormat

KEEP_LAST = 4
# The network or area code stays visible only when at least this many digits are still hidden.
MIN_HIDDEN = 4
# "+821012345601" and also "+82 10-1234-5601" as people write them: a plus, then 8-15
# digits possibly separated by spaces, dashes, dots or parentheses.
_PHONE_LIKE = re.compile(r"\+\d(?:[\s\-.()]{0,2}\d){6,16}")
_DIGIT_COUNT = range(8, 16)
_EMAIL_LIKE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
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


def mask_phone_readable(phone: str) -> str:
    """`+821012345601` -> `+82 10-****-5601`, for people to read on a page or in an API answer.

    The number is formatted the international way for its country (phonenumbers); the country
    code, the network or area code and the last four digits stay, every other digit is `*`.
    A number that does not parse falls back to `mask_phone`.
    """
    try:
        number = phonenumbers.parse(phone, None)
    except NumberParseException:
        return mask_phone(phone)
    country = f"+{number.country_code}"
    formatted = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if not formatted.startswith(country):
        return mask_phone(phone)
    national = formatted[len(country) :]
    digits = sum(ch.isdigit() for ch in national)
    keep_first = phonenumbers.length_of_national_destination_code(number)
    if digits - keep_first - KEEP_LAST < MIN_HIDDEN:
        keep_first = 0
    return country + _star_digits(national, keep_first, digits - KEEP_LAST)


def _star_digits(text: str, keep_first: int, hide_until: int) -> str:
    """`text` with its digits number keep_first .. hide_until-1 (0-based) replaced by `*`."""
    out, index = [], 0
    for ch in text:
        if ch.isdigit():
            out.append("*" if keep_first <= index < hide_until else ch)
            index += 1
        else:
            out.append(ch)
    return "".join(out)


def mask_email(email: str) -> str:
    """`kim@example.com` -> `k***@example.com`: the first letter and the domain stay."""
    local, at, domain = email.rpartition("@")
    if not at or not local:
        return "***"
    return f"{local[0]}***@{domain}"


def mask_emails_in_text(text: str) -> str:
    """Mask every email address inside free text (`k***@example.com`)."""
    return _EMAIL_LIKE.sub(lambda match: mask_email(match.group(0)), text)


def mask_address(channel: str, address: str) -> str:
    """Where a message went, as anyone may see it: a phone masked, an email masked, a Slack id as is."""
    if channel in ("sms", "voice"):
        return mask_phone_readable(address)
    if channel == "email" or "@" in address:  # a Slack page to someone found by their email
        return mask_email(address)
    return address


def mask_phones_in_text(text: str, mask: Callable[[str], str] = mask_phone) -> str:
    """Mask every E.164-looking number inside free text (with `mask`, compact by default), and
    every email address: whatever hides numbers from logs and anonymous visitors hides those too."""

    def replace(match: re.Match[str]) -> str:
        found = match.group(0)
        if sum(ch.isdigit() for ch in found) not in _DIGIT_COUNT:
            return found
        return mask(found)

    return _PHONE_LIKE.sub(replace, mask_emails_in_text(text))


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
