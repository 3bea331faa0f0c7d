r"""Data pipelines as directed acyclic graphs: critical path, reliability, impact, lineage.

The article (section "Data Pipelines and DAG Systems" and the Mathematical Lens) models a
pipeline as a graph :math:`G = (V, E)` whose vertices are tasks and whose edges say "must
finish before". One run of a pipeline must be acyclic — a cycle would mean a task waits for
itself — so :func:`build_dag` refuses cycles and names them. The lifecycle of a model, on
the other hand, *is* a loop across runs (monitoring feeds new data back), which is what
:func:`lifecycle_graph` draws.

What this module computes, and where each formula comes from:

* :func:`total_duration` — :math:`T = \sum_i t_i`, the article's summary metric: the
  time the tasks take back to back (the wall-clock time of a chain, the total work of a DAG).
* :func:`critical_path` — the critical path method (CPM): forward pass
  :math:`ES_j = \max_{i \to j} EF_i`, :math:`EF = ES + t`; backward pass
  :math:`LF_i = \min_{i \to j} LS_j`, :math:`LS = LF - t`; slack :math:`= LS - ES`
  (Taylor, *Introduction to Management Science*, ch. 8 "Project Management"). The
  critical path is the longest path; its tasks have zero slack; its length is the shortest
  possible wall-clock time of a run with unlimited parallel workers.
* :func:`pipeline_reliability` — :math:`R = \prod_i (1 - p_i^{\,r_i + 1})`: every task must
  succeed, failures are independent, and a task retried :math:`r` times fails only if all
  :math:`r + 1` independent attempts fail. For the article's nine tasks
  :math:`R \approx 0.7516` (not :math:`1 - \sum p_i = 0.72`, which double-counts runs in
  which two tasks fail).
* :func:`simulate_pipeline_runs` — the same quantity by Monte Carlo, attempt by attempt,
  with the binomial standard error :math:`\sqrt{R(1-R)/n}`
  (:func:`success_rate_standard_error`).
* :func:`downstream_impact` / :func:`upstream_lineage` — a failed task blocks its
  descendants; an artifact's lineage is its ancestors.

>>> from infra_lab.article import pipeline_tasks, pipeline_edges
>>> dag = build_dag(pipeline_tasks(), pipeline_edges())
>>> total_duration(dag)
203.0
>>> round(pipeline_reliability(pipeline_tasks()["failure_probability"]), 4)
0.7516
>>> critical_path(dag).duration  # a chain: every task is on the critical path
203.0
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from operator import methodcaller
from typing import Any, Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from ._checks import as_float_array, require, require_columns, scalar_or_array

__all__ = [
    "CriticalPath",
    "SimulationResult",
    "build_dag",
    "total_duration",
    "critical_path",
    "pipeline_reliability",
    "simulate_pipeline_runs",
    "success_rate_standard_error",
    "downstream_impact",
    "upstream_lineage",
    "lifecycle_graph",
    "example_branching_pipeline",
    "plot_dag",
    "plot_gantt",
]

_TASK_COLUMNS = ("task", "duration_minutes", "failure_probability")


# --- building and checking the graph ---------------------------------------------------------

def build_dag(tasks: pd.DataFrame, edges: pd.DataFrame | Iterable[tuple[Any, Any]]) -> nx.DiGraph:
    r"""Build a pipeline DAG :math:`G = (V, E)` from a task table and an edge list.

    Parameters
    ----------
    tasks : pandas.DataFrame
        One row per task with columns ``task`` (unique name), ``duration_minutes``
        (≥ 0, minutes), ``failure_probability`` (per run, in [0, 1]) and optionally
        ``governance_gate`` (bool, default False: the task is a governance checkpoint).
    edges : pandas.DataFrame or iterable of (upstream, downstream)
        "upstream must finish before downstream": a DataFrame with columns ``upstream`` and
        ``downstream``, or a list of pairs.

    Returns
    -------
    networkx.DiGraph
        Nodes in table order, with attributes ``duration_minutes`` (float),
        ``failure_probability`` (float) and ``governance_gate`` (bool).

    Raises
    ------
    ValueError
        Missing columns, duplicate task names, negative durations, probabilities outside
        [0, 1], edges naming unknown tasks (named), or edges that form a cycle — the message
        spells the cycle out, e.g. ``edges form a cycle: a → b → c → a``.

    Examples
    --------
    Source: the article's example pipeline table (nine tasks in a chain).

    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> dag.number_of_nodes(), dag.number_of_edges()
    (9, 8)
    >>> dag.nodes["train_model"]
    {'duration_minutes': 95.0, 'failure_probability': 0.06, 'governance_gate': False}
    >>> t = pd.DataFrame({"task": ["a", "b", "c"], "duration_minutes": [1, 2, 3],
    ...                   "failure_probability": [0, 0, 0]})
    >>> build_dag(t, [("a", "b"), ("b", "c"), ("c", "a")])
    Traceback (most recent call last):
    ...
    ValueError: edges form a cycle: a → b → c → a; a pipeline run must be acyclic
    """
    if not isinstance(tasks, pd.DataFrame):
        raise TypeError(f"tasks={type(tasks).__name__}: must be a pandas DataFrame with columns {list(_TASK_COLUMNS)}")
    require_columns(tasks, _TASK_COLUMNS, "tasks")
    names = tasks["task"].tolist()
    dup = pd.Index(names)[pd.Index(names).duplicated()].unique().tolist()
    require(not dup, "tasks['task']", dup, "task names must be unique; these appear more than once")
    durations = as_float_array(tasks["duration_minutes"].to_numpy(), "duration_minutes")
    bad = np.flatnonzero(durations < 0)
    require(bad.size == 0, "duration_minutes", {names[i]: float(durations[i]) for i in bad[:5]},
            "must be ≥ 0 minutes")
    probs = as_float_array(tasks["failure_probability"].to_numpy(), "failure_probability")
    bad = np.flatnonzero(~((probs >= 0) & (probs <= 1)))
    require(bad.size == 0, "failure_probability", {names[i]: float(probs[i]) for i in bad[:5]},
            "must be in [0, 1]")
    gates = (tasks["governance_gate"].fillna(False).astype(bool).to_numpy() if "governance_gate" in tasks
             else np.zeros(len(names), dtype=bool))

    up, down = _edge_lists(edges)
    known = set(names)
    unknown = sorted({str(x) for x in (*up, *down) if x not in known})
    require(not unknown, "edges", unknown, f"name tasks that are not in the task table; tasks are {names}")

    dag = nx.DiGraph()
    dag.add_nodes_from(
        (n, {"duration_minutes": float(d), "failure_probability": float(p), "governance_gate": bool(g)})
        for n, d, p, g in zip(names, durations, probs, gates)
    )
    dag.add_edges_from(zip(up, down))
    _require_acyclic(dag)
    return dag


def _edge_lists(edges: Any) -> tuple[list, list]:
    if isinstance(edges, pd.DataFrame):
        require_columns(edges, ("upstream", "downstream"), "edges")
        return edges["upstream"].tolist(), edges["downstream"].tolist()
    pairs = list(edges)
    bad = [e for e in pairs if not (isinstance(e, (tuple, list)) and len(e) == 2)]
    if bad:
        raise TypeError(f"edges={bad[:3]!r}: each edge must be an (upstream, downstream) pair")
    return [e[0] for e in pairs], [e[1] for e in pairs]


def _cycle_message(dag: nx.DiGraph) -> str:
    cycle = nx.find_cycle(dag)
    names = [str(u) for u, _ in cycle] + [str(cycle[0][0])]
    return f"edges form a cycle: {' → '.join(names)}; a pipeline run must be acyclic"


def _require_acyclic(dag: nx.DiGraph) -> None:
    if not nx.is_directed_acyclic_graph(dag):
        raise ValueError(_cycle_message(dag))


def _require_digraph(dag: Any) -> None:
    if not isinstance(dag, nx.DiGraph):
        raise TypeError(f"dag={type(dag).__name__}: must be a networkx.DiGraph (use build_dag)")


def _node_values(dag: nx.DiGraph, attr: str, low: float, high: float, unit: str) -> np.ndarray:
    data = getattr(dag, "_node", None)  # plain dict of attribute dicts, in node order
    data = data.values() if isinstance(data, dict) else (d for _, d in dag.nodes(data=True))
    values = np.fromiter(map(methodcaller("get", attr, np.nan), data), dtype=float,
                         count=dag.number_of_nodes())
    bad = np.flatnonzero(~((values >= low) & (values <= high)))  # NaN (missing) fails too
    if bad.size:
        nodes = list(dag.nodes)
        shown = {nodes[i]: dag.nodes[nodes[i]].get(attr) for i in bad[:5]}
        raise ValueError(f"{attr}={shown!r}: every task needs {attr} in [{low}, {high}] {unit}".rstrip())
    return values


# --- durations and the critical path ---------------------------------------------------------

def total_duration(dag_or_tasks: nx.DiGraph | pd.DataFrame | Sequence[float]) -> float:
    r"""Sum of task durations, :math:`T_{total} = \sum_i t_i` (minutes).

    The article's summary metric. It is the wall-clock time of a run only when the tasks
    run one after another (a chain, or a single worker); with parallel branches the
    wall-clock time is the critical-path length (:func:`critical_path`), and
    :math:`T_{total}` is the total work.

    Parameters
    ----------
    dag_or_tasks : networkx.DiGraph, pandas.DataFrame or sequence of float
        A DAG from :func:`build_dag`, a task table with ``duration_minutes``, or durations.

    Examples
    --------
    Source: the article's example pipeline table, total 203 minutes.

    >>> from infra_lab.article import pipeline_tasks
    >>> total_duration(pipeline_tasks())
    203.0
    >>> total_duration([18, 7, 24])
    49.0
    """
    if isinstance(dag_or_tasks, nx.DiGraph):
        durations = _node_values(dag_or_tasks, "duration_minutes", 0.0, np.inf, "minutes")
    elif isinstance(dag_or_tasks, pd.DataFrame):
        require_columns(dag_or_tasks, ("duration_minutes",), "tasks")
        durations = as_float_array(dag_or_tasks["duration_minutes"].to_numpy(), "duration_minutes")
    else:
        durations = as_float_array(dag_or_tasks, "durations")
    require(durations >= 0, "duration_minutes", durations, "must be ≥ 0 minutes")
    return float(durations.sum())


@dataclass(frozen=True, eq=False)
class CriticalPath:
    """Result of :func:`critical_path`.

    Attributes
    ----------
    path : list
        Tasks on the returned critical path, first to last (ties: see :func:`critical_path`).
    duration : float
        Its length = the project duration = the shortest possible wall-clock time of a run
        with unlimited parallel workers (minutes).
    schedule : pandas.DataFrame
        One row per task in the graph's node order: ``task``, ``duration``,
        ``earliest_start``, ``earliest_finish``, ``latest_start``, ``latest_finish``,
        ``slack`` (minutes) and ``critical`` (slack == 0).
    """

    path: list
    duration: float
    schedule: pd.DataFrame


def critical_path(dag: nx.DiGraph, duration_attr: str = "duration_minutes") -> CriticalPath:
    r"""Critical path method (CPM): earliest/latest start and finish, slack, critical path.

    .. math::

        ES_j = \max_{i \to j} EF_i \ (0 \text{ for a source}), \quad EF_j = ES_j + t_j \\
        LF_i = \min_{i \to j} LS_j \ (T \text{ for a sink}), \quad LS_i = LF_i - t_i \\
        slack_i = LS_i - ES_i, \quad T = \max_j EF_j

    Source: Taylor, *Introduction to Management Science*, ch. 8 (project management):
    forward pass for earliest times, backward pass for latest times; activities with zero
    slack form the critical path.

    The passes run over topological generations with numpy (Kahn's algorithm one whole
    generation at a time, then ``maximum.reduceat`` / ``minimum.reduceat`` over the edges
    grouped by their head or tail), so the Python loop runs once per generation, not once
    per task: a random DAG of 10⁵ tasks takes a fraction of a second
    (``benchmarks/bench_critical_path.py``).

    Parameters
    ----------
    dag : networkx.DiGraph
        Acyclic; every node needs ``duration_attr`` ≥ 0 (minutes).
    duration_attr : str
        Node attribute holding the duration (default ``duration_minutes``).

    Returns
    -------
    CriticalPath
        ``path``, ``duration`` and the ``schedule`` table.

    Notes
    -----
    Ties: when several paths are equally long, the one returned ends at the first
    critical sink in the graph's node order and, walking backwards, takes at each step the
    first predecessor (in node order) that finishes exactly when the task starts. Every
    task on any critical path has ``slack == 0`` in the schedule. Slack within 1e-9 × T of
    zero is set to 0, so floating-point rounding in the two passes cannot hide a critical
    task.

    Examples
    --------
    Activity-on-node version of Taylor's ch. 8 solved problem 5 (activities 1–2 … 5–6; an
    activity precedes the ones leaving its end node); the printed answer is the critical
    path 1–3, 3–4, 4–5, 5–6 of 20 and slacks 2, 0, 2, 0, 4, 0, 0.

    >>> t = pd.DataFrame({"task": ["1-2", "1-3", "2-4", "3-4", "3-5", "4-5", "5-6"],
    ...                   "duration_minutes": [7, 10, 6, 5, 4, 3, 2], "failure_probability": 0.0})
    >>> e = [("1-2", "2-4"), ("1-3", "3-4"), ("1-3", "3-5"), ("2-4", "4-5"), ("3-4", "4-5"),
    ...      ("4-5", "5-6"), ("3-5", "5-6")]
    >>> cp = critical_path(build_dag(t, e))
    >>> cp.path, cp.duration
    (['1-3', '3-4', '4-5', '5-6'], 20.0)
    >>> cp.schedule["slack"].tolist()
    [2.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0]
    """
    _require_digraph(dag)
    n = dag.number_of_nodes()
    require(n > 0, "dag", "empty graph", "needs at least one task")
    if not isinstance(duration_attr, str):
        raise TypeError(f"duration_attr={duration_attr!r}: must be the name of a node attribute")
    nodes = list(dag.nodes)
    t = _node_values(dag, duration_attr, 0.0, np.inf, "(minutes)")
    src, dst = _edge_arrays(dag, nodes)  # CSR order: grouped by src, src ascending
    out_deg = np.bincount(src, minlength=n)
    out_ptr = np.r_[0, np.cumsum(out_deg)]
    level = _generations(n, dst, out_deg, out_ptr)
    if (level < 0).any():
        raise ValueError(_cycle_message(dag))
    n_levels = int(level.max()) + 1
    node_order = np.argsort(level, kind="stable")  # nodes by generation, node order within
    node_bounds = np.searchsorted(level[node_order], np.arange(n_levels + 1))

    # The same edges twice: grouped by head (forward pass) and by tail (backward pass),
    # the groups ordered by generation, so each generation is one contiguous slice.
    by_dst = np.argsort(dst, kind="stable")  # preds stay in node order within a head
    in_deg = np.bincount(dst, minlength=n)
    in_ptr = np.r_[0, np.cumsum(in_deg)]
    fwd = by_dst[_slices(in_ptr, in_deg, node_order)]
    bwd = _slices(out_ptr, out_deg, node_order)
    f_src, f_dst = src[fwd], dst[fwd]
    b_src, b_dst = src[bwd], dst[bwd]
    f_heads = node_order[in_deg[node_order] > 0]  # groups in order, one per head
    b_tails = node_order[out_deg[node_order] > 0]
    f_starts = np.cumsum(in_deg[f_heads]) - in_deg[f_heads]
    b_starts = np.cumsum(out_deg[b_tails]) - out_deg[b_tails]
    f_bounds = np.searchsorted(level[f_heads], np.arange(n_levels + 1))
    b_bounds = np.searchsorted(level[b_tails], np.arange(n_levels + 1))

    es = np.zeros(n)
    ef = np.zeros(n)
    for lv in range(n_levels):  # forward pass, one generation at a time
        g0, g1 = f_bounds[lv], f_bounds[lv + 1]
        if g1 > g0:
            e0 = f_starts[g0]
            e1 = f_starts[g1] if g1 < f_starts.size else f_dst.size
            es[f_heads[g0:g1]] = np.maximum.reduceat(ef[f_src[e0:e1]], f_starts[g0:g1] - e0)
        members = node_order[node_bounds[lv]:node_bounds[lv + 1]]
        ef[members] = es[members] + t[members]
    project = float(ef.max())

    lf = np.full(n, project)  # sinks may finish as late as the project
    ls = np.zeros(n)
    for lv in range(n_levels - 1, -1, -1):  # backward pass, last generation first
        g0, g1 = b_bounds[lv], b_bounds[lv + 1]
        if g1 > g0:
            e0 = b_starts[g0]
            e1 = b_starts[g1] if g1 < b_starts.size else b_dst.size
            lf[b_tails[g0:g1]] = np.minimum.reduceat(ls[b_dst[e0:e1]], b_starts[g0:g1] - e0)
        members = node_order[node_bounds[lv]:node_bounds[lv + 1]]
        ls[members] = lf[members] - t[members]

    slack = ls - es
    slack[np.abs(slack) <= 1e-9 * max(project, 1.0)] = 0.0  # rounding noise, not slack

    # Walk back from the first critical sink along predecessors that finish when it starts.
    v = int(np.flatnonzero((ef == project) & (out_deg == 0))[0])
    path = [v]
    while in_deg[v]:
        preds = src[by_dst[in_ptr[v]:in_ptr[v + 1]]]
        v = int(preds[np.flatnonzero(ef[preds] == es[v])[0]])
        path.append(v)
    path.reverse()

    schedule = pd.DataFrame({
        "task": _as_column(nodes), "duration": t, "earliest_start": es, "earliest_finish": ef,
        "latest_start": ls, "latest_finish": lf, "slack": slack, "critical": slack == 0,
    })
    return CriticalPath(path=[nodes[i] for i in path], duration=project, schedule=schedule)


def _as_column(values: list) -> Any:
    """A column for the node names: integer names stay integers, anything else as objects."""
    if set(map(type, values)) == {int}:
        return np.fromiter(values, dtype=np.int64, count=len(values))
    return np.array(values, dtype=object)


def _slices(ptr: np.ndarray, counts: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Concatenate the CSR slices ptr[i]:ptr[i]+counts[i] for i in ``which``, in one shot."""
    c = counts[which]
    total = int(c.sum())
    return np.repeat(ptr[which] - (np.cumsum(c) - c), c) + np.arange(total)


