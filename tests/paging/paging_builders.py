"""Shared constants and helpers for the paging tests (a unique module name: the test
folders are not packages)."""

from __future__ import annotations

from oncall.paging.signature import public_url_for, verify_twilio_signature
from tests.fakes.receiver import ReceivedRequest

PUBLIC_URL = "https://oncall.example.com"
KIM = "+821012345601"
LEE = "+821012345602"


def verified(request: ReceivedRequest, token: str) -> bool:
    """What the service's /twilio blueprint will do with each webhook."""
    url = public_url_for(PUBLIC_URL, request.path)
    return verify_twilio_signature(token, url, request.form, request.signature)
