"""Shared bits of the migration tests: the fixtures' folder, a fixed now, local-time helpers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from oncall.settings import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "vendors"
NOW = datetime(2027, 1, 15, tzinfo=UTC)  # the 12 weeks after span the 2027 DST changes
FOLDERS = {"pagerduty": "pagerduty", "opsgenie": "opsgenie", "grafana-oncall": "grafana_oncall"}


def fixture_dir(vendor: str) -> Path:
    return FIXTURES / FOLDERS[vendor]


def local(text: str, zone: str) -> datetime:
    """`2027-03-14 09:00` in `zone` as an aware UTC instant."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
