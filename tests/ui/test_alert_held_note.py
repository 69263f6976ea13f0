"""The alert page says when a held SEV-3's escalation clock starts (the 09:00 release)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.ui.conftest import fire

TUESDAY_23_KST = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def held_note(client, alert_id: int) -> str | None:
    page = client.get(f"/alerts/{alert_id}").get_data(as_text=True)
    start = page.find('data-testid="held"')
    return None if start < 0 else page[start : page.index("</p>", start)]


def test_a_sev3_fired_at_night_says_held_until_09_00_and_counts_from_then(signed_in, auth, clock):
    clock.set(TUESDAY_23_KST)
    alert_id = fire(signed_in, auth, "CPUHigh", severity="warning")
    note = held_note(signed_in, alert_id)
    assert note is not None
    assert "Held until Wed 04 Mar 09:00" in note
    assert "escalation counts from then" in note and "counted from 09:00" in note


def test_after_the_release_the_note_is_in_the_past_tense(signed_in, auth, clock):
    clock.set(TUESDAY_23_KST)
    alert_id = fire(signed_in, auth, "CPUHigh", severity="warning")
    clock.advance(timedelta(hours=11))
    assert "Was held until Wed 04 Mar 09:00" in held_note(signed_in, alert_id)


def test_no_note_for_an_alert_paged_at_once(signed_in, auth, clock):
    clock.set(TUESDAY_23_KST)
    assert held_note(signed_in, fire(signed_in, auth, "PaymentsDown")) is None  # SEV-1: 24/7
    clock.set(datetime(2026, 3, 3, 2, 0, tzinfo=UTC))  # 11:00 KST, business hours
    assert held_note(signed_in, fire(signed_in, auth, "DiskSlow", severity="warning")) is None
