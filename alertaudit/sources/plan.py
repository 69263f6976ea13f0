"""Which files an `audit import --from VENDOR` reads, and the events each one yields.

Some sources need a first look at every file before any is imported: PagerDuty's trigger
entries name the rule of their incident's later entries, and Grafana OnCall's user pages name
the users its alert groups refer to by id. That pass keeps one small record per incident or
user; the import itself then reads one file at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from alertaudit.events import AlertEvent
from alertaudit.sources import grafana_oncall, opsgenie, pagerduty
from alertaudit.sources.bodies import SourceError, expand, load_body
from alertaudit.sources.people import People
from oncall.config.model import Config


@dataclass(slots=True)
class VendorImport:
    """The history files of an import (in order) and how to read each one's events."""

    source: str
    files: list[Path]
    events_of: Callable[[Path], Iterator[AlertEvent]]


def plan_import(source: str, paths: Sequence[str], config: Config) -> VendorImport:
    """Prepare the import of saved vendor bodies; raises SourceError for a file that cannot be read."""
    files = expand(paths)
    if not files:
        raise SourceError(", ".join(paths), "no .json files found")
    rule_key = config.auditor.rule_key
    if source == "pagerduty":
        return _pagerduty(files, config, rule_key)
    if source == "opsgenie":
        people = People(config)
        return VendorImport(
            source,
            files,
            lambda path: opsgenie.events_from_body(load_body(path), str(path), people, rule_key),
        )
    if source == "grafana-oncall":
        return _grafana(files, config, rule_key)
    raise ValueError(f"unknown history source {source!r}")


def _pagerduty(files: list[Path], config: Config, rule_key: Sequence[str]) -> VendorImport:
    triggers: dict = {}
    for path in files:
        triggers.update(pagerduty.rules_from_body(load_body(path), str(path), rule_key))
    people = People(config)
    return VendorImport(
        "pagerduty",
        files,
        lambda path: pagerduty.events_from_body(load_body(path), str(path), people, triggers),
    )


def _grafana(files: list[Path], config: Config, rule_key: Sequence[str]) -> VendorImport:
    aliases: dict[str, list[str]] = {}
    history: list[Path] = []
    for path in files:
        body = load_body(path)
        if grafana_oncall.is_users_body(body):
            aliases.update(grafana_oncall.user_names(body, str(path)))
        else:
            history.append(path)
    people = People(config, aliases)
    return VendorImport(
        "grafana-oncall",
        history,
        lambda path: grafana_oncall.events_from_body(load_body(path), str(path), people, rule_key),
    )
