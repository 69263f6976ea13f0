"""Routing through the route index: the same first match as scanning, with few routes compared."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from oncall.alerts.policy import RouteIndex, route_index
from oncall.config.model import Route

LABELS = ("team", "env", "service")
VALUES = ("a", "b", "c")


def scan(routes: tuple[Route, ...], labels: dict[str, str]) -> Route | None:
    """The specification: the first route, in order, whose match items all equal the labels."""
    for route in routes:
        if all(labels.get(k) == v for k, v in route.match):
            return route
    return None


def many_routes(count: int) -> tuple[Route, ...]:
    """`count` routes on env=prod plus a service of their own, then a catch-all."""
    keyed = tuple(Route(f"p{n}", (("env", "prod"), ("service", f"s{n}"))) for n in range(count))
    return (*keyed, Route("fallback"))


routes_strategy = st.lists(
    st.builds(
        Route,
        st.sampled_from(("x", "y", "z")),
        st.dictionaries(st.sampled_from(LABELS), st.sampled_from(VALUES), max_size=3).map(
            lambda d: tuple(d.items())
        ),
    ),
    max_size=12,
).map(tuple)
labels_strategy = st.dictionaries(st.sampled_from((*LABELS, "other")), st.sampled_from(VALUES), max_size=4)


@given(routes_strategy, labels_strategy)
def test_the_index_finds_the_same_first_route_as_a_scan(routes, labels):
    assert RouteIndex.build(routes).first_match(labels) == scan(routes, labels)


def test_an_alert_is_compared_with_its_own_route_and_the_catch_all_only():
    routes = many_routes(1000)
    index = RouteIndex.build(routes)

    assert index.candidates({"env": "prod", "service": "s999", "severity": "critical"}) == [999, 1000]
    assert index.first_match({"env": "prod", "service": "s999"}).escalation == "p999"
    assert index.first_match({"env": "staging", "service": "s999"}).escalation == "fallback"


def test_a_route_is_filed_under_its_rarest_label_so_a_shared_one_does_not_list_every_route():
    index = RouteIndex.build(many_routes(100))

    assert "env" not in index.by_label
    assert len(index.by_label["service"]) == 100


def test_an_earlier_catch_all_still_wins_over_a_later_exact_route():
    routes = (Route("early", (("team", "a"),)), Route("all"), Route("late", (("team", "b"),)))

    assert RouteIndex.build(routes).first_match({"team": "b"}).escalation == "all"
    assert RouteIndex.build(routes).first_match({"team": "a"}).escalation == "early"


def test_the_index_is_built_once_per_configuration_and_again_for_a_new_one():
    routes = many_routes(10)
    reloaded = many_routes(10)

    assert route_index(routes) is route_index(routes)
    assert route_index(reloaded) is not route_index(routes)
    assert route_index(reloaded).routes is reloaded