def _edge_arrays(dag: nx.DiGraph, nodes: list) -> tuple[np.ndarray, np.ndarray]:
    """Edges as integer arrays (src, dst) grouped by src in node order, no Python object per edge."""
    n = len(nodes)
    # DiGraph keeps successors as a plain dict of dicts in node order; reading it directly
    # (instead of through the AdjacencyView wrappers) is several times faster for 10^5 tasks.
    succ = getattr(dag, "_succ", None)
    adjacency = list(succ.values()) if isinstance(succ, dict) else [dag.succ[u] for u in nodes]
    deg = np.fromiter(map(len, adjacency), dtype=np.int64, count=n)
    heads = chain.from_iterable(adjacency)
    if nodes != list(range(n)):  # tasks named 0..n-1 in order are their own index
        heads = map(dict(zip(nodes, range(n))).__getitem__, heads)
    dst = np.fromiter(heads, dtype=np.int64, count=int(deg.sum()))
    return np.repeat(np.arange(n, dtype=np.int64), deg), dst


def _generations(n: int, dst: np.ndarray, out_deg: np.ndarray, out_ptr: np.ndarray) -> np.ndarray:
    """Topological generation of each node (Kahn, a whole generation per step); -1 on a cycle.

    ``dst`` must be grouped by tail in CSR order (``out_ptr``, ``out_deg``).
    """
    remaining = np.bincount(dst, minlength=n)
    level = np.full(n, -1, dtype=np.int64)
    frontier = np.flatnonzero(remaining == 0)
    lv = 0
    while frontier.size:
        level[frontier] = lv
        heads = dst[_slices(out_ptr, out_deg, frontier)]
        if heads.size == 0:
            break
        heads, hits = np.unique(heads, return_counts=True)
        remaining[heads] -= hits
        frontier = heads[remaining[heads] == 0]
        lv += 1
    return level


