r"""Training time, device-hours, model FLOPs utilisation and the article's cluster table.

* wall-clock time from peak FLOP/s and model FLOPs utilisation (Narayanan et al. 2021 §5.1;
  Chowdhery et al. 2022, "PaLM", App. B), and the devices a deadline needs;
* MFU from observed tokens/s, and the fraction of a peak (or roofline) a kernel reaches —
  refused when above 1, which is physically impossible;
* the article's compute-cluster utilisation table and its summary.

>>> round(training_time_s(3.15e23, 1024, 312e12, 0.5) / 86400, 1)
22.8
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._checks import (at_most_one, count, count_result, finite_result, fraction, frame, no_missing,
                       nonnegative, number, option, positive, require, scalar_or_array)
from .._results import Result
from infra_lab._deprecation import deprecated_alias
from .flops import training_flops_per_token

__all__ = [
    "training_time_s",
    "gpu_hours",
    "devices_for_deadline",
    "model_flops_utilization",
    "flops_utilization",
    "utilization_table",
    "UtilizationSummary",
    "utilization_summary",
]

SECONDS_PER_HOUR = 3600.0

#: What to check when a utilisation comes out above 1 (the message of at_most_one).
_MFU_WHY = ("the result cannot exceed 1: check that peak_flop_per_s is per second and per device "
            "(not for the whole cluster, not in TFLOP/s), that tokens_per_s counts all devices' tokens, "
            "that devices counts every device, and that params/flops_per_token are per token")


def _time_inputs(flops: Any, peak_flop_per_s: Any, mfu: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    c = nonnegative("flops", flops)
    p = positive("peak_flop_per_s", peak_flop_per_s)
    u = fraction("mfu", mfu, low_open=True)   # a fraction of peak, not a percent
    return c, p, u


def training_time_s(flops: Any, devices: Any, peak_flop_per_s: Any, mfu: Any) -> Any:
    r"""Wall-clock training time from compute, device count, peak FLOP/s and utilisation.

    .. math:: T = \frac{C}{n \cdot P_{peak} \cdot MFU}

    Narayanan et al. estimate end-to-end time as 8·T·P/(n·X), with X the *achieved* FLOP/s
    per GPU (= P_peak · MFU here) and 8 = 6 + 2 for activation recomputation. PaLM defines
    MFU as observed throughput over the throughput at peak FLOP/s.

    Parameters
    ----------
    flops : float or array_like
        C, FLOPs to execute (a count), ≥ 0 and finite.
    devices : int or array_like
        n, accelerators, a whole number ≥ 1.
    peak_flop_per_s : float or array_like
        P_peak, FLOP/s of **one** device for the number format used, > 0 and finite.
    mfu : float or array_like
        Model FLOPs utilisation, a fraction in (0, 1] (0.4, not 40).

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    gpu_hours : the same work as device-hours.
    devices_for_deadline : the inverse, devices that finish within a deadline.
    model_flops_utilization : MFU from a measured throughput.

    References
    ----------
    Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
    Megatron-LM", arXiv:2104.04473, 2021, §5.1 (GPT-3 175B, 300B tokens, 1024 GPUs at
    140 TFLOP/s → ~34 days). Chowdhery et al., "PaLM", arXiv:2204.02311, 2022, Appendix B
    (definition of MFU). Thoppilan et al., "LaMDA", arXiv:2201.08239, 2022, §10 (56.5 % of
    123 TFLOP/s on 1024 chips for 57.7 days = 3.55E+23 FLOPs).

    Examples
    --------
    Megatron-LM 2021 §5.1: GPT-3 175B on 300B tokens, 1024 GPUs at X = 140 TFLOP/s → ~34 days:

    >>> c = 8 * 175e9 * 300e9      # 6 + 2 for recomputation
    >>> round(training_time_s(c, 1024, 140e12, 1.0) / 86400, 1)
    33.9
    """
    c, p, u = _time_inputs(flops, peak_flop_per_s, mfu)
    n = count("devices", devices, minimum=1)
    return finite_result("training_time_s", scalar_or_array(c / (n * p * u)),
                         "flops is too large for a time in seconds")


def gpu_hours(flops: Any, peak_flop_per_s: Any, mfu: Any) -> Any:
    r"""Device-hours a computation needs.

    .. math:: h = \frac{C}{P_{peak} \cdot MFU \cdot 3600}

    Independent of how many devices share the work (n devices × T hours = n·T device-hours),
    which is what clouds bill.

    Parameters
    ----------
    flops : float or array_like
        C, FLOPs to execute, ≥ 0 and finite.
    peak_flop_per_s : float or array_like
        FLOP/s of one device, > 0 and finite.
    mfu : float or array_like
        Model FLOPs utilisation, a fraction in (0, 1].

    Returns
    -------
    float or ndarray
        Device-hours (h).

    See Also
    --------
    training_time_s : wall-clock time on n devices.
    run_energy_cost : energy, cost and CO₂ of these hours.

    References
    ----------
    Narayanan et al. 2021, arXiv:2104.04473, §5.1 (time = FLOPs / achieved FLOP/s).
    Thoppilan et al., "LaMDA", arXiv:2201.08239, 2022, §10 (chip-days × chips accounting).

    Examples
    --------
    LaMDA §10: 3.55e23 FLOPs at 56.5 % of 123 TFLOP/s is 1024 chips × 57.7 days:

    >>> round(gpu_hours(3.55e23, 123e12, 0.565) / (1024 * 24), 1)
    57.7
    """
    c, p, u = _time_inputs(flops, peak_flop_per_s, mfu)
    return finite_result("gpu_hours", scalar_or_array(c / (p * u) / SECONDS_PER_HOUR),
                         "flops is too large for a number of hours")


def devices_for_deadline(flops: Any, peak_flop_per_s: Any, mfu: Any, deadline_s: Any) -> Any:
    r"""Fewest devices that finish a computation within a deadline.

    .. math:: n = \left\lceil \frac{C}{P_{peak} \cdot MFU \cdot T_{deadline}} \right\rceil,
              \qquad n \ge 1

    The inverse of :func:`training_time_s`. A tolerance of 1e-9 devices keeps a ratio that
    is whole up to rounding (97.000000001) from adding a device.

    Parameters
    ----------
    flops : float or array_like
        C, FLOPs to execute, ≥ 0 and finite.
    peak_flop_per_s : float or array_like
        FLOP/s of one device, > 0 and finite.
    mfu : float or array_like
        Model FLOPs utilisation, a fraction in (0, 1].
    deadline_s : float or array_like
        Longest acceptable wall-clock time (s), > 0 and finite.

    Returns
    -------
    int or ndarray of int
        Devices (≥ 1; a run of 0 FLOPs still needs one device to exist).

    See Also
    --------
    training_time_s : time on a given number of devices.
    gpu_hours : the device-hours behind the count.

    References
    ----------
    Narayanan et al. 2021, arXiv:2104.04473, §5.1, solved for n: n = C / (X · T) with
    X = P_peak · MFU the achieved FLOP/s per device.

    Examples
    --------
    Megatron-LM §5.1 backwards: 8·175e9·300e9 FLOPs at 140 TFLOP/s in 34 days needs 1022 GPUs
    (the paper used 1024 and quotes "about 34 days"):

    >>> devices_for_deadline(8 * 175e9 * 300e9, 140e12, 1.0, 34 * 86400)
    1022
    >>> devices_for_deadline(1e23, 989.4e12, 0.4, [30 * 86400, 10 * 86400]).tolist()
    [98, 293]
    """
    c, p, u = _time_inputs(flops, peak_flop_per_s, mfu)
    t = positive("deadline_s", deadline_s)
    n = np.maximum(np.ceil(c / p / u / t - 1e-9), 1.0)   # divided in turn: p·u·t could overflow
    return count_result("devices_for_deadline", n)


def model_flops_utilization(
    tokens_per_s: Any,
    params: Any,
    devices: Any,
    peak_flop_per_s: Any,
    flops_per_token: Any = None,
    *,
    n_layer: Any = None,
    n_ctx: Any = None,
    d_attn: Any = None,
    convention: str = "palm",
) -> Any:
    r"""Model FLOPs utilisation: observed throughput ÷ throughput at peak.

    .. math:: MFU = \frac{\text{tokens/s} \cdot F_{token}}{n \cdot P_{peak}}, \qquad F_{token} = 6N
              \ (+\ 12\,n_{layer} n_{ctx} d_{attn})

    By default F_token = 6N, which excludes recomputation (counting it gives the hardware
    FLOPs utilisation, HFU) and the attention term. Pass the model shape (``n_layer``,
    ``n_ctx``, ``d_attn``) to add the attention term in PaLM's convention (or
    ``convention="kaplan"``, half of it; see :func:`training_flops_per_token`), or an
    explicit ``flops_per_token`` (e.g. counted FLOPs ÷ tokens), which then overrides both.
    An MFU above 1 is physically impossible and raises ``ValueError`` saying what to check
    (usually a peak for the whole cluster or in TFLOP/s instead of FLOP/s per device).

    Parameters
    ----------
    tokens_per_s : float or array_like
        Observed training throughput (tokens/s over all devices), ≥ 0 and finite.
    params : float or array_like
        N, parameters (count), ≥ 0 and finite.
    devices : int or array_like
        n, a whole number ≥ 1.
    peak_flop_per_s : float or array_like
        FLOP/s of one device, > 0 and finite.
    flops_per_token : float or array_like, optional
        Model FLOPs per token; > 0 and finite. Overrides ``params`` and the shape.
    n_layer : int, optional
        Layers, a whole number ≥ 0; give n_layer, n_ctx and d_attn together or none.
    n_ctx : int, optional
        Context length (tokens), a whole number ≥ 0.
    d_attn : int, optional
        Attention width, a whole number ≥ 0.
    convention : {"palm", "kaplan"}, default "palm"
        Attention-term convention when the shape is given.

    Returns
    -------
    float or ndarray
        MFU, a fraction in [0, 1].

    See Also
    --------
    flops_utilization : the same ratio from an achieved FLOP/s.
    training_time_s : time at a given MFU.
    training_flops_per_token : the per-token count used with a shape.

    References
    ----------
    Chowdhery et al., "PaLM: Scaling Language Modeling with Pathways", arXiv:2204.02311, 2022,
    Appendix B and Table 3 (540B: 238.3K tokens/s on 6144 TPU v4 at 275 TFLOP/s → MFU 45.7 %
    without, 46.2 % with self-attention).

    Examples
    --------
    PaLM 540B (App. B): 238.3K tokens/s on 6144 TPU v4 chips at 275 TFLOP/s → 45.7 %
    without the attention term, 46.2 % with it:

    >>> round(model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12), 3)
    0.457
    >>> round(model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12,
    ...                               n_layer=118, n_ctx=2048, d_attn=48 * 256), 3)
    0.462
    """
    t = nonnegative("tokens_per_s", tokens_per_s)
    n = nonnegative("params", params)
    devs = count("devices", devices, minimum=1)
    p = positive("peak_flop_per_s", peak_flop_per_s)
    conv = option("convention", convention, ("palm", "kaplan"))
    shape = {"n_layer": n_layer, "n_ctx": n_ctx, "d_attn": d_attn}
    given = [name for name, v in shape.items() if v is not None]
    if given and len(given) < 3:
        missing = sorted(set(shape) - set(given))
        require(False, missing[0], None, f"give n_layer, n_ctx and d_attn together (got only {given})")
    if flops_per_token is not None:
        f = positive("flops_per_token", flops_per_token)
        if given:   # still validated, so a typo in an ignored argument is not silent
            training_flops_per_token(n, n_layer, n_ctx, d_attn, conv)
    elif given:
        f = np.asarray(training_flops_per_token(n, n_layer, n_ctx, d_attn, conv))
    else:
        f = 6.0 * n
    with np.errstate(over="ignore", invalid="ignore"):   # inf is refused by name below
        mfu = scalar_or_array(t * f / (devs * p))
    finite_result("model_flops_utilization", mfu, _MFU_WHY)
    return at_most_one("model_flops_utilization", mfu, why=_MFU_WHY)


def flops_utilization(achieved_flop_per_s: Any, reference_flop_per_s: Any) -> Any:
    r"""Fraction of a reference throughput a kernel or job achieves.

    .. math:: U = \frac{X_{achieved}}{P_{reference}}

    With the datasheet peak as the reference this is the utilisation that MFU and HFU
    report — MFU when X counts only the model's FLOPs, HFU when it also counts
    recomputation; :func:`model_flops_utilization` derives X from tokens/s. With the
    roofline bound (:func:`roofline_attainable_flop_per_s`) as the reference it is the
    fraction of the roofline a kernel reaches. Above 1 the reference was not an upper bound,
    and the function raises rather than report it.

    Parameters
    ----------
    achieved_flop_per_s : float or array_like
        X, measured FLOP/s, ≥ 0 and finite.
    reference_flop_per_s : float or array_like
        P, the peak (or attainable) FLOP/s it is compared with, > 0 and finite.

    Returns
    -------
    float or ndarray
        A fraction in [0, 1].

    See Also
    --------
    model_flops_utilization : the same ratio from tokens/s.
    roofline_attainable_flop_per_s : an attainable reference.

    References
    ----------
    Narayanan et al. 2021, arXiv:2104.04473, abstract and §5 (502 PFLOP/s on 3072 A100s,
    "52 % of theoretical peak", 312 TFLOP/s per GPU). Chowdhery et al., "PaLM",
    arXiv:2204.02311, 2022, Appendix B (MFU and HFU).

    Examples
    --------
    >>> round(flops_utilization(502e15 / 3072, 312e12), 2)     # Megatron-LM 2021: 52 % of peak
    0.52
    >>> flops_utilization([494.7e12, 989.4e12], 989.4e12).tolist()
    [0.5, 1.0]
    """
    x = nonnegative("achieved_flop_per_s", achieved_flop_per_s)
    p = positive("reference_flop_per_s", reference_flop_per_s)
    u = scalar_or_array(x / p)
    finite_result("flops_utilization", u, "reference_flop_per_s is too small for achieved_flop_per_s")
    return at_most_one("flops_utilization", u, why="the result cannot exceed 1: check that "
                       "reference_flop_per_s is an upper bound (the peak per device, in FLOP/s) "
                       "and achieved_flop_per_s is in FLOP/s too")


# --------------------------------------------------------------------------- cluster utilisation

_CLUSTER_COLUMNS = ["resource", "available_units", "allocated_units", "utilization_target"]


def _cluster(table: pd.DataFrame | None) -> pd.DataFrame:
    if table is None:
        from ..article import compute_cluster

        table = compute_cluster()
    frame("table", table, _CLUSTER_COLUMNS)
    no_missing("table", table, _CLUSTER_COLUMNS[1:])
    return table


def utilization_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""The compute-cluster table with utilisation, over-target and free-unit columns.

    .. math:: u = \frac{allocated}{available}, \qquad \text{over target} \iff u > u_{target},
              \qquad free = available - allocated

    "Over" is strict: a pool exactly at its target is not over it (the article's
    model_serving_pool: 9/12 = 0.75 = target). A relative tolerance of 1e-12 keeps
    a ratio that equals its target up to rounding from counting as over.

    Parameters
    ----------
    table : DataFrame, optional
        Columns ``resource``, ``available_units`` (> 0), ``allocated_units`` (0 ≤ … ≤
        available) and ``utilization_target`` (fraction in (0, 1]), no missing values.
        Defaults to the article's table, :func:`infra_lab.article.compute_cluster`.

    Returns
    -------
    DataFrame
        The input columns plus ``utilization`` (fraction), ``over_target`` (bool) and
        ``free_units`` (available − allocated).

    See Also
    --------
    utilization_summary : mean and pooled utilisation of the same table.

    References
    ----------
    The article, Section "Compute Systems: CPUs, GPUs, TPUs, and Accelerators", the
    compute-cluster table (26/32, 14/16, 52/80, 9/12 against targets 0.85, 0.85, 0.80, 0.75).

    Examples
    --------
    >>> t = utilization_table()
    >>> t["utilization"].tolist()
    [0.8125, 0.875, 0.65, 0.75]
    >>> t.loc[t["over_target"], "resource"].tolist()
    ['gpu_pool_b']
    >>> t["free_units"].tolist()
    [6, 2, 28, 3]
    """
    table = _cluster(table)
    available = positive("table['available_units']", table["available_units"])
    allocated = nonnegative("table['allocated_units']", table["allocated_units"])
    target = fraction("table['utilization_target']", table["utilization_target"], low_open=True)
    require(allocated <= available, "table['allocated_units']", allocated,
            "must be ≤ available_units in every row")
    out = table.copy()
    u = allocated / available
    out["utilization"] = u
    out["over_target"] = u > target * (1.0 + 1e-12)
    out["free_units"] = table["available_units"] - table["allocated_units"]
    return out


