"""Schemathesis against the served process: every documented operation, valid and invalid data.

The service runs as in production (`python -m oncall serve` through the launcher, a temp SQLite
database, a real token) and schemathesis reads the document it serves at /api/v1/openapi.json.
All checks, positive and negative data, the examples, coverage and fuzzing phases; stateful
testing is off (no OpenAPI links to follow). Bounded to a couple of minutes by the number of
examples per operation. Hypothesis keeps no database between runs.

No operation is excluded. Three take data whose validity depends on the configuration or on each
other, which a JSON Schema cannot say: an override (the rotation and person must exist, `end`
after `start`, no overlap), an alert action (`person` must be someone in the configuration,
`vote` needs a `value`) and a person's override of the auditor (`by` must be someone in the
configuration). For those three only, a schema-valid request may also get a 400 naming the
field; every other check stays as strict as for the rest. Likewise a list's `cursor` must be one
the service gave (a well-formed stranger is a 400), and the incidents operations take people,
rotations and alert ids that must exist (422) and statuses that must follow the current one.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from oncall.settings import ROOT
from tests.integration.configs import demo_config
from tests.integration.launcher import Launcher

pytestmark = pytest.mark.integration

ST = ROOT / ".venv" / "bin" / "st"
MAX_EXAMPLES = "100"
RUN_TIMEOUT = 600  # seconds; the run takes about four minutes on two cores (incidents doubled it)

# A body is also bounded in bytes (ONCALL_MAX_BODY_BYTES, 413), which a JSON Schema cannot say:
# the longest lists and strings the schema allows, together, can be larger. 5xx is never fine.
ACCEPTED = ["2xx", "401", "404", "409", "413"]
REFUSED = ["400", "401", "404", "405", "406", "409", "413", "415"]
# Cross-field and configuration rules (see the module docstring): a 400 is a valid answer too.
CONFIG = f"""
[checks]
positive_data_acceptance.expected-statuses = {json.dumps(ACCEPTED)}
negative_data_rejection.expected-statuses = {json.dumps(REFUSED)}

# One filter each (`include-name` is "METHOD path"): filters of one block are ORed.
[[operations]]
include-name-regex = "^[A-Z]+ /api/v1/(incidents|action-items)"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400", "422"])}

[[operations]]
include-name = "GET /api/v1/alerts"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400"])}

[[operations]]
include-path = "/api/v1/overrides"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400"])}

[[operations]]
include-path = "/api/v1/alerts/{{alert_id}}/{{action}}"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400"])}

[[operations]]
include-name-regex = "^POST /api/v1/maintenance"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400"])}

[[operations]]
include-path = "/api/v1/audit/rules/{{rule}}/{{action}}"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = {json.dumps([*ACCEPTED, "400"])}
"""


def run_schemathesis(url: str, token: str, workdir: Path) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """`st run` against the served document; returns the process and the failures it reported."""
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG)
    report = workdir / "st-report.json"
    command = [
        str(ST),
        "--config-file",
        str(config),
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "all",
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        MAX_EXAMPLES,
        "--seed",
        "11",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--request-timeout",
        "20",
        "--header",
        f"Authorization: Bearer {token}",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--no-color",
        "--continue-on-failure",
        "--suppress-health-check",
        "all",
    ]
    done = subprocess.run(
        command, cwd=workdir, capture_output=True, text=True, timeout=RUN_TIMEOUT, env=_env(workdir)
    )
    return done, failures_in(report)


def _env(workdir: Path) -> dict[str, str]:
    import os

    return {**os.environ, "HOME": str(workdir), "NO_COLOR": "1"}


def failures_in(report: Path) -> list[dict]:
    """Every distinct failure (operation, check, title) in schemathesis' ndjson event stream."""
    found: dict[tuple[str, str, str], dict] = {}
    if not report.exists():
        return []
    for line in report.read_text().splitlines():
        for failure in _failures_of(json.loads(line)):
            key = (failure["operation"], failure["check"], failure["title"])
            found.setdefault(key, failure)
    return list(found.values())


def _failures_of(event: dict) -> list[dict]:
    """The check failures inside one ndjson event (a finished scenario's recorder)."""
    out = []
    for body in event.values():
        checks = body.get("recorder", {}).get("checks", {}) if isinstance(body, dict) else {}
        for results in checks.values():
            for check in results:
                if check.get("status") == "failure":
                    failure = check["failure_info"]["failure"]
                    out.append(
                        {
                            "operation": failure.get("operation", ""),
                            "check": failure.get("code", check["name"]),
                            "title": failure.get("message", "").splitlines()[0]
                            if failure.get("message")
                            else "",
                        }
                    )
    return out


def test_schemathesis_finds_nothing_in_the_served_api(tmp_path: Path, launch: Launcher):
    config = demo_config()
    # A heartbeat named like the document's example, so its 200 answers are fuzzed too (an hour
    # apart: it is never missed while the run lasts).
    config["heartbeats"] = {"prometheus": {"every": "1h", "escalation": "payments"}}
    running = launch(config)

    done, failures = run_schemathesis(running.service.url, running.token, tmp_path)

    summary = "\n".join(f"{f['operation']}: {f['check']}: {f['title']}" for f in failures)
    assert failures == [], f"{len(failures)} failures:\n{summary}\n\n{done.stdout[-6000:]}"
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
