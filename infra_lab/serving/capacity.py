r"""Serving capacity and the latency budget: the article's worked example.

The article ("Worked Example: Serving Capacity and Latency Budget") sizes a service with two
formulas, :math:`Replicas = \lceil Q / Throughput_{replica} \rceil` and a latency budget
:math:`T = \sum_i t_i \le budget`. Both treat the fleet as a pipe; :mod:`.queueing` says what
happens to the *wait* as utilisation approaches 1.

Units: rates in requests per second (``_rps``), latencies in milliseconds (``_ms``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from infra_lab._checks import (
    count, count_result, data_array, finite_result, fraction, frame, no_missing, nonnegative, positive,
    require, scalar_or_array,
)
from infra_lab._results import Result
from infra_lab.article import serving_services

__all__ = ["required_replicas", "serving_capacity_rps", "LatencyBudget", "latency_budget", "service_table"]


def required_replicas(required_rps: Any, throughput_per_replica_rps: Any,
                      utilization_target: Any = 1.0) -> Any:
    r"""Replicas needed to carry a request rate.

    .. math:: Replicas = \lceil Q / (Throughput_{replica} \cdot u_{target}) \rceil

    ``utilization_target`` < 1 adds the article's "safety margin": each replica is planned to
    run at that fraction of its throughput. Broadcasts over numpy arrays.

    Parameters
    ----------
    required_rps : float or array_like
        Peak request rate Q, requests/s; finite, ≥ 0.
    throughput_per_replica_rps : float or array_like
        Requests/s one replica sustains; finite, > 0.
    utilization_target : float or array_like, default 1.0
        Planned utilisation per replica, in (0, 1].

    Returns
    -------
    int or numpy.ndarray of int
        The replica count; a ``ValueError`` names the result when it does not fit an int64.

    See Also
    --------
    serving_capacity_rps : the capacity of a given fleet (the inverse).
    replicas_for_slo : replicas from a latency percentile instead of a utilisation target.

    References
    ----------
    The article, Worked Example: Serving Capacity and Latency Budget (Q = 1200 req/s,
    150 req/s per replica → 8 replicas "before adding safety margin").

    Examples
    --------
    >>> required_replicas(1200, 150)
    8
    >>> required_replicas([600, 1200, 2400], 150, utilization_target=0.7).tolist()
    [6, 12, 23]
    """
    q = nonnegative("required_rps", required_rps)
    t = positive("throughput_per_replica_rps", throughput_per_replica_rps)
    u = fraction("utilization_target", utilization_target, low_open=True)
    # The relative 1e-12 guard keeps 8.000000000001 (float noise) at 8, not 9, while any
    # positive demand, however small, still needs one replica.
    with np.errstate(over="ignore", divide="ignore"):
        n = np.ceil(q / (t * u) * (1.0 - 1e-12))
    return count_result("required_replicas", n)


def serving_capacity_rps(replicas: Any, throughput_per_replica_rps: Any) -> Any:
    r"""Fleet capacity in requests/s.

    .. math:: Capacity = Replicas \times Throughput_{replica}

    Broadcasts over numpy arrays.

    Parameters
    ----------
    replicas : int or array_like of int
        Number of replicas, a whole number ≥ 0.
    throughput_per_replica_rps : float or array_like
        Requests/s one replica sustains; finite, ≥ 0.

    Returns
    -------
    float or numpy.ndarray
        Capacity, requests/s.

    See Also
    --------
    required_replicas : the replicas a request rate needs (the inverse).

    References
    ----------
    The article, Mathematical Lens (Capacity = Replicas × Throughput per replica), and its
    Worked Example: Serving Capacity and Latency Budget (8 × 150 = 1200 req/s).

    Examples
    --------
    >>> serving_capacity_rps(8, 150)
    1200.0
    >>> serving_capacity_rps([4, 8], 150).tolist()
    [600.0, 1200.0]
    """
    r = count("replicas", replicas)
    t = nonnegative("throughput_per_replica_rps", throughput_per_replica_rps)
    with np.errstate(over="ignore"):
        capacity = r * t
    finite_result("serving_capacity_rps", capacity, "replicas × throughput_per_replica_rps overflows a float")
    return scalar_or_array(capacity)


@dataclass(frozen=True)
class LatencyBudget(Result):
    """End-to-end latency of a sequential request path against its budget (ms).

    Attributes
    ----------
    total_ms : float or numpy.ndarray
        Sum of the components, ms.
    margin_ms : float or numpy.ndarray
        budget − total, ms (negative when the budget is broken).
    meets_budget : bool or numpy.ndarray of bool
        total ≤ budget.

    See Also
    --------
    latency_budget : the function that returns it.
    """

    total_ms: Any
    margin_ms: Any
    meets_budget: Any


def _components(components_ms: Any) -> list[tuple[str, Any]]:
    """(public label, value) for each latency component, labels naming ``components_ms``."""
    if isinstance(components_ms, (Mapping, pd.Series)):
        return [(f"components_ms[{k!r}]", v) for k, v in components_ms.items()]
    if isinstance(components_ms, pd.DataFrame):  # one column per component, one row per case
        return [(f"components_ms[{str(c)!r}]", components_ms[c].to_numpy()) for c in components_ms.columns]
    if isinstance(components_ms, (str, bytes)) or not isinstance(components_ms, (Sequence, np.ndarray)):
        raise TypeError(f"components_ms={components_ms!r}: must be a mapping name → ms, a pandas "
                        "Series or DataFrame, or a sequence of ms")
    return [(f"components_ms[{i}]", v) for i, v in enumerate(components_ms)]


def latency_budget(components_ms: Mapping[str, Any] | Sequence[Any], budget_ms: Any) -> LatencyBudget:
    r"""Add up sequential latency components and compare them with a budget.

    .. math:: T = \sum_i t_i, \qquad margin = budget - T, \qquad meets = T \le budget

    Components are additive only when they run one after another (a sequential request
    path). Each component may be an array (e.g. a DataFrame column); the result broadcasts.

    Parameters
    ----------
    components_ms : mapping name → ms, pandas Series, DataFrame, or sequence of ms
        Latency of each stage, ms, finite and ≥ 0; at least one. A DataFrame is read as one
        column per stage and one row per service.
    budget_ms : float or array_like
        The end-to-end latency budget, ms; finite, > 0.

    Returns
    -------
    LatencyBudget
        ``total_ms``, ``margin_ms`` and ``meets_budget``.

    See Also
    --------
    service_table : the article's table with these columns derived.
    network_latency_ms : one component, the network round trip.

    References
    ----------
    The article, Worked Example: Serving Capacity and Latency Budget
    (45 + 80 + 35 + 20 = 180 ms ≤ 200 ms, margin 20 ms).

    Examples
    --------
    >>> latency_budget({"feature_lookup": 45, "model_inference": 80, "network": 35,
    ...                 "postprocessing": 20}, 200)
    LatencyBudget(total_ms=180.0, margin_ms=20.0, meets_budget=True)
    >>> latency_budget([45, 80, 35, 20], [150, 200]).meets_budget.tolist()
    [False, True]
    """
    items = _components(components_ms)
    require(len(items) > 0, "components_ms", components_ms, "must hold at least one latency component")
    values = [nonnegative(label, value, unit="ms") for label, value in items]
    b = positive("budget_ms", budget_ms, unit="ms")
    try:
        shape = np.broadcast_shapes(b.shape, *(v.shape for v in values))
    except ValueError:
        raise ValueError(f"components_ms and budget_ms: shapes {[v.shape for v in values]} and {b.shape} "
                         "do not broadcast; pass scalars or arrays of one length") from None
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.zeros(shape)
        for v in values:
            total = total + v
        margin = b - total
    finite_result("total_ms", total, "the components_ms are too large to add up")
    return LatencyBudget(scalar_or_array(total), scalar_or_array(margin), scalar_or_array(margin >= 0))


#: Input columns of the article's service table (besides the ``_ms`` components).
_TABLE_COLUMNS = ("required_qps", "throughput_per_replica", "latency_budget_ms")


def service_table(df: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""The article's service table with its derived columns computed.

    .. math:: Replicas = \lceil Q / Throughput_{replica} \rceil,\quad
              Capacity = Replicas \times Throughput_{replica},\quad
              T = \sum_i t_i,\quad margin = budget - T

    Input columns (``infra_lab.article.serving_services()`` by default): ``required_qps``,
    ``throughput_per_replica`` (requests/s; the article's own column names),
    ``latency_budget_ms`` and the latency components — every other column ending in
    ``_ms``. Adds ``required_replicas``, ``capacity_rps``, ``total_latency_ms``,
    ``latency_margin_ms`` and ``meets_latency_budget``. The input is not modified.

    Parameters
    ----------
    df : pandas.DataFrame, optional
        One row per service with the columns above, no missing values; default the article's
        table.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with the derived columns.

    See Also
    --------
    required_replicas, serving_capacity_rps, latency_budget : the formulas per column.

    References
    ----------
    The article, Worked Example: Serving Capacity and Latency Budget (required_replicas 8,
    total_latency_ms 180, latency_margin_ms 20, meets_latency_budget True).

    Examples
    --------
    >>> t = service_table()
    >>> t.loc[0, ["required_replicas", "total_latency_ms", "latency_margin_ms", "meets_latency_budget"]].tolist()
    [8, 180.0, 20.0, True]
    """
    table = serving_services() if df is None else frame("df", df, _TABLE_COLUMNS).copy()
    derived = {"total_latency_ms", "latency_margin_ms"}
    components = [c for c in table.columns
                  if str(c).endswith("_ms") and c != "latency_budget_ms" and c not in derived]
    require(len(components) > 0, "df", list(table.columns),
            "needs at least one latency component column ending in _ms besides latency_budget_ms")
    no_missing("df", table, [*_TABLE_COLUMNS, *components])
    # Each column checked under the table's public name, so a message says df['network_ms'].
    q = data_array("df['required_qps']", table["required_qps"], low=0)
    t = data_array("df['throughput_per_replica']", table["throughput_per_replica"], low=0, low_open=True)
    budget_ms = data_array("df['latency_budget_ms']", table["latency_budget_ms"], low=0, low_open=True)
    parts = {c: data_array(f"df[{str(c)!r}]", table[c], low=0) for c in components}
    replicas = np.asarray(required_replicas(q, t))
    budget = latency_budget(parts, budget_ms)
    table["required_replicas"] = replicas
    table["capacity_rps"] = np.asarray(serving_capacity_rps(replicas, t))
    table["total_latency_ms"] = np.asarray(budget.total_ms, dtype=float)
    table["latency_margin_ms"] = np.asarray(budget.margin_ms, dtype=float)
    table["meets_latency_budget"] = np.asarray(budget.meets_budget, dtype=bool)
    return table
