"""The dashboard and the self-rules only query metrics the service exports."""

from __future__ import annotations

import json
import re

import pytest
from prometheus_client import REGISTRY

from oncall.metrics import registry  # noqa: F401  (defines the families)
from oncall.settings import ROOT

NAME = re.compile(r"\b((?:oncall|alertaudit)_[a-z_]+)")
SCRAPE_ONLY = {"oncall_config_valid", "oncall_config_last_reload_timestamp_seconds"}


def exported() -> set[str]:
    names = set(SCRAPE_ONLY)
    for family in REGISTRY.collect():
        names.update(sample.name for sample in family.samples)
        names.add(family.name)
    return names


def dashboard_queries() -> list[str]:
    dashboard = json.loads((ROOT / "config" / "grafana-dashboard.json").read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("dashboard", id="grafana dashboard"),
        pytest.param("rules", id="self-health rules"),
    ],
)
def test_every_queried_metric_is_exported(source, client):
    client.get("/metrics")
    text = (
        "\n".join(dashboard_queries())
        if source == "dashboard"
        else (ROOT / "config" / "oncall-self-rules.yml").read_text()
    )
    # Labelled families have no sample until first use: accept the family name plus a suffix.
    known = exported()
    queried = {name for name in NAME.findall(text) if not name.startswith("oncall_self")}
    missing = {
        name
        for name in queried
        if name not in known
        and name.removesuffix("_total") not in known
        and not any(name == f + s for f in known for s in ("_bucket", "_sum", "_count", "_total"))
    }
    assert queried and not missing, f"{source} queries unknown metrics: {sorted(missing)}"
