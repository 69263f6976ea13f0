"""Paging a list page by id (keyset): `?before=<id>` shows the rows older than that id."""

from __future__ import annotations

from collections.abc import Mapping

from flask import abort

from oncall.web.inputs import MAX_ID


def before_id(args: Mapping[str, str]) -> int | None:
    """The `before` query value as an id, None when absent; a clear 400 when it is not one."""
    text = args.get("before")
    if text is None or text == "":
        return None
    well_formed = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))
    if not well_formed or not 1 <= int(text) <= MAX_ID:
        abort(400, "before must be an id: a whole number from 1 (use the Older link)")
    return int(text)
