"""No full phone number in logs."""

from __future__ import annotations

import logging

import pytest

from oncall.paging.redact import PhoneMaskingFilter, mask_phone, mask_phones_in_text


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        pytest.param("+821012345601", "+82******5601", id="Korea"),
        pytest.param("+14155550100", "+1******0100", id="NANP"),
        pytest.param("+442079460958", "+44******0958", id="UK"),
        pytest.param("+35312345678", "+353****5678", id="three-digit country code"),
        pytest.param("+82 10-1234-5601", "+82******5601", id="as written by people"),
        pytest.param("+8212", "+82**", id="too short to show four"),
        pytest.param("01012345601", "*******5601", id="no country code"),
        pytest.param("", "", id="empty"),
    ],
)
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("SMS to +821012345601 failed", "SMS to +82******5601 failed", id="one number"),
        pytest.param(
            "from +1 (415) 555-0100 to +821012345602",
            "from +1******0100 to +82******5602",
            id="two numbers, one formatted",
        ),
        pytest.param(
            "at 2026-03-02T10:00:00+09:00 id 123456789 +1234",
            "at 2026-03-02T10:00:00+09:00 id 123456789 +1234",
            id="offsets, ids and short numbers untouched",
        ),
    ],
)
def test_mask_phones_in_text(text, expected):
    assert mask_phones_in_text(text) == expected


@pytest.fixture
def captured():
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(PhoneMaskingFilter())
    logger = logging.getLogger("tests.paging.masking")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    yield logger, records
    logger.removeHandler(handler)


def test_filter_masks_numbers_passed_as_arguments(captured):
    logger, records = captured
    logger.info("paging %s by %s", "+821012345601", "sms")
    assert records[0].getMessage() == "paging +82******5601 by sms"


def test_filter_masks_extra_fields(captured):
    logger, records = captured
    logger.info("paged", extra={"to": "+821012345601", "attempt": 2})
    assert records[0].to == "+82******5601"
    assert records[0].attempt == 2


def test_filter_masks_records_from_child_loggers_at_the_handler(captured):
    logger, records = captured
    logging.getLogger("tests.paging.masking.child").warning("call +14155550100 busy")
    assert records[0].getMessage() == "call +1******0100 busy"
