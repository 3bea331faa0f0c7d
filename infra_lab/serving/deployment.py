r"""Deployment: how likely a canary catches a regression, and what the network adds to latency.

The article's release strategies and serving modes are course data, tabulated in
:func:`infra_lab.article.deployment_strategies`; this module holds the two formulas behind
the chapter's deployment section.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from infra_lab._checks import count, finite_result, flag, fraction, nonnegative, number, option, positive, require, \
    scalar_or_array

__all__ = ["canary_detection_probability", "network_latency_ms", "FIBRE_US_PER_KM"]


def canary_detection_probability(baseline_error_rate: Any, regressed_error_rate: Any, canary_share: Any,
                                 total_requests: Any, alpha: Any = 0.05, subgroup_share: Any = 1.0,
                                 method: str = "exact") -> Any:
    r"""Probability that a canary analysis detects an error-rate regression (statistical power).

    The canary receives :math:`n = \lfloor share \cdot N \rfloor` requests. If the regression
    affects only a subgroup holding a fraction ``g`` of traffic, the canary's error rate is
    diluted to

    .. math:: p_{eff} = (1 - g)\,p_0 + g\,p_1 .

    The analysis is a one-sided test of :math:`H_0: p = p_0` against :math:`p > p_0`, with
    the baseline rate :math:`p_0` treated as known (the stable fleet serves most traffic, so
    its rate is estimated far more precisely; a two-sample test has somewhat less power).

    - ``method="exact"`` (default): reject when the canary's error count X exceeds
      :math:`k = \text{binom.isf}(\alpha, n, p_0)`, so the size is at most α; power
      :math:`P(X > k \mid n, p_{eff})`. Discreteness makes it a saw-tooth in n.
    - ``method="normal"``: the textbook normal approximation
      :math:`\Phi\big((\sqrt{n}\,(p_{eff}-p_0) - z_{1-\alpha}\sqrt{p_0 q_0}) / \sqrt{p_{eff} q_{eff}}\big)`,
      smooth and monotone in n.

    Small canaries (small ``n``) and subgroup regressions (small ``g``) both shrink the
    detectable effect, which is why a 1 % canary can ship a bug that hurts one customer
    segment. Broadcasts.

    Parameters
    ----------
    baseline_error_rate : float or array_like
        p₀ in (0, 1).
    regressed_error_rate : float or array_like
        p₁ in [0, 1], the new version's error rate inside the affected subgroup.
    canary_share : float or array_like
        Fraction of traffic routed to the canary, in (0, 1].
    total_requests : int or array_like of int
        Requests during the analysis window, a whole number ≥ 1.
    alpha : float, default 0.05
        Significance level in (0, 1).
    subgroup_share : float or array_like, default 1.0
        g in (0, 1]: the fraction of traffic the regression affects.
    method : {"exact", "normal"}, default "exact"
        The exact binomial test or its normal approximation.

    Returns
    -------
    float or numpy.ndarray
        The power, in [0, 1].

    See Also
    --------
    latency_budget : the other release check of the chapter, on latency.
    infra_lab.article.deployment_strategies : the release strategies compared.

    References
    ----------
    Fleiss, J. L., Levin, B. & Paik, M. C., *Statistical Methods for Rates and Proportions*,
    3rd ed., Wiley 2003, ch. 2 (inference for a single proportion: the one-sample test and
    its sample size).

    Examples
    --------
    Baseline 1 % errors, regressed to 2 %, 10 000 requests in the window:

    >>> round(canary_detection_probability(0.01, 0.02, 0.05, 10_000), 3)     # 500 canary requests
    0.543
    >>> round(canary_detection_probability(0.01, 0.02, 0.05, 10_000, subgroup_share=0.1), 3)
    0.053
    """
    p0 = fraction("baseline_error_rate", baseline_error_rate, low_open=True, high_open=True)
    p1 = fraction("regressed_error_rate", regressed_error_rate)
    share = fraction("canary_share", canary_share, low_open=True)
    total = count("total_requests", total_requests, minimum=1)
    a = float(fraction("alpha", alpha, low_open=True, high_open=True))
    g = fraction("subgroup_share", subgroup_share, low_open=True)
    how = option("method", method, ("exact", "normal"))
    n = np.floor(share * total)
    require(n >= 1, "canary_share", canary_share,
            f"× total_requests={total_requests!r} must give the canary ≥ 1 request")
    p_eff = (1.0 - g) * p0 + g * p1
    if how == "exact":
        k = stats.binom.isf(a, n, p0)
        power = stats.binom.sf(k, n, p_eff)
    else:
        z = stats.norm.ppf(1.0 - a)
        sd1 = np.sqrt(p_eff * (1.0 - p_eff))
        with np.errstate(divide="ignore", invalid="ignore"):
            arg = (np.sqrt(n) * (p_eff - p0) - z * np.sqrt(p0 * (1.0 - p0))) / sd1
        # p_eff ∈ {0, 1}: no variance; the test rejects for sure iff the effect is positive.
        arg = np.where(sd1 > 0, arg, np.where(p_eff > p0, np.inf, -np.inf))
        power = stats.norm.cdf(arg)
    return scalar_or_array(finite_result("canary_detection_probability", np.asarray(power, dtype=float)))


#: One-way propagation delay in optical fibre, µs per km (planning round-up). Light in fibre
#: travels at v = c / n_g; the group index of standard single-mode silica fibre is
#: n_g ≈ 1.47, so v ≈ 204 000 km/s ≈ 2/3 c, i.e. 4.9 µs/km.
FIBRE_US_PER_KM: float = 5.0


def network_latency_ms(distance_km: Any, route_factor: Any = 1.0, hops: Any = 0, per_hop_ms: Any = 0.0,
                       round_trip: bool = True, us_per_km: Any = FIBRE_US_PER_KM) -> Any:
    r"""Network latency over fibre: propagation plus per-hop processing, in ms.

    .. math:: t = k \cdot \big(route \cdot d \cdot v^{-1} + hops \cdot t_{hop}\big), \quad
              k = 2 \text{ (round trip) or } 1, \quad v^{-1} = 5\,\mu s/km

    Light in silica fibre travels at v = c/n_g, n_g ≈ 1.47 for standard single-mode fibre,
    i.e. about 2/3 of its vacuum speed (≈ 204 000 km/s, 4.9 µs/km; 5 µs/km is the usual
    planning round-up, :data:`FIBRE_US_PER_KM`). ``route_factor`` ≥ 1 accounts for fibre
    paths being longer than the great-circle distance; ``hops × per_hop_ms`` adds
    router/switch/queueing delay per hop. The defaults give the physical lower bound — why
    an edge site 50 km away answers in about half a millisecond while a cloud region 2000 km
    away can never beat 20 ms. Broadcasts.

    Parameters
    ----------
    distance_km : float or array_like
        Great-circle distance, km; finite, ≥ 0.
    route_factor : float or array_like, default 1.0
        Path length over great-circle distance; finite, ≥ 1.
    hops : int or array_like of int, default 0
        Network hops one way, a whole number ≥ 0.
    per_hop_ms : float or array_like, default 0.0
        Processing and queueing per hop, ms; finite, ≥ 0.
    round_trip : bool, default True
        Double the one-way time (request and response).
    us_per_km : float, default 5.0
        One-way propagation delay, µs/km; finite, > 0.

    Returns
    -------
    float or numpy.ndarray
        Latency, ms.

    See Also
    --------
    latency_budget : add it to the other components of a request path.

    References
    ----------
    Kurose, J. F. & Ross, K. W., *Computer Networking: A Top-Down Approach*, 7th ed.,
    §1.4 (delay in packet-switched networks: processing, queueing, transmission and
    propagation delay; propagation speed 2·10⁸–3·10⁸ m/s).

    Examples
    --------
    >>> network_latency_ms(2000)                 # cloud region 2000 km away, RTT lower bound
    20.0
    >>> network_latency_ms([50, 2000], route_factor=1.5, hops=[3, 12], per_hop_ms=0.1).tolist()
    [1.35, 32.4]
    """
    d = nonnegative("distance_km", distance_km, unit="km")
    rf = number("route_factor", route_factor, low=1.0)
    h = count("hops", hops)
    ph = nonnegative("per_hop_ms", per_hop_ms, unit="ms")
    both_ways = flag("round_trip", round_trip)
    v_inv = positive("us_per_km", us_per_km, unit="µs/km")
    with np.errstate(over="ignore", invalid="ignore"):
        t = (rf * d * v_inv / 1000.0 + h * ph) * (2.0 if both_ways else 1.0)
    finite_result("network_latency_ms", t, "distance_km, route_factor or us_per_km is too large")
    # Rounding to 1e-12 ms removes float noise (1.35, not 1.3500000000000003); beyond 1e200
    # ms the rounding itself would overflow, and there is no noise worth removing.
    return scalar_or_array(np.where(np.abs(t) < 1e200, np.round(np.where(np.abs(t) < 1e200, t, 0.0), 12), t))
