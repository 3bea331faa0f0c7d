r"""Batching from measurements: the best batch under a latency budget and the fill wait.

* :func:`best_batch_under_latency` — the throughput-maximising batch size on measured
  latency-vs-batch data whose tail latency meets a budget (:class:`BatchChoice`);
* :func:`batch_fill_ms` — the mean wait for a batch to fill under Poisson arrivals.

>>> batch_fill_ms(8, 150.0)
46.666666666666664
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .._checks import (count, count_result, data_array, fraction, frame, no_missing, positive, require,
                       scalar_or_array,
                       text)
from .._results import Result

__all__ = ["BatchChoice", "best_batch_under_latency", "batch_fill_ms"]


@dataclass(frozen=True)
class BatchChoice(Result):
    """The best batch size under a latency budget.

    Attributes
    ----------
    model : str
        The model the rows describe ('' for a single-model table without a ``model``
        column).
    batch : int
        The chosen batch size (requests per batch).
    latency_ms : float
        The chosen batch's latency in ``percentile_col`` (ms).
    throughput_rps : float
        Requests/s one replica serves at that batch (from the table).
    percentile_col : str
        The latency column held to the budget.
    feasible_batches : tuple of int
        Every batch whose latency meets the budget, ascending.

    See Also
    --------
    best_batch_under_latency : returns it.
    """

    model: str
    batch: int
    latency_ms: float
    throughput_rps: float
    percentile_col: str
    feasible_batches: tuple[int, ...]


def _model_rows(table: pd.DataFrame, model: str | None) -> tuple[pd.DataFrame, str]:
    if "model" not in table.columns:
        if model is not None:
            text("model", model)
            require(False, "model", model, "was given, but table has no 'model' column")
        return table, ""
    models = sorted(str(m) for m in table["model"].unique())
    if model is None:
        require(len(models) == 1, "model", None, f"must name one of {models} (table holds several models)")
        model = models[0]
    text("model", model)
    require(model in models, "model", model, f"must be one of {models}")
    return table[table["model"].astype(str) == model], model


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
    only add latency. The latency here is one batch's execution: a request also waits for
    its batch to fill (:func:`batch_fill_ms`) — add that to the budget. Feed
    ``throughput_rps`` into ``infra_lab.serving.required_replicas``.

    Parameters
    ----------
    table : DataFrame
        Measurements, one row per batch size: columns ``batch`` (whole numbers ≥ 1),
        ``percentile_col`` (latency, ms, ≥ 0) and ``throughput_col`` (requests/s, > 0),
        plus ``model`` when it holds several models. No NaN (the message names the row),
        no negative latency or non-positive throughput.
    latency_budget_ms : float
        Budget for the batch's latency (ms); > 0 and finite.
    percentile_col : str, default "p99_ms"
        Name of the latency column held to the budget (``p99_ms`` or ``p50_ms``).
    model : str, optional
        Row filter on ``table["model"]``; required if the table holds several models.
    throughput_col : str, default "requests_per_s"
        Name of the throughput column (requests/s).

    Returns
    -------
    BatchChoice

    Raises
    ------
    ValueError
        No batch meets the budget (the message names the fastest batch's latency).

    See Also
    --------
    batch_fill_ms : the wait for a batch to fill, to add to the budget.
    infra_lab.serving.required_replicas : replicas from the chosen throughput.

    References
    ----------
    The measurements: data/measured_h200/README.md, Table of files, row
    ``serving_batching.csv`` (an MLP scorer and a 350M-parameter transformer on an H200;
    "the transformer's throughput saturates near 1,350 sequences/s from batch 16 on").
    Batching as a throughput–latency trade-off under a latency objective: Crankshaw et
    al., "Clipper: A Low-Latency Online Prediction Serving System", NSDI 2017 (adaptive
    batching).

    Examples
    --------
    >>> df = pd.DataFrame({"batch": [1, 8, 32], "p99_ms": [1.0, 2.0, 9.0],
    ...                    "requests_per_s": [1000.0, 4000.0, 3600.0]})
    >>> c = best_batch_under_latency(df, latency_budget_ms=10)
    >>> c.batch, c.throughput_rps
    (8, 4000.0)
    """
    lat_col = text("percentile_col", percentile_col)
    thr_col = text("throughput_col", throughput_col)
    frame("table", table, ["batch", lat_col, thr_col])
    budget = float(positive("latency_budget_ms", latency_budget_ms, unit="ms"))
    no_missing("table", table, ["batch", lat_col, thr_col])
    df, model = _model_rows(table, model)
    batch = data_array(f"table[{'batch'!r}]", df["batch"], low=1)
    count(f"table[{'batch'!r}]", batch, minimum=1)
    lat = data_array(f"table[{lat_col!r}]", df[lat_col], low=0)
    thr = data_array(f"table[{thr_col!r}]", df[thr_col], low=0, low_open=True)
    feasible = lat <= budget
    if not feasible.any():
        raise ValueError(f"latency_budget_ms={budget!r}: no batch meets it; the fastest batch of "
                         f"{model or 'the table'} takes {lat.min():.3g} ms ({lat_col})")
    best = int(np.flatnonzero(feasible)[np.argmax(thr[feasible])])
    return BatchChoice(model=str(model), batch=int(batch[best]), latency_ms=float(lat[best]),
                       throughput_rps=float(thr[best]), percentile_col=lat_col,
                       feasible_batches=tuple(sorted(int(b) for b in batch[feasible])))


