r"""Failure impact and lineage: a task's descendants and its ancestors in the pipeline DAG.

A failed task blocks every task reachable from it (its descendants); an artifact's lineage
is every task it can be reached from (its ancestors). Both are one reachability query in
opposite directions, implemented once in :func:`_reachable`.

>>> from infra_lab.article import pipeline_tasks, pipeline_edges
>>> from infra_lab.pipelines.dag import build_dag
>>> dag = build_dag(pipeline_tasks(), pipeline_edges())
>>> downstream_impact(dag, "deploy_model"), upstream_lineage(dag, "validate_schema")
(['monitor_predictions'], ['ingest_raw_data'])
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from .dag import _require_acyclic, _require_digraph

__all__ = ["downstream_impact", "upstream_lineage"]


def _reachable(dag: nx.DiGraph, task: Any, direction: str) -> list:
    """Descendants (``"down"``) or ancestors (``"up"``) of ``task``, in topological order."""
    _require_digraph(dag)
    if task not in dag:  # networkx answers False for an unhashable task, too
        raise ValueError(f"task={task!r}: not in the pipeline; valid tasks are {list(dag.nodes)}")
    _require_acyclic(dag)
    related = nx.descendants(dag, task) if direction == "down" else nx.ancestors(dag, task)
    return [u for u in nx.topological_sort(dag) if u in related]


def downstream_impact(dag: nx.DiGraph, task: Any) -> list:
    r"""Tasks a failure of ``task`` blocks: its descendants, in topological order.

    .. math:: Impact(v) = \{u \in V : v \leadsto u\}

    Parameters
    ----------
    dag : networkx.DiGraph
        An acyclic pipeline (``build_dag``) with at least one task.
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

    See Also
    --------
    upstream_lineage : the opposite direction (ancestors).
    infra_lab.pipelines.reliability.simulate_pipeline_runs : failures that block descendants.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" (a failed upstream task blocks the
    tasks that depend on it). Reachability in a directed graph: Cormen, Leiserson, Rivest and
    Stein, *Introduction to Algorithms*, 3rd ed., §22.3 "Depth-first search".

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> from infra_lab.pipelines.dag import build_dag
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> downstream_impact(dag, "register_model")
    ['deploy_model', 'monitor_predictions']
    """
    return _reachable(dag, task, "down")


def upstream_lineage(dag: nx.DiGraph, task: Any) -> list:
    r"""Tasks ``task``'s output depends on: its ancestors, in topological order (its lineage).

    .. math:: Lineage(v) = \{u \in V : u \leadsto v\}

    Parameters
    ----------
    dag : networkx.DiGraph
        An acyclic pipeline (``build_dag``) with at least one task.
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

    See Also
    --------
    downstream_impact : the opposite direction (descendants).

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" (lineage: which upstream data and
    tasks an artifact came from). Reachability: Cormen et al., *Introduction to Algorithms*,
    3rd ed., §22.3 "Depth-first search".

    Examples
    --------
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> from infra_lab.pipelines.dag import build_dag
    >>> dag = build_dag(pipeline_tasks(), pipeline_edges())
    >>> upstream_lineage(dag, "evaluate_model")[-2:]
    ['build_features', 'train_model']
    """
    return _reachable(dag, task, "up")
