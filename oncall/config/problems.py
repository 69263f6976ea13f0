"""Collecting validation findings, each pinned to a line and column of the YAML file."""

from __future__ import annotations

from yaml import MarkedYAMLError, Node
from yaml.error import Mark

from oncall.config.model import Problem
from oncall.config.yaml_syntax import diagnose, excerpt


class ConfigError(Exception):
    """The configuration file has errors; `.problems` lists every one (and any warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        shown = "\n".join(str(p) for p in errors[:20])
        more = f"\n… and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} configuration error(s):\n{shown}{more}")


class Problems:
    """The findings of one validation run, for one file."""

    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.items: list[Problem] = []

    def error(self, where: Node | Mark | None, message: str) -> None:
        """Record an error at a node (its start) or a mark."""
        self._add(where, message, "error")

    def warning(self, where: Node | Mark | None, message: str) -> None:
        """Record a warning: the file still loads."""
        self._add(where, message, "warning")

    def syntax_error(self, text: str, error: MarkedYAMLError) -> None:
        """Record a YAML syntax error at the mistake, with what is probably wrong and a caret."""
        found = diagnose(text, error)
        message = f"YAML syntax error: {found.hint}"
        shown = excerpt(text, found.line, found.column)
        self.items.append(Problem(self.filename, found.line + 1, found.column + 1, message, "error", shown))

    @property
    def has_errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)

    def sorted(self) -> list[Problem]:
        """Every finding in file order, errors before warnings on the same spot."""
        return sorted(self.items, key=lambda p: (p.line, p.column, p.severity != "error"))

    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.sorted() if p.severity == "warning")

    def _add(self, where: Node | Mark | None, message: str, severity: str) -> None:
        mark = where.start_mark if isinstance(where, Node) else where
        # PyYAML counts from 0; editors and compilers count from 1.
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        self.items.append(Problem(self.filename, line, column, message, severity))
