"""Load and validate `oncall.yaml`, reporting every problem at once.

    config = load_config("config/oncall.yaml")          # raises ConfigError on errors
    config, problems = check_config(text, "oncall.yaml")  # never raises for bad input

The file is composed into YAML nodes (not loaded into dicts) so each problem can point at its
line and column; the section readers build the `oncall.config.model` dataclasses from them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from yaml.nodes import Node

from oncall.config.channel_sections import DEFAULT_CHANNELS, read_channels, warn_unreachable_channels
from oncall.config.context import Context
from oncall.config.heartbeat_sections import read_heartbeats
from oncall.config.incident_sections import read_incidents
from oncall.config.maintenance_sections import read_maintenance
from oncall.config.model import (
    AuditorSettings,
    CalendarSettings,
    Config,
    IncidentSettings,
    Problem,
    SeverityMap,
)
from oncall.config.nodes import Fields, compose, read_mapping, read_parsed
from oncall.config.paging_sections import (
    read_escalations,
    read_routes,
    read_severity,
)
from oncall.config.people_sections import read_people
from oncall.config.problems import ConfigError, Problems
from oncall.config.schedule_sections import read_overrides, read_rotations
from oncall.config.settings_sections import (
    default_business_hours,
    read_auditor,
    read_business_hours,
    read_calendar,
)
from oncall.config.values import check_region, check_timezone
from oncall.configfile.checks import warn_coverage_gaps, warn_rephasing
from oncall.settings import Settings

TOP_LEVEL_KEYS = (
    "timezone",
    "default_region",
    "business_hours",
    "people",
    "rotations",
    "overrides",
    "escalations",
    "routes",
    "severity",
    "auditor",
    "calendar",
    "incidents",
    "channels",
    "maintenance",
    "heartbeats",
)

__all__ = ["ConfigError", "check_config", "load_config", "read_config_file"]


def load_config(path: str | Path) -> Config:
    """Read and validate the configuration file at `path`.

    Raises `ConfigError` (with `.problems`) when the file has errors or cannot be read;
    warnings are kept in `Config.warnings`.
    """
    config, problems = _check_file(Path(path))
    if config is None:
        raise ConfigError(problems)
    return config


def check_config(
    text: str,
    filename: str,
    now: datetime | None = None,
    max_bytes: int | None = None,
    previous: Config | None = None,
) -> tuple[Config | None, list[Problem]]:
    """Validate YAML `text`; the Config (None when there are errors) and every problem found.

    `filename` only labels the problems. Warnings are returned alongside a valid Config too,
    among them every gap in coverage from `now` (default: the current time) to the calendar
    horizon, and every rotation that re-phases compared with `previous` (the configuration
    in force, when known). Text over `max_bytes` (default: the `ONCALL_MAX_CONFIG_BYTES` setting) is refused
    unread.
    """
    problems = Problems(filename)
    limit = _max_bytes(max_bytes)
    if _utf8_length_over(text, limit):
        problems.error(None, _too_large(limit))
        return None, problems.sorted()
    config = _build(text, problems, now or datetime.now(UTC), previous)
    found = problems.sorted()
    if config is None or problems.has_errors:
        return None, found
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return replace(config, warnings=problems.warnings(), source=filename, digest=digest), found


def read_config_file(path: Path, max_bytes: int | None = None) -> tuple[str | None, list[Problem]]:
    """The text of the configuration file, or None and the problem: unreadable, too large, not UTF-8.

    A file over `max_bytes` (default: the `ONCALL_MAX_CONFIG_BYTES` setting) is not read at all.
    """
    data, problems = _read_bytes(path, _max_bytes(max_bytes))
    return (None, problems) if data is None else _decoded(path, data)


def _read_bytes(path: Path, limit: int) -> tuple[bytes | None, list[Problem]]:
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        return None, [Problem(str(path), 1, 1, f"cannot read the configuration file: {reason}")]
    if len(data) > limit:
        return None, [Problem(str(path), 1, 1, _too_large(limit))]
    return data, []


def _decoded(path: Path, data: bytes) -> tuple[str | None, list[Problem]]:
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        message = f"the file is not UTF-8 text (byte {error.start} cannot be read)"
        return None, [Problem(str(path), 1, 1, message)]


def _max_bytes(max_bytes: int | None) -> int:
    return Settings.from_env().max_config_bytes if max_bytes is None else max_bytes


def _utf8_length_over(text: str, limit: int) -> bool:
    # Cheap first: a character is one to four bytes.
    if len(text) > limit:
        return True
    return len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit


def _too_large(limit: int) -> str:
    return (
        f"the file is larger than {limit:,} bytes, the most a configuration may be "
        "(ONCALL_MAX_CONFIG_BYTES); it was not read"
    )


def _check_file(path: Path) -> tuple[Config | None, list[Problem]]:
    limit = _max_bytes(None)
    data, problems = _read_bytes(path, limit)
    text, problems = (None, problems) if data is None else _decoded(path, data)
    if data is None or text is None:
        return None, problems
    config, problems = check_config(text, str(path), max_bytes=limit)
    if config is not None:
        # The digest is of the bytes on disk, so ConfigStore can compare it cheaply.
        config = replace(config, digest=hashlib.sha256(data).hexdigest())
    return config, problems


def _build(text: str, problems: Problems, now: datetime, previous: Config | None = None) -> Config | None:
    root = compose(text, problems)
    if root is None:
        if not problems.items:
            problems.error(None, "the file is empty; see docs/configuration.md for an example")
        return None
    fields = read_mapping(
        root,
        problems,
        "the configuration",
        TOP_LEVEL_KEYS,
        required=("timezone", "people"),
    )
    if fields is None:
        return None
    ctx = Context(problems)
    if "timezone" in fields:
        # Later sections still parse their times in UTC when this is wrong; only the
        # time zone itself is reported, not every time that depends on it.
        ctx.timezone = read_parsed(fields.get("timezone"), problems, "`timezone`", check_timezone) or "UTC"
    if "default_region" in fields:
        ctx.default_region = read_parsed(
            fields.get("default_region"), problems, "`default_region`", check_region
        )
    sections = _read_sections(fields, ctx, root)
    _warn_unused_people(ctx)
    if problems.has_errors:
        return None
    config = Config(timezone=ctx.timezone, **sections)
    warn_coverage_gaps(config, ctx, now)
    warn_unreachable_channels(config, ctx, root)
    if previous is not None:
        warn_rephasing(previous, config, ctx, now)
    return config


def _read_sections(fields: Fields, ctx: Context, root: Node) -> dict[str, Any]:
    # Order matters: names are declared (people, rotations, escalations) before they are used.
    def section(name: str, reader: Callable[[Node, Context], Any], default: Any) -> Any:
        node = fields.get(name)
        return default if node is None else reader(node, ctx)

    people = section("people", read_people, {})
    rotations = section("rotations", read_rotations, {})
    overrides = section("overrides", read_overrides, ())
    escalations = section("escalations", read_escalations, {})
    routes = read_routes(fields.get("routes"), ctx, anchor=fields.keys.get("routes") or root)
    return {
        "business_hours": section(
            "business_hours", read_business_hours, default_business_hours(ctx.timezone)
        ),
        "people": people,
        "rotations": rotations,
        "overrides": overrides,
        "escalations": escalations,
        "routes": routes,
        "severity": section("severity", read_severity, SeverityMap()),
        "auditor": section("auditor", read_auditor, AuditorSettings()),
        "calendar": section("calendar", read_calendar, CalendarSettings()),
        "incidents": section("incidents", read_incidents, IncidentSettings()),
        "channels": section("channels", read_channels, dict(DEFAULT_CHANNELS)),
        "maintenance": section("maintenance", read_maintenance, ()),
        "heartbeats": section("heartbeats", read_heartbeats, {}),
    }


def _warn_unused_people(ctx: Context) -> None:
    for key, key_node in ctx.people.items():
        if key not in ctx.people_in_use:
            ctx.problems.warning(
                key_node,
                f"person `{key}` is in no rotation and no escalation policy, so nobody pages them",
            )
