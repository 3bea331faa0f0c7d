r"""Communication in data- and pipeline-parallel training: gradients, all-reduce, bandwidths, bubbles.

* the gradient of a mean loss and its data-parallel average (the article's *Mathematical
  Lens*: :math:`g_t = \frac{1}{n}\sum_i g_{t,i}`);
* the α–β cost of a ring all-reduce and the nccl-tests *algorithm* and *bus* bandwidths;
* the pipeline-parallel bubble in the two conventions of the literature (GPipe's share of
  total time and Megatron-LM's ratio to ideal time — they differ).

>>> round(ring_allreduce_s(1e9, 8, 450e9, 5e-6) * 1e3, 4)
3.9589
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import (count, data_array, finite_result, nonnegative, option, positive, require,
                       scalar_or_array, text)
from infra_lab._deprecation import deprecated_alias

__all__ = [
    "least_squares_gradient",
    "average_gradients",
    "ring_allreduce_s",
    "algorithm_bandwidth_bytes_per_s",
    "bus_bandwidth_bytes_per_s",
    "BUS_BANDWIDTH_FACTORS",
    "pipeline_bubble_fraction",
    "BUBBLE_CONVENTIONS",
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
        Design matrix ``X``: finite numbers, at least one row.
    targets : array_like, shape (N,)
        ``y``: finite numbers.
    coefficients : array_like, shape (d,)
        ``w``: finite numbers.

    Returns
    -------
    numpy.ndarray, shape (d,)

    See Also
    --------
    average_gradients : combines the shards' gradients.

    References
    ----------
    Hastie, Tibshirani and Friedman, *The Elements of Statistical Learning*, 2nd ed., 2009,
    §3.2 (the residual sum of squares and its derivative −2Xᵀ(y − Xβ)).

    Examples
    --------
    >>> least_squares_gradient([[1.0, 0.0], [0.0, 1.0]], [1.0, 2.0], [0.0, 0.0]).tolist()
    [-1.0, -2.0]
    """
    x = data_array("features", features, ndim=2)
    y = data_array("targets", targets)
    w = data_array("coefficients", coefficients)
    require(y.shape == (x.shape[0],), "targets", targets, f"must have shape ({x.shape[0]},), one per row of features")
    require(w.shape == (x.shape[1],), "coefficients", coefficients,
            f"must have shape ({x.shape[1]},), one per column of features")
    with np.errstate(over="ignore", invalid="ignore"):
        g = 2.0 / x.shape[0] * (x.T @ (x @ w - y))
    return finite_result("least_squares_gradient", g, "features, targets or coefficients are too large")


