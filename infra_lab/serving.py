r"""Serving capacity, queueing theory, queue simulation and deployment strategies.

The article's worked example ("Serving Capacity and Latency Budget") sizes a service with
two formulas: :math:`Replicas = Q / Throughput_{replica}` and a latency budget
:math:`T = \sum_i t_i \le budget`. Both treat the fleet as a pipe; queueing theory says what
happens to the *wait* as utilisation approaches 1 (it grows without bound), so this module
adds the standard models (Little's law, Erlang B/C, M/M/c, M/G/1) and a fast discrete-event
simulator to check them against.

Units: rates in requests per second (``_rps``, or ``rate`` = 1/s), times in seconds (``_s``)
or milliseconds (``_ms``) as the name says.

Sources
-------
- The article's worked example (1200 req/s, 150 req/s per replica → 8; 45 + 80 + 35 + 20 =
  180 ms in a 200 ms budget).
- Little, J. D. C. (1961). "A Proof for the Queuing Formula: L = λW". *Operations Research* 9(3).
- Gross, D., Shortle, J. F., Thompson, J. M., Harris, C. M. *Fundamentals of Queueing
  Theory*, 4th ed., Wiley 2008, ch. 2 (M/M/1, M/M/c, Erlang B/C) and ch. 5 (M/G/1).
- Bronson, R., Naadimuthu, G. *Schaum's Outline of Operations Research*, 2nd ed., ch. 23–24.
- Kiefer, J., Wolfowitz, J. (1955); Lindley, D. V. (1952) "The theory of queues with a single
  server" — the waiting-time recursion the simulator uses.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from infra_lab._checks import as_float_array, require, require_columns, scalar_or_array
from infra_lab.article import serving_services

__all__ = [
    # capacity and the article's worked example
    "LatencyBudget",
    "required_replicas",
    "serving_capacity_rps",
    "latency_budget",
    "service_table",
    # queueing theory
    "littles_law",
    "erlang_b",
    "erlang_c",
    "MMcResult",
    "mmc",
    "mm1",
    "MG1Result",
    "mg1",
    "replicas_for_slo",
    # simulation
    "SimulationResult",
    "ConfidenceInterval",
    "simulate_queue",
    "poisson_arrivals",
    "exponential_service",
    "batch_means_ci",
    # deployment and edge/cloud
    "deployment_strategies",
    "canary_detection_probability",
    "network_latency_ms",
    "FIBRE_US_PER_KM",
]

# ---------------------------------------------------------------------------------------
# Capacity and the article's worked example
# ---------------------------------------------------------------------------------------


def required_replicas(required_rps: Any, throughput_per_replica_rps: Any,
                      utilization_target: Any = 1.0) -> Any:
    r"""Replicas needed to carry a request rate.

    .. math:: Replicas = \lceil Q / (Throughput_{replica} \cdot u_{target}) \rceil

    Source: the article's worked example (Q = 1200 req/s, 150 req/s per replica → 8 "before
    adding safety margin"). ``utilization_target`` < 1 adds that margin: each replica is
    planned to run at that fraction of its throughput. Broadcasts over numpy arrays.

    Parameters
    ----------
    required_rps : float or array
        Peak request rate Q, requests/s, ≥ 0.
    throughput_per_replica_rps : float or array
        Requests/s one replica sustains, > 0.
    utilization_target : float or array, default 1.0
        Planned utilisation per replica, in (0, 1].

    Returns
    -------
    int or numpy.ndarray of int

    Examples
    --------
    >>> required_replicas(1200, 150)
    8
    >>> required_replicas([600, 1200, 2400], 150, utilization_target=0.7).tolist()
    [6, 12, 23]
    """
    q = as_float_array(required_rps, "required_rps")
    t = as_float_array(throughput_per_replica_rps, "throughput_per_replica_rps")
    u = as_float_array(utilization_target, "utilization_target")
    require(np.isfinite(q) & (q >= 0), "required_rps", required_rps, "must be finite and ≥ 0 requests/s")
    require(np.isfinite(t) & (t > 0), "throughput_per_replica_rps", throughput_per_replica_rps,
            "must be finite and > 0 requests/s (a replica that serves nothing cannot carry load)")
    require((u > 0) & (u <= 1), "utilization_target", utilization_target, "must be in (0, 1]")
    # The relative 1e-12 guard keeps 8.000000000001 (float noise) at 8, not 9, while any
    # positive demand, however small, still needs one replica.
    n = np.ceil(q / (t * u) * (1.0 - 1e-12)).astype(int)
    return scalar_or_array(n)


def serving_capacity_rps(replicas: Any, throughput_per_replica_rps: Any) -> Any:
    r"""Fleet capacity in requests/s.

    .. math:: Capacity = Replicas \times Throughput_{replica}

    Source: the article, Mathematical Lens. Broadcasts over numpy arrays.

    Examples
    --------
    >>> serving_capacity_rps(8, 150)
    1200.0
    >>> serving_capacity_rps([4, 8], 150).tolist()
    [600.0, 1200.0]
    """
    r = as_float_array(replicas, "replicas")
    t = as_float_array(throughput_per_replica_rps, "throughput_per_replica_rps")
    require(np.isfinite(r) & (r >= 0), "replicas", replicas, "must be finite and ≥ 0")
    require(np.isfinite(t) & (t >= 0), "throughput_per_replica_rps", throughput_per_replica_rps,
            "must be finite and ≥ 0 requests/s")
    return scalar_or_array(r * t)


@dataclass(frozen=True)
class LatencyBudget:
    """Result of :func:`latency_budget`: end-to-end latency, margin and verdict (ms)."""

    total_ms: Any
    margin_ms: Any
    meets_budget: Any


def latency_budget(components_ms: Mapping[str, Any] | Sequence[Any], budget_ms: Any) -> LatencyBudget:
    r"""Add up sequential latency components and compare with a budget.

    .. math:: T = \sum_i t_i, \qquad margin = budget - T, \qquad meets = T \le budget

    Source: the article's worked example (45 + 80 + 35 + 20 = 180 ms ≤ 200 ms, margin 20 ms).
    Components are additive only when they run one after another (a sequential request
    path); each component may be an array (e.g. a DataFrame column), and the result
    broadcasts.

    Parameters
    ----------
    components_ms : mapping name → ms, pandas Series, DataFrame, or sequence of ms
        Latency of each stage, ms, ≥ 0. A DataFrame is read as one column per stage and
        one row per service.
    budget_ms : float or array
        The end-to-end latency budget, ms, > 0.

    Examples
    --------
    >>> latency_budget({"feature_lookup": 45, "model_inference": 80, "network": 35,
    ...                 "postprocessing": 20}, 200)
    LatencyBudget(total_ms=180.0, margin_ms=20.0, meets_budget=True)
    >>> latency_budget([45, 80, 35, 20], [150, 200]).meets_budget.tolist()
    [False, True]
    """
    if isinstance(components_ms, (Mapping, pd.Series)):
        items = list(components_ms.items())
    elif isinstance(components_ms, pd.DataFrame):  # one column per component, one row per case
        items = [(str(c), components_ms[c].to_numpy()) for c in components_ms.columns]
    elif isinstance(components_ms, (str, bytes)) or not isinstance(components_ms, (Sequence, np.ndarray)):
        raise TypeError(f"components_ms={components_ms!r}: must be a mapping name → ms or a sequence of ms")
    else:
        items = [(f"components_ms[{i}]", v) for i, v in enumerate(components_ms)]
    require(len(items) > 0, "components_ms", components_ms, "must hold at least one latency component")
    total = np.asarray(0.0)
    for name, value in items:
        v = as_float_array(value, str(name))
        require(np.isfinite(v) & (v >= 0), str(name), value, "latency must be finite and ≥ 0 ms")
        total = total + v
    b = as_float_array(budget_ms, "budget_ms")
    require(np.isfinite(b) & (b > 0), "budget_ms", budget_ms, "must be finite and > 0 ms")
    margin = b - total
    return LatencyBudget(scalar_or_array(total * np.ones_like(margin)), scalar_or_array(margin),
                         scalar_or_array(margin >= 0))


def service_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    """The article's service table with its derived columns computed.

    Input columns (``infra_lab.article.serving_services()`` by default): ``required_qps``,
    ``throughput_per_replica`` (requests/s), ``latency_budget_ms`` and the latency
    components — every other column ending in ``_ms``. Adds ``required_replicas``
    (:func:`required_replicas`), ``capacity_rps`` (:func:`serving_capacity_rps`),
    ``total_latency_ms``, ``latency_margin_ms`` and ``meets_latency_budget``
    (:func:`latency_budget`). The input is not modified.

    Examples
    --------
    >>> t = service_table()
    >>> t.loc[0, ["required_replicas", "total_latency_ms", "latency_margin_ms", "meets_latency_budget"]].tolist()
    [8, 180.0, 20.0, True]
    """
    table = serving_services() if df is None else df.copy()
    require_columns(table, ["required_qps", "throughput_per_replica", "latency_budget_ms"], "df")
    derived = {"total_latency_ms", "latency_margin_ms"}
    components = [c for c in table.columns
                  if str(c).endswith("_ms") and c != "latency_budget_ms" and c not in derived]
    require(len(components) > 0, "df", list(table.columns),
            "needs at least one latency component column ending in _ms besides latency_budget_ms")
    replicas = required_replicas(table["required_qps"].to_numpy(), table["throughput_per_replica"].to_numpy())
    budget = latency_budget({c: table[c].to_numpy() for c in components}, table["latency_budget_ms"].to_numpy())
    table["required_replicas"] = np.asarray(replicas)
    table["capacity_rps"] = np.asarray(serving_capacity_rps(replicas, table["throughput_per_replica"].to_numpy()))
    table["total_latency_ms"] = np.asarray(budget.total_ms, dtype=float)
    table["latency_margin_ms"] = np.asarray(budget.margin_ms, dtype=float)
    table["meets_latency_budget"] = np.asarray(budget.meets_budget, dtype=bool)
    return table


# ---------------------------------------------------------------------------------------
# Queueing theory
# ---------------------------------------------------------------------------------------


def littles_law(arrival_rate: Any = None, time_in_system: Any = None, number_in_system: Any = None) -> Any:
    r"""Little's law: give two of the three quantities, get the third.

    .. math:: L = \lambda W

    Source: Little (1961). Holds for any stable system in steady state, whatever the arrival
    and service distributions. Units must be consistent: λ in requests per time unit, W in
    the same time unit, L in requests. Broadcasts.

    Parameters
    ----------
    arrival_rate : float or array, optional
        λ, requests per time unit, ≥ 0 (> 0 when W is solved for).
    time_in_system : float or array, optional
        W, mean time a request spends in the system, ≥ 0 (> 0 when λ is solved for).
    number_in_system : float or array, optional
        L, mean number of requests in the system, ≥ 0.

    Examples
    --------
    >>> littles_law(arrival_rate=1200, time_in_system=0.180)   # requests in flight
    216.0
    >>> littles_law(arrival_rate=24, number_in_system=4)       # hours (Bronson, problem 23.3)
    0.16666666666666666
    """
    given = {k: v for k, v in (("arrival_rate", arrival_rate), ("time_in_system", time_in_system),
                               ("number_in_system", number_in_system)) if v is not None}
    if len(given) != 2:
        raise ValueError(f"littles_law needs exactly two of arrival_rate, time_in_system, number_in_system; "
                         f"got {sorted(given) or 'none'}")
    arrs = {}
    for k, v in given.items():
        a = as_float_array(v, k)
        require(np.isfinite(a) & (a >= 0), k, v, "must be finite and ≥ 0")
        arrs[k] = a
    if "number_in_system" not in arrs:
        return scalar_or_array(arrs["arrival_rate"] * arrs["time_in_system"])
    if "time_in_system" not in arrs:
        require(arrs["arrival_rate"] > 0, "arrival_rate", arrival_rate, "must be > 0 to solve W = L / λ")
        return scalar_or_array(arrs["number_in_system"] / arrs["arrival_rate"])
    require(arrs["time_in_system"] > 0, "time_in_system", time_in_system, "must be > 0 to solve λ = L / W")
    return scalar_or_array(arrs["number_in_system"] / arrs["time_in_system"])


def _servers_array(servers: Any, name: str = "servers") -> np.ndarray:
    c = as_float_array(servers, name)
    require(np.isfinite(c) & (c >= 1) & (c == np.round(c)), name, servers, "must be a whole number ≥ 1")
    return c.astype(np.int64)


def _erlang_b_table(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B for broadcast integer ``c`` and float ``a`` (both already validated)."""
    c, a = np.broadcast_arrays(c, a)
    out = np.empty(c.shape, dtype=float)
    cf, af, of = c.ravel(), a.ravel(), out.reshape(-1)
    if cf.size == 0:
        return out
    ua, inv = np.unique(af, return_inverse=True)
    kmax = int(cf.max())
    if ua.size == 1:
        # One load: a scalar Python loop is ~10x faster than numpy on length-1 arrays.
        x = float(ua[0])
        table = [1.0] * (kmax + 1)
        b = 1.0
        for k in range(1, kmax + 1):
            b = x * b / (k + x * b)
            table[k] = b
        of[:] = np.asarray(table)[cf]
        return out
    if ua.size * (kmax + 1) <= 2_000_000:  # table of at most 16 MB
        # One recursion over k, vectorised over the distinct loads; then index.
        table = np.empty((kmax + 1, ua.size))
        b = np.ones(ua.size)
        table[0] = b
        for k in range(1, kmax + 1):
            b = ua * b / (k + ua * b)
            table[k] = b
        of[:] = table[cf, inv.ravel()]
        return out
    # Many loads and many servers: carry one state per element, record when k reaches c.
    order = np.argsort(cf, kind="stable")
    cs = cf[order]
    b = np.ones(cf.size)
    pos = np.searchsorted(cs, np.arange(kmax + 2))
    for k in range(1, kmax + 1):
        b = af * b / (k + af * b)
        idx = order[pos[k]:pos[k + 1]]
        of[idx] = b[idx]
    return out


