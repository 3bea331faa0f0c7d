r"""Parallel and distributed computation: speedup laws, collectives, pipelines, stragglers.

The article's *Mathematical Lens* gives two formulas for this chapter: data-parallel
training averages the workers' gradients, :math:`g_t = \frac{1}{n}\sum_i g_{t,i}`, and
parallel efficiency is :math:`E = T_1 / (n \cdot T_n)`. Around them this module collects
the laws a practitioner uses to reason about scaling:

* speedup and efficiency from measured times; Amdahl's law (fixed problem size),
  Gustafson's scaled speedup (fixed run time) and the Karp–Flatt metric (the serial
  fraction implied by a measured speedup); a least-squares fit of Amdahl's law to
  measured times (:func:`fit_amdahl`);
* the gradient of a mean loss and its data-parallel average (:func:`average_gradients`,
  :func:`least_squares_gradient`);
* the α–β cost of a ring all-reduce and the nccl-tests *bus bandwidth* correction;
* the pipeline-parallel bubble in the two conventions found in the literature (GPipe's
  share of total time and Megatron-LM's ratio to ideal time — they differ);
* stragglers: the expected time of a synchronous step is the expected **maximum** of
  the workers' times, computed exactly from an empirical sample, and the slowdown a
  synchronous job really paid, from its per-iteration worker times
  (:func:`observed_step_slowdown`).

Every formula function broadcasts over numpy arrays; scalars in give Python scalars out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import as_float_array, require, scalar_or_array

__all__ = [
    "speedup",
    "parallel_efficiency",
    "amdahl_speedup",
    "gustafson_speedup",
    "karp_flatt",
    "AmdahlFit",
    "fit_amdahl",
    "least_squares_gradient",
    "average_gradients",
    "ring_allreduce_seconds",
    "algorithm_bandwidth",
    "bus_bandwidth",
    "BUS_BANDWIDTH_FACTORS",
    "pipeline_bubble_fraction",
    "BUBBLE_CONVENTIONS",
    "expected_max_step_time",
    "straggler_slowdown",
    "observed_step_slowdown",
]

#: nccl-tests ``doc/PERFORMANCE.md`` correction factors busbw = algbw × factor(n).
BUS_BANDWIDTH_FACTORS: dict[str, str] = {
    "all_reduce": "2(n-1)/n",
    "reduce_scatter": "(n-1)/n",
    "all_gather": "(n-1)/n",
    "all_to_all": "(n-1)/n",
    "broadcast": "1",
    "reduce": "1",
}

#: The two pipeline-bubble conventions :func:`pipeline_bubble_fraction` knows.
BUBBLE_CONVENTIONS: tuple[str, ...] = ("gpipe", "megatron")


# --------------------------------------------------------------------------- helpers
def _workers(value: Any, name: str, minimum: float = 1.0, integer: bool = False,
             strict: bool = False) -> np.ndarray:
    arr = as_float_array(value, name)
    if strict:
        require(arr > minimum, name, value, f"must be > {minimum:g}")
    else:
        require(arr >= minimum, name, value, f"must be ≥ {minimum:g}")
    if integer:
        finite = arr[np.isfinite(arr)]
        require(np.all(finite == np.floor(finite)) and np.all(np.isfinite(arr)), name, value,
                "must be a whole number")
    return arr


def _fraction(value: Any, name: str) -> np.ndarray:
    arr = as_float_array(value, name)
    require((arr >= 0) & (arr <= 1), name, value, "must be a fraction in [0, 1]")
    return arr


# --------------------------------------------------------------- speedup and efficiency
def speedup(t1_seconds: Any, tn_seconds: Any) -> Any:
    r"""Speedup of a parallel run over the one-worker run.

    .. math:: S = T_1 / T_n

    Parameters
    ----------
    t1_seconds, tn_seconds : float or array_like
        Wall-clock time with one worker and with ``n`` workers (s, or any one time unit);
        both > 0.

    Returns
    -------
    float or numpy.ndarray
        The speedup (-).

    Examples
    --------
    >>> speedup(1.79, 0.225)
    7.955555555555556
    >>> speedup(10.0, [10.0, 5.0, 2.5]).tolist()
    [1.0, 2.0, 4.0]
    """
    t1 = as_float_array(t1_seconds, "t1_seconds")
    tn = as_float_array(tn_seconds, "tn_seconds")
    require(t1 > 0, "t1_seconds", t1_seconds, "must be > 0 s")
    require(tn > 0, "tn_seconds", tn_seconds, "must be > 0 s")
    return scalar_or_array(t1 / tn)


def parallel_efficiency(t1_seconds: Any, tn_seconds: Any, workers: Any) -> Any:
    r"""Parallel efficiency: the share of ideal linear speedup a run achieves.

    .. math:: E = \frac{T_1}{n \cdot T_n} = \frac{S}{n}

    Source: the article, *Mathematical Lens*. ``E = 1`` is perfect scaling; values above
    1 (super-linear speedup, e.g. from caches) are possible and returned as they are.

    Parameters
    ----------
    t1_seconds, tn_seconds : float or array_like
        Time with one worker and with ``workers`` workers (s); > 0.
    workers : float or array_like
        Number of workers ``n`` (≥ 1).

    Returns
    -------
    float or numpy.ndarray
        Efficiency (-).

    Examples
    --------
    The host's feature build (``load_h200_cpu_scaling``, medians): 1.79 s on one process,
    0.225 s on 16:

    >>> round(parallel_efficiency(1.79, 0.225, 16), 3)
    0.497
    """
    n = _workers(workers, "workers")
    return scalar_or_array(np.asarray(speedup(t1_seconds, tn_seconds)) / n)


def amdahl_speedup(serial_fraction: Any, workers: Any) -> Any:
    r"""Amdahl's law: speedup of a fixed-size problem on ``n`` workers.

    .. math:: S(n) = \frac{1}{s + (1 - s)/n}

    Source: G. Amdahl, "Validity of the single processor approach to achieving large
    scale computing capabilities", AFIPS 1967. ``s`` is the share of the **one-worker**
    run time that cannot be parallelised; as ``n → ∞`` the speedup tends to ``1/s``
    (``workers=numpy.inf`` returns that limit).

    Parameters
    ----------
    serial_fraction : float or array_like
        ``s`` in [0, 1] (-).
    workers : float or array_like
        ``n`` ≥ 1; real values are allowed so a notebook can draw a smooth curve.

    Returns
    -------
    float or numpy.ndarray
        Speedup (-).

    Examples
    --------
    A program that runs 20 h on one thread, 1 h of it serial (``s = 0.05``), can never
    run more than 20× faster (the example in Wikipedia's "Amdahl's law"):

    >>> round(amdahl_speedup(0.05, float("inf")), 6)
    20.0
    >>> [round(x, 2) for x in amdahl_speedup(0.05, [1, 16, 1024]).tolist()]
    [1.0, 9.14, 19.64]
    """
    s = _fraction(serial_fraction, "serial_fraction")
    n = _workers(workers, "workers")
    with np.errstate(divide="ignore"):
        return scalar_or_array(1.0 / (s + (1.0 - s) / n))


def gustafson_speedup(serial_fraction: Any, workers: Any) -> Any:
    r"""Gustafson's scaled speedup: the problem grows with the machine, run time is fixed.

    .. math:: S(n) = n + (1 - n)\,s = s + (1 - s)\,n

    Source: J. L. Gustafson, "Reevaluating Amdahl's law", CACM 31(5), 1988 (with E. Barsis).
    **Here ``s`` is measured on the parallel run**: the share of the *n-worker* run's time
    spent in serial code. In Amdahl's law ``s`` is the share of the one-worker run. The
    same program has a much smaller Amdahl fraction ``f = s / (s + n(1 - s))``; with it
    both laws give the same number — they are one law read from two ends.

    Parameters
    ----------
    serial_fraction : float or array_like
        ``s`` in [0, 1], measured on the parallel run (-).
    workers : float or array_like
        ``n`` ≥ 1.

    Returns
    -------
    float or numpy.ndarray
        Scaled speedup (-); grows without bound, linearly in ``n`` with slope ``1 - s``.

    Examples
    --------
    >>> round(gustafson_speedup(0.01, 1000), 2)
    990.01
    >>> f = 0.01 / (0.01 + 1000 * 0.99)        # the same program, Amdahl's fraction
    >>> round(amdahl_speedup(f, 1000), 2)
    990.01
    """
    s = _fraction(serial_fraction, "serial_fraction")
    n = _workers(workers, "workers")
    return scalar_or_array(n + (1.0 - n) * s)


def karp_flatt(speedup: Any, workers: Any) -> Any:
    r"""Karp–Flatt metric: the experimentally determined serial fraction.

    .. math:: e = \frac{1/S - 1/n}{1 - 1/n}, \qquad n > 1

    Source: A. H. Karp and H. P. Flatt, "Measuring parallel processor performance",
    CACM 33(5), 1990. If the program followed Amdahl's law exactly, ``e`` would equal
    its serial fraction at every ``n``; an ``e`` that **grows** with ``n`` reveals
    overhead that grows with the number of workers (communication, synchronisation),
    a constant ``e`` a true serial part. Super-linear speedup gives ``e < 0``.

    Parameters
    ----------
    speedup : float or array_like
        Measured speedup ``S`` > 0 (-).
    workers : float or array_like
        ``n`` > 1 (the metric is 0/0 at ``n = 1``).

    Returns
    -------
    float or numpy.ndarray
        ``e`` (-).

    Examples
    --------
    >>> round(karp_flatt(amdahl_speedup(0.1, 8), 8), 12)
    0.1
    >>> round(karp_flatt(7.96, 16), 3)
    0.067
    """
    s = as_float_array(speedup, "speedup")
    require(s > 0, "speedup", speedup, "must be > 0")
    n = _workers(workers, "workers", strict=True)
    return scalar_or_array((1.0 / s - 1.0 / n) / (1.0 - 1.0 / n))


@dataclass(frozen=True)
class AmdahlFit:
    """Least-squares fit of Amdahl's law ``T(n) = a + b/n`` to measured times.

    Attributes
    ----------
    serial_fraction : float
        ``s = a / (a + b)`` (-).
    t1_seconds : float
        Fitted one-worker time ``a + b`` (s).
    serial_seconds, parallel_seconds : float
        ``a`` (time that does not shrink) and ``b`` (time that divides by ``n``) (s).
    r_squared : float
        Coefficient of determination of the fit on the times (-).
    rmse_seconds : float
        Root-mean-square residual (s).
    workers, seconds, residuals_seconds : tuple of float
        The data the fit saw and measured − fitted per point.
    constrained : bool
        True when the unconstrained solution had ``a < 0`` or ``b < 0`` and the
        non-negative least-squares solution was used instead.
    """

    serial_fraction: float
    t1_seconds: float
    serial_seconds: float
    parallel_seconds: float
    r_squared: float
    rmse_seconds: float
    workers: tuple[float, ...]
    seconds: tuple[float, ...]
    residuals_seconds: tuple[float, ...]
    constrained: bool

    @property
    def max_speedup(self) -> float:
        """The Amdahl ceiling ``1/s`` (``inf`` when ``s = 0``)."""
        return float("inf") if self.serial_fraction == 0 else 1.0 / self.serial_fraction

    def predict_seconds(self, workers: Any) -> Any:
        """Fitted time ``a + b/n`` (s) for ``workers`` (≥ 1)."""
        n = _workers(workers, "workers")
        return scalar_or_array(self.serial_seconds + self.parallel_seconds / n)

    def predict_speedup(self, workers: Any) -> Any:
        """Fitted speedup ``amdahl_speedup(serial_fraction, workers)``."""
        return amdahl_speedup(self.serial_fraction, workers)


def fit_amdahl(workers: Any, seconds: Any) -> AmdahlFit:
    r"""Fit Amdahl's law to measured run times by linear least squares.

    .. math:: T(n) = T_1\left(s + \frac{1 - s}{n}\right) = a + \frac{b}{n},
              \quad s = \frac{a}{a + b},\ T_1 = a + b

    The model is linear in ``x = 1/n``, so ordinary least squares on ``(1/n, T)`` fits it.
    Repeated measurements at the same ``n`` are simply more rows; each counts once, so
    the fit weighs every run equally. If the unconstrained line has a negative
    intercept or slope (super-linear data), the non-negative least-squares solution is
    returned and ``constrained`` is set.

    Parameters
    ----------
    workers : array_like
        ``n`` per measurement (≥ 1); at least two distinct values.
    seconds : array_like
        Measured time per measurement (s; > 0); same length as ``workers``.

    Returns
    -------
    AmdahlFit

    Examples
    --------
    Times generated by Amdahl's law with ``T1 = 100 s`` and ``s = 0.1`` are fitted exactly:

    >>> n = [1, 2, 4, 8, 16]
    >>> t = [100 * (0.1 + 0.9 / k) for k in n]
    >>> fit = fit_amdahl(n, t)
    >>> round(fit.serial_fraction, 9), round(fit.t1_seconds, 6), round(fit.r_squared, 9)
    (0.1, 100.0, 1.0)
    """
    n = _workers(workers, "workers")
    t = as_float_array(seconds, "seconds")
    require(n.ndim == 1 and t.ndim == 1 and n.shape == t.shape, "seconds", seconds,
            f"must be a 1-D array as long as workers (len {n.size})")
    require(t > 0, "seconds", seconds, "must be > 0 s")
    require(np.unique(n).size >= 2, "workers", workers,
            "needs at least two distinct worker counts to fit a line in 1/n")
    x = 1.0 / n
    design = np.column_stack([np.ones_like(x), x])
    (a, b), *_ = np.linalg.lstsq(design, t, rcond=None)
    constrained = bool(a < 0 or b < 0)
    if constrained:  # super-linear data: keep the physically meaningful a, b ≥ 0
        from scipy.optimize import nnls

        (a, b), _ = nnls(design, t)
    fitted = a + b * x
    resid = t - fitted
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
    return AmdahlFit(
        serial_fraction=float(a / (a + b)),
        t1_seconds=float(a + b),
        serial_seconds=float(a),
        parallel_seconds=float(b),
        r_squared=r2,
        rmse_seconds=float(np.sqrt(np.mean(resid**2))),
        workers=tuple(n.tolist()),
        seconds=tuple(t.tolist()),
        residuals_seconds=tuple(resid.tolist()),
        constrained=constrained,
    )


# ---------------------------------------------------------------- data-parallel gradients
def least_squares_gradient(features: Any, targets: Any, coefficients: Any) -> np.ndarray:
    r"""Gradient of the mean squared error of a linear model.

    .. math:: L(w) = \frac{1}{N}\sum_{i=1}^{N} (x_i^\top w - y_i)^2, \qquad
              \nabla L(w) = \frac{2}{N} X^\top (X w - y)

    The loss is a **mean** over the ``N`` rows, so the gradient of a shard is the mean
    over that shard's rows — the fact the data-parallel average relies on.

    Parameters
    ----------
    features : array_like, shape (N, d)
        Design matrix ``X``.
    targets : array_like, shape (N,)
        ``y``.
    coefficients : array_like, shape (d,)
        ``w``.

    Returns
    -------
    numpy.ndarray, shape (d,)

    Examples
    --------
    >>> least_squares_gradient([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 0.0]).tolist()
    [-1.0, -2.0]
    """
    x = as_float_array(features, "features")
    y = as_float_array(targets, "targets")
    w = as_float_array(coefficients, "coefficients")
    require(x.ndim == 2 and x.shape[0] >= 1, "features", features, "must be a 2-D array (N rows, d columns)")
    require(y.shape == (x.shape[0],), "targets", targets, f"must have shape ({x.shape[0]},)")
    require(w.shape == (x.shape[1],), "coefficients", coefficients, f"must have shape ({x.shape[1]},)")
    return 2.0 / x.shape[0] * (x.T @ (x @ w - y))


def average_gradients(gradients: Any, weights: Any = None) -> Any:
    r"""Data-parallel gradient: the (weighted) mean of the workers' gradients.

    .. math:: g_t = \frac{1}{n}\sum_{i=1}^{n} g_{t,i}
              \qquad\text{or}\qquad g_t = \frac{\sum_i w_i\, g_{t,i}}{\sum_i w_i}

    Source: the article, *Mathematical Lens*. The plain mean equals the full-batch
    gradient of the mean loss only when every worker's shard has the **same number of
    examples**. With unequal shards, pass the shard sizes as ``weights``: each shard's
    mean gradient is then weighted by its share of the examples, which restores the
    full-batch gradient exactly. (An all-reduce computes the sum; frameworks divide by
    ``n``, which is why they split batches evenly.)

    Parameters
    ----------
    gradients : array_like, shape (n_workers, ...)
        One gradient per worker along the first axis.
    weights : array_like, shape (n_workers,), optional
        Non-negative weights, e.g. examples per shard; not all zero.

    Returns
    -------
    float or numpy.ndarray
        The averaged gradient, shape ``gradients.shape[1:]``.

    Examples
    --------
    >>> average_gradients([[1.0, 2.0], [3.0, 4.0]]).tolist()
    [2.0, 3.0]
    >>> average_gradients([[1.0, 2.0], [3.0, 4.0]], weights=[3, 1]).tolist()
    [1.5, 2.5]
    """
    try:
        g = np.asarray(gradients, dtype=float)
    except ValueError:
        raise ValueError(f"gradients: every worker's gradient must have the same shape; got "
                         f"shapes {[np.shape(x) for x in gradients]}") from None
    g = as_float_array(g, "gradients")
    require(g.ndim >= 1 and g.shape[0] >= 1, "gradients", gradients,
            "must hold at least one worker's gradient along the first axis")
    if weights is None:
        return scalar_or_array(g.mean(axis=0))
    w = as_float_array(weights, "weights")
    require(w.shape == (g.shape[0],), "weights", weights,
            f"must have one weight per worker, shape ({g.shape[0]},)")
    require(w >= 0, "weights", weights, "must be ≥ 0 (e.g. examples per shard)")
    require(w.sum() > 0, "weights", weights, "must not all be zero")
    return scalar_or_array(np.tensordot(w / w.sum(), g, axes=(0, 0)))


# ------------------------------------------------------------------------- collectives
def ring_allreduce_seconds(message_bytes: Any, workers: Any, bandwidth_bytes_per_s: Any,
                           latency_s: Any = 0.0) -> Any:
    r"""Time of a ring all-reduce in the α–β (latency–bandwidth) model.

    .. math:: T = 2(n-1)\,\alpha + 2\,\frac{n-1}{n}\,\frac{M}{B}

    Sources: P. Patarasuk and X. Yuan, "Bandwidth optimal all-reduce algorithms for
    clusters of workstations", JPDC 69(2), 2009; R. Thakur, R. Rabenseifner and
    W. Gropp, "Optimization of collective communication operations in MPICH",
    IJHPCA 19(1), 2005. A reduce-scatter and an all-gather of ``n − 1`` steps each; every
    rank sends ``2(n−1)/n · M`` bytes. ``n = 1`` needs no communication and gives 0.

    Parameters
    ----------
    message_bytes : float or array_like
        ``M``: bytes each rank holds and reduces (e.g. the gradient size), ≥ 0.
    workers : int or array_like
        ``n``: ranks (GPUs) in the ring, a whole number ≥ 1.
    bandwidth_bytes_per_s : float or array_like
        ``B``: per-rank, one-direction link bandwidth (bytes/s), > 0.
    latency_s : float or array_like, default 0
        ``α``: per-step latency (s), ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        Seconds.

    Examples
    --------
    1 GB over 8 GPUs at 450 GB/s per direction with 5 µs per step:

    >>> round(ring_allreduce_seconds(1e9, 8, 450e9, 5e-6) * 1e3, 4)
    3.9589
    >>> ring_allreduce_seconds(1e9, 1, 450e9, 5e-6)
    0.0
    """
    m = as_float_array(message_bytes, "message_bytes")
    require(m >= 0, "message_bytes", message_bytes, "must be ≥ 0 bytes")
    n = _workers(workers, "workers", integer=True)
    bw = as_float_array(bandwidth_bytes_per_s, "bandwidth_bytes_per_s")
    require(bw > 0, "bandwidth_bytes_per_s", bandwidth_bytes_per_s, "must be > 0 bytes/s")
    lat = as_float_array(latency_s, "latency_s")
    require(lat >= 0, "latency_s", latency_s, "must be ≥ 0 s")
    return scalar_or_array(2.0 * (n - 1.0) * lat + 2.0 * (n - 1.0) / n * m / bw)


def algorithm_bandwidth(message_bytes: Any, seconds: Any) -> Any:
    r"""nccl-tests *algorithm bandwidth*: ``algbw = S / t`` (bytes/s).

    Source: NVIDIA nccl-tests, ``doc/PERFORMANCE.md``.

    Parameters
    ----------
    message_bytes : float or array_like
        ``S``: bytes per rank, ≥ 0.
    seconds : float or array_like
        ``t``: measured time of the collective (s), > 0.

    Returns
    -------
    float or numpy.ndarray
        Bytes/s.

    >>> algorithm_bandwidth(1e9, 0.004)
    250000000000.0
    """
    m = as_float_array(message_bytes, "message_bytes")
    require(m >= 0, "message_bytes", message_bytes, "must be ≥ 0 bytes")
    t = as_float_array(seconds, "seconds")
    require(t > 0, "seconds", seconds, "must be > 0 s")
    return scalar_or_array(m / t)


def bus_bandwidth(algorithm_bandwidth_bytes_per_s: Any, workers: Any,
                  collective: str = "all_reduce") -> Any:
    r"""nccl-tests *bus bandwidth*: algorithm bandwidth corrected to the hardware's.

    .. math:: busbw = algbw \times f(n)

    with ``f`` from NVIDIA nccl-tests ``doc/PERFORMANCE.md`` ("Summary"):
    all_reduce ``2(n−1)/n``; reduce_scatter, all_gather, all_to_all ``(n−1)/n``;
    broadcast, reduce ``1``. Bus bandwidth can be compared with the link's peak
    bandwidth independently of the number of ranks.

    Parameters
    ----------
    algorithm_bandwidth_bytes_per_s : float or array_like
        ``algbw = S/t`` (bytes/s, or any bandwidth unit), ≥ 0.
    workers : int or array_like
        Ranks ``n``, a whole number ≥ 1.
    collective : str
        One of ``BUS_BANDWIDTH_FACTORS`` (hyphens and case are ignored: "All-Reduce").

    Returns
    -------
    float or numpy.ndarray
        Bus bandwidth in the unit of the input.

    Examples
    --------
    >>> bus_bandwidth(100.0, 8)
    175.0
    >>> bus_bandwidth(100.0, 8, "all_gather")
    87.5
    """
    key = str(collective).strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {k.replace("_", ""): k for k in BUS_BANDWIDTH_FACTORS}
    key = aliases.get(key.replace("_", ""), key)
    require(key in BUS_BANDWIDTH_FACTORS, "collective", collective,
            f"must be one of {', '.join(BUS_BANDWIDTH_FACTORS)}")
    algbw = as_float_array(algorithm_bandwidth_bytes_per_s, "algorithm_bandwidth_bytes_per_s")
    require(algbw >= 0, "algorithm_bandwidth_bytes_per_s", algorithm_bandwidth_bytes_per_s, "must be ≥ 0")
    n = _workers(workers, "workers", integer=True)
    if key == "all_reduce":
        factor = 2.0 * (n - 1.0) / n
    elif key in ("broadcast", "reduce"):
        factor = np.ones_like(n)
    else:
        factor = (n - 1.0) / n
    return scalar_or_array(algbw * factor)


# ---------------------------------------------------------------------- pipeline bubble
def pipeline_bubble_fraction(stages: Any, microbatches: Any, convention: str,
                             interleave: Any = 1) -> Any:
    r"""Idle "bubble" of a synchronous pipeline-parallel schedule, in one of two conventions.

    With ``p`` stages and ``m`` micro-batches the fill and drain of the pipeline idle each
    device for ``p − 1`` micro-batch slots. Two papers normalise that differently:

    ``"gpipe"`` — share of the **total** step time (Huang et al., "GPipe", NeurIPS 2019,
    arXiv:1811.06965, §2.3):

    .. math:: \frac{p - 1}{m + p - 1}

    ``"megatron"`` — bubble time relative to the **ideal** (bubble-free) compute time
    (Narayanan et al., "Efficient large-scale language model training on GPU clusters
    using Megatron-LM", SC 2021, arXiv:2104.04473, §2.2), with ``v`` interleaved model
    chunks per device:

    .. math:: \frac{1}{v}\cdot\frac{p - 1}{m}

    With ``x = (p−1)/m`` the GPipe share is ``x/(1+x)``: both describe the same schedule,
    and agree only when the bubble is small. The Megatron ratio can exceed 1.

    Parameters
    ----------
    stages : int or array_like
        ``p`` ≥ 1.
    microbatches : int or array_like
        ``m`` ≥ 1.
    convention : {"gpipe", "megatron"}
        Which normalisation to return (no default: say which one you mean).
    interleave : int or array_like, default 1
        ``v`` ≥ 1, model chunks per device; only the ``"megatron"`` convention has it.

    Returns
    -------
    float or numpy.ndarray
        Bubble fraction (-).

    Examples
    --------
    >>> pipeline_bubble_fraction(4, 12, "gpipe")
    0.2
    >>> pipeline_bubble_fraction(4, 12, "megatron")
    0.25
    >>> pipeline_bubble_fraction(4, 12, "megatron", interleave=2)
    0.125
    """
    conv = str(convention).strip().lower()
    require(conv in BUBBLE_CONVENTIONS, "convention", convention,
            f"must be one of {', '.join(BUBBLE_CONVENTIONS)}")
    p = _workers(stages, "stages", integer=True)
    m = _workers(microbatches, "microbatches", integer=True)
    v = _workers(interleave, "interleave", integer=True)
    if conv == "gpipe":
        require(v == 1, "interleave", interleave,
                "must be 1 for the gpipe convention (interleaving is Megatron's schedule)")
        return scalar_or_array((p - 1.0) / (m + p - 1.0))
    return scalar_or_array((p - 1.0) / (v * m))


# ------------------------------------------------------------------------- stragglers
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
        Observed per-worker step times (any one time unit, ≥ 0); at least one.
    workers : int or array_like
        ``n`` ≥ 1, a whole number; arrays give one value per ``n``.

    Returns
    -------
    float or numpy.ndarray
        Expected step time, in the unit of ``step_times``.

    Examples
    --------
    Two equally likely times, 1 and 3: one worker waits 2 on average; with two workers
    the step takes 3 unless both draw 1 (probability 1/4): 1/4·1 + 3/4·3 = 2.5.

    >>> expected_max_step_time([1.0, 3.0], [1, 2]).tolist()
    [2.0, 2.5]
    """
    x = as_float_array(step_times, "step_times")
    require(x.ndim == 1 and x.size >= 1, "step_times", step_times, "must be a non-empty 1-D array")
    require(np.all(np.isfinite(x)) and np.all(x >= 0), "step_times", step_times, "must be finite and ≥ 0")
    n = _workers(workers, "workers", integer=True)
    xs = np.sort(x)
    k = xs.size
    cdf = np.arange(k + 1) / k  # F at and just below each order statistic
    # P(max = x_(j)) = (j/k)^n − ((j−1)/k)^n; one row per n, vectorised
    probs = np.diff(cdf[None, :] ** n.reshape(-1, 1), axis=1)
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
        Observed per-worker step times (any one time unit, ≥ 0) with a positive mean.
    workers : int or array_like
        ``n`` ≥ 1, a whole number.

    Returns
    -------
    float or numpy.ndarray
        Slowdown (×, ≥ 1).

    Examples
    --------
    >>> straggler_slowdown([1.0, 3.0], [1, 2]).tolist()
    [1.0, 1.25]
    """
    x = as_float_array(step_times, "step_times")
    require(x.ndim == 1 and x.size >= 1, "step_times", step_times, "must be a non-empty 1-D array")
    require(x.mean() > 0, "step_times", step_times, "must have a positive mean")
    return scalar_or_array(np.asarray(expected_max_step_time(x, workers)) / x.mean())


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

    Examples
    --------
    Two iterations of two workers: (3 / 2 + 2 / 2) / 2 = 1.25.

    >>> observed_step_slowdown([[1.0, 3.0], [2.0, 2.0]])
    1.25
    >>> observed_step_slowdown([[1.0, 3.0], [2.0, np.nan]])   # a missing time is skipped
    1.25
    """
    try:
        t = np.asarray(worker_times, dtype=float)
    except (TypeError, ValueError):
        raise TypeError("worker_times: must be a 2-D array of numbers (iterations × workers)") from None
    require(t.ndim == 2 and t.shape[0] >= 1 and t.shape[1] >= 1, "worker_times", f"<shape {t.shape}>",
            "must be a 2-D array: one row per iteration, one column per worker")
    present = ~np.isnan(t)
    require(present.any(axis=1), "worker_times", "<array>", "every iteration needs at least one time (not NaN)")
    require(np.all(np.isfinite(t[present])) and np.all(t[present] >= 0), "worker_times", "<array>",
            "must be finite and ≥ 0 (NaN marks a missing time)")
    mean = np.nanmean(t, axis=1)
    require(mean > 0, "worker_times", "<array>", "every iteration must have a positive mean time")
    return float(np.mean(np.nanmax(t, axis=1) / mean))
