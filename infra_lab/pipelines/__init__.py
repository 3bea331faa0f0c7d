r"""Data pipelines as directed acyclic graphs: critical path, reliability, impact, lineage.

Parts (one module each):

* ``dag`` — build and check a DAG, total work, the critical path method, the lifecycle loop.
* ``reliability`` — series reliability with retries, its Monte Carlo check and standard error.
* ``lineage`` — failure impact (descendants) and lineage (ancestors), one shared query.
* ``operations`` — freshness of batch, micro-batch and streaming output; backfill duration.

The drawings (``plot_dag``, ``plot_gantt``) live in :mod:`infra_lab.plots` and the course's
branching example in :mod:`infra_lab.article`; both are re-exported here so that older
imports keep working.

>>> from infra_lab.article import pipeline_tasks, pipeline_edges
>>> dag = build_dag(pipeline_tasks(), pipeline_edges())
>>> total_duration_minutes(dag), round(pipeline_reliability(pipeline_tasks()["failure_probability"]), 4)
(203.0, 0.7516)
"""

from infra_lab.article import example_branching_pipeline
from infra_lab.plots import plot_dag, plot_gantt

from .dag import EDGE_COLUMNS, CriticalPath, build_dag, critical_path, lifecycle_graph, total_duration, total_duration_minutes
from .lineage import downstream_impact, upstream_lineage
from .operations import Backfill, Freshness, backfill_duration, pipeline_freshness
from .reliability import (MAX_DRAWS, PipelineSimulation, SimulationResult, pipeline_reliability, simulate_pipeline_runs,
                          success_rate_standard_error)

__all__ = [
    # dag
    "EDGE_COLUMNS", "CriticalPath", "build_dag", "total_duration_minutes", "critical_path", "lifecycle_graph",
    # reliability
    "MAX_DRAWS", "PipelineSimulation", "pipeline_reliability", "success_rate_standard_error", "simulate_pipeline_runs",
    # lineage
    "downstream_impact", "upstream_lineage",
    # operations
    "Freshness", "pipeline_freshness", "Backfill", "backfill_duration",
    # re-exported from infra_lab.plots and infra_lab.article
    "plot_dag", "plot_gantt", "example_branching_pipeline",
]
