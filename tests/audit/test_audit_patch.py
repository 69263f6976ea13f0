"""The rules patch applies with `git apply` to config/prometheus-rules.yml and passes promtool."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from alertaudit.patch import RuleChange, rules_patch

ROOT = Path(__file__).resolve().parents[2]
RULES = "config/prometheus-rules.yml"
CHANGES = [
    RuleChange("PaymentLatencyHigh", "SEV-3", "at most 31% of its pages need action"),
    RuleChange("CPUHigh", "SEV-4", "12 of 14 pages auto-resolved within 5 min"),
]


def promtool() -> str:
    found = shutil.which("promtool")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("promtool is not on PATH (CI installs the Debian package prometheus)")
    pytest.skip("promtool is not on PATH: apt-get install prometheus")


def git(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, input=stdin, text=True, capture_output=True, check=False)


@pytest.fixture
def repo_copy(tmp_path) -> Path:
    (tmp_path / "config").mkdir()
    shutil.copy(ROOT / RULES, tmp_path / RULES)
    git(tmp_path, "init", "-q")
    return tmp_path


def test_patch_applies_and_promtool_accepts_it(repo_copy):
    tool = promtool()
    result = rules_patch(CHANGES, [RULES], root=repo_copy)
    assert result.changed == [f"{RULES}: PaymentLatencyHigh", f"{RULES}: CPUHigh"]
    check = git(repo_copy, "apply", "--check", "-", stdin=result.diff)
    assert check.returncode == 0, check.stderr
    applied = git(repo_copy, "apply", "-", stdin=result.diff)
    assert applied.returncode == 0, applied.stderr
    checked = subprocess.run([tool, "check", "rules", str(repo_copy / RULES)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr

    rules = {
        r["alert"]: r for g in yaml.safe_load((repo_copy / RULES).read_text())["groups"] for r in g["rules"]
    }
    assert rules["PaymentLatencyHigh"]["labels"]["severity"] == "warning"
    assert rules["CPUHigh"]["labels"]["severity"] == "info"
    assert rules["CPUHigh"]["annotations"]["oncall_audit"] == (
        "demoted by oncall auditor: 12 of 14 pages auto-resolved within 5 min"
    )
    assert rules["HighErrorRate"]["labels"]["severity"] == "critical"


def test_patch_changes_only_the_severity_line_and_adds_one_annotation():
    diff = rules_patch(CHANGES, [RULES], root=ROOT).diff
    removed = [line for line in diff.splitlines() if line[:1] == "-" and line[:3] != "---"]
    added = [line for line in diff.splitlines() if line[:1] == "+" and line[:3] != "+++"]
    assert removed == [
        "-          severity: page",
        "-          severity: warning   # busy hosts recover on their own most of the time",
    ]
    assert added == [
        "+          severity: warning",
        '+          oncall_audit: "demoted by oncall auditor: at most 31% of its pages need action"',
        "+          severity: info   # busy hosts recover on their own most of the time",
        '+          oncall_audit: "demoted by oncall auditor: 12 of 14 pages auto-resolved within 5 min"',
    ]


@pytest.mark.parametrize(
    ("source", "expected_line"),
    [
        pytest.param(
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n"
            "      severity: 'page'\n",
            "+      severity: 'warning'\n+    annotations:\n+      oncall_audit:",
            id="no annotations block: one is added, quoting kept",
        ),
        pytest.param(
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n"
            "    labels: {severity: page, team: x}\n    annotations: {summary: s}\n",
            "{summary: s, oncall_audit:",
            id="flow-style labels and annotations",
        ),
        pytest.param(
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n"
            "      severity: page",
            "\\ No newline at end of file",
            id="no newline at end of file",
        ),
    ],
)
def test_patch_handles_other_layouts(tmp_path, source, expected_line):
    (tmp_path / "r.yml").write_text(source)
    result = rules_patch([RuleChange("A", "SEV-3", "noisy")], ["r.yml"], root=tmp_path)
    assert expected_line in result.diff
    git(tmp_path, "init", "-q")
    applied = git(tmp_path, "apply", "-", stdin=result.diff)
    assert applied.returncode == 0, applied.stderr
    rule = yaml.safe_load((tmp_path / "r.yml").read_text())["groups"][0]["rules"][0]
    assert rule["labels"]["severity"] == "warning"
    assert rule["annotations"]["oncall_audit"] == "demoted by oncall auditor: noisy"


def test_rules_not_in_the_files_are_reported_not_invented():
    result = rules_patch([RuleChange("Nope", "SEV-3", "x")], [RULES], root=ROOT)
    assert result.diff == ""
    assert result.skipped == [("Nope", "not found in auditor.rules_files")]
