"""The Slack Web API client (the official `slack_sdk`) and what its failures mean for a page.

The SDK's own retry handlers are off: a failed post is retried by the outbox (a DM) or by the
post and update jobs (a channel post, a `chat.update`), with their backoff and their record.
Nothing here puts the bot token in an error text or a log line.
"""

from __future__ import annotations

import functools
import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from oncall.paging.providers import Delivery
from oncall.settings import Settings

log = logging.getLogger("oncall.slack")
TIMEOUT = 5  # seconds for one Web API call before it counts as failed (and is retried)
INTERACTIVE_TIMEOUT = 2  # a button press answers Slack within its 3 s, lookups included
# Slack's error codes that may pass later; every other error fails the same way again
# (channel_not_found, not_in_channel, invalid_auth, user_not_found, …).
RETRYABLE_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def make_client(token: str, api_url: str, timeout: int = TIMEOUT) -> WebClient:
    """A Web API client for `token` at `api_url`, without the SDK's own retries."""
    return WebClient(token=token, base_url=api_url, timeout=timeout, retry_handlers=[])


@functools.lru_cache(maxsize=8)
def _cached_client(token: str, api_url: str, timeout: int) -> WebClient:
    return make_client(token, api_url, timeout)


def client_from_settings(settings: Settings, timeout: int = TIMEOUT) -> WebClient | None:
    """The process's one client for the configured bot token (and timeout); None when
    SLACK_BOT_TOKEN is unset."""
    if not settings.slack_bot_token:
        return None
    return _cached_client(settings.slack_bot_token, settings.slack_api_url, timeout)


def error_code(error: Exception) -> str:
    """Slack's error code (`channel_not_found`), or the kind of connection failure."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    return type(error).__name__


def is_retryable(error: Exception) -> bool:
    """Rate limits, 5xx, timeouts and connection errors may pass; Slack's other errors will not."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status >= 500 or status == 429 or error_code(error) in RETRYABLE_ERRORS
    return isinstance(error, OSError)  # URLError, timeouts, refused connections


def failed_delivery(error: Exception) -> Delivery:
    """A failed Web API call as the outbox records it (`slack: ratelimited`), token-free."""
    code = error_code(error)
    log.warning("Slack Web API call failed: %s", code)
    return Delivery.failed(f"slack: {code}", retryable=is_retryable(error))
