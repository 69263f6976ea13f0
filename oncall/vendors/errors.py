"""The one error a migration stops with: which file, which entry, which field, what is wrong."""

from __future__ import annotations


class VendorDataError(ValueError):
    """Input the migration cannot use; the message names the file, entry and field."""

    def __init__(self, source: str, entry: str, field: str, problem: str) -> None:
        self.source, self.entry, self.field, self.problem = source, entry, field, problem
        where = " ".join(part for part in (entry, f"field `{field}`" if field else "") if part)
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")
