"""Bad-input matrix for infra_lab.quality (contracts, validation, statistics, drift, leakage).

Every parameter of every public function is described by its kind; tests/contract_matrix.py
generates the bad values. Drift statistics refuse NaN inside samples (drop missing values
first); drift_report drops them per column, as Evidently does, so its frames list no
``nan_columns``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from contract_matrix import WRONG_TYPE, Call, Custom, Data, Flag, Frame, Num, Option, Prob, Text

ROOT = Path(__file__).resolve().parents[2]
Q = "infra_lab.quality."

# ------------------------------------------------------------------ shared inputs
REF = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]
CUR = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 9.0]
_BINS_BAD = [("zero", 0), ("one", 1), ("negative", -3), ("fraction", 2.5), ("bool", True), ("numeric-string", "8"),
             ("nan", float("nan")), ("inf", float("inf")), ("none", None), ("wrong-type", WRONG_TYPE),
             ("too-many", 10**9), ("edges-one", [1.0]), ("edges-not-increasing", [0.0, 0.0, 1.0]),
             ("edges-nan", [0.0, float("nan"), 1.0])]
_EPS = dict(low=0.0, high=1.0, low_open=True, high_open=True)

_rng = np.random.default_rng(0)
DRIFT_REF = pd.DataFrame({"x": _rng.normal(0, 1, 60), "c": ["a", "b", "c"] * 20})
DRIFT_CUR = pd.DataFrame({"x": _rng.normal(0.5, 1, 60), "c": ["a", "b", "b"] * 20})

CONTRACT_SPEC = {"name": "t", "columns": [{"name": "x", "min": 0, "max": 10}, {"name": "y"}]}
VALID_TABLE = pd.DataFrame({"x": [1.0, 2.0, 50.0], "y": [1, 2, 3]})

_T = pd.to_datetime(["2013-01-01 10:00", "2013-01-01 11:00", "2013-01-01 12:00"])
# label_time_num: a numeric column, for the "not a datetime column" case of feature_time_col
LEAK_TABLE = pd.DataFrame({"label_time": _T, "weather_time": _T + pd.to_timedelta([0, 2, -1], unit="h"),
                           "label_time_num": [0.0, 1.0, 2.0]})

CORR_TABLE = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "copy": [2.0, 4, 6, 8, 11], "noise": [3.0, 1, 4, 1, 5],
                           "name": list("abcde")})


def _train(d: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"temp": d["temp_f"]})


def _serve(d: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"temp": (d["temp_f"] - 32) / 1.8})


def _contract():
    from infra_lab.quality import contract_from_dict
    return contract_from_dict(CONTRACT_SPEC)


_NOT_CALLABLE = [("wrong-type", 3), ("none", None), ("string", "train")]

CASES = [
    # ------------------------------------------------------------- contracts
    Call(Q + "contracts.contract_from_dict",
         spec=Custom(CONTRACT_SPEC, bad_values=[
             ("wrong-type", [1, 2]), ("none", None), ("no-columns", {"name": "t"}),
             ("unknown-key", {"name": "t", "columns": [{"name": "x", "maxx": 1}]}),
             ("nan-min", {"name": "t", "columns": [{"name": "x", "min": float("nan")}]}),
             ("inf-max", {"name": "t", "columns": [{"name": "x", "max": float("inf")}]}),
             ("bool-max", {"name": "t", "columns": [{"name": "x", "max": True}]}),
             ("string-min", {"name": "t", "columns": [{"name": "x", "min": "0"}]}),
             ("min-above-max", {"name": "t", "columns": [{"name": "x", "min": 5, "max": 1}]}),
             ("nan-outlier-z", {"name": "t", "columns": [{"name": "x", "outlier_z": float("nan")}]}),
             ("nan-null-budget", {"name": "t", "columns": [{"name": "x", "max_null_fraction": float("nan")}]}),
             ("nan-label-min", {"name": "t", "columns": [{"name": "x"}], "label": {"column": "x", "min": float("nan")}}),
             ("nan-max-age", {"name": "t", "columns": [{"name": "x", "kind": "datetime"}],
                              "freshness": {"column": "x", "max_age_hours": float("nan")}}),
             ("empty-columns", {"name": "t", "columns": []}),
         ])),
    Call(Q + "contracts.load_contract",
         path=Custom(ROOT / "notebooks" / "contracts" / "weather.yaml", bad_values=[
             ("wrong-type", 3), ("none", None), ("wrong-suffix", ROOT / "README.md"),
             ("bool", True)])),
    # the contract classes refuse bad rules when built (the NaN bound of the issue)
    Call(Q + "contracts.ColumnRule", name=Text("x"),
         min=Num(0.0, none_ok=True, huge=False), max=Num(10.0, none_ok=True, huge=False),
         max_null_fraction=Prob(0.1, none_ok=True), outlier_z=Num(3.5, low=0, low_open=True, none_ok=True)),
    Call(Q + "contracts.LabelRule", column=Text("y"),
         min=Num(0.0, none_ok=True, huge=False), max=Num(10.0, none_ok=True, huge=False),
         max_missing_fraction=Prob(0.0)),
    # ------------------------------------------------------------- validation
    Call(Q + "validation.validate",
         df=Frame(VALID_TABLE),
         contract=Custom(_contract(), bad_values=[("wrong-type", CONTRACT_SPEC), ("none", None)]),
         now=Custom(pd.Timestamp("2014-01-01"), bad_values=[
             ("number", 1.5e18), ("bool", True), ("nan", float("nan")), ("not-a-time", "not a time"),
             ("nat", pd.NaT), ("wrong-type", WRONG_TYPE)])),
    Call(Q + "validation.robust_z_scores", values=Data([1.0, 2.0, 3.0, 4.0, 100.0])),
    # ------------------------------------------------------------- statistics
    Call(Q + "statistics.population_stability_index",
         reference=Data(REF), current=Data(CUR), bins=Custom(4, bad_values=_BINS_BAD),
         binning=Option("quantile"), epsilon=Num(1e-4, **_EPS)),
    Call(Q + "statistics.ks_test", reference=Data(REF), current=Data(CUR)),
    Call(Q + "statistics.jensen_shannon_distance",
         p=Data([1.0, 2.0, 3.0], low=0.0), q=Data([3.0, 2.0, 1.0], low=0.0),
         base=Num(2.0, low=0.0, low_open=True, none_ok=True),
         axis=Custom(-1, bad_values=[("out-of-range", 1), ("fraction", 0.5), ("bool", True), ("numeric-string", "0"),
                                      ("none", None)])),
    Call(Q + "statistics.jensen_shannon_distance",
         p=Custom([1.0, 2.0, 3.0], bad_values=[("all-zero", [0.0, 0.0, 0.0]), ("scalar", 1.0)]),
         q=Custom([3.0, 2.0, 1.0], bad_values=[("all-zero", [0.0, 0.0, 0.0]), ("wrong-shape", [1.0, 2.0])]),
         base=Custom(None, bad_values=[("one", 1.0)])),
    Call(Q + "statistics.wasserstein", reference=Data(REF), current=Data(CUR), normed=Flag(False)),
    Call(Q + "statistics.chi_square_test",
         reference=Custom(["a", "b", "b", "c"], bad_values=[
             ("empty", []), ("missing-label", ["a", None, "b"]), ("nan-label", ["a", float("nan")]),
             ("bare-string", "abc"), ("none", None), ("bool", True), ("wrong-type", WRONG_TYPE)]),
         current=Custom(["a", "a", "b", "c"], bad_values=[
             ("empty", []), ("missing-label", ["a", None]), ("bare-string", "abc"), ("none", None)]),
         method=Option("homogeneity"), counts=Flag(False)),
    Call(Q + "statistics.chi_square_test",
         reference=Data([10.0, 20.0, 30.0], low=0.0), current=Data([12.0, 18.0, 30.0], low=0.0),
         method=Option("goodness_of_fit"), counts=Custom(True, bad_values=[])),
    Call(Q + "statistics.chi_square_test",
         reference=Custom([10.0, 20.0, 30.0], bad_values=[("all-zero", [0.0, 0.0, 0.0])]),
         current=Custom([12.0, 18.0, 30.0], bad_values=[("misaligned", [1.0, 2.0]), ("all-zero", [0.0, 0.0, 0.0])]),
         counts=Custom(True, bad_values=[])),
    # ------------------------------------------------------------- drift report
    Call(Q + "drift.drift_report",
         reference_df=Frame(DRIFT_REF, columns=("x", "c")), current_df=Frame(DRIFT_CUR, columns=("x", "c")),
         columns=Custom(["x", "c"], bad_values=[("empty", []), ("unknown", ["x", "nope"]), ("twice", ["x", "x"]),
                                                ("wrong-type", 3), ("bool", True)]),
         method=Option("auto"),
         thresholds=Custom({"psi": 0.2}, bad_values=[
             ("unknown-key", {"kl": 0.1}), ("nan", {"psi": float("nan")}), ("negative", {"psi": -0.1}),
             ("pvalue-above-one", {"chisquare": 2.0}), ("pvalue-zero", {"ks": 0.0}), ("bool", {"psi": True}),
             ("numeric-string", {"psi": "0.1"}), ("single-number-with-auto", 0.1), ("inf", {"psi": float("inf")})]),
         categorical=Custom(["c"], bad_values=[("not-compared", ["nope"]), ("wrong-type", 3), ("none", None)]),
         drift_share=Prob(0.5, low_open=True),
         psi_bins=Custom(10, bad_values=_BINS_BAD),
         psi_binning=Option("quantile"),
         epsilon=Num(1e-4, **_EPS),
         all_statistics=Flag(False)),
    Call(Q + "drift.drift_report",
         reference_df=Custom(DRIFT_REF, bad_values=[("all-nan-column", DRIFT_REF.assign(x=np.nan))]),
         current_df=Custom(DRIFT_CUR, bad_values=[("all-nan-column", DRIFT_CUR.assign(x=np.inf))]),
         columns=Custom(["x"], bad_values=[]),
         method=Custom("ks", bad_values=[]),
         thresholds=Custom(0.05, bad_values=[("nan", float("nan")), ("above-one", 1.5), ("bool", True),
                                             ("numeric-string", "0.05")])),
    Call(Q + "drift.drift_report",
         reference_df=Custom(DRIFT_REF, bad_values=[("all-missing-category", DRIFT_REF.assign(c=None))]),
         current_df=Custom(DRIFT_CUR, bad_values=[("all-missing-category", DRIFT_CUR.assign(c=None))]),
         columns=Custom("c", bad_values=[])),
    # ------------------------------------------------------------- leakage
    Call(Q + "leakage.feature_consistency",
         training_fn=Custom(_train, bad_values=_NOT_CALLABLE + [("returns-wrong-rows", lambda d: d.iloc[:1])]),
         serving_fn=Custom(_serve, bad_values=_NOT_CALLABLE + [("returns-a-list", lambda d: [1, 2])]),
         df=Frame(pd.DataFrame({"temp_f": [50.0, 68.0]})),
         atol=Num(1e-9, low=0.0), rtol=Num(1e-6, low=0.0),
         features=Custom(["temp"], bad_values=[("unknown", ["nope"]), ("empty", []), ("wrong-type", 3)])),
    Call(Q + "leakage.temporal_leakage",
         features_df=Frame(LEAK_TABLE, columns=("label_time", "weather_time"),
                           nan_columns=("label_time", "weather_time")),
         feature_time_col=Custom("weather_time", bad_values=[
             ("unknown", "nope"), ("empty", ""), ("wrong-type", 3), ("none", None), ("empty-list", []),
             ("not-a-datetime", "label_time_num")]),
         label_time_col=Text("label_time"),
         tolerance_s=Num(0.0, low=0.0)),
    Call(Q + "leakage.target_leakage_scan",
         df=Frame(CORR_TABLE, columns=("y",)),
         label=Custom("y", bad_values=[("unknown", "nope"), ("wrong-type", 3), ("empty", ""), ("none", None),
                                       ("text-column", "name")]),
         features=Custom(["copy", "noise"], bad_values=[("unknown", ["nope"]), ("text-column", ["name"]),
                                                        ("wrong-type", 3), ("label-itself", ["y"])]),
         threshold=Num(0.9, low=0.0, high=1.0, low_open=True),
         method=Option("pearson")),
    Call(Q + "leakage.target_leakage_scan",
         df=Custom(CORR_TABLE, bad_values=[("constant-label", CORR_TABLE.assign(y=1.0))]),
         label=Text("y")),
    Call(Q + "shift.shift_components",
         x_reference=Data([0.0, 1.0, 2.0, 3.0, 4.0, 5.0]),
         y_reference=Custom([0, 0, 1, 0, 1, 1], bad_values=[("not-binary", [0, 0.5, 1, 0, 1, 1]), ("too-short", [0, 1]),
                                                            ("nan-inside", [float("nan"), 0, 1, 0, 1, 1]), ("empty", []),
                                                            ("none", None), ("numeric-string", "1")]),
         x_current=Data([1.0, 2.0, 3.0, 4.0]),
         y_current=Custom([1, 0, 1, 1], bad_values=[("not-binary", [2, 0, 1, 1]), ("too-long", [1, 0, 1, 1, 0]),
                                                    ("none", None), ("wrong-type", WRONG_TYPE)]),
         bins=Custom(2, bad_values=[("one", 1), ("zero", 0), ("fraction", 2.5), ("bool", True), ("numeric-string", "2"),
                                    ("nan", float("nan")), ("none", None), ("too-many", 10**9)])),
]

EXEMPT: dict[str, str] = {}

NOT_A_FORMULA = {
    "contract_from_dict": "builds a contract from plain data; no formula",
    "load_contract": "reads a contract file; no formula",
    "validate": "applies the contract's rules (comparisons, counts); each rule is stated in the docstring",
}

NO_SEE_ALSO: dict[str, str] = {}
