r"""Queueing theory for a serving fleet: Little's law, Erlang B/C, M/M/c, M/M/1, M/G/1.

Every queueing model takes ``(arrival_rate_rps, service_rate_rps, servers, ...)`` — λ and μ in
requests per second, c a count — and the Erlang functions take ``(offered_load, servers)``,
the load in Erlangs first, as in the B(A, N) notation of the Erlang tables. Times come out in
seconds (``_s``) when the rates are per second.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import gammaln

from infra_lab._checks import (
    count, count_result, finite_result, fraction, nonnegative, positive, require, scalar_or_array,
)
from infra_lab._results import Result

from ._kernels import erlang_b_table as _erlang_b_table, hypoexp_tail as _hypoexp_tail

__all__ = ["littles_law", "erlang_b", "erlang_c", "MMcResult", "mmc", "mm1", "MG1Result", "mg1",
           "replicas_for_slo", "ReplicaSlots", "replica_slots", "slot_replicas_for_slo"]

#: The most servers a model accepts: the Erlang recursion runs once per server, so 10⁷
#: servers take about a second; more would hang a notebook rather than answer.
MAX_SERVERS = 10_000_000


def _servers(servers: Any, name: str = "servers") -> np.ndarray:
    return count(name, servers, minimum=1, maximum=MAX_SERVERS)


def _quantile_level(name: str, q: Any) -> np.ndarray:
    return fraction(name, q, low_open=True, high_open=True)


def littles_law(arrival_rate_rps: Any = None, time_in_system_s: Any = None, number_in_system: Any = None) -> Any:
    r"""Little's law: give two of the three quantities, get the third.

    .. math:: L = \lambda W

    Holds for any stable system in steady state, whatever the arrival and service
    distributions. Broadcasts. The law itself only needs consistent units: rates per hour
    with times in hours give the same L.

    Parameters
    ----------
    arrival_rate_rps : float or array_like, optional
        λ, requests/s, finite, ≥ 0 (> 0 when W is solved for).
    time_in_system_s : float or array_like, optional
        W, mean time a request spends in the system, s, finite, ≥ 0 (> 0 when λ is solved for).
    number_in_system : float or array_like, optional
        L, mean number of requests in the system, finite, ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        The quantity not given: L (requests), W (s) or λ (requests/s).

    See Also
    --------
    mmc : M/M/c metrics, which satisfy L = λW and L_q = λW_q.

    References
    ----------
    Little, J. D. C. (1961), "A Proof for the Queuing Formula: L = λW", *Operations
    Research* 9(3), pp. 383–387. Gross, Shortle, Thompson & Harris, *Fundamentals of
    Queueing Theory*, 4th ed., Wiley 2008, §1.5 (Little's formulas). Bronson & Naadimuthu, *Schaum's Outline of Operations
    Research*, 2nd ed., Problem 23.3 (λ = 24/h, L = 4 → W = 1/6 h).

    Examples
    --------
    >>> littles_law(arrival_rate_rps=1200, time_in_system_s=0.180)   # requests in flight
    216.0
    >>> littles_law(arrival_rate_rps=24, number_in_system=4)       # per hour → hours (Bronson 23.3)
    0.16666666666666666
    """
    names = ("arrival_rate_rps", "time_in_system_s", "number_in_system")
    given = {k: nonnegative(k, v) for k, v in zip(names, (arrival_rate_rps, time_in_system_s, number_in_system))
             if v is not None}
    if len(given) != 2:
        raise ValueError(f"littles_law needs exactly two of arrival_rate_rps, time_in_system_s, number_in_system; "
                         f"got {sorted(given) or 'none'}")
    with np.errstate(over="ignore"):
        if "number_in_system" not in given:
            out = given["arrival_rate_rps"] * given["time_in_system_s"]
        elif "time_in_system_s" not in given:
            require(given["arrival_rate_rps"] > 0, "arrival_rate_rps", arrival_rate_rps,
                    "must be > 0 to solve W = L / λ")
            out = given["number_in_system"] / given["arrival_rate_rps"]
        else:
            require(given["time_in_system_s"] > 0, "time_in_system_s", time_in_system_s,
                    "must be > 0 to solve λ = L / W")
            out = given["number_in_system"] / given["time_in_system_s"]
    finite_result("littles_law", out, "the inputs are too large")
    return scalar_or_array(out)


def erlang_b(offered_load: Any, servers: Any) -> Any:
    r"""Erlang B: probability that an arrival finds all ``servers`` busy in M/M/c/c (blocked).

    Stable recursion (never :math:`a^c/c!`, which overflows past c ≈ 170):

    .. math:: B(a, 0) = 1, \qquad B(a, k) = \frac{a\,B(a, k-1)}{k + a\,B(a, k-1)}, \quad k = 1..c

    Broadcasts over both inputs; the recursion runs once up to max(servers) and is indexed,
    so a sweep over server counts costs one recursion. Any load is allowed (a loss system
    is always stable).

    Parameters
    ----------
    offered_load : float or array_like
        a = λ/μ in Erlangs; finite, ≥ 0.
    servers : int or array_like of int
        c, a whole number in [1, 10⁷].

    Returns
    -------
    float or numpy.ndarray
        B(a, c), in [0, 1].

    See Also
    --------
    erlang_c : the probability of waiting when blocked arrivals queue instead.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley
    2008, §2.6 (Erlang's loss formula, M/M/c/c).

    Examples
    --------
    >>> round(erlang_b(1.0, 2), 6)      # a²/2 / (1 + a + a²/2) = 0.5 / 2.5
    0.2
    >>> erlang_b(2.0, [1, 2, 3]).round(4).tolist()
    [0.6667, 0.4, 0.2105]
    """
    a = nonnegative("offered_load", offered_load, unit="Erlangs")
    c = _servers(servers)
    return scalar_or_array(_erlang_b_table(c, a))


def erlang_c(offered_load: Any, servers: Any) -> Any:
    r"""Erlang C: probability that an arrival must wait in an M/M/c queue.

    .. math:: C(a, c) = \frac{c\,B(a, c)}{c - a\,(1 - B(a, c))}

    with :math:`B` from :func:`erlang_b` (stable for millions of servers). For an unstable
    system (:math:`a \ge c`, i.e. ρ ≥ 1) the queue grows without bound and every arrival
    eventually waits, so this returns **1.0** there rather than raising — a sweep over loads
    stays plottable. :func:`mmc` refuses ρ ≥ 1, because waiting *times* are infinite there.

    Parameters
    ----------
    offered_load : float or array_like
        a = λ/μ in Erlangs; finite, ≥ 0.
    servers : int or array_like of int
        c, a whole number in [1, 10⁷].

    Returns
    -------
    float or numpy.ndarray
        C(a, c) = P(W_q > 0), in [0, 1].

    See Also
    --------
    erlang_b : the loss probability it is computed from.
    mmc : waiting times and percentiles of the same queue.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley
    2008, §2.3 (M/M/c, the probability of delay C(c, r)).

    Examples
    --------
    >>> round(erlang_c(0.8, 1), 12)   # M/M/1: C = ρ
    0.8
    >>> round(erlang_c(1.0, 2), 6)    # 2·0.2 / (2 − 1·0.8)
    0.333333
    >>> erlang_c(3.0, [1, 2]).tolist()   # unstable: everyone waits
    [1.0, 1.0]
    """
    a = nonnegative("offered_load", offered_load, unit="Erlangs")
    c = _servers(servers)
    b = _erlang_b_table(c, a)
    c_b, a_b = np.broadcast_arrays(c.astype(float), a)
    with np.errstate(divide="ignore", invalid="ignore"):
        pw = c_b * b / (c_b - a_b * (1.0 - b))
    pw = np.where(a_b >= c_b, 1.0, np.clip(pw, 0.0, 1.0))
    return scalar_or_array(pw)


class _ProbWaitAlias:
    """``prob_wait``, the field's old name: still readable for one release, with a warning."""

    @property
    def prob_wait(self) -> Any:
        warnings.warn("prob_wait is deprecated; read prob_queued (the same number)", DeprecationWarning,
                      stacklevel=2)
        return self.prob_queued  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MMcResult(_ProbWaitAlias, Result):
    r"""Steady-state M/M/c metrics (times in seconds when rates are per second).

    Methods give the distributions: :meth:`wait_survival` P(W_q > t) = C e^{−(cμ−λ)t},
    :meth:`response_survival` P(T > t), :meth:`wait_quantile` and :meth:`response_quantile`.

    Attributes
    ----------
    arrival_rate_rps : float or numpy.ndarray
        λ, requests/s.
    service_rate_rps : float or numpy.ndarray
        μ, requests/s per server.
    servers : int or numpy.ndarray
        c.
    utilization : float or numpy.ndarray
        ρ = λ / (cμ).
    prob_queued : float or numpy.ndarray
        Erlang C, P(W_q > 0): the probability that an arrival waits in the queue.
    prob_empty : float or numpy.ndarray
        p₀, the probability that the system is empty.
    mean_wait_s : float or numpy.ndarray
        W_q = C / (cμ − λ), s.
    mean_response_s : float or numpy.ndarray
        W = W_q + 1/μ, s.
    mean_queue_length : float or numpy.ndarray
        L_q = λ W_q.
    mean_in_system : float or numpy.ndarray
        L = λ W.

    See Also
    --------
    mmc, mm1 : the functions that return it.
    """

    arrival_rate_rps: Any
    service_rate_rps: Any
    servers: Any
    utilization: Any
    prob_queued: Any
    prob_empty: Any
    mean_wait_s: Any
    mean_response_s: Any
    mean_queue_length: Any
    mean_in_system: Any

    def _theta(self) -> np.ndarray:
        return np.asarray(self.servers) * np.asarray(self.service_rate_rps) - np.asarray(self.arrival_rate_rps)

    def wait_survival(self, t_s: Any) -> Any:
        r"""P(W_q > t) = C·e^{−(cμ−λ)t} for t ≥ 0 s (Gross et al., 4th ed., §2.3).

        >>> round(mm1(0.5, 1.0).wait_survival(2.0), 6)   # 0.5 · e^{−0.5·2}
        0.18394
        """
        t = nonnegative("t_s", t_s, finite=False)
        return scalar_or_array(np.asarray(self.prob_queued) * np.exp(-self._theta() * t))

    def response_survival(self, t_s: Any) -> Any:
        r"""P(T > t) for the response time T = W_q + S, S ~ Exp(μ), t ≥ 0 s.

        .. math:: P(T > t) = (1 - C)e^{-\mu t} + C\,\frac{\theta e^{-\mu t} - \mu e^{-\theta t}}{\theta - \mu},
                  \quad \theta = c\mu - \lambda

        (Gross et al., 4th ed., §2.3; the θ = μ case is the Erlang-2 limit (1 + μt)e^{−μt},
        handled without cancellation.)
        """
        t = nonnegative("t_s", t_s, finite=False)
        return scalar_or_array(self._response_tail(t))

    def _response_tail(self, t: np.ndarray) -> np.ndarray:
        mu = np.asarray(self.service_rate_rps, dtype=float)
        c_w = np.asarray(self.prob_queued, dtype=float)
        return (1.0 - c_w) * np.exp(-mu * t) + c_w * _hypoexp_tail(t, mu, self._theta())

    def wait_quantile(self, q: Any) -> Any:
        r"""q-quantile of the waiting time W_q, s (q in (0, 1), e.g. 0.99 for p99).

        W_q has an atom of mass 1 − C at zero, so the quantile is 0 for q ≤ 1 − C and
        :math:`\ln(C / (1 - q)) / (c\mu - \lambda)` above it.

        >>> round(mm1(0.5, 1.0).wait_quantile(0.9), 6)   # ln(0.5/0.1)/0.5
        3.218876
        """
        qq = _quantile_level("q", q)
        c_w = np.asarray(self.prob_queued, dtype=float)
        with np.errstate(divide="ignore"):
            t = np.log(c_w / (1.0 - qq)) / self._theta()
        return scalar_or_array(np.where(qq <= 1.0 - c_w, 0.0, t))

    def response_quantile(self, q: Any) -> Any:
        """q-quantile of the response time T = W_q + S, s, by vectorised bisection.

        The survival function :meth:`response_survival` is decreasing, so bisection on
        [0, hi] converges; hi uses P(T > t) ≤ 1.22·e^{−m t/2} with m = min(μ, cμ − λ).

        >>> r = mmc(8.0, 1.0, 10)
        >>> bool(r.response_quantile(0.99) > r.response_quantile(0.5))
        True
        """
        qq = _quantile_level("q", q)
        mu = np.asarray(self.service_rate_rps, dtype=float)
        m = np.minimum(mu, self._theta())
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


def _rates(arrival_rate_rps: Any, service_rate_rps: Any) -> tuple[np.ndarray, np.ndarray]:
    lam = nonnegative("arrival_rate_rps", arrival_rate_rps, unit="requests/s")
    mu = positive("service_rate_rps", service_rate_rps, unit="requests/s per server")
    return lam, mu


def _unstable(lam: np.ndarray, mu: np.ndarray, c: np.ndarray, rho: np.ndarray) -> None:
    bad = rho >= 1
    if np.any(bad):
        i = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.ndim else ()
        l_i, m_i, c_i, r_i = (np.broadcast_to(x, bad.shape)[i] for x in (lam, mu, c, rho))
        raise ValueError(
            f"unstable queue: arrival_rate_rps λ={float(l_i):g} ≥ servers c={int(c_i)} × service_rate_rps "
            f"μ={float(m_i):g} (utilisation ρ = λ/(cμ) = {float(r_i):.4g} ≥ 1); the queue grows "
            f"without bound, so steady-state waits do not exist. Add servers (c > λ/μ) or reduce load.")


def mmc(arrival_rate_rps: Any, service_rate_rps: Any, servers: Any) -> MMcResult:
    r"""Steady-state metrics of the M/M/c queue (Poisson arrivals, exponential service, c servers, FIFO).

    .. math::
        a = \lambda/\mu,\quad \rho = a/c,\quad C = C(a, c),\quad
        W_q = \frac{C}{c\mu - \lambda},\quad W = W_q + \frac{1}{\mu},\quad
        L_q = \lambda W_q,\quad L = \lambda W,\quad P(W_q > t) = C e^{-(c\mu - \lambda)t}

    with C from :func:`erlang_c`. Broadcasts over all three inputs.

    Parameters
    ----------
    arrival_rate_rps : float or array_like
        λ, requests/s; finite, ≥ 0.
    service_rate_rps : float or array_like
        μ, requests/s one server completes (1 / mean service time); finite, > 0.
    servers : int or array_like of int
        c, a whole number in [1, 10⁷].

    Returns
    -------
    MMcResult
        Utilisation, probability of queueing, p₀, mean waits and lengths; methods for the
        wait and response-time distributions and percentiles.

    Raises
    ------
    ValueError
        If ρ = λ/(cμ) ≥ 1 — the queue is unstable and has no steady state.

    See Also
    --------
    mm1 : the one-server case.
    mg1 : one server with a general service-time distribution.
    replicas_for_slo : the smallest c meeting a response-time percentile.
    simulate_queue : a discrete-event check of these numbers.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley
    2008, §2.3 (M/M/c: p₀, L_q, W_q and the waiting-time distribution). Bronson &
    Naadimuthu, *Schaum's Outline of Operations Research*, 2nd ed., ch. 23–24.

    Examples
    --------
    The article's service as 8 M/M/8 replicas at 150 req/s each, offered 1200 req/s, is
    unstable (ρ = 1); at 1000 req/s (ρ = 0.83):

    >>> r = mmc(1000, 150, 8)
    >>> round(r.utilization, 4), round(r.prob_queued, 4), round(r.mean_wait_s * 1000, 2)
    (0.8333, 0.5327, 2.66)
    >>> round(r.response_quantile(0.99) * 1000, 1)   # p99 response time, ms
    36.4
    """
    lam, mu = _rates(arrival_rate_rps, service_rate_rps)
    c = _servers(servers)
    lam_b, mu_b, c_b = np.broadcast_arrays(lam, mu, c)
    a = lam_b / mu_b
    rho = a / c_b
    _unstable(lam_b, mu_b, c_b, rho)
    pw = np.asarray(erlang_c(a, c_b), dtype=float)
    wq = pw / (c_b * mu_b - lam_b)
    w = wq + 1.0 / mu_b
    # p0 = C(1 − ρ) c! / a^c, evaluated in logs so c in the thousands neither overflows nor NaNs.
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p0 = np.log(pw) + np.log1p(-rho) + gammaln(c_b + 1.0) - c_b * np.log(a)
        p0 = np.where(a > 0, np.exp(np.minimum(log_p0, 0.0)), 1.0)
    return MMcResult(
        arrival_rate_rps=scalar_or_array(lam_b.astype(float)), service_rate_rps=scalar_or_array(mu_b.astype(float)),
        servers=scalar_or_array(c_b), utilization=scalar_or_array(rho), prob_queued=scalar_or_array(pw),
        prob_empty=scalar_or_array(p0), mean_wait_s=scalar_or_array(wq), mean_response_s=scalar_or_array(w),
        mean_queue_length=scalar_or_array(lam_b * wq), mean_in_system=scalar_or_array(lam_b * w),
    )


def mm1(arrival_rate_rps: Any, service_rate_rps: Any) -> MMcResult:
    r"""M/M/1 queue: :func:`mmc` with one server.

    .. math:: \rho = \lambda/\mu,\quad L = \frac{\rho}{1-\rho},\quad L_q = \frac{\rho^2}{1-\rho},
              \quad W = \frac{1}{\mu - \lambda},\quad p_0 = 1 - \rho

    Parameters
    ----------
    arrival_rate_rps : float or array_like
        λ, requests/s (or any rate unit, used consistently); finite, ≥ 0.
    service_rate_rps : float or array_like
        μ, same unit as λ; finite, > 0 and > λ.

    Returns
    -------
    MMcResult
        As :func:`mmc` with c = 1 (times in the inverse of the rates' unit).

    See Also
    --------
    mmc : c servers.
    mg1 : a general service-time distribution.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.2
    (M/M/1). Bronson & Naadimuthu, *Schaum's Outline of Operations Research*, 2nd ed.,
    Problem 23.3 (λ = 24/h, μ = 30/h → L = 4, W = 1/6 h, p₀ = 0.2).

    Examples
    --------
    >>> r = mm1(24, 30)
    >>> round(r.mean_in_system, 9), round(r.mean_response_s, 9), round(r.prob_empty, 9)
    (4.0, 0.166666667, 0.2)
    """
    return mmc(arrival_rate_rps, service_rate_rps, 1)


@dataclass(frozen=True)
class MG1Result(_ProbWaitAlias, Result):
    r"""Steady-state M/G/1 metrics (Pollaczek–Khinchine), seconds when rates are per second.

    Attributes
    ----------
    utilization : float or numpy.ndarray
        ρ = λ E[S] = λ/μ.
    prob_queued : float or numpy.ndarray
        P(W_q > 0) = ρ (PASTA: an arrival waits iff the server is busy).
    mean_wait_s : float or numpy.ndarray
        W_q = λ E[S²] / (2(1 − ρ)), s.
    mean_response_s : float or numpy.ndarray
        W = W_q + E[S], s.
    mean_queue_length : float or numpy.ndarray
        L_q = λ W_q.
    mean_in_system : float or numpy.ndarray
        L = λ W.

    See Also
    --------
    mg1 : the function that returns it.
    """

    utilization: Any
    prob_queued: Any
    mean_wait_s: Any
    mean_response_s: Any
    mean_queue_length: Any
    mean_in_system: Any


def mg1(arrival_rate_rps: Any, service_rate_rps: Any, service_scv: Any = None,
        second_moment_s2: Any = None) -> MG1Result:
    r"""M/G/1 queue by the Pollaczek–Khinchine formula.

    .. math:: E[S] = 1/\mu,\quad \rho = \lambda E[S],\quad W_q = \frac{\lambda E[S^2]}{2(1-\rho)},\quad
              E[S^2] = (1 + SCV)\,E[S]^2,\quad L_q = \lambda W_q

    SCV (squared coefficient of variation, Var[S]/E[S]²) is 1 for exponential service (M/M/1)
    and 0 for deterministic service (M/D/1, which halves M/M/1's L_q). Give exactly one of
    ``service_scv`` and ``second_moment_s2``. Broadcasts.

    Parameters
    ----------
    arrival_rate_rps : float or array_like
        λ, requests/s; finite, ≥ 0.
    service_rate_rps : float or array_like
        μ = 1/E[S], requests/s the server completes; finite, > 0 (like :func:`mmc`).
    service_scv : float or array_like, optional
        Var[S]/E[S]²; finite, ≥ 0.
    second_moment_s2 : float or array_like, optional
        E[S²], s²; finite, ≥ E[S]² = 1/μ².

    Returns
    -------
    MG1Result
        Utilisation, probability of queueing, mean waits and lengths.

    Raises
    ------
    ValueError
        If ρ ≥ 1 (unstable), or not exactly one of ``service_scv``/``second_moment_s2`` is given.

    See Also
    --------
    mm1 : the exponential-service case (SCV = 1).
    mmc : c servers with exponential service.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §5.1
    (M/G/1, the Pollaczek–Khintchine formula). Bronson & Naadimuthu, *Schaum's Outline of
    Operations Research*, 2nd ed., Problem 23.14 (λ = 30/h, μ = 40/h → L_q = 2.25).

    Examples
    --------
    >>> round(mg1(30, 40, service_scv=1).mean_queue_length, 12)   # M/M/1: ρ²/(1−ρ) (Bronson 23.14)
    2.25
    >>> round(mg1(30, 40, service_scv=0).mean_queue_length, 12)   # M/D/1: half of it
    1.125
    """
    lam, mu = _rates(arrival_rate_rps, service_rate_rps)
    es = 1.0 / mu
    if (service_scv is None) == (second_moment_s2 is None):
        raise ValueError("mg1 needs exactly one of service_scv (Var[S]/E[S]², 1 for exponential, "
                         "0 for deterministic) and second_moment_s2 (E[S²] in s²)")
    with np.errstate(over="ignore"):
        if service_scv is not None:
            es2 = (1.0 + nonnegative("service_scv", service_scv)) * es**2
        else:
            es2 = nonnegative("second_moment_s2", second_moment_s2, unit="s²")
            require(es2 >= es**2 * (1 - 1e-12), "second_moment_s2", second_moment_s2,
                    "must be ≥ (1 / service_rate_rps)² = E[S]² (a variance cannot be negative)")
        lam, es, es2 = np.broadcast_arrays(lam, es, es2)
        rho = lam * es
        _unstable(lam, 1.0 / es, np.ones(rho.shape, dtype=int), rho)
        # W_q directly (not L_q / λ), so λ = 0 gives W_q = 0 without a division by zero.
        wq = lam * es2 / (2.0 * (1.0 - rho))
        w = wq + es
    finite_result("mean_wait_s", wq, "service_scv or second_moment_s2 is too large")
    return MG1Result(utilization=scalar_or_array(rho), prob_queued=scalar_or_array(rho),
                     mean_wait_s=scalar_or_array(wq), mean_response_s=scalar_or_array(w),
                     mean_queue_length=scalar_or_array(lam * wq), mean_in_system=scalar_or_array(lam * w))


def replicas_for_slo(arrival_rate_rps: Any, service_rate_rps: Any, latency_slo_s: Any, percentile: Any = 0.99,
                     max_servers: Any = 100_000) -> Any:
    r"""Smallest number of M/M/c servers whose response-time percentile meets an SLO.

    .. math:: c^* = \min\{c > \lambda/\mu : t_p(c) \le SLO\}, \qquad P(T > t_p(c)) = 1 - p

    with the response-time distribution of :meth:`MMcResult.response_survival`. t_p(c)
    decreases with c towards the service-time percentile :math:`-\ln(1-p)/\mu`, so an SLO at
    or below that is impossible whatever the fleet size (a ``ValueError`` says so). The
    search doubles c from the stability bound until the SLO holds, then evaluates every c in
    the last bracket at once (one Erlang recursion) and takes the first that meets it. Array
    inputs broadcast; each element is solved separately.

    Parameters
    ----------
    arrival_rate_rps : float or array_like
        λ, requests/s; finite, ≥ 0.
    service_rate_rps : float or array_like
        μ per server, requests/s; finite, > 0.
    latency_slo_s : float or array_like
        The response-time objective, s; finite, > 0.
    percentile : float, default 0.99
        p in (0, 1).
    max_servers : int, default 100000
        Give up (ValueError) beyond this many servers; a whole number in [1, 10⁷].

    Returns
    -------
    int or numpy.ndarray of int
        The smallest c.

    See Also
    --------
    mmc : the model searched over.
    required_replicas : replicas from a utilisation target instead.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.3
    (M/M/c waiting-time distribution) and §2.4 (choosing the number of servers).

    Examples
    --------
    The article's 1200 req/s at 150 req/s per replica: 8 replicas would run at ρ = 1 (an
    unstable queue). A p99 of 50 ms needs one more; 32 ms, barely above the p99 of the
    service time itself (ln 100 / 150 s = 30.7 ms), needs eleven:

    >>> replicas_for_slo(1200, 150, [0.050, 0.032]).tolist()
    [9, 11]
    """
    lam, mu = _rates(arrival_rate_rps, service_rate_rps)
    slo = positive("latency_slo_s", latency_slo_s, unit="s")
    p = _quantile_level("percentile", percentile)
    require(p.ndim == 0, "percentile", percentile, "must be a single number in (0, 1)")
    cap = int(_servers(max_servers, "max_servers"))
    lam_b, mu_b, slo_b = np.broadcast_arrays(lam, mu, slo)
    out = np.empty(lam_b.shape, dtype=np.int64)
    for idx in np.ndindex(lam_b.shape):  # one search per element: inputs are small sweeps
        out[idx] = _replicas_for_slo_one(float(lam_b[idx]), float(mu_b[idx]), float(slo_b[idx]), float(p), cap)
    return scalar_or_array(out)


def _replicas_for_slo_one(lam: float, mu: float, slo: float, p: float, max_servers: int) -> int:
    floor_s = -math.log1p(-p) / mu
    if slo <= floor_s:
        raise ValueError(
            f"latency_slo_s={slo:g}: impossible — the p{100 * p:g} of the service time alone is "
            f"{floor_s:g} s at service_rate_rps={mu:g}; no number of servers brings the response time "
            f"below it. Speed up each request (raise service_rate_rps) or relax the SLO.")
    if lam == 0:
        return 1
    c_lo = int(math.floor(lam / mu)) + 1  # smallest stable c
    if c_lo > max_servers:
        raise ValueError(f"max_servers={max_servers}: a stable queue needs more than arrival_rate_rps / "
                         f"service_rate_rps = {lam:g} / {mu:g} = {lam / mu:g} servers; raise max_servers "
                         "(at most 10⁷) or reduce the load")

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



@dataclass(frozen=True)
class ReplicaSlots(Result):
    r"""A replica seen as concurrent slots, consistent with its throughput *and* its latency.

    Attributes
    ----------
    slots : int or numpy.ndarray
        k, requests one replica serves at once: :math:`k = \max(1, \mathrm{round}(X t))`.
    slot_service_rate_rps : float or numpy.ndarray
        μ = X / k, requests/s per slot, so k slots carry exactly the replica's throughput X.
    service_time_s : float or numpy.ndarray
        1/μ = k / X, s — the inference time t, up to the rounding of k.

    See Also
    --------
    replica_slots : returns it.
    slot_replicas_for_slo : sizes a fleet of such replicas for a latency percentile.
    """

    slots: Any
    slot_service_rate_rps: Any
    service_time_s: Any


def replica_slots(throughput_per_replica_rps: Any, inference_time_s: Any) -> ReplicaSlots:
    r"""Model a replica as k slots that each serve one request for the inference time.

    Little's law inside one busy replica, :math:`L = \lambda W`, with the replica's throughput
    X as λ and its inference time t as W, gives the requests it holds at once:

    .. math:: k = \max\big(1, \mathrm{round}(X\,t)\big), \qquad \mu_{slot} = X / k

    A queueing model of the fleet is then M/M/(c·k) with service rate μ_slot per server: its
    capacity is c·X (the article's :math:`Capacity = Replicas \times Throughput`) *and* every
    request is served for ≈ t, so a response time can never beat the inference time. Feeding
    μ = X to a c-server queue instead (one request at a time per replica) would claim a
    service time of 1/X — 6.7 ms at 150 req/s against an 80 ms model.

    Parameters
    ----------
    throughput_per_replica_rps : float or array_like
        X, sustained requests/s of one replica; finite, > 0.
    inference_time_s : float or array_like
        t, time one request spends in the model, s; finite, > 0.

    Returns
    -------
    ReplicaSlots

    See Also
    --------
    slot_replicas_for_slo : the fleet size for a latency percentile on this model.
    littles_law : the relation used.

    References
    ----------
    J. D. C. Little, "A Proof for the Queuing Formula: L = λW", *Operations Research* 9(3),
    1961 (the theorem, applied to one replica). The article, "Worked Example: Serving
    Capacity and Latency Budget" (150 req/s per replica, 80 ms model inference).

    Examples
    --------
    The article's replica: 150 req/s at 80 ms holds 12 requests at once, each slot serving
    12.5 requests/s (80 ms each):

    >>> r = replica_slots(150, 0.080)
    >>> int(r.slots), float(r.slot_service_rate_rps), round(float(r.service_time_s), 3)
    (12, 12.5, 0.08)
    """
    x = positive("throughput_per_replica_rps", throughput_per_replica_rps, unit="req/s")
    t = positive("inference_time_s", inference_time_s, unit="s")
    x_b, t_b = np.broadcast_arrays(x, t)
    k = np.maximum(1.0, np.round(x_b * t_b))
    count_result("slots", k)  # refuses a slot count that overflows int64
    k_arr = np.asarray(k, dtype=float)
    mu = finite_result("slot_service_rate_rps", x_b / k_arr)
    return ReplicaSlots(slots=scalar_or_array(np.asarray(k_arr, dtype=np.int64)),
                        slot_service_rate_rps=scalar_or_array(mu),
                        service_time_s=scalar_or_array(k_arr / x_b))


def slot_replicas_for_slo(arrival_rate_rps: Any, throughput_per_replica_rps: Any, inference_time_s: Any,
                          latency_slo_s: Any, percentile: Any = 0.99, max_replicas: Any = 100_000) -> Any:
    r"""Smallest fleet of slot replicas whose response-time percentile meets an SLO.

    Each replica is k slots (:func:`replica_slots`); the fleet is one shared queue in front of
    c·k slots. A request's response is the wait for a free slot plus the inference time t,
    taken as constant (a model's forward pass varies little); the wait is that of M/M/(c·k)
    (Erlang C, exponential tail):

    .. math:: c^* = \min\Big\{c > \frac{\lambda}{X} : t + \frac{\ln\big(C(ck, \lambda/\mu)/(1-p)\big)^+}
              {ck\mu - \lambda} \le SLO\Big\}

    M/M/c waits overstate those of constant service (Allen–Cunneen: by about
    :math:`2/(1 + c_s^2) = 2`), so the fleet is a conservative plan. An SLO at or below t is
    impossible whatever the fleet (``ValueError``).

    Parameters
    ----------
    arrival_rate_rps : float
        λ, requests/s; finite, ≥ 0.
    throughput_per_replica_rps : float
        X, requests/s of one replica; finite, > 0.
    inference_time_s : float
        t, s; finite, > 0.
    latency_slo_s : float
        The response-time objective (wait + inference), s; finite, > 0.
    percentile : float, default 0.99
        p in (0, 1).
    max_replicas : int, default 100000
        Give up (ValueError) beyond this many replicas; a whole number in [1, 10⁷].

    Returns
    -------
    int

    See Also
    --------
    replica_slots : the replica model.
    replicas_for_slo : the same search with one exponential server per replica.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.3
    (M/M/c waiting-time distribution). Little (1961) for the slots, see :func:`replica_slots`.

    Examples
    --------
    The article's 1200 req/s, 150 req/s and 80 ms per replica: a p99 of 100 ms (80 ms of
    inference plus the article's 20 ms margin for the queue) needs 9 replicas, not 8 — 108
    pooled slots absorb the randomness that one-at-a-time replicas could not:

    >>> slot_replicas_for_slo(1200, 150, 0.080, 0.100)
    9
    """
    lam = nonnegative("arrival_rate_rps", arrival_rate_rps, unit="req/s")
    x = positive("throughput_per_replica_rps", throughput_per_replica_rps, unit="req/s")
    t = positive("inference_time_s", inference_time_s, unit="s")
    slo = positive("latency_slo_s", latency_slo_s, unit="s")
    p = _quantile_level("percentile", percentile)
    cap = int(_servers(max_replicas, "max_replicas"))
    for name, v in [("arrival_rate_rps", lam), ("throughput_per_replica_rps", x), ("inference_time_s", t),
                    ("latency_slo_s", slo), ("percentile", p)]:
        require(np.ndim(v) == 0, name, v, "must be a single number")
    lam, x, t, slo, p = float(lam), float(x), float(t), float(slo), float(p)
    slots = replica_slots(x, t)
    k, mu, t_s = int(slots.slots), float(slots.slot_service_rate_rps), float(slots.service_time_s)
    if slo <= t_s:
        raise ValueError(f"latency_slo_s={slo:g}: impossible — every request spends the inference time "
                         f"{t_s:g} s in the model, so no fleet brings the response time to or below it; "
                         "relax the SLO or speed up the model")
    if lam == 0:
        return 1
    c = int(math.floor(lam / x)) + 1
    if c > cap:
        raise ValueError(f"max_replicas={cap}: a stable fleet needs more than arrival_rate_rps / "
                         f"throughput_per_replica_rps = {lam:g} / {x:g} replicas; raise max_replicas or reduce the load")
    while True:
        if c > cap:
            raise ValueError(f"max_replicas={cap}: even that many replicas miss latency_slo_s={slo:g} at "
                             f"p{100 * p:g}; raise max_replicas or relax the SLO")
        cs = np.arange(c, min(2 * c, cap) + 1)
        tp = t_s + np.asarray(mmc(lam, mu, cs * k).wait_quantile(p))
        ok = tp <= slo
        if ok.any():
            return int(cs[np.argmax(ok)])
        c = int(cs[-1]) + 1