def erlang_b(servers: Any, offered_load: Any) -> Any:
    r"""Erlang B: probability that an arrival finds all ``servers`` busy in M/M/c/c (blocked).

    Stable recursion (never :math:`a^c/c!`, which overflows past c ≈ 170):

    .. math:: B_0 = 1, \qquad B_k = \frac{a B_{k-1}}{k + a B_{k-1}}, \quad k = 1..c

    Source: Gross et al., *Fundamentals of Queueing Theory*, ch. 2 (Erlang's loss formula, M/M/c/c).
    Broadcasts over ``servers`` and ``offered_load``; the recursion runs once up to
    max(servers) and is indexed, so a sweep over server counts costs one recursion.

    Parameters
    ----------
    servers : int or array of int
        c ≥ 1.
    offered_load : float or array
        a = λ/μ in Erlangs, ≥ 0. Any load is allowed (a loss system is always stable).

    Examples
    --------
    >>> round(erlang_b(2, 1.0), 6)      # a²/2 / (1 + a + a²/2) = 0.5 / 2.5
    0.2
    >>> erlang_b([1, 2, 3], 2.0).round(4).tolist()
    [0.6667, 0.4, 0.2105]
    """
    c = _servers_array(servers)
    a = as_float_array(offered_load, "offered_load")
    require(np.isfinite(a) & (a >= 0), "offered_load", offered_load, "must be finite and ≥ 0 Erlangs")
    return scalar_or_array(_erlang_b_table(c, a))