# --- reliability -----------------------------------------------------------------------------

def pipeline_reliability(failure_probabilities: Any, retries: Any = 0) -> Any:
    r"""Probability that a run succeeds: every task succeeds, failures independent.

    .. math:: R = \prod_i \left(1 - p_i^{\,r_i + 1}\right)

    With :math:`r_i` retries, task *i* fails only when all :math:`r_i + 1` independent
    attempts fail (FORMULAS.md, reliability: "with r retries a task with failure
    probability p succeeds with 1 − p^{r+1}"). Without retries this is the article's
    pipeline reliability, :math:`\prod_i (1 - p_i) \approx 0.7516` for its nine tasks — not
    :math:`1 - \sum_i p_i = 0.72`, which subtracts the runs in which two tasks fail twice.

    Parameters
    ----------
    failure_probabilities : array_like
        Per-task failure probability per attempt, in [0, 1]. The product runs over the
        **last axis** (tasks), so a 2-D array of scenarios × tasks gives one reliability per
        scenario.
    retries : int or array_like of int
        Retries per task (≥ 0); broadcasts against ``failure_probabilities``, e.g.
        ``retries=np.arange(4)[:, None]`` sweeps 0–3 retries for every task at once.

    Returns
    -------
    float or numpy.ndarray
        Probability in [0, 1] (a Python float for one pipeline).

    Examples
    --------
    Source: the article's example pipeline table (reliability 0.7516).

    >>> from infra_lab.article import pipeline_tasks
    >>> p = pipeline_tasks()["failure_probability"]
    >>> round(pipeline_reliability(p), 4)
    0.7516
    >>> pipeline_reliability(p, retries=np.arange(3)[:, None]).round(4)
    array([0.7516, 0.9892, 0.9995])
    >>> pipeline_reliability([0.5, 1.2])
    Traceback (most recent call last):
    ...
    ValueError: failure_probabilities=[0.5, 1.2]: must be in [0, 1] (a probability per attempt)
    """
    p = as_float_array(failure_probabilities, "failure_probabilities")
    require((p >= 0) & (p <= 1), "failure_probabilities", failure_probabilities,
            "must be in [0, 1] (a probability per attempt)")
    r = _retries_array(retries)
    try:
        np.broadcast_shapes(p.shape, r.shape)
    except ValueError:
        raise ValueError(f"retries has shape {r.shape}, which does not broadcast against "
                         f"failure_probabilities of shape {p.shape}; pass one int or one per task") from None
    q = np.power(p, r + 1.0)  # all r + 1 attempts fail
    return scalar_or_array(np.prod(1.0 - q, axis=-1) if q.ndim else 1.0 - q)


