"""Notebook 14 run with a student's own service and readiness scores; its files are checked against
the article's file specification and against arithmetic done here (no library formulas).

References: the article's Python and R workflows (file names, columns, summary rows); Erlang C
from the textbook sum (Gross et al., Fundamentals of Queueing Theory, 4th ed., §2.3).
"""

import math

import numpy as np
import pandas as pd
import pytest

PARAMS = dict(service_name="fraud_scoring_api", required_qps=2250.0, throughput_per_replica=180.0,
              feature_latency_ms=30.0, model_latency_ms=95.0, network_latency_ms=25.0,
              postprocess_latency_ms=15.0, latency_budget_ms=190.0,
              data_pipeline_score=0.9, compute_capacity_score=0.65, storage_throughput_score=0.7,
              serving_reliability_score=0.88, observability_score=0.6, security_controls_score=0.8,
              governance_controls_score=0.85, sensitivity_step=0.1, wait_percentile=0.95, n_runs=5000,
              n_variants=500, seed=7)
P = [0.03, 0.02, 0.05, 0.04, 0.06, 0.03, 0.01, 0.02, 0.02]
SCORES = [0.9, 0.65, 0.7, 0.88, 0.6, 0.8, 0.85]


def test_student_run_writes_the_articles_files_with_the_students_numbers(run_notebook):
    out = run_notebook("14_capstone_readiness_review", **PARAMS)
    names = {p.name for p in out.iterdir()}
    assert {"python_ai_pipeline_tasks.csv", "python_ai_pipeline_edges.csv", "python_ai_compute_cluster.csv",
            "python_ai_serving_capacity.csv", "python_ai_infrastructure_readiness.csv",
            "python_ai_infrastructure_summary.csv", "python_ai_infrastructure_readiness_memo.md",
            "r_ai_infrastructure_components.csv", "r_ai_pipeline_tasks.csv", "r_ai_serving_capacity.csv",
            "r_ai_infrastructure_summary.csv", "r_ai_infrastructure_governance_memo.md",
            "readiness_dashboard.png"} <= names
    s = pd.read_csv(out / "python_ai_infrastructure_summary.csv")
    assert s["metric"].tolist() == ["pipeline_total_duration_minutes", "pipeline_reliability",
                                    "mean_compute_utilization", "share_compute_pools_over_target",
                                    "serving_required_replicas", "serving_total_latency_ms",
                                    "serving_latency_margin_ms", "infrastructure_readiness_score"]
    expected = [203, math.prod(1 - p for p in P), (26 / 32 + 14 / 16 + 52 / 80 + 9 / 12) / 4, 0.25,
                math.ceil(2250 / 180), 165, 190 - 165, sum(SCORES) / 7]
    np.testing.assert_allclose(s["value"], expected, rtol=0, atol=1e-9)
    serving = pd.read_csv(out / "python_ai_serving_capacity.csv")
    assert serving.loc[0, "service"] == "fraud_scoring_api" and bool(serving.loc[0, "meets_latency_budget"])
    memo = (out / "python_ai_infrastructure_readiness_memo.md").read_text(encoding="utf-8")
    lowest = memo.split("## Lowest readiness dimensions")[1].split("##")[0]
    assert [l for l in lowest.splitlines() if l.startswith("- ")] == [
        "- observability: 0.600", "- compute_capacity: 0.650", "- storage_throughput: 0.700"]

    layers = pd.read_csv(out / "deployment_layers.csv").set_index("layer")["score"]
    assert layers["Governance"] == 0.8 and layers.min() == 0.65  # min(security, governance); Compute weakest

    qm = pd.read_csv(out / "queueing_margin.csv")
    lam, mu = 2250.0, 180.0
    assert qm["replicas"].iloc[0] == 13  # first c with c·μ > λ (12.5 → 13)
    for row in qm.itertuples():
        c = row.replicas
        a = lam / mu
        top = a**c / math.factorial(c) * c / (c - a)
        pc = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
        wait_ms = 1e3 * max(0.0, math.log(pc / 0.05) / (c * mu - lam))
        assert row.wait_quantile_ms == pytest.approx(wait_ms, rel=1e-9, abs=1e-12)
        assert row.latency_margin_ms == pytest.approx(25 - wait_ms, rel=1e-9)

    mc = pd.read_csv(out / "monte_carlo.csv").set_index("metric")["value"]
    assert abs(mc["monte_carlo"] - math.prod(1 - p for p in P)) < 4 * mc["standard_error"]

    sens = pd.read_csv(out / "sensitivity.csv")
    lens = sens[sens["kind"] == "lens"]
    np.testing.assert_allclose(lens["delta_lens_mean"], 0.1 / 7, atol=1e-12)
    assert (out / "readiness_dashboard.png").stat().st_size > 20_000