def average_gradients(gradients: Any, weights: Any = None) -> Any:
    r"""Data-parallel gradient: the (weighted) mean of the workers' gradients.

    .. math:: g_t = \frac{1}{n}\sum_{i=1}^{n} g_{t,i}
              \qquad\text{or}\qquad g_t = \frac{\sum_i w_i\, g_{t,i}}{\sum_i w_i}

    The plain mean equals the full-batch gradient of the mean loss only when every worker's
    shard has the **same number of examples**. With unequal shards, pass the shard sizes as
    ``weights``: each shard's mean gradient is then weighted by its share of the examples,
    which restores the full-batch gradient exactly. (An all-reduce computes the sum;
    frameworks divide by ``n``, which is why they split batches evenly.)

    Parameters
    ----------
    gradients : array_like, shape (n_workers, ...)
        One gradient per worker along the first axis; finite numbers, at least one worker.
    weights : array_like, shape (n_workers,), optional
        Non-negative finite weights, e.g. examples per shard; not all zero.

    Returns
    -------
    float or numpy.ndarray
        The averaged gradient, shape ``gradients.shape[1:]``.

    See Also
    --------
    least_squares_gradient : a gradient to average.
    ring_allreduce_s : what the averaging costs on a network.

    References
    ----------
    The article, *Mathematical Lens* (g_t = (1/n) Σ g_{t,i}). Goyal et al., "Accurate, Large
    Minibatch SGD: Training ImageNet in 1 Hour", arXiv:1706.02677, 2017, §3 (the per-worker
    loss is normalised by the per-worker batch, so equal shards make the mean exact).

    Examples
    --------
    >>> average_gradients([[1.0, 2.0], [3.0, 4.0]]).tolist()
    [2.0, 3.0]
    >>> average_gradients([[1.0, 2.0], [3.0, 4.0]], weights=[3, 1]).tolist()
    [1.5, 2.5]
    """
    if isinstance(gradients, (list, tuple)) and len({np.shape(x) for x in gradients}) > 1:
        raise ValueError(f"gradients: every worker's gradient must have the same shape; got "
                         f"shapes {[np.shape(x) for x in gradients]}")
    g = data_array("gradients", gradients, ndim=None)
    require(g.ndim >= 1, "gradients", gradients, "must hold one gradient per worker along the first axis")
    if weights is None:
        return scalar_or_array(g.mean(axis=0))
    w = data_array("weights", weights, low=0.0)
    require(w.shape == (g.shape[0],), "weights", weights,
            f"must have one weight per worker, shape ({g.shape[0]},)")
    require(w.sum() > 0, "weights", weights, "must not all be zero")
    with np.errstate(over="ignore", invalid="ignore"):
        avg = np.tensordot(w / w.sum(), g, axes=(0, 0))
    return scalar_or_array(finite_result("average_gradients", avg, "gradients are too large to average"))


# ------------------------------------------------------------------------- collectives
def ring_allreduce_s(message_bytes: Any, workers: Any, bandwidth_bytes_per_s: Any, latency_s: Any = 0.0) -> Any:
    r"""Time of a ring all-reduce in the α–β (latency–bandwidth) model.

    .. math:: T = 2(n-1)\,\alpha + 2\,\frac{n-1}{n}\,\frac{M}{B}

    A reduce-scatter and an all-gather of ``n − 1`` steps each; every rank sends
    ``2(n−1)/n · M`` bytes. ``n = 1`` needs no communication and gives 0.

    Parameters
    ----------
    message_bytes : float or array_like
        ``M``: bytes each rank holds and reduces (e.g. the gradient size), ≥ 0 and finite.
    workers : int or array_like
        ``n``: ranks (GPUs) in the ring, a whole number ≥ 1.
    bandwidth_bytes_per_s : float or array_like
        ``B``: per-rank, one-direction link bandwidth (bytes/s), > 0 and finite.
    latency_s : float or array_like, default 0
        ``α``: per-step latency (s), ≥ 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Seconds.

    See Also
    --------
    algorithm_bandwidth_bytes_per_s : bandwidth from a measured time.
    bus_bandwidth_bytes_per_s : the correction that recovers B from that time.

    References
    ----------
    Patarasuk and Yuan, "Bandwidth optimal all-reduce algorithms for clusters of
    workstations", J. Parallel Distrib. Comput. 69(2), 2009 (the ring algorithm and its
    bandwidth lower bound 2(n−1)/n · M/B). Thakur, Rabenseifner and Gropp, "Optimization of
    collective communication operations in MPICH", IJHPCA 19(1), 2005 (α–β cost model).
    NVIDIA nccl-tests documentation, "Performance reported by NCCL tests" (doc/PERFORMANCE),
    Section "Bus bandwidth" (all-reduce time 2(n−1)/n · S/B).

    Examples
    --------
    1 GB over 8 GPUs at 450 GB/s per direction with 5 µs per step:

    >>> round(ring_allreduce_s(1e9, 8, 450e9, 5e-6) * 1e3, 4)
    3.9589
    >>> ring_allreduce_s(1e9, 1, 450e9, 5e-6)
    0.0
    """
    m = nonnegative("message_bytes", message_bytes)
    n = count("workers", workers, minimum=1).astype(float)
    bw = positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    lat = nonnegative("latency_s", latency_s)
    t = 2.0 * (n - 1.0) * lat + 2.0 * (n - 1.0) / n * m / bw
    return finite_result("ring_allreduce_s", scalar_or_array(t), "message_bytes or latency_s is too large")


