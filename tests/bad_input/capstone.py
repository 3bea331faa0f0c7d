"""Bad-input cases for infra_lab.capstone (the article's workflows, the sweep and the extensions)."""

import numpy as np
import pandas as pd

from contract_matrix import Call, Count, Custom, Num, Prob, WRONG_TYPE
from infra_lab.article import (compute_cluster, infrastructure_components, pipeline_edges, pipeline_tasks,
                               readiness_table, serving_services)
from infra_lab.capstone import r_workflow

C = "infra_lab.capstone."
NAN, INF = float("nan"), float("inf")
SCORES = [0.82, 0.76, 0.80, 0.84, 0.78, 0.74, 0.72]


def _with(df, col, value):
    t = df.copy()
    t[col] = t[col].astype(object)
    t.loc[t.index[0], col] = value
    return t


def _frame_bad(df, columns, nan_columns=(), extra=()):
    """Bad tables for an optional table parameter (None means the article's default)."""
    out = [("wrong-type", "table"), ("number", 3), ("empty", df.iloc[:0])]
    out += [(f"missing-{c}", df.drop(columns=[c])) for c in columns]
    out += [(f"nan-in-{c}", _with(df, c, NAN)) for c in nan_columns]
    return out + list(extra)


TASKS_BAD = _frame_bad(pipeline_tasks(), ("task", "duration_minutes", "failure_probability"),
                       ("duration_minutes", "failure_probability"),
                       [("negative-duration", _with(pipeline_tasks(), "duration_minutes", -5)),
                        ("probability-above-1", _with(pipeline_tasks(), "failure_probability", 1.5)),
                        ("string-probability", _with(pipeline_tasks(), "failure_probability", "0.1"))])
SERVICES_BAD = _frame_bad(serving_services(), ("service", "required_qps", "latency_budget_ms"),
                          ("required_qps", "network_ms"),
                          [("zero-throughput", _with(serving_services(), "throughput_per_replica", 0)),
                           ("negative-latency", _with(serving_services(), "network_ms", -1))])
READINESS_BAD = _frame_bad(readiness_table(), ("dimension", "score"), ("score",),
                           [("score-above-1", _with(readiness_table(), "score", 1.3)),
                            ("unknown-dimension", _with(readiness_table(), "dimension", "cooling")),
                            ("six-rows", readiness_table().iloc[:6])])
COMPONENTS_BAD = _frame_bad(infrastructure_components(), ("component", "readiness_score", "technical_debt",
                                                          "criticality"),
                            ("readiness_score", "technical_debt", "criticality"),
                            [("debt-above-1", _with(infrastructure_components(), "technical_debt", 1.5)),
                             ("readiness-negative", _with(infrastructure_components(), "readiness_score", -0.1))])

CASES = [
    Call(C + "python_workflow",
         tasks=Custom(None, bad_values=TASKS_BAD),
         edges=Custom(None, bad_values=[("wrong-type", "edges"), ("missing-target", pipeline_edges()[["source"]]),
                                        ("cycle", pd.DataFrame({"source": ["train_model", "evaluate_model"],
                                                                "target": ["evaluate_model", "train_model"]})),
                                        ("unknown-task", pd.DataFrame({"source": ["nowhere"],
                                                                       "target": ["train_model"]}))]),
         cluster=Custom(None, bad_values=_frame_bad(compute_cluster(), ("resource", "available_units"),
                                                    ("allocated_units",),
                                                    [("over-allocated", _with(compute_cluster(), "allocated_units", 99))])),
         services=Custom(None, bad_values=SERVICES_BAD),
         readiness=Custom(None, bad_values=READINESS_BAD)),
    Call(C + "r_workflow",
         components=Custom(None, bad_values=COMPONENTS_BAD),
         tasks=Custom(None, bad_values=TASKS_BAD),
         services=Custom(None, bad_values=SERVICES_BAD)),
    Call(C + "write_workflow",
         workflow=Custom(r_workflow(), bad_values=[("none", None), ("wrong-type", WRONG_TYPE), ("dict", {})]),
         output_dir=Custom("/tmp/infra-lab-capstone-contract", bad_values=[("none", None), ("number", 3),
                                                                         ("bool", True), ("empty", "")])),
    Call(C + "summary_sweep",
         readiness_scores=Custom([SCORES, SCORES], bad_values=[
             ("six", SCORES[:6]), ("nan-inside", [NAN] + SCORES[1:]), ("above", [1.5] + SCORES[1:]),
             ("empty", []), ("none", None), ("bool", True), ("numeric-string", "8"), ("wrong-type", WRONG_TYPE)]),
         required_rps=Num(np.array([1200.0, 2400.0]), low=0),
         throughput_per_replica_rps=Num(150.0, low=0, low_open=True),
         latency_components_ms=Custom([45.0, 80.0, 35.0, 20.0], bad_values=[
             ("three", [45.0, 80.0, 35.0]), ("negative", [-1.0, 80.0, 35.0, 20.0]), ("nan", [NAN, 1, 1, 1]),
             ("inf", [INF, 1, 1, 1]), ("none", None), ("bool", True), ("numeric-string", "8"),
             ("wrong-type", WRONG_TYPE)]),
         latency_budget_ms=Num(200.0, low=0, low_open=True),
         failure_probabilities=Custom(None, bad_values=[("above", [1.5, 0.1]), ("nan", [NAN, 0.1]), ("empty", []),
                                                        ("bool", True), ("numeric-string", "8"),
                                                        ("wrong-type", WRONG_TYPE)]),
         durations_minutes=Custom(None, bad_values=[("negative", [-1.0, 3.0]), ("nan", [NAN, 1.0]), ("empty", []),
                                                    ("inf", [INF, 1.0]), ("bool", True), ("wrong-type", WRONG_TYPE)])),
    Call(C + "deployment_layers",
         readiness=Custom(None, bad_values=READINESS_BAD),
         pipeline_reliability=Prob(0.75, none_ok=True)),
    Call(C + "readiness_sensitivity",
         readiness=Custom(None, bad_values=READINESS_BAD),
         components=Custom(None, bad_values=COMPONENTS_BAD),
         step=Prob(0.05, low_open=True)),
    Call(C + "queueing_margin",
         required_rps=Num(1200.0, low=0, low_open=True),
         throughput_per_replica_rps=Num(150.0, low=0, low_open=True),
         total_latency_ms=Num(180.0, low=0, high=1e12),
         latency_budget_ms=Num(200.0, low=0, low_open=True),
         percentile=Prob(0.99, low_open=True, high_open=True),
         extra_replicas=Count(8, maximum=1000)),
]
