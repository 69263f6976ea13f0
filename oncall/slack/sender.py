"""The Slack channel's sender: a page is a DM from the app to the person, with buttons.

The outbox hands it one `Outgoing` (one alert, a storm's bundle, or a notice without alerts);
it posts with `chat.postMessage` to the person's Slack user id (their `slack:` id, or the user
found by their `email`), remembers the message of each alert for later updates, and answers with
the sid "<channel>:<ts>". Failures are returned, never raised (see `oncall.slack.client`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from oncall.clock import Clock
from oncall.config.model import Config
from oncall.db import Database
from oncall.paging.channels import Outgoing
from oncall.paging.providers import Delivery
from oncall.settings import Settings
from oncall.slack import blocks, records
from oncall.slack.client import client_from_settings, failed_delivery
from oncall.slack.users import SlackDirectory, directory_for

log = logging.getLogger("oncall.slack")


class SlackSender:
    """Sends pages as Slack DMs (see the module docstring)."""

    def __init__(
        self,
        client: WebClient,
        db: Database,
        public_url: str,
        *,
        directory: SlackDirectory | None = None,
        clock: Clock | None = None,
        config: Callable[[], Config] | None = None,
    ) -> None:
        self.client, self.db, self.public_url = client, db, public_url.rstrip("/")
        self.directory = directory or directory_for(client) or SlackDirectory(client)
        self.clock = clock or Clock()
        self.config = config

    def send(self, out: Outgoing) -> Delivery:
        """Post `out` to its person's DM; Delivery.accepted("<channel>:<ts>") or the failure."""
        try:
            user = self._user_id(out.address)
        except (SlackApiError, OSError) as error:
            return failed_delivery(error)
        if user is None:
            return Delivery.failed("slack: no Slack user has this person's email", retryable=False)
        config = self.config() if self.config else None
        with self.db.session() as session:
            shown = records.shown_alerts(session, out.alert_ids, self.public_url, config)
        if shown:
            text, body = blocks.message_text(shown), blocks.message_blocks(shown, f"{self.public_url}/alerts")
        else:
            text, body = blocks.escape(out.body[:300]), blocks.notice_blocks(out.body)
        try:
            posted = self.client.chat_postMessage(
                channel=user, text=text, blocks=body, unfurl_links=False, unfurl_media=False
            )
        except (SlackApiError, OSError) as error:
            return failed_delivery(error)
        channel, ts = str(posted.get("channel") or user), str(posted.get("ts") or "")
        self._remember(shown, out.person, channel, ts)
        return Delivery.accepted(f"{channel}:{ts}"[:64], status="sent")

    def _user_id(self, address: str | None) -> str | None:
        """The Slack user id to DM: the address itself, or the user with that email."""
        if not address:
            return None
        if "@" in address:
            return self.directory.user_id_for_email(address)
        return address

    def _remember(self, shown: list[blocks.ShownAlert], person: str, channel: str, ts: str) -> None:
        if not shown or not ts:
            return
        try:
            with self.db.session() as session:
                records.record_dm(session, shown, person=person, channel=channel, ts=ts, now=self.clock.now())
        except Exception:  # the page went out; only its later updates are lost
            log.exception("could not record the Slack message of alerts %s", [a.id for a in shown])


def slack_sender_from_settings(settings: Settings, db: Database, **kwargs) -> SlackSender:
    """The Slack sender for SLACK_BOT_TOKEN at SLACK_API_URL (the runtime registers it)."""
    client = client_from_settings(settings)
    if client is None:
        raise ValueError("SLACK_BOT_TOKEN is not set")
    return SlackSender(client, db, settings.public_url, **kwargs)