def algorithm_bandwidth_bytes_per_s(message_bytes: Any, duration_s: Any) -> Any:
    r"""nccl-tests *algorithm bandwidth* of a collective (bytes/s).

    .. math:: algbw = \frac{S}{t}

    Parameters
    ----------
    message_bytes : float or array_like
        ``S``: bytes per rank, ≥ 0 and finite.
    duration_s : float or array_like
        ``t``: measured time of the collective (s), > 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Bytes/s.

    See Also
    --------
    bus_bandwidth_bytes_per_s : the hardware-comparable correction.
    ring_allreduce_s : a modelled time to put in.

    References
    ----------
    NVIDIA nccl-tests documentation, "Performance reported by NCCL tests" (doc/PERFORMANCE),
    Section "Algorithm bandwidth" (algbw = S / t).

    Examples
    --------
    >>> algorithm_bandwidth_bytes_per_s(1e9, 0.004)
    250000000000.0
    """
    m = nonnegative("message_bytes", message_bytes)
    t = positive("duration_s", duration_s)
    return finite_result("algorithm_bandwidth_bytes_per_s", scalar_or_array(m / t),
                         "message_bytes is too large for duration_s")


def _collective(collective: Any) -> str:
    # "All-Reduce", "allreduce" and "all_reduce" name one collective; anything else is refused.
    text("collective", collective)
    key = collective.strip().lower().replace("-", "_").replace(" ", "_")
    aliases = {k.replace("_", ""): k for k in BUS_BANDWIDTH_FACTORS}
    key = aliases.get(key.replace("_", ""), key)
    if key not in BUS_BANDWIDTH_FACTORS:
        option("collective", collective, BUS_BANDWIDTH_FACTORS)
    return key


def bus_bandwidth_bytes_per_s(algorithm_bandwidth_bytes_per_s: Any, workers: Any,
                              collective: str = "all_reduce") -> Any:
    r"""nccl-tests *bus bandwidth*: algorithm bandwidth corrected to the hardware's.

    .. math:: busbw = algbw \times f(n)

    with ``f``: all_reduce ``2(n−1)/n``; reduce_scatter, all_gather, all_to_all
    ``(n−1)/n``; broadcast, reduce ``1``. Bus bandwidth can be compared with the link's peak
    bandwidth independently of the number of ranks.

    Parameters
    ----------
    algorithm_bandwidth_bytes_per_s : float or array_like
        ``algbw = S/t`` (bytes/s), ≥ 0 and finite.
    workers : int or array_like
        Ranks ``n``, a whole number ≥ 1.
    collective : str, default "all_reduce"
        One of ``BUS_BANDWIDTH_FACTORS`` (hyphens, spaces and case are ignored: "All-Reduce").

    Returns
    -------
    float or numpy.ndarray
        Bus bandwidth (bytes/s).

    See Also
    --------
    algorithm_bandwidth_bytes_per_s : the uncorrected bandwidth.
    ring_allreduce_s : whose ideal time makes busbw equal the link bandwidth.

    References
    ----------
    NVIDIA nccl-tests documentation, "Performance reported by NCCL tests" (doc/PERFORMANCE),
    Section "Bus bandwidth" and its "Summary" of the factors per collective.

    Examples
    --------
    >>> bus_bandwidth_bytes_per_s(100.0, 8)
    175.0
    >>> bus_bandwidth_bytes_per_s(100.0, 8, "all_gather")
    87.5
    """
    key = _collective(collective)
    algbw = nonnegative("algorithm_bandwidth_bytes_per_s", algorithm_bandwidth_bytes_per_s)
    n = count("workers", workers, minimum=1).astype(float)
    if key == "all_reduce":
        factor = 2.0 * (n - 1.0) / n
    elif key in ("broadcast", "reduce"):
        factor = np.ones_like(n)
    else:
        factor = (n - 1.0) / n
    return finite_result("bus_bandwidth_bytes_per_s", scalar_or_array(algbw * factor),
                         "algorithm_bandwidth_bytes_per_s is too large")


