r"""Autoscaling: a Kubernetes-HPA-like reactive autoscaler replayed on a trace.

* :func:`simulate_autoscaler` — the HPA rule with cold-start delay and scale-down
  stabilisation, SLO violations per interval from ``infra_lab.serving.mmc``
  (:class:`AutoscalerResult`).

>>> r = simulate_autoscaler([100, 100, 300], interval_s=1.0, service_rate_per_replica_rps=10,
...                         utilization_target=0.5, scale_down_delay_s=0.0)
>>> r.frame["desired"].tolist()
[20, 20, 20]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import serving
from .._checks import count, data_array, fraction, nonnegative, option, positive, require, require_columns
from .._results import Result

__all__ = ["AutoscalerResult", "simulate_autoscaler"]


@dataclass(frozen=True)
class AutoscalerResult(Result):
    """A replayed autoscaler: per-interval table and its summary.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per interval, index ``start_s``: ``arrivals``, ``demand_rps``, ``desired``
        (replicas the rule asks for), ``requested`` (after scale-down stabilisation; these
        are paid for), ``ready`` (warm, serving), ``utilization`` (demand / ready capacity;
        inf when nothing is ready), ``overloaded`` (utilisation ≥ 1: the queue grows),
        ``latency_quantile_s`` (M/M/c response- or wait-time quantile; NaN without a latency
        SLO, when overloaded or with no arrivals), ``violation``.
    interval_s : float
        Interval length Δ (s).
    violation_intervals : int
        Intervals in violation.
    violation_fraction : float
        Share of intervals in violation.
    requests_in_violation : float
        Share of requests that arrived in a violating interval.
    replica_hours : float
        Σ requested × Δ / 3600 — what the fleet costs (booting replicas are paid for).
    ready_replica_hours : float
        Σ ready × Δ / 3600.
    peak_replicas : int
        Most replicas requested at once.
    mean_utilization : float
        Σ demand / Σ ready capacity over intervals with ready replicas (NaN if none).

    See Also
    --------
    simulate_autoscaler : returns it.
    """

    frame: pd.DataFrame
    interval_s: float
    violation_intervals: int
    violation_fraction: float
    requests_in_violation: float
    replica_hours: float
    ready_replica_hours: float
    peak_replicas: int
    mean_utilization: float


def _rolling(values: np.ndarray, window: int, how: str) -> np.ndarray:
    if window <= 1:
        return values.copy()
    s = pd.Series(values).rolling(window, min_periods=1)
    return (s.max() if how == "max" else s.min()).to_numpy()


def _intervals(seconds: float, dt: float, limit: int) -> int:
    # Whole intervals a delay spans, rounded up; beyond the trace's length a longer delay
    # changes nothing, so cap it (a huge delay must not allocate a huge history).
    return int(min(np.ceil(seconds / dt - 1e-9), limit))


def simulate_autoscaler(
    arrival_counts: Any,
    interval_s: float,
    service_rate_per_replica_rps: float,
    utilization_target: float = 0.7,
    min_replicas: int = 1,
    max_replicas: int = 100,
    scale_up_delay_s: float = 0.0,
    scale_down_delay_s: float = 300.0,
    metric_window_s: float | None = None,
    latency_slo_s: float | None = None,
    slo_percentile: float = 0.99,
    initial_replicas: int | None = None,
    slo_metric: str = "response",
) -> AutoscalerResult:
    r"""Replay a reactive autoscaler with cold starts on per-interval arrival counts.

    The rule is the Kubernetes Horizontal Pod Autoscaler's, :math:`desired =
    \lceil current \cdot metric / target \rceil`, with the metric the utilisation
    :math:`\hat\lambda / (current \cdot \mu)`:

    .. math::

        desired_t = \mathrm{clip}\Big(\Big\lceil \frac{\hat\lambda_{t-1}}
        {\mu \cdot u_{target}} \Big\rceil, r_{min}, r_{max}\Big)

    where :math:`\hat\lambda_{t-1}` is the arrival rate observed over the last
    ``metric_window_s`` *before* interval :math:`t` (the autoscaler reacts; it cannot see
    the future) and :math:`\mu` the service rate of one replica.

    * Scale-down stabilisation (HPA ``stabilizationWindowSeconds``, default 300 s):
      :math:`requested_t = \max(desired_{t-w..t})`, :math:`w = \lceil
      scale\_down\_delay\_s / \Delta \rceil` — scale-ups act at once, scale-downs only
      after demand stayed low for the window.
    * Cold start: a replica serves only after it has been requested for
      ``scale_up_delay_s``: :math:`ready_t = \min(requested_{t-d..t})`, :math:`d =
      \lceil scale\_up\_delay\_s/\Delta \rceil` (rounded up to whole intervals; a
      replica that is removed and requested again boots again).
    * Before the trace starts the system is in steady state: ``initial_replicas`` are warm
      (default: sized by the rule for the first interval's demand).

    SLO violation (per interval, treating it as stationary — the pointwise stationary
    approximation): the interval is **overloaded** (demand ≥ ready × μ: the queue grows
    without bound) or, when ``latency_slo_s`` is given, the ``slo_percentile`` of the
    M/M/c response time (``infra_lab.serving.mmc(...).response_quantile``; with
    ``slo_metric="wait"`` the waiting-time quantile ``wait_quantile``, e.g. for a
    time-to-first-token SLO) exceeds the SLO. Service times are assumed exponential with
    mean 1/μ.

    Parameters
    ----------
    arrival_counts : array_like or DataFrame
        Arrivals per interval, ≥ 0 and finite, at least one interval (the ``count`` column
        of :func:`arrival_rates` works, or that DataFrame itself). Expected (fractional)
        counts from a forecast are allowed.
    interval_s : float
        Interval length Δ (s); > 0 and finite.
    service_rate_per_replica_rps : float
        μ, requests/s one replica completes; > 0 and finite.
    utilization_target : float, default 0.7
        :math:`u_{target}`, in (0, 1].
    min_replicas : int, default 1
        Fewest replicas, a whole number ≥ 0 (0 = scale to zero).
    max_replicas : int, default 100
        Most replicas, a whole number ≥ max(min_replicas, 1).
    scale_up_delay_s : float, default 0.0
        Cold start: seconds from request to ready; ≥ 0 and finite.
    scale_down_delay_s : float, default 300.0
        Scale-down stabilisation window (s); ≥ 0 and finite.
    metric_window_s : float, optional
        Averaging window of the observed rate (s), > 0 and finite; default one interval.
    latency_slo_s : float, optional
        SLO on the response time or, with ``slo_metric="wait"``, on the wait (s), > 0;
        without it only overload counts as a violation.
    slo_percentile : float, default 0.99
        Quantile of that time held to the SLO, in (0, 1).
    initial_replicas : int, optional
        Warm replicas before the trace starts, a whole number in
        [min_replicas, max_replicas].
    slo_metric : {"response", "wait"}, default "response"
        Which time the SLO bounds: response (wait + service) or wait in queue.

    Returns
    -------
    AutoscalerResult

    See Also
    --------
    arrival_rates : per-interval counts of a trace.
    infra_lab.serving.required_replicas : the same rule for one rate.
    infra_lab.serving.mmc : the per-interval latency model.

    References
    ----------
    Kubernetes documentation, "Horizontal Pod Autoscaling", Section "Algorithm details"
    (the ceil rule) and Section "Configurable scaling behavior" (stabilisation window,
    default 300 s for scale-down). Green & Kolesar, "The pointwise stationary approximation
    for queues with nonstationary arrivals", *Management Science* 37(1), 1991. M/M/c:
    Gross et al., *Fundamentals of Queueing Theory*, 4th ed., §2.3.

    Examples
    --------
    >>> r = simulate_autoscaler([100, 100, 300, 300, 300, 100], interval_s=1.0,
    ...                         service_rate_per_replica_rps=10, utilization_target=0.5,
    ...                         scale_up_delay_s=1.0, scale_down_delay_s=0.0)
    >>> r.frame["requested"].tolist(), r.frame["ready"].tolist()
    ([20, 20, 20, 60, 60, 60], [20, 20, 20, 20, 60, 60])
    >>> r.frame["overloaded"].tolist()
    [False, False, True, True, False, False]
    """
    if isinstance(arrival_counts, pd.DataFrame):
        require_columns(arrival_counts, ["count"], "arrival_counts")
        arrival_counts = arrival_counts["count"]
    counts = data_array("arrival_counts", arrival_counts, low=0, ndim=None).ravel()
    dt = float(positive("interval_s", interval_s, unit="s"))
    mu = float(positive("service_rate_per_replica_rps", service_rate_per_replica_rps, unit="requests/s"))
    u = float(fraction("utilization_target", utilization_target, low_open=True))
    r_min = int(count("min_replicas", min_replicas, minimum=0))
    r_max = int(count("max_replicas", max_replicas, minimum=max(r_min, 1)))
    up_s = float(nonnegative("scale_up_delay_s", scale_up_delay_s, unit="s"))
    down_s = float(nonnegative("scale_down_delay_s", scale_down_delay_s, unit="s"))
    window = dt if metric_window_s is None else float(positive("metric_window_s", metric_window_s, unit="s"))
    slo = None if latency_slo_s is None else float(positive("latency_slo_s", latency_slo_s, unit="s"))
    q = float(fraction("slo_percentile", slo_percentile, low_open=True, high_open=True))
    metric = option("slo_metric", slo_metric, ["response", "wait"])
    with np.errstate(over="ignore"):
        require(np.isfinite(counts / dt), "arrival_counts", arrival_counts,
                f"divided by interval_s={dt:g} it overflows a rate; pass smaller counts or a longer interval")

    def rule(rate):
        # The HPA rule is the article's replica formula at a utilisation target: reuse it.
        # Rates beyond what max_replicas can carry give max_replicas anyway; capping them first
        # keeps a huge rate from overflowing the replica count before the clip.
        capped = np.minimum(rate, r_max * mu * u)
        n = np.asarray(serving.required_replicas(capped, mu, utilization_target=u))
        return np.clip(n, r_min, r_max).astype(np.int64)

    if initial_replicas is None:
        start = int(rule(counts[0] / dt))
    else:
        start = int(count("initial_replicas", initial_replicas, minimum=r_min, maximum=r_max))

    n = counts.size
    k_metric = max(1, int(round(min(window / dt, n))))
    w_down = _intervals(down_s, dt, n)
    d_up = _intervals(up_s, dt, n)
    pad = max(k_metric, w_down, d_up) + 1
    # Observed rate before interval t: mean of the k_metric intervals ending at t-1.
    observed = pd.Series(counts).rolling(k_metric, min_periods=1).mean().to_numpy() / dt
    desired = np.concatenate([[start], rule(observed[:-1])]) if n > 1 else np.array([start])
    # Steady state before the trace: `start` replicas desired, requested and warm.
    hist = np.concatenate([np.full(pad, start), desired])
    requested = _rolling(hist, w_down + 1, "max")
    ready = _rolling(requested, d_up + 1, "min")[pad:].astype(np.int64)
    requested = requested[pad:].astype(np.int64)

    demand = counts / dt
    capacity = ready * mu
    with np.errstate(divide="ignore", invalid="ignore"):
        util = np.where(capacity > 0, demand / np.where(capacity > 0, capacity, 1.0),
                        np.where(demand > 0, np.inf, 0.0))
    overloaded = util >= 1.0
    quant = np.full(n, np.nan)
    if slo is not None:
        ok = (~overloaded) & (demand > 0)
        if ok.any():  # one vectorised M/M/c evaluation over all stable intervals
            queue = serving.mmc(demand[ok], mu, ready[ok])
            quant[ok] = queue.response_quantile(q) if metric == "response" else queue.wait_quantile(q)
        violation = overloaded | (quant > slo)
    else:
        violation = overloaded.copy()

    frame = pd.DataFrame({
        "arrivals": counts, "demand_rps": demand, "desired": desired, "requested": requested,
        "ready": ready, "utilization": util, "overloaded": overloaded,
        "latency_quantile_s": quant, "violation": violation,
    }, index=pd.Index(np.arange(n) * dt, name="start_s"))
    served = capacity > 0
    total = counts.sum()
    return AutoscalerResult(
        frame=frame, interval_s=dt,
        violation_intervals=int(violation.sum()),
        violation_fraction=float(violation.mean()),
        requests_in_violation=float(counts[violation].sum() / total) if total > 0 else 0.0,
        replica_hours=float(requested.sum() * dt / 3600.0),
        ready_replica_hours=float(ready.sum() * dt / 3600.0),
        peak_replicas=int(requested.max()),
        mean_utilization=float(demand[served].sum() / capacity[served].sum()) if served.any() else float("nan"),
    )


@dataclass(frozen=True)
class WarmupSplit(Result):
    """SLO violations of an autoscaler replay, the start-up window reported apart from the rest.

    Attributes
    ----------
    warmup_s : float
        Length of the start-up window, s (whole intervals starting before it count as start-up).
    warmup_requests_in_violation : float
        Share of *all* requests that arrived in a violating start-up interval.
    steady_requests_in_violation : float
        Share of *all* requests that arrived in a violating interval after it.
    steady_violation_fraction : float
        Share of the intervals after it that violate.

    See Also
    --------
    split_warmup : returns it.
    """

    warmup_s: float
    warmup_requests_in_violation: float
    steady_requests_in_violation: float
    steady_violation_fraction: float


def split_warmup(result: AutoscalerResult, warmup_s: Any) -> WarmupSplit:
    r"""Split an autoscaler replay's violations into its start-up transient and the steady run after it.

    .. math:: v_{warm} = \frac{\sum_{t < T_w} N_t\,[viol_t]}{\sum_t N_t},\qquad
              v_{steady} = \frac{\sum_{t \ge T_w} N_t\,[viol_t]}{\sum_t N_t}

    A replay starts from an assumed fleet; until the rule's metric window and the cold start
    have passed, its violations say more about that assumption than about the rule. Report
    them apart (``warmup_s`` = metric window + cold start is a natural choice).

    Parameters
    ----------
    result : AutoscalerResult
        From :func:`simulate_autoscaler`.
    warmup_s : float
        Length of the start-up window, s; ≥ 0, finite.

    Returns
    -------
    WarmupSplit

    See Also
    --------
    simulate_autoscaler : the replay.

    References
    ----------
    Law, *Simulation Modeling and Analysis*, 5th ed., §9.5.1 (the warm-up period: discard or
    report the initial transient separately).

    Examples
    --------
    >>> import numpy as np
    >>> r = simulate_autoscaler(np.array([0, 600, 600, 600]), interval_s=60.0, service_rate_per_replica_rps=1.0,
    ...                         initial_replicas=1, scale_up_delay_s=60.0)
    >>> s = split_warmup(r, 180.0)   # the rule reacts an interval late, then the replica boots
    >>> round(s.warmup_requests_in_violation, 3), s.steady_requests_in_violation
    (0.667, 0.0)
    """
    require(isinstance(result, AutoscalerResult), "result", type(result).__name__,
            "must be the AutoscalerResult of simulate_autoscaler")
    w = float(nonnegative("warmup_s", warmup_s, unit="s"))
    f = result.frame
    start = np.asarray(f.index, dtype=float)
    counts = f["arrivals"].to_numpy(dtype=float)
    viol = f["violation"].to_numpy(dtype=bool)
    total = counts.sum()
    early = start < w
    share = (lambda m: float(counts[m].sum() / total) if total > 0 else 0.0)
    late = ~early
    return WarmupSplit(warmup_s=w, warmup_requests_in_violation=share(viol & early),
                       steady_requests_in_violation=share(viol & late),
                       steady_violation_fraction=float(viol[late].mean()) if late.any() else 0.0)


__all__ += ["WarmupSplit", "split_warmup"]
