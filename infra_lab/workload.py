r"""Real workloads: arrival bursts, autoscaling replay, batching and LLM serving capacity.

The article sizes a service from averages — :math:`Replicas = \lceil Q / Throughput \rceil`
(``infra_lab.serving.required_replicas``). Real traffic is not an average. This module
measures real request traces and turns measured accelerator numbers into capacity:

* :func:`arrival_rates`, :func:`burstiness`, :func:`index_of_dispersion` — how bursty a
  trace is: peak-to-mean, variance/mean of counts and CoV of inter-arrival times (the
  last two equal 1 for a Poisson process, Cox & Lewis 1966).
* :func:`simulate_autoscaler` — a Kubernetes-HPA-like reactive autoscaler replayed on a
  trace, with cold-start delay and scale-down stabilisation; SLO violations from
  ``infra_lab.serving.mmc`` per interval (pointwise stationary approximation).
* :func:`best_batch_under_latency` — the throughput-maximising batch size on measured
  latency-vs-batch data whose tail latency meets a budget; :func:`batch_fill_ms`, the wait
  for a batch to fill.
* :func:`prefill_ms`, :func:`decode_step_ms`, :func:`llm_service_demand`,
  :func:`llm_replicas_for_slo`, :func:`decode_bytes_per_step`, :func:`decode_floor_ms` —
  LLM serving on a real trace from the H200 prefill/decode measurements
  (``data/measured_h200/README.md``).

Queueing formulas are never re-derived here: they come from :mod:`infra_lab.serving`.

>>> import numpy as np
>>> t = np.array([0.1, 0.2, 0.3, 1.5, 3.2])
>>> arrival_rates(t, interval_s=1.0)["count"].tolist()
[3, 1, 0, 1]
>>> round(burstiness(t, interval_s=1.0).peak_to_mean, 2)
2.4
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np
import pandas as pd

from . import serving
from ._checks import as_float_array, require, require_columns, scalar_or_array

__all__ = [
    "Burstiness",
    "AutoscalerResult",
    "BatchChoice",
    "LLMDemand",
    "LLMPlan",
    "arrival_seconds",
    "arrival_rates",
    "index_of_dispersion",
    "burstiness",
    "simulate_autoscaler",
    "best_batch_under_latency",
    "batch_fill_ms",
    "normalize_trace",
    "prefill_ms",
    "decode_step_ms",
    "decode_bytes_per_step",
    "decode_floor_ms",
    "llm_service_demand",
    "llm_replicas_for_slo",
]

# A KV-cache entry of the Llama-7B shape measured in data/measured_h200 (llm_machine.json):
# 2 (K and V) × 32 layers × 4096 × 2 bytes (bf16) = 524,288 bytes per token.
KV_BYTES_PER_TOKEN_7B = 524_288

_DECODE_COLUMNS = {"cuda_graph": "median_ms_cuda_graph", "eager": "median_ms_eager"}


# ---------------------------------------------------------------------------------------
# Arrivals and burstiness
# ---------------------------------------------------------------------------------------

def arrival_seconds(timestamps: Any) -> np.ndarray:
    """Arrival times as float seconds from the first arrival, sorted.

    Accepts datetimes (``pandas`` Series / ``datetime64`` array, e.g. the Azure trace's
    ``TIMESTAMP``) or numbers already in seconds.

    >>> arrival_seconds(pd.to_datetime(["2023-11-16 18:15:47.0", "2023-11-16 18:15:46.5"])).tolist()
    [0.0, 0.5]
    """
    if isinstance(timestamps, (pd.Series, pd.Index)) and pd.api.types.is_datetime64_any_dtype(timestamps):
        ns = timestamps.to_numpy().astype("datetime64[ns]").astype(np.int64)
        t = ns.astype(float) / 1e9
    else:
        arr = np.asarray(timestamps)
        if np.issubdtype(arr.dtype, np.datetime64):
            t = arr.astype("datetime64[ns]").astype(np.int64).astype(float) / 1e9
        else:
            t = as_float_array(timestamps, "timestamps")
    t = np.sort(np.ravel(t))
    require(t.size >= 2, "timestamps", f"{t.size} arrival(s)", "needs at least 2 arrivals")
    require(np.isfinite(t), "timestamps", "non-finite values", "must be finite times")
    return t - t[0]


def arrival_rates(timestamps: Any, interval_s: float = 1.0) -> pd.DataFrame:
    """Arrivals per interval: counts and rates, empty intervals included.

    Interval :math:`k` covers :math:`[k\\,\\Delta, (k+1)\\,\\Delta)` seconds from the first
    arrival; ``rate_rps`` = count / Δ.

    Parameters
    ----------
    timestamps : datetimes or float seconds
        Arrival times (sorted or not).
    interval_s : float
        Interval length Δ in seconds (> 0).

    Returns
    -------
    pandas.DataFrame
        Index ``start_s`` (interval start, s from trace start); columns ``count`` (int) and
        ``rate_rps`` (requests/s). ``attrs["interval_s"]`` holds Δ.

    >>> arrival_rates([0.0, 0.4, 2.5], interval_s=1.0)
             count  rate_rps
    start_s
    0.0          2       2.0
    1.0          0       0.0
    2.0          1       1.0
    """
    dt = float(as_float_array(interval_s, "interval_s"))
    require(dt > 0, "interval_s", interval_s, "must be > 0 seconds")
    t = arrival_seconds(timestamps)
    k = np.floor(t / dt).astype(np.int64)
    counts = np.bincount(k)
    start = np.arange(counts.size) * dt
    df = pd.DataFrame({"count": counts, "rate_rps": counts / dt},
                      index=pd.Index(start, name="start_s"))
    df.attrs["interval_s"] = dt
    return df


def index_of_dispersion(counts: Any) -> float:
    r"""Index of dispersion of counts: :math:`D = \mathrm{Var}(N) / \mathrm{E}[N]`.

    :math:`D = 1` for a Poisson process (its counts have variance equal to the mean);
    :math:`D > 1` means bursty (overdispersed) arrivals, :math:`D < 1` smoother than
    random. Sample variance with ``ddof=1``. Source: Cox & Lewis, *The Statistical
    Analysis of Series of Events* (1966), ch. 4; Fano factor in physics.

    >>> index_of_dispersion([2, 2, 2, 2])
    0.0
    >>> round(index_of_dispersion([0, 4, 0, 4]), 3)
    2.667
    """
    n = as_float_array(counts, "counts").ravel()
    require(n.size >= 2, "counts", f"{n.size} value(s)", "needs at least 2 intervals")
    require(n >= 0, "counts", counts, "must be ≥ 0")
    mean = n.mean()
    require(mean > 0, "counts", counts, "must contain at least one arrival (mean > 0)")
    return float(n.var(ddof=1) / mean)


@dataclass(frozen=True)
class Burstiness:
    """How bursty a trace is, at one counting interval.

    Attributes
    ----------
    interval_s : float
        Counting interval (s).
    n_requests : int
    duration_s : float
        Number of intervals × interval (s).
    mean_rate_rps, peak_rate_rps : float
        Mean and highest per-interval arrival rate (requests/s).
    peak_to_mean : float
        peak / mean (≥ 1).
    index_of_dispersion : float
        Var/mean of the per-interval counts (1 for Poisson).
    interarrival_cov : float
        Standard deviation / mean of the gaps between arrivals (1 for Poisson).
    """

    interval_s: float
    n_requests: int
    duration_s: float
    mean_rate_rps: float
    peak_rate_rps: float
    peak_to_mean: float
    index_of_dispersion: float
    interarrival_cov: float


def burstiness(timestamps: Any, interval_s: float = 1.0) -> Burstiness:
    r"""Burstiness of an arrival trace: peak-to-mean, index of dispersion, inter-arrival CoV.

    .. math::

        \text{peak-to-mean} = \max_k N_k / \bar N, \quad
        D = \mathrm{Var}(N_k)/\bar N, \quad
        CoV = \sigma_A / \bar A

    with :math:`N_k` the counts per interval (:func:`arrival_rates`) and :math:`A` the
    inter-arrival gaps. For a Poisson process :math:`D = CoV = 1` (Cox & Lewis 1966);
    the peak-to-mean of a Poisson process still exceeds 1 and grows as the interval
    shrinks, so compare traces at the same interval.

    >>> b = burstiness([0.0, 0.1, 0.2, 3.0], interval_s=1.0)
    >>> b.n_requests, b.peak_rate_rps, b.peak_to_mean
    (4, 3.0, 3.0)
    """
    t = arrival_seconds(timestamps)
    rates = arrival_rates(t, interval_s)
    dt = rates.attrs["interval_s"]
    counts = rates["count"].to_numpy()
    require(counts.size >= 2, "interval_s", interval_s,
            f"must be ≤ the trace's span ({t[-1]:.6g} s) so that there are ≥ 2 intervals to compare")
    gaps = np.diff(t)
    mean_gap = gaps.mean()
    require(mean_gap > 0, "timestamps", "all equal", "arrivals must span a positive time")
    mean_rate = counts.mean() / dt
    peak = counts.max() / dt
    return Burstiness(
        interval_s=dt, n_requests=int(t.size), duration_s=float(counts.size * dt),
        mean_rate_rps=float(mean_rate), peak_rate_rps=float(peak),
        peak_to_mean=float(peak / mean_rate),
        index_of_dispersion=index_of_dispersion(counts),
        interarrival_cov=float(gaps.std(ddof=1) / mean_gap),
    )


# ---------------------------------------------------------------------------------------
# Autoscaling
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AutoscalerResult:
    """A replayed autoscaler: per-interval table and its summary.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per interval, index ``start_s``: ``arrivals``, ``demand_rps``, ``desired``
        (replicas the rule asks for), ``requested`` (after scale-down stabilisation; these
        are paid for), ``ready`` (warm, serving), ``utilization`` (demand / ready capacity;
        inf when nothing is ready), ``overloaded`` (utilisation ≥ 1: the queue grows),
        ``latency_quantile_s`` (M/M/c response- or wait-time quantile; NaN without a latency SLO,
        when overloaded or with no arrivals), ``violation``.
    interval_s : float
    violation_intervals : int
    violation_fraction : float
        Share of intervals in violation.
    requests_in_violation : float
        Share of requests that arrived in a violating interval.
    replica_hours : float
        Σ requested × Δ / 3600 — what the fleet costs (booting replicas are paid for).
    ready_replica_hours : float
    peak_replicas : int
        Most replicas requested at once.
    mean_utilization : float
        Σ demand / Σ ready capacity over intervals with ready replicas.
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