def batch_fill_ms(batch: Any, arrival_rate_rps: Any) -> Any:
    r"""Mean time for a batch of ``batch`` requests to fill, as seen by its first request (ms).

    .. math:: E[T_{fill}] = 1000 \cdot \frac{B - 1}{\lambda}

    After the first request of a batch arrives, the batch waits for :math:`B - 1` more; with
    Poisson arrivals at rate :math:`\lambda` the gaps are i.i.d. Exp(λ), so the fill time is
    Erlang(:math:`B - 1`, λ) — a sum of exponentials — with mean :math:`(B-1)/\lambda`. The
    last request of the batch waits nothing, so the mean over all requests is half of it.
    Servers cap this wait with a batching timeout. Broadcasts.

    Parameters
    ----------
    batch : int or array_like of int
        B, requests per batch; whole numbers ≥ 1.
    arrival_rate_rps : float or array_like
        λ, requests/s reaching one replica; > 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Mean fill time in ms.

    See Also
    --------
    best_batch_under_latency : the batch whose execution latency meets a budget.

    References
    ----------
    Ross, *Introduction to Probability Models*, ch. 5: the sum of :math:`n` independent
    Exp(λ) gaps is Gamma(:math:`n`, λ) (Erlang) with mean :math:`n/\lambda`.

    Examples
    --------
    >>> batch_fill_ms(8, 150.0)          # 7 more requests at 150 req/s
    46.666666666666664
    >>> batch_fill_ms([1, 2, 11], 1000.0).tolist()
    [0.0, 1.0, 10.0]
    """
    b = count("batch", batch, minimum=1).astype(float)
    lam = positive("arrival_rate_rps", arrival_rate_rps, unit="requests/s")
    return scalar_or_array(1e3 * (b - 1.0) / lam)


@dataclass(frozen=True)
class BatchPlan(Result):
    """A batch size and fleet that meet a latency budget *including* the wait for the batch to fill.

    Attributes
    ----------
    model : str
        The model the rows describe ('' for a single-model table).
    batch : int
        B, requests per batch.
    replicas : int
        n = ⌈Q / (X(B) · u)⌉, replicas at the utilisation target.
    throughput_rps : float
        X(B), requests/s one replica serves at that batch (measured).
    utilization : float
        Q / (n · X(B)), the planned utilisation (≤ the target).
    fill_ms : float
        (B − 1) / (Q / n), ms: the mean wait of a batch's first request for the batch to fill.
    latency_ms : float
        The batch's measured latency in ``percentile_col``, ms.
    total_ms : float
        fill_ms + latency_ms, held to the budget.
    feasible_batches : tuple of int
        Every measured batch whose fill + latency meets the budget, ascending.

    See Also
    --------
    batch_plan : returns it.
    """

    model: str
    batch: int
    replicas: int
    throughput_rps: float
    utilization: float
    fill_ms: float
    latency_ms: float
    total_ms: float
    feasible_batches: tuple[int, ...]


