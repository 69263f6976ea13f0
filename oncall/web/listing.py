"""One way to page through every API list: an opaque cursor, `limit`, `next` and `total`.

`limit` is at most 1000 (a larger one is taken as 1000: the answer's `next` says more follow).
A list answer is `{"<items>": [...], "next": CURSOR | null, "total": N}`, newest first. `next` is
a cursor naming the last id of the page (keyset on id, descending), so a page asked for later
still continues where the previous one stopped: rows added meanwhile come before it and are
neither repeated nor make older ones skipped. The cursor is base64url text of `<list>:<id>`,
so a cursor of one list is refused by another; a cursor the service did not make is a 400.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from oncall.alerts.intake import PayloadError
from oncall.web.inputs import MAX_ID

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CURSOR_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
_DECODED = re.compile(r"^([a-z_]{1,20}):([1-9][0-9]{0,18})$")

Cursor = Annotated[
    str,
    StringConstraints(max_length=64, pattern=CURSOR_PATTERN),
    Field(description="`next` of the previous page (opaque); omit for the first page"),
]
Limit = Annotated[
    int,
    Field(
        ge=1,
        description=f"rows per page, at most {MAX_LIMIT} (a larger limit gives {MAX_LIMIT}; follow `next`)",
    ),
]


class PageQuery(BaseModel):
    """The query arguments of a paged list: `limit` and `cursor` (add the list's own filters)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    limit: Limit = DEFAULT_LIMIT
    cursor: Cursor | None = None


def encode_cursor(kind: str, last_id: int) -> str:
    """The opaque cursor that continues list `kind` after the row `last_id`."""
    raw = f"{kind}:{last_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(kind: str, cursor: str | None) -> int | None:
    """The last id a cursor of list `kind` names (None for no cursor); a PayloadError (400) otherwise."""
    if cursor is None:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    match = _DECODED.fullmatch(text)
    if match is None or match[1] != kind or int(match[2]) > MAX_ID:
        raise PayloadError("cursor", f"is not a cursor of this list: pass `next` of the previous {kind} page")
    return int(match[2])


def page_answer(key: str, kind: str, items: list, last_id: int | None, total: int) -> dict:
    """`{key: items, "next": cursor or None, "total": total}`; `last_id` None means the last page."""
    return {key: items, "next": None if last_id is None else encode_cursor(kind, last_id), "total": total}


def keyset_page(
    session: Session, query: Select, id_column: InstrumentedAttribute, *, after_id: int | None, limit: int
) -> tuple[list, int | None, int]:
    """One page of `query`'s rows by `id_column` descending: (rows, last id if more follow, total).

    `total` counts every row the query matches, whatever the page.
    """
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    if after_id is not None:
        query = query.where(id_column < after_id)
    limit = min(limit, MAX_LIMIT)
    rows = list(session.scalars(query.order_by(id_column.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (rows[-1].id if more and rows else None), total
