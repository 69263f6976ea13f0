"""Where an alert goes (pure): the first route whose labels match.

When it may page (business hours, SEV-4 never) is a severity rule: `oncall.severity`.

Routes are looked up through an index rather than scanned: each route is filed under one of its
`match` items (the one fewest routes share), so an alert is compared only with the routes filed
under one of its own label values, plus the routes that match everything. First match still
wins: the candidates are tried in the configuration's order. With hundreds of routes an alert
costs a few dictionary lookups instead of a pass over every route.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from oncall.config.model import Config, Route

_CACHE_SIZE = 8  # configurations whose index is kept (a reload makes a new one)


@dataclass(frozen=True)
class RouteIndex:
    """Routes filed by label name, then value, as positions in the configuration's order."""

    routes: tuple[Route, ...]
    by_label: Mapping[str, Mapping[str, tuple[int, ...]]]
    match_all: tuple[int, ...]  # routes with an empty `match`: every alert is a candidate

    @classmethod
    def build(cls, routes: tuple[Route, ...]) -> RouteIndex:
        """File each route under its rarest `match` item (ties: the first one written)."""
        shared = Counter(item for route in routes for item in set(route.match))
        by_label: dict[str, dict[str, list[int]]] = {}
        match_all = []
        for position, route in enumerate(routes):
            if not route.match:
                match_all.append(position)
                continue
            label, value = min(route.match, key=lambda item: shared[item])
            by_label.setdefault(label, {}).setdefault(value, []).append(position)
        frozen = {label: {v: tuple(p) for v, p in values.items()} for label, values in by_label.items()}
        return cls(routes, frozen, tuple(match_all))

    def candidates(self, labels: Mapping[str, str]) -> list[int]:
        """Positions of the routes that may match `labels`, in the configuration's order."""
        found = list(self.match_all)
        for label, values in self.by_label.items():
            value = labels.get(label)
            if value is not None:
                found.extend(values.get(value, ()))
        return sorted(found)

    def first_match(self, labels: Mapping[str, str]) -> Route | None:
        """The first route whose `match` labels all equal the alert's; None when none matches."""
        for position in self.candidates(labels):
            route = self.routes[position]
            if all(labels.get(k) == v for k, v in route.match):
                return route
        return None


_indexes: dict[int, RouteIndex] = {}
_lock = threading.Lock()


def route_index(routes: tuple[Route, ...]) -> RouteIndex:
    """The index of this tuple of routes, built once per configuration and kept."""
    index = _indexes.get(id(routes))
    if index is not None and index.routes is routes:  # the index holds the tuple: its id is not reused
        return index
    index = RouteIndex.build(routes)
    with _lock:
        while len(_indexes) >= _CACHE_SIZE:
            _indexes.pop(next(iter(_indexes)))
        _indexes[id(routes)] = index
    return index


def route_for(config: Config, labels: dict[str, str]) -> Route | None:
    """The first route whose `match` labels all equal the alert's; None when none matches."""
    return route_index(config.routes).first_match(labels)
