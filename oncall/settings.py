"""The one settings object, read from the environment (docs/deploy.md)."""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_DRIVER = "postgresql+psycopg"  # psycopg 3, the one PostgreSQL driver installed
# How libpq, Heroku and most hosting panels spell a PostgreSQL URL: both mean psycopg here.
POSTGRES_SCHEMES = ("postgres", "postgresql")
SUPPORTED_SCHEMES = ("sqlite", POSTGRES_DRIVER)
_PASSWORD_PARAM = re.compile(r"(?i)([?&]password=)[^&#]*")


class SettingsError(ValueError):
    """An environment variable's value the service cannot use; the message names the variable."""


class DatabaseUrlError(SettingsError):
    """DATABASE_URL names a database this service cannot use; the message hides the password."""


# Numeric settings: variable -> (attribute, type, smallest allowed, what the number is).
NUMBERS = {
    "ONCALL_MAX_BODY_BYTES": ("max_body_bytes", int, 1, "a whole number of bytes"),
    "ONCALL_MAX_CONFIG_BYTES": ("max_config_bytes", int, 1, "a whole number of bytes"),
    "ONCALL_PROXY_HOPS": ("proxy_hops", int, 0, "a whole number of proxies (0 or more)"),
    "TWILIO_TIMEOUT": ("twilio_timeout", float, 0.001, "seconds, more than 0"),
    "ONCALL_VOICE_DELAY": ("voice_delay_seconds", float, 0.0, "seconds, 0 or more"),
    "ONCALL_ENGINE_INTERVAL": ("engine_interval", float, 0.001, "seconds, more than 0"),
    "ONCALL_SMTP_TIMEOUT": ("smtp_timeout", float, 0.001, "seconds, more than 0"),
}


def _number(var: str, text: str) -> int | float:
    """The value of the numeric setting `var`; SettingsError naming it when it is not one."""
    _, kind, smallest, meaning = NUMBERS[var]
    try:
        value = kind(text.strip())
    except ValueError:
        raise SettingsError(f"{var} must be {meaning}, got {text[:40]!r}") from None
    if not math.isfinite(value) or value < smallest:
        raise SettingsError(f"{var} must be {meaning}, got {text[:40]!r}")
    return value


