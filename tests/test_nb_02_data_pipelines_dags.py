"""Notebook 02 run with non-default parameters; its CSVs are checked against independent computations."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from infra_lab import datasets
from infra_lab.article import pipeline_tasks
from infra_lab.params import ParameterError, notebook_parameters, validate_overrides
from infra_lab.pipelines import example_branching_pipeline
from infra_lab.syllabus import notebook_path

STEM = "02_data_pipelines_dags"
PARAMS = dict(retries=1, n_runs=5000, seed=11, failed_task="ingest_events", max_retries=2, p_scale=2.0,
              freshness_sla_minutes=10.0, microbatch_interval_minutes=15.0, backfill_days=365, max_active_runs=16)


def reliability(p, r):
    """The published formula, written out here: R = Π(1 − p^(r+1)) (FORMULAS.md, reliability)."""
    return float(np.prod(1 - np.asarray(p, dtype=float) ** (r + 1)))


def test_notebook_with_non_default_parameters_writes_checked_outputs(run_notebook):
    # One run (through the shared run_notebook fixture) checked from several angles below.
    outputs = run_notebook(STEM, **PARAMS)
    check_article_metrics(outputs)
    check_branching_schedule(outputs)
    check_branching_metrics_and_retry_sweep(outputs)
    check_failure_impact(outputs)
    check_cluster_scenarios(outputs)
    check_figures(outputs)
    check_pipeline_types_backfill_and_planner(outputs)


def metric(df, name):
    return float(df.set_index("metric").at[name, "value"])


def check_article_metrics(outputs):
    m = pd.read_csv(outputs / "article_metrics.csv")
    p = pipeline_tasks()["failure_probability"]
    # The article's example pipeline table: 203 minutes in total.
    assert metric(m, "total_duration_minutes") == 203
    # With one retry the reliability is Π(1 − p²), not the article's 0.7516.
    assert metric(m, "pipeline_reliability") == pytest.approx(reliability(p, 1))
    assert metric(m, "one_minus_sum_p") == pytest.approx(1 - p.sum())
    assert metric(m, "retries") == 1


def check_branching_schedule(outputs):
    s = pd.read_csv(outputs / "branching_schedule.csv").set_index("task")
    tasks, edges = example_branching_pipeline()
    assert list(s.index) == tasks["task"].tolist()
    # Oracle for the project duration: networkx's longest path with node durations on edges.
    t = tasks.set_index("task")["duration_minutes"]
    g = nx.DiGraph()
    g.add_weighted_edges_from((u, v, t[u]) for u, v in edges.itertuples(index=False))
    g.add_weighted_edges_from((u, "finish", t[u]) for u in t.index)
    duration = nx.dag_longest_path_length(g)
    assert s["earliest_finish"].max() == duration
    assert (s["slack"] >= 0).all() and (s["slack"] > 0).any()
    assert (s["earliest_finish"] == s["earliest_start"] + s["duration"]).all()
    for u, v in edges.itertuples(index=False):  # precedence in both schedules
        assert s.at[u, "earliest_finish"] <= s.at[v, "earliest_start"]
        assert s.at[u, "latest_finish"] <= s.at[v, "latest_start"]
    critical = s.index[s["slack"] == 0]
    assert s.loc[critical, "duration"].sum() >= duration  # a zero-slack chain spans the run


def check_branching_metrics_and_retry_sweep(outputs):
    m = pd.read_csv(outputs / "branching_metrics.csv")
    p = example_branching_pipeline()[0]["failure_probability"]
    exact = reliability(p, 1)
    assert metric(m, "analytic_reliability") == pytest.approx(exact)
    assert (metric(m, "n_runs"), metric(m, "retries"), metric(m, "seed")) == (5000, 1, 11)
    se = np.sqrt(exact * (1 - exact) / 5000)
    assert abs(metric(m, "mc_success_rate") - exact) < 5 * se
    sweep = pd.read_csv(outputs / "retries_sweep.csv")
    assert sweep["retries"].tolist() == [0, 1, 2]
    np.testing.assert_allclose(sweep["analytic_reliability"], [reliability(p, r) for r in range(3)])
    assert (abs(sweep["mc_success_rate"] - sweep["analytic_reliability"])
            < 5 * np.sqrt(sweep["analytic_reliability"] * (1 - sweep["analytic_reliability"]) / 5000) + 1e-12).all()


def check_failure_impact(outputs):
    impact = pd.read_csv(outputs / "failure_impact.csv")
    tasks, edges = example_branching_pipeline()
    g = nx.DiGraph(list(edges.itertuples(index=False)))
    assert impact.loc[impact["role"] == "failed", "task"].tolist() == ["ingest_events"]
    assert set(impact.loc[impact["role"] == "blocked downstream", "task"]) == nx.descendants(g, "ingest_events")
    assert (impact["role"] != "upstream lineage").all()  # a source has no lineage


def check_cluster_scenarios(outputs):
    rates = pd.read_csv(outputs / "cluster_failure_rates.csv")
    acme = datasets.load_acme_cluster_summary().dropna(subset=["fail_rate_gpu"])
    # Issue 12: the article's own table is a scenario beside the four traces, compared like with like
    # (same retries), and the traces are named for what they are (Philly and Helios are not Acme's).
    assert rates["cluster"].tolist() == ["article's table"] + acme["id"].tolist()
    trace = rates.set_index("cluster")["trace"]
    assert "Acme" in trace["Seren"] and "Philly" in trace["Philly"] and "Acme" not in trace["Helios"]
    tasks = pipeline_tasks()
    for cluster, rate, r0, r2 in rates[["cluster", "fail_rate_gpu", "reliability_no_retry", "reliability_2_retries"]].itertuples(index=False):
        p = tasks["failure_probability"].where(tasks["task"] != "train_model", rate)
        assert r0 == pytest.approx(reliability(p, 0)), cluster
        assert r2 == pytest.approx(reliability(p, 2)), cluster


def check_figures(outputs):
    for name in ["article_dag", "branching_dag", "branching_gantt", "reliability_convergence_and_retries",
                 "failure_impact", "cluster_failure_rates", "pipeline_types_freshness", "backfill", "planner"]:
        assert (outputs / f"{name}.png").stat().st_size > 10_000, name
        assert (outputs / f"{name}.alt.txt").read_text().strip(), name  # alt text beside every figure


def check_pipeline_types_backfill_and_planner(outputs):
    types = pd.read_csv(outputs / "pipeline_types.csv").set_index("pipeline_type")
    # worst-case staleness = interval + processing, written out here; SLA 10 min, micro-batch every 15 min
    assert types.at["micro-batch", "worst_staleness_minutes"] == pytest.approx(15.0 + 2.0)
    assert types["meets_sla"].tolist() == [False, False, False, True]
    bf = pd.read_csv(outputs / "backfill.csv").set_index("max_active_runs")
    run = pd.read_csv(outputs / "branching_metrics.csv").set_index("metric").at["critical_path_minutes", "value"]
    assert bf.at[16, "duration_hours"] == pytest.approx(math.ceil(365 / 16) * run / 60)
    plan = pd.read_csv(outputs / "planner_default.csv").set_index("pipeline")
    p = pipeline_tasks()["failure_probability"]
    assert plan.at["article's pipeline", "reliability"] == pytest.approx(reliability(2.0 * p, 1))


def test_an_unknown_failed_task_is_refused_before_running():
    specs = notebook_parameters(notebook_path(STEM))
    with pytest.raises(ParameterError, match="failed_task='nope'.*one of"):
        validate_overrides(specs, {"failed_task": "nope"}, STEM)


def test_the_planner_recomputes_when_a_slider_moves(tmp_path):
    # Issue 12, item 4: the ipywidgets planner runs headless; moving its sliders recomputes
    # the table through the library. A cell appended to a copy moves them in the kernel.
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook_path(STEM), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "r_slider.value = 2\ns_slider.value = 3.0\nmoved = _replan()\n"
        "assert moved.set_index('pipeline').at[\"article's pipeline\", 'reliability'] == "
        "pipeline_reliability(3.0 * p, retries=2)\nprint('planner ok')"))
    nb.cells[1].source += f"\noutput_dir = {str(tmp_path)!r}"
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebook_path(STEM).parent)}}).execute()
    assert "planner ok" in "".join(o.get("text", "") for o in nb.cells[-1].outputs)
