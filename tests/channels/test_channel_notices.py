"""Incident role notices follow the `channels:` mapping, and the weekly action-item digest goes by
email when the owner has an address (else SMS), as `incidents: digest_channels` says."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from oncall import migrate
from oncall.config.model import Config, IncidentSettings
from oncall.configfile.loader import load_config
from oncall.db import Database
from oncall.incidents import service
from oncall.incidents.followups import NO_FOLLOW_UPS
from oncall.incidents.jobs import IncidentJobs
from oncall.incidents.models import IncidentEntry
from oncall.incidents.notify import IncidentPager
from oncall.paging.models import Notification
from tests.channels.recording import RecordingSender, with_channels
from tests.conftest import DEMO_CONFIG

MONDAY_9 = datetime(2026, 3, 30, 0, 0, tzinfo=UTC)  # 09:00 in Seoul
TUESDAY_11 = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 11:00 in Seoul: business hours


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    migrate.ensure_current(database)
    yield database
    database.dispose()


@pytest.fixture
def session(db: Database) -> Iterator[Session]:
    with db.session() as session:
        yield session


def configured(channels: dict[str, tuple[str, ...]], **emails: str | None) -> Config:
    config = load_config(DEMO_CONFIG)
    people = {k: dataclasses.replace(p, email=emails.get(k, p.email)) for k, p in config.people.items()}
    return dataclasses.replace(config, people=people, channels={**config.channels, **channels})


def declare(session: Session, config: Config, severity: str, **roles: str):
    return service.declare(
        session,
        config,
        title="Payment API errors",
        severity=severity,
        now=TUESDAY_11,
        actor="token:ci",
        roles=roles,
        follow=IncidentPager(),
    )


def notices(session: Session, incident_id: int) -> list[tuple[str, str, str]]:
    query = select(Notification.person, Notification.channel, Notification.body).where(
        Notification.incident_id == incident_id
    )
    return [tuple(row) for row in session.execute(query.order_by(Notification.id))]


def test_a_sev1_role_page_goes_on_the_mapped_channels_and_email_has_no_reply_code(session):
    config = configured({"SEV-1": ("sms", "email")}, kim="kim@example.com")
    found = declare(session, config, "SEV-1", commander="kim")
    sms, mail = notices(session, found.id)
    assert sms == (
        "kim",
        "sms",
        f"INC-{found.id} SEV-1 Payment API errors: you are Incident Commander - reply a INC-{found.id} to ack",
    )
    assert mail == ("kim", "email", f"INC-{found.id} SEV-1 Payment API errors: you are Incident Commander")
    lines = session.scalars(select(IncidentEntry.text).where(IncidentEntry.incident_id == found.id)).all()
    assert "Paging Kim (Incident Commander) by SMS and email" in lines


def test_a_sev3_notice_goes_where_a_sev3_page_goes_never_as_a_call(session):
    config = configured({"SEV-3": ("voice", "email")}, lee="lee@example.com")
    found = declare(session, config, "SEV-3", scribe="lee")
    assert notices(session, found.id) == [
        ("lee", "email", f"INC-{found.id} SEV-3 Payment API errors: you are Scribe")
    ]


def test_someone_reachable_on_none_of_the_channels_is_skipped_naming_them(session):
    config = configured({"SEV-1": ("email", "slack")})
    found = declare(session, config, "SEV-1", commander="kim")
    assert notices(session, found.id) == []
    lines = session.scalars(select(IncidentEntry.text).where(IncidentEntry.incident_id == found.id)).all()
    assert "Kim cannot be reached by email or slack and cannot be paged as Incident Commander" in lines


def overdue_item_for_kim(db: Database, config: Config) -> None:
    with db.session() as session:
        incident = service.declare(
            session,
            config,
            title="Payment API errors",
            severity="SEV-2",
            now=MONDAY_9,
            actor="token:ci",
            follow=NO_FOLLOW_UPS,
        )
        service.add_action_item(
            session,
            config,
            incident,
            title="Add EXPLAIN to CI",
            owner="kim",
            due=date(2026, 3, 27),
            priority="P2",
            now=MONDAY_9,
            actor="token:ci",
        )


def digest_channel(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(Notification.channel).where(Notification.key.like("digest:%"))))


@pytest.mark.parametrize(
    ("email", "digest_channels", "expected"),
    [
        ("kim@example.com", ("email", "sms"), ["email"]),
        (None, ("email", "sms"), ["sms"]),
        ("kim@example.com", ("sms",), ["sms"]),
        (None, ("email",), []),  # reachable on none: no digest (the overdue report still lists it)
    ],
)
def test_the_digest_goes_on_the_first_channel_the_owner_has(db, email, digest_channels, expected):
    config = configured({}, kim=email)
    config = dataclasses.replace(config, incidents=IncidentSettings(digest_channels=digest_channels))
    overdue_item_for_kim(db, config)
    IncidentJobs(db, lambda: config).run(MONDAY_9)
    assert digest_channel(db) == expected


@pytest.fixture
def config_path(config_path: Path) -> Path:
    return with_channels(config_path, "channels:\n  SEV-1: [sms, email]", {"kim": "kim@example.com"})


def test_the_engine_hands_the_role_email_to_the_email_sender_as_a_notice(runtime, client, auth):
    email = RecordingSender("email")
    runtime.engine.senders["email"] = email
    body = {"title": "Payment API errors", "severity": "SEV-1", "roles": {"commander": "kim"}}
    answer = client.post("/api/v1/incidents", json=body, headers=auth)
    assert answer.status_code == 201, answer.json
    runtime.engine.tick()
    (out,) = email.sent
    assert (out.person, out.address, out.alert_ids) == ("kim", "kim@example.com", ())
    assert out.body.endswith("you are Incident Commander") and "reply" not in out.body


def test_the_digest_passes_over_a_channel_without_its_settings(db):
    config = configured({}, kim="kim@example.com")
    overdue_item_for_kim(db, config)
    IncidentJobs(db, lambda: config, ready=frozenset({"sms", "voice"})).run(MONDAY_9)  # no SMTP
    assert digest_channel(db) == ["sms"]


def test_without_smtp_the_served_engine_sends_the_digest_by_sms(runtime, clock):
    assert runtime.config.people["kim"].email == "kim@example.com"
    overdue_item_for_kim(runtime.db, runtime.config)
    clock.advance(MONDAY_9 - clock.now())
    runtime.engine.tick()  # the incident jobs run on the tick, told which channels have settings
    assert digest_channel(runtime.db) == ["sms"]
