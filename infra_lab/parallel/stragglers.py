r"""Stragglers: a synchronous step waits for its slowest worker.

The expected time of a synchronous step is the expected **maximum** of the workers' times,
computed exactly from an empirical sample (:func:`expected_max_step_time`); the slowdown it
implies over the mean worker (:func:`straggler_slowdown`); and the slowdown a synchronous job
really paid, from its per-iteration worker times (:func:`observed_step_slowdown`).

Times here may be in any one unit (the Alibaba PAI traces are normalised to 0–1000), so the
parameters say "times", not a unit.

>>> expected_max_step_time([1.0, 3.0], [1, 2]).tolist()
[2.0, 2.5]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import count, data_array, number, require, scalar_or_array

__all__ = ["expected_max_step_time", "straggler_slowdown", "observed_step_slowdown"]


def expected_max_step_time(step_times: Any, workers: Any) -> Any:
    r"""Expected synchronous step time: E[max] of ``n`` workers' times, exactly.

    A synchronous data-parallel step ends when the **slowest** worker finishes. If each
    worker's time is an independent draw from the distribution of ``step_times`` (its
    empirical CDF ``F``), the expected step time is

    .. math:: E[\max_{1..n}] = \int_0^\infty \left(1 - F(x)^n\right) dx
              = \sum_{j=1}^{k} x_{(j)}\left[\left(\tfrac{j}{k}\right)^n -
                \left(\tfrac{j-1}{k}\right)^n\right]

    with ``x_(1) ≤ … ≤ x_(k)`` the sorted sample — the exact order-statistic expectation
    under sampling with replacement (no Monte Carlo, no seed). It grows with ``n``
    because the tail of the distribution is hit more often.

    Parameters
    ----------
    step_times : array_like, 1-D
        Observed per-worker step times (any one time unit), finite and ≥ 0; at least one.
    workers : int or array_like
        ``n``, a whole number ≥ 1; arrays give one value per ``n``.

    Returns
    -------
    float or numpy.ndarray
        Expected step time, in the unit of ``step_times``.

    See Also
    --------
    straggler_slowdown : the same, relative to the mean worker.
    observed_step_slowdown : what a real job paid.

    References
    ----------
    David and Nagaraja, *Order Statistics*, 3rd ed., Wiley, 2003, §2.1 (distribution of the
    maximum, F(x)^n). Dean and Barroso, "The Tail at Scale", Communications of the ACM 56(2),
    2013, pp. 74–80 (a fan-out waits for its slowest part).

    Examples
    --------
    Two equally likely times, 1 and 3: one worker waits 2 on average; with two workers
    the step takes 3 unless both draw 1 (probability 1/4): 1/4·1 + 3/4·3 = 2.5.

    >>> expected_max_step_time([1.0, 3.0], [1, 2]).tolist()
    [2.0, 2.5]
    """
    x = data_array("step_times", step_times, low=0.0)
    n = count("workers", workers, minimum=1)
    xs = np.sort(x)
    k = xs.size
    cdf = np.arange(k + 1) / k  # F at and just below each order statistic
    # P(max = x_(j)) = (j/k)^n − ((j−1)/k)^n; one row per n, vectorised
    probs = np.diff(cdf[None, :] ** n.reshape(-1, 1).astype(float), axis=1)
    result = probs @ xs
    return scalar_or_array(result.reshape(n.shape))


def straggler_slowdown(step_times: Any, workers: Any) -> Any:
    r"""Slowdown of a synchronous step over the mean worker: ``E[max of n] / E[X]``.

    .. math:: \text{slowdown}(n) = \frac{E[\max_{1..n} X]}{E[X]}

    1 for one worker or for identical times; the growth with ``n`` is the cost of
    waiting for stragglers (see :func:`expected_max_step_time`).

    Parameters
    ----------
    step_times : array_like, 1-D
        Observed per-worker step times (any one time unit), finite and ≥ 0, with a
        positive mean.
    workers : int or array_like
        ``n``, a whole number ≥ 1.

    Returns
    -------
    float or numpy.ndarray
        Slowdown (×, ≥ 1).

    See Also
    --------
    expected_max_step_time : the numerator.
    observed_step_slowdown : the measured counterpart.

    References
    ----------
    David and Nagaraja, *Order Statistics*, 3rd ed., 2003, §2.1. Dean and Barroso, "The
    Tail at Scale", CACM 56(2), 2013.

    Examples
    --------
    >>> straggler_slowdown([1.0, 3.0], [1, 2]).tolist()
    [1.0, 1.25]
    """
    x = data_array("step_times", step_times, low=0.0)
    require(x.mean() > 0, "step_times", step_times, "must have a positive mean")
    return scalar_or_array(np.asarray(expected_max_step_time(x, workers)) / x.mean())


def _worker_times(worker_times: Any) -> np.ndarray:
    """A 2-D float array in which NaN marks a missing time; everything else checked."""
    if hasattr(worker_times, "to_numpy"):
        worker_times = worker_times.to_numpy()
    if worker_times is None or isinstance(worker_times, (bool, np.bool_, str, bytes)):
        number("worker_times", worker_times)          # raises the named TypeError
    raw = np.asarray(worker_times) if not isinstance(worker_times, np.ndarray) else worker_times
    if raw.dtype.kind not in "iuf":
        number("worker_times", worker_times)          # bools, strings, objects: named TypeError
    t = raw.astype(float)
    # NaN is a missing measurement (a hole in a pivot table); check the rest as data.
    data_array("worker_times", np.where(np.isnan(t), 0.0, t), low=0.0, ndim=2)
    return t


def observed_step_slowdown(worker_times: Any) -> float:
    r"""Slowdown a synchronous job really paid: mean over iterations of max / mean worker time.

    .. math:: \text{slowdown}_{obs} = \frac{1}{I}\sum_{i=1}^{I}
              \frac{\max_w t_{i,w}}{\frac{1}{W}\sum_w t_{i,w}}

    Each iteration of a synchronous step waits for its slowest worker (the max) while the
    work done is that of the average worker (the mean); the ratio is the time lost to
    waiting in that iteration. The measured counterpart of :func:`straggler_slowdown`, which
    predicts the same quantity assuming the workers draw their times independently.

    Parameters
    ----------
    worker_times : array_like, shape (iterations, workers)
        Time of each worker in each iteration (any one time unit, ≥ 0, finite), e.g. a
        ``DataFrame.pivot_table(index="iteration", columns="worker", ...)``. NaN marks a
        missing measurement and is skipped (as pandas' ``max``/``mean`` do); every iteration
        needs at least one value and a mean > 0.

    Returns
    -------
    float
        Mean slowdown (×, ≥ 1).

    See Also
    --------
    straggler_slowdown : the i.i.d. model of the same quantity.

    References
    ----------
    Dean and Barroso, "The Tail at Scale", Communications of the ACM 56(2), 2013, pp. 74–80.
    Weng et al., "MLaaS in the Wild: Workload Analysis and Scheduling in Large-Scale
    Heterogeneous GPU Clusters", NSDI 2022 (the Alibaba PAI 2020 trace of per-worker
    mini-batch times).

    Examples
    --------
    Two iterations of two workers: (3 / 2 + 2 / 2) / 2 = 1.25.

    >>> observed_step_slowdown([[1.0, 3.0], [2.0, 2.0]])
    1.25
    >>> observed_step_slowdown([[1.0, 3.0], [2.0, np.nan]])   # a missing time is skipped
    1.25
    """
    t = _worker_times(worker_times)
    present = ~np.isnan(t)
    rows = present.any(axis=1)
    require(rows, "worker_times", f"<array {t.shape}>",
            f"every iteration needs at least one time (not NaN); row {int(np.argmin(rows))} has none")
    mean = np.nanmean(t, axis=1)
    require(mean > 0, "worker_times", f"<array {t.shape}>", "every iteration must have a positive mean time")
    return float(np.mean(np.nanmax(t, axis=1) / mean))