def _retries_array(retries: Any) -> np.ndarray:
    r = np.asarray(retries)
    if r.dtype == bool or not (np.issubdtype(r.dtype, np.integer) or
                               (np.issubdtype(r.dtype, np.floating) and np.all(np.mod(r, 1) == 0))):
        raise TypeError(f"retries={retries!r}: must be a whole number of retries (int ≥ 0) or an array of them")
    require(r >= 0, "retries", retries, "must be ≥ 0 (0 = a single attempt)")
    return r.astype(np.int64)


def success_rate_standard_error(success_rate: Any, n_runs: Any) -> Any:
    r"""Binomial standard error of a success rate estimated from independent runs.

    .. math:: SE = \sqrt{\frac{R\,(1 - R)}{n}}

    The standard deviation of the fraction of successes in :math:`n` independent Bernoulli
    trials with success probability :math:`R` — the standard error of a binomial proportion
    (e.g. Wasserman, *All of Statistics*, ch. 6: :math:`\widehat{se} = \sqrt{\hat p(1-\hat p)/n}`).
    Pass the analytic reliability for the spread a simulation *should* show, or a simulated
    rate for the error bar of that estimate. Broadcasts over arrays.

    Parameters
    ----------
    success_rate : float or array_like
        R, a probability in [0, 1].
    n_runs : int or array_like
        n, the number of runs, ≥ 1.

    Returns
    -------
    float or numpy.ndarray
        Standard error, in the units of R (a probability).

    Examples
    --------
    >>> success_rate_standard_error(0.5, 100)
    0.05
    >>> success_rate_standard_error(0.75, [3, 300]).round(4).tolist()
    [0.25, 0.025]
    """
    r = as_float_array(success_rate, "success_rate")
    n = as_float_array(n_runs, "n_runs")
    require((r >= 0) & (r <= 1), "success_rate", success_rate, "must be a probability in [0, 1]")
    require(n >= 1, "n_runs", n_runs, "must be ≥ 1 run")
    return scalar_or_array(np.sqrt(r * (1.0 - r) / n))


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Result of :func:`simulate_pipeline_runs`.

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
        Binomial standard error :math:`\\sqrt{\\hat R (1 - \\hat R) / n}`.
    n_runs : int
    tasks : list
        Tasks in the topological order used.
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


