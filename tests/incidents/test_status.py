"""Status rules (pure): forward only, except Monitoring may return to Identified."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from oncall.config.model import DEFAULT_UPDATE_EVERY
from oncall.incidents.errors import InvalidIncidentInput, StatusNotAllowed
from oncall.incidents.status import STATUSES, allowed_next, check_transition, next_update_due

# Every move a status update may make, written out by hand (from → to).
ALLOWED = {
    ("Investigating", "Investigating"),
    ("Investigating", "Identified"),
    ("Investigating", "Monitoring"),
    ("Investigating", "Resolved"),
    ("Investigating", "Post-Incident"),
    ("Identified", "Identified"),
    ("Identified", "Monitoring"),
    ("Identified", "Resolved"),
    ("Identified", "Post-Incident"),
    ("Monitoring", "Identified"),  # the fix did not hold
    ("Monitoring", "Monitoring"),
    ("Monitoring", "Resolved"),
    ("Monitoring", "Post-Incident"),
    ("Resolved", "Resolved"),
    ("Resolved", "Post-Incident"),
    ("Post-Incident", "Post-Incident"),
}


@pytest.mark.parametrize(("current", "new"), sorted(ALLOWED))
def test_allowed_move(current: str, new: str) -> None:
    check_transition(current, new)
    assert new in allowed_next(current)


@pytest.mark.parametrize(("current", "new"), sorted(set(product(STATUSES, STATUSES)) - ALLOWED))
def test_refused_move_names_from_to_and_what_is_allowed(current: str, new: str) -> None:
    with pytest.raises(StatusNotAllowed) as refused:
        check_transition(current, new)
    message = str(refused.value)
    assert f"from {current} to {new}" in message
    assert ", ".join(allowed_next(current)) in message
    assert refused.value.field == "status"


def test_unknown_status_is_invalid_input_listing_the_five() -> None:
    with pytest.raises(
        InvalidIncidentInput, match="Investigating, Identified, Monitoring, Resolved, Post-Incident"
    ):
        check_transition("Investigating", "Fixed")


NOW = datetime(2026, 3, 20, 18, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("severity", "due"),
    [
        ("SEV-1", NOW + timedelta(minutes=15)),
        ("SEV-2", NOW + timedelta(minutes=15)),
        ("SEV-3", NOW + timedelta(hours=1)),
        ("SEV-4", None),
    ],
)
def test_next_update_due_by_severity(severity: str, due: datetime | None) -> None:
    assert next_update_due(severity, NOW, DEFAULT_UPDATE_EVERY) == due
