"""When Twilio fails: retry with backoff, then voice, then the next level at once (docs/paging.md).

Level 2 (Choi) is configured 60 s out and the SEV-2 follow-up call too (ONCALL_VOICE_DELAY=60), so a
call to Kim or a page to Choi within the test can only come from the failure path. Every call to
Kim fails with a 500 too, so voice runs out and the level moves on.
"""

from __future__ import annotations

import pytest

from tests.integration.configs import PHONE, Timing, demo_config

pytestmark = pytest.mark.integration

KIM, CHOI = PHONE["kim"], PHONE["choi"]
CLIENT_TIMEOUT = 1.5  # TwilioNotifier's HTTP timeout: TWILIO_TIMEOUT in tests/integration/launcher.py


@pytest.mark.parametrize(
    ("failure", "sms_attempts", "fallbacks"),
    [
        # 5xx and timeouts may pass later: three attempts (backoff 1 s, 2 s), then voice.
        pytest.param({"status": 500}, 3, ["retry", "retry", "voice"], id="500 is retried then voice"),
        pytest.param(
            {"timeout": True, "hold": CLIENT_TIMEOUT + 1},
            3,
            ["retry", "retry", "voice"],
            id="timeout is retried then voice",
        ),
        # A rejection is retried too (docs/paging.md); only a number that cannot take SMS (21211,
        # 21614, ...) goes straight to voice, which tests/escalation covers in process.
        pytest.param(
            {"status": 400, "code": 21617},
            3,
            ["retry", "retry", "voice"],
            id="400 rejected is retried then voice",
        ),
    ],
)
def test_failed_sms_falls_back_to_voice_then_the_next_level(launch, failure, sms_attempts, fallbacks):
    running = launch(demo_config(Timing(level2_after=60, level3_after=120)), ONCALL_VOICE_DELAY="60")
    fake, api = running.fake, running.api
    fake.fail_next("sms", to=KIM, times=None, **failure)
    fake.fail_next("call", 500, to=KIM, times=None)

    alert_id = api.fire("PaymentLatencyHigh", severity="page")  # SEV-2: SMS first, voice later
    choi = fake.expect_sms(CHOI, "PaymentLatencyHigh", timeout=40)

    assert "[SEV-2 #" in choi.body
    assert not [m for m in fake.messages if m.to == KIM]
    assert not [c for c in fake.calls if c.to == KIM]
    timeline = api.alert(alert_id)["timeline"]
    failed = [e["channel"] for e in timeline if e["kind"] == "delivery_failed" and e["person"] == "kim"]
    assert failed == ["sms"] * sms_attempts + ["voice"] * 3
    outcomes = [(e["channel"], e["detail"]) for e in timeline if e["kind"] == "fallback"]
    assert outcomes == [("sms", f) for f in fallbacks] + [
        ("voice", "retry"),
        ("voice", "retry"),
        ("voice", "exhausted"),
    ]
    assert any(e["kind"] == "escalate_requested" and e["channel"] == "delivery-failure" for e in timeline)
    if not failure.get("timeout"):
        # Timed-out requests are recorded by the fake only when it lets go of them.
        assert sum(1 for r in fake.rejected if r.to == KIM and r.channel == "sms") == sms_attempts
