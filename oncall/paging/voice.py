"""TwiML for paging calls (adapter: uses the Twilio SDK's TwiML builder).

The call says the alert inside a one-key Gather (twice); Twilio posts the key to the Gather
action URL, whose handler answers with `gather_result_twiml` (or `call_twiml` again for
star = repeat). A call with no key pressed falls through the Gather and hangs up, which
is not an acknowledgement.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from oncall.paging.voice_script import (
    KEY_ACTIONS,
    MENU_TEXT,
    NO_INPUT_TEXT,
    VOICEMAIL_TEXT,
    key_action,
    spoken_alert,
)

if TYPE_CHECKING:
    from twilio.twiml.voice_response import VoiceResponse


def _voice() -> VoiceResponse:
    """An empty TwiML answer. The builder (with xml.etree, ~1.3 MB) loads on the first call's
    webhook, not in every served worker: most never take one."""
    from twilio.twiml.voice_response import VoiceResponse

    return VoiceResponse()


__all__ = [
    "KEY_ACTIONS",
    "call_twiml",
    "gather_result_twiml",
    "key_action",
    "spoken_alert",
    "voicemail_twiml",
]

# Seconds Twilio waits for a key after the prompt ends.
GATHER_TIMEOUT = 8


def call_twiml(alert_text: str, gather_action_url: str, menu: str = MENU_TEXT) -> str:
    """TwiML that says `alert_text` and the key `menu`, gathering one key to the action URL."""
    response = _voice()
    # Twice: someone woken by the call often misses the first reading.
    for _ in range(2):
        gather = response.gather(
            num_digits=1,
            action=gather_action_url,
            method="POST",
            timeout=GATHER_TIMEOUT,
            action_on_empty_result=False,
        )
        gather.say(alert_text)
        gather.pause(length=1)
        gather.say(menu)
    # Reached only when no key was pressed in either round.
    response.say(NO_INPUT_TEXT)
    response.hangup()
    return str(response)


def gather_result_twiml(action_done_text: str) -> str:
    """TwiML that confirms what a key did (e.g. "Acknowledged alert 12.") and hangs up."""
    response = _voice()
    response.say(action_done_text)
    response.hangup()
    return str(response)


def voicemail_twiml(text: str = VOICEMAIL_TEXT) -> str:
    """TwiML for a call answered by a machine: a short message, then hang up."""
    response = _voice()
    response.say(text)
    response.hangup()
    return str(response)
