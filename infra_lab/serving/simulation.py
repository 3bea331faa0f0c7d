r"""Discrete-event simulation of a FIFO queue, its inputs, and batch-means output analysis.

:func:`simulate_queue` replays any arrival times and service times through c first-come,
first-served servers and returns a :class:`QueueSimulation`; :func:`poisson_arrivals` and
:func:`exponential_service` generate the "M/M" inputs; :func:`batch_means_ci` puts an honest
confidence interval on the mean of the (autocorrelated) waits.
"""

from __future__ import annotations

import heapq
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from infra_lab._checks import (
    count, data_array, finite_result, flag, fraction, nonnegative, positive, require, scalar_or_array, seed as check_seed,
)
from infra_lab._results import Result

__all__ = ["ConfidenceInterval", "batch_means_ci", "QueueSimulation", "simulate_queue", "poisson_arrivals",
           "exponential_service"]

#: The most random draws one call makes: 10⁸ float64 values are 800 MB.
MAX_DRAWS = 100_000_000


@dataclass(frozen=True)
class ConfidenceInterval(Result):
    """A point estimate with a two-sided confidence interval.

    Attributes
    ----------
    estimate : float
        The point estimate (the grand mean of the batch means).
    low : float
        Lower end of the interval.
    high : float
        Upper end of the interval.
    confidence : float
        The confidence level, in (0, 1).

    See Also
    --------
    batch_means_ci : the function that returns it.
    """

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


def batch_means_ci(values: Any, n_batches: Any = 30, confidence: Any = 0.95, warmup: Any = 0) -> ConfidenceInterval:
    r"""Confidence interval for the mean of a correlated series by non-overlapping batch means.

    Successive waits in a queue are strongly autocorrelated, so the naive
    :math:`s/\sqrt{n}` interval is far too narrow. Splitting the series (after ``warmup``)
    into k = ``n_batches`` equal batches of m values makes the batch means
    :math:`\bar{x}_1..\bar{x}_k` nearly independent; then

    .. math:: \bar{x} \pm t_{1-\alpha/2,\,k-1}\, \frac{s_{\bar{x}}}{\sqrt{k}},
              \qquad \alpha = 1 - confidence

    Batches should be much longer than the correlation time (here: busy periods). The last
    ``len − warmup − k·m`` values are dropped.

    Parameters
    ----------
    values : array_like
        The 1-D series; finite, no NaN, at least ``warmup + 2·n_batches`` values.
    n_batches : int, default 30
        k, a whole number ≥ 2.
    confidence : float, default 0.95
        Level in (0, 1).
    warmup : int, default 0
        Leading values dropped (the transient from an empty queue), a whole number ≥ 0.

    Returns
    -------
    ConfidenceInterval

    See Also
    --------
    QueueSimulation.mean_wait_ci : this interval on a simulation's waits.
    simulate_queue : the simulator whose output it analyses.

    References
    ----------
    Law, A. M., *Simulation Modeling and Analysis*, 5th ed., McGraw-Hill 2015, ch. 9
    (output data analysis for a single system: the method of batch means).

    Examples
    --------
    >>> ci = batch_means_ci(np.arange(100.0), n_batches=4)
    >>> ci.estimate, ci.low < 49.5 < ci.high
    (49.5, True)
    """
    x = data_array("values", values)
    k = int(count("n_batches", n_batches, minimum=2))
    level = float(fraction("confidence", confidence, low_open=True, high_open=True))
    skip = int(count("warmup", warmup))
    require(x.size - skip >= 2 * k, "values", f"<{x.size} values>",
            f"needs at least warmup + 2 × n_batches = {skip} + {2 * k} values")
    x = x[skip:]
    m = x.size // k
    means = x[: k * m].reshape(k, m).mean(axis=1)
    est = float(means.mean())
    half = float(stats.t.ppf(0.5 + level / 2, k - 1) * means.std(ddof=1) / math.sqrt(k))
    return ConfidenceInterval(est, est - half, est + half, level)