def simulate_pipeline_runs(dag: nx.DiGraph, n_runs: int, seed: int | np.random.Generator | None = None,
                           retries: Any = 0) -> SimulationResult:
    r"""Monte Carlo runs of a pipeline: every attempt of every task drawn at once.

    Each run draws, for each task, :math:`r_i + 1` independent attempts that each fail
    with the task's ``failure_probability``; a task fails when all its attempts fail. A
    failed task blocks its descendants (they never start), so the run fails. The estimate
    :math:`\hat R` converges to :func:`pipeline_reliability` with standard error
    :math:`\sqrt{\hat R (1 - \hat R)/n}`.

    Convention for ``failed_task``: the *first failing task in topological order* — it
    always ran (its ancestors come earlier and succeeded). On a branching pipeline a task on
    a parallel branch may also fail in the same run; it is not reported.

    Parameters
    ----------
    dag : networkx.DiGraph
        From :func:`build_dag` (needs ``failure_probability`` on every node).
    n_runs : int
        Number of simulated runs (≥ 1).
    seed : int or numpy.random.Generator, optional
        For reproducible draws.
    retries : int or array_like of int
        Retries per task (≥ 0), a scalar or one per task in the graph's node order.

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> sim = simulate_pipeline_runs(dag, n_runs=20_000, seed=1)
    >>> abs(sim.success_rate - pipeline_reliability(pipeline_tasks()["failure_probability"])) < 4 * sim.standard_error
    True
    >>> sim.failure_counts().index[0]  # the 6 %-failing training task stops the most runs
    'train_model'
    """
    _require_digraph(dag)
    _require_acyclic(dag)
    if isinstance(n_runs, bool) or not isinstance(n_runs, (int, np.integer)):
        raise TypeError(f"n_runs={n_runs!r}: must be an int ≥ 1")
    require(n_runs >= 1, "n_runs", n_runs, "must be ≥ 1")
    nodes = list(dag.nodes)
    p = _node_values(dag, "failure_probability", 0.0, 1.0, "")
    r = np.broadcast_to(_retries_array(retries), p.shape) if np.ndim(retries) == 0 else _retries_array(retries)
    require(r.shape == p.shape, "retries", retries, f"must be one int or {len(nodes)} ints (one per task)")
    rng = np.random.default_rng(seed)

    topo = list(nx.topological_sort(dag))
    pos = {u: i for i, u in enumerate(nodes)}
    order = np.array([pos[u] for u in topo], dtype=np.int64)
    p, r = p[order], r[order]
    attempts = int(r.max()) + 1
    draws = rng.random((n_runs, len(nodes), attempts))
    attempt_failed = (draws < p[None, :, None]) | (np.arange(attempts) > r[:, None])[None]  # unused attempts count as failed
    task_failed = attempt_failed.all(axis=2)
    any_failed = task_failed.any(axis=1)
    first = np.argmax(task_failed, axis=1)
    names = np.array(topo + [None], dtype=object)
    failed_task = names[np.where(any_failed, first, len(topo))]
    success = ~any_failed
    rate = float(success.mean())
    se = float(success_rate_standard_error(rate, n_runs))
    return SimulationResult(success=success, failed_task=failed_task, success_rate=rate,
                            standard_error=se, n_runs=int(n_runs), tasks=topo)


