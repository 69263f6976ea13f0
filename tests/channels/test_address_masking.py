"""Email addresses are secrets like phone numbers: masked in logs, API answers and for anonymous
visitors (`k***@example.com`)."""

from __future__ import annotations

import logging

from oncall.paging.redact import PhoneMaskingFilter, mask_address, mask_email, mask_phones_in_text


def test_an_email_keeps_its_first_letter_and_domain():
    assert mask_email("kim.lee@mail.example.com") == "k***@mail.example.com"
    assert mask_address("email", "kim@example.com") == "k***@example.com"
    assert mask_address("sms", "+821012345601") == "+82 10-****-5601"
    assert mask_address("slack", "U024BE7LH") == "U024BE7LH"


def test_free_text_loses_its_emails_and_numbers():
    error = "550 5.1.1 <kim@example.com>: mailbox unavailable; also +821012345601"
    assert (
        mask_phones_in_text(error) == "550 5.1.1 <k***@example.com>: mailbox unavailable; also +82******5601"
    )


def test_log_lines_lose_email_addresses():
    record = logging.LogRecord(
        "oncall", logging.INFO, __file__, 1, "mail to %s failed", ("kim@example.com",), None
    )
    PhoneMaskingFilter().filter(record)
    assert record.getMessage() == "mail to k***@example.com failed"