@dataclass(frozen=True)
class QueueSimulation(Result):
    """Per-request outcome of :func:`simulate_queue` (all arrays in input order, seconds).

    ``start_s``, ``finish_s`` and ``response_s`` (wait + service) are computed on access, so
    a 10⁷-request run does not carry three more arrays it may never read; so are the
    summaries ``mean_wait_s``, ``mean_response_s``, ``prob_queued`` (fraction of requests
    that waited) and ``utilization`` (busy server-time over c × the span from the first
    arrival to the last departure).

    Attributes
    ----------
    arrival_s : numpy.ndarray
        Arrival times, s.
    service_s : numpy.ndarray
        Service times, s.
    wait_s : numpy.ndarray
        Time in queue, s.
    servers : int
        c, the number of servers simulated.
    server : numpy.ndarray or None
        Index of the server that served each request, or ``None`` when not tracked.

    See Also
    --------
    simulate_queue : the function that returns it.
    """

    arrival_s: np.ndarray
    service_s: np.ndarray
    wait_s: np.ndarray
    servers: int
    server: np.ndarray | None = None

    @property
    def start_s(self) -> np.ndarray:
        """Service start times, s."""
        return self.arrival_s + self.wait_s

    @property
    def finish_s(self) -> np.ndarray:
        """Departure times, s."""
        return self.arrival_s + self.wait_s + self.service_s

    @property
    def response_s(self) -> np.ndarray:
        """Response times (wait + service), s."""
        return self.wait_s + self.service_s

    @property
    def mean_wait_s(self) -> float:
        """Mean time in queue, s."""
        return float(self.wait_s.mean())

    @property
    def mean_response_s(self) -> float:
        """Mean response time, s."""
        return float(self.wait_s.mean() + self.service_s.mean())

    @property
    def prob_queued(self) -> float:
        """Fraction of requests that waited (wait > 0)."""
        return float(np.count_nonzero(self.wait_s > 0) / self.wait_s.size)

    @property
    def prob_wait(self) -> float:
        """Deprecated name of :attr:`prob_queued`."""
        warnings.warn("prob_wait is deprecated; read prob_queued (the same number)", DeprecationWarning,
                      stacklevel=2)
        return self.prob_queued

    @property
    def utilization(self) -> float:
        """Busy server-time over c × the span from the first arrival to the last departure."""
        span = float(self.finish_s.max() - self.arrival_s[0])
        return float(self.service_s.sum() / (self.servers * span)) if span > 0 else 0.0

    def wait_quantile(self, q: Any) -> Any:
        """Empirical q-quantile of the waits, s (q in (0, 1))."""
        return scalar_or_array(np.quantile(self.wait_s, fraction("q", q, low_open=True, high_open=True)))

    def response_quantile(self, q: Any) -> Any:
        """Empirical q-quantile of the response times, s (q in (0, 1))."""
        return scalar_or_array(np.quantile(self.response_s, fraction("q", q, low_open=True, high_open=True)))

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


def simulate_queue(arrival_times_s: Any, service_times_s: Any, servers: Any = 1,
                   track_servers: bool = False) -> QueueSimulation:
    r"""Discrete-event simulation of a FIFO queue with ``servers`` identical servers (G/G/c).

    Each request, in arrival order, starts at the earliest time a server is free and holds
    that server for its service time:

    .. math:: start_n = \max(A_n, \min_j F_j),\qquad W_n = start_n - A_n,\qquad
              W_n = \max(0,\ W_{n-1} + S_{n-1} - (A_n - A_{n-1}))\ \ (c = 1)

    with :math:`F_j` the time server j next becomes free. Any arrival process and any
    service-time distribution can be fed in (e.g. a real trace's timestamps).

    - ``servers == 1``: Lindley's recursion vectorised as a reflected random walk
      :math:`W_n = P_n - \min_{k \le n} P_k` (a cumsum and a running minimum) — of the
      order of 10⁷ requests/s.
    - ``servers > 1``: a heap of server-free times, one ``heapreplace`` per request in a
      tight loop — of the order of 10⁶ requests/s. ``track_servers=True`` also records which
      server served each request (ties to the lowest index; somewhat slower).

    Parameters
    ----------
    arrival_times_s : array_like
        Arrival times, s; 1-D, finite, sorted non-decreasing, at least one.
    service_times_s : array_like
        Service time of each request, s; finite, ≥ 0, one per arrival.
    servers : int, default 1
        c, a whole number ≥ 1.
    track_servers : bool, default False
        Record the server index of each request.

    Returns
    -------
    QueueSimulation

    See Also
    --------
    mmc, mg1 : the steady-state theory the simulation is checked against.
    poisson_arrivals, exponential_service : M/M inputs.
    batch_means_ci : a confidence interval on the simulated mean wait.

    References
    ----------
    Lindley, D. V. (1952), "The theory of queues with a single server", *Proc. Cambridge
    Philosophical Society* 48(2), pp. 277–289 (the waiting-time recursion). Kiefer, J. &
    Wolfowitz, J. (1955), "On the theory of queues with many servers", *Trans. American
    Mathematical Society* 78(1), pp. 1–18 (the FCFS multi-server recursion). Gross, Shortle,
    Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §6.2 (G/G/1 and Lindley's
    equation).

    Examples
    --------
    >>> r = simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=1)
    >>> r.wait_s.tolist(), r.finish_s.tolist()
    ([0.0, 0.5, 1.0, 1.8], [1.0, 2.0, 3.0, 4.0])
    >>> simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=2).wait_s.round(12).tolist()
    [0.0, 0.0, 0.0, 0.3]
    """
    a = data_array("arrival_times_s", arrival_times_s)
    s = data_array("service_times_s", service_times_s, low=0, min_size=0)
    require(a.size == s.size, "service_times_s", f"<{s.size} values>",
            f"must have one service time per arrival ({a.size} arrivals)")
    c_arr = count("servers", servers, minimum=1)
    require(c_arr.ndim == 0, "servers", servers, "must be a single whole number ≥ 1")
    track = flag("track_servers", track_servers)
    c = int(c_arr)
    gaps = np.diff(a)
    if gaps.size and not gaps.min() >= 0:
        i = int(np.argmax(gaps < 0))
        raise ValueError(f"arrival_times_s must be sorted (non-decreasing): element {i + 1} = {a[i + 1]!r} "
                         f"comes after element {i} = {a[i]!r}; sort arrivals together with their service times")
    # More servers than requests: each request finds its own idle server, and the servers
    # beyond the n-th are never used — simulate n of them (no n-sized heap of a huge c).
    c_sim = min(c, a.size)
    server_ids = None
    if c_sim == 1:
        wait = _lindley_waits(gaps, s)
        if track:
            server_ids = np.zeros(a.size, dtype=np.int64)
    elif track:
        start, server_ids = _heap_starts_servers(a, s, c_sim)
        wait = start - a  # start ≥ arrival exactly (a max), so no negative noise
    elif c >= a.size:  # never more requests than servers: nobody waits
        wait = np.zeros(a.size)
    else:
        wait = _heap_starts(a, s, c) - a
    finite_result("wait_s", wait, "arrival_times_s or service_times_s are too large to add up")
    return QueueSimulation(arrival_s=a, service_s=s, wait_s=wait, servers=c, server=server_ids)


