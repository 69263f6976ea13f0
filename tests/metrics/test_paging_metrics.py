"""After a paging flow the counters and histograms show it (in process, FakeClock)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.metrics.conftest import Samples

RECEIVED_SEV1 = ("oncall_alerts_received_total", {"source": "api", "severity": "SEV-1"})
CREATED = ("oncall_alerts_ingested_total", {"outcome": "created"})
SMS_SENT = ("oncall_pages_total", {"channel": "sms", "outcome": "sent"})
VOICE_SENT = ("oncall_pages_total", {"channel": "voice", "outcome": "sent"})
SMS_FAILED = ("oncall_pages_total", {"channel": "sms", "outcome": "failed"})
SMS_ERRORS = ("oncall_notifier_errors_total", {"channel": "sms"})
LEVEL_1 = ("oncall_escalations_total", {"level": "1"})
LEVEL_2 = ("oncall_escalations_total", {"level": "2"})
TICKS = ("oncall_engine_ticks_total", {"outcome": "ok"})


def test_sev1_page_counts_received_created_sms_call_and_level_one(pager, samples: Samples):
    samples.mark(RECEIVED_SEV1, CREATED, SMS_SENT, VOICE_SENT, LEVEL_1, LEVEL_2, TICKS)
    pager.fire("HighErrorRate", severity="critical")
    pager.expect_sms("kim")
    pager.expect_call("kim")
    assert samples.delta(*RECEIVED_SEV1) == 1
    assert samples.delta(*CREATED) == 1
    assert samples.delta(*SMS_SENT) == 1
    assert samples.delta(*VOICE_SENT) == 1
    assert samples.delta(*LEVEL_1) == 1
    assert samples.delta(*LEVEL_2) == 0
    assert samples.delta(*TICKS) >= 1


def test_unanswered_page_escalates_to_level_two_after_fifteen_minutes(pager, samples: Samples):
    samples.mark(LEVEL_2)
    pager.fire("HighErrorRate", severity="critical")
    pager.advance(minutes=15)
    pager.expect_sms("choi")
    assert samples.delta(*LEVEL_2) == 1


def test_failed_sms_counts_as_page_failure_and_notifier_error(pager, notifier, samples: Samples):
    samples.mark(SMS_FAILED, SMS_ERRORS)
    notifier.fail_next("sms", retryable=True, times=None)
    pager.fire("PaymentLatencyHigh", severity="page")
    pager.advance(seconds=1)
    pager.advance(seconds=2)  # three attempts: the first and two retries
    assert pager.attempts("kim", "sms") == 3
    assert samples.delta(*SMS_FAILED) == 3
    assert samples.delta(*SMS_ERRORS) == 3


@pytest.mark.parametrize(
    ("after_minutes", "inside_bucket", "outside_bucket"),
    [
        pytest.param(0.5, "30.0", None, id="ack within 30 s lands in the first bucket"),
        pytest.param(3, "300.0", "120.0", id="ack after 3 min lands in le=300 not le=120"),
        pytest.param(12, "900.0", "600.0", id="ack after 12 min lands in le=900 not le=600"),
    ],
)
def test_time_to_acknowledge_is_observed_when_kim_replies(
    pager, samples: Samples, after_minutes, inside_bucket, outside_bucket
):
    bucket = "oncall_time_to_acknowledge_seconds_bucket"
    inside = (bucket, {"severity": "SEV-1", "le": inside_bucket})
    outside = (bucket, {"severity": "SEV-1", "le": outside_bucket or inside_bucket})
    total = ("oncall_time_to_acknowledge_seconds_sum", {"severity": "SEV-1"})
    samples.mark(inside, outside, total)
    pager.fire("HighErrorRate", severity="critical")
    pager.clock.advance(timedelta(minutes=after_minutes))
    assert pager.reply("kim", "1a").startswith("Acknowledged")
    assert samples.delta(*inside) == 1
    if outside_bucket is not None:
        assert samples.delta(*outside) == 0
    assert samples.delta(*total) == pytest.approx(after_minutes * 60)


@pytest.mark.parametrize(
    ("how", "by"),
    [
        pytest.param("source", "source", id="resolved by the source"),
        pytest.param("person", "person", id="resolved by a person over the API"),
    ],
)
def test_time_to_resolve_is_observed_with_who_resolved(pager, samples: Samples, how, by):
    count = ("oncall_time_to_resolve_seconds_count", {"severity": "SEV-1", "by": by})
    total = ("oncall_time_to_resolve_seconds_sum", {"severity": "SEV-1", "by": by})
    samples.mark(count, total)
    alert = pager.fire("HighErrorRate", severity="critical")
    pager.clock.advance(timedelta(minutes=40))
    if how == "source":
        pager.fire("HighErrorRate", severity="critical", status="resolved")
    else:
        response = pager.client.post(
            f"/api/v1/alerts/{alert}/resolve", json={"person": "kim"}, headers=pager.auth
        )
        assert response.json["result"] == "resolved"
    assert samples.delta(*count) == 1
    assert samples.delta(*total) == pytest.approx(40 * 60)


def test_engine_lag_is_how_long_a_due_step_waited(pager, samples: Samples):
    within_10 = ("oncall_engine_lag_seconds_bucket", {"le": "10.0"})
    within_30 = ("oncall_engine_lag_seconds_bucket", {"le": "30.0"})
    samples.mark(within_10, within_30)
    pager.fire("HighErrorRate", severity="critical")  # re-notifies Kim at +5 min
    pager.clock.advance(timedelta(minutes=5, seconds=25))  # the engine was not ticking meanwhile
    pager.tick()
    assert samples.delta(*within_30) - samples.delta(*within_10) >= 1