# ---------------------------------------------------------------------- pipeline bubble
def pipeline_bubble_fraction(stages: Any, microbatches: Any, convention: str, interleave: Any = 1) -> Any:
    r"""Idle "bubble" of a synchronous pipeline-parallel schedule, in one of two conventions.

    With ``p`` stages and ``m`` micro-batches the fill and drain of the pipeline idle each
    device for ``p − 1`` micro-batch slots. Two papers normalise that differently:
    ``"gpipe"`` — share of the **total** step time; ``"megatron"`` — bubble time relative to
    the **ideal** (bubble-free) compute time, with ``v`` interleaved model chunks per device:

    .. math:: \text{gpipe: } \frac{p - 1}{m + p - 1} \qquad
              \text{megatron: } \frac{1}{v}\cdot\frac{p - 1}{m}

    With ``x = (p−1)/m`` the GPipe share is ``x/(1+x)``: both describe the same schedule,
    and agree only when the bubble is small. The Megatron ratio can exceed 1.

    Parameters
    ----------
    stages : int or array_like
        ``p``, a whole number ≥ 1.
    microbatches : int or array_like
        ``m``, a whole number ≥ 1.
    convention : {"gpipe", "megatron"}
        Which normalisation to return (no default: say which one you mean; case ignored).
    interleave : int or array_like, default 1
        ``v``, model chunks per device, a whole number ≥ 1; only ``"megatron"`` has it.

    Returns
    -------
    float or numpy.ndarray
        Bubble fraction (-).

    See Also
    --------
    ring_allreduce_s : the data-parallel communication cost.

    References
    ----------
    Huang et al., "GPipe: Efficient Training of Giant Neural Networks using Pipeline
    Parallelism", NeurIPS 2019, arXiv:1811.06965, §2.3 (bubble O((K−1)/(M+K−1)), negligible
    when M ≥ 4K). Narayanan et al., "Efficient Large-Scale Language Model Training on GPU
    Clusters Using Megatron-LM", SC 2021, arXiv:2104.04473, §2.2 ((p−1)/m, and (1/v)·(p−1)/m
    for the interleaved schedule).

    Examples
    --------
    >>> pipeline_bubble_fraction(4, 12, "gpipe")
    0.2
    >>> pipeline_bubble_fraction(4, 12, "megatron")
    0.25
    >>> pipeline_bubble_fraction(4, 12, "megatron", interleave=2)
    0.125
    """
    text("convention", convention)
    conv = option("convention", convention.strip().lower(), BUBBLE_CONVENTIONS)
    p = count("stages", stages, minimum=1).astype(float)
    m = count("microbatches", microbatches, minimum=1).astype(float)
    v = count("interleave", interleave, minimum=1).astype(float)
    if conv == "gpipe":
        require(v == 1, "interleave", interleave,
                "must be 1 for the gpipe convention (interleaving is Megatron's schedule)")
        return scalar_or_array((p - 1.0) / (m + p - 1.0))
    return scalar_or_array((p - 1.0) / (v * m))


ring_allreduce_seconds = deprecated_alias("ring_allreduce_seconds", ring_allreduce_s)
algorithm_bandwidth = deprecated_alias("algorithm_bandwidth", algorithm_bandwidth_bytes_per_s)
bus_bandwidth = deprecated_alias("bus_bandwidth", bus_bandwidth_bytes_per_s)