def _draw_inputs(rate_rps: Any, n: Any, seed: Any) -> tuple[float, int, np.random.Generator]:
    lam = positive("rate_rps", rate_rps, unit="requests/s")
    require(lam.ndim == 0, "rate_rps", rate_rps, "must be a single number > 0")
    size = int(count("n", n, minimum=1, maximum=MAX_DRAWS))
    return float(lam), size, np.random.default_rng(check_seed("seed", seed))


def poisson_arrivals(rate_rps: Any, n: Any, seed: Any = 0, start_s: Any = 0.0) -> np.ndarray:
    r"""``n`` sorted arrival times (s) of a Poisson process with ``rate_rps`` requests/s.

    Interarrival gaps are i.i.d. exponential with mean 1/λ s; the first arrival is one gap
    after ``start_s``:

    .. math:: A_k = start + \sum_{i=1}^{k} G_i,\qquad G_i \sim \text{Exp}(\lambda)

    Parameters
    ----------
    rate_rps : float
        λ, requests/s; finite, > 0.
    n : int
        Number of arrivals, a whole number in [1, 10⁸].
    seed : int, numpy Generator or None, default 0
        Seed of ``numpy.random.default_rng`` (reproducible by default).
    start_s : float, default 0.0
        Time origin, s; finite, ≥ 0 (times are measured from the start of a run).

    Returns
    -------
    numpy.ndarray
        ``n`` non-decreasing arrival times, s.

    See Also
    --------
    exponential_service : the matching "M" service times.
    simulate_queue : replays these arrivals.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley
    2008, §1.7 (Poisson Process and the Exponential Distribution: Poisson arrivals have
    i.i.d. exponential interarrival times). Ross, S. M., *Introduction to Probability
    Models*, ch. 5 (The Exponential Distribution and the Poisson Process).

    Examples
    --------
    >>> t = poisson_arrivals(100.0, 5, seed=1)
    >>> t.shape, bool(np.all(np.diff(t) >= 0))
    ((5,), True)
    """
    lam, size, rng = _draw_inputs(rate_rps, n, seed)
    origin = float(nonnegative("start_s", start_s))
    with np.errstate(over="ignore"):
        times = origin + np.cumsum(rng.exponential(1.0 / lam, size))
    return finite_result("poisson_arrivals", times, "rate_rps is too small or start_s too large")


def exponential_service(rate_rps: Any, n: Any, seed: Any = 0) -> np.ndarray:
    r"""``n`` i.i.d. exponential service times (s) with mean ``1/rate_rps``: the "M" service of M/M/c.

    .. math:: S_i \sim \text{Exp}(\mu),\qquad P(S > t) = e^{-\mu t},\qquad E[S] = 1/\mu

    Parameters
    ----------
    rate_rps : float
        μ, requests/s one server completes; finite, > 0.
    n : int
        Number of service times, a whole number in [1, 10⁸].
    seed : int, numpy Generator or None, default 0
        Seed of ``numpy.random.default_rng``.

    Returns
    -------
    numpy.ndarray
        ``n`` service times, s.

    See Also
    --------
    poisson_arrivals : the matching Poisson arrivals.
    mmc : the M/M/c theory for these inputs.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., Wiley
    2008, §1.7 (the exponential distribution) and §2.2 (exponential service in M/M/1).

    Examples
    --------
    >>> exponential_service(2.0, 3, seed=1).shape
    (3,)
    """
    mu, size, rng = _draw_inputs(rate_rps, n, seed)
    return finite_result("exponential_service", rng.exponential(1.0 / mu, size), "rate_rps is too small")


def __getattr__(name: str) -> Any:
    # The class's old name, readable for one release (two classes were called SimulationResult).
    if name == "SimulationResult":
        warnings.warn("SimulationResult is deprecated; use QueueSimulation", DeprecationWarning, stacklevel=2)
        return QueueSimulation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
