"""The article's tables reproduce the article's published numbers.

Each test computes a number the article prints from the table, by hand-written arithmetic in
the test (not with infra_lab's formula functions), and compares it with the printed value:
the article's Section "Data Pipelines and DAG Systems" (203 minutes, Π(1 − p) = 0.7516), its
"Worked Example: Serving Capacity and Latency Budget" (8 replicas, 180 ms, margin 20 ms), its
Python workflow (readiness mean 0.78) and its R workflow (components; round(·, 3): mean
readiness 0.77, mean weighted risk 0.289, pipeline reliability 0.752; observability and
governance_controls high priority).
"""

import math

from infra_lab import article


def test_pipeline_table_gives_the_articles_203_minutes_and_0_7516():
    tasks = article.pipeline_tasks()
    assert tasks.columns.tolist() == ["task", "duration_minutes", "failure_probability", "governance_gate"]
    assert int(tasks["duration_minutes"].sum()) == 203
    reliability = math.prod(1 - p for p in tasks["failure_probability"])
    assert round(reliability, 4) == 0.7516
    assert round(reliability, 3) == 0.752  # R's round(x, 3) in the R workflow's memo
    assert round(1 - tasks["failure_probability"].sum(), 2) == 0.72  # the shortcut the article warns about
    assert tasks.loc[tasks["task"] == "train_model", "duration_minutes"].item() == 95
    assert int(tasks["governance_gate"].sum()) == 5


def test_pipeline_edges_are_the_articles_source_target_chain():
    tasks = article.pipeline_tasks()["task"].tolist()
    edges = article.pipeline_edges()
    assert edges.columns.tolist() == ["source", "target"]  # as in the article's edge table
    assert list(zip(edges["source"], edges["target"])) == list(zip(tasks, tasks[1:]))


def test_serving_table_gives_the_articles_8_replicas_and_180_ms():
    row = article.serving_services().iloc[0]
    assert row["service"] == "risk_model_api"
    assert math.ceil(row["required_qps"] / row["throughput_per_replica"]) == 8
    total_ms = row["feature_lookup_ms"] + row["model_inference_ms"] + row["network_ms"] + row["postprocessing_ms"]
    assert total_ms == 180
    assert row["latency_budget_ms"] - total_ms == 20


def test_compute_cluster_table_shows_one_pool_over_target():
    # The article's compute table: utilisation = allocated / available, over target if above it.
    t = article.compute_cluster()
    utilization = t["allocated_units"] / t["available_units"]
    assert utilization.round(4).tolist() == [0.8125, 0.875, 0.65, 0.75]
    assert t.loc[utilization > t["utilization_target"], "resource"].tolist() == ["gpu_pool_b"]


def test_readiness_table_has_the_seven_dimensions_and_mean_0_78():
    t = article.readiness_table()
    assert t["dimension"].tolist() == ["data_pipeline", "compute_capacity", "storage_throughput",
                                       "serving_reliability", "observability", "security_controls",
                                       "governance_controls"]
    assert round(t["score"].mean(), 2) == 0.78
    assert t.nsmallest(3, "score")["dimension"].tolist() == ["governance_controls", "security_controls",
                                                            "compute_capacity"]


def test_components_table_reproduces_the_r_workflows_summary():
    c = article.infrastructure_components()
    assert c.columns.tolist() == ["component", "readiness_score", "technical_debt", "criticality"]
    assert len(c) == 8
    risk = [d * k for d, k in zip(c["technical_debt"], c["criticality"])]
    assert round(sum(c["readiness_score"]) / 8, 3) == 0.77
    assert round(sum(risk) / 8, 3) == 0.289
    named = dict(zip(c["component"], risk))
    assert round(named["observability"], 2) == 0.37 and round(named["governance_controls"], 3) == 0.368
    # The R workflow's thresholds: high ≥ 0.35 — only these two.
    assert sorted(k for k, r in named.items() if r >= 0.35) == ["governance_controls", "observability"]


def test_example_branching_pipeline_is_the_courses_own_and_shares_the_articles_values():
    tasks, edges = article.example_branching_pipeline()
    assert edges.columns.tolist() == ["source", "target"]
    assert (len(tasks), len(edges), int(tasks["governance_gate"].sum())) == (15, 17, 7)
    shared = tasks.set_index("task").loc[["train_model", "evaluate_model", "register_model", "deploy_model",
                                          "monitor_predictions"]]
    assert shared["duration_minutes"].tolist() == [95, 20, 6, 12, 5]  # the article's values
    assert shared["failure_probability"].tolist() == [0.06, 0.03, 0.01, 0.02, 0.02]
    assert set(edges["source"]) | set(edges["target"]) <= set(tasks["task"])


def test_the_articles_statements():
    assert article.PRODUCTION_AI == ("Model", "Infrastructure", "Monitoring", "Governance")
    assert article.LIFECYCLE_STAGES == ("Data", "Features", "Training", "Evaluation", "Deployment", "Monitoring",
                                        "Feedback")
    assert article.AI_PROD_FACTORS == ("Code", "Data", "Model", "Features", "Environment", "Monitoring", "Governance")
