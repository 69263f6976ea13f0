"""Fixtures for the email tests: a trustme CA, an SMTP server on loopback, a sender over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from tests.email.mailserver import MailServer, mail_server


@pytest.fixture(scope="session")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def ca_file(ca: trustme.CA, tmp_path: Path) -> str:
    """The CA's certificate as a PEM file: what ONCALL_SMTP_CA_FILE names."""
    path = tmp_path / "smtp-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return str(path)


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A plain SMTP server (no TLS, no login), like a local mail catcher."""
    with mail_server() as server:
        yield server
