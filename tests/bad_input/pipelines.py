"""Bad-input cases for infra_lab.pipelines (dag, reliability, lineage)."""

import networkx as nx
import pandas as pd

from contract_matrix import Call, Count, Custom, Data, Frame, Num, Prob, Seed, Text, WRONG_TYPE
from infra_lab.article import pipeline_edges, pipeline_tasks

P = "infra_lab.pipelines."
TASKS = pipeline_tasks()
EDGES = pipeline_edges()


def _dag():
    from infra_lab.pipelines.dag import build_dag
    return build_dag(TASKS, EDGES)


def _with(attr, value):
    g = _dag()
    g.nodes["train_model"][attr] = value
    return g


def _cyclic():
    g = _dag()
    g.add_edge("monitor_predictions", "ingest_raw_data")
    return g


def _dag_cases(attr):
    """Graphs a function reading node attribute ``attr`` must refuse by the name ``dag``."""
    return [("wrong-type", "graph"), ("none", None), ("undirected", nx.Graph([(1, 2)])),
            ("empty", nx.DiGraph()), ("cycle", _cyclic()), (f"nan-{attr}", _with(attr, float("nan"))),
            (f"negative-{attr}", _with(attr, -1.0)), (f"missing-{attr}", _with(attr, None)),
            (f"string-{attr}", _with(attr, "8")), (f"bool-{attr}", _with(attr, True)),
            (f"inf-{attr}", _with(attr, float("inf")))]


def _tasks_with(col, value):
    t = TASKS.copy()
    t[col] = t[col].astype(object)
    t.loc[2, col] = value
    return t


_DUP = pd.concat([TASKS, TASKS.iloc[:1]], ignore_index=True)

CASES = [
    Call(P + "dag.build_dag",
         tasks=Custom(TASKS, bad_values=Frame(TASKS, columns=("task", "duration_minutes", "failure_probability"),
                                              nan_columns=("task", "duration_minutes", "failure_probability")).bad()
                      + [("negative-duration", _tasks_with("duration_minutes", -1.0)),
                         ("inf-duration", _tasks_with("duration_minutes", float("inf"))),
                         ("string-duration", _tasks_with("duration_minutes", "8")),
                         ("bool-duration", _tasks_with("duration_minutes", True)),
                         ("probability-above-1", _tasks_with("failure_probability", 1.5)),
                         ("gate-not-bool", _tasks_with("governance_gate", "no")),
                         ("duplicate-task", _DUP)]),
         edges=Custom(EDGES, bad_values=[("wrong-type", WRONG_TYPE), ("none", None), ("string", "table"),
                                         ("missing-target", EDGES.drop(columns=["target"])),
                                         ("nan-in-source", EDGES.assign(source=[None] + EDGES["source"].tolist()[1:])),
                                         ("unknown-task", [("ingest_raw_data", "nope")]),
                                         ("not-a-pair", [("a", "b", "c")]),
                                         ("cycle", [("train_model", "ingest_raw_data"), *EDGES.itertuples(index=False)]),
                                         ("unhashable", [(["x"], "train_model")])])),
    Call(P + "dag.total_duration_minutes",
         dag_or_tasks=Custom(TASKS, bad_values=[("wrong-type", WRONG_TYPE), ("none", None), ("empty-list", []),
                                                ("nan-inside", [1.0, float("nan")]), ("negative", [1.0, -2.0]),
                                                ("inf-inside", [1.0, float("inf")]), ("numeric-string", "8"),
                                                ("bool", True), ("empty-frame", TASKS.iloc[:0]),
                                                ("missing-column", TASKS.drop(columns=["duration_minutes"])),
                                                ("empty-graph", nx.DiGraph()),
                                                ("graph-bad-duration", _with("duration_minutes", -1.0)),
                                                ("huge", [1e308, 1e308])])),
    Call(P + "dag.critical_path",
         dag=Custom(_dag(), bad_values=_dag_cases("duration_minutes") + [("huge-durations", _with("duration_minutes", 1e308))]),
         duration_attr=Text("duration_minutes")),
    Call(P + "reliability.pipeline_reliability",
         failure_probabilities=Data([0.03, 0.02, 0.05], low=0.0, high=1.0),
         retries=Count(1)),
    Call(P + "reliability.success_rate_standard_error",
         success_rate=Prob(0.75), n_runs=Count(300, minimum=1)),
    Call(P + "reliability.simulate_pipeline_runs",
         dag=Custom(_dag(), bad_values=_dag_cases("failure_probability") + [("probability-above-1",
                                                                          _with("failure_probability", 1.5))]),
         n_runs=Count(200, minimum=1, huge=True), seed=Seed(1),
         retries=Custom(1, bad_values=Count(1).bad() + [("wrong-length", [1, 2]), ("too-many-draws", 10**7)])),
    Call(P + "lineage.downstream_impact",
         dag=Custom(_dag(), bad_values=[("wrong-type", "graph"), ("none", None), ("empty", nx.DiGraph()),
                                      ("cycle", _cyclic())]),
         task=Custom("register_model", bad_values=[("unknown", "nope"), ("none", None), ("unhashable", ["x"]),
                                                   ("number", 3)])),
    Call(P + "lineage.upstream_lineage",
         dag=Custom(_dag(), bad_values=[("wrong-type", "graph"), ("none", None), ("empty", nx.DiGraph()),
                                      ("cycle", _cyclic())]),
         task=Custom("register_model", bad_values=[("unknown", "nope"), ("none", None), ("unhashable", ["x"]),
                                                   ("number", 3)])),
    Call(P + "operations.pipeline_freshness",
         interval_minutes=Num(60.0, low=0.0), processing_minutes=Num(20.0, low=0.0)),
    Call(P + "operations.backfill_duration",
         partitions=Count(90, minimum=0), run_minutes=Num(231.0, low=0.0, low_open=True),
         max_active_runs=Count(8, minimum=1)),
]
