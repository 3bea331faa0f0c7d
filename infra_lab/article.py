"""The article's example tables and statements, exactly as it prints them.

The course follows the article *AI Infrastructure: Data Pipelines, Compute, and Deployment
Systems*. Its numbers are reproduced here once, as data, so every notebook and test reads
the same values. Later chapters add their tables here (readiness, components, ...);
never copy a table into a notebook.

>>> tasks = pipeline_tasks()
>>> int(tasks["duration_minutes"].sum())
203
>>> compute_cluster()["resource"].tolist()
['gpu_pool_a', 'gpu_pool_b', 'cpu_feature_workers', 'model_serving_pool']
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "PRODUCTION_AI",
    "LIFECYCLE_STAGES",
    "AI_PROD_FACTORS",
    "pipeline_tasks",
    "pipeline_edges",
    "compute_cluster",
    "serving_services",
]

#: Production AI = Model + Infrastructure + Monitoring + Governance.
PRODUCTION_AI: tuple[str, ...] = ("Model", "Infrastructure", "Monitoring", "Governance")

#: The lifecycle Data → Features → Training → Evaluation → Deployment → Monitoring → Feedback
#: (Feedback closes the loop back to Data).
LIFECYCLE_STAGES: tuple[str, ...] = (
    "Data", "Features", "Training", "Evaluation", "Deployment", "Monitoring", "Feedback",
)

#: AI_prod = f(Code, Data, Model, Features, Environment, Monitoring, Governance).
AI_PROD_FACTORS: tuple[str, ...] = (
    "Code", "Data", "Model", "Features", "Environment", "Monitoring", "Governance",
)


def pipeline_tasks() -> pd.DataFrame:
    """The article's example ML pipeline: nine tasks (section "Data Pipelines and DAG Systems").

    Columns: ``task``, ``duration_minutes``, ``failure_probability`` (per run, independent),
    ``governance_gate`` (the task is a governance checkpoint).

    >>> pipeline_tasks().loc[4].tolist()
    ['train_model', 95, 0.06, False]
    """
    rows = [
        ("ingest_raw_data", 18, 0.03, False),
        ("validate_schema", 7, 0.02, True),
        ("transform_records", 24, 0.05, False),
        ("build_features", 16, 0.04, True),
        ("train_model", 95, 0.06, False),
        ("evaluate_model", 20, 0.03, True),
        ("register_model", 6, 0.01, True),
        ("deploy_model", 12, 0.02, True),
        ("monitor_predictions", 5, 0.02, False),
    ]
    return pd.DataFrame(rows, columns=["task", "duration_minutes", "failure_probability", "governance_gate"])


def pipeline_edges() -> pd.DataFrame:
    """The article's pipeline edges: the nine tasks form a chain in table order.

    Columns: ``upstream``, ``downstream``.

    >>> len(pipeline_edges())
    8
    """
    tasks = pipeline_tasks()["task"].tolist()
    return pd.DataFrame({"upstream": tasks[:-1], "downstream": tasks[1:]})


def compute_cluster() -> pd.DataFrame:
    """The article's compute-cluster table (section "Compute Systems").

    Columns: ``resource``, ``available_units``, ``allocated_units``, ``utilization_target``
    (fraction). Utilisation = allocated / available; a pool is over target when its
    utilisation exceeds the target.

    >>> compute_cluster().iloc[0].tolist()
    ['gpu_pool_a', 32, 26, 0.85]
    """
    rows = [
        ("gpu_pool_a", 32, 26, 0.85),
        ("gpu_pool_b", 16, 14, 0.85),
        ("cpu_feature_workers", 80, 52, 0.70),
        ("model_serving_pool", 12, 9, 0.75),
    ]
    return pd.DataFrame(rows, columns=["resource", "available_units", "allocated_units", "utilization_target"])


def serving_services() -> pd.DataFrame:
    """The article's serving table (worked example "Serving Capacity and Latency Budget").

    Inputs only: ``service``, ``required_qps`` (requests/s), ``throughput_per_replica``
    (requests/s), ``feature_lookup_ms``, ``model_inference_ms``, ``network_ms``,
    ``postprocessing_ms``, ``latency_budget_ms``. The derived columns the article prints
    (required_replicas 8, total_latency_ms 180, latency_margin_ms 20, meets_latency_budget
    True) are computed by ``infra_lab.serving``, not stored.

    >>> serving_services().iloc[0].tolist()
    ['risk_model_api', 1200, 150, 45, 80, 35, 20, 200]
    """
    rows = [("risk_model_api", 1200, 150, 45, 80, 35, 20, 200)]
    return pd.DataFrame(rows, columns=[
        "service", "required_qps", "throughput_per_replica", "feature_lookup_ms",
        "model_inference_ms", "network_ms", "postprocessing_ms", "latency_budget_ms",
    ])