def erlang_c(servers: Any, offered_load: Any) -> Any:
    r"""Erlang C: probability that an arrival must wait in an M/M/c queue.

    .. math:: C(c, a) = \frac{c\,B(c, a)}{c - a\,(1 - B(c, a))}

    with :math:`B` from :func:`erlang_b` (stable for thousands of servers).
    Source: Gross et al., *Fundamentals of Queueing Theory*, ch. 2 (M/M/c); FORMULAS.md.

    For an unstable system (:math:`a \ge c`, i.e. ρ ≥ 1) the queue grows without bound and
    every arrival eventually waits, so this returns **1.0** there rather than raising — a
    sweep over loads stays plottable. :func:`mmc` refuses ρ ≥ 1, because waiting *times*
    are infinite there.

    Parameters
    ----------
    servers : int or array of int
        c ≥ 1.
    offered_load : float or array
        a = λ/μ in Erlangs, ≥ 0.

    Examples
    --------
    >>> round(erlang_c(1, 0.8), 12)   # M/M/1: C = ρ
    0.8
    >>> round(erlang_c(2, 1.0), 6)    # 2·0.2 / (2 − 1·0.8)
    0.333333
    >>> erlang_c([1, 2], 3.0).tolist()   # unstable: everyone waits
    [1.0, 1.0]
    """
    c = _servers_array(servers)
    a = as_float_array(offered_load, "offered_load")
    require(np.isfinite(a) & (a >= 0), "offered_load", offered_load, "must be finite and ≥ 0 Erlangs")
    b = _erlang_b_table(c, a)
    c_b, a_b = np.broadcast_arrays(c.astype(float), a)
    with np.errstate(divide="ignore", invalid="ignore"):
        pw = c_b * b / (c_b - a_b * (1.0 - b))
    pw = np.where(a_b >= c_b, 1.0, np.clip(pw, 0.0, 1.0))
    return scalar_or_array(pw)


