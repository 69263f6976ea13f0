"""What POST /slack/interactions does (the buttons of the Slack messages; the route is in
oncall/web/slack.py, which imports this module on the first press).

Every request is checked against SLACK_SIGNING_SECRET (Slack's v0 HMAC over
`v0:{timestamp}:{body}`, the timestamp within 5 minutes of the service's clock) before its body
is read: a missing header, a forged or stale signature, or no secret configured is 401 and
changes nothing. Then the press is done inline (one database write, well within Slack's 3 s) as
the person that Slack user is; an unknown user is told, privately, that nothing was done.
"""

from __future__ import annotations

import logging
import threading
from urllib.parse import parse_qs

from flask import Response, jsonify, request
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier

from oncall.clock import Clock
from oncall.escalation.followups import FOLLOW_UPS
from oncall.slack.blocks import escape
from oncall.slack.client import INTERACTIVE_TIMEOUT, client_from_settings, error_code
from oncall.slack.interactions import NOT_LINKED, BadInteraction, Press, act, read_press
from oncall.slack.users import directory_for, person_with_slack_id
from oncall.web.context import current_runtime

log = logging.getLogger("oncall.slack")
MAX_BODY = 64 * 1024  # Slack's interaction payloads are a few kB


class _EpochClock:
    """The service's clock as the seconds the SDK's verifier compares timestamps with."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self) -> float:
        return self.clock.now().timestamp()


def signed_by_slack(secret: str | None, body: bytes, clock: Clock) -> bool:
    """Whether the request carries Slack's valid, fresh signature of `body`."""
    if not secret:
        return False
    verifier = SignatureVerifier(secret, clock=_EpochClock(clock))  # type: ignore[arg-type]
    try:
        return verifier.is_valid_request(body, dict(request.headers))
    except ValueError:  # a timestamp that is not a number
        return False


def _answer(text: str, status: int = 200) -> Response:
    response = jsonify({"response_type": "ephemeral", "replace_original": False, "text": text})
    response.status_code = status
    return response


def interactions():
    """Verify, then act on one button press (see the module docstring)."""
    runtime = current_runtime()
    settings = runtime.settings
    if (request.content_length or 0) > MAX_BODY:
        return _answer("request too large", 413)
    body = request.get_data(cache=True)
    if len(body) > MAX_BODY:
        return _answer("request too large", 413)
    if not signed_by_slack(settings.slack_signing_secret, body, runtime.clock):
        log.warning("rejected an unsigned, forged or stale Slack request")
        return _answer("invalid or missing Slack signature", 401)
    try:
        form = parse_qs(body.decode("utf-8", "replace"), max_num_fields=20)
        press = read_press((form.get("payload") or [None])[0])
    except BadInteraction as error:
        return _answer(str(error), 400)
    except ValueError:  # more form fields than an interaction ever has
        return _answer("not a Slack interaction: too many form fields", 400)
    if press is None:
        return _answer("nothing to do")
    client = client_from_settings(settings, timeout=INTERACTIVE_TIMEOUT)
    person = _person(runtime.config, client, press.user_id)
    if person is None:
        _tell_privately(client, press, NOT_LINKED)
        return _answer(NOT_LINKED)
    with runtime.db.session() as session:
        said = act(session, runtime.config, press, person, runtime.clock.now(), follow=FOLLOW_UPS)
    runtime.engine.kick()  # the message update and any page this stopped, right away
    _tell_privately(client, press, said)
    return _answer(said)


def _person(config, client, user_id: str) -> str | None:
    """The person key of a Slack user (YAML id, else profile email); None when not linked."""
    directory = directory_for(client)
    if directory is None:
        return person_with_slack_id(config, user_id)
    try:
        return directory.person_for(config, user_id)
    except (SlackApiError, OSError) as error:
        log.warning("could not look up a Slack user: %s", error_code(error))
        return None


def _tell_privately(client, press: Press, text: str) -> None:
    """An ephemeral message to the presser (after the answer: Slack ignores the answer's body)."""
    if client is None or not press.channel:
        return

    def post() -> None:
        try:
            client.chat_postEphemeral(channel=press.channel, user=press.user_id, text=escape(text))
        except (SlackApiError, OSError) as error:
            log.warning("could not send a Slack ephemeral message: %s", error_code(error))

    threading.Thread(target=post, name="slack-ephemeral", daemon=True).start()
