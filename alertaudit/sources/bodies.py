"""Reading saved REST bodies: files or directories of JSON, one page of an export per file.

Each file is parsed when it is reached and dropped after, so a history of thousands of pages
is read with the memory of one page.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class SourceError(ValueError):
    """A vendor body that cannot be read: names the file, the entry and the field."""

    def __init__(self, file: str, message: str, entry: str | None = None, field: str | None = None) -> None:
        where = file
        if entry is not None:
            where += f": entry {entry}"
        if field is not None:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")
        self.file = file
        self.entry = entry
        self.field = field


def expand(paths: Sequence[str]) -> list[Path]:
    """The files named, with each directory replaced by its `*.json` files in name order."""
    files: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix == ".json" and p.is_file()))
        else:
            files.append(path)
    return files


def load_body(path: Path) -> Any:
    """One file's JSON; a SourceError naming the file and the line when it is not JSON."""
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise SourceError(str(path), f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except UnicodeDecodeError as exc:
        raise SourceError(str(path), f"not UTF-8 text: {exc.reason}") from None


def list_of(body: Any, key: str, file: str) -> list[Any]:
    """The body's top-level list `key` (e.g. `log_entries`, `data`, `results`)."""
    if not isinstance(body, dict):
        raise SourceError(file, f"expected a JSON object with a {key!r} list, got {type(body).__name__}")
    items = body.get(key)
    if not isinstance(items, list):
        known = ", ".join(sorted(body)) or "none"
        raise SourceError(file, f"expected a {key!r} list at the top level (keys found: {known})", field=key)
    return items


class Entry:
    """One item of a body's list with typed, error-naming accessors.

    `Entry(item, file, index)` names itself by its `id` when it has one, else by its index.
    """

    __slots__ = ("data", "file", "name")

    def __init__(self, data: Any, file: str, index: int, id_key: str = "id") -> None:
        if not isinstance(data, dict):
            raise SourceError(file, f"expected an object, got {type(data).__name__}", entry=str(index))
        self.data = data
        self.file = file
        ident = data.get(id_key)
        self.name = f"{index} (id {ident})" if isinstance(ident, str | int) and ident != "" else str(index)

    def error(self, field: str, message: str) -> SourceError:
        """A SourceError for `field` of this entry."""
        return SourceError(self.file, message, entry=self.name, field=field)

    def get(self, path: str) -> Any:
        """The value at a dotted path (`report.ackTime`), or None when any part is missing."""
        value: Any = self.data
        for part in path.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
        return value

    def text(self, path: str, required: bool = False) -> str | None:
        """A string field (numbers become strings); None when absent unless `required`."""
        value = self.get(path)
        if value is None or value == "":
            if required:
                raise self.error(path, "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise self.error(path, f"must be a string, got {json.dumps(value)[:60]}")
        return str(value)

    def time(self, path: str, required: bool = False) -> datetime | None:
        """An ISO 8601 time with an offset, as UTC."""
        value = self.text(path, required)
        if value is None:
            return None
        try:
            at = datetime.fromisoformat(value)
        except ValueError:
            raise self.error(path, f"must be an ISO 8601 time, got {value!r}") from None
        if at.tzinfo is None:
            raise self.error(path, f"{value!r} has no time zone offset")
        return at.astimezone(UTC)

    def number(self, path: str) -> float | None:
        """A number field, or None when absent."""
        value = self.get(path)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(path, f"must be a number, got {json.dumps(value)[:60]}")
        return value


def clip(text: str | None, length: int) -> str | None:
    """At most `length` characters: the width of the column it is stored in."""
    return text if text is None or len(text) <= length else text[:length]


def tag_labels(entry: Entry, path: str) -> dict[str, str]:
    """Labels from a list of `key:value` (or `key=value`) tags; plain tags are left out."""
    tags = entry.get(path)
    if tags is None:
        return {}
    if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
        raise entry.error(path, "must be a list of strings")
    labels: dict[str, str] = {}
    for tag in tags:
        for separator in (":", "="):
            key, found, value = tag.partition(separator)
            if found and key.strip():
                labels.setdefault(key.strip(), value.strip())
                break
    return labels