# --- impact and lineage ----------------------------------------------------------------------

def _require_task(dag: nx.DiGraph, task: Any) -> None:
    _require_digraph(dag)
    if task not in dag:
        raise ValueError(f"task={task!r}: not in the pipeline; valid tasks are {list(dag.nodes)}")


def _in_topological_order(dag: nx.DiGraph, subset: set) -> list:
    return [u for u in nx.topological_sort(dag) if u in subset]


def downstream_impact(dag: nx.DiGraph, task: Any) -> list:
    """Tasks a failure of ``task`` blocks: its descendants, in topological order.

    Source: FORMULAS.md, pipelines — "impact of a failed task = its descendants".

    Parameters
    ----------
    dag : networkx.DiGraph
        An acyclic pipeline (:func:`build_dag`).
    task : hashable
        A task in ``dag``.

    Returns
    -------
    list
        Every task reachable from ``task`` (it is not included), in topological order.

    Raises
    ------
    ValueError
        ``task`` is not in the graph (the valid tasks are listed), or the graph has a cycle.

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> downstream_impact(dag, "register_model")
    ['deploy_model', 'monitor_predictions']
    """
    _require_task(dag, task)
    _require_acyclic(dag)
    return _in_topological_order(dag, nx.descendants(dag, task))


def upstream_lineage(dag: nx.DiGraph, task: Any) -> list:
    """Tasks ``task``'s output depends on: its ancestors, in topological order (its lineage).

    Source: FORMULAS.md, pipelines — "lineage of an artifact = its ancestors".

    Parameters
    ----------
    dag : networkx.DiGraph
        An acyclic pipeline (:func:`build_dag`).
    task : hashable
        A task in ``dag``.

    Returns
    -------
    list
        Every task from which ``task`` can be reached (it is not included), in topological order.

    Raises
    ------
    ValueError
        ``task`` is not in the graph (the valid tasks are listed), or the graph has a cycle.

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> upstream_lineage(dag, "validate_schema")
    ['ingest_raw_data']
    """
    _require_task(dag, task)
    _require_acyclic(dag)
    return _in_topological_order(dag, nx.ancestors(dag, task))


# --- the lifecycle and the course's branching example ----------------------------------------

def lifecycle_graph() -> nx.DiGraph:
    r"""The article's ML lifecycle as a directed graph, with its feedback loop.

    :math:`Data \to Features \to Training \to Evaluation \to Deployment \to Monitoring \to
    Feedback`, and ``Feedback → Data`` closing the loop (the article, "Foundations of AI
    Infrastructure"). A single pipeline *run* is a DAG; the *lifecycle* is a cycle across
    runs: what monitoring learns feeds the next run's data. The loop edge carries
    ``feedback=True`` (the others ``feedback=False``); :func:`plot_dag` draws it curved.

    >>> g = lifecycle_graph()
    >>> list(g.nodes)[:3], g.edges["Feedback", "Data"]["feedback"]
    (['Data', 'Features', 'Training'], True)
    >>> nx.is_directed_acyclic_graph(g)
    False
    """
    from .article import LIFECYCLE_STAGES

    g = nx.DiGraph()
    g.add_nodes_from(LIFECYCLE_STAGES)
    g.add_edges_from(zip(LIFECYCLE_STAGES[:-1], LIFECYCLE_STAGES[1:]), feedback=False)
    g.add_edge(LIFECYCLE_STAGES[-1], LIFECYCLE_STAGES[0], feedback=True)
    return g


