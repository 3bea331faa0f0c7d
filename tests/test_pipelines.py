"""Tests of infra_lab.pipelines: DAG checks, critical path method, reliability, impact, lineage."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.article import LIFECYCLE_STAGES, pipeline_edges, pipeline_tasks
import warnings

from infra_lab import pipelines
from infra_lab.pipelines import (
    CriticalPath,
    PipelineSimulation,
    build_dag,
    critical_path,
    downstream_impact,
    example_branching_pipeline,
    lifecycle_graph,
    pipeline_reliability,
    plot_dag,
    plot_gantt,
    simulate_pipeline_runs,
    success_rate_standard_error,
    total_duration_minutes,
    upstream_lineage,
)


def tasks_of(durations: dict, p: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"task": list(durations), "duration_minutes": list(durations.values()),
                         "failure_probability": p})


def activity_on_arrow(activities: dict) -> tuple[pd.DataFrame, list]:
    """Turn an activity-on-arrow network {"i-j": time} into tasks and precedence edges.

    Activity i→j must finish before every activity that leaves event j starts; that is the
    precedence the textbook's arrow diagram encodes.
    """
    tails = {a: a.split("-")[0] for a in activities}
    heads = {a: a.split("-")[1] for a in activities}
    edges = [(a, b) for a in activities for b in activities if heads[a] == tails[b]]
    return tasks_of(activities), edges


# --- published CPM examples --------------------------------------------------------------------
# Taylor, B. W., *Introduction to Management Science*, 12th ed. (Pearson, 2016), Instructor's
# Solutions Manual, Chapter Eight "Project Management", problems 5 and 6 ("Network, earliest and
# latest event times, slack"): the printed tables "Activity Time ES EF LS LF Slack" and the
# critical paths below. Columns: (time, ES, EF, LS, LF, slack).
TAYLOR_P5 = {
    "1-2": (7, 0, 7, 2, 9, 2),
    "1-3": (10, 0, 10, 0, 10, 0),
    "2-4": (6, 7, 13, 9, 15, 2),
    "3-4": (5, 10, 15, 10, 15, 0),
    "3-5": (4, 10, 14, 14, 18, 4),
    "4-5": (3, 15, 18, 15, 18, 0),
    "5-6": (2, 18, 20, 18, 20, 0),
}
TAYLOR_P6 = {
    "1-2": (8, 0, 8, 1, 9, 1),
    "1-3": (10, 0, 10, 0, 10, 0),
    "1-4": (9, 0, 9, 6, 15, 6),
    "2-5": (6, 8, 14, 9, 15, 1),
    "2-6": (4, 8, 12, 16, 20, 8),
    "3-5": (5, 10, 15, 10, 15, 0),
    "4-5": (0, 9, 9, 15, 15, 6),  # a dummy activity of zero time
    "4-7": (7, 9, 16, 20, 27, 11),
    "5-7": (12, 15, 27, 15, 27, 0),
    "5-8": (15, 15, 30, 16, 31, 1),
    "6-9": (18, 12, 30, 20, 38, 8),
    "7-8": (4, 27, 31, 27, 31, 0),
    "8-9": (7, 31, 38, 31, 38, 0),
}


@pytest.mark.parametrize("table, path, duration", [
    (TAYLOR_P5, ["1-3", "3-4", "4-5", "5-6"], 20),            # printed: critical path 1–3–4–5–6
    (TAYLOR_P6, ["1-3", "3-5", "5-7", "7-8", "8-9"], 38),     # printed: critical path 1–3–5–7–8–9
], ids=["taylor_ch8_problem5", "taylor_ch8_problem6"])
def test_critical_path_reproduces_taylors_printed_cpm_tables(table, path, duration):
    tasks, edges = activity_on_arrow({a: row[0] for a, row in table.items()})
    cp = critical_path(build_dag(tasks, edges))
    assert cp.path == path
    assert cp.duration_minutes == duration
    got = cp.schedule.set_index("task")
    for activity, (time, es, ef, ls, lf, slack) in table.items():
        row = got.loc[activity]
        assert (row["duration"], row["earliest_start"], row["earliest_finish"], row["latest_start"],
                row["latest_finish"], row["slack"]) == (time, es, ef, ls, lf, slack), activity
    # "The critical path activities have no slack."
    assert set(got.index[got["critical"]]) == set(path)


# --- the article's example pipeline ------------------------------------------------------------

def test_articles_pipeline_total_duration_is_203_minutes():
    # The article's example pipeline table: total duration 203 minutes.
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    assert total_duration_minutes(dag) == 203
    assert total_duration_minutes(pipeline_tasks()) == 203


def test_articles_pipeline_reliability_is_the_product_not_one_minus_the_sum():
    # The article's example pipeline table: reliability ≈ 0.7516 = Π(1 − p_i); 1 − Σp = 0.72 is wrong.
    p = pipeline_tasks()["failure_probability"]
    r = pipeline_reliability(p)
    assert round(r, 4) == 0.7516
    assert isinstance(r, float)
    assert abs(r - (1 - p.sum())) > 0.03


def test_articles_chain_has_every_task_critical_with_zero_slack():
    # The article's pipeline is a chain (pipeline_edges): the only path is the critical path,
    # so its length equals the total duration (203 minutes) and no task has slack.
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    cp = critical_path(dag)
    assert cp.path == pipeline_tasks()["task"].tolist()
    assert cp.duration_minutes == 203
    assert (cp.schedule["slack"] == 0).all() and cp.schedule["critical"].all()
    assert cp.schedule["earliest_start"].tolist() == [0, 18, 25, 49, 65, 160, 180, 186, 198]


def test_articles_chain_failure_impact_and_lineage_follow_table_order():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    order = pipeline_tasks()["task"].tolist()
    assert downstream_impact(dag, "train_model") == order[5:]
    assert upstream_lineage(dag, "train_model") == order[:4]
    assert downstream_impact(dag, "monitor_predictions") == []


def test_build_dag_carries_the_table_as_node_attributes():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    assert list(dag.nodes) == pipeline_tasks()["task"].tolist()
    assert [d["governance_gate"] for _, d in dag.nodes(data=True)] == pipeline_tasks()["governance_gate"].tolist()
    no_gate = build_dag(pipeline_tasks().drop(columns="governance_gate"), list(zip(*pipeline_edges().T.values)))
    assert not any(d["governance_gate"] for _, d in no_gate.nodes(data=True))


# --- retries ------------------------------------------------------------------------------------

def test_retries_follow_one_minus_p_to_the_r_plus_one():
    # FORMULAS.md (reliability): with r retries a task succeeds with 1 − p^(r+1).
    assert pipeline_reliability([0.1], retries=2) == pytest.approx(1 - 0.1 ** 3)
    assert pipeline_reliability([0.5, 0.2], retries=[1, 0]) == pytest.approx((1 - 0.25) * (1 - 0.2))
    sweep = pipeline_reliability([0.5, 0.5], retries=np.arange(3)[:, None])
    np.testing.assert_allclose(sweep, [(1 - 0.5) ** 2, (1 - 0.25) ** 2, (1 - 0.125) ** 2])


def test_reliability_broadcasts_over_scenarios_on_the_last_axis():
    p = np.array([[0.1, 0.2], [0.0, 0.0]])
    np.testing.assert_allclose(pipeline_reliability(p), [0.9 * 0.8, 1.0])


# --- Monte Carlo --------------------------------------------------------------------------------

def test_simulation_reports_the_first_failing_task_in_topological_order():
    tasks = tasks_of({"a": 1, "b": 1, "c": 1})
    tasks["failure_probability"] = [0.0, 1.0, 1.0]  # b always fails; c would too, but b blocks it
    sim = simulate_pipeline_runs(build_dag(tasks, [("a", "b"), ("b", "c")]), n_runs=50, seed=0)
    assert not sim.success.any() and sim.success_rate == 0
    assert set(sim.failed_task) == {"b"}
    ok = simulate_pipeline_runs(build_dag(tasks_of({"a": 1, "b": 1}), [("a", "b")]), n_runs=50, seed=0)
    assert ok.success.all() and set(ok.failed_task) == {None} and ok.standard_error == 0


def test_simulation_is_reproducible_with_a_seed():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    a = simulate_pipeline_runs(dag, n_runs=500, seed=7)
    b = simulate_pipeline_runs(dag, n_runs=500, seed=7)
    assert (a.success == b.success).all() and (a.failed_task == b.failed_task).all()


@settings(max_examples=20, deadline=None)
@given(p=st.lists(st.floats(0, 0.3), min_size=1, max_size=8), retries=st.integers(0, 2),
       seed=st.integers(0, 2**31))
def test_monte_carlo_converges_to_the_analytic_reliability(p, retries, seed):
    tasks = pd.DataFrame({"task": [f"t{i}" for i in range(len(p))], "duration_minutes": 1.0,
                          "failure_probability": p})
    edges = [(f"t{i}", f"t{i + 1}") for i in range(len(p) - 1)]
    sim = simulate_pipeline_runs(build_dag(tasks, edges), n_runs=20_000, seed=seed, retries=retries)
    exact = pipeline_reliability(p, retries=retries)
    se = math.sqrt(exact * (1 - exact) / sim.n_runs)
    assert abs(sim.success_rate - exact) <= 5 * se + 1e-12


def test_monte_carlo_on_the_branching_example_matches_with_per_task_retries():
    tasks, edges = example_branching_pipeline()
    dag = build_dag(tasks, edges)
    retries = np.where(tasks["task"].str.startswith("ingest"), 2, 0)  # retry flaky ingestion only
    sim = simulate_pipeline_runs(dag, n_runs=40_000, seed=3, retries=retries)
    exact = pipeline_reliability(tasks["failure_probability"], retries=retries)
    assert abs(sim.success_rate - exact) <= 5 * sim.standard_error


def test_every_field_of_the_simulation_result_is_what_it_says():
    # The article's chain: the first failing task of a failed run is the one whose failure
    # stops it; its share of runs is p_k · Π_{i<k}(1 − p_i), computed here by hand.
    tasks = pipeline_tasks()
    dag = build_dag(tasks, pipeline_edges())
    n = 40_000
    sim = simulate_pipeline_runs(dag, n_runs=n, seed=5)
    assert isinstance(sim, PipelineSimulation)
    success, failed_task, success_rate, standard_error, n_runs, order = sim  # unpacks in field order
    assert n_runs == n and success.shape == (n,) and success.dtype == bool
    assert order == tasks["task"].tolist()  # a chain's only topological order
    assert success_rate == success.sum() / n
    exact = 0.75157  # the article's Π(1 − p) = 0.7516, to five decimals
    assert standard_error == pytest.approx(math.sqrt(exact * (1 - exact) / n), rel=0.01)
    assert abs(success_rate - exact) < 5 * standard_error
    assert all(f is None for f in failed_task[success]) and all(f in order for f in failed_task[~success])
    survive, expected_share = 1.0, {}
    for name, p in zip(tasks["task"], tasks["failure_probability"]):
        expected_share[name] = survive * p
        survive *= 1 - p
    counts = sim.failure_counts()
    for name, share in expected_share.items():
        assert abs(counts[name] / n - share) < 5 * math.sqrt(share * (1 - share) / n) + 1e-12, name


def test_the_simulation_refuses_more_draws_than_fit_in_memory():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    with pytest.raises(ValueError, match="n_runs=10000000 .* pool the results"):
        simulate_pipeline_runs(dag, n_runs=10_000_000, retries=1)
    with pytest.raises(ValueError, match="retries"):
        simulate_pipeline_runs(dag, n_runs=10, retries=[1, 2])


def test_standard_error_is_the_binomial_proportions():
    # Oracle: scipy.stats.binom — the standard deviation of the success count over n, an
    # independent implementation of sd(X/n) for X ~ Binomial(n, R).
    from scipy.stats import binom

    for r, n in [(0.5, 100), (0.7516, 20_000), (0.99, 7), (0.0, 50), (1.0, 3)]:
        assert success_rate_standard_error(r, n) == pytest.approx(binom.std(n, r) / n, abs=1e-15)
    np.testing.assert_allclose(success_rate_standard_error(0.5, np.array([1, 4, 100])), [0.5, 0.25, 0.05])
    with pytest.raises(ValueError, match="success_rate"):
        success_rate_standard_error(1.5, 10)
    with pytest.raises(ValueError, match="n_runs"):
        success_rate_standard_error(0.5, 0)


# --- laws ---------------------------------------------------------------------------------------

@given(p=st.lists(st.floats(0, 1), min_size=1, max_size=10), i=st.integers(0, 9),
       bump=st.floats(0.001, 1), retries=st.integers(0, 3))
def test_reliability_falls_as_any_failure_probability_rises(p, i, bump, retries):
    i %= len(p)
    higher = list(p)
    higher[i] = min(1.0, p[i] + bump)
    assert pipeline_reliability(higher, retries) <= pipeline_reliability(p, retries)
    assert 0 <= pipeline_reliability(p, retries) <= 1


@st.composite
def random_dags(draw):
    n = draw(st.integers(1, 25))
    durations = draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=3 * n))
    edges = sorted({(min(a, b), max(a, b)) for a, b in pairs if a != b})  # lower → higher: acyclic
    # Shuffle the node order so that node order and topological order differ.
    perm = draw(st.permutations(range(n)))
    tasks = pd.DataFrame({"task": [f"n{k}" for k in perm], "duration_minutes": [durations[k] for k in perm],
                          "failure_probability": 0.01})
    return build_dag(tasks, [(f"n{a}", f"n{b}") for a, b in edges])


@settings(max_examples=150, deadline=None)
@given(dag=random_dags())
def test_critical_path_agrees_with_networkx_longest_path(dag):
    # Oracle: networkx.dag_longest_path_length, an independent implementation. Node durations
    # go onto edges the standard way: each edge u→v weighs t_u, plus an edge from every task to
    # a "finish" node weighing that task's duration.
    g = nx.DiGraph()
    g.add_weighted_edges_from((u, v, dag.nodes[u]["duration_minutes"]) for u, v in dag.edges)
    g.add_weighted_edges_from((u, "__finish__", d) for u, d in dag.nodes(data="duration_minutes"))
    cp = critical_path(dag)
    assert cp.duration_minutes == nx.dag_longest_path_length(g, weight="weight")


@settings(max_examples=150, deadline=None)
@given(dag=random_dags())
def test_critical_path_laws(dag):
    cp = critical_path(dag)
    s = cp.schedule.set_index("task")
    durations = s["duration"]
    # Bounds: no shorter than any single task, no longer than running every task in sequence.
    assert durations.max() <= cp.duration_minutes <= total_duration_minutes(dag)
    assert (s["slack"] >= 0).all()
    assert (s["earliest_finish"] == s["earliest_start"] + durations).all()
    assert (s["latest_finish"] <= cp.duration_minutes).all()
    # The returned path is a real path from a source to a sink whose durations add up.
    assert all(dag.has_edge(u, v) for u, v in zip(cp.path[:-1], cp.path[1:]))
    assert dag.in_degree(cp.path[0]) == 0 and dag.out_degree(cp.path[-1]) == 0
    assert sum(durations[u] for u in cp.path) == cp.duration_minutes
    assert (s.loc[cp.path, "slack"] == 0).all()
    # Precedence holds in the earliest and in the latest schedule.
    for u, v in dag.edges:
        assert s.at[u, "earliest_finish"] <= s.at[v, "earliest_start"]
        assert s.at[u, "latest_finish"] <= s.at[v, "latest_start"]


def test_critical_path_of_a_large_random_dag_matches_networkx():
    rng = np.random.default_rng(0)
    n = 3000
    src = np.repeat(np.arange(n - 1), 3)
    dst = src + 1 + (rng.random(src.size) * (n - 1 - src)).astype(int)
    g = nx.DiGraph()
    g.add_nodes_from((i, {"duration_minutes": float(d)}) for i, d in enumerate(rng.integers(1, 60, n)))
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    oracle = g.copy()
    for u, v in oracle.edges:
        oracle.edges[u, v]["w"] = g.nodes[u]["duration_minutes"]
    for u in g.nodes:
        oracle.add_edge(u, "end", w=g.nodes[u]["duration_minutes"])
    assert critical_path(g).duration_minutes == nx.dag_longest_path_length(oracle, weight="w")


def test_branching_example_has_slack_off_the_critical_path():
    tasks, edges = example_branching_pipeline()
    dag = build_dag(tasks, edges)
    cp = critical_path(dag)
    assert cp.duration_minutes < total_duration_minutes(dag)  # parallel branches save wall-clock time
    assert (cp.schedule["slack"] > 0).sum() >= 3
    assert "train_model" in cp.path and "ingest_events" in cp.path
    assert set(downstream_impact(dag, "ingest_crm")) >= {"build_crm_features", "bias_audit", "train_model"}
    assert set(upstream_lineage(dag, "bias_audit")) >= {"ingest_crm", "ingest_events", "ingest_labels"}


# --- the lifecycle ------------------------------------------------------------------------------

def test_lifecycle_graph_is_the_articles_stages_with_one_feedback_loop():
    g = lifecycle_graph()
    assert list(g.nodes) == list(LIFECYCLE_STAGES)
    assert g.edges["Feedback", "Data"]["feedback"] is True
    assert not nx.is_directed_acyclic_graph(g)  # the lifecycle loops across runs
    one_run = g.copy()
    one_run.remove_edges_from([(u, v) for u, v, f in g.edges(data="feedback") if f])
    assert nx.is_directed_acyclic_graph(one_run) and nx.dag_longest_path(one_run) == list(LIFECYCLE_STAGES)


def test_plots_return_axes_and_handle_the_lifecycle_loop():
    import matplotlib.pyplot as plt

    ax = plot_dag(lifecycle_graph())
    assert ax.get_title()
    tasks, edges = example_branching_pipeline()
    cp = critical_path(build_dag(tasks, edges))
    assert plot_dag(build_dag(tasks, edges), highlight=cp).get_xlabel()
    gantt = plot_gantt(cp.schedule)
    assert gantt.get_xlabel() == "time (minutes)"
    assert isinstance(cp, CriticalPath)
    plt.close("all")


# --- bad input ----------------------------------------------------------------------------------

def test_a_cycle_is_refused_and_named():
    with pytest.raises(ValueError, match="edges form a cycle: a → b → c → a"):
        build_dag(tasks_of({"a": 1, "b": 1, "c": 1}), [("a", "b"), ("b", "c"), ("c", "a")])
    with pytest.raises(ValueError, match="edges form a cycle: a → a"):
        build_dag(tasks_of({"a": 1}), [("a", "a")])
    with pytest.raises(ValueError, match="edges form a cycle"):
        critical_path(_cyclic_with_durations())


def _cyclic_with_durations():
    g = nx.DiGraph()
    g.add_nodes_from(["x", "y"], duration_minutes=1.0)
    g.add_edges_from([("x", "y"), ("y", "x")])
    return g


def test_unknown_edge_endpoints_are_named():
    with pytest.raises(ValueError, match=r"edges=\['ghost'\].*not in the task table"):
        build_dag(tasks_of({"a": 1, "b": 1}), [("a", "b"), ("b", "ghost")])


def test_duplicate_task_names_are_refused():
    tasks = pd.DataFrame({"task": ["a", "a"], "duration_minutes": [1, 2], "failure_probability": [0, 0]})
    with pytest.raises(ValueError, match=r"tasks\['task'\]=\['a'\].*unique"):
        build_dag(tasks, [])


def test_negative_durations_are_refused():
    with pytest.raises(ValueError, match=r"tasks\['duration_minutes'\]=\{'b': -5.0\}: must be ≥ 0 minutes"):
        build_dag(tasks_of({"a": 1, "b": -5}), [("a", "b")])


@pytest.mark.parametrize("p", [-0.1, 1.5])
def test_probabilities_outside_0_1_are_refused(p):
    tasks = tasks_of({"a": 1, "b": 1})
    tasks.loc[1, "failure_probability"] = p
    with pytest.raises(ValueError, match=r"tasks\['failure_probability'\]=\{'b': .*\}: must be in \[0, 1\]"):
        build_dag(tasks, [])
    with pytest.raises(ValueError, match="failure_probabilities"):
        pipeline_reliability([0.1, p])


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"tasks is missing column\(s\) \['failure_probability'\]"):
        build_dag(pd.DataFrame({"task": ["a"], "duration_minutes": [1]}), [])
    # Issue 11: when neither the article's columns nor upstream/downstream are there, say which are expected.
    with pytest.raises(ValueError, match="expected 'source' and 'target' .* or 'upstream' and 'downstream'"):
        build_dag(tasks_of({"a": 1}), pd.DataFrame({"from": [], "to": []}))


@pytest.mark.parametrize("retries, error", [(-1, ValueError), (1.5, ValueError), (True, TypeError), ("1", TypeError)])
def test_bad_retries_are_refused(retries, error):
    with pytest.raises(error, match="retries"):
        pipeline_reliability([0.1], retries=retries)


def test_retries_that_do_not_fit_the_tasks_are_refused():
    with pytest.raises(ValueError, match="retries has shape"):
        pipeline_reliability([0.1, 0.2, 0.3], retries=[1, 2])


def test_unknown_task_lists_the_valid_ones():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    with pytest.raises(ValueError, match=r"task='train'.*valid tasks are \['ingest_raw_data'"):
        downstream_impact(dag, "train")
    with pytest.raises(ValueError, match="task='x'"):
        upstream_lineage(dag, "x")


def test_simulation_refuses_bad_run_counts_and_retry_shapes():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    with pytest.raises(ValueError, match="n_runs"):
        simulate_pipeline_runs(dag, n_runs=0, seed=1)
    with pytest.raises(ValueError, match="retries"):
        simulate_pipeline_runs(dag, n_runs=10, seed=1, retries=[1, 2])


def test_critical_path_needs_durations():
    g = nx.DiGraph([("a", "b")])
    with pytest.raises(ValueError, match="dag: task.*'a': None.*every task needs duration_minutes"):
        critical_path(g)


# --- issue 11: the article's edge table as it is; the contract's names ------------------------

def test_build_dag_accepts_the_articles_source_target_table_upstream_downstream_and_pairs():
    tasks = pipeline_tasks()
    names = tasks["task"].tolist()
    pairs = list(zip(names, names[1:]))
    article_table = pd.DataFrame(pairs, columns=["source", "target"])
    old_table = pd.DataFrame(pairs, columns=["upstream", "downstream"])
    for edges in (article_table, old_table, pairs, np.array(pairs, dtype=object)):
        dag = build_dag(tasks, edges)
        assert list(dag.edges) == pairs
    assert list(build_dag(tasks, pipeline_edges()).edges) == pairs


def test_a_governance_gate_that_is_not_a_boolean_is_refused():
    tasks = pipeline_tasks().astype({"governance_gate": object})
    tasks.loc[0, "governance_gate"] = "no"  # would read as True with astype(bool)
    with pytest.raises(ValueError, match="governance_gate.*row 0"):
        build_dag(tasks, pipeline_edges())


def test_missing_values_in_the_task_table_are_refused_with_their_row():
    tasks = pipeline_tasks()
    tasks.loc[4, "duration_minutes"] = None
    with pytest.raises(ValueError, match=r"tasks has 1 missing value\(s\) in column 'duration_minutes' \(first at row index 4\)"):
        build_dag(tasks, pipeline_edges())


def test_impact_and_lineage_agree_with_networkx_on_the_branching_example():
    tasks, edges = example_branching_pipeline()
    dag = build_dag(tasks, edges)
    oracle = nx.DiGraph(list(edges.itertuples(index=False)))
    for task in tasks["task"]:
        assert set(downstream_impact(dag, task)) == nx.descendants(oracle, task)
        assert set(upstream_lineage(dag, task)) == nx.ancestors(oracle, task)
    lineage = upstream_lineage(dag, "join_training_set")
    assert len(lineage) == 8  # three ingestion branches of the course's example
    position = {u: i for i, u in enumerate(lineage)}
    assert all(position[u] < position[v] for u, v in oracle.edges if u in position and v in position)


def test_critical_path_unpacks_and_names_its_unit():
    cp = critical_path(build_dag(pipeline_tasks(), pipeline_edges()))
    path, minutes, schedule = cp
    assert minutes == 203 and len(path) == 9 and len(schedule) == 9


def test_old_names_are_deprecated_aliases_not_listed_in_all():
    dag = build_dag(pipeline_tasks(), pipeline_edges())
    with pytest.warns(DeprecationWarning, match="total_duration_minutes"):
        assert pipelines.total_duration(dag) == 203
    with pytest.warns(DeprecationWarning, match="duration_minutes"):
        assert critical_path(dag).duration == 203
    assert pipelines.SimulationResult is PipelineSimulation
    assert "total_duration" not in pipelines.__all__ and "SimulationResult" not in pipelines.__all__
    from infra_lab.pipelines import plot_dag as old_plot, example_branching_pipeline as old_example
    from infra_lab import article, plots
    assert old_plot is plots.plot_dag and old_example is article.example_branching_pipeline


@pytest.mark.parametrize("call, name", [
    (lambda: pipeline_reliability([]), "failure_probabilities"),
    (lambda: pipeline_reliability([0.1], retries=2**70), "retries"),
    (lambda: success_rate_standard_error(0.5, 2.5), "n_runs"),
    (lambda: total_duration_minutes([]), "dag_or_tasks"),
    (lambda: total_duration_minutes([1e308, 1e308]), "result"),
    (lambda: critical_path(nx.DiGraph()), "dag"),
    (lambda: simulate_pipeline_runs(build_dag(pipeline_tasks(), pipeline_edges()), n_runs=True), "n_runs"),
    (lambda: simulate_pipeline_runs(build_dag(pipeline_tasks(), pipeline_edges()), n_runs=10, seed=-1), "seed"),
    (lambda: downstream_impact(build_dag(pipeline_tasks(), pipeline_edges()), ["x"]), "task"),
])
def test_holes_found_by_the_contract_issue_are_closed(call, name):
    with pytest.raises((ValueError, TypeError), match=name):
        call()


# ------------------------------------------------------------------ operations (issue 12)
def test_freshness_of_batch_microbatch_and_streaming_by_simulation():
    # Independent check: records arrive every 0.01 minutes; each is published by the first run
    # starting at or after its arrival, processing minutes later. Ages read off directly.
    from infra_lab.pipelines import pipeline_freshness

    for interval, proc in [(60.0, 20.0), (5.0, 2.0), (1440.0, 90.0)]:
        arrivals = np.arange(0.0, 10 * interval, 0.01) + 1e-9
        starts = np.ceil(arrivals / interval) * interval
        ages = starts + proc - arrivals
        f = pipeline_freshness(interval, proc)
        assert f.worst_minutes == pytest.approx(ages.max(), abs=0.02)
        assert f.mean_minutes == pytest.approx(ages.mean(), abs=0.01)  # the 0.01-minute grid
    # streaming: no interval, only the processing latency
    assert tuple(pipeline_freshness(0, 0.5)) == (0.5, 0.5)


def test_backfill_duration_counts_waves_like_a_scheduler_would():
    from infra_lab.pipelines import backfill_duration

    # Independent: a greedy scheduler with c slots and equal runs.
    for n, c in [(90, 8), (365, 16), (7, 10), (0, 3), (64, 8)]:
        finish, slots = 0.0, [0.0] * c
        for _ in range(n):
            i = min(range(c), key=slots.__getitem__)
            slots[i] += 231.0
            finish = max(finish, slots[i])
        assert backfill_duration(n, 231.0, c).duration_minutes == pytest.approx(finish)
    with pytest.raises(ValueError, match="max_active_runs"):
        backfill_duration(90, 231.0, 0)
