"""One migration from start to end: read or fetch the bodies, build the plan, check it, write it."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from oncall.config.problems import ConfigError
from oncall.config.values import normalise_phone
from oncall.vendors import grafana_oncall, opsgenie, pagerduty
from oncall.vendors.errors import VendorDataError
from oncall.vendors.migration import Migration
from oncall.vendors.recognise import kind_of
from oncall.vendors.verify import differences, load_text, summary
from oncall.vendors.yaml_out import render

READERS = {
    "pagerduty": pagerduty.migrate,
    "opsgenie": opsgenie.migrate,
    "grafana-oncall": grafana_oncall.migrate,
}
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class Result:
    migration: Migration
    text: str
    checked: bool
    problems: list[str]


def read_paths(paths: list[Path]) -> list[tuple[str, Any]]:
    """Every JSON body in the given files and directories (a directory's *.json, sorted)."""
    return [read_body(file) for file in json_files(paths)]


def json_files(paths: list[Path]) -> list[Path]:
    """The files named, and each named directory's *.json, sorted; an error for a missing one."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(path.glob("*.json"))
        elif path.is_file():
            files.append(path)
        else:
            raise VendorDataError(str(path), "", "", "no such file or directory")
    return files


def read_body(file: Path) -> tuple[str, Any]:
    """One saved body, named by its path; an error for a file too large or not JSON."""
    if file.stat().st_size > MAX_FILE_BYTES:
        raise VendorDataError(str(file), "", "", f"is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        return str(file), json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise VendorDataError(str(file), "", "", f"is not valid JSON ({error})") from None


def migrate(vendor: str, bodies: list[tuple[str, Any]], now: datetime, weeks: int, check: bool) -> Result:
    """The YAML for the bodies, with the 12-week (or `weeks`) check in its header when asked."""
    grouped: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for source, body in bodies:
        grouped[kind_of(vendor, source, body)].append((source, body))
    migration = READERS[vendor](dict(grouped), now)
    _check_phones(migration)
    problems: list[str] = []
    text = render(migration.plan, now)
    if check and migration.evaluators:
        end = now + timedelta(weeks=weeks)
        try:
            config = load_text(text)
        except ConfigError as error:
            problems = [str(p) for p in error.problems]
            migration.plan.check_lines = ["Not checked: this file does not load (see `config check`)."]
        else:
            migration.plan.check_lines = summary(differences(migration, config, now, end), now, end)
        text = render(migration.plan, now)
    return Result(migration, text, check and not problems, problems)


def _check_phones(migration: Migration) -> None:
    """Numbers our configuration would refuse are left out (and said so), not written broken."""
    plan = migration.plan
    for key, person in list(plan.people.items()):
        if person.phone is None:
            continue
        try:
            plan.people[key] = replace(person, phone=normalise_phone(person.phone, None))
        except ValueError:
            plan.people[key] = replace(person, phone=None)
            plan.note(f"The phone number of {key} is not a valid international number: left out.")
