"""POST /slack/interactions: the buttons of the Slack messages (the app's Interactivity URL).

Every request is checked against SLACK_SIGNING_SECRET before anything else (oncall/web/slack_press.py).
The Slack SDK and oncall.slack load on the first press, not at start: a service that does not
use Slack does not carry them (the served worker's idle memory).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("slack", __name__, url_prefix="/slack")


@bp.post("/interactions")
def interactions():
    """Verify, then act on one button press."""
    from oncall.web.slack_press import interactions as press

    return press()
