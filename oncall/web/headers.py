"""Security headers on every response: no inline script, no framing, no sniffing, no Referer.

The pages use no inline script or style (styles are in ui.css; the audit charts use SVG
presentation attributes, which CSP does not govern), so the policy allows only this origin.
`Referrer-Policy: no-referrer` keeps calendar-feed and page URLs out of other sites' logs.
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def add_security_headers(response: Response) -> Response:
    """Set each security header the view did not set itself."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def install_security_headers(app: Flask) -> None:
    """Add the headers to every response of `app`, error pages included."""
    app.after_request(add_security_headers)
