"""`create_app()`: the web edge over the runtime (`oncall.runtime.build_runtime`): routes, security
headers, sessions, metrics, and in a serving process the background jobs."""

from __future__ import annotations

import atexit
import logging
import secrets
from datetime import timedelta

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from alertaudit.jobs import schedule_daily
from oncall.calendar.views import bp as calendar_bp
from oncall.clock import Clock
from oncall.escalation.scheduler import start_scheduler
from oncall.logs import configure_logging
from oncall.metrics import install_metrics
from oncall.metrics import views as metrics_views
from oncall.paging.channels import unconfigured_in_use
from oncall.paging.providers import Notifier
from oncall.runtime import Runtime, build_runtime
from oncall.settings import Settings
from oncall.ui.views import bp as ui_bp
from oncall.web import (
    api_alerts,
    api_audit,
    api_heartbeats,
    api_incidents,
    api_maintenance,
    api_schedule,
    health,
    openapi_route,
    slack,
    twilio,
)
from oncall.web.context import install_runtime
from oncall.web.errors import register_error_handlers
from oncall.web.headers import install_security_headers
from oncall.web.inflight import InFlight

SCHEDULER = "oncall.scheduler"  # app.extensions key of the background scheduler, when started

log = logging.getLogger("oncall")


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock | None = None,
    notifier: Notifier | None = None,
    start_background: bool | None = None,
    runtime: Runtime | None = None,
) -> Flask:
    """The Flask app over `runtime` (built by `build_runtime` from the other arguments if not given).

    `start_background` (default: settings.engine_enabled) starts the engine and audit jobs.
    """
    if runtime is None:
        runtime = build_runtime(settings, clock=clock, notifier=notifier)
    elif settings is not None or clock is not None or notifier is not None:
        raise TypeError("create_app takes a runtime or the parts to build one, not both")
    settings = runtime.settings
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
    install_runtime(app, runtime)
    install_metrics(runtime.events)
    _register_blueprints(app)
    if start_background is None:
        start_background = settings.engine_enabled
    if start_background:
        app.extensions[SCHEDULER] = _start_background(runtime)
        _engine_makes_way(app, runtime)
        if missing := unconfigured_in_use(runtime.config, runtime.engine.senders):
            log.warning(
                "channels named in the configuration have no settings, their pages fail: %s",
                ", ".join(missing),
            )
    log.info(
        "oncall ready: config %s, database %s, notifier %s",
        settings.config_path,
        runtime.db.engine.dialect.name,
        type(runtime.notifier).__name__,
    )
    return app


def _start_background(runtime: Runtime):
    """The engine tick, the config-file watch and the daily audit on one APScheduler."""
    settings = runtime.settings
    scheduler, kick = start_scheduler(
        runtime.engine.tick,
        settings.engine_interval,
        config_check=runtime.config_store.check_for_change,
        config_interval=settings.config_poll_interval,
    )
    schedule_daily(scheduler, runtime)
    runtime.engine.kick_hook = kick
    atexit.register(lambda: scheduler.running and scheduler.shutdown(wait=False))
    return scheduler


def _engine_makes_way(app: Flask, runtime: Runtime) -> None:
    """The engine's thread waits while this process answers requests (see oncall.web.inflight)."""
    inflight = InFlight(app.wsgi_app)
    app.wsgi_app = inflight  # type: ignore[method-assign]
    runtime.engine.make_way = inflight.wait_for_quiet


def _register_blueprints(app: Flask) -> None:
    register_error_handlers(app)
    for bp in (
        health.bp,
        api_alerts.bp,
        api_schedule.bp,
        api_audit.bp,
        api_incidents.bp,
        api_maintenance.bp,
        api_heartbeats.bp,
        openapi_route.bp,
        twilio.bp,
        slack.bp,
        calendar_bp,
        metrics_views.bp,
        ui_bp,
    ):
        app.register_blueprint(bp)
