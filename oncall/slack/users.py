"""Who is who between Slack and the configuration: a person's Slack user id, and back.

A person is found in Slack by their `slack:` user id in the YAML, or else by their `email`: the
Slack user whose profile email equals it (`users.lookupByEmail` to send them a DM,
`users.info` when they press a button). Answers are kept for a while (`TTL`), so a page or a
button press costs at most one lookup per person per hour. Emails never reach a log or an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from oncall.config.model import Config

TTL = 3600.0  # seconds an answer is kept
NOT_FOUND_TTL = 300.0  # seconds a "no such user" is kept (someone may join Slack meanwhile)
NOT_FOUND = frozenset({"users_not_found", "user_not_found"})


class SlackDirectory:
    """Looks people up in one Slack workspace, with a small time-bounded cache; thread safe."""

    def __init__(self, client: WebClient) -> None:
        self.client = client
        self._cache: dict[tuple[str, str], tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def user_id_for_email(self, email: str) -> str | None:
        """The Slack user whose profile email is `email`; None when there is none.

        Raises the SDK's error for anything else (rate limit, Slack down): the caller retries.
        """
        return self._cached(("email", email.lower()), lambda: self._lookup_email(email))

    def email_of(self, user_id: str) -> str | None:
        """The profile email of Slack user `user_id` (None: no such user, or no email shown)."""
        return self._cached(("user", user_id), lambda: self._lookup_user(user_id))

    def person_for(self, config: Config, user_id: str) -> str | None:
        """The person key a Slack user is: by `slack:` id in the YAML, else by profile email."""
        key = person_with_slack_id(config, user_id)
        if key is not None:
            return key
        email = self.email_of(user_id)
        if not email:
            return None
        return person_with_email(config, email)

    def _lookup_email(self, email: str) -> str | None:
        return _user_or_empty(self.client.users_lookupByEmail, email=email).get("id")

    def _lookup_user(self, user_id: str) -> str | None:
        return (_user_or_empty(self.client.users_info, user=user_id).get("profile") or {}).get("email")

    def _cached(self, key: tuple[str, str], lookup) -> str | None:
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and hit[0] > now:
                return hit[1]
        value = lookup()
        with self._lock:
            if len(self._cache) > 10_000:  # a bound, not a policy: start over
                self._cache.clear()
            self._cache[key] = (now + (TTL if value else NOT_FOUND_TTL), value)
        return value


def _user_or_empty(call: Callable[..., Any], **args: str) -> dict:
    """The `user` of a `users.*` answer; {} when Slack has no such user (other errors raise)."""
    try:
        found = call(**args)
    except SlackApiError as error:
        if error.response.get("error") in NOT_FOUND:
            return {}
        raise
    return found.get("user") or {}


def person_with_slack_id(config: Config, user_id: str) -> str | None:
    """The person whose `slack:` id is `user_id`; None when nobody's is."""
    for key, person in config.people.items():
        if person.slack == user_id:
            return key
    return None


def person_with_email(config: Config, email: str) -> str | None:
    """The person whose `email` is `email` (case-insensitive); None when nobody's is."""
    wanted = email.strip().lower()
    for key, person in config.people.items():
        if person.email and person.email.strip().lower() == wanted:
            return key
    return None


_directories: dict[int, SlackDirectory] = {}
_directories_lock = threading.Lock()


def directory_for(client: WebClient | None) -> SlackDirectory | None:
    """The one directory (and so the one cache) of `client` in this process; None without a client."""
    if client is None:
        return None
    with _directories_lock:
        return _directories.setdefault(id(client), SlackDirectory(client))
