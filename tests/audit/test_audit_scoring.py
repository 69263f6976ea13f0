"""The score by hand: Beta(0.7*4 + actionable, 0.3*4 + noise) and its one-sided 90% bounds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from audit_builders import NOW

from alertaudit.scoring import beta_cdf, beta_quantile, decay, score, wilson

DAY = timedelta(days=1)


def outcomes(actionable: int, noise: int, age: timedelta = timedelta(0), weight: float = 1.0):
    at = NOW - age
    return [(True, weight, at)] * actionable + [(False, weight, at)] * noise


@pytest.mark.parametrize(
    ("actionable", "total", "mean", "lower", "upper"),
    [
        # alpha = 2.8 + k, beta = 1.2 + n - k; bounds checked against an independent
        # bisection of the incomplete beta function.
        pytest.param(0, 0, 0.7, 0.4005, 0.9423, id="prior only"),
        pytest.param(0, 6, 0.28, 0.1146, 0.4669, id="0 of 6: upper below 0.5"),
        pytest.param(2, 10, 0.3429, 0.1884, 0.5080, id="2 of 10: upper just above 0.5"),
        pytest.param(9, 12, 0.7375, 0.5927, 0.8685, id="9 of 12"),
        pytest.param(5, 5, 0.8667, 0.7156, 0.9785, id="5 of 5: lower above 0.7"),
    ],
)
def test_posterior_matches_hand_computation(actionable, total, mean, lower, upper):
    s = score(outcomes(actionable, total - actionable), NOW)
    assert s.mean == pytest.approx(mean, abs=1e-4)
    assert s.lower == pytest.approx(lower, abs=2e-4)
    assert s.upper == pytest.approx(upper, abs=2e-4)
    assert s.effective_pages == pytest.approx(total)


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        pytest.param(timedelta(0), 1.0, id="now counts fully"),
        pytest.param(30 * DAY, 0.5, id="30 days old counts half"),
        pytest.param(60 * DAY, 0.25, id="60 days old counts a quarter"),
        pytest.param(-DAY, 1.0, id="future page counts fully"),
    ],
)
def test_decay_halves_per_half_life(age, expected):
    assert decay(age, 30 * DAY) == pytest.approx(expected)


def test_a_30_day_old_page_adds_half_a_page_to_the_posterior():
    fresh = score(outcomes(0, 1), NOW)
    old = score(outcomes(0, 1, age=30 * DAY), NOW)
    assert fresh.beta == pytest.approx(1.2 + 1.0)
    assert old.beta == pytest.approx(1.2 + 0.5)
    assert old.effective_pages == pytest.approx(0.5)


def test_label_weight_multiplies_with_decay():
    s = score(outcomes(0, 2, age=30 * DAY, weight=0.75), NOW)
    assert s.noise_weight == pytest.approx(2 * 0.75 * 0.5)


@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        pytest.param(0, 0, 0.0, 1.0, id="no evidence"),
        pytest.param(5, 10, 0.3122, 0.6878, id="half of ten"),
        pytest.param(0, 6, 0.0, 0.2149, id="none of six"),
        pytest.param(10, 10, 0.8589, 1.0, id="all of ten"),
    ],
)
def test_wilson_interval(successes, n, low, high):
    got_low, got_high = wilson(successes, n)
    assert got_low == pytest.approx(low, abs=2e-4)
    assert got_high == pytest.approx(high, abs=2e-4)


@pytest.mark.parametrize(
    ("p", "a", "b", "expected"),
    [
        pytest.param(0.9, 1.0, 1.0, 0.9, id="uniform"),
        pytest.param(0.25, 2.0, 1.0, 0.5, id="Beta(2,1): sqrt(p)"),
        pytest.param(0.75, 1.0, 2.0, 0.5, id="Beta(1,2): 1-sqrt(1-p)"),
        pytest.param(0.5, 30.0, 30.0, 0.5, id="symmetric median"),
    ],
)
def test_beta_quantile_known_values(p, a, b, expected):
    assert beta_quantile(p, a, b) == pytest.approx(expected, abs=1e-9)
    assert beta_cdf(expected, a, b) == pytest.approx(p, abs=1e-9)
