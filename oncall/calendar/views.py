"""`GET /calendar/<token>.ics` — the subscribable feed.

The feed code (and icalendar) is imported on the first feed request, not when the worker starts:
most workers of a paging service never serve a calendar, and it keeps their memory down.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, request

from oncall.web.context import current_runtime

bp = Blueprint("calendar", __name__)

# Clients may keep the body but must ask again; the ETag makes asking cheap (304).
CACHE_CONTROL = "private, no-cache"


@bp.get("/calendar/<string:token>.ics")
def feed(token: str) -> Response:
    """The feed a token opens; 404 for a wrong or revoked token, 304 when the ETag matches."""
    from oncall.calendar.service import feed_for_token

    runtime = current_runtime()
    found = feed_for_token(runtime.db, runtime.config, token, runtime.clock.now())
    if found is None:
        abort(404)
    response = Response(found.body, mimetype="text/calendar")
    response.charset = "utf-8"
    response.set_etag(found.etag)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["Content-Disposition"] = 'inline; filename="oncall.ics"'
    return response.make_conditional(request)
