"""The pure core (paging texts and grammar, the planners) loads no Flask, SQLAlchemy or Twilio."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = [
    "oncall.paging.gsm7",
    "oncall.paging.messages",
    "oncall.paging.replies",
    "oncall.paging.voice_script",
    "oncall.paging.providers",
    "oncall.paging.redact",
    "oncall.paging.bundling",
    "oncall.paging.claim_plan",
    "oncall.paging.pages",
    "oncall.paging.channels",
    "oncall.alerts.plan",
    "oncall.escalation.steps",
]


@pytest.mark.parametrize("module", CORE)
def test_core_module_imports_no_adapter_library(module):
    probe = (
        f"import sys, {module}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'flask', 'sqlalchemy', 'twilio'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
