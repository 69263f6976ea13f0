"""The rules patch: a unified diff that changes demoted rules' `severity` label in the team's
Prometheus rules files and adds an annotation saying why (docs/auditor.md).

The text is edited line by line, not re-dumped from YAML, so comments, quoting and order stay
exactly as the team wrote them; only the severity line changes and one annotation line (or an
`annotations:` block) is added. Every edit is checked by parsing the result with PyYAML.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from alertaudit.events import rule_key_of
from alertaudit.report import Report
from oncall.config.model import SeverityMap
from oncall.severity import label_value_for

ANNOTATION = "oncall_audit"
_ALERT = re.compile(r"^(?P<indent>\s*)(?P<dash>-\s+)?alert:\s*(?P<name>.+?)\s*(#.*)?$")
_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")


@dataclass(frozen=True, slots=True)
class RuleChange:
    rule: str  # the rule key (alertname by default)
    to_severity: str  # SEV level
    reason: str


@dataclass(slots=True)
class PatchResult:
    diff: str
    changed: list[str] = field(default_factory=list)  # "file: alertname"
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (rule, why)


def changes_from_report(report: Report) -> list[RuleChange]:
    """Rules whose severity should differ from what their labels say: demoted now, or about to be."""
    changes = []
    for rule in report.rules:
        decision = rule.decision
        target = decision.to_severity if decision.changes else rule.current_severity
        if target != rule.base_severity:
            why = decision.reason if decision.changes else f"demoted: {decision.reason}"
            changes.append(RuleChange(rule.rule, target, why))
    return changes


def rules_patch(
    changes: Sequence[RuleChange],
    rules_files: Iterable[str],
    root: str | Path = ".",
    rule_key: Sequence[str] = ("alertname",),
    severity_map: SeverityMap | None = None,
) -> PatchResult:
    """A `git apply`-able diff over `rules_files` (paths relative to `root`) for `changes`."""
    severity_map = severity_map or SeverityMap()
    wanted = {change.rule: change for change in changes}
    found: set[str] = set()
    result = PatchResult(diff="")
    parts = []
    for name in rules_files:
        path = Path(root) / name
        if not path.is_file():
            continue
        original = path.read_text(encoding="utf-8")
        lines = original.splitlines(keepends=True)
        # Bottom-up, so lines inserted for one rule do not move the rules still to edit.
        for alert, labels, start in reversed(list(_alerts(lines, original))):
            key = rule_key_of({**labels, "alertname": alert}, rule_key)
            change = wanted.get(key)
            if change is None:
                continue
            found.add(key)
            value = label_value_for(change.to_severity, severity_map)
            note = f"demoted by oncall auditor: {change.reason}"
            edited = _edit_rule(lines, start, value, note)
            if isinstance(edited, str):
                result.skipped.append((key, edited))
                continue
            lines = edited
            result.changed.insert(0, f"{name}: {alert}")
        new_text = "".join(lines)
        if new_text != original:
            problem = _check(new_text)
            if problem:
                result.skipped.append((name, problem))
                continue
            parts.append(_unified_diff(original, new_text, name))
    for key in wanted:
        if key not in found:
            result.skipped.append((key, "not found in auditor.rules_files"))
    result.diff = "".join(parts)
    return result


def _alerts(lines: list[str], text: str) -> Iterable[tuple[str, dict, int]]:
    """(alertname, labels, line index of `alert:`) for every alerting rule, in file order."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return
    labels_by_alert: dict[str, list[dict]] = {}
    for group in data.get("groups") or []:
        for rule in group.get("rules") or []:
            if isinstance(rule, dict) and "alert" in rule:
                labels_by_alert.setdefault(str(rule["alert"]), []).append(
                    {k: str(v) for k, v in (rule.get("labels") or {}).items()}
                )
    seen: dict[str, int] = {}
    for index, line in enumerate(lines):
        match = _ALERT.match(line.rstrip("\n"))
        if not match:
            continue
        name = match["name"].strip("\"'")
        nth = seen.get(name, 0)
        seen[name] = nth + 1
        candidates = labels_by_alert.get(name, [])
        yield name, candidates[nth] if nth < len(candidates) else {}, index


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _edit_rule(lines: list[str], alert_at: int, value: str, note: str) -> list[str] | str:
    """The lines with one rule edited, or a sentence saying why it cannot be."""
    match = _ALERT.match(lines[alert_at].rstrip("\n"))
    assert match is not None
    key_indent = len(match["indent"]) + (len(match["dash"]) if match["dash"] else 0)
    end = alert_at + 1
    while end < len(lines) and (not _is_content(lines[end]) or _indent(lines[end]) >= key_indent):
        end += 1
    while end > alert_at + 1 and not _is_content(lines[end - 1]):
        end -= 1  # trailing blank lines and comments belong to what follows
    keys = {}
    for i in range(alert_at + 1, end):
        key = _KEY.match(lines[i].rstrip("\n"))
        if key and len(key["indent"]) == key_indent:
            keys[key["key"]] = i
    if "labels" not in keys:
        return "the rule has no labels block with a severity"
    new = list(lines)
    severity_at = _edit_severity(new, keys["labels"], end, key_indent, value)
    if severity_at is None:
        return "no `severity` label to change"
    quoted = json.dumps(note)  # a JSON string is a valid YAML double-quoted scalar
    if "annotations" in keys:
        at = keys["annotations"]
        rest = new[at].rstrip("\n").split(":", 1)[1].strip()
        if rest.startswith("{") and rest.endswith("}"):
            inner = rest[1:-1].strip()
            joined = f"{inner}, {ANNOTATION}: {quoted}" if inner else f"{ANNOTATION}: {quoted}"
            new[at] = new[at].replace(rest, "{" + joined + "}", 1)
            return new
        child_end, child_indent = _children(new, at, end, key_indent)
        for i in range(at + 1, child_end):
            if new[i].strip().startswith(f"{ANNOTATION}:"):
                new[i] = f"{' ' * child_indent}{ANNOTATION}: {quoted}\n"
                return new
        new.insert(child_end, f"{' ' * child_indent}{ANNOTATION}: {quoted}\n")
        return new
    _, child_indent = _children(new, keys["labels"], end, key_indent)
    if not new[end - 1].endswith("\n"):
        new[end - 1] += "\n"
    new[end:end] = [
        f"{' ' * key_indent}annotations:\n",
        f"{' ' * child_indent}{ANNOTATION}: {quoted}\n",
    ]
    return new


