"""`create_app()`: settings, database, configuration, notifier, engine and routes in one place."""

from __future__ import annotations

import atexit
import logging
import secrets
from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from alertaudit.history import database_history
from alertaudit.jobs import schedule_daily
from alertaudit.state import severity_adjuster
from oncall import migrate
from oncall.calendar.views import bp as calendar_bp
from oncall.clock import Clock
from oncall.config.store import ConfigStore
from oncall.db import Database
from oncall.escalation.engine import Engine
from oncall.escalation.scheduler import start_scheduler
from oncall.logs import configure_logging
from oncall.metrics import install_metrics
from oncall.metrics import views as metrics_views
from oncall.paging.providers import ConsoleNotifier, Notifier
from oncall.paging.twilio_provider import notifier_from_settings
from oncall.services import Services
from oncall.settings import Settings
from oncall.ui.views import bp as ui_bp
from oncall.web import api_alerts, api_audit, api_schedule, health, openapi, twilio
from oncall.web.errors import register_error_handlers
from oncall.web.headers import install_security_headers

log = logging.getLogger("oncall")


def build_services(
    settings: Settings | None = None, clock: Clock | None = None, migrate_db: bool = True
) -> Services:
    """Everything but the web layer: used by the app, the CLI and tests."""
    settings = settings or Settings.from_env()
    clock = clock or Clock()
    db = Database(settings.database_url)
    if migrate_db:
        migrate.upgrade(db)
    store = ConfigStore(settings.config_path, clock=clock)
    return Services(settings=settings, db=db, clock=clock, config_store=store)


def create_app(
    settings: Settings | None = None,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    start_background: bool | None = None,
    services: Services | None = None,
) -> Flask:
    """The Flask app. `start_background` (default: settings.engine_enabled) starts the scheduler."""
    services = services or build_services(settings, clock)
    settings = services.settings
    configure_logging(settings.log_format)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=12)
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_SECURE"] = settings.public_url.startswith("https://")
    if settings.proxy_hops > 0:
        # Trust X-Forwarded-For/-Proto/-Host from exactly that many proxies (never from clients).
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    install_security_headers(app)
    app.extensions["oncall"] = services

    if notifier is None:
        notifier = notifier_from_settings(settings) if settings.twilio_configured else ConsoleNotifier()
    services.extras["notifier"] = notifier
    engine = Engine(services, notifier, voice_delay=timedelta(seconds=settings.voice_delay_seconds))
    services.extras["engine"] = engine
    services.extras.setdefault("observers", [])
    install_metrics(services, engine)
    _install_auditor(services)

    _register_blueprints(app)
    if start_background is None:
        start_background = settings.engine_enabled
    if start_background:
        scheduler, kick = start_scheduler(
            engine.tick,
            settings.engine_interval,
            config_check=services.config_store.check_for_change,
            config_interval=settings.config_poll_interval,
        )
        schedule_daily(scheduler, services)
        engine.kick_hook = kick
        services.extras["scheduler"] = scheduler
        atexit.register(lambda: scheduler.shutdown(wait=False))
    log.info(
        "oncall ready: config %s, database %s, notifier %s",
        settings.config_path,
        services.db.engine.dialect.name,
        type(notifier).__name__,
    )
    return app


def _install_auditor(services: Services) -> None:
    """The auditor's effect on paging: severity as adjusted by its decisions."""
    services.extras["severity_adjuster"] = severity_adjuster
    services.extras["audit_history"] = database_history(services)


def _register_blueprints(app: Flask) -> None:
    register_error_handlers(app)
    for bp in (
        health.bp,
        api_alerts.bp,
        api_schedule.bp,
        api_audit.bp,
        openapi.bp,
        twilio.bp,
        calendar_bp,
        metrics_views.bp,
        ui_bp,
    ):
        app.register_blueprint(bp)
