"""What the section readers share while one file is validated."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yaml.nodes import Node

from oncall.config.problems import Problems
from oncall.config.values import closest

# Keys turn up in URLs, CLI arguments and SMS, so they are single words.
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")


@dataclass
class Context:
    """The problems found so far and the names declared, for cross-references.

    Names are registered as soon as they are declared, even when their own definition has
    errors: one broken person should not also produce "unknown person" everywhere they appear.
    """

    problems: Problems
    timezone: str = "UTC"
    default_region: str | None = None  # the country of phone numbers written without `+`
    people: dict[str, Node] = field(default_factory=dict)
    rotations: dict[str, Node] = field(default_factory=dict)
    escalations: dict[str, Node] = field(default_factory=dict)
    person_timezones: dict[str, str] = field(default_factory=dict)
    rotation_timezones: dict[str, str] = field(default_factory=dict)
    # People named by a rotation team or an escalation level: everyone else gets a warning.
    people_in_use: set[str] = field(default_factory=set)

    def check_key(self, key: str, node: Node, kind: str) -> None:
        """Report a declared key that is not a single word."""
        if not _KEY.fullmatch(key):
            self.problems.error(
                node,
                f"{kind} key `{key}` must be one word (letters, digits, `_`, `-` or `.`)",
            )

    def check_reference(self, name: str, node: Node, kind: str, where: str) -> bool:
        """Report `name` unless a `kind` ("person", "rotation", "escalation") of that name exists."""
        declared = {"person": self.people, "rotation": self.rotations}.get(kind, self.escalations)
        if name in declared:
            return True
        meant = closest(name, declared)
        if kind == "person" and meant is not None:
            # The typo already has an error; "`park` is in no rotation" would only repeat it.
            self.people_in_use.add(meant)
        hint = f" — did you mean `{meant}`?" if meant else ""
        self.problems.error(node, f"unknown {kind} `{name}` in {where}{hint}")
        return False
