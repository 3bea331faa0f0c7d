"""infra_lab.quality against closed forms, published laws and independent implementations,
and every field of every result class read at least once.

Sources are named in each test; no expected value is copied from the library's own output.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from infra_lab._results import Result
from infra_lab.quality import (ChiSquareResult, ColumnRule, Contract, DriftReport, KSResult, LabelRule,
                               ValidationReport, chi_square_test, contract_from_dict, drift_report,
                               jensen_shannon_distance, ks_test, load_contract, population_stability_index,
                               validate, wasserstein)

ROOT = Path(__file__).resolve().parents[1]
finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
samples = hnp.arrays(float, st.integers(2, 40), elements=finite)


# ------------------------------------------------------------------ KS: exact closed forms
@pytest.mark.parametrize("n", [3, 5, 8])
def test_ks_disjoint_samples_have_d_one_and_the_combinatorial_exact_pvalue(n):
    # Two equal-size samples that do not overlap: D = 1, and under H0 every one of the
    # C(2n, n) orderings is equally likely; only the two fully separated ones reach D = 1,
    # so the exact two-sided p-value is 2 / C(2n, n) (Hodges 1958, §2; Conover 1999, ch. 6).
    res = ks_test(np.arange(n), np.arange(n) + 100)
    assert res.statistic == 1.0
    assert res.pvalue == pytest.approx(2 / math.comb(2 * n, n), rel=1e-9)
    assert (res.n_reference, res.n_current) == (n, n)


@settings(max_examples=40, deadline=None)
@given(samples, samples)
def test_ks_statistic_equals_a_naive_ecdf_loop_and_is_invariant_to_monotone_maps(a, b):
    # independent implementation: evaluate both ECDFs at every observed value
    grid = np.concatenate([a, b])
    naive = max(abs(np.mean(a <= x) - np.mean(b <= x)) for x in grid)
    assert ks_test(a, b).statistic == pytest.approx(naive, abs=1e-12)
    # D depends on ranks only: a strictly increasing map leaves it unchanged
    assert ks_test(np.arctan(a / 100), np.arctan(b / 100)).statistic == pytest.approx(naive, abs=1e-12)


# ------------------------------------------------------------------ chi-square: closed forms
def test_chi_square_homogeneity_2x2_equals_the_shortcut_formula():
    # 2 x 2 table [[a, b], [c, d]]: chi2 = N (ad - bc)^2 / ((a+b)(c+d)(a+c)(b+d))
    # (Agresti 2007, §2.4), and with dof = 1, p = erfc(sqrt(chi2 / 2)).
    a, b, c, d = 30, 70, 45, 55
    chi2 = (a + b + c + d) * (a * d - b * c) ** 2 / ((a + b) * (c + d) * (a + c) * (b + d))
    res = chi_square_test(["x"] * a + ["y"] * b, ["x"] * c + ["y"] * d)
    assert res.statistic == pytest.approx(chi2, rel=1e-12)
    assert res.pvalue == pytest.approx(math.erfc(math.sqrt(chi2 / 2)), rel=1e-9)
    assert (res.dof, res.method) == (1, "homogeneity")


def test_chi_square_goodness_of_fit_with_two_dof_has_pvalue_exp_minus_half_chi2():
    # chi-square with 2 dof is exponential: P(X > x) = exp(-x / 2). Expected (20, 30, 50)
    # from the reference shares, observed (30, 30, 40): chi2 = 100/20 + 0 + 100/50 = 7.
    res = chi_square_test([2, 3, 5], [30, 30, 40], method="goodness_of_fit", counts=True)
    assert res.statistic == pytest.approx(7.0, rel=1e-12)
    assert res.pvalue == pytest.approx(math.exp(-3.5), rel=1e-12)
    assert (res.dof, res.method) == (2, "goodness_of_fit")


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from("abc"), min_size=2, max_size=30), st.lists(st.sampled_from("abcd"), min_size=2, max_size=30))
def test_chi_square_homogeneity_is_symmetric_and_matches_scipy(r, c):
    ab, ba = chi_square_test(r, c), chi_square_test(c, r)
    assert ab.statistic == pytest.approx(ba.statistic, rel=1e-9, abs=1e-12)
    cats = sorted(set(r) | set(c))
    table = np.array([[r.count(k) for k in cats], [c.count(k) for k in cats]])
    if len(cats) > 1:
        ref = stats.chi2_contingency(table, correction=False)
        assert ab.statistic == pytest.approx(ref.statistic, rel=1e-9, abs=1e-12)
        assert ab.pvalue == pytest.approx(ref.pvalue, rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ JS and Wasserstein
def test_jensen_shannon_distance_of_disjoint_distributions_is_sqrt_ln2_nats():
    # Lin 1991: JS divergence <= ln 2, with equality for disjoint supports
    assert jensen_shannon_distance([1, 0], [0, 1]) == pytest.approx(math.sqrt(math.log(2)), rel=1e-15)
    # broadcasting along an axis: one distance per row
    out = jensen_shannon_distance([[1, 0], [1, 1]], [[0, 1], [1, 1]], axis=1)
    assert out.tolist() == pytest.approx([math.sqrt(math.log(2)), 0.0])


@settings(max_examples=40, deadline=None)
@given(samples, st.floats(-50, 50, allow_nan=False))
def test_wasserstein_of_a_pure_shift_is_the_shift(x, s):
    # moving every point by s moves all the mass by |s| (W1 of a translate, Vallender 1974)
    assert wasserstein(x, x + s) == pytest.approx(abs(s), abs=1e-9 * (1 + np.abs(x).max()))
    sd = max(float(np.std(x)), 0.001)
    assert wasserstein(x, x + s, normed=True) == pytest.approx(abs(s) / sd, abs=1e-9 * (1 + np.abs(x).max()) / sd)


# ------------------------------------------------------------------ PSI: a published law
def test_psi_under_no_shift_averages_bins_minus_one_times_one_over_n_plus_one_over_m():
    # The null distribution Yurdakul 2018 studies: with fixed bins and no shift,
    # PSI ~ (1/n + 1/m) chi2_{B-1} (derivation: c_i - r_i has variance p_i (1/n + 1/m) and
    # PSI ~ sum (c_i - r_i)^2 / p_i), so E[PSI] ~ (B - 1)(1/n + 1/m). B = 10 bins at the
    # normal deciles, n = m = 2000: 9 * 0.001 = 0.009.
    rng = np.random.default_rng(2018)
    edges = np.concatenate([[-10], stats.norm.ppf(np.arange(1, 10) / 10), [10]])
    psis = [population_stability_index(rng.normal(size=2000), rng.normal(size=2000), bins=edges)
            for _ in range(300)]
    assert np.mean(psis) == pytest.approx(9 * (1 / 2000 + 1 / 2000), rel=0.1)


@settings(max_examples=30, deadline=None)
@given(hnp.arrays(float, st.integers(12, 60), elements=st.integers(-500, 500).map(lambda v: v / 100), unique=True),
       hnp.arrays(float, st.integers(2, 60), elements=st.integers(-500, 500).map(lambda v: v / 100)))
def test_psi_with_quantile_bins_is_invariant_to_a_strictly_increasing_map(r, c):
    # quantile bins move with the data, so exp() of both samples puts every value in the same bin
    # (values on a 0.01 grid: exp keeps them distinct in floating point)
    assert population_stability_index(np.exp(r), np.exp(c), bins=5) == pytest.approx(
        population_stability_index(r, c, bins=5), rel=1e-9, abs=1e-12)


# ------------------------------------------------------------------ result classes
def test_result_classes_unpack_like_tuples_in_scipy_order():
    stat, p, n_ref, n_cur = ks_test([1.0, 2.0, 3.0], [1.5, 2.5])
    assert (n_ref, n_cur) == (3, 2) and 0 <= stat <= 1 and 0 <= p <= 1
    res = chi_square_test(["a", "b"], ["a", "a"])
    assert tuple(res) == (res.statistic, res.pvalue, res.dof, res.method)
    assert res._asdict()["pvalue"] == res[1]
    for cls in (KSResult, ChiSquareResult, DriftReport, ValidationReport, ColumnRule, LabelRule, Contract):
        assert issubclass(cls, Result) and cls.__dataclass_params__.frozen


def test_the_old_p_value_spelling_warns_and_forwards():
    res = ks_test([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])
    with pytest.warns(DeprecationWarning, match="pvalue"):
        assert res.p_value == res.pvalue
    chi = chi_square_test([1, 1], [3, 1], counts=True)
    with pytest.warns(DeprecationWarning, match="pvalue"):
        assert chi.p_value == chi.pvalue


def test_drift_report_fields():
    ref = pd.DataFrame({"a": np.arange(50.0), "b": np.arange(50.0)})
    cur = pd.DataFrame({"a": np.arange(50.0) + 40, "b": np.arange(50.0)})
    rep = drift_report(ref, cur, method="ks", drift_share=0.4)
    assert (rep.method, rep.drift_share) == ("ks", 0.4)
    assert rep.share_drifted == 0.5 and rep.dataset_drift and rep.drifted_columns == ["a"]
    # the table's KS row is scipy's ks_2samp on the same columns
    row = rep.table.set_index("column").loc["a"]
    assert row["statistic"] == pytest.approx(stats.ks_2samp(ref["a"], cur["a"]).statistic)
    assert row["p_value"] == pytest.approx(stats.ks_2samp(ref["a"], cur["a"]).pvalue)
    assert (row["n_reference"], row["n_current"], row["threshold"]) == (50, 50, 0.05)
    assert not drift_report(ref, cur, method="ks", drift_share=0.6).dataset_drift


def test_validation_report_fields_point_at_the_input_rows():
    c = Contract("t", (ColumnRule("x", min=0, max=10),))
    df = pd.DataFrame({"x": [1.0, 50.0, -1.0]}, index=[10, 11, 12])
    rep = validate(df, c)
    assert rep.data is df and rep.n_rows == 3 and not rep.passed
    assert sorted(rep._rows[("range", "x")].tolist()) == [1, 2]
    assert rep.failing_rows("range", "x").index.tolist() == [11, 12]
    assert rep.failures["check"].tolist() == ["range"]


def test_contract_fields_round_trip_the_spec_they_were_built_from():
    # every field of ColumnRule, LabelRule and Contract is read back and compared with the spec
    col = {"name": "x", "kind": "integer", "nullable": True, "max_null_fraction": 0.2, "min": 0, "max": 9,
           "allowed": (1, 2, 3), "outlier_z": 3.5, "severity": "warning", "unit": "count", "description": "d"}
    lab = {"column": "y", "min": -1, "max": 1, "allowed": None, "max_missing_fraction": 0.1, "conflict_keys": ("x",)}
    spec = {"name": "t", "columns": [dict(col), {"name": "y"}, {"name": "ts", "kind": "datetime"}],
            "unique_keys": [["x", "y"]], "freshness": {"column": "ts", "max_age_hours": 2.5}, "label": dict(lab),
            "allow_extra_columns": False}
    c = contract_from_dict(spec)
    assert c.columns[0]._asdict() == col
    assert dataclasses.asdict(c.label) == lab
    assert (c.name, c.unique_keys, c.freshness_column, c.max_age_hours, c.allow_extra_columns) == (
        "t", (("x", "y"),), "ts", 2.5, False)
    assert c.rule("x").null_budget == 0.2 and ColumnRule("z", nullable=False).null_budget == 0.0


def test_the_course_contract_files_load_with_the_bounds_they_state():
    # the numbers below are read from the YAML text itself, not from the loader
    import yaml
    for name in ("weather.yaml", "flights.yaml"):
        path = ROOT / "notebooks" / "contracts" / name
        spec = yaml.safe_load(path.read_text())
        c = load_contract(path)
        for raw in spec["columns"]:
            rule = c.rule(raw["name"])
            assert (rule.min, rule.max) == (raw.get("min"), raw.get("max"))


def test_no_deprecation_warning_on_the_new_spellings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ks_test([1.0, 2.0], [1.0, 2.0]).pvalue == 1.0


# ------------------------------------------------------------------ defaults, each exercised
def test_psi_gives_an_empty_bin_the_default_epsilon_share():
    # edges [0, 1, 2]: reference shares (1/2, 1/2), current (1, 0) -> the empty bin gets 1e-4:
    # PSI = (1 - 1/2) ln(1 / (1/2)) + (1e-4 - 1/2) ln(1e-4 / (1/2))
    expected = 0.5 * math.log(2) + (1e-4 - 0.5) * math.log(1e-4 / 0.5)
    ref, cur = [0.5, 0.5, 1.5, 1.5], [0.5, 0.5, 0.5, 0.5]
    assert population_stability_index(ref, cur, bins=[0, 1, 2]) == pytest.approx(expected, rel=1e-12)
    other = 0.5 * math.log(2) + (1e-3 - 0.5) * math.log(1e-3 / 0.5)
    assert population_stability_index(ref, cur, bins=[0, 1, 2], epsilon=1e-3) == pytest.approx(other, rel=1e-12)


def test_default_thresholds_are_evidentlys_documented_defaults_and_the_psi_rule_of_thumb():
    # Evidently docs, "Data drift algorithm": tests at 0.95 confidence (p < 0.05), distances
    # at 0.1; PSI 0.1 is the lower edge of Yurdakul's (2018) "moderate change" band.
    from infra_lab.quality import DEFAULT_THRESHOLDS
    assert DEFAULT_THRESHOLDS == {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1,
                                  "jensenshannon": 0.1, "psi": 0.1}


def test_feature_consistency_default_tolerances():
    # numpy.isclose rule |a - b| <= atol + rtol |b| with atol = 1e-9, rtol = 1e-6:
    # at b = 0 a 5e-10 difference passes and 2e-9 fails; at b = 1000 a 5e-4 difference passes
    df = pd.DataFrame({"x": [0.0, 0.0, 1000.0, 1000.0]})
    serve_shift = np.array([5e-10, 2e-9, 5e-4, 2e-3])
    from infra_lab.quality import feature_consistency
    t = feature_consistency(lambda d: d, lambda d: d.assign(x=d["x"] + serve_shift), df)
    assert t["mismatched_rows"].item() == 2
    assert t["max_abs_diff"].item() == pytest.approx(2e-3)
    assert t["mismatch_fraction"].item() == 0.5


def test_target_leakage_default_threshold_is_0_9():
    # y and x = y + noise with a known correlation: rho = 1 / sqrt(1 + s^2) for unit-variance y
    from infra_lab.quality import target_leakage_scan
    rng = np.random.default_rng(3)
    y = rng.normal(size=20_000)
    df = pd.DataFrame({"y": y, "near": y + 0.2 * rng.normal(size=y.size),      # rho ~ 0.981
                       "far": y + 0.75 * rng.normal(size=y.size)})             # rho = 0.8
    out = target_leakage_scan(df, "y").set_index("feature")
    assert out.loc["near", "rho"] == pytest.approx(1 / math.sqrt(1.04), abs=0.005)
    assert out.loc["far", "abs_rho"] == pytest.approx(0.8, abs=0.01)
    assert out["suspicious"].to_dict() == {"near": True, "far": False}
    spearman = target_leakage_scan(df, "y", method="spearman", threshold=0.75).set_index("feature")
    assert spearman["suspicious"].all()
