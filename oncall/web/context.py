"""The web layer's way to the runtime: `current_runtime()` inside a request."""

from __future__ import annotations

from flask import Flask, current_app

from oncall.runtime import Runtime

EXTENSION = "oncall"


def install_runtime(app: Flask, runtime: Runtime) -> None:
    """Make `runtime` the one `current_runtime()` returns for this app's requests."""
    app.extensions[EXTENSION] = runtime


def current_runtime() -> Runtime:
    """The runtime of the Flask app handling this request."""
    return current_app.extensions[EXTENSION]