def simulate_autoscaler(
    arrival_counts: Any,
    interval_s: float,
    service_rate_per_replica_rps: float,
    target_utilization: float = 0.7,
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

    The rule is the Kubernetes Horizontal Pod Autoscaler's (Kubernetes docs, "Horizontal
    Pod Autoscaling", algorithm details):

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
    approximation, Green & Kolesar 1991, *Management Science* 37(1)): the interval is
    **overloaded** (demand ≥ ready × μ: the queue grows without bound) or, when
    ``latency_slo_s`` is given, the ``slo_percentile`` of the M/M/c response time
    (``infra_lab.serving.mmc(...).response_quantile``; with ``slo_metric="wait"`` the
    waiting-time quantile ``wait_quantile``, e.g. for a time-to-first-token SLO) exceeds
    the SLO. Service times are assumed exponential with mean 1/μ.

    Parameters
    ----------
    arrival_counts : array-like or DataFrame
        Arrivals per interval (the ``count`` column of :func:`arrival_rates` works).
    interval_s : float
        Interval length Δ (s, > 0).
    service_rate_per_replica_rps : float
        μ, requests/s one replica completes (> 0).
    target_utilization : float
        :math:`u_{target}` in (0, 1].
    min_replicas, max_replicas : int
        Bounds, 0 ≤ min ≤ max (0 = scale to zero).
    scale_up_delay_s : float
        Cold start: seconds from request to ready (≥ 0).
    scale_down_delay_s : float
        Scale-down stabilisation window (s, ≥ 0).
    metric_window_s : float, optional
        Averaging window of the observed rate (s); default one interval.
    latency_slo_s : float, optional
        SLO on the response time or, with ``slo_metric="wait"``, on the wait (s, > 0);
        without it only overload counts as a violation.
    slo_percentile : float
        Quantile of that time held to the SLO, in (0, 1).
    initial_replicas : int, optional
        Warm replicas before the trace starts.
    slo_metric : {"response", "wait"}
        Which time the SLO bounds: response (wait + service) or wait in queue.

    Returns
    -------
    AutoscalerResult

    >>> r = simulate_autoscaler([100, 100, 300, 300, 300, 100], interval_s=1.0,
    ...                         service_rate_per_replica_rps=10, target_utilization=0.5,
    ...                         scale_up_delay_s=1.0, scale_down_delay_s=0.0)
    >>> r.frame["requested"].tolist(), r.frame["ready"].tolist()
    ([20, 20, 20, 60, 60, 60], [20, 20, 20, 20, 60, 60])
    >>> r.frame["overloaded"].tolist()
    [False, False, True, True, False, False]
    """
    if isinstance(arrival_counts, pd.DataFrame):
        require_columns(arrival_counts, ["count"], "arrival_counts")
        arrival_counts = arrival_counts["count"]
    counts = as_float_array(arrival_counts, "arrival_counts").ravel()
    require(counts.size >= 1, "arrival_counts", arrival_counts, "needs at least one interval")
    require(counts >= 0, "arrival_counts", arrival_counts, "must be ≥ 0 arrivals per interval")
    dt = float(as_float_array(interval_s, "interval_s"))
    require(dt > 0, "interval_s", interval_s, "must be > 0 seconds")
    mu = float(as_float_array(service_rate_per_replica_rps, "service_rate_per_replica_rps"))
    require(mu > 0, "service_rate_per_replica_rps", service_rate_per_replica_rps, "must be > 0 requests/s")
    u = float(as_float_array(target_utilization, "target_utilization"))
    require(0 < u <= 1, "target_utilization", target_utilization, "must be in (0, 1]")
    require(isinstance(min_replicas, (int, np.integer)) and min_replicas >= 0, "min_replicas",
            min_replicas, "must be an integer ≥ 0")
    require(isinstance(max_replicas, (int, np.integer)) and max_replicas >= max(min_replicas, 1),
            "max_replicas", max_replicas, f"must be an integer ≥ max(min_replicas, 1) = {max(min_replicas, 1)}")
    require(scale_up_delay_s >= 0, "scale_up_delay_s", scale_up_delay_s, "must be ≥ 0 seconds")
    require(scale_down_delay_s >= 0, "scale_down_delay_s", scale_down_delay_s, "must be ≥ 0 seconds")
    window = dt if metric_window_s is None else float(metric_window_s)
    require(window > 0, "metric_window_s", metric_window_s, "must be > 0 seconds")
    if latency_slo_s is not None:
        require(latency_slo_s > 0, "latency_slo_s", latency_slo_s, "must be > 0 seconds")
    require(0 < slo_percentile < 1, "slo_percentile", slo_percentile, "must be in (0, 1)")
    require(slo_metric in ("response", "wait"), "slo_metric", slo_metric, "must be one of response, wait")

    def rule(rate):
        # The HPA rule is the article's replica formula at a utilisation target: reuse it.
        n = np.asarray(serving.required_replicas(rate, mu, utilization_target=u))
        return np.clip(n, min_replicas, max_replicas).astype(np.int64)

    if initial_replicas is None:
        start = int(rule(counts[0] / dt))
    else:
        require(isinstance(initial_replicas, (int, np.integer))
                and min_replicas <= initial_replicas <= max_replicas,
                "initial_replicas", initial_replicas, f"must be an integer in [{min_replicas}, {max_replicas}]")
        start = int(initial_replicas)

    k_metric = max(1, int(round(window / dt)))
    w_down = int(np.ceil(scale_down_delay_s / dt - 1e-9))
    d_up = int(np.ceil(scale_up_delay_s / dt - 1e-9))
    pad = max(k_metric, w_down, d_up) + 1
    # Observed rate before interval t: mean of the k_metric intervals ending at t-1.
    observed = pd.Series(counts).rolling(k_metric, min_periods=1).mean().to_numpy() / dt
    desired = np.concatenate([[start], rule(observed[:-1])]) if counts.size > 1 else np.array([start])
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
    quant = np.full(counts.size, np.nan)
    if latency_slo_s is not None:
        ok = (~overloaded) & (demand > 0)
        if ok.any():  # one vectorised M/M/c evaluation over all stable intervals
            queue = serving.mmc(demand[ok], mu, ready[ok])
            quant[ok] = (queue.response_quantile(slo_percentile) if slo_metric == "response"
                         else queue.wait_quantile(slo_percentile))
        violation = overloaded | (quant > latency_slo_s)
    else:
        violation = overloaded.copy()

    frame = pd.DataFrame({
        "arrivals": counts, "demand_rps": demand, "desired": desired, "requested": requested,
        "ready": ready, "utilization": util, "overloaded": overloaded,
        "latency_quantile_s": quant, "violation": violation,
    }, index=pd.Index(np.arange(counts.size) * dt, name="start_s"))
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


# ---------------------------------------------------------------------------------------
# Batching from measurements
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BatchChoice:
    """The best batch size under a latency budget.

    Attributes
    ----------
    model : str
    batch : int
    latency_ms : float
        The chosen batch's latency in ``percentile_col`` (ms).
    throughput_rps : float
        Requests/s one replica serves at that batch (from the table).
    percentile_col : str
    feasible_batches : tuple of int
        Every batch whose latency meets the budget.
    """

    model: str
    batch: int
    latency_ms: float
    throughput_rps: float
    percentile_col: str
    feasible_batches: tuple[int, ...]


def best_batch_under_latency(
    table: pd.DataFrame,
    latency_budget_ms: float,
    percentile_col: str = "p99_ms",
    model: str | None = None,
    throughput_col: str = "requests_per_s",
) -> BatchChoice:
    r"""The throughput-maximising batch size whose tail latency meets a budget.

    .. math:: B^* = \arg\max_{B:\ L_p(B) \le budget} X(B)

    with :math:`L_p(B)` the measured latency percentile of a batch of :math:`B` and
    :math:`X(B)` the measured requests/s (``load_h200_serving_batching``: X = B / median
    latency). Larger batches amortise fixed costs until the accelerator saturates, then
    only add latency (data/measured_h200/README.md). The latency here is one batch's
    execution: a request also waits for its batch to fill — add that to the budget.
    Feed ``throughput_rps`` into ``infra_lab.serving.required_replicas``.

    Parameters
    ----------
    table : DataFrame
        Columns ``batch``, ``percentile_col``, ``throughput_col`` (and ``model`` when it
        holds several models).
    latency_budget_ms : float
        Budget for the batch's latency (ms, > 0).
    percentile_col : str
        Latency column held to the budget (``p99_ms`` or ``p50_ms``).
    model : str, optional
        Row filter on ``table["model"]``; required if the table holds several models.

    Raises
    ------
    ValueError
        No batch meets the budget (the message names the fastest batch's latency).

    >>> df = pd.DataFrame({"batch": [1, 8, 32], "p99_ms": [1.0, 2.0, 9.0],
    ...                    "requests_per_s": [1000.0, 4000.0, 3600.0]})
    >>> c = best_batch_under_latency(df, latency_budget_ms=10)
    >>> c.batch, c.throughput_rps
    (8, 4000.0)
    """
    require(isinstance(table, pd.DataFrame), "table", type(table).__name__, "must be a pandas DataFrame")
    require_columns(table, ["batch", percentile_col, throughput_col], "table")
    budget = float(as_float_array(latency_budget_ms, "latency_budget_ms"))
    require(budget > 0, "latency_budget_ms", latency_budget_ms, "must be > 0 ms")
    df = table
    if "model" in table.columns:
        models = sorted(table["model"].unique())
        if model is None:
            require(len(models) == 1, "model", None, f"must name one of {models}")
            model = models[0]
        require(model in models, "model", model, f"must be one of {models}")
        df = table[table["model"] == model]
    elif model is None:
        model = ""
    feasible = df[df[percentile_col] <= budget]
    if feasible.empty:
        fastest = df[percentile_col].min()
        raise ValueError(f"latency_budget_ms={budget!r}: no batch meets it; the fastest batch of "
                         f"{model or 'the table'} takes {fastest:.3g} ms ({percentile_col})")
    best = feasible.loc[feasible[throughput_col].idxmax()]
    return BatchChoice(model=str(model), batch=int(best["batch"]), latency_ms=float(best[percentile_col]),
                       throughput_rps=float(best[throughput_col]), percentile_col=percentile_col,
                       feasible_batches=tuple(int(b) for b in sorted(feasible["batch"])))


def batch_fill_ms(batch: Any, arrival_rate_rps: Any) -> Any:
    r"""Mean time for a batch of ``batch`` requests to fill, as seen by its first request (ms).

    .. math:: E[T_{fill}] = \frac{B - 1}{\lambda}

    After the first request of a batch arrives, the batch waits for :math:`B - 1` more; with
    Poisson arrivals at rate :math:`\lambda` the gaps are i.i.d. Exp(λ), so the fill time is
    Erlang(:math:`B - 1`, λ) — a sum of exponentials — with mean :math:`(B-1)/\lambda` (the
    Erlang distribution; Gross et al., *Fundamentals of Queueing Theory*). The last
    request of the batch waits nothing, so the mean over all requests is half of it. Servers
    cap this wait with a batching timeout. Broadcasts.

    Parameters
    ----------
    batch : int or array
        B, requests per batch, ≥ 1.
    arrival_rate_rps : float or array
        λ, requests/s reaching one replica, > 0.

    Returns
    -------
    float or numpy.ndarray
        Mean fill time in ms.

    >>> batch_fill_ms(8, 150.0)          # 7 more requests at 150 req/s
    46.666666666666664
    >>> batch_fill_ms([1, 2, 11], 1000.0).tolist()
    [0.0, 1.0, 10.0]
    """
    b = as_float_array(batch, "batch")
    lam = as_float_array(arrival_rate_rps, "arrival_rate_rps")
    require(np.isfinite(b) & (b >= 1) & (b == np.round(b)), "batch", batch, "must be a whole number ≥ 1")
    require(np.isfinite(lam) & (lam > 0), "arrival_rate_rps", arrival_rate_rps,
            "must be finite and > 0 requests/s")
    return scalar_or_array(1e3 * (b - 1.0) / lam)


# ---------------------------------------------------------------------------------------
# LLM serving from measured prefill and decode
# ---------------------------------------------------------------------------------------

def normalize_trace(trace: pd.DataFrame) -> pd.DataFrame:
    """Arrivals and token counts of an LLM trace in one schema.

    Recognises the Azure LLM traces (``TIMESTAMP``, ``ContextTokens``,
    ``GeneratedTokens``; Patel et al., ISCA 2024), the Mooncake trace (``timestamp_ms``,
    ``input_tokens``, ``output_tokens``; Qin et al., FAST 2025) and the course's own schema
    (``arrival_s``, ``input_tokens``, ``output_tokens``).

    Returns
    -------
    DataFrame
        ``arrival_s`` (s from the first arrival, sorted), ``input_tokens``,
        ``output_tokens``.

    >>> normalize_trace(pd.DataFrame({"timestamp_ms": [1500, 500], "input_tokens": [10, 20],
    ...                               "output_tokens": [1, 2]})).values.tolist()
    [[0.0, 20.0, 2.0], [1.0, 10.0, 1.0]]
    """
    require(isinstance(trace, pd.DataFrame), "trace", type(trace).__name__, "must be a pandas DataFrame")
    if {"TIMESTAMP", "ContextTokens", "GeneratedTokens"} <= set(trace.columns):
        t = pd.to_datetime(trace["TIMESTAMP"])
        sec = (t - t.min()).dt.total_seconds().to_numpy()
        inp, out = trace["ContextTokens"], trace["GeneratedTokens"]
    elif {"timestamp_ms", "input_tokens", "output_tokens"} <= set(trace.columns):
        sec = trace["timestamp_ms"].to_numpy(dtype=float) / 1000.0
        inp, out = trace["input_tokens"], trace["output_tokens"]
    elif {"arrival_s", "input_tokens", "output_tokens"} <= set(trace.columns):
        sec = trace["arrival_s"].to_numpy(dtype=float)
        inp, out = trace["input_tokens"], trace["output_tokens"]
    else:
        raise ValueError(f"trace has columns {list(trace.columns)}; expected the Azure (TIMESTAMP, "
                         "ContextTokens, GeneratedTokens), Mooncake (timestamp_ms, input_tokens, "
                         "output_tokens) or (arrival_s, input_tokens, output_tokens) schema")
    df = pd.DataFrame({"arrival_s": sec - np.min(sec), "input_tokens": as_float_array(inp, "input_tokens"),
                       "output_tokens": as_float_array(out, "output_tokens")})
    require(df["input_tokens"] >= 0, "input_tokens", "negative values", "must be ≥ 0 tokens")
    require(df["output_tokens"] >= 1, "output_tokens", "values < 1", "must be ≥ 1 token")
    return df.sort_values("arrival_s", kind="stable").reset_index(drop=True)


def prefill_ms(prompt_tokens: Any, prefill_table: pd.DataFrame, column: str = "median_ms") -> Any:
    r"""Prefill time of a prompt, interpolated in prompt length from measurements.

    Piecewise-linear interpolation of ``prefill_table`` (``load_h200_llm_prefill``: a
    Llama-7B-shaped model on an H200, prompts of 128–8192 tokens, batch 1). Below the
    shortest measured prompt the time is held constant (short prompts cost a near-constant
    ~16 ms: launch- and weight-read-bound, data/measured_h200/README.md). Beyond the
    longest it is extrapolated **linearly** with the slope of the last segment — an
    underestimate for very long prompts, where attention grows quadratically.

    >>> table = pd.DataFrame({"prompt_tokens": [128, 1024, 2048], "median_ms": [16.0, 28.0, 55.0]})
    >>> prefill_ms([64, 1536, 4096], table).tolist()
    [16.0, 41.5, 109.0]
    """
    require_columns(prefill_table, ["prompt_tokens", column], "prefill_table")
    tab = prefill_table.sort_values("prompt_tokens")
    x = tab["prompt_tokens"].to_numpy(dtype=float)
    y = tab[column].to_numpy(dtype=float)
    require(x.size >= 2, "prefill_table", f"{x.size} row(s)", "needs at least 2 prompt lengths")
    p = as_float_array(prompt_tokens, "prompt_tokens")
    require(p >= 0, "prompt_tokens", prompt_tokens, "must be ≥ 0 tokens")
    out = np.interp(p, x, y)
    slope = (y[-1] - y[-2]) / (x[-1] - x[-2])
    out = np.where(p > x[-1], y[-1] + slope * (p - x[-1]), out)
    return scalar_or_array(out)


@lru_cache(maxsize=8)
def _decode_model(tb: tuple, tc: tuple, ty: tuple) -> tuple[Any, np.ndarray]:
    # Cached per table: building the triangulation and its first evaluation are slow.
    from scipy.interpolate import LinearNDInterpolator

    x_b, x_c, y = np.array(tb), np.array(tc), np.array(ty)
    interp = LinearNDInterpolator(np.column_stack([np.log2(x_b), np.log2(x_c)]), y)
    interp(np.log2(x_b[:1]), np.log2(x_c[:1]))  # warm it up once
    # t = a + b·B + c·B·L: weights read once per step, a per-sequence cost, KV bytes read.
    design = np.column_stack([np.ones_like(x_b), x_b, x_b * x_c])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return interp, coef


def decode_step_ms(batch: Any, context_tokens: Any, decode_table: pd.DataFrame,
                   mode: str = "cuda_graph") -> Any:
    r"""Time of one decode step (one token for each of ``batch`` sequences), from measurements.

    Inside the measured region (``load_h200_llm_decode``: batch 1–128, context 512–4096,
    batch × context ≤ 65,536) the median step time is interpolated **piecewise-linearly on
    a Delaunay triangulation of the grid in (log2 batch, log2 context)** (scipy's
    ``LinearNDInterpolator``). Outside it, the point is projected onto the region
    (context clamped to the measured range, then batch capped so batch × context stays
    measured), interpolated there, and the change from the projection to the point is
    added from a least-squares fit of the memory-bound form

    .. math:: t = a + b\,B + c\,B\,L

    (weights read once per step, a small per-sequence cost, KV cache of :math:`B L` tokens
    read) to the same table — exact on the measurements, continuous across the boundary.
    For the CUDA-graph column the fit gives
    :math:`c` ≈ 1.2e-4 ms per token, i.e. 524,288 KV bytes per token read at ≈ 4.4 TB/s —
    the copy bandwidth the H200 measured.

    Parameters
    ----------
    batch : int or array
        Concurrent sequences (≥ 1).
    context_tokens : float or array
        Tokens in each sequence's KV cache (≥ 1).
    decode_table : DataFrame
        Columns ``batch``, ``context_tokens`` and ``median_ms_cuda_graph`` /
        ``median_ms_eager``.
    mode : {"cuda_graph", "eager"}

    >>> from infra_lab.datasets import load_h200_llm_decode
    >>> round(decode_step_ms(1, 512, load_h200_llm_decode()), 2)  # a measured point
    5.31
    """
    require(mode in _DECODE_COLUMNS, "mode", mode, f"must be one of {sorted(_DECODE_COLUMNS)}")
    col = _DECODE_COLUMNS[mode]
    require_columns(decode_table, ["batch", "context_tokens", col], "decode_table")
    b = as_float_array(batch, "batch")
    c = as_float_array(context_tokens, "context_tokens")
    require(b >= 1, "batch", batch, "must be ≥ 1 sequence")
    require(c >= 1, "context_tokens", context_tokens, "must be ≥ 1 token")
    b, c = np.broadcast_arrays(b, c)
    tb = decode_table["batch"].to_numpy(dtype=float)
    tc = decode_table["context_tokens"].to_numpy(dtype=float)
    ty = decode_table[col].to_numpy(dtype=float)
    interp, (a0, a1, a2) = _decode_model(tuple(tb), tuple(tc), tuple(ty))

    def fit(bb, cc):
        return a0 + a1 * bb + a2 * bb * cc

    # Project onto the measured region (clamp context, then cap batch × context), interpolate
    # there and add the fitted change from the projection to the point: exact inside,
    # continuous across the boundary.
    c_in = np.clip(c, tc.min(), tc.max())
    b_in = np.clip(b, tb.min(), np.minimum(tb.max(), (tb * tc).max() / c_in * (1 - 1e-12)))
    base = interp(np.log2(b_in), np.log2(c_in))
    out = np.where(np.isnan(base), fit(b, c), base + fit(b, c) - fit(b_in, c_in))
    return scalar_or_array(out)


def decode_bytes_per_step(params: Any, batch: Any, context_tokens: Any, bytes_per_param: float = 2.0,
                          kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B) -> Any:
    r"""Bytes one decode step must read: all weights once plus every sequence's KV cache.

    .. math:: bytes = N \cdot b_{param} + B \cdot L \cdot b_{KV}

    This is the definition behind ``bytes_read_floor_gb`` in ``llm_decode.csv``
    ("weights + KV cache read per step", data/measured_h200/README.md). For the
    Llama-7B shape :math:`b_{KV}` = 2·32 layers·4096·2 bytes = 524,288 (llm_machine.json).

    >>> decode_bytes_per_step(6738415616, 1, 512) / 1e9  # first row of llm_decode.csv
    13.745266688
    """
    n = as_float_array(params, "params")
    b = as_float_array(batch, "batch")
    c = as_float_array(context_tokens, "context_tokens")
    bp = as_float_array(bytes_per_param, "bytes_per_param")
    kv = as_float_array(kv_bytes_per_token, "kv_bytes_per_token")
    require(n > 0, "params", params, "must be > 0")
    require(b >= 0, "batch", batch, "must be ≥ 0 sequences")
    require(c >= 0, "context_tokens", context_tokens, "must be ≥ 0 tokens")
    require(bp > 0, "bytes_per_param", bytes_per_param, "must be > 0 bytes")
    require(kv >= 0, "kv_bytes_per_token", kv_bytes_per_token, "must be ≥ 0 bytes")
    return scalar_or_array(n * bp + b * c * kv)


def decode_floor_ms(params: Any, batch: Any, context_tokens: Any, *, bandwidth_bytes_per_s: Any,
                    bytes_per_param: float = 2.0, kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B) -> Any:
    r"""Memory-bound floor of one decode step: bytes read ÷ memory bandwidth.

    .. math:: t_{floor} = \frac{N \cdot b_{param} + B \cdot L \cdot b_{KV}}{BW}

    At small batch a decode step does about 2 FLOPs per bf16 parameter read (1 FLOP per
    byte), far below the roofline ridge (Williams, Waterman & Patterson 2009), so it cannot
    run faster than the time to stream the weights and KV cache from HBM. data/measured_h200/README.md: 13.5 GB
    of weights at 4.2 TB/s → ≈ 3.2 ms; measured 5.3 ms at batch 1 (CUDA graph).

    >>> round(decode_floor_ms(6738415616, 1, 0, bandwidth_bytes_per_s=4.2e12), 2)
    3.21
    """
    bw = as_float_array(bandwidth_bytes_per_s, "bandwidth_bytes_per_s")
    require(bw > 0, "bandwidth_bytes_per_s", bandwidth_bytes_per_s, "must be > 0 bytes/s")
    nbytes = decode_bytes_per_step(params, batch, context_tokens, bytes_per_param, kv_bytes_per_token)
    return scalar_or_array(np.asarray(nbytes) / bw * 1e3)


@dataclass(frozen=True)
class LLMDemand:
    """Per-request service demand of an LLM trace on one replica (see :func:`llm_service_demand`).

    Attributes
    ----------
    batch : int
        Concurrent sequences per replica (B).
    mode : str
    mean_context_tokens : float
        Token-weighted mean context a decode step sees (tokens).
    decode_step_ms : float
        Step time at batch B and that context (ms).
    prefill_s, decode_s : numpy.ndarray
        Per request: prefill time; output tokens × step time (s).
    gpu_s : numpy.ndarray
        GPU time a request costs: prefill + output × step / B (s).
    capacity_rps : float
        Requests/s one replica sustains: 1 / mean(gpu_s).
    """

    batch: int
    mode: str
    mean_context_tokens: float
    decode_step_ms: float
    prefill_s: np.ndarray
    decode_s: np.ndarray
    gpu_s: np.ndarray
    capacity_rps: float


def llm_service_demand(input_tokens: Any, output_tokens: Any, prefill_table: pd.DataFrame,
                       decode_table: pd.DataFrame, batch: int, mode: str = "cuda_graph",
                       context_tokens: float | None = None) -> LLMDemand:
    r"""Service demand of LLM requests on one replica under continuous batching.

    The approximation (iteration-level scheduling as in Orca, Yu et al., OSDI 2022, and
    vLLM, Kwon et al., SOSP 2023):

    * a replica keeps up to :math:`B` sequences in flight; each decode step emits one
      token for each of them and takes :math:`s(B, \bar L)` from :func:`decode_step_ms`
      at batch :math:`B` and the mean context :math:`\bar L` (the batch is assumed full);
    * :math:`\bar L = \sum_i o_i (p_i + o_i/2) / \sum_i o_i` — a sequence stays for
      :math:`o_i` steps while its context grows from :math:`p_i` to :math:`p_i + o_i`, so
      this is the context averaged over all decode steps;
    * prefill runs one prompt at a time and pauses decoding (no chunked prefill; the
      interference Splitwise, Patel et al., ISCA 2024, removes by splitting phases):
      time :math:`P(p_i)` from :func:`prefill_ms`;
    * a request costs GPU time :math:`g_i = P(p_i) + o_i\,s/B`; a replica sustains

    .. math:: \mu = 1 / \overline{g} \quad \text{requests/s}.

    Parameters
    ----------
    input_tokens, output_tokens : array-like
        Prompt and generated tokens per request.
    prefill_table, decode_table : DataFrame
        ``load_h200_llm_prefill()``, ``load_h200_llm_decode()``.
    batch : int
        B ≥ 1.
    mode : {"cuda_graph", "eager"}
    context_tokens : float, optional
        Override :math:`\bar L`.

    >>> from infra_lab.datasets import load_h200_llm_prefill, load_h200_llm_decode
    >>> d = llm_service_demand([1024], [100], load_h200_llm_prefill(), load_h200_llm_decode(), batch=1)
    >>> round(d.mean_context_tokens), round(d.capacity_rps, 2)
    (1074, 1.76)
    """
    require(isinstance(batch, (int, np.integer)) and batch >= 1, "batch", batch, "must be an integer ≥ 1")
    p = as_float_array(input_tokens, "input_tokens").ravel()
    o = as_float_array(output_tokens, "output_tokens").ravel()
    require(p.size == o.size and p.size > 0, "output_tokens", f"{o.size} values",
            f"must have as many values as input_tokens ({p.size}), at least one")
    require(o >= 1, "output_tokens", "values < 1", "must be ≥ 1 token")
    if context_tokens is None:
        ctx = float(np.sum(o * (p + o / 2.0)) / np.sum(o))
    else:
        ctx = float(as_float_array(context_tokens, "context_tokens"))
        require(ctx >= 1, "context_tokens", context_tokens, "must be ≥ 1 token")
    step_ms = float(decode_step_ms(batch, ctx, decode_table, mode))
    pre = np.asarray(prefill_ms(p, prefill_table), dtype=float) / 1e3
    dec = o * step_ms / 1e3
    gpu = pre + dec / batch
    return LLMDemand(batch=int(batch), mode=mode, mean_context_tokens=ctx, decode_step_ms=step_ms,
                     prefill_s=pre, decode_s=dec, gpu_s=gpu, capacity_rps=float(1.0 / gpu.mean()))


@dataclass(frozen=True)
class LLMPlan:
    """Replicas an LLM trace needs for TTFT and TPOT SLOs (see :func:`llm_replicas_for_slo`).

    Attributes
    ----------
    feasible : bool
        Whether some replica count up to ``max_replicas`` meets both SLOs.
    replicas : int or None
        Fewest replicas meeting both SLOs (None if infeasible).
    batch : int or None
        Batch (concurrent sequences per replica) at that count.
    decode_step_ms, tpot_ms, ttft_quantile_s, utilization : float
        At the plan (NaN if infeasible). ``utilization`` = arrival rate / (replicas × μ).
    percentile : float
    arrival_rate_rps : float
        Mean arrival rate of the trace.
    search : DataFrame
        Every (replicas, batch) evaluated: ``tpot_ms``, ``ttft_quantile_s``, ``meets``.
    """

    feasible: bool
    replicas: int | None
    batch: int | None
    decode_step_ms: float
    tpot_ms: float
    ttft_quantile_s: float
    utilization: float
    percentile: float
    arrival_rate_rps: float
    search: pd.DataFrame


def llm_replicas_for_slo(
    trace: pd.DataFrame,
    ttft_slo_s: float,
    tpot_slo_s: float,
    prefill_table: pd.DataFrame,
    decode_table: pd.DataFrame,
    percentile: float = 0.99,
    mode: str = "cuda_graph",
    batches: Sequence[int] = (1, 2, 4, 8, 16, 32, 64, 128),
    max_replicas: int = 64,
    memory_bytes: float | None = 141e9,
    bytes_per_param: float = 2.0,
    kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B,
) -> LLMPlan:
    r"""Fewest H200 replicas that serve a real trace within TTFT and TPOT SLOs.

    For :math:`n = 1, 2, \dots` replicas (each with arrival rate :math:`\lambda/n`):

    1. **TPOT** (time per output token) of a batch :math:`B` is the decode step stretched
       by the prefills that pause it: :math:`TPOT = s(B, \bar L) / (1 - \lambda P̄/n)`
       (:func:`llm_service_demand`). TPOT ≤ SLO caps the batch; the largest feasible
       :math:`B` in ``batches`` is used (more slots, less queueing).
    2. **TTFT** (time to first token) = wait for a free slot + prefill. The wait comes
       from ``infra_lab.serving.simulate_queue`` replaying the trace's **real arrival
       times** on :math:`n B` slots (one shared queue: an ideal load balancer) with
       service time :math:`P(p_i) + o_i \cdot TPOT`.
    3. The plan meets the SLO when the ``percentile`` of TTFT ≤ ``ttft_slo_s``.

    Memory caps the batch too: weights plus the KV cache of :math:`B` sequences at the
    mean context (:func:`decode_bytes_per_step`) must fit in ``memory_bytes`` (an H200 has
    141 GB of HBM3e, data/measured_h200/README.md; real servers also keep activations and
    fragmentation headroom, so this is optimistic). The model size comes from the
    ``params`` column of ``decode_table``.

    Configurations whose GPU time exceeds capacity (:math:`\lambda \bar g / n \ge 1`) or
    whose slots are overloaded (:math:`\lambda\,\overline{R} / (nB) \ge 1`) are skipped.

    Parameters
    ----------
    trace : DataFrame
        Any schema :func:`normalize_trace` reads (Azure, Mooncake).
    ttft_slo_s, tpot_slo_s : float
        SLOs in seconds (> 0).
    prefill_table, decode_table : DataFrame
        ``load_h200_llm_prefill()``, ``load_h200_llm_decode()``.
    percentile : float
        TTFT quantile held to the SLO, in (0, 1).
    batches : sequence of int
        Candidate batch sizes.
    max_replicas : int
        Search limit.
    memory_bytes : float or None
        Accelerator memory (bytes); None disables the memory cap.
    bytes_per_param, kv_bytes_per_token : float
        Weight and KV-cache sizes (bf16 Llama-7B shape by default).

    >>> from infra_lab.datasets import load_h200_llm_prefill, load_h200_llm_decode
    >>> tr = pd.DataFrame({"arrival_s": np.arange(200) * 0.5, "input_tokens": 1000,
    ...                    "output_tokens": 100})
    >>> plan = llm_replicas_for_slo(tr, 1.0, 0.050, load_h200_llm_prefill(), load_h200_llm_decode())
    >>> plan.replicas, plan.batch
    (1, 128)
    """
    req = normalize_trace(trace)
    for name, v in (("ttft_slo_s", ttft_slo_s), ("tpot_slo_s", tpot_slo_s)):
        require(float(as_float_array(v, name)) > 0, name, v, "must be > 0 seconds")
    require(0 < percentile < 1, "percentile", percentile, "must be in (0, 1)")
    require(isinstance(max_replicas, (int, np.integer)) and max_replicas >= 1, "max_replicas",
            max_replicas, "must be an integer ≥ 1")
    cand = sorted({int(b) for b in batches}, reverse=True)
    require(len(cand) > 0 and cand[-1] >= 1, "batches", batches, "must be integers ≥ 1")
    if memory_bytes is not None:
        require(memory_bytes > 0, "memory_bytes", memory_bytes, "must be > 0 bytes (or None)")
        require_columns(decode_table, ["params"], "decode_table")
    arrivals = req["arrival_s"].to_numpy()
    duration = arrivals[-1] - arrivals[0]
    require(duration > 0, "trace", "one instant", "arrivals must span a positive time")
    lam = (arrivals.size - 1) / duration
    p = req["input_tokens"].to_numpy()
    o = req["output_tokens"].to_numpy()
    demands = {b: llm_service_demand(p, o, prefill_table, decode_table, b, mode) for b in cand}
    if memory_bytes is not None:
        params = float(decode_table["params"].iloc[0])
        ctx = demands[cand[0]].mean_context_tokens
        fits = [b for b in cand
                if decode_bytes_per_step(params, b, ctx, bytes_per_param, kv_bytes_per_token) <= memory_bytes]
        require(len(fits) > 0, "memory_bytes", memory_bytes,
                f"too small: not even batch {cand[-1]} fits the weights and KV cache at {ctx:.0f} tokens")
        cand = fits
    pre = demands[cand[0]].prefill_s
    rows = []
    plan = None
    # Even with no wait at all, TTFT is at least the prefill time.
    floor_q = float(np.quantile(pre, percentile))
    if floor_q <= ttft_slo_s:
        for n in range(1, max_replicas + 1):
            lam_rep = lam / n
            prefill_share = lam_rep * pre.mean()
            if prefill_share >= 1:
                continue
            for b in cand:
                d = demands[b]
                tpot = d.decode_step_ms / (1.0 - prefill_share)
                if tpot > tpot_slo_s * 1e3:
                    continue
                util = lam_rep / d.capacity_rps
                service = pre + o * tpot / 1e3
                slot_load = lam * service.mean() / (n * b)
                if util >= 1 or slot_load >= 1:
                    rows.append((n, b, d.decode_step_ms, tpot, np.inf, util, False))
                    break
                sim = serving.simulate_queue(arrivals, service, n * b)
                ttft_q = float(np.quantile(np.asarray(sim.wait_s) + pre, percentile))
                meets = ttft_q <= ttft_slo_s
                rows.append((n, b, d.decode_step_ms, tpot, ttft_q, util, meets))
                if meets:
                    plan = (n, b, d.decode_step_ms, tpot, ttft_q, util)
                break  # the largest TPOT-feasible batch is the best for this n
            if plan is not None:
                break
    search = pd.DataFrame(rows, columns=["replicas", "batch", "decode_step_ms", "tpot_ms",
                                         "ttft_quantile_s", "utilization", "meets"])
    if plan is None:
        nan = float("nan")
        return LLMPlan(False, None, None, nan, nan, nan, nan, percentile, float(lam), search)
    n, b, step, tpot, ttft_q, util = plan
    return LLMPlan(True, int(n), int(b), float(step), float(tpot), float(ttft_q), float(util),
                   percentile, float(lam), search)