def driver_url(url: str) -> str:
    """`url` naming the installed PostgreSQL driver: postgres:// and postgresql:// become
    postgresql+psycopg://; any other URL is returned as given."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in POSTGRES_SCHEMES:
        return f"{POSTGRES_DRIVER}://{rest}"
    return url


def redacted_url(url: str) -> str:
    """`url` fit for a log line or an error message: any password shown as ***."""
    parts = urlsplit(url)
    shown = url
    if parts.password is not None:
        host = parts.netloc.rpartition("@")[2]
        shown = shown.replace(parts.netloc, f"{parts.username}:***@{host}", 1)
    return _PASSWORD_PARAM.sub(r"\1***", shown)


def checked_database_url(url: str) -> str:
    """`url` with its driver named (see `driver_url`); DatabaseUrlError for an unsupported one."""
    url = driver_url(url)
    scheme = url.partition("://")[0].lower()
    if scheme.partition("+")[0] == "sqlite" or scheme == POSTGRES_DRIVER:
        return url
    raise DatabaseUrlError(
        f"DATABASE_URL {redacted_url(url)!r} is not supported: use postgresql://USER:PASSWORD@HOST/DB"
        " (postgres:// works too) or sqlite:///PATH"
    )


SMTP_PORTS = {"smtp": 587, "smtps": 465}  # the default port of each ONCALL_SMTP_URL scheme
_SMTP_HOW = "use smtp://USER:PASSWORD@HOST:587 (STARTTLS) or smtps://USER:PASSWORD@HOST:465 (TLS)"


@dataclass(frozen=True)
class SmtpServer:
    """Where and how mail is handed over (ONCALL_SMTP_URL, docs/channels.md)."""

    host: str
    port: int
    implicit_tls: bool  # smtps://: TLS from the first byte; smtp://: STARTTLS when the server offers it
    starttls_required: bool  # smtp://...?starttls=required: never plain text, even without a login
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def smtp_server(url: str) -> SmtpServer:
    """ONCALL_SMTP_URL read (user and password URL-decoded); SettingsError without the password."""

    def refused(why: str) -> SettingsError:
        return SettingsError(f"ONCALL_SMTP_URL {redacted_url(url)!r} {why}: {_SMTP_HOW}")

    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in SMTP_PORTS:
        raise refused("is not an SMTP URL")
    try:
        port = parts.port or SMTP_PORTS[scheme]
    except ValueError:
        raise refused("has a port that is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise refused("names no host")
    if parts.path not in ("", "/") or parts.fragment:
        raise refused("has a path")
    query = parse_qs(parts.query, keep_blank_values=True)
    if (
        set(query) - {"starttls"}
        or query.get("starttls", ["required"]) != ["required"]
        or (scheme == "smtps" and query)
    ):
        raise refused("has an option other than ?starttls=required (smtp:// only)")
    if parts.username and parts.password is None:
        raise refused("has a user but no password")
    return SmtpServer(
        host=parts.hostname,
        port=port,
        implicit_tls=scheme == "smtps",
        starttls_required="starttls" in query,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
    )


def checked_mail_from(text: str | None) -> str:
    """ONCALL_MAIL_FROM ("oncall@example.com" or "On-call <oncall@example.com>"); SettingsError if unusable."""
    if not text:
        raise SettingsError(
            "ONCALL_MAIL_FROM is required when ONCALL_SMTP_URL is set: the sender of every mail,"
            " e.g. oncall@example.com"
        )
    address = parseaddr(text)[1]
    if "@" not in address or any(ch in text for ch in "\r\n") or not address.rpartition("@")[2]:
        raise SettingsError(
            f"ONCALL_MAIL_FROM must be an email address like oncall@example.com, got {text[:60]!r}"
        )
    return text.strip()


def _default_database_url() -> str:
    return f"sqlite:///{ROOT / 'var' / 'oncall.db'}"


@dataclass(frozen=True)
class Settings:
    config_path: str = str(ROOT / "config" / "oncall.yaml")
    database_url: str = field(default_factory=_default_database_url)
    public_url: str = "http://127.0.0.1:8080"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = field(default=None, repr=False)
    twilio_from_number: str | None = None
    twilio_api_url: str | None = None  # None: Twilio's own
    twilio_timeout: float = 5.0  # seconds for one Twilio REST call before it counts as failed
    secret_key: str | None = field(
        default=None, repr=False
    )  # Flask session signing; random per process when unset
    log_format: str = "text"  # "text" | "json"
    ui_read_login: bool = False  # the web UI's reading pages need a sign-in too
    # Reverse proxies in front of the service whose X-Forwarded-For/-Proto/-Host are trusted
    # (0: none, the headers are ignored; a client could forge them).
    proxy_hops: int = 0
    max_body_bytes: int = 1_000_000
    max_config_bytes: int = 1_000_000  # a larger configuration file is refused, not read
    engine_enabled: bool = True
    # Seconds between engine ticks. New alerts and replies wake the engine at once; the interval
    # bounds how late a step that falls due between events can be (docs/performance.md: p99 <= 1 s).
    engine_interval: float = 0.5
    config_poll_interval: float = 2.0  # seconds between config-file change checks
    voice_delay_seconds: float = 120.0  # SEV-2: call when the SMS is not acked within this
    slack_bot_token: str | None = field(default=None, repr=False)  # xoxb-…: the Slack channel
    slack_api_url: str = "https://slack.com/api/"  # the Slack Web API (a fake one in tests)
    slack_signing_secret: str | None = field(default=None, repr=False)  # verifies /slack/interactions
    smtp_url: str | None = field(default=None, repr=False)  # email channel; holds the SMTP password
    mail_from: str | None = None  # the From of every mail; required with smtp_url
    smtp_timeout: float = 10.0  # seconds for one SMTP conversation step before it counts as failed
    smtp_ca_file: str | None = None  # PEM bundle to trust for the SMTP server's certificate

    def __post_init__(self) -> None:
        object.__setattr__(self, "database_url", checked_database_url(self.database_url))
        if self.smtp_url:
            smtp_server(self.smtp_url)  # a malformed URL stops the start with one clear line
            object.__setattr__(self, "mail_from", checked_mail_from(self.mail_from))
        if self.smtp_ca_file and not Path(self.smtp_ca_file).is_file():
            raise SettingsError(f"ONCALL_SMTP_CA_FILE {self.smtp_ca_file!r} is not a readable file")

    @property
    def smtp(self) -> SmtpServer | None:
        """The SMTP server of the email channel, None when ONCALL_SMTP_URL is not set."""
        return smtp_server(self.smtp_url) if self.smtp_url else None

    @property
    def twilio_configured(self) -> bool:
        return bool(self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides) -> Settings:
        env = dict(os.environ if env is None else env)
        values: dict = {}
        mapping = {
            "ONCALL_CONFIG": "config_path",
            "DATABASE_URL": "database_url",
            "ONCALL_PUBLIC_URL": "public_url",
            "TWILIO_ACCOUNT_SID": "twilio_account_sid",
            "TWILIO_AUTH_TOKEN": "twilio_auth_token",
            "TWILIO_FROM_NUMBER": "twilio_from_number",
            "TWILIO_API_URL": "twilio_api_url",
            "ONCALL_SECRET_KEY": "secret_key",
            "ONCALL_LOG_FORMAT": "log_format",
            "SLACK_BOT_TOKEN": "slack_bot_token",
            "SLACK_API_URL": "slack_api_url",
            "SLACK_SIGNING_SECRET": "slack_signing_secret",
            "ONCALL_SMTP_URL": "smtp_url",
            "ONCALL_MAIL_FROM": "mail_from",
            "ONCALL_SMTP_CA_FILE": "smtp_ca_file",
        }
        for var, attr in mapping.items():
            if env.get(var):
                values[attr] = env[var]
        for var, (attr, *_) in NUMBERS.items():
            if env.get(var):
                values[attr] = _number(var, env[var])
        if env.get("ONCALL_UI_READ_LOGIN", "").strip().lower() in ("1", "true", "yes", "on"):
            values["ui_read_login"] = True
        if env.get("ONCALL_ENGINE", "").lower() in ("0", "off", "false", "no"):
            values["engine_enabled"] = False
        values.update(overrides)
        values["public_url"] = values.get("public_url", cls.public_url).rstrip("/")
        return cls(**values)
