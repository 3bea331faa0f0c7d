"""infra_lab.quality refuses bad input by its public name (issue 9's known holes, each pinned).

Each test names the silent wrong answer it prevents: before the contract, these calls
returned a plausible number instead of an error.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infra_lab.quality import (ColumnRule, Contract, ContractError, LabelRule, chi_square_test, contract_from_dict,
                               drift_report, feature_consistency, jensen_shannon_distance, ks_test, load_contract,
                               population_stability_index, robust_z_scores, target_leakage_scan, temporal_leakage,
                               validate, wasserstein)

RNG = np.random.default_rng(9)
REF = pd.DataFrame({"x": RNG.normal(0, 1, 400)})
CUR = pd.DataFrame({"x": RNG.normal(1, 1, 400)})  # a one-std shift: every method must call it drift


@pytest.mark.parametrize("bins", [0, 1, -3, 2.5, True, "8", float("nan"), 10**9])
def test_drift_report_refuses_psi_bins_that_used_to_report_psi_zero(bins):
    # issue 9: psi_bins=0/1/-3 reported PSI 0, "not drifted", for a one-std shift
    with pytest.raises((ValueError, TypeError), match="psi_bins"):
        drift_report(REF, CUR, psi_bins=bins)


def test_the_same_shift_is_drift_with_any_valid_number_of_bins():
    for bins in (2, 3, 10, 50):
        rep = drift_report(REF, CUR, psi_bins=bins)
        assert rep.table["drifted"].item() and rep.table["statistic"].item() > 0.25, bins


@pytest.mark.parametrize("epsilon", [-1e-4, 0.0, 1.0, float("nan"), float("inf"), True])
def test_a_negative_or_zero_epsilon_is_refused_not_turned_into_nan(epsilon):
    # issue 9: epsilon=-1e-4 made ln(c/r) NaN and the verdict "not drifted"
    with pytest.raises((ValueError, TypeError), match="epsilon"):
        drift_report(REF, CUR, epsilon=epsilon)
    with pytest.raises((ValueError, TypeError), match="epsilon"):
        population_stability_index(REF["x"], CUR["x"], epsilon=epsilon)


@pytest.mark.parametrize("tol", [float("nan"), -1.0, float("inf"), "1h", True, None])
def test_temporal_leakage_refuses_a_tolerance_that_used_to_find_no_leak(tol):
    # issue 9: tolerance=NaN compared False everywhere and found 0 leaks
    t = pd.to_datetime(["2013-01-01 10:00", "2013-01-01 11:00"])
    d = pd.DataFrame({"label_time": t, "feature_time": t + pd.Timedelta("2h")})
    with pytest.raises((ValueError, TypeError), match="tolerance_s"):
        temporal_leakage(d, "feature_time", "label_time", tolerance_s=tol)


def test_temporal_leakage_reads_tolerance_in_seconds_not_nanoseconds():
    # a 30-minute lead is 1800 s: allowed at 1800 s, a leak at 1799 s (pd.Timedelta(1799) would be 1799 ns)
    t = pd.to_datetime(["2013-01-01 10:00"])
    d = pd.DataFrame({"label_time": t, "feature_time": t + pd.Timedelta("30min")})
    assert temporal_leakage(d, "feature_time", "label_time", tolerance_s=1800)["leaking_rows"].item() == 0
    assert temporal_leakage(d, "feature_time", "label_time", tolerance_s=1799)["leaking_rows"].item() == 1


def test_temporal_leakage_refuses_a_missing_timestamp_naming_row_and_column():
    t = pd.to_datetime(["2013-01-01 10:00", None])
    d = pd.DataFrame({"label_time": pd.to_datetime(["2013-01-01 10:00"] * 2), "feature_time": t})
    with pytest.raises(ValueError, match=r"features_df has 1 missing value\(s\) in column 'feature_time'.*row index 1"):
        temporal_leakage(d, "feature_time", "label_time")


@pytest.mark.parametrize("key,value", [("min", float("nan")), ("max", float("nan")), ("min", float("inf")),
                                       ("max", -float("inf")), ("max", True), ("min", "0")])
def test_a_contract_rule_with_a_nan_bound_is_refused_when_built(key, value):
    # issue 9: min=NaN compared False with every value, so the range check passed everything
    with pytest.raises(ContractError, match=rf"column rule 'wind_speed': {key}="):
        ColumnRule("wind_speed", **{key: value})
    with pytest.raises(ContractError, match=rf"label rule 'y': {key}="):
        LabelRule("y", **{key: value})
    spec = {"name": "w", "columns": [{"name": "x"}, {"name": "wind_speed", key: value}]}
    with pytest.raises(ContractError, match=rf"spec\['columns'\]\[1\]: column rule 'wind_speed': {key}="):
        contract_from_dict(spec)


def test_a_nan_bound_in_a_yaml_file_is_refused_naming_the_file(tmp_path):
    (tmp_path / "w.yaml").write_text("name: w\ncolumns:\n  - {name: wind_speed, max: .nan}\n")
    with pytest.raises(ContractError, match=r"w\.yaml: spec\['columns'\]\[0\]: column rule 'wind_speed': max=nan"):
        load_contract(tmp_path / "w.yaml")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 0, -2, True])
def test_contract_numbers_are_refused_by_key(value):
    with pytest.raises(ContractError, match="max_age_hours"):
        Contract("t", (ColumnRule("ts", kind="datetime"),), freshness_column="ts", max_age_hours=value)
    with pytest.raises(ContractError, match="outlier_z"):
        ColumnRule("x", outlier_z=value if value != 0 else -1)


def test_validate_refuses_a_numeric_now_that_pandas_would_read_as_nanoseconds():
    c = Contract("t", (ColumnRule("x"),))
    df = pd.DataFrame({"x": [1.0]})
    for now in (1.5e18, 0, True, float("nan"), pd.NaT):
        with pytest.raises((TypeError, ValueError), match="now="):
            validate(df, c, now=now)
    with pytest.raises(ValueError, match="df=.*is empty"):
        validate(df.iloc[:0], c)


@pytest.mark.parametrize("call,name", [
    (lambda: ks_test([1.0, np.nan, 3.0], [1.0, 2.0]), "reference"),
    (lambda: wasserstein([1.0, 2.0], [np.inf, 2.0]), "current"),
    (lambda: ks_test([], [1.0]), "reference"),
    (lambda: population_stability_index([1.0, 2.0], "8"), "current"),
    (lambda: robust_z_scores([1.0, np.nan]), "values"),
    (lambda: jensen_shannon_distance([1, 2], [1, -2]), "q"),
    (lambda: jensen_shannon_distance([1, 2], [1, 2], axis=1), "axis"),
    (lambda: jensen_shannon_distance([1, 2], [1, 2], base=1), "base"),
    (lambda: chi_square_test(["a", None], ["a"]), "reference"),
    (lambda: chi_square_test("abc", ["a"]), "reference"),
    (lambda: chi_square_test([1, 2], [1, 2, 3], counts=True), "current"),
    (lambda: chi_square_test([1, 2], [1, 2], counts="yes"), "counts"),
    (lambda: wasserstein([1.0], [2.0], normed=1), "normed"),
    (lambda: drift_report(REF, CUR, thresholds={"ks": 1.5}), "thresholds"),
    (lambda: drift_report(REF, CUR, thresholds=0.1), "thresholds"),
    (lambda: drift_report(REF, CUR, columns="nope"), "columns"),
    (lambda: drift_report(REF, CUR, categorical=["y"]), "categorical"),
    (lambda: drift_report(REF, CUR, drift_share=0), "drift_share"),
    (lambda: drift_report(REF.assign(x=np.nan), CUR), "reference_df"),
    (lambda: feature_consistency(lambda d: d, 3, REF), "serving_fn"),
    (lambda: feature_consistency(lambda d: d, lambda d: d, REF, features=["nope"]), "features"),
    (lambda: feature_consistency(lambda d: d, lambda d: d, REF, atol=-1), "atol"),
    (lambda: target_leakage_scan(REF.assign(y=1.0), "y"), "label"),
    (lambda: target_leakage_scan(REF.assign(y=RNG.normal(size=400), s="a"), "y", ["s"]), "features"),
])
def test_each_message_names_the_public_parameter(call, name):
    with pytest.raises((ValueError, TypeError)) as info:
        call()
    assert str(info.value).startswith(name) or f"{name}=" in str(info.value), str(info.value)
