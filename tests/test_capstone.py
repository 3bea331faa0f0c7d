"""infra_lab.capstone against the article's published numbers and independent arithmetic.

Reference values: the article's Python workflow (203 minutes, reliability ∏(1 − p) ≈ 0.7516,
8 replicas, 180 ms, margin 20 ms, readiness 0.78) and R workflow (mean readiness 0.77, mean
weighted risk 0.289, pipeline reliability 0.752, priorities at 0.35/0.25); Erlang C from the
textbook sum (Gross et al., Fundamentals of Queueing Theory, 4th ed., §2.3).
"""

import math

import numpy as np
import pandas as pd
import pytest

from infra_lab.capstone import (PYTHON_SUMMARY_METRICS, R_SUMMARY_METRICS, deployment_layers, python_workflow,
                                queueing_margin, r_workflow, readiness_sensitivity, summary_sweep, write_workflow)

P = [0.03, 0.02, 0.05, 0.04, 0.06, 0.03, 0.01, 0.02, 0.02]          # the article's failure probabilities
DUR = [18, 7, 24, 16, 95, 20, 6, 12, 5]                              # minutes
SCORES = [0.82, 0.76, 0.80, 0.84, 0.78, 0.74, 0.72]
COMPONENTS = [("data_pipeline", 0.82, 0.28, 0.95), ("feature_store", 0.76, 0.34, 0.90),
              ("training_cluster", 0.78, 0.30, 0.92), ("model_registry", 0.84, 0.20, 0.82),
              ("serving_layer", 0.80, 0.25, 0.94), ("observability", 0.72, 0.42, 0.88),
              ("security_controls", 0.74, 0.36, 0.90), ("governance_controls", 0.70, 0.40, 0.92)]


def test_python_workflow_reproduces_the_articles_summary():
    s = python_workflow().summary
    assert s["metric"].tolist() == list(PYTHON_SUMMARY_METRICS)
    expected = [sum(DUR), math.prod(1 - p for p in P), (26 / 32 + 14 / 16 + 52 / 80 + 9 / 12) / 4, 1 / 4,
                math.ceil(1200 / 150), 45 + 80 + 35 + 20, 200 - 180, sum(SCORES) / 7]
    np.testing.assert_allclose(s["value"], expected, rtol=0, atol=1e-12)
    assert round(s["value"][1], 4) == 0.7516 and round(s["value"][7], 2) == 0.78


def test_python_workflow_files_have_the_articles_names_and_columns():
    t = python_workflow().tables
    assert {k: list(v.columns) for k, v in t.items()} == {
        "python_ai_pipeline_tasks.csv": ["task", "duration_minutes", "failure_probability", "governance_gate"],
        "python_ai_pipeline_edges.csv": ["source", "target"],
        "python_ai_compute_cluster.csv": ["resource", "available_units", "allocated_units", "utilization_target",
                                          "utilization", "over_target"],
        "python_ai_serving_capacity.csv": ["service", "required_qps", "throughput_per_replica", "feature_latency_ms",
                                           "model_latency_ms", "network_latency_ms", "postprocess_latency_ms",
                                           "latency_budget_ms", "required_replicas", "total_latency_ms",
                                           "latency_margin_ms", "meets_latency_budget"],
        "python_ai_infrastructure_readiness.csv": ["dimension", "score"],
        "python_ai_infrastructure_summary.csv": ["metric", "value"],
    }
    assert t["python_ai_compute_cluster.csv"]["over_target"].tolist() == [False, True, False, False]
    assert t["python_ai_pipeline_edges.csv"].shape == (8, 2)
    assert t["python_ai_serving_capacity.csv"].iloc[0, 8:].tolist() == [8, 180.0, 20.0, True]


def test_python_memo_has_the_articles_sections():
    memo = python_workflow().memo
    for heading in ["Key summary metrics", "Compute pools over utilization target", "Serving interpretation",
                    "Lowest readiness dimensions"]:
        assert f"## {heading}" in memo
    assert "- pipeline_reliability: 0.752" in memo and "- infrastructure_readiness_score: 0.780" in memo
    assert "- gpu_pool_b: utilization 0.875, target 0.850" in memo
    assert "8 required replicas, latency margin 20.0 ms" in memo
    lowest = memo.split("## Lowest readiness dimensions")[1].split("##")[0]
    assert [line for line in lowest.splitlines() if line.startswith("- ")] == [
        "- governance_controls: 0.720", "- security_controls: 0.740", "- compute_capacity: 0.760"]


def test_no_pool_over_target_says_none():
    from infra_lab.article import compute_cluster
    cl = compute_cluster().assign(allocated_units=[1, 1, 1, 1])
    memo = python_workflow(cluster=cl).memo
    assert memo.split("## Compute pools over utilization target")[1].split("##")[0].strip() == "None"


