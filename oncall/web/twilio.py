"""Inbound Twilio webhooks, every one checked against X-Twilio-Signature.

POST /twilio/sms                     an SMS reply (configure this on the Twilio number)
POST /twilio/voice/<batch>           TwiML for a paging call (Twilio fetches it)
POST /twilio/voice/<batch>/gather    the key pressed during that call
POST /twilio/status/sms|call         delivery and call status callbacks
"""

from __future__ import annotations

import logging
from functools import wraps

from flask import Blueprint, Response, abort, request

from oncall.escalation.followups import FOLLOW_UPS
from oncall.paging import conversation, outbox
from oncall.paging.providers import is_permanent_sms_error
from oncall.paging.signature import SIGNATURE_HEADER, public_url_for, verify_twilio_signature
from oncall.paging.voice import call_twiml, gather_result_twiml, voicemail_twiml
from oncall.paging.voice_script import INCIDENT_MENU_TEXT, MENU_TEXT
from oncall.web.context import current_runtime

bp = Blueprint("twilio", __name__, url_prefix="/twilio")
log = logging.getLogger("oncall.twilio")


def signed(view):
    """Refuse (403) any request whose signature does not match ONCALL_PUBLIC_URL + path."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        settings = current_runtime().settings
        token = settings.twilio_auth_token
        url = public_url_for(settings.public_url, request.full_path)
        params = request.form if request.method == "POST" else {}
        if not token or not verify_twilio_signature(
            token, url, params, request.headers.get(SIGNATURE_HEADER)
        ):
            log.warning("rejected unsigned or forged Twilio request to %s", request.path)
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def twiml(text: str) -> Response:
    return Response(text, mimetype="application/xml")


def message_twiml(body: str | None) -> Response:
    """The answer to an inbound SMS: a reply message, or nothing."""
    # The TwiML builder loads with the first reply, not in every served worker.
    from twilio.twiml.messaging_response import MessagingResponse

    response = MessagingResponse()
    if body is not None:
        response.message(body)
    return twiml(str(response))


@bp.post("/sms")
@signed
def inbound_sms():
    runtime = current_runtime()
    with runtime.db.session() as session:
        answer = conversation.handle_sms(
            session,
            runtime.config,
            request.form.get("From", ""),
            request.form.get("Body", ""),
            runtime.clock.now(),
            follow=FOLLOW_UPS,
            desk=runtime.incident_desk,
        )
    _kick()
    return message_twiml(answer)


@bp.route("/voice/<int:batch_id>", methods=["GET", "POST"])
@signed
def voice(batch_id: int):
    runtime = current_runtime()
    if (request.values.get("AnsweredBy") or "").startswith("machine"):
        return twiml(voicemail_twiml())
    with runtime.db.session() as session:
        script = conversation.call_script(session, runtime.config, batch_id)
    if script is None:
        return twiml(gather_result_twiml("This page is no longer known. Goodbye."))
    text, alerts = script
    menu = MENU_TEXT if alerts else INCIDENT_MENU_TEXT  # no alerts: an incident role page
    return twiml(call_twiml(text, f"{runtime.settings.public_url}/twilio/voice/{batch_id}/gather", menu))


@bp.post("/voice/<int:batch_id>/gather")
@signed
def gather(batch_id: int):
    runtime = current_runtime()
    with runtime.db.session() as session:
        said = conversation.handle_key(
            session,
            runtime.config,
            batch_id,
            request.form.get("Digits"),
            runtime.clock.now(),
            follow=FOLLOW_UPS,
            desk=runtime.incident_desk,
        )
        script = conversation.call_script(session, runtime.config, batch_id) if said is None else None
    _kick()
    if said is None and script is not None:
        text, alerts = script
        menu = MENU_TEXT if alerts else INCIDENT_MENU_TEXT
        return twiml(call_twiml(text, f"{runtime.settings.public_url}/twilio/voice/{batch_id}/gather", menu))
    return twiml(gather_result_twiml(said or "Goodbye."))


@bp.post("/status/<channel>")
@signed
def status(channel: str):
    if channel not in ("sms", "call"):
        abort(404)
    runtime = current_runtime()
    form = request.form
    sid = form.get("MessageSid") or form.get("SmsSid") or form.get("CallSid") or ""
    state = form.get("MessageStatus") or form.get("SmsStatus") or form.get("CallStatus") or ""
    now = runtime.clock.now()
    with runtime.db.session() as session:
        failed = conversation.record_status(
            session,
            sid,
            state,
            answered_by=form.get("AnsweredBy"),
            error_code=form.get("ErrorCode"),
            now=now,
        )
        if failed:
            permanent = outbox_permanent(form.get("ErrorCode"))
            outbox.after_failure(
                session,
                runtime.config,
                failed,
                "permanent" if permanent else "rejected",
                now,
                follow=FOLLOW_UPS,
            )
    _kick()
    return Response(status=204)


def outbox_permanent(code: str | None) -> bool:
    return is_permanent_sms_error(int(code)) if code and code.isdigit() else False


def _kick() -> None:
    current_runtime().engine.kick()
