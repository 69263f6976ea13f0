"""Checking that an inbound webhook really comes from Twilio (adapter: Twilio SDK).

Twilio signs the URL *it* requested (the public one, before any proxy rewrote it) plus
the sorted POST parameters with the account's auth token. Behind a proxy the service sees
a different URL, so the URL to check is rebuilt from ONCALL_PUBLIC_URL (docs/paging.md).
"""

from __future__ import annotations

from collections.abc import Mapping

from twilio.request_validator import RequestValidator

SIGNATURE_HEADER = "X-Twilio-Signature"


def public_url_for(public_base: str, path_with_query: str) -> str:
    """The URL Twilio signed: ONCALL_PUBLIC_URL + the request path + its query.

    `path_with_query` is relative to the application root, e.g. Flask's
    `request.full_path`, which ends in a bare "?" when there is no query; Twilio never
    signs that "?", so it is dropped.
    """
    path = path_with_query.removesuffix("?")
    if not path.startswith("/"):
        path = "/" + path
    return public_base.rstrip("/") + path


def verify_twilio_signature(
    auth_token: str, url: str, params: Mapping[str, object], signature: str | None
) -> bool:
    """True when `signature` (the X-Twilio-Signature header) matches `url` and `params`.

    `params` are the form fields of a POST (a plain dict or a werkzeug MultiDict; repeated
    fields are signed value by value) and empty for a GET, whose query is part of `url`.
    """
    if not auth_token or not signature:
        return False
    return RequestValidator(auth_token).validate(url, params, signature)


def sign_twilio_request(auth_token: str, url: str, params: Mapping[str, object]) -> str:
    """The X-Twilio-Signature Twilio would send for `url` and `params` (for tests and tools)."""
    return RequestValidator(auth_token).compute_signature(url, params)
