r"""Pipeline graphs: build and check a DAG, total work, the critical path method, the lifecycle.

The article (section "Data Pipelines and DAG Systems") models a pipeline as a graph
:math:`G = (V, E)` whose vertices are tasks and whose edges say "must finish before". One
run must be acyclic — a cycle would mean a task waits for itself — so :func:`build_dag`
refuses cycles and names them. The lifecycle of a model, on the other hand, *is* a loop
across runs (monitoring feeds new data back), which is what :func:`lifecycle_graph` returns.

>>> from infra_lab.article import pipeline_tasks, pipeline_edges
>>> dag = build_dag(pipeline_tasks(), pipeline_edges())
>>> total_duration_minutes(dag)
203.0
>>> critical_path(dag).duration_minutes  # a chain: every task is on the critical path
203.0
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from itertools import chain
from operator import methodcaller
from typing import Any, Iterable, Sequence

import networkx as nx
import numpy as np
import pandas as pd

from infra_lab._checks import data_array, finite_result, frame, no_missing, require, text
from infra_lab._results import Result

__all__ = ["EDGE_COLUMNS", "CriticalPath", "build_dag", "total_duration_minutes", "critical_path", "lifecycle_graph"]

_TASK_COLUMNS = ("task", "duration_minutes", "failure_probability")
#: Edge-table column pairs build_dag understands: the article's table first.
EDGE_COLUMNS = (("source", "target"), ("upstream", "downstream"))


# --- building and checking the graph ---------------------------------------------------------

def build_dag(tasks: pd.DataFrame, edges: pd.DataFrame | Iterable[tuple[Any, Any]]) -> nx.DiGraph:
    r"""Build a pipeline DAG :math:`G = (V, E)` from a task table and an edge list.

    .. math:: G = (V, E), \quad (u, v) \in E \iff u \text{ must finish before } v,
              \quad G \text{ acyclic}

    Parameters
    ----------
    tasks : pandas.DataFrame
        One row per task with columns ``task`` (unique name), ``duration_minutes``
        (≥ 0 and finite, minutes), ``failure_probability`` (per run, in [0, 1]) and
        optionally ``governance_gate`` (True/False: the task is a governance checkpoint;
        a missing column means no gates). No missing values.
    edges : pandas.DataFrame or iterable of (source, target) pairs
        "source must finish before target": a DataFrame with the article's columns
        ``source``/``target`` (as ``infra_lab.article.pipeline_edges`` and the article's
        Python workflow's edge file) or ``upstream``/``downstream``, or a list of
        pairs. May be empty (tasks without dependencies).

    Returns
    -------
    networkx.DiGraph
        Nodes in table order, with attributes ``duration_minutes`` (float),
        ``failure_probability`` (float) and ``governance_gate`` (bool).

    Raises
    ------
    ValueError
        Missing columns (the expected ones are listed), missing values, duplicate task
        names, negative durations, probabilities outside [0, 1], edges naming unknown tasks
        (named), or edges that form a cycle — the message spells the cycle out, e.g.
        ``edges form a cycle: a → b → c → a``.

    See Also
    --------
    critical_path : earliest/latest times and slack of the graph built here.
    total_duration_minutes : the sum of its task durations.
    infra_lab.pipelines.reliability.pipeline_reliability : the probability that a run succeeds.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" (the pipeline as a graph
    :math:`G = (V, E)` and its example task and edge tables). Acyclicity and topological
    order: Cormen, Leiserson, Rivest and Stein, *Introduction to Algorithms*, 3rd ed.,
    §22.4 "Topological sort".

    Examples
    --------
    The article's example pipeline table (nine tasks in a chain), with its edge table as it
    is (``source``/``target``):

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
    >>> build_dag(t, pd.DataFrame({"from": ["a"], "to": ["b"]}))
    Traceback (most recent call last):
    ...
    ValueError: edges has columns ['from', 'to']; expected 'source' and 'target' (the article's edge table) or 'upstream' and 'downstream'
    """
    frame("tasks", tasks, _TASK_COLUMNS)
    no_missing("tasks", tasks, _TASK_COLUMNS)
    names = tasks["task"].tolist()
    dup = pd.Index(names)[pd.Index(names).duplicated()].unique().tolist()
    require(not dup, "tasks['task']", dup, "task names must be unique; these appear more than once")
    durations = _task_column(tasks, "duration_minutes", np.inf, "must be ≥ 0 minutes")
    probs = _task_column(tasks, "failure_probability", 1.0, "must be in [0, 1]")
    gates = _gates(tasks)

    up, down = _edge_lists(edges)
    known = set(names)
    unknown = sorted({str(x) for x in (*up, *down) if not _hashable(x) or x not in known})
    require(not unknown, "edges", unknown, f"name tasks that are not in the task table; tasks are {names}")

    dag = nx.DiGraph()
    dag.add_nodes_from(
        (n, {"duration_minutes": float(d), "failure_probability": float(p), "governance_gate": bool(g)})
        for n, d, p, g in zip(names, durations, probs, gates)
    )
    dag.add_edges_from(zip(up, down))
    _require_acyclic(dag, "edges")
    return dag


def _task_column(tasks: pd.DataFrame, col: str, high: float, rule: str) -> np.ndarray:
    """A numeric task column in [0, high]; an out-of-range value is reported with its task."""
    name = f"tasks[{col!r}]"
    values = data_array(name, tasks[col].to_numpy())  # refuses strings, bools, NaN, inf (by position)
    bad = np.flatnonzero((values < 0) | (values > high))
    if bad.size:
        shown = {tasks["task"].iloc[i]: float(values[i]) for i in bad[:5]}
        raise ValueError(f"{name}={shown!r}: {rule}")
    return values


def _hashable(x: Any) -> bool:
    try:
        hash(x)
    except TypeError:
        return False
    return True


def _gates(tasks: pd.DataFrame) -> np.ndarray:
    """The optional ``governance_gate`` column: True/False only ("no" must not read as True)."""
    if "governance_gate" not in tasks:
        return np.zeros(len(tasks), dtype=bool)
    values = tasks["governance_gate"].tolist()
    bad = [i for i, v in enumerate(values) if not isinstance(v, (bool, np.bool_))]
    if bad:
        raise ValueError(f"tasks['governance_gate'] has a value that is not True/False at row "
                         f"{tasks.index[bad[0]]!r} ({values[bad[0]]!r}); use booleans")
    return np.asarray(values, dtype=bool)


def _edge_lists(edges: Any) -> tuple[list, list]:
    if isinstance(edges, pd.DataFrame):
        for a, b in EDGE_COLUMNS:
            if a in edges.columns and b in edges.columns:
                no_missing("edges", edges, (a, b))
                return edges[a].tolist(), edges[b].tolist()
        raise ValueError(f"edges has columns {list(edges.columns)}; expected 'source' and 'target' "
                         "(the article's edge table) or 'upstream' and 'downstream'")
    if edges is None or isinstance(edges, (str, bytes)) or not isinstance(edges, Iterable):
        raise TypeError(f"edges={edges!r}: must be a DataFrame with columns source/target (or "
                        "upstream/downstream) or a list of (source, target) pairs")
    pairs = list(edges)
    bad = [e for e in pairs if isinstance(e, (str, bytes)) or not (hasattr(e, "__len__") and len(e) == 2)]
    if bad:
        raise TypeError(f"edges={bad[:3]!r}: each edge must be a (source, target) pair")
    return [e[0] for e in pairs], [e[1] for e in pairs]


def _cycle_message(dag: nx.DiGraph) -> str:
    cycle = nx.find_cycle(dag)
    names = [str(u) for u, _ in cycle] + [str(cycle[0][0])]
    return f"edges form a cycle: {' → '.join(names)}; a pipeline run must be acyclic"


def _require_acyclic(dag: nx.DiGraph, name: str = "dag") -> None:
    if not nx.is_directed_acyclic_graph(dag):
        raise ValueError(f"{name}: {_cycle_message(dag)}" if name != "edges" else _cycle_message(dag))


def _require_digraph(dag: Any, name: str = "dag", *, nonempty: bool = True) -> None:
    if not isinstance(dag, nx.DiGraph):
        raise TypeError(f"{name}={type(dag).__name__}: must be a networkx.DiGraph (use build_dag)")
    if nonempty and dag.number_of_nodes() == 0:
        raise ValueError(f"{name}=<empty DiGraph>: needs at least one task")


def _node_values(dag: nx.DiGraph, attr: str, low: float, high: float, unit: str,
                 name: str = "dag") -> np.ndarray:
    """One float per node (node order) from attribute ``attr``, checked to lie in [low, high]."""
    data = getattr(dag, "_node", None)  # plain dict of attribute dicts, in node order
    data = data.values() if isinstance(data, dict) else (d for _, d in dag.nodes(data=True))
    raw = list(map(methodcaller("get", attr, np.nan), data))
    nodes = list(dag.nodes)
    # bool is an int and a numeric string converts: both would pass silently as numbers.
    wrong = [i for i, v in enumerate(raw) if isinstance(v, (bool, np.bool_, str, bytes))]
    try:
        values = np.array(raw, dtype=float) if not wrong else None
    except (TypeError, ValueError):
        values = None
        wrong = [i for i, v in enumerate(raw) if not isinstance(v, (int, float, np.number))] or [0]
    if values is None or values.shape != (len(nodes),):
        i = wrong[0] if wrong else 0
        raise TypeError(f"{name}: task {nodes[i]!r} has {attr}={raw[i]!r}; every task needs a number")
    bad = np.flatnonzero(~((values >= low) & (values <= high)))  # NaN (missing) fails too
    if bad.size:
        shown = {nodes[i]: dag.nodes[nodes[i]].get(attr) for i in bad[:5]}
        interval = f"[{low:g}, {high:g}]" if np.isfinite(high) else f"≥ {low:g} and finite"
        raise ValueError(f"{name}: task(s) {shown!r} have a missing or bad {attr}; every task needs "
                         f"{attr} {interval} {unit}".rstrip())
    return values


# --- durations and the critical path ---------------------------------------------------------

def total_duration_minutes(dag_or_tasks: nx.DiGraph | pd.DataFrame | Sequence[float]) -> float:
    r"""Sum of task durations, :math:`T_{total} = \sum_i t_i` (minutes).

    .. math:: T_{total} = \sum_{i \in V} t_i

    The article's summary metric. It is the wall-clock time of a run only when the tasks
    run one after another (a chain, or a single worker); with parallel branches the
    wall-clock time is the critical-path length (:func:`critical_path`), and
    :math:`T_{total}` is the total work.

    Parameters
    ----------
    dag_or_tasks : networkx.DiGraph, pandas.DataFrame or sequence of float
        A DAG from :func:`build_dag`, a task table with ``duration_minutes``, or the
        durations themselves; minutes, each ≥ 0 and finite; at least one task.

    Returns
    -------
    float
        Total minutes.

    See Also
    --------
    critical_path : the wall-clock time with unlimited parallel workers.
    build_dag : the graph this reads.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" and its Python workflow
    (``pipeline_total_duration_minutes`` = 203 for the example table).

    Examples
    --------
    The article's example pipeline table, total 203 minutes:

    >>> from infra_lab.article import pipeline_tasks
    >>> total_duration_minutes(pipeline_tasks())
    203.0
    >>> total_duration_minutes([18, 7, 24])
    49.0
    """
    name = "dag_or_tasks"
    if isinstance(dag_or_tasks, nx.DiGraph):
        _require_digraph(dag_or_tasks, name)
        durations = _node_values(dag_or_tasks, "duration_minutes", 0.0, np.inf, "minutes", name)
    elif isinstance(dag_or_tasks, pd.DataFrame):
        frame(name, dag_or_tasks, ("duration_minutes",))
        durations = data_array(f"{name}['duration_minutes']", dag_or_tasks["duration_minutes"], low=0.0)
    else:
        durations = data_array(name, dag_or_tasks, low=0.0)
    with np.errstate(over="ignore"):  # an overflow is reported below, by name
        total = float(durations.sum())
    finite_result("total_duration_minutes", total, f"{name} holds durations too large to add up")
    return total


def total_duration(dag_or_tasks: Any) -> float:
    """Deprecated alias of :func:`total_duration_minutes` (kept for one release)."""
    warnings.warn("total_duration is deprecated; use total_duration_minutes (the name says its unit)",
                  DeprecationWarning, stacklevel=2)
    return total_duration_minutes(dag_or_tasks)


@dataclass(frozen=True, eq=False)
class CriticalPath(Result):
    """Result of :func:`critical_path`: the critical path, its length and the CPM schedule.

    Attributes
    ----------
    path : list
        Tasks on the returned critical path, first to last (ties: see :func:`critical_path`).
    duration_minutes : float
        Its length = the project duration = the shortest possible wall-clock time of a run
        with unlimited parallel workers (minutes, or the unit of ``duration_attr``).
    schedule : pandas.DataFrame
        One row per task in the graph's node order: ``task``, ``duration``,
        ``earliest_start``, ``earliest_finish``, ``latest_start``, ``latest_finish``,
        ``slack`` (all in the duration's unit) and ``critical`` (slack == 0).

    See Also
    --------
    critical_path : computes it.
    infra_lab.plots.plot_gantt : draws the schedule.
    """

    path: list
    duration_minutes: float
    schedule: pd.DataFrame

    @property
    def duration(self) -> float:
        """Deprecated: the field is ``duration_minutes`` (the name says its unit)."""
        warnings.warn("CriticalPath.duration is deprecated; use CriticalPath.duration_minutes",
                      DeprecationWarning, stacklevel=2)
        return self.duration_minutes


def critical_path(dag: nx.DiGraph, duration_attr: str = "duration_minutes") -> CriticalPath:
    r"""Critical path method (CPM): earliest/latest start and finish, slack, critical path.

    .. math::

        ES_j = \max_{i \to j} EF_i \ (0 \text{ for a source}), \quad EF_j = ES_j + t_j \\
        LF_i = \min_{i \to j} LS_j \ (T \text{ for a sink}), \quad LS_i = LF_i - t_i \\
        slack_i = LS_i - ES_i, \quad T = \max_j EF_j

    Forward pass for earliest times, backward pass for latest times; activities with zero
    slack form the critical path, whose length is the shortest possible wall-clock time of
    a run with unlimited parallel workers.

    The passes run over topological generations with numpy (Kahn's algorithm one whole
    generation at a time, then ``maximum.reduceat`` / ``minimum.reduceat`` over the edges
    grouped by their head or tail), so the Python loop runs once per generation, not once
    per task: a random DAG of 10⁵ tasks takes a fraction of a second
    (``benchmarks/bench_critical_path.py``).

    Parameters
    ----------
    dag : networkx.DiGraph
        Acyclic, at least one task; every node needs ``duration_attr`` ≥ 0 and finite.
    duration_attr : str
        Node attribute holding the duration (default ``duration_minutes``, minutes); the
        results are in its unit.

    Returns
    -------
    CriticalPath
        ``path``, ``duration_minutes`` and the ``schedule`` table.

    See Also
    --------
    total_duration_minutes : the total work (sum of durations), not the wall-clock time.
    infra_lab.plots.plot_gantt : the schedule as a Gantt chart.
    build_dag : builds the graph.

    Notes
    -----
    Ties: when several paths are equally long, the one returned ends at the first
    critical sink in the graph's node order and, walking backwards, takes at each step the
    first predecessor (in node order) that finishes exactly when the task starts. Every
    task on any critical path has ``slack == 0`` in the schedule. Slack within 1e-9 × T of
    zero is set to 0, so floating-point rounding in the two passes cannot hide a critical
    task.

    References
    ----------
    Kelley, J. E. and Walker, M. R. (1959), "Critical-Path Planning and Scheduling",
    *Proceedings of the Eastern Joint Computer Conference*, pp. 160–173 (the method).
    Taylor, B. W., *Introduction to Management Science*, ch. 8 "Project Management"
    (forward and backward pass, slack; the solved problem reproduced below).

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
    >>> cp.path, cp.duration_minutes
    (['1-3', '3-4', '4-5', '5-6'], 20.0)
    >>> cp.schedule["slack"].tolist()
    [2.0, 0.0, 2.0, 0.0, 4.0, 0.0, 0.0]
    """
    _require_digraph(dag)
    text("duration_attr", duration_attr)
    n = dag.number_of_nodes()
    nodes = list(dag.nodes)
    t = _node_values(dag, duration_attr, 0.0, np.inf, "")
    with np.errstate(over="ignore"):  # the critical path is at most the sum: if that is finite, so is T
        finite_result("critical_path", t.sum(), "dag holds durations too large to add up")
    src, dst = _edge_arrays(dag, nodes)  # CSR order: grouped by src, src ascending
    out_deg = np.bincount(src, minlength=n)
    out_ptr = np.r_[0, np.cumsum(out_deg)]
    level = _generations(n, dst, out_deg, out_ptr)
    if (level < 0).any():
        raise ValueError(f"dag: {_cycle_message(dag)}")
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
    finite_result("critical_path", project, "dag holds durations too large to add up")

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
    return CriticalPath(path=[nodes[i] for i in path], duration_minutes=project, schedule=schedule)


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




# --- the lifecycle ---------------------------------------------------------------------------

def lifecycle_graph() -> nx.DiGraph:
    r"""The article's ML lifecycle as a directed graph, with its feedback loop.

    .. math:: Data \to Features \to Training \to Evaluation \to Deployment \to Monitoring
              \to Feedback \to Data

    A single pipeline *run* is a DAG; the *lifecycle* is a cycle across runs: what
    monitoring learns feeds the next run's data. The loop edge ``Feedback → Data`` carries
    ``feedback=True`` (the others ``feedback=False``); ``infra_lab.plots.plot_dag`` draws it
    curved. The stages are ``infra_lab.article.LIFECYCLE_STAGES``.

    Parameters
    ----------
    None

    Returns
    -------
    networkx.DiGraph
        Seven stages, seven edges (six forward, one feedback).

    See Also
    --------
    build_dag : one run's acyclic graph.
    infra_lab.pipelines.lineage.downstream_impact : what a change to a stage invalidates.

    References
    ----------
    The article, Section "Foundations of AI Infrastructure" (the lifecycle Data → Features →
    Training → Evaluation → Deployment → Monitoring → Feedback).

    Examples
    --------
    >>> g = lifecycle_graph()
    >>> list(g.nodes)[:3], g.edges["Feedback", "Data"]["feedback"]
    (['Data', 'Features', 'Training'], True)
    >>> nx.is_directed_acyclic_graph(g)
    False
    """
    from infra_lab.article import LIFECYCLE_STAGES

    g = nx.DiGraph()
    g.add_nodes_from(LIFECYCLE_STAGES)
    g.add_edges_from(zip(LIFECYCLE_STAGES[:-1], LIFECYCLE_STAGES[1:]), feedback=False)
    g.add_edge(LIFECYCLE_STAGES[-1], LIFECYCLE_STAGES[0], feedback=True)
    return g