def example_branching_pipeline() -> tuple[pd.DataFrame, pd.DataFrame]:
    """An illustrative branching training pipeline (the course's own, NOT the article's).

    The article's example is a chain, where every task is critical and nothing has
    slack. Real pipelines branch, so this example gives the critical path, slack and
    failure impact something to show:

    * three ingestion branches run in parallel — clickstream ``events`` (large), ``crm``
      customer records and ``labels`` — each followed by a schema-validation governance
      gate;
    * two feature branches (event and CRM features) run in parallel;
    * a point-in-time join, training, then an evaluation gate and a bias audit gate in
      parallel, registration, deployment and monitoring.

    Durations (minutes) and per-run failure probabilities are invented for teaching, on
    the scale of the article's table: the tasks the article also has (train 95, evaluate
    20, register 6, deploy 12, monitor 5 minutes; p = 0.06, 0.03, 0.01, 0.02, 0.02) keep
    its values; ingestion of the large event stream is slowest and most failure-prone of
    the sources; validation gates are short and rarely fail.

    Returns
    -------
    (tasks, edges) : tuple of pandas.DataFrame
        ``tasks`` as :func:`build_dag` expects; ``edges`` with ``upstream``/``downstream``.

    >>> tasks, edges = example_branching_pipeline()
    >>> len(tasks), len(edges), int(tasks["governance_gate"].sum())
    (15, 17, 7)
    """
    rows = [
        # task, minutes, p(fail), governance gate
        ("ingest_events", 35, 0.04, False),
        ("validate_events_schema", 6, 0.02, True),
        ("build_event_features", 40, 0.03, False),
        ("ingest_crm", 20, 0.02, False),
        ("validate_crm_schema", 4, 0.01, True),
        ("build_crm_features", 15, 0.02, False),
        ("ingest_labels", 10, 0.02, False),
        ("validate_labels", 3, 0.01, True),
        ("join_training_set", 12, 0.02, False),
        ("train_model", 95, 0.06, False),
        ("evaluate_model", 20, 0.03, True),
        ("bias_audit", 10, 0.02, True),
        ("register_model", 6, 0.01, True),
        ("deploy_model", 12, 0.02, True),
        ("monitor_predictions", 5, 0.02, False),
    ]
    tasks = pd.DataFrame(rows, columns=["task", "duration_minutes", "failure_probability", "governance_gate"])
    edges = pd.DataFrame([
        ("ingest_events", "validate_events_schema"),
        ("validate_events_schema", "build_event_features"),
        ("ingest_crm", "validate_crm_schema"),
        ("validate_crm_schema", "build_crm_features"),
        ("ingest_labels", "validate_labels"),
        ("build_event_features", "join_training_set"),
        ("build_crm_features", "join_training_set"),
        ("validate_labels", "join_training_set"),
        ("join_training_set", "train_model"),
        ("train_model", "evaluate_model"),
        ("train_model", "bias_audit"),
        ("evaluate_model", "register_model"),
        ("bias_audit", "register_model"),
        ("register_model", "deploy_model"),
        ("deploy_model", "monitor_predictions"),
        # The CRM features also feed the bias audit (protected attributes live there).
        ("build_crm_features", "bias_audit"),
        # Event features are reused by monitoring as the training-time reference.
        ("build_event_features", "monitor_predictions"),
    ], columns=["upstream", "downstream"])
    return tasks, edges


# --- plots -----------------------------------------------------------------------------------

def _split_back_edges(g: nx.DiGraph) -> tuple[nx.DiGraph, list]:
    """The graph without the edges that close cycles (flagged ``feedback``, else DFS back edges)."""
    back = [(u, v) for u, v, d in g.edges(data=True) if d.get("feedback")]
    h = g.copy()
    h.remove_edges_from(back)
    while not nx.is_directed_acyclic_graph(h):
        u, v = nx.find_cycle(h)[-1]  # the edge that returns to the cycle's start
        back.append((u, v))
        h.remove_edge(u, v)
    return h, back


def _layered_positions(h: nx.DiGraph) -> dict:
    pos = {}
    for x, generation in enumerate(nx.topological_generations(h)):
        members = set(generation)
        order = [u for u in h.nodes if u in members]  # keep table order within a layer
        for k, u in enumerate(order):
            pos[u] = (float(x), (len(order) - 1) / 2.0 - k)
    return pos


