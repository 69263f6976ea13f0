"""The actionable rate of a rule: a weighted Beta–Binomial posterior and a Wilson interval.

Each labelled page adds `label weight × age decay` to the actionable or the noise side of a
Beta prior (mean 0.7, strength 4 pages by default). The bounds are one-sided 90%: the rule's
rate is below `upper` with 90% posterior probability, above `lower` likewise. No scipy: the
regularized incomplete beta function is a continued fraction (Numerical Recipes §6.4) and the
quantile a bisection, which is plenty for a few hundred rules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# z for a one-sided 90% bound, so the Wilson interval sits beside the Beta bounds it mirrors.
Z_ONE_SIDED_90 = 1.2815515655446004


@dataclass(frozen=True, slots=True)
class Score:
    mean: float
    lower: float  # one-sided 90% lower bound of the actionable rate
    upper: float  # one-sided 90% upper bound
    wilson_low: float
    wilson_high: float
    effective_pages: float  # sum of label weight × decay over labelled pages
    actionable_weight: float
    noise_weight: float
    alpha: float
    beta: float


def decay(age: timedelta, half_life: timedelta) -> float:
    """How much a page of this age still counts: 1 now, 0.5 after one half-life."""
    if age <= timedelta(0):
        return 1.0
    return 0.5 ** (age / half_life)


def score(
    outcomes: Iterable[tuple[bool, float, datetime]],
    now: datetime,
    *,
    prior_mean: float = 0.7,
    prior_strength: float = 4.0,
    half_life: timedelta = timedelta(days=30),
    bound: float = 0.9,
) -> Score:
    """Score `(actionable, label_weight, page_time)` outcomes as of `now`."""
    good = bad = 0.0
    for actionable, weight, at in outcomes:
        w = weight * decay(now - at, half_life)
        if actionable:
            good += w
        else:
            bad += w
    alpha = prior_mean * prior_strength + good
    beta = (1.0 - prior_mean) * prior_strength + bad
    low, high = wilson(good, good + bad)
    return Score(
        mean=alpha / (alpha + beta),
        lower=beta_quantile(1.0 - bound, alpha, beta),
        upper=beta_quantile(bound, alpha, beta),
        wilson_low=low,
        wilson_high=high,
        effective_pages=good + bad,
        actionable_weight=good,
        noise_weight=bad,
        alpha=alpha,
        beta=beta,
    )


def wilson(successes: float, n: float, z: float = Z_ONE_SIDED_90) -> tuple[float, float]:
    """Wilson score interval for a proportion; (0, 1) when there is no evidence."""
    if n <= 0:
        return 0.0, 1.0
    p = successes / n
    z2 = z * z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    # The continued fraction converges fast only on this side of the mean; use symmetry otherwise.
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_continued_fraction(a, b, x) / a
    return 1.0 - front * _beta_continued_fraction(b, a, 1.0 - x) / b


def beta_quantile(p: float, a: float, b: float) -> float:
    """The x with I_x(a, b) = p, by bisection to ~1e-11."""
    lo, hi = 0.0, 1.0
    for _ in range(37):
        mid = (lo + hi) / 2.0
        if beta_cdf(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            delta = d * c
            h *= delta
        if abs(delta - 1.0) < 3e-14:
            break
    return h