@dataclass(frozen=True)
class UtilizationSummary(Result):
    """Summary of a cluster table.

    Attributes
    ----------
    mean_utilization : float
        Unweighted mean of the pools' utilisations (each pool counts once).
    pooled_utilization : float
        Σ allocated / Σ available (each unit counts once).
    over_target : tuple of str
        Pools whose utilisation exceeds their target.
    allocated_units : float
        Total allocated units.
    available_units : float
        Total available units.

    See Also
    --------
    utilization_summary : returns it.
    """

    mean_utilization: float
    pooled_utilization: float
    over_target: tuple[str, ...]
    allocated_units: float
    available_units: float


def utilization_summary(table: pd.DataFrame | None = None) -> UtilizationSummary:
    r"""Mean and pooled utilisation of a cluster table and the pools over target.

    .. math:: \bar u = \frac{1}{k}\sum_i \frac{a_i}{c_i}, \qquad
              u_{pooled} = \frac{\sum_i a_i}{\sum_i c_i}

    The mean treats every pool alike; the pooled ratio weights pools by size. They differ
    when big pools run at different utilisation than small ones — in the article's table the
    large, lightly used CPU pool (52/80) pulls the pooled ratio (101/140 ≈ 0.721) below the
    mean (0.771875). Adding GPUs and CPUs as "units" is only meaningful as an illustration.

    Parameters
    ----------
    table : DataFrame, optional
        As for :func:`utilization_table` (defaults to the article's compute-cluster table).

    Returns
    -------
    UtilizationSummary
        Both utilisations as fractions, the pools over target and the unit totals.

    See Also
    --------
    utilization_table : the per-pool rows.

    References
    ----------
    The article, Section "Compute Systems: CPUs, GPUs, TPUs, and Accelerators", the
    compute-cluster table (mean 0.771875, pooled 101/140).

    Examples
    --------
    >>> s = utilization_summary()
    >>> s.mean_utilization, round(s.pooled_utilization, 4), s.over_target
    (0.771875, 0.7214, ('gpu_pool_b',))
    """
    t = utilization_table(table)
    alloc = float(t["allocated_units"].sum())
    avail = float(t["available_units"].sum())
    return UtilizationSummary(
        mean_utilization=float(t["utilization"].mean()),
        pooled_utilization=alloc / avail,
        over_target=tuple(t.loc[t["over_target"], "resource"].astype(str)),
        allocated_units=alloc,
        available_units=avail,
    )


training_time_seconds = deprecated_alias("training_time_seconds", training_time_s)
