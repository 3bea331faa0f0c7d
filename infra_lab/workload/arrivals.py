r"""Arrival traces: times, per-interval rates and how bursty they are.

* :func:`arrival_times_s` — arrival times in seconds from the first arrival;
* :func:`arrival_rates` — arrivals per interval (empty intervals included);
* :func:`index_of_dispersion` — Var/mean of per-interval counts (1 for Poisson);
* :func:`burstiness` — peak-to-mean, index of dispersion and inter-arrival CoV at once
  (:class:`Burstiness`).

>>> import numpy as np
>>> t = np.array([0.1, 0.2, 0.3, 1.5, 3.2])
>>> arrival_rates(t, interval_s=1.0)["count"].tolist()
[3, 1, 0, 1]
>>> round(burstiness(t, interval_s=1.0).peak_to_mean, 2)
2.4
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._checks import count, data_array, positive, require
from .._results import Result

__all__ = ["Burstiness", "arrival_times_s", "arrival_rates", "index_of_dispersion", "burstiness"]


def _datetime_seconds(name: str, values: Any) -> np.ndarray | None:
    """Seconds since the epoch of datetime-like ``values`` (NaT refused by position), else None."""
    if isinstance(values, (pd.Series, pd.Index)) and pd.api.types.is_datetime64_any_dtype(values):
        arr = values.to_numpy()
    elif isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        arr = values
    else:
        return None
    arr = np.ravel(arr).astype("datetime64[ns]")
    nat = np.isnat(arr)
    require(not nat.any(), name, values, f"has a missing time (NaT) at position {int(np.argmax(nat))} "
            f"({int(nat.sum())} of {arr.size}); drop those rows first")
    return arr.astype(np.int64).astype(float) / 1e9


def arrival_times_s(timestamps: Any) -> np.ndarray:
    r"""Arrival times as float seconds from the first arrival, sorted.

    .. math:: t_i = \tau_{(i)} - \tau_{(1)}

    with :math:`\tau_{(i)}` the :math:`i`-th smallest timestamp.

    Parameters
    ----------
    timestamps : array_like of datetimes or of float seconds
        At least 2 arrival times, sorted or not: datetimes (a pandas Series/Index or a
        ``datetime64`` array, e.g. the Azure trace's ``TIMESTAMP``) or finite numbers in
        seconds. NaN/NaT, ±inf, booleans and strings are refused (the message gives the
        position of the first missing value).

    Returns
    -------
    numpy.ndarray
        Sorted arrival times (s), the first one 0.

    See Also
    --------
    arrival_rates : counts the arrivals per interval.
    burstiness : summarises how bursty the arrivals are.

    References
    ----------
    Azure LLM inference traces: Patel et al., "Splitwise: Efficient generative LLM inference
    using phase splitting", ISCA 2024; their ``TIMESTAMP`` column is described in
    data/SOURCES.md, §1.

    Examples
    --------
    >>> arrival_times_s(pd.to_datetime(["2023-11-16 18:15:47.0", "2023-11-16 18:15:46.5"])).tolist()
    [0.0, 0.5]
    >>> arrival_times_s([3.0, 1.0, 2.5]).tolist()
    [0.0, 1.5, 2.0]
    """
    t = _datetime_seconds("timestamps", timestamps)
    if t is None:
        t = data_array("timestamps", timestamps, min_size=2, ndim=None).ravel()
    require(t.size >= 2, "timestamps", timestamps, f"needs at least 2 arrivals; got {t.size}")
    t = np.sort(t)
    return t - t[0]


def arrival_seconds(timestamps: Any) -> np.ndarray:
    """Deprecated name of :func:`arrival_times_s` (kept for one release)."""
    warnings.warn("infra_lab.workload.arrival_seconds is deprecated; use arrival_times_s",
                  DeprecationWarning, stacklevel=2)
    return arrival_times_s(timestamps)


def arrival_rates(timestamps: Any, interval_s: float = 1.0) -> pd.DataFrame:
    r"""Arrivals per interval: counts and rates, empty intervals included.

    .. math::

        N_k = \#\{i : k\Delta \le t_i < (k+1)\Delta\}, \qquad rate_k = N_k / \Delta

    with :math:`t_i` the arrival times from the first arrival (:func:`arrival_times_s`).

    Parameters
    ----------
    timestamps : array_like of datetimes or of float seconds
        At least 2 arrival times (sorted or not); see :func:`arrival_times_s`.
    interval_s : float, default 1.0
        Interval length Δ in seconds; > 0 and finite, and small enough that the trace
        fits in at most 10,000,000 intervals (a tiny Δ would need more memory than the
        answer is worth).

    Returns
    -------
    pandas.DataFrame
        Index ``start_s`` (interval start, s from trace start); columns ``count`` (int) and
        ``rate_rps`` (requests/s). ``attrs["interval_s"]`` holds Δ.

    See Also
    --------
    burstiness : peak-to-mean and dispersion of these counts.
    index_of_dispersion : Var/mean of the ``count`` column.

    References
    ----------
    Ross, *Introduction to Probability Models*, ch. 5 (counting processes: :math:`N(t)` is
    the number of events in :math:`[0, t]`).

    Examples
    --------
    >>> arrival_rates([0.0, 0.4, 2.5], interval_s=1.0)
             count  rate_rps
    start_s
    0.0          2       2.0
    1.0          0       0.0
    2.0          1       1.0
    """
    dt = float(positive("interval_s", interval_s, unit="s"))
    t = arrival_times_s(timestamps)
    n_intervals = np.floor(t[-1] / dt) + 1
    require(n_intervals <= 10_000_000, "interval_s", interval_s,
            f"is too small for a trace of {t[-1]:.6g} s: it would need {n_intervals:.3g} intervals "
            "(at most 10,000,000); choose a longer interval")
    k = np.floor(t / dt).astype(np.int64)
    counts = np.bincount(k)
    start = np.arange(counts.size) * dt
    df = pd.DataFrame({"count": counts, "rate_rps": counts / dt},
                      index=pd.Index(start, name="start_s"))
    df.attrs["interval_s"] = dt
    return df


def index_of_dispersion(counts: Any) -> float:
    r"""Index of dispersion of counts: :math:`D = \mathrm{Var}(N) / \mathrm{E}[N]`.

    .. math:: D = \frac{s^2}{\bar N}, \quad s^2 = \frac{1}{K-1}\sum_k (N_k - \bar N)^2

    :math:`D = 1` for a Poisson process (its counts have variance equal to the mean);
    :math:`D > 1` means bursty (overdispersed) arrivals, :math:`D < 1` smoother than
    random. Sample variance with ``ddof=1``. :math:`D` is not scale-free — it changes if the
    counts are multiplied by a constant — so it is defined for whole counts only; pass
    rates and it would be wrong silently, hence fractions are refused.

    Parameters
    ----------
    counts : array_like of int
        Arrivals in each of at least 2 equal intervals; whole numbers ≥ 0, at least one
        of them > 0.

    Returns
    -------
    float
        :math:`D` (dimensionless, ≥ 0).

    See Also
    --------
    burstiness : computes :math:`D` of a trace at one interval, with peak-to-mean and CoV.
    arrival_rates : produces the counts.

    References
    ----------
    Cox & Lewis, *The Statistical Analysis of Series of Events*, Methuen, 1966 (index of
    dispersion of counts); Ross, *Introduction to Probability Models*, ch. 5: the count of
    a Poisson process in an interval of length :math:`t` is Poisson(:math:`\lambda t`), so
    its variance equals its mean and :math:`D = 1`.

    Examples
    --------
    >>> index_of_dispersion([2, 2, 2, 2])
    0.0
    >>> round(index_of_dispersion([0, 4, 0, 4]), 3)
    2.667
    """
    n = data_array("counts", counts, low=0, min_size=2).astype(float)
    count("counts", n)  # whole numbers only: D is not scale-free
    mean = n.mean()
    require(mean > 0, "counts", counts, "must contain at least one arrival (mean > 0)")
    return float(n.var(ddof=1) / mean)


@dataclass(frozen=True)
class Burstiness(Result):
    """How bursty a trace is, at one counting interval.

    Attributes
    ----------
    interval_s : float
        Counting interval (s).
    n_requests : int
        Arrivals in the trace.
    duration_s : float
        Number of intervals × interval (s).
    mean_rate_rps : float
        Mean per-interval arrival rate (requests/s).
    peak_rate_rps : float
        Highest per-interval arrival rate (requests/s).
    peak_to_mean : float
        peak / mean (≥ 1).
    index_of_dispersion : float
        Var/mean of the per-interval counts (1 for Poisson).
    interarrival_cov : float
        Standard deviation / mean of the gaps between arrivals (1 for Poisson).

    See Also
    --------
    burstiness : returns it.
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
    inter-arrival gaps. For a Poisson process :math:`D = CoV = 1`; the peak-to-mean of a
    Poisson process still exceeds 1 and grows as the interval shrinks, so compare traces
    at the same interval.

    Parameters
    ----------
    timestamps : array_like of datetimes or of float seconds
        At least 3 arrival times (2 gaps); see :func:`arrival_times_s`.
    interval_s : float, default 1.0
        Counting interval Δ (s); > 0, finite and at most the trace's span (so that there
        are ≥ 2 intervals to compare).

    Returns
    -------
    Burstiness

    See Also
    --------
    arrival_rates : the per-interval counts behind it.
    index_of_dispersion : :math:`D` alone.

    References
    ----------
    Ross, *Introduction to Probability Models*, ch. 5: Poisson counts have variance equal
    to the mean (:math:`D = 1`) and exponential gaps have standard deviation equal to the
    mean (CoV = 1). Cox & Lewis, *The Statistical Analysis of Series of Events* (1966).
    The Azure traces it is used on: Patel et al., Splitwise, ISCA 2024 (data/SOURCES.md, §1).

    Examples
    --------
    >>> b = burstiness([0.0, 0.1, 0.2, 3.0], interval_s=1.0)
    >>> b.n_requests, b.peak_rate_rps, b.peak_to_mean
    (4, 3.0, 3.0)
    """
    t = arrival_times_s(timestamps)
    require(t.size >= 3, "timestamps", timestamps,
            f"needs at least 3 arrivals (2 gaps) for the inter-arrival CoV; got {t.size}")
    rates = arrival_rates(t, interval_s)
    dt = rates.attrs["interval_s"]
    counts = rates["count"].to_numpy()
    require(counts.size >= 2, "interval_s", interval_s,
            f"must be ≤ the trace's span ({t[-1]:.6g} s) so that there are ≥ 2 intervals to compare")
    gaps = np.diff(t)
    mean_gap = gaps.mean()
    mean_rate = counts.mean() / dt
    peak = counts.max() / dt
    return Burstiness(
        interval_s=dt, n_requests=int(t.size), duration_s=float(counts.size * dt),
        mean_rate_rps=float(mean_rate), peak_rate_rps=float(peak),
        peak_to_mean=float(peak / mean_rate),
        index_of_dispersion=index_of_dispersion(counts),
        interarrival_cov=float(gaps.std(ddof=1) / mean_gap),
    )
