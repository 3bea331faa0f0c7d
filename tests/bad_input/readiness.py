"""Bad-input cases for infra_lab.readiness (layers, lens, risk, memo)."""

import numpy as np
import pandas as pd

from contract_matrix import Call, Count, Custom, Flag, Frame, Prob, Text, WRONG_TYPE
from infra_lab.article import infrastructure_components, readiness_table

R = "infra_lab.readiness."
NAN, INF = float("nan"), float("inf")
PROFILE = [0.8, 0.9, 0.7, 0.85, 0.6, 0.75]
LAYER_DICT = {"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85, "Reliability": 0.6, "Governance": 0.75}


def _scores_bad():
    return [("empty", []), ("wrong-length", PROFILE[:5]), ("nan-inside", [NAN] + PROFILE[1:]),
            ("inf-inside", [INF] + PROFILE[1:]), ("above", [1.5] + PROFILE[1:]), ("below", [-0.1] + PROFILE[1:]),
            ("numeric-string", "8"), ("bool", True), ("none", None), ("wrong-type", WRONG_TYPE),
            ("bool-inside", [True] + PROFILE[1:]),
            ("mapping-unknown-layer", {**LAYER_DICT, "Security": 0.5}),
            ("mapping-missing-layer", {k: v for k, v in LAYER_DICT.items() if k != "Data"}),
            ("mapping-string-value", {**LAYER_DICT, "Data": "0.8"}),
            ("mapping-nan-value", {**LAYER_DICT, "Data": NAN})]


def _weights_bad():
    return [("wrong-length", [1, 1, 1, 1, 1]), ("negative", [-1, 1, 1, 1, 1, 1]), ("all-zero", [0] * 6),
            ("nan-inside", [NAN, 1, 1, 1, 1, 1]), ("inf-inside", [INF, 1, 1, 1, 1, 1]),
            ("numeric-string", "8"), ("bool", True), ("wrong-type", WRONG_TYPE),
            ("mapping-unknown-layer", {**LAYER_DICT, "Security": 1}),
            ("mapping-missing-layer", {"Data": 1})]


def _table_with(col, value):
    t = readiness_table()
    t[col] = t[col].astype(object)
    t.loc[1, col] = value
    return t


DEBT = pd.DataFrame({"item": ["a", "b", "c"], "technical_debt": [0.5, 0.7, 0.2], "criticality": [0.5, 0.5, 0.9]})


def _debt_with(col, value):
    t = DEBT.copy()
    t[col] = t[col].astype(object)
    t.loc[1, col] = value
    return t


_DEBT_VALUES = [("debt-above-1", _debt_with("technical_debt", 1.5)), ("debt-string", _debt_with("technical_debt", "0.5")),
                ("criticality-negative", _debt_with("criticality", -0.1)),
                ("criticality-inf", _debt_with("criticality", INF))]

CASES = [
    Call(R + "layers.normalized_weights", weights=Custom([1, 1, 1, 1, 4, 2], bad_values=_weights_bad())),
    Call(R + "layers.readiness_score",
         layer_scores=Custom(PROFILE, bad_values=_scores_bad()),
         weights=Custom(None, bad_values=_weights_bad())),
    Call(R + "layers.deployment_readiness_bound", layer_scores=Custom(LAYER_DICT, bad_values=_scores_bad())),
    Call(R + "lens.readiness_lens",
         scores=Custom(readiness_table(), bad_values=[
             ("six-numbers", PROFILE), ("nan-inside", [NAN] * 7), ("above", [1.5] * 7), ("numeric-string", "8"),
             ("bool", True), ("none", None), ("wrong-type", WRONG_TYPE), ("empty", []),
             ("empty-frame", readiness_table().iloc[:0]), ("missing-score", readiness_table().drop(columns=["score"])),
             ("nan-score", _table_with("score", NAN)), ("string-score", _table_with("score", "0.8")),
             ("score-above-1", _table_with("score", 1.2)), ("unknown-dimension", _table_with("dimension", "cooling")),
             ("duplicate-dimension", _table_with("dimension", "data_pipeline")),
             ("missing-dimension", readiness_table().iloc[:6]),
             ("six-layer-mapping", {"Data": 1, "Compute": 1, "Storage": 1, "Serving": 1, "Reliability": 1,
                                    "Governance": 1})]),
         lowest=Count(3, minimum=1, maximum=7)),
    Call(R + "risk.weighted_risk", technical_debt=Prob(0.42), criticality=Prob(0.88)),
    Call(R + "risk.risk_priority", risk=Prob(0.3)),
    Call(R + "risk.risk_table",
         df=Custom(infrastructure_components(), bad_values=Frame(
             infrastructure_components(), columns=("technical_debt", "criticality"),
             nan_columns=("technical_debt", "criticality")).bad() + [
             (label, v.rename(columns={"item": "component"})) for label, v in _DEBT_VALUES]),
         debt_col=Text("technical_debt"), criticality_col=Text("criticality"), sort=Flag(False)),
    Call(R + "memo.readiness_memo",
         layer_scores=Custom(PROFILE, bad_values=_scores_bad() + [("arrays", [[0.5, 0.6]] * 6)]),
         risks=Custom(DEBT, bad_values=[(label, v) for label, v in Frame(DEBT, columns=("item", "technical_debt", "criticality"),
                                             nan_columns=("item", "technical_debt", "criticality"),
                                             allow_empty=True).bad() + _DEBT_VALUES
                                        if label != "none"]),  # risks=None means "no debt table"
         title=Text("Readiness review"),
         weights=Custom(None, bad_values=_weights_bad()),
         go_threshold=Prob(0.7),
         item_col=Text("item"), debt_col=Text("technical_debt"), criticality_col=Text("criticality"),
         top_risks=Count(5, minimum=1)),
]

NOT_A_FORMULA = {"readiness_memo": "a report: it formats readiness_score, the bound and risk_table"}