def test_r_workflow_reproduces_the_articles_numbers():
    wf = r_workflow()
    assert wf.summary["metric"].tolist() == list(R_SUMMARY_METRICS)
    risks = [d * c for _, _, d, c in COMPONENTS]
    expected = [sum(r for _, r, _, _ in COMPONENTS) / 8, sum(risks) / 8, 203, math.prod(1 - p for p in P),
                8, 180, 20, 1]
    np.testing.assert_allclose(wf.summary["value"], expected, rtol=0, atol=1e-12)
    comp = wf.tables["r_ai_infrastructure_components.csv"]
    assert comp.columns.tolist() == ["component", "readiness_score", "technical_debt", "criticality",
                                     "weighted_risk", "priority"]
    assert comp["component"].tolist() == [c for c, *_ in COMPONENTS]  # R keeps the input order
    assert comp["priority"].tolist() == ["high" if r >= 0.35 else "medium" if r >= 0.25 else "low" for r in risks]
    assert wf.tables["r_ai_pipeline_tasks.csv"].columns.tolist() == ["task", "duration_minutes", "failure_probability"]
    memo = wf.memo
    for line in ["Mean readiness score: 0.77", "Mean weighted risk: 0.289", "Pipeline reliability: 0.752",
                 "Required serving replicas: 8", "Total serving latency: 180 ms", "Latency margin: 20 ms",
                 "Meets latency budget: TRUE"]:
        assert line in memo.splitlines()


def test_written_files_read_back_within_1e_9(tmp_path):
    for wf in (python_workflow(), r_workflow()):
        paths = write_workflow(wf, tmp_path)
        assert [p.name for p in paths] == [*wf.tables, wf.memo_name]
        for name, table in wf.tables.items():
            back = pd.read_csv(tmp_path / name)
            assert back.columns.tolist() == table.columns.tolist()
            for col in table.columns:
                if table[col].dtype.kind in "if":
                    np.testing.assert_allclose(back[col], table[col], rtol=0, atol=1e-9)
                else:
                    assert back[col].tolist() == table[col].tolist()
        assert (tmp_path / wf.memo_name).read_text(encoding="utf-8") == wf.memo


def _sweep_one_at_a_time(scores, q, t, comps, budget):
    # Independent arithmetic, one variant at a time (no library calls).
    return {"serving_required_replicas": math.ceil(q / t), "serving_total_latency_ms": sum(comps),
            "serving_latency_margin_ms": budget - sum(comps), "infrastructure_readiness_score": sum(scores) / 7}


def test_summary_sweep_agrees_with_the_workflow_and_with_one_at_a_time_arithmetic():
    rng = np.random.default_rng(4)
    n = 200
    scores = rng.uniform(0.5, 1.0, (n, 7))
    q = rng.integers(100, 5000, n).astype(float)
    t = rng.integers(50, 400, n).astype(float)
    comps = rng.integers(5, 90, (n, 4)).astype(float)
    budget = rng.integers(100, 400, n).astype(float)
    s = summary_sweep(scores, q, t, comps, budget)
    assert s.columns.tolist() == list(PYTHON_SUMMARY_METRICS)
    for i in range(0, n, 17):
        ref = _sweep_one_at_a_time(scores[i], q[i], t[i], comps[i], budget[i])
        for k, v in ref.items():
            assert s[k][i] == pytest.approx(v, abs=1e-9), k
    default = summary_sweep(SCORES)
    np.testing.assert_allclose(default.iloc[0].to_numpy(float), python_workflow().summary["value"], atol=1e-12)


def test_weakest_layer_bound_is_governance_at_the_articles_scores():
    layers = deployment_layers()
    assert layers["Reliability"] == pytest.approx(math.prod(1 - p for p in P))
    assert min(layers.values()) == 0.72 and min(layers, key=layers.get) == "Governance"


def test_sensitivity_of_the_mean_is_step_over_n():
    t = readiness_sensitivity(step=0.05)
    lens = t[t["kind"] == "lens"]
    np.testing.assert_allclose(lens["delta_lens_mean"], 0.05 / 7, atol=1e-12)
    debt = t[t["kind"] == "technical_debt"].set_index("input")["delta_mean_weighted_risk"]
    crit = {c: k for c, _, _, k in COMPONENTS}
    for c, v in debt.items():  # ∂ mean risk / ∂ debt_i = criticality_i / 8
        assert v == pytest.approx(0.05 * crit[c] / 8, abs=1e-12)


def _erlang_c(a, c):
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def test_queueing_margin_uses_the_mmc_wait_quantile():
    t = queueing_margin(1200, 150, 180, 200, percentile=0.99, extra_replicas=4)
    assert t["replicas"].tolist() == [9, 10, 11, 12, 13]  # 8 replicas run at ρ = 1: never stable
    for row in t.itertuples():
        pc = _erlang_c(8.0, row.replicas)
        wait = max(0.0, math.log(pc / 0.01) / (row.replicas * 150 - 1200)) * 1e3
        assert row.prob_queued == pytest.approx(pc, rel=1e-9)
        assert row.wait_quantile_ms == pytest.approx(wait, rel=1e-9, abs=1e-12)
        assert row.latency_margin_ms == pytest.approx(20 - wait, rel=1e-9)
