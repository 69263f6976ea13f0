"""How the fake Twilio talks to the service: signed webhooks and the TwiML it answers.

Twilio signs the URL it was configured with (the service's public URL) and the sorted
POST parameters with the auth token. Tests often run the service on 127.0.0.1 behind a
different public URL, so the URL that is signed and the URL that is requested may differ:
`WebhookSender.route(public, actual)` maps one onto the other.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urlencode, urljoin

from twilio.request_validator import RequestValidator

WEBHOOK_TIMEOUT = 5.0


@dataclass(frozen=True)
class WebhookResult:
    """One request the fake made to the service, and the service's answer."""

    url: str  # the URL Twilio would request and sign (public)
    target: str  # the URL actually requested (after routing)
    method: str
    params: dict[str, str]
    signature: str
    status: int
    body: str

    @property
    def messages(self) -> list[str]:
        """Texts of the <Message> verbs in a TwiML answer."""
        return twiml_texts(self.body, "Message")

    @property
    def said(self) -> list[str]:
        """Texts of the <Say> verbs in a TwiML answer, in document order."""
        return twiml_texts(self.body, "Say")


@dataclass(frozen=True)
class GatherSpec:
    """The first <Gather> of a TwiML document."""

    action: str  # absolute URL
    method: str
    num_digits: int | None


def parse_twiml(body: str) -> ET.Element | None:
    """The <Response> element of a TwiML document, or None when it is not TwiML."""
    try:
        root = ET.fromstring(body.encode("utf-8"))
    except ET.ParseError:
        return None
    return root if root.tag == "Response" else None


def twiml_texts(body: str, verb: str) -> list[str]:
    """Texts of every `verb` element (e.g. "Say", "Message") anywhere in a TwiML document."""
    root = parse_twiml(body)
    if root is None:
        return []
    texts = []
    for element in root.iter(verb):
        # <Message><Body>text</Body></Message> is the long form of <Message>text</Message>.
        body_element = element.find("Body")
        text = body_element.text if body_element is not None else element.text
        texts.append((text or "").strip())
    return texts


def first_gather(body: str, document_url: str) -> GatherSpec | None:
    """The first <Gather> in a TwiML document; its action defaults to the document's URL."""
    root = parse_twiml(body)
    gather = root.find(".//Gather") if root is not None else None
    if gather is None:
        return None
    digits = gather.get("numDigits")
    return GatherSpec(
        action=urljoin(document_url, gather.get("action") or document_url),
        method=(gather.get("method") or "POST").upper(),
        num_digits=int(digits) if digits else None,
    )


@dataclass
class WebhookSender:
    """Makes signed requests the way Twilio does, and keeps a log of them."""

    auth_token: str
    routes: list[tuple[str, str]] = field(default_factory=list)
    log: list[WebhookResult] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def route(self, public_prefix: str, actual_prefix: str) -> None:
        """Requests to URLs under `public_prefix` go to `actual_prefix` (signed as public)."""
        self.routes.insert(0, (public_prefix.rstrip("/"), actual_prefix.rstrip("/")))

    def target_for(self, url: str) -> str:
        """The URL really requested for the public `url`."""
        for public, actual in self.routes:
            if url == public or url.startswith((public + "/", public + "?")):
                return actual + url[len(public) :]
        return url

    def signature(self, url: str, params: dict[str, str]) -> str:
        """X-Twilio-Signature for `url` and POST `params` (empty for a GET)."""
        return RequestValidator(self.auth_token).compute_signature(url, params)

    def send(self, url: str, params: dict[str, str], method: str = "POST") -> WebhookResult:
        """Request `url` as Twilio would: POST form fields, or GET with them in the query."""
        method = method.upper()
        if method == "GET":
            if params:
                url = f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"
            signed_params: dict[str, str] = {}
            data = None
        else:
            signed_params = params
            data = urlencode(params).encode("utf-8")
        signature = self.signature(url, signed_params)
        target = self.target_for(url)
        request = urllib.request.Request(target, data=data, method=method)
        request.add_header("X-Twilio-Signature", signature)
        request.add_header("User-Agent", "TwilioProxy/1.1")
        if data is not None:
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:
                status, body = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read().decode("utf-8", "replace")
        result = WebhookResult(url, target, method, dict(params), signature, status, body)
        with self._lock:
            self.log.append(result)
        return result
