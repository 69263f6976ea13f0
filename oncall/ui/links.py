"""Which URLs from outside may become a link, and which form values may become a redirect.

Alert fields come from monitoring and are hostile input: only an absolute http(s) URL becomes a
clickable link (no `javascript:`, `data:` or `vbscript:`, whatever the case or padding). A form's
`back` or `next` value redirects only to a path on this site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = ("http", "https")
MAX_LINK = 2000
MAX_LOCAL_PATH = 2000


def _has_control_or_space(text: str) -> bool:
    """Whitespace or control characters: browsers strip or ignore them, so a scheme could hide."""
    return any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in text)


def http_link(value: str | None) -> str | None:
    """`value` when it is an absolute http:// or https:// URL with a host; otherwise None.

    None means "show it as text". Anything with whitespace or control characters is refused
    rather than cleaned: a link must be exactly what the page shows.
    """
    if not value or len(value) > MAX_LINK or _has_control_or_space(value) or "\\" in value:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in LINK_SCHEMES or not parts.hostname:
        return None
    return value


def local_path(value: str | None, default: str) -> str:
    """`value` when it is a path on this site (`/alerts?x=1`); `default` for anything else.

    Refused: empty, absolute URLs, scheme-relative `//host`, `/\\host` (browsers read the
    backslash as a slash), CR/LF or any control character (header injection), over-long values.
    """
    if not value or len(value) > MAX_LOCAL_PATH or _has_control_or_space(value) or "\\" in value:
        return default
    if not value.startswith("/") or value.startswith("//"):
        return default
    try:
        parts = urlsplit(value)
    except ValueError:
        return default
    if parts.scheme or parts.netloc:
        return default
    return value