def _hypoexp_tail(t: np.ndarray, r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """P(X + Y > t) for independent X ~ Exp(r1), Y ~ Exp(r2), stable when r1 ≈ r2.

    (r2 e^{−r1 t} − r1 e^{−r2 t})/(r2 − r1) rewritten with m = min, δ = |r2 − r1|:
    e^{−m t}(1 + m t · (1 − e^{−δ t})/(δ t)), whose last factor → 1 as δ → 0 (Erlang-2).
    """
    m = np.minimum(r1, r2)
    d = np.abs(r2 - r1)
    y = d * t
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(y > 0, -np.expm1(-y) / np.where(y > 0, y, 1.0), 1.0)
    return np.exp(-m * t) * (1.0 + m * t * f)


@dataclass(frozen=True)
class MMcResult:
    r"""Steady-state M/M/c metrics (times in seconds when rates are per second).

    Attributes
    ----------
    arrival_rate, service_rate, servers : inputs λ (1/s), μ (1/s per server), c.
    utilization : ρ = λ / (cμ).
    prob_wait : Erlang C, P(W_q > 0).
    prob_empty : p₀, probability the system is empty.
    mean_wait_s : W_q = C / (cμ − λ).
    mean_response_s : W = W_q + 1/μ.
    mean_queue_length : L_q = λ W_q.
    mean_in_system : L = λ W.
    """

    arrival_rate: Any
    service_rate: Any
    servers: Any
    utilization: Any
    prob_wait: Any
    prob_empty: Any
    mean_wait_s: Any
    mean_response_s: Any
    mean_queue_length: Any
    mean_in_system: Any

    def wait_survival(self, t_s: Any) -> Any:
        r"""P(W_q > t) = C·e^{−(cμ−λ)t} for t ≥ 0 (Gross et al., ch. 2, M/M/c)."""
        t = as_float_array(t_s, "t_s")
        require(t >= 0, "t_s", t_s, "must be ≥ 0 s")
        theta = np.asarray(self.servers) * np.asarray(self.service_rate) - np.asarray(self.arrival_rate)
        return scalar_or_array(np.asarray(self.prob_wait) * np.exp(-theta * t))

    def response_survival(self, t_s: Any) -> Any:
        r"""P(T > t) for the response time T = W_q + S, S ~ Exp(μ).

        .. math:: P(T > t) = (1 - C)e^{-\mu t} + C\,\frac{\theta e^{-\mu t} - \mu e^{-\theta t}}{\theta - \mu},
                  \quad \theta = c\mu - \lambda

        (Gross et al., ch. 2; the θ = μ case is the Erlang-2 limit (1 + μt)e^{−μt}, handled
        without cancellation.)
        """
        t = as_float_array(t_s, "t_s")
        require(t >= 0, "t_s", t_s, "must be ≥ 0 s")
        return scalar_or_array(self._response_tail(t))

    def _response_tail(self, t: np.ndarray) -> np.ndarray:
        mu = np.asarray(self.service_rate, dtype=float)
        theta = np.asarray(self.servers) * mu - np.asarray(self.arrival_rate)
        c_w = np.asarray(self.prob_wait, dtype=float)
        return (1.0 - c_w) * np.exp(-mu * t) + c_w * _hypoexp_tail(t, mu, theta)

    def wait_quantile(self, q: Any) -> Any:
        r"""q-quantile of the waiting time W_q, seconds (e.g. q = 0.99 for p99).

        W_q has an atom of mass 1 − C at zero, so the quantile is 0 for q ≤ 1 − C and
        :math:`\ln(C / (1 - q)) / (c\mu - \lambda)` above it.

        >>> round(mm1(0.5, 1.0).wait_quantile(0.9), 6)   # ln(0.5/0.1)/0.5
        3.218876
        """
        qq = _quantile_level(q)
        theta = np.asarray(self.servers) * np.asarray(self.service_rate) - np.asarray(self.arrival_rate)
        c_w = np.asarray(self.prob_wait, dtype=float)
        with np.errstate(divide="ignore"):
            t = np.log(c_w / (1.0 - qq)) / theta
        return scalar_or_array(np.where(qq <= 1.0 - c_w, 0.0, t))

    def response_quantile(self, q: Any) -> Any:
        """q-quantile of the response time T = W_q + S, seconds, by vectorised bisection.

        The survival function :meth:`response_survival` is decreasing, so bisection on
        [0, hi] converges; hi uses P(T > t) ≤ 1.22·e^{−m t/2} with m = min(μ, cμ − λ).

        >>> r = mmc(8.0, 1.0, 10)
        >>> bool(r.response_quantile(0.99) > r.response_quantile(0.5))
        True
        """
        qq = _quantile_level(q)
        mu = np.asarray(self.service_rate, dtype=float)
        theta = np.asarray(self.servers) * mu - np.asarray(self.arrival_rate)
        m = np.minimum(mu, theta)
        target = 1.0 - qq
        hi = np.broadcast_to(2.0 * np.log(1.22 / target) / m, np.broadcast_shapes(np.shape(target), np.shape(m)))
        lo = np.zeros_like(hi)
        hi = hi.copy()
        for _ in range(100):  # halves the bracket each time: 100 steps reach float resolution
            mid = 0.5 * (lo + hi)
            above = self._response_tail(mid) > target
            lo = np.where(above, mid, lo)
            hi = np.where(above, hi, mid)
        return scalar_or_array(0.5 * (lo + hi))


def _quantile_level(q: Any) -> np.ndarray:
    qq = as_float_array(q, "q")
    require((qq > 0) & (qq < 1), "q", q, "must be in (0, 1), e.g. 0.99 for p99")
    return qq


def _rates(arrival_rate: Any, service_rate: Any) -> tuple[np.ndarray, np.ndarray]:
    lam = as_float_array(arrival_rate, "arrival_rate")
    mu = as_float_array(service_rate, "service_rate")
    require(np.isfinite(lam) & (lam >= 0), "arrival_rate", arrival_rate, "must be finite and ≥ 0 requests/s")
    require(np.isfinite(mu) & (mu > 0), "service_rate", service_rate,
            "must be finite and > 0 requests/s per server")
    return lam, mu


def _unstable(lam: np.ndarray, mu: np.ndarray, c: np.ndarray, rho: np.ndarray) -> None:
    bad = rho >= 1
    if np.any(bad):
        i = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.ndim else ()
        l_i, m_i, c_i, r_i = (np.broadcast_to(x, bad.shape)[i] for x in (lam, mu, c, rho))
        raise ValueError(
            f"unstable queue: arrival_rate λ={float(l_i):g} ≥ servers c={int(c_i)} × service_rate "
            f"μ={float(m_i):g} (utilisation ρ = λ/(cμ) = {float(r_i):.4g} ≥ 1); the queue grows "
            f"without bound, so steady-state waits do not exist. Add servers (c > λ/μ) or reduce load.")


def mmc(arrival_rate: Any, service_rate: Any, servers: Any) -> MMcResult:
    r"""Steady-state metrics of the M/M/c queue (Poisson arrivals, exponential service, c servers, FIFO).

    .. math::
        a = \lambda/\mu,\quad \rho = a/c,\quad C = \text{Erlang C}(c, a),\quad
        W_q = \frac{C}{c\mu - \lambda},\quad W = W_q + \frac{1}{\mu},\quad
        L_q = \lambda W_q,\quad L = \lambda W

    and :math:`P(W_q > t) = C e^{-(c\mu - \lambda)t}`. Source: Gross et al., *Fundamentals of
    Queueing Theory*, ch. 2; Bronson, *Schaum's Operations Research*, ch. 23–24. Broadcasts
    over all three inputs.

    Parameters
    ----------
    arrival_rate : float or array
        λ, requests/s, ≥ 0.
    service_rate : float or array
        μ, requests/s one server completes (1 / mean service time), > 0.
    servers : int or array of int
        c ≥ 1.

    Raises
    ------
    ValueError
        If ρ = λ/(cμ) ≥ 1 — the queue is unstable and has no steady state.

    Examples
    --------
    The article's service as 8 M/M/8 replicas at 150 req/s each, offered 1200 req/s, is
    unstable (ρ = 1); at 1000 req/s (ρ = 0.83):

    >>> r = mmc(1000, 150, 8)
    >>> round(r.utilization, 4), round(r.prob_wait, 4), round(r.mean_wait_s * 1000, 2)
    (0.8333, 0.5327, 2.66)
    >>> round(r.response_quantile(0.99) * 1000, 1)   # p99 response time, ms
    36.4
    """
    lam, mu = _rates(arrival_rate, service_rate)
    c = _servers_array(servers)
    lam_b, mu_b, c_b = np.broadcast_arrays(lam, mu, c)
    a = lam_b / mu_b
    rho = a / c_b
    _unstable(lam_b, mu_b, c_b, rho)
    pw = np.asarray(erlang_c(c_b, a), dtype=float)
    wq = pw / (c_b * mu_b - lam_b)
    w = wq + 1.0 / mu_b
    # p0 = C(1 − ρ) c! / a^c, evaluated in logs so c in the thousands neither overflows nor NaNs.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p0 = np.log(pw) + np.log1p(-rho) + gammaln(c_b + 1.0) - c_b * np.log(a)
        p0 = np.where(a > 0, np.exp(np.minimum(log_p0, 0.0)), 1.0)
    return MMcResult(
        arrival_rate=scalar_or_array(lam_b.astype(float)), service_rate=scalar_or_array(mu_b.astype(float)),
        servers=scalar_or_array(c_b), utilization=scalar_or_array(rho), prob_wait=scalar_or_array(pw),
        prob_empty=scalar_or_array(p0), mean_wait_s=scalar_or_array(wq), mean_response_s=scalar_or_array(w),
        mean_queue_length=scalar_or_array(lam_b * wq), mean_in_system=scalar_or_array(lam_b * w),
    )


def mm1(arrival_rate: Any, service_rate: Any) -> MMcResult:
    r"""M/M/1 queue: :func:`mmc` with one server.

    .. math:: \rho = \lambda/\mu,\quad L = \frac{\rho}{1-\rho},\quad L_q = \frac{\rho^2}{1-\rho},
              \quad W = \frac{1}{\mu - \lambda},\quad p_0 = 1 - \rho

    Source: Bronson, *Schaum's Operations Research*, ch. 23 (problem 23.3: λ = 24/h,
    μ = 30/h → L = 4, W = 1/6 h, p₀ = 0.2). Units are whatever the rates use.

    >>> r = mm1(24, 30)
    >>> round(r.mean_in_system, 9), round(r.mean_response_s, 9), round(r.prob_empty, 9)
    (4.0, 0.166666667, 0.2)
    """
    return mmc(arrival_rate, service_rate, 1)


@dataclass(frozen=True)
class MG1Result:
    r"""Steady-state M/G/1 metrics (Pollaczek–Khinchine), seconds when rates are per second.

    Attributes: ``utilization`` ρ = λE[S]; ``prob_wait`` = ρ (PASTA: an arrival waits iff the
    server is busy); ``mean_queue_length`` L_q; ``mean_wait_s`` W_q = L_q/λ;
    ``mean_response_s`` W = W_q + E[S]; ``mean_in_system`` L = λW.
    """

    utilization: Any
    prob_wait: Any
    mean_wait_s: Any
    mean_response_s: Any
    mean_queue_length: Any
    mean_in_system: Any


def mg1(arrival_rate: Any, mean_service_s: Any, service_scv: Any = None,
        second_moment_s2: Any = None) -> MG1Result:
    r"""M/G/1 queue by the Pollaczek–Khinchine formula.

    .. math:: \rho = \lambda E[S],\qquad L_q = \frac{\lambda^2 E[S^2]}{2(1-\rho)},\qquad
              E[S^2] = (1 + SCV)\,E[S]^2

    Source: Gross et al., *Fundamentals of Queueing Theory*, ch. 5 (M/G/1). SCV (squared
    coefficient of variation, Var[S]/E[S]²) is 1 for exponential service (M/M/1) and 0 for
    deterministic service (M/D/1, which halves M/M/1's L_q). Give exactly one of
    ``service_scv`` and ``second_moment_s2``. Broadcasts.

    Parameters
    ----------
    arrival_rate : float or array
        λ, requests/s, ≥ 0.
    mean_service_s : float or array
        E[S], seconds, > 0.
    service_scv : float or array, optional
        Var[S]/E[S]², ≥ 0.
    second_moment_s2 : float or array, optional
        E[S²], s², ≥ E[S]².

    Examples
    --------
    >>> round(mg1(0.5, 1.0, service_scv=1).mean_queue_length, 12)   # M/M/1: ρ²/(1−ρ)
    0.5
    >>> round(mg1(0.5, 1.0, service_scv=0).mean_queue_length, 12)   # M/D/1: half of it
    0.25
    """
    lam = as_float_array(arrival_rate, "arrival_rate")
    es = as_float_array(mean_service_s, "mean_service_s")
    require(np.isfinite(lam) & (lam >= 0), "arrival_rate", arrival_rate, "must be finite and ≥ 0 requests/s")
    require(np.isfinite(es) & (es > 0), "mean_service_s", mean_service_s, "must be finite and > 0 s")
    if (service_scv is None) == (second_moment_s2 is None):
        raise ValueError("mg1 needs exactly one of service_scv (Var[S]/E[S]², 1 for exponential, "
                         "0 for deterministic) and second_moment_s2 (E[S²] in s²)")
    if service_scv is not None:
        scv = as_float_array(service_scv, "service_scv")
        require(np.isfinite(scv) & (scv >= 0), "service_scv", service_scv, "must be finite and ≥ 0")
        es2 = (1.0 + scv) * es**2
    else:
        es2 = as_float_array(second_moment_s2, "second_moment_s2")
        require(np.isfinite(es2) & (es2 >= es**2 * (1 - 1e-12)), "second_moment_s2", second_moment_s2,
                "must be finite and ≥ mean_service_s² (a variance cannot be negative)")
    lam, es, es2 = np.broadcast_arrays(lam, es, es2)
    rho = lam * es
    _unstable(lam, 1.0 / es, np.ones(rho.shape, dtype=int), rho)
    lq = lam**2 * es2 / (2.0 * (1.0 - rho))
    with np.errstate(divide="ignore", invalid="ignore"):
        wq = np.where(lam > 0, lq / np.where(lam > 0, lam, 1.0), 0.0)
    w = wq + es
    return MG1Result(utilization=scalar_or_array(rho), prob_wait=scalar_or_array(rho),
                     mean_wait_s=scalar_or_array(wq), mean_response_s=scalar_or_array(w),
                     mean_queue_length=scalar_or_array(lq), mean_in_system=scalar_or_array(lam * w))


def replicas_for_slo(arrival_rate: Any, service_rate: Any, latency_slo_s: Any, percentile: float = 0.99,
                     max_servers: int = 100_000) -> Any:
    r"""Smallest number of M/M/c servers whose response-time percentile meets an SLO.

    .. math:: c^* = \min\{c > \lambda/\mu : t_p(c) \le SLO\}, \qquad
              P(T > t_p(c)) = 1 - p

    with the response-time distribution of :meth:`MMcResult.response_survival`. t_p(c)
    decreases with c towards the service-time percentile :math:`-\ln(1-p)/\mu`, so an SLO at
    or below that is impossible whatever the fleet size (a ``ValueError`` says so). The
    search doubles c from the stability bound until the SLO holds, then evaluates every c
    in the last bracket at once (one Erlang recursion) and takes the first that meets it.
    Array inputs broadcast; each element is solved separately.

    Parameters
    ----------
    arrival_rate : float or array
        λ, requests/s, > 0.
    service_rate : float or array
        μ per server, requests/s, > 0.
    latency_slo_s : float or array
        The response-time objective, seconds, > 0.
    percentile : float, default 0.99
        p in (0, 1).
    max_servers : int, default 100000
        Give up (ValueError) beyond this many servers.

    Examples
    --------
    The article's 1200 req/s at 150 req/s per replica: 8 replicas would run at ρ = 1 (an
    unstable queue). A p99 of 50 ms needs one more; 32 ms, barely above the p99 of the
    service time itself (ln 100 / 150 s = 30.7 ms), needs eleven:

    >>> replicas_for_slo(1200, 150, [0.050, 0.032]).tolist()
    [9, 11]
    """
    lam, mu = _rates(arrival_rate, service_rate)
    slo = as_float_array(latency_slo_s, "latency_slo_s")
    require(np.isfinite(slo) & (slo > 0), "latency_slo_s", latency_slo_s, "must be finite and > 0 s")
    p = float(_quantile_level(percentile))
    require(int(max_servers) >= 1, "max_servers", max_servers, "must be ≥ 1")
    lam_b, mu_b, slo_b = np.broadcast_arrays(lam, mu, slo)
    out = np.empty(lam_b.shape, dtype=np.int64)
    for idx in np.ndindex(lam_b.shape):  # one search per element: inputs are small sweeps
        out[idx] = _replicas_for_slo_one(float(lam_b[idx]), float(mu_b[idx]), float(slo_b[idx]), p,
                                         int(max_servers))
    return scalar_or_array(out)


def _replicas_for_slo_one(lam: float, mu: float, slo: float, p: float, max_servers: int) -> int:
    floor_s = -math.log1p(-p) / mu
    if slo <= floor_s:
        raise ValueError(
            f"latency_slo_s={slo:g}: impossible — the p{100 * p:g} of the service time alone is "
            f"{floor_s:g} s at service_rate={mu:g}; no number of servers brings the response time "
            f"below it. Speed up each request (raise service_rate) or relax the SLO.")
    if lam == 0:
        return 1
    c_lo = int(math.floor(lam / mu)) + 1  # smallest stable c
    if c_lo > max_servers:
        raise ValueError(f"max_servers={max_servers}: a stable queue needs more than λ/μ = {lam / mu:g} "
                         f"servers; raise max_servers")

    def tp(c: Any) -> np.ndarray:
        return np.asarray(mmc(lam, mu, c).response_quantile(p))

    hi = c_lo
    while tp(hi) > slo:
        if hi >= max_servers:
            raise ValueError(f"max_servers={max_servers}: even that many servers miss latency_slo_s={slo:g} "
                             f"at p{100 * p:g}; raise max_servers or relax the SLO")
        c_lo, hi = hi + 1, min(2 * hi, max_servers)
    cs = np.arange(c_lo, hi + 1)
    ok = tp(cs) <= slo
    return int(cs[np.argmax(ok)])


# ---------------------------------------------------------------------------------------
# Discrete-event simulation
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfidenceInterval:
    """A point estimate with a two-sided confidence interval."""

    estimate: float
    low: float
    high: float
    confidence: float

    @property
    def half_width(self) -> float:
        """Half the interval's width, (high − low) / 2."""
        return 0.5 * (self.high - self.low)

    def contains(self, value: float) -> bool:
        """True when ``value`` lies in [low, high]."""
        return bool(self.low <= value <= self.high)


def batch_means_ci(values: Any, n_batches: int = 30, confidence: float = 0.95, warmup: int = 0) -> ConfidenceInterval:
    r"""Confidence interval for the mean of a correlated series by non-overlapping batch means.

    Successive waits in a queue are strongly autocorrelated, so the naive
    :math:`s/\sqrt{n}` interval is far too narrow. Splitting the series (after ``warmup``)
    into ``n_batches`` equal batches makes the batch means nearly independent; then

    .. math:: \bar{x} \pm t_{1-\alpha/2,\,k-1}\, s_{\bar{x}_b} / \sqrt{k}

    Source: Law, *Simulation Modeling and Analysis*, 5th ed., ch. 9 (output analysis: the method of batch means).
    Batches should be much longer than the correlation time (here: busy periods).

    >>> ci = batch_means_ci(np.arange(100.0), n_batches=4)
    >>> ci.estimate, ci.low < 49.5 < ci.high
    (49.5, True)
    """
    x = as_float_array(values, "values").ravel()
    require(int(warmup) >= 0, "warmup", warmup, "must be ≥ 0")
    x = x[int(warmup):]
    require(int(n_batches) >= 2, "n_batches", n_batches, "must be ≥ 2")
    require(x.size >= 2 * int(n_batches), "values", f"<{x.size} values after warmup>",
            f"needs at least 2 × n_batches = {2 * int(n_batches)} values")
    require(0 < confidence < 1, "confidence", confidence, "must be in (0, 1)")
    k = int(n_batches)
    m = x.size // k
    means = x[: k * m].reshape(k, m).mean(axis=1)
    est = float(means.mean())
    half = float(stats.t.ppf(0.5 + confidence / 2, k - 1) * means.std(ddof=1) / math.sqrt(k))
    return ConfidenceInterval(est, est - half, est + half, float(confidence))


@dataclass(frozen=True)
class SimulationResult:
    """Per-request outcome of :func:`simulate_queue` (all arrays in input order, seconds).

    Stored: ``arrival_s``, ``service_s``, ``wait_s`` (time in queue), ``servers`` and
    ``server`` (index of the server that served each request, or ``None`` when not tracked).
    ``start_s``, ``finish_s`` and ``response_s`` (wait + service) are computed on access, so
    a 10⁷-request run does not carry three more arrays it may never read.
    """

    arrival_s: np.ndarray
    service_s: np.ndarray
    wait_s: np.ndarray
    servers: int
    server: np.ndarray | None = None

    @property
    def start_s(self) -> np.ndarray:
        return self.arrival_s + self.wait_s

    @property
    def finish_s(self) -> np.ndarray:
        return self.arrival_s + self.wait_s + self.service_s

    @property
    def response_s(self) -> np.ndarray:
        return self.wait_s + self.service_s

    @property
    def mean_wait_s(self) -> float:
        return float(self.wait_s.mean())

    @property
    def mean_response_s(self) -> float:
        return float(self.wait_s.mean() + self.service_s.mean())

    @property
    def prob_wait(self) -> float:
        """Fraction of requests that waited (wait > 0)."""
        return float(np.count_nonzero(self.wait_s > 0) / self.wait_s.size)

    @property
    def utilization(self) -> float:
        """Busy server-time over c × the span from the first arrival to the last departure."""
        span = float(self.finish_s.max() - self.arrival_s[0])
        return float(self.service_s.sum() / (self.servers * span)) if span > 0 else 0.0

    def wait_quantile(self, q: Any) -> Any:
        """Empirical q-quantile of the waits, seconds."""
        return scalar_or_array(np.quantile(self.wait_s, _quantile_level(q)))

    def response_quantile(self, q: Any) -> Any:
        """Empirical q-quantile of the response times, seconds."""
        return scalar_or_array(np.quantile(self.response_s, _quantile_level(q)))

    def mean_wait_ci(self, n_batches: int = 30, confidence: float = 0.95, warmup: int = 0) -> ConfidenceInterval:
        """Batch-means confidence interval of the mean wait (see :func:`batch_means_ci`)."""
        return batch_means_ci(self.wait_s, n_batches, confidence, warmup)

    def to_frame(self) -> pd.DataFrame:
        """One row per request: arrival, service, wait, start, finish, response (s) and server."""
        cols = {"arrival_s": self.arrival_s, "service_s": self.service_s, "wait_s": self.wait_s,
                "start_s": self.start_s, "finish_s": self.finish_s, "response_s": self.response_s}
        if self.server is not None:
            cols["server"] = self.server
        return pd.DataFrame(cols)


def _lindley_waits(gaps: np.ndarray, service: np.ndarray) -> np.ndarray:
    """Single-server FIFO waits, vectorised (``gaps`` = np.diff(arrivals)).

    Lindley: W_0 = 0, W_n = max(0, W_{n−1} + S_{n−1} − (A_n − A_{n−1})). With
    X_n = S_{n−1} − (A_n − A_{n−1}) and P_n = Σ_{i≤n} X_i (P_0 = 0) the recursion unrolls to
    W_n = P_n − min_{0≤k≤n} P_k (a random walk reflected at 0): one cumsum and one running
    minimum. W_n is exactly 0 whenever P_n is a new minimum. Rounding in the running sum
    adds an absolute error of order (steps in a busy period) × 1e-16 × |P_n| — nanoseconds
    for 10⁷ requests of ~1 s.
    """
    walk = np.empty(service.size)
    walk[0] = 0.0
    np.subtract(service[:-1], gaps, out=walk[1:])
    np.cumsum(walk, out=walk)
    low = np.minimum.accumulate(walk)
    np.subtract(walk, low, out=low)
    return low


def _heap_starts(arrival: np.ndarray, service: np.ndarray, servers: int) -> np.ndarray:
    """Multi-server FIFO start times: each arrival takes the earliest-free server.

    The heap holds each server's next free time; FIFO makes start times non-decreasing, so
    the next request starts at max(arrival, heap minimum). One C-level ``heapreplace`` per
    request on Python floats is the fastest pure-Python form of this inherently sequential
    recursion (numpy scalars in the loop would be ~3x slower).
    """
    arr = arrival.tolist()
    svc = service.tolist()
    free = [arr[0]] * servers  # all servers idle until the first arrival
    starts = [0.0] * len(arr)
    replace = heapq.heapreplace
    for i, a in enumerate(arr):
        f = free[0]
        s = a if a > f else f
        starts[i] = s
        replace(free, s + svc[i])
    return np.asarray(starts)


def _heap_starts_servers(arrival: np.ndarray, service: np.ndarray, servers: int) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`_heap_starts`, also returning the server index (ties to the lowest index)."""
    arr = arrival.tolist()
    svc = service.tolist()
    free = [(arr[0], k) for k in range(servers)]
    starts = [0.0] * len(arr)
    ids = [0] * len(arr)
    replace = heapq.heapreplace
    for i, a in enumerate(arr):
        f, k = free[0]
        s = a if a > f else f
        starts[i] = s
        ids[i] = k
        replace(free, (s + svc[i], k))
    return np.asarray(starts), np.asarray(ids, dtype=np.int64)


def simulate_queue(arrival_times_s: Any, service_times_s: Any, servers: int = 1,
                   track_servers: bool = False) -> SimulationResult:
    r"""Discrete-event simulation of a FIFO queue with ``servers`` identical servers (G/G/c).

    Each request, in arrival order, starts at :math:`\max(A_n, \text{earliest server-free
    time})` and holds that server for its service time — the first-come, first-served
    multi-server queue of Kiefer & Wolfowitz (1955). Any arrival process and any
    service-time distribution can be fed in (e.g. a real trace's timestamps).

    - ``servers == 1``: Lindley's recursion (Lindley 1952) vectorised as a reflected random
      walk :math:`W_n = P_n - \min_{k \le n} P_k` (a cumsum and a running minimum) — of the
      order of 10⁷ requests/s.
    - ``servers > 1``: a heap of server-free times, one ``heapreplace`` per request in a
      tight loop — of the order of 10⁶ requests/s. ``track_servers=True`` also records which
      server served each request (ties to the lowest index; somewhat slower).

    Parameters
    ----------
    arrival_times_s : array
        Arrival times, seconds, finite, sorted non-decreasing.
    service_times_s : array
        Service time of each request, seconds, finite and ≥ 0, same length.
    servers : int, default 1
        c ≥ 1.
    track_servers : bool, default False
        Record the server index of each request.

    Returns
    -------
    SimulationResult

    Examples
    --------
    >>> r = simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=1)
    >>> r.wait_s.tolist(), r.finish_s.tolist()
    ([0.0, 0.5, 1.0, 1.8], [1.0, 2.0, 3.0, 4.0])
    >>> simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=2).wait_s.round(12).tolist()
    [0.0, 0.0, 0.0, 0.3]
    """
    a = as_float_array(arrival_times_s, "arrival_times_s").ravel()
    s = as_float_array(service_times_s, "service_times_s").ravel()
    require(a.size == s.size, "service_times_s", f"<{s.size} values>",
            f"must have one service time per arrival ({a.size} arrivals)")
    require(a.size >= 1, "arrival_times_s", arrival_times_s, "must hold at least one arrival")
    require(np.ndim(servers) == 0 and not isinstance(servers, bool), "servers", servers,
            "must be a single whole number ≥ 1")
    c = int(_servers_array(servers).item())
    gaps = np.diff(a)
    if gaps.size and not gaps.min() >= 0:
        i = int(np.argmax(gaps < 0))
        raise ValueError(f"arrival_times_s must be sorted (non-decreasing): element {i + 1} = {a[i + 1]!r} "
                         f"comes after element {i} = {a[i]!r}; sort arrivals together with their service times")
    # Sorted, so the ends bound every element: two checks instead of a pass over the array.
    require(np.isfinite(a[0]) and np.isfinite(a[-1]), "arrival_times_s", arrival_times_s, "must be finite")
    require(s.min() >= 0 and np.isfinite(s.max()), "service_times_s", service_times_s,
            "must be finite and ≥ 0 s")
    server_ids = None
    if c == 1:
        wait = _lindley_waits(gaps, s)
        if track_servers:
            server_ids = np.zeros(a.size, dtype=np.int64)
    elif track_servers:
        start, server_ids = _heap_starts_servers(a, s, c)
        wait = start - a  # start ≥ arrival exactly (a max), so no negative noise
    elif c >= a.size:  # never more requests than servers: nobody waits
        wait = np.zeros(a.size)
    else:
        wait = _heap_starts(a, s, c) - a
    return SimulationResult(arrival_s=a, service_s=s, wait_s=wait, servers=c, server=server_ids)


def poisson_arrivals(rate: float, n: int, seed: int | np.random.Generator | None = 0,
                     start_s: float = 0.0) -> np.ndarray:
    r"""``n`` sorted arrival times (s) of a Poisson process with ``rate`` requests/s.

    Interarrival gaps are i.i.d. Exp(rate), mean 1/rate s; the first arrival is one gap after
    ``start_s`` (a Poisson process has i.i.d. exponential gaps; Gross et al.,
    *Fundamentals of Queueing Theory*).

    Parameters
    ----------
    rate : float
        λ, requests/s, > 0.
    n : int
        Number of arrivals, ≥ 1.
    seed : int, numpy Generator or None, default 0
        Seed of ``numpy.random.default_rng`` (reproducible by default).
    start_s : float, default 0.0
        Time origin, s.

    >>> t = poisson_arrivals(100.0, 5, seed=1)
    >>> t.shape, bool(np.all(np.diff(t) >= 0))
    ((5,), True)
    """
    lam = float(as_float_array(rate, "rate"))
    require(np.isfinite(lam) and lam > 0, "rate", rate, "must be finite and > 0 requests/s")
    require(int(n) >= 1 and int(n) == n, "n", n, "must be a whole number ≥ 1")
    rng = np.random.default_rng(seed)
    return start_s + np.cumsum(rng.exponential(1.0 / lam, int(n)))


def exponential_service(rate: float, n: int, seed: int | np.random.Generator | None = 0) -> np.ndarray:
    """``n`` i.i.d. exponential service times (s) with mean ``1/rate``: the "M" service of M/M/c.

    Parameters
    ----------
    rate : float
        μ, requests/s one server completes, > 0.
    n : int
        Number of service times, ≥ 1.
    seed : int, numpy Generator or None, default 0
        Seed of ``numpy.random.default_rng``.

    >>> exponential_service(2.0, 3, seed=1).shape
    (3,)
    """
    mu = float(as_float_array(rate, "rate"))
    require(np.isfinite(mu) and mu > 0, "rate", rate, "must be finite and > 0 requests/s")
    require(int(n) >= 1 and int(n) == n, "n", n, "must be a whole number ≥ 1")
    return np.random.default_rng(seed).exponential(1.0 / mu, int(n))


# ---------------------------------------------------------------------------------------
# Deployment strategies and edge/cloud latency
# ---------------------------------------------------------------------------------------


def deployment_strategies() -> pd.DataFrame:
    """The course's summary of the article's serving and release patterns, with trade-offs.

    The article lists online, batch and streaming serving and shadow, canary and blue-green
    releases; the ratings (``low``/``medium``/``high``) are this course's qualitative
    summary of common practice, not measurements. Columns: ``strategy``, ``kind`` (serving
    mode or release strategy), ``latency``, ``cost``, ``risk``, ``rollback_speed``,
    ``detects`` (what it lets you catch before or while users are affected), ``when_to_use``.

    >>> deployment_strategies()["strategy"].tolist()
    ['online', 'batch', 'streaming', 'shadow', 'canary', 'blue-green']
    """
    rows = [
        ("online", "serving mode", "low (ms per request)", "high (always-on replicas sized for peak)",
         "medium", "fast if behind a router", "per-request errors and latency as users see them",
         "interactive predictions: fraud checks, ranking, chat"),
        ("batch", "serving mode", "high (hours; results precomputed)", "low (runs on cheap, scheduled compute)",
         "low", "slow (rerun the job)", "job failures and data-quality issues before results are used",
         "scores needed per entity per day: churn, recommendations refreshed nightly"),
        ("streaming", "serving mode", "medium (seconds)", "medium (always-on consumers)", "medium",
         "medium (replay from the log)", "lag and freshness problems on event streams",
         "features or predictions updated per event: IoT, clickstreams"),
        ("shadow", "release strategy", "none added for users (copy served off-path)",
         "high (doubles inference for the mirrored traffic)", "very low (users never see the new model)",
         "instant (nothing to roll back)", "crashes, latency and prediction differences on real traffic",
         "a first look at a new model under real load; not outcome metrics"),
        ("canary", "release strategy", "unchanged", "low (a small share of traffic)",
         "low (only the canary share is exposed)", "fast (route the share back)",
         "regressions large enough to show in the canary's requests; small or subgroup effects can be missed",
         "routine releases with automated analysis of error rate and latency"),
        ("blue-green", "release strategy", "unchanged", "high (two full environments during the switch)",
         "medium (all traffic switches at once)", "instant (switch the router back)",
         "only what monitoring sees after the switch; nothing beforehand",
         "releases that need a clean, all-at-once cutover with an instant way back"),
    ]
    return pd.DataFrame(rows, columns=["strategy", "kind", "latency", "cost", "risk", "rollback_speed",
                                       "detects", "when_to_use"])


def canary_detection_probability(baseline_error_rate: Any, regressed_error_rate: Any, canary_share: Any,
                                 total_requests: Any, alpha: float = 0.05, subgroup_share: Any = 1.0,
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
      smooth and monotone in n (Fleiss, Levin & Paik, *Statistical Methods for Rates and
      Proportions*, 3rd ed., ch. 2, one-sample case).

    Small canaries (small ``n``) and subgroup regressions (small ``g``) both shrink the
    detectable effect, which is why a 1 % canary can ship a bug that hurts one customer
    segment. Broadcasts.

    Parameters
    ----------
    baseline_error_rate : float or array
        p₀ in (0, 1).
    regressed_error_rate : float or array
        p₁ in [0, 1], the new version's error rate inside the affected subgroup.
    canary_share : float or array
        Fraction of traffic routed to the canary, in (0, 1].
    total_requests : int or array
        Requests during the analysis window, ≥ 1.
    alpha : float, default 0.05
        Significance level in (0, 1).
    subgroup_share : float or array, default 1.0
        g in (0, 1]: the fraction of traffic the regression affects.
    method : {"exact", "normal"}

    Examples
    --------
    Baseline 1 % errors, regressed to 2 %, 10 000 requests in the window:

    >>> round(canary_detection_probability(0.01, 0.02, 0.05, 10_000), 3)     # 500 canary requests
    0.543
    >>> round(canary_detection_probability(0.01, 0.02, 0.05, 10_000, subgroup_share=0.1), 3)
    0.053
    """
    p0 = as_float_array(baseline_error_rate, "baseline_error_rate")
    p1 = as_float_array(regressed_error_rate, "regressed_error_rate")
    share = as_float_array(canary_share, "canary_share")
    total = as_float_array(total_requests, "total_requests")
    g = as_float_array(subgroup_share, "subgroup_share")
    require((p0 > 0) & (p0 < 1), "baseline_error_rate", baseline_error_rate, "must be in (0, 1)")
    require((p1 >= 0) & (p1 <= 1), "regressed_error_rate", regressed_error_rate, "must be in [0, 1]")
    require((share > 0) & (share <= 1), "canary_share", canary_share, "must be in (0, 1]")
    require(np.isfinite(total) & (total >= 1), "total_requests", total_requests, "must be ≥ 1")
    require((g > 0) & (g <= 1), "subgroup_share", subgroup_share, "must be in (0, 1]")
    require(0 < alpha < 1, "alpha", alpha, "must be in (0, 1)")
    require(method in ("exact", "normal"), "method", method, "must be one of exact, normal")
    n = np.floor(share * total)
    require(n >= 1, "canary_share", canary_share, "times total_requests must give the canary ≥ 1 request")
    p_eff = (1.0 - g) * p0 + g * p1
    if method == "exact":
        k = stats.binom.isf(alpha, n, p0)
        power = stats.binom.sf(k, n, p_eff)
    else:
        z = stats.norm.ppf(1.0 - alpha)
        sd1 = np.sqrt(p_eff * (1.0 - p_eff))
        with np.errstate(divide="ignore", invalid="ignore"):
            arg = (np.sqrt(n) * (p_eff - p0) - z * np.sqrt(p0 * (1.0 - p0))) / sd1
        # p_eff ∈ {0, 1}: no variance; the test rejects for sure iff the effect is positive.
        arg = np.where(sd1 > 0, arg, np.where(p_eff > p0, np.inf, -np.inf))
        power = stats.norm.cdf(arg)
    return scalar_or_array(np.asarray(power, dtype=float))


