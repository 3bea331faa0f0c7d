"""The article's tables, as the article prints them (quoted in the course's issues #2, #3, #5)."""

from infra_lab import article


def test_pipeline_table_is_the_articles():
    # The article's example pipeline (section "Data Pipelines and DAG Systems").
    expected = [
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
    assert list(article.pipeline_tasks().itertuples(index=False, name=None)) == expected


def test_pipeline_edges_chain_the_tasks_in_table_order():
    tasks = article.pipeline_tasks()["task"].tolist()
    edges = article.pipeline_edges()
    assert list(zip(edges["source"], edges["target"])) == list(zip(tasks, tasks[1:]))


def test_compute_cluster_table_is_the_articles():
    expected = [
        ("gpu_pool_a", 32, 26, 0.85),
        ("gpu_pool_b", 16, 14, 0.85),
        ("cpu_feature_workers", 80, 52, 0.70),
        ("model_serving_pool", 12, 9, 0.75),
    ]
    assert list(article.compute_cluster().itertuples(index=False, name=None)) == expected


def test_serving_table_inputs_are_the_articles():
    row = article.serving_services().iloc[0].to_dict()
    assert row == {
        "service": "risk_model_api", "required_qps": 1200, "throughput_per_replica": 150,
        "feature_lookup_ms": 45, "model_inference_ms": 80, "network_ms": 35, "postprocessing_ms": 20,
        "latency_budget_ms": 200,
    }


def test_the_articles_statements():
    assert article.PRODUCTION_AI == ("Model", "Infrastructure", "Monitoring", "Governance")
    assert article.LIFECYCLE_STAGES[0] == "Data" and article.LIFECYCLE_STAGES[-1] == "Feedback"
    assert len(article.AI_PROD_FACTORS) == 7
