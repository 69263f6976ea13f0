"""Where an alert goes (pure): the first route whose labels match.

When it may page (business hours, SEV-4 never) is a severity rule: `oncall.severity`.
"""

from __future__ import annotations

from oncall.config.model import Config, Route


def route_for(config: Config, labels: dict[str, str]) -> Route | None:
    """The first route whose `match` labels all equal the alert's; None when none matches."""
    for route in config.routes:
        if all(labels.get(k) == v for k, v in route.match):
            return route
    return None
