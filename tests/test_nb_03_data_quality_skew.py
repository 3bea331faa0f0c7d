"""Run notebook 03 with non-default parameters and check what it wrote against independent values.

Independent means: computed here from the raw data with pandas and SciPy (ks_2samp,
wasserstein_distance), not read back from the notebook.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from infra_lab.datasets import load_flights, load_weather

STEM = "03_data_quality_skew"
PARAMS = dict(reference_month=2, current_month=8, max_wind_mph=60.0, psi_bins=20, binning="evidently",
              shift_sizes=[0.0, 0.3], small_n=200, seed=7)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from infra_lab.runner import execute_notebook
    from infra_lab.syllabus import notebook_path

    tmp = tmp_path_factory.mktemp("nb03")
    result = execute_notebook(notebook_path(STEM), tmp, PARAMS)
    if result.error:
        raise AssertionError(f"{STEM} failed:\n{result.error}")
    return result.output_dir


def test_runs_through_the_fixture_with_non_default_parameters(run_notebook):
    out = run_notebook(STEM, reference_month=3, current_month=4, shift_sizes=[0.1], small_n=100)
    sweep = pd.read_csv(out / "shift_sweep.csv")
    assert sweep["shift_std"].tolist() == [0.1, 0.1] and sweep["n"].iloc[1] == 100


def test_validation_report_counts_match_the_raw_data(outputs):
    weather, flights = load_weather(), load_flights()
    rep = pd.read_csv(outputs / "validation_report.csv").set_index(["table", "check", "column"])
    assert rep.loc[("weather", "range", "wind_speed"), "failing_rows"] == (weather["wind_speed"] > 60).sum()
    assert rep.loc[("weather", "missingness", "pressure"), "failing_rows"] == weather["pressure"].isna().sum()
    local_dups = weather.duplicated(["origin", "year", "month", "day", "hour"], keep=False).sum()
    assert rep.loc[("weather", "unique_key", "origin+year+month+day+hour"), "failing_rows"] == local_dups == 6
    assert rep.loc[("flights", "label_missing", "arr_delay"), "failing_rows"] == flights["arr_delay"].isna().sum()
    assert not rep.loc[("weather", "freshness", "time_hour"), "passed"]  # newest hour is 30 Dec, 18:00 local


def test_month_drift_statistics_match_scipy(outputs):
    weather = load_weather()
    t = pd.read_csv(outputs / "drift_months.csv").set_index("column")
    a = weather.loc[weather["month"] == 2, "temp"].dropna()
    b = weather.loc[weather["month"] == 8, "temp"].dropna()
    assert t.loc["temp", "ks_statistic"] == pytest.approx(stats.ks_2samp(a, b).statistic)
    assert t.loc["temp", "wasserstein"] == pytest.approx(stats.wasserstein_distance(a, b))
    assert t.loc["temp", "wasserstein_normed"] == pytest.approx(stats.wasserstein_distance(a, b) / np.std(a))
    assert t.loc["temp", "test"] == "psi" and t.loc["temp", "evidently_test"] == "wasserstein"


def test_shift_sweep_matches_an_independent_recomputation(outputs):
    sweep = pd.read_csv(outputs / "shift_sweep.csv")
    temps = load_weather()["temp"].dropna().to_numpy()
    perm = np.random.default_rng(7).permutation(temps.size)
    ref, cur = temps[perm[: temps.size // 2]], temps[perm[temps.size // 2:]]
    row = sweep[(sweep["sample"] == "all rows") & (sweep["shift_std"] == 0.3)].iloc[0]
    shifted = cur + 0.3 * ref.std()
    assert row["ks_statistic"] == pytest.approx(stats.ks_2samp(ref, shifted).statistic)
    assert row["wasserstein_F"] == pytest.approx(stats.wasserstein_distance(ref, shifted))
    # PSI with binning="evidently": Sturges equal-width bins over both samples (numpy),
    # empty bins given share 1e-4 (Evidently utils.get_binned_data), then the PSI sum
    edges = np.histogram_bin_edges(np.concatenate([ref, shifted]), bins="sturges")
    r = np.histogram(ref, edges)[0] / ref.size
    c = np.histogram(shifted, edges)[0] / shifted.size
    r, c = np.where(r == 0, 1e-4, r), np.where(c == 0, 1e-4, c)
    assert row["psi"] == pytest.approx(np.sum((c - r) * np.log(c / r)), rel=1e-9)
    assert row["js_distance"] <= np.sqrt(np.log(2))
    small = sweep[sweep["sample"] == "n = 200"]
    assert (small["n"] == 200).all() and len(sweep) == 4


def test_feature_consistency_table_counts_the_renamed_carrier(outputs):
    flights = load_flights()
    c = pd.read_csv(outputs / "feature_consistency.csv").set_index("feature")
    assert c.loc["carrier", "mismatched_rows"] == (flights["carrier"] == "US").sum()
    assert c.loc["distance_miles", "mismatched_rows"] == 0


def test_skew_costs_the_model_auc_and_shift_kinds_are_reported(outputs):
    # Issue 12: a model trained offline must lose AUC through the skewed serving path.
    auc = pd.read_csv(outputs / "skew_model_auc.csv")
    assert auc["auc"].iloc[1] < auc["auc"].iloc[0] - 0.02
    # The label shift is the change of the ≥15-minute departure-delay rate, computed here with pandas.
    f = load_flights().dropna(subset=["dep_delay"])
    rate = (f["dep_delay"] >= 15).groupby(f["month"]).mean()
    shift = pd.read_csv(outputs / "shift_components.csv").set_index("kind")["statistic"]
    assert shift["label (positive-rate change)"] == pytest.approx(rate[8] - rate[2], abs=1e-12)
    # Every figure has its alt text beside it (item 5).
    for png in outputs.glob("*.png"):
        assert (outputs / f"{png.stem}.alt.txt").read_text().strip(), png.name


def test_equal_months_are_refused_by_name(tmp_path):
    from infra_lab.runner import execute_notebook
    from infra_lab.syllabus import notebook_path

    result = execute_notebook(notebook_path(STEM), tmp_path, dict(reference_month=5, current_month=5))
    assert result.error and "current_month=5 equals reference_month=5" in str(result.error)
