"""Bad-input cases for infra_lab.debt (ML Test Score, hidden dependencies, change impact, feedback loop)."""

import pandas as pd

from contract_matrix import Call, Count, Custom, Num, Seed, Text, WRONG_TYPE

D = "infra_lab.debt."
NAN, INF = float("nan"), float("inf")
POINTS = {"data": [1, 0.5], "model": [1], "infrastructure": [0.5], "monitoring": [0, 1]}
DECLARED = [("raw", "features"), ("features", "model")]
OBSERVED = DECLARED + [("model", "raw")]


def _points_bad():
    return [("wrong-type", WRONG_TYPE), ("none", None), ("list", [1, 0.5]), ("numeric-string", "8"),
            ("missing-section", {k: v for k, v in POINTS.items() if k != "data"}),
            ("unknown-section", {**POINTS, "security": [1]}),
            ("not-a-point", {**POINTS, "data": [0.7]}), ("above", {**POINTS, "data": [2]}),
            ("nan-inside", {**POINTS, "data": [NAN]}), ("bool-inside", {**POINTS, "data": [True]}),
            ("string-inside", {**POINTS, "data": ["1"]}), ("string-section", {**POINTS, "data": "1"}),
            ("scalar-section", {**POINTS, "data": 1})]


def _edges_bad():
    return [("wrong-type", WRONG_TYPE), ("none", None), ("string", "raw->features"),
            ("missing-column", pd.DataFrame({"upstream": ["a"], "target": ["b"]})),
            ("missing-value", pd.DataFrame({"source": ["a", None], "target": ["b", "c"]})),
            ("not-a-pair", [("a", "b", "c")]), ("non-string-node", [("a", 3)]), ("empty-node", [("a", "")])]


CASES = [
    Call(D + "ml_test_score", points=Custom(POINTS, bad_values=_points_bad())),
    Call(D + "hidden_dependencies", declared_edges=Custom(DECLARED, bad_values=_edges_bad()),
         observed_edges=Custom(OBSERVED, bad_values=_edges_bad())),
    Call(D + "change_impact", declared_edges=Custom(DECLARED, bad_values=_edges_bad()),
         observed_edges=Custom(OBSERVED, bad_values=_edges_bad()), changed=Text("features")),
    Call(D + "simulate_feedback_loop", rounds=Count(5, minimum=1, maximum=500),
         feedback_strength=Num(0.5, low=0.0, high=2.0), true_slope=Num(1.0, low=-1e6, high=1e6),
         samples_per_round=Count(50, minimum=2, maximum=1_000_000),
         noise_sd=Num(0.5, low=0.0, high=1e6), seed=Seed(3)),
]
EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
