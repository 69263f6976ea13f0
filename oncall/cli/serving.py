"""`serve`: migrations, then gunicorn (see oncall/serve.py)."""

from __future__ import annotations

import argparse

from oncall.pidfiles import chosen_pidfile
from oncall.serve import run_server


def cmd_serve(args: argparse.Namespace) -> int:
    """Run the service on --host:--port; the pidfile is per address unless given."""
    pidfile = chosen_pidfile(args.host, args.port, args.pidfile)
    return run_server(args.host, args.port, args.workers, pidfile)