def plot_dag(dag: nx.DiGraph, ax: Any = None, highlight: Any = None, title: str | None = None,
             highlight_label: str | None = None) -> Any:
    """Draw a pipeline left to right by topological generation; gates and critical path marked.

    Parameters
    ----------
    dag : networkx.DiGraph
        A pipeline (:func:`build_dag`) or the lifecycle (:func:`lifecycle_graph`). Edges
        that close a cycle (flagged ``feedback``, or found by search) are left out of the
        layout and drawn as dashed curves, so the lifecycle's loop is shown, not refused.
    ax : matplotlib.axes.Axes, optional
        Drawn on a new figure when omitted.
    highlight : list of tasks, CriticalPath or set of tasks, optional
        A list (a path) or a CriticalPath: its tasks and the edges between consecutive
        tasks are drawn in red. A set: only those tasks are outlined (e.g. what a failure
        blocks). By default the critical path is highlighted when the graph is acyclic and
        every node has a duration; pass ``[]`` to highlight nothing.
    title : str, optional
    highlight_label : str, optional
        Legend entry for the highlight (default "critical path" for the default highlight,
        else "highlighted").

    Returns
    -------
    matplotlib.axes.Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    _require_digraph(dag)
    h, back = _split_back_edges(dag)
    label = highlight_label or "highlighted"
    if highlight is None:
        has_durations = all("duration_minutes" in d for _, d in dag.nodes(data=True))
        highlight = critical_path(dag).path if (not back and has_durations and len(dag)) else []
        label = highlight_label or "critical path"
    elif isinstance(highlight, CriticalPath):
        highlight = highlight.path
        label = highlight_label or "critical path"
    if isinstance(highlight, (set, frozenset)):
        highlight, hl_edges = [u for u in dag.nodes if u in highlight], set()
    else:
        highlight = list(highlight)
        hl_edges = set(zip(highlight[:-1], highlight[1:]))
    pos = _layered_positions(h)
    n_layers = int(max(x for x, _ in pos.values())) + 1 if pos else 1
    height = max((sum(1 for x, _ in pos.values() if x == k) for k in range(n_layers)), default=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.9 * n_layers), max(2.6, 1.3 * height + 1.0)))

    for long in (False, True):  # edges that skip a generation curve, so they miss the labels
        chosen = [(u, v) for u, v in h.edges if (pos[v][0] - pos[u][0] > 1) == long]
        style = "arc3,rad=0.18" if long else "arc3"
        nx.draw_networkx_edges(h, pos, edgelist=[e for e in chosen if e not in hl_edges], ax=ax,
                               edge_color="0.55", width=1.2, arrows=True, arrowsize=12, node_size=700,
                               connectionstyle=style)
        nx.draw_networkx_edges(h, pos, edgelist=[e for e in chosen if e in hl_edges], ax=ax,
                               edge_color="tab:red", width=2.6, arrows=True, arrowsize=14, node_size=700,
                               connectionstyle=style)
    top = max((y for _, y in pos.values()), default=0.0) + 0.9
    for u, v in back:  # a cubic Bézier in data coordinates, over the top of the layout
        (xu, yu), (xv, yv) = pos[u], pos[v]
        arc = Path([(xu, yu + 0.12), (xu, top), (xv, top), (xv, yv + 0.12)],
                   [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        ax.add_patch(FancyArrowPatch(path=arc, arrowstyle="-|>", mutation_scale=16, color="tab:purple",
                                     lw=1.6, linestyle="--", zorder=0.5))
    gates = [u for u, d in dag.nodes(data=True) if d.get("governance_gate")]
    gate_set = set(gates)
    steps = [u for u in dag.nodes if u not in gate_set]
    on_path = set(highlight)
    for nodelist, shape, color in ((steps, "o", "tab:blue"), (gates, "D", "tab:orange")):
        if nodelist:
            nx.draw_networkx_nodes(dag, pos, nodelist=nodelist, node_shape=shape, node_color=color,
                                   node_size=520, ax=ax,
                                   edgecolors=["tab:red" if u in on_path else "white" for u in nodelist],
                                   linewidths=[2.8 if u in on_path else 1.0 for u in nodelist])
    labels = {u: str(u).replace("_", "\n", 1) for u in dag.nodes}
    label_pos = {u: (x, y - 0.30) for u, (x, y) in pos.items()}
    nx.draw_networkx_labels(dag, label_pos, labels=labels, font_size=7.5, ax=ax, verticalalignment="top")

    # A graph with a loop is a lifecycle of stages, not one run's tasks.
    node_word = "stage" if back else "task"
    handles = [Line2D([], [], marker="o", ls="", color="tab:blue", markersize=9, label=node_word)]
    if gates:
        handles.append(Line2D([], [], marker="D", ls="", color="tab:orange", markersize=8, label="governance gate"))
    if hl_edges:
        handles.append(Line2D([], [], color="tab:red", lw=2.6, label=label))
    elif highlight:
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="tab:red",
                              markeredgewidth=2.4, markersize=10, label=label))
    if back:
        handles.append(Line2D([], [], color="tab:purple", lw=1.6, ls="--", label="feedback (next run)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ys = [y for _, y in pos.values()] or [0.0]
    ax.set_xlim(-0.6, n_layers - 0.4)
    ax.set_ylim(min(ys) - 0.9, max(ys) + (1.0 if back else 0.6))
    ax.set_xlabel("order within one run (the dashed edge starts the next run)" if back
                  else "topological generation (tasks in a column can run in parallel)")
    ax.tick_params(axis="x", bottom=True, labelbottom=True)  # networkx switches tick labels off
    ax.set_xticks(range(n_layers), [str(k + 1) for k in range(n_layers)])
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or f"Pipeline DAG: {dag.number_of_nodes()} tasks, {dag.number_of_edges()} dependencies")
    return ax


def plot_gantt(schedule: pd.DataFrame | CriticalPath, ax: Any = None, title: str | None = None) -> Any:
    """Gantt chart of a CPM schedule: bars from earliest start to earliest finish, slack after.

    Parameters
    ----------
    schedule : pandas.DataFrame or CriticalPath
        ``critical_path(...).schedule`` (or the result itself).
    ax : matplotlib.axes.Axes, optional
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
        x axis "time (minutes)"; critical tasks red, others blue; slack as a hatched bar
        from EF to LF (how long a task may slip without delaying the run).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    if isinstance(schedule, CriticalPath):
        schedule = schedule.schedule
    require_columns(schedule, ("task", "earliest_start", "earliest_finish", "slack"), "schedule")
    s = schedule.sort_values(["earliest_start", "earliest_finish"], kind="stable").reset_index(drop=True)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.38 * len(s) + 1.4))
    y = np.arange(len(s))[::-1]
    critical = s["slack"].to_numpy() == 0
    ax.barh(y, s["earliest_finish"] - s["earliest_start"], left=s["earliest_start"], height=0.6,
            color=np.where(critical, "tab:red", "tab:blue"), edgecolor="white")
    ax.barh(y, s["slack"], left=s["earliest_finish"], height=0.6, color="none",
            edgecolor="0.5", hatch="///", linewidth=0.6)
    ax.set_yticks(y, [str(t) for t in s["task"]], fontsize=8)
    ax.set_xlabel("time (minutes)")
    ax.set_xlim(0, float((s["earliest_finish"] + s["slack"]).max()) * 1.02 or 1.0)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(handles=[Patch(color="tab:red", label="critical task (slack 0)"),
                       Patch(color="tab:blue", label="task with slack"),
                       Patch(facecolor="none", edgecolor="0.5", hatch="///", label="slack (may slip)")],
              loc="upper right", fontsize=8)
    ax.set_title(title or "Schedule at earliest start (critical path method)")
    return ax
