"""The article's example tables and statements, exactly as it prints them.

The course follows the article *AI Infrastructure: Data Pipelines, Compute, and Deployment
Systems*. Its numbers are reproduced here once, as data, so every notebook and test reads
the same values. Later chapters add their tables here; never copy a table into a notebook.
The course's own illustrative data (clearly marked as not the article's) lives here too, so
topic modules hold formulas only.

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
    "example_branching_pipeline",
    "readiness_table",
    "infrastructure_components",
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

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Columns ``task``, ``duration_minutes`` (minutes), ``failure_probability`` (per run,
        independent) and ``governance_gate`` (the task is a governance checkpoint) — the
        pipeline-tasks file of the article's Python workflow; the R workflow's table drops the gate.

    See Also
    --------
    pipeline_edges : the dependencies between these tasks.
    example_branching_pipeline : the course's own branching pipeline.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" (example pipeline table) and its
    Python workflow (203 minutes in total; reliability 0.7516).

    Examples
    --------
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

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Columns ``source``, ``target`` ("source must finish before target"), as in the
        edge file of the article's Python workflow; ``build_dag`` reads it as it is.

    See Also
    --------
    pipeline_tasks : the tasks these edges connect.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" and its Python workflow (edge
    table with columns source, target).

    Examples
    --------
    >>> edges = pipeline_edges()
    >>> len(edges), edges.columns.tolist(), edges.iloc[0].tolist()
    (8, ['source', 'target'], ['ingest_raw_data', 'validate_schema'])
    """
    tasks = pipeline_tasks()["task"].tolist()
    return pd.DataFrame({"source": tasks[:-1], "target": tasks[1:]})


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

    Parameters
    ----------
    None

    Returns
    -------
    (tasks, edges) : tuple of pandas.DataFrame
        ``tasks`` as ``infra_lab.pipelines.build_dag`` expects (the article's columns);
        ``edges`` with the article's edge columns ``source``/``target``.

    See Also
    --------
    pipeline_tasks : the article's own (chain) pipeline.

    References
    ----------
    Not the article's data: the course's illustration of the article's Section "Data
    Pipelines and DAG Systems", with the article's durations and failure probabilities for
    the five tasks both pipelines share (its example pipeline table).

    Examples
    --------
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
    ], columns=["source", "target"])
    return tasks, edges



def readiness_table() -> pd.DataFrame:
    """The article's readiness table: seven dimensions of the readiness lens and their scores.

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Columns ``dimension`` and ``score`` (dimensionless, in [0, 1]), seven rows in the
        article's order: data_pipeline 0.82, compute_capacity 0.76, storage_throughput 0.80,
        serving_reliability 0.84, observability 0.78, security_controls 0.74,
        governance_controls 0.72 (mean 0.78) — the article's
        readiness file of its Python workflow.

    See Also
    --------
    infrastructure_components : the R workflow's component table.
    infra_lab.readiness.lens.readiness_lens : scores this table.

    References
    ----------
    The article, "Python workflow" (readiness table; ``infrastructure_readiness_score`` is
    its mean score, 0.78).

    Examples
    --------
    >>> t = readiness_table()
    >>> len(t), round(t["score"].mean(), 2)
    (7, 0.78)
    """
    rows = [
        ("data_pipeline", 0.82),
        ("compute_capacity", 0.76),
        ("storage_throughput", 0.80),
        ("serving_reliability", 0.84),
        ("observability", 0.78),
        ("security_controls", 0.74),
        ("governance_controls", 0.72),
    ]
    return pd.DataFrame(rows, columns=["dimension", "score"])


def infrastructure_components() -> pd.DataFrame:
    """The article's R-workflow component table: readiness, technical debt and criticality.

    Inputs only; ``weighted_risk`` (= technical_debt × criticality) and ``priority`` (high if
    ≥ 0.35, medium if ≥ 0.25, else low — the thresholds of the article's R workflow) are
    computed by ``infra_lab.readiness.risk_table(..., sort=False)``, not stored.

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Columns ``component``, ``readiness_score``, ``technical_debt`` and ``criticality``
        (dimensionless, in [0, 1]), eight rows in the article's order.

    See Also
    --------
    readiness_table : the Python workflow's seven readiness dimensions.

    References
    ----------
    The article, "R workflow" (components table; its summary prints mean readiness 0.77 and
    mean weighted risk 0.289, rounded with R's ``round(x, 3)``).

    Examples
    --------
    >>> c = infrastructure_components()
    >>> c.iloc[5].tolist()
    ['observability', 0.72, 0.42, 0.88]
    >>> round(c["readiness_score"].mean(), 3)
    0.77
    """
    rows = [
        ("data_pipeline", 0.82, 0.28, 0.95),
        ("feature_store", 0.76, 0.34, 0.90),
        ("training_cluster", 0.78, 0.30, 0.92),
        ("model_registry", 0.84, 0.20, 0.82),
        ("serving_layer", 0.80, 0.25, 0.94),
        ("observability", 0.72, 0.42, 0.88),
        ("security_controls", 0.74, 0.36, 0.90),
        ("governance_controls", 0.70, 0.40, 0.92),
    ]
    return pd.DataFrame(rows, columns=["component", "readiness_score", "technical_debt", "criticality"])


def compute_cluster() -> pd.DataFrame:
    """The article's compute-cluster table (section "Compute Systems").

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        Columns ``resource``, ``available_units``, ``allocated_units``, ``utilization_target``
        (fraction). Utilisation = allocated / available; a pool is over target when its
        utilisation exceeds the target.

    See Also
    --------
    serving_services : the article's serving table.

    References
    ----------
    The article, Section "Compute Systems" (compute-cluster table) and its Python workflow
    (its compute-cluster file).

    Examples
    --------
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

    Parameters
    ----------
    None

    Returns
    -------
    pandas.DataFrame
        One row, the columns above.

    See Also
    --------
    compute_cluster : the article's compute table.

    References
    ----------
    The article, "Worked Example: Serving Capacity and Latency Budget".

    Examples
    --------
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