def _children(lines: list[str], parent: int, end: int, key_indent: int) -> tuple[int, int]:
    """(index after the last child line of the mapping at `parent`, the children's indent)."""
    child_indent = key_indent + 2
    last = parent + 1
    for i in range(parent + 1, end):
        if not _is_content(lines[i]):
            continue
        if _indent(lines[i]) <= key_indent:
            break
        if last == parent + 1:
            child_indent = _indent(lines[i])
        last = i + 1
    return last, child_indent


def _edit_severity(lines: list[str], labels_at: int, end: int, key_indent: int, value: str):
    line = lines[labels_at]
    rest = line.rstrip("\n").split(":", 1)[1]
    flow = re.search(r"(\bseverity:\s*)(\"[^\"]*\"|'[^']*'|[^,}\s]+)", rest)
    if rest.strip().startswith("{") and flow:
        lines[labels_at] = line.replace(flow.group(0), flow.group(1) + _like(flow.group(2), value))
        return labels_at
    for i in range(labels_at + 1, end):
        if _is_content(lines[i]) and _indent(lines[i]) <= key_indent:
            break
        match = re.match(r"^(\s*severity:\s*)(\"[^\"]*\"|'[^']*'|[^\s#]+)(.*)$", lines[i], re.DOTALL)
        if match:
            lines[i] = match.group(1) + _like(match.group(2), value) + match.group(3)
            return i
    return None


def _like(old: str, value: str) -> str:
    """`value` quoted the way the old value was."""
    if old[:1] in "\"'":
        return f"{old[0]}{value}{old[0]}"
    return value


def _check(text: str) -> str | None:
    try:
        yaml.safe_load(text)
    except yaml.YAMLError as exc:
        return f"the edited file would not parse: {exc}"
    return None


def _unified_diff(original: str, new_text: str, name: str) -> str:
    lines = difflib.unified_diff(
        original.splitlines(keepends=True),
        new_text.splitlines(keepends=True),
        fromfile=f"a/{name}",
        tofile=f"b/{name}",
    )
    out = []
    for line in lines:
        if not line.endswith("\n"):
            # git apply needs the marker for a last line without a newline.
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)