def batch_plan(table: pd.DataFrame, required_rps: Any, latency_budget_ms: Any, utilization_target: Any = 0.7,
               model: str | None = None, percentile_col: str = "p99_ms",
               throughput_col: str = "requests_per_s") -> BatchPlan:
    r"""The batch size needing the fewest replicas when fill time + batch latency meet a budget.

    For every measured batch B:

    .. math:: n(B) = \left\lceil \frac{Q}{X(B)\,u} \right\rceil,\qquad
              T(B) = \underbrace{1000\,\frac{B-1}{Q/n(B)}}_{fill} + L_p(B) \le budget

    and the plan is the feasible B with the fewest replicas (ties: the lowest T). Unlike
    :func:`best_batch_under_latency`, which maximises throughput under the execution latency
    alone, the budget here also pays for the fill — which caps the batch at the offered load
    (a batch of 65,536 at 1,200 req/s would wait 54.6 s to fill) — and the fleet runs at the
    utilisation target, not at the ~100 % that ⌈Q / X⌉ implies.

    Parameters
    ----------
    table : DataFrame
        Measurements, one row per batch size: ``batch`` (whole numbers ≥ 1), ``percentile_col``
        (ms, ≥ 0), ``throughput_col`` (requests/s, > 0), plus ``model`` when it holds several.
    required_rps : float
        Q, offered load, requests/s; finite, > 0.
    latency_budget_ms : float
        Budget for fill + batch latency, ms; finite, > 0.
    utilization_target : float, default 0.7
        u, highest planned utilisation, in (0, 1].
    model : str, optional
        Row filter on ``table["model"]``; required if the table holds several models.
    percentile_col : str, default "p99_ms"
        The latency column.
    throughput_col : str, default "requests_per_s"
        The throughput column.

    Returns
    -------
    BatchPlan

    Raises
    ------
    ValueError
        No batch meets the budget (the message names the fastest batch's latency).

    See Also
    --------
    best_batch_under_latency : the batch by execution latency alone.
    batch_fill_ms : the fill time used here.

    References
    ----------
    Crankshaw et al., "Clipper: A Low-Latency Online Prediction Serving System", NSDI 2017,
    §4.3 (adaptive batching under a latency objective); Ross, *Introduction to Probability
    Models*, ch. 5 (the mean of B − 1 exponential gaps). Measurements:
    data/measured_h200/README.md, row ``serving_batching.csv``.

    Examples
    --------
    A batch of 8 runs 4,000 req/s but, at 1,200 req/s over 1 replica, waits 5.8 ms to fill:

    >>> df = pd.DataFrame({"batch": [1, 8], "p99_ms": [1.0, 2.0], "requests_per_s": [1000.0, 4000.0]})
    >>> p = batch_plan(df, 1200, latency_budget_ms=10, utilization_target=0.7)
    >>> p.batch, p.replicas, round(p.fill_ms, 2)
    (8, 1, 5.83)
    >>> batch_plan(df, 1200, latency_budget_ms=5, utilization_target=0.7).batch  # the fill breaks 5 ms
    1
    """
    lat_col = text("percentile_col", percentile_col)
    thr_col = text("throughput_col", throughput_col)
    frame("table", table, ["batch", lat_col, thr_col])
    q = float(positive("required_rps", required_rps, unit="requests/s"))
    budget = float(positive("latency_budget_ms", latency_budget_ms, unit="ms"))
    u = float(fraction("utilization_target", utilization_target, low_open=True))
    no_missing("table", table, ["batch", lat_col, thr_col])
    df, model = _model_rows(table, model)
    batch = count(f"table[{'batch'!r}]", data_array(f"table[{'batch'!r}]", df["batch"], low=1), minimum=1)
    lat = data_array(f"table[{lat_col!r}]", df[lat_col], low=0)
    thr = data_array(f"table[{thr_col!r}]", df[thr_col], low=0, low_open=True)
    n = np.ceil(q / (thr * u) - 1e-12)
    count_result("replicas", n)
    fill = 1e3 * (batch - 1.0) / (q / n)
    total = fill + lat
    feasible = total <= budget
    if not feasible.any():
        raise ValueError(f"latency_budget_ms={budget!r}: no batch meets it; the fastest batch of "
                         f"{model or 'the table'} takes {lat.min():.3g} ms ({lat_col}) before any fill")
    idx = np.flatnonzero(feasible)
    best = int(idx[np.lexsort((total[idx], n[idx]))[0]])
    return BatchPlan(model=str(model), batch=int(batch[best]), replicas=int(n[best]),
                     throughput_rps=float(thr[best]), utilization=float(q / (n[best] * thr[best])),
                     fill_ms=float(fill[best]), latency_ms=float(lat[best]), total_ms=float(total[best]),
                     feasible_batches=tuple(sorted(int(b) for b in batch[feasible])))


__all__ += ["BatchPlan", "batch_plan"]
