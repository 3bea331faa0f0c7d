r"""Pipeline reliability: the series-system product, its Monte Carlo check and standard error.

Every task of a run must succeed and failures are independent, so a run is a *series
system*: :math:`R = \prod_i (1 - p_i)`. A task retried :math:`r` times fails only if all
:math:`r + 1` independent attempts fail. For the article's nine tasks
:math:`R \approx 0.7516` (not :math:`1 - \sum p_i = 0.72`, which double-counts runs in which
two tasks fail). :func:`simulate_pipeline_runs` estimates the same quantity attempt by
attempt, with the binomial standard error :func:`success_rate_standard_error`.

>>> from infra_lab.article import pipeline_tasks
>>> round(pipeline_reliability(pipeline_tasks()["failure_probability"]), 4)
0.7516
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from infra_lab._checks import count, data_array, fraction, scalar_or_array, seed as check_seed
from infra_lab._results import Result

from .dag import _node_values, _require_acyclic, _require_digraph

__all__ = ["MAX_DRAWS", "PipelineSimulation", "pipeline_reliability", "success_rate_standard_error",
           "simulate_pipeline_runs"]

#: Most random draws one call of simulate_pipeline_runs makes (runs × tasks × attempts);
#: 5·10⁷ float64 draws are 400 MB. Beyond it the caller should pool several calls.
MAX_DRAWS = 50_000_000


def pipeline_reliability(failure_probabilities: Any, retries: Any = 0) -> Any:
    r"""Probability that a run succeeds: every task succeeds, failures independent.

    .. math:: R = \prod_i \left(1 - p_i^{\,r_i + 1}\right)

    With :math:`r_i` retries, task *i* fails only when all :math:`r_i + 1` independent
    attempts fail. Without retries this is the article's pipeline reliability,
    :math:`\prod_i (1 - p_i) \approx 0.7516` for its nine tasks — not
    :math:`1 - \sum_i p_i = 0.72`, which subtracts the runs in which two tasks fail twice.

    Parameters
    ----------
    failure_probabilities : array_like
        Per-task failure probability per attempt, in [0, 1]; at least one task, no NaN.
        The product runs over the **last axis** (tasks), so a 2-D array of scenarios ×
        tasks gives one reliability per scenario.
    retries : int or array_like of int
        Retries per task (whole numbers ≥ 0); broadcasts against ``failure_probabilities``,
        e.g. ``retries=np.arange(4)[:, None]`` sweeps 0–3 retries for every task at once.

    Returns
    -------
    float or numpy.ndarray
        Probability in [0, 1] (a Python float for one pipeline).

    See Also
    --------
    simulate_pipeline_runs : the same probability by Monte Carlo.
    success_rate_standard_error : the spread a simulation of n runs should show.

    References
    ----------
    Series system of independent components, :math:`R_s = \prod_i R_i`, and retries as a
    parallel (redundant) configuration of :math:`r + 1` identical attempts,
    :math:`1 - p^{r+1}`: Ebeling, *An Introduction to Reliability and Maintainability
    Engineering*, ch. 5 "Reliability of Systems" (serial and parallel configurations). The
    article's number: Section "Data Pipelines and DAG Systems" and its Python workflow
    (``pipeline_reliability`` = 0.7516).

    Examples
    --------
    The article's example pipeline table (reliability 0.7516):

    >>> from infra_lab.article import pipeline_tasks
    >>> p = pipeline_tasks()["failure_probability"]
    >>> round(pipeline_reliability(p), 4)
    0.7516
    >>> pipeline_reliability(p, retries=np.arange(3)[:, None]).round(4)
    array([0.7516, 0.9892, 0.9995])
    >>> pipeline_reliability([0.5, 1.2])
    Traceback (most recent call last):
    ...
    ValueError: failure_probabilities=[0.5, 1.2]: has a value outside [0, 1] at position 1
    """
    p = data_array("failure_probabilities", failure_probabilities, low=0.0, high=1.0, ndim=None)
    r = count("retries", retries)
    try:
        np.broadcast_shapes(p.shape, r.shape)
    except ValueError:
        raise ValueError(f"retries has shape {r.shape}, which does not broadcast against "
                         f"failure_probabilities of shape {p.shape}; pass one int or one per task") from None
    q = np.power(p, r + 1.0)  # all r + 1 attempts fail
    return scalar_or_array(np.prod(1.0 - q, axis=-1) if q.ndim else 1.0 - q)


def success_rate_standard_error(success_rate: Any, n_runs: Any) -> Any:
    r"""Binomial standard error of a success rate estimated from independent runs.

    .. math:: SE = \sqrt{\frac{R\,(1 - R)}{n}}

    The standard deviation of the fraction of successes in :math:`n` independent Bernoulli
    trials with success probability :math:`R`. Pass the analytic reliability for the spread
    a simulation *should* show, or a simulated rate for the error bar of that estimate.
    Broadcasts over arrays.

    Parameters
    ----------
    success_rate : float or array_like
        R, a probability in [0, 1].
    n_runs : int or array_like of int
        n, the number of runs, a whole number ≥ 1.

    Returns
    -------
    float or numpy.ndarray
        Standard error, in the units of R (a probability).

    See Also
    --------
    simulate_pipeline_runs : reports this for its estimate.
    pipeline_reliability : the R a simulation estimates.

    References
    ----------
    Wasserman, *All of Statistics* (2004), ch. 6 "Models, Statistical Inference and
    Learning", point estimation (the standard error of a Bernoulli proportion,
    :math:`\widehat{se} = \sqrt{\hat p (1 - \hat p)/n}`).

    Examples
    --------
    >>> success_rate_standard_error(0.5, 100)
    0.05
    >>> success_rate_standard_error(0.75, [3, 300]).round(4).tolist()
    [0.25, 0.025]
    """
    r = fraction("success_rate", success_rate)
    n = count("n_runs", n_runs, minimum=1)
    try:
        return scalar_or_array(np.sqrt(r * (1.0 - r) / n))
    except ValueError:
        raise ValueError(f"success_rate (shape {r.shape}) and n_runs (shape {n.shape}) do not "
                         "broadcast together") from None


@dataclass(frozen=True, eq=False)
class PipelineSimulation(Result):
    r"""Result of :func:`simulate_pipeline_runs`: one Monte Carlo batch of pipeline runs.

    Attributes
    ----------
    success : numpy.ndarray of bool
        One entry per simulated run.
    failed_task : numpy.ndarray of object
        Per run: the first task (in topological order) whose attempts all failed, or
        ``None`` for a successful run.
    success_rate : float
        Fraction of successful runs (estimates :func:`pipeline_reliability`).
    standard_error : float
        Binomial standard error :math:`\sqrt{\hat R (1 - \hat R) / n}`.
    n_runs : int
        Number of simulated runs.
    tasks : list
        Tasks in the topological order used.

    See Also
    --------
    simulate_pipeline_runs : returns it.
    """

    success: np.ndarray
    failed_task: np.ndarray
    success_rate: float
    standard_error: float
    n_runs: int
    tasks: list

    def failure_counts(self) -> pd.Series:
        """How many runs each task stopped (as the first failing task), most first."""
        failed = pd.Series(self.failed_task[~self.success], dtype=object)
        return failed.value_counts().reindex(self.tasks, fill_value=0).sort_values(ascending=False, kind="stable")


#: The name before the contract (another module had a class of the same name); not public.
SimulationResult = PipelineSimulation


def simulate_pipeline_runs(dag: nx.DiGraph, n_runs: int, seed: int | np.random.Generator | None = None,
                           retries: Any = 0) -> PipelineSimulation:
    r"""Monte Carlo runs of a pipeline: every attempt of every task drawn at once.

    .. math:: \hat R = \frac{1}{n} \sum_{k=1}^{n} \mathbb{1}[\text{run } k \text{ succeeds}],
              \qquad SE = \sqrt{\hat R (1 - \hat R) / n}

    Each run draws, for each task, :math:`r_i + 1` independent attempts that each fail
    with the task's ``failure_probability``; a task fails when all its attempts fail. A
    failed task blocks its descendants (they never start), so the run fails. The estimate
    :math:`\hat R` converges to :func:`pipeline_reliability`.

    Convention for ``failed_task``: the *first failing task in topological order* — it
    always ran (its ancestors come earlier and succeeded). On a branching pipeline a task on
    a parallel branch may also fail in the same run; it is not reported.

    Parameters
    ----------
    dag : networkx.DiGraph
        From :func:`~infra_lab.pipelines.dag.build_dag`: acyclic, at least one task, a
        ``failure_probability`` in [0, 1] on every node.
    n_runs : int
        Number of simulated runs, a whole number ≥ 1 (runs × tasks × attempts at most
        5·10⁷ per call; pool several calls for more).
    seed : int, numpy.random.Generator or None
        For reproducible draws (an int in [0, 2**63)).
    retries : int or array_like of int
        Retries per task (whole numbers ≥ 0), a scalar or one per task in the graph's node
        order.

    Returns
    -------
    PipelineSimulation
        The runs' outcomes, the success rate and its standard error.

    See Also
    --------
    pipeline_reliability : the exact probability this estimates.
    success_rate_standard_error : the standard error reported.

    References
    ----------
    Monte Carlo estimation of a probability and its binomial standard error: Ross,
    *Simulation*, ch. 8 "Statistical Analysis of Simulated Data" (the sample mean and its
    standard error). The model simulated: the article, section "Data Pipelines and
    DAG Systems".

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> from infra_lab.pipelines.dag import build_dag
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> sim = simulate_pipeline_runs(dag, n_runs=20_000, seed=1)
    >>> abs(sim.success_rate - pipeline_reliability(pipeline_tasks()["failure_probability"])) < 4 * sim.standard_error
    True
    >>> sim.failure_counts().index[0]  # the 6 %-failing training task stops the most runs
    'train_model'
    """
    _require_digraph(dag)
    _require_acyclic(dag)
    runs = int(count("n_runs", n_runs, minimum=1))
    seed = check_seed("seed", seed)
    nodes = list(dag.nodes)
    p = _node_values(dag, "failure_probability", 0.0, 1.0, "")
    r = count("retries", retries)
    if r.ndim == 0:
        r = np.broadcast_to(r, p.shape)
    if r.shape != p.shape:
        raise ValueError(f"retries={retries!r}: must be one int or {len(nodes)} ints (one per task)")
    attempts = int(r.max()) + 1
    if runs * len(nodes) * attempts > MAX_DRAWS:
        raise ValueError(f"n_runs={runs} with retries up to {attempts - 1}: {runs} runs × {len(nodes)} tasks × "
                         f"{attempts} attempts exceeds {MAX_DRAWS:.0e} draws per call; simulate fewer runs "
                         "(or fewer retries) per call and pool the results")
    rng = np.random.default_rng(seed)

    topo = list(nx.topological_sort(dag))
    pos = {u: i for i, u in enumerate(nodes)}
    order = np.array([pos[u] for u in topo], dtype=np.int64)
    p, r = p[order], r[order]
    draws = rng.random((runs, len(nodes), attempts))
    attempt_failed = (draws < p[None, :, None]) | (np.arange(attempts) > r[:, None])[None]  # unused attempts count as failed
    task_failed = attempt_failed.all(axis=2)
    any_failed = task_failed.any(axis=1)
    first = np.argmax(task_failed, axis=1)
    names = np.array(topo + [None], dtype=object)
    failed_task = names[np.where(any_failed, first, len(topo))]
    success = ~any_failed
    rate = float(success.mean())
    se = float(success_rate_standard_error(rate, runs))
    return PipelineSimulation(success=success, failed_task=failed_task, success_rate=rate,
                              standard_error=se, n_runs=runs, tasks=topo)
