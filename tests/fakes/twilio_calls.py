"""The voice side of the fake Twilio: a test drives each call like a person would.

Twilio's order is kept: progress callbacks (initiated, ringing, answered) for the events the
call asked for, the TwiML fetched from the call's Url with its Method, each key posted to
the Gather's action, then `completed` (or no-answer/busy/failed). With machine detection,
every request carries AnsweredBy.
"""

from __future__ import annotations

from tests.fakes.twilio_rest import API_VERSION, FakeCall, rfc2822_now
from tests.fakes.twilio_webhooks import WebhookResult, WebhookSender, first_gather


class CallDriving:
    """Mixed into FakeTwilio, which provides `account_sid` and `webhooks`."""

    account_sid: str
    webhooks: WebhookSender

    def answer(self, call: FakeCall, press: str = "", answered_by: str = "human") -> FakeCall:
        """The callee picks up: progress callbacks, TwiML fetched, then one key of `press`
        posted to each Gather's action in turn, then `completed`."""
        call.answered_by = answered_by if call.machine_detection else None
        self._call_event(call, "initiated", "initiated")
        self._call_event(call, "ringing", "ringing")
        call.status = "in-progress"
        self._call_event(call, "answered", "in-progress")
        document_url = call.url
        result = self.webhooks.send(call.url, self._call_params(call), call.method)
        self._heard(call, result)
        for key in press:
            gather = first_gather(result.body, document_url)
            if gather is None:
                break
            call.digits.append(key)
            params = {**self._call_params(call), "Digits": key, "FinishedOnKey": ""}
            result = self.webhooks.send(gather.action, params, gather.method)
            document_url = gather.action
            self._heard(call, result)
        call.status = "completed"
        self._call_event(call, "completed", "completed", CallDuration="30", Duration="1")
        return call

    def answer_by_machine(self, call: FakeCall) -> FakeCall:
        """Voicemail picks up (machine detection says `machine_start`); no key is pressed."""
        return self.answer(call, press="", answered_by="machine_start")

    def no_answer(self, call: FakeCall, status: str = "no-answer") -> FakeCall:
        """Nobody picks up (or `busy`, `failed`, `canceled`): progress, then the final status."""
        self._call_event(call, "initiated", "initiated")
        if status != "failed":
            self._call_event(call, "ringing", "ringing")
        call.status = status
        self._call_event(call, "completed", status, CallDuration="0", Duration="0")
        return call

    def fetch_twiml(self, call: FakeCall) -> WebhookResult:
        """Fetch the call's TwiML from its Url (GET or POST as asked), as on answer."""
        result = self.webhooks.send(call.url, self._call_params(call), call.method)
        self._heard(call, result)
        return result

    def _heard(self, call: FakeCall, result: WebhookResult) -> None:
        call.documents.append(result.body)
        call.said.extend(result.said)

    def _call_params(self, call: FakeCall, **extra: str) -> dict[str, str]:
        params = {
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
            "CallSid": call.sid,
            "CallStatus": call.status,
            "Called": call.to,
            "Caller": call.from_,
            "Direction": "outbound-api",
            "From": call.from_,
            "To": call.to,
        }
        if call.answered_by:
            params["AnsweredBy"] = call.answered_by
        params.update(extra)
        return params

    def _call_event(self, call: FakeCall, event: str, status: str, **extra: str) -> None:
        if not call.status_callback or event not in call.status_callback_events:
            return
        params = self._call_params(
            call,
            CallStatus=status,
            CallbackSource="call-progress-events",
            SequenceNumber=str(call.status_callback_events.index(event)),
            Timestamp=rfc2822_now(),
            **extra,
        )
        self.webhooks.send(call.status_callback, params, call.status_callback_method)
