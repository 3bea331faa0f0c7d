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


__all__ += ["deployment_strategies"]


def deployment_strategies() -> pd.DataFrame:
    """The course's summary of the article's serving and release patterns, with trade-offs.

    The article lists online, batch and streaming serving and shadow, canary and blue-green
    releases; the ratings (``low``/``medium``/``high``) are this course's qualitative
    summary of common practice, not measurements. Moved here from ``infra_lab.serving``
    (course data, not a formula); ``infra_lab.serving.deployment_strategies`` still works.

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        One row per pattern; columns ``strategy``, ``kind`` (serving mode or release
        strategy), ``latency``, ``cost``, ``risk``, ``rollback_speed``, ``detects`` (what it
        lets you catch before or while users are affected), ``when_to_use``.

    See Also
    --------
    infra_lab.serving.canary_detection_probability : how likely a canary catches a regression.

    References
    ----------
    The article, Section "Deployment, Serving, and Edge-Cloud Systems" (the serving modes and
    release strategies listed). Beyer, B. et al. (eds.), *The Site Reliability Workbook*, O'Reilly 2018, ch. 16
    (Canarying Releases). Humble, J. & Farley, D., *Continuous Delivery*, Addison-Wesley
    2010, ch. 10 (Deploying and Releasing Applications: blue-green deployments, canary
    releasing).

    Examples
    --------
    >>> deployment_strategies()["strategy"].tolist()
    ['online', 'batch', 'streaming', 'shadow', 'canary', 'blue-green']
    """
    rows = [
        ("online", "serving mode", "low (ms per request)", "high (always-on replicas sized for peak)",
         "medium", "fast if behind a router", "per-request errors and latency as users see them",
         "interactive predictions: fraud checks, ranking, chat"),
        ("batch", "serving mode", "high (hours; results precomputed)", "low (runs on cheap, scheduled compute)",
         "low", "slow (rerun the job)", "job failures and data-quality issues before results are used",
         "scores needed per entity per day: churn, recommendations refreshed nightly"),
        ("streaming", "serving mode", "medium (seconds)", "medium (always-on consumers)", "medium",
         "medium (replay from the log)", "lag and freshness problems on event streams",
         "features or predictions updated per event: IoT, clickstreams"),
        ("shadow", "release strategy", "none added for users (copy served off-path)",
         "high (doubles inference for the mirrored traffic)", "very low (users never see the new model)",
         "instant (nothing to roll back)", "crashes, latency and prediction differences on real traffic",
         "a first look at a new model under real load; not outcome metrics"),
        ("canary", "release strategy", "unchanged", "low (a small share of traffic)",
         "low (only the canary share is exposed)", "fast (route the share back)",
         "regressions large enough to show in the canary's requests; small or subgroup effects can be missed",
         "routine releases with automated analysis of error rate and latency"),
        ("blue-green", "release strategy", "unchanged", "high (two full environments during the switch)",
         "medium (all traffic switches at once)", "instant (switch the router back)",
         "only what monitoring sees after the switch; nothing beforehand",
         "releases that need a clean, all-at-once cutover with an instant way back"),
    ]
    return pd.DataFrame(rows, columns=["strategy", "kind", "latency", "cost", "risk", "rollback_speed",
                                       "detects", "when_to_use"])