#: One-way propagation delay in optical fibre, µs per km (planning round-up). Light in fibre
#: travels at v = c / n_g; the group index of standard single-mode (ITU-T G.652-class)
#: silica fibre is n_g ≈ 1.47, so v ≈ 204 000 km/s ≈ 2/3 c, i.e. 4.9 µs/km.
FIBRE_US_PER_KM: float = 5.0


def network_latency_ms(distance_km: Any, route_factor: Any = 1.0, hops: Any = 0, per_hop_ms: Any = 0.0,
                       round_trip: bool = True, us_per_km: float = FIBRE_US_PER_KM) -> Any:
    r"""Network latency over fibre: propagation plus per-hop processing, in ms.

    .. math:: t = k \cdot \big(route \cdot d \cdot 5\,\mu s/km + hops \cdot t_{hop}\big), \quad k = 2 \text{ (round trip) or } 1

    Light in silica fibre travels at v = c/n_g, n_g ≈ 1.47 for standard single-mode fibre,
    i.e. about 2/3 of its vacuum speed (≈ 204 000 km/s, 4.9 µs/km; 5 µs/km is the usual
    planning round-up, :data:`FIBRE_US_PER_KM`).
    ``route_factor`` ≥ 1 accounts for fibre paths being longer than the great-circle
    distance; ``hops × per_hop_ms`` adds router/switch/queueing delay per hop on the path.
    The defaults give the physical lower bound — why an edge site 50 km away answers in
    about half a millisecond while a cloud region 2000 km away can never beat 20 ms.
    Broadcasts.

    Parameters
    ----------
    distance_km : float or array
        Great-circle distance, km, ≥ 0.
    route_factor : float or array, default 1.0
        Path length over great-circle distance, ≥ 1.
    hops : int or array, default 0
        Network hops one way, ≥ 0.
    per_hop_ms : float or array, default 0.0
        Processing and queueing per hop, ms, ≥ 0.
    round_trip : bool, default True
        Double the one-way time (request and response).
    us_per_km : float, default 5.0
        One-way propagation delay, µs/km, > 0.

    Examples
    --------
    >>> network_latency_ms(2000)                 # cloud region 2000 km away, RTT lower bound
    20.0
    >>> network_latency_ms([50, 2000], route_factor=1.5, hops=[3, 12], per_hop_ms=0.1).tolist()
    [1.35, 32.4]
    """
    d = as_float_array(distance_km, "distance_km")
    rf = as_float_array(route_factor, "route_factor")
    h = as_float_array(hops, "hops")
    ph = as_float_array(per_hop_ms, "per_hop_ms")
    require(np.isfinite(d) & (d >= 0), "distance_km", distance_km, "must be finite and ≥ 0 km")
    require(np.isfinite(rf) & (rf >= 1), "route_factor", route_factor,
            "must be ≥ 1 (a fibre path is never shorter than the great circle)")
    require(np.isfinite(h) & (h >= 0), "hops", hops, "must be ≥ 0")
    require(np.isfinite(ph) & (ph >= 0), "per_hop_ms", per_hop_ms, "must be finite and ≥ 0 ms")
    require(us_per_km > 0, "us_per_km", us_per_km, "must be > 0 µs/km")
    one_way = rf * d * us_per_km / 1000.0 + h * ph
    return scalar_or_array(np.round(one_way * (2.0 if round_trip else 1.0), 12))
