"""Notebook 09 run with non-default parameters; its CSVs are checked against the raw data and
against the published formulas computed here independently.

References: SRE Workbook ch. 5 (burn-rate threshold = budget share × period / window; error ratio
threshold = burn × (1 − SLO)); SRE book ch. 3 (budget = (1 − SLO) × events) and Appendix A,
Table A-1 (99.9 % → 8.76 hours a year, 43.2 minutes a 30-day month); the binomial k-of-n sum
(Trivedi ch. 3) written out with math.comb.
"""

import math

import numpy as np
import pandas as pd
import pytest

from infra_lab import datasets

PARAMS = dict(region="eastus", vm_sku="D8s_v5", latency_threshold_ms=3.0, slo=0.995, bucket_minutes=30.0,
              period_days=28.0, component_reliability=0.95, replicas=5, quorum=3, replica_mtbf_hours=500.0,
              replica_mttr_hours=10.0, job_success_target=0.95, seed=7)


def test_non_default_run_writes_outputs_that_match_the_formulas(run_notebook):
    outputs = run_notebook("09_monitoring_reliability", **PARAMS)
    for check in [check_slis_recomputed_from_the_raw_runs, check_alert_rules_follow_the_workbook,
                  check_burn_rate_series_recomputed_with_pandas, check_error_budget_per_period,
                  check_compositions_against_the_binomial_sum, check_nines_table_reproduces_the_sre_book,
                  check_acme_failures_recomputed, check_every_figure_was_written]:
        check(outputs)


def read(outputs, name):
    return pd.read_csv(outputs / f"{name}.csv")


def fleet():
    vm = datasets.load_vm_noise()
    return vm[(vm["vm_region"] == "eastus") & (vm["vm_sku"] == "D8s_v5")].sort_values("starttime")


def check_slis_recomputed_from_the_raw_runs(outputs):
    row = read(outputs, "sli_summary").iloc[0]
    lat = fleet()["avg_latency_ms"].to_numpy()
    assert row.requests == len(lat) and row.errors == 0
    assert row.fast_request_share == pytest.approx(np.mean(lat <= 3.0))
    assert row.p50_ms == pytest.approx(np.median(lat))
    assert row.p99_ms == pytest.approx(np.quantile(lat, 0.99))


def check_alert_rules_follow_the_workbook(outputs):
    rules = read(outputs, "alert_rules")
    period_h = 28 * 24
    np.testing.assert_allclose(rules["burn_rate_threshold"], [0.02 * period_h / 1, 0.05 * period_h / 6,
                                                              0.10 * period_h / 72])
    np.testing.assert_allclose(rules["error_ratio_threshold"], rules["burn_rate_threshold"] * 0.005)
    np.testing.assert_allclose(rules["time_to_exhaust_hours"], period_h / rules["burn_rate_threshold"])


def check_burn_rate_series_recomputed_with_pandas(outputs):
    t = read(outputs, "burn_rate_alerts")
    f = fleet()
    assert t["total_events"].sum() == len(f)
    assert t["bad_events"].sum() == int((f["avg_latency_ms"] > 3.0).sum())
    # Rule 0 (1 h over 5 min) in 30-minute buckets: long window 2 buckets, short window 1 bucket.
    for col, w in [("long_burn_0", 2), ("short_burn_0", 1), ("long_burn_1", 12)]:
        bad = t["bad_events"].rolling(w, min_periods=1).sum()
        tot = t["total_events"].rolling(w, min_periods=1).sum()
        ratio = (bad / tot.where(tot > 0)).fillna(0.0)
        np.testing.assert_allclose(t[col], ratio / 0.005, atol=1e-9)
    thresholds = read(outputs, "alert_rules")["burn_rate_threshold"]
    fires = (t["long_burn_0"] > thresholds[0]) & (t["short_burn_0"] > thresholds[0])
    assert (t["firing_0"] == fires).all()
    assert (t["page"] == (t["firing_0"] | t["firing_1"])).all() and (t["ticket"] == t["firing_2"]).all()


def check_error_budget_per_period(outputs):
    p = read(outputs, "error_budget_by_period")
    assert p["runs"].sum() == len(fleet())
    np.testing.assert_allclose(p["allowed_failures"], 0.005 * p["runs"])
    np.testing.assert_allclose(p["consumed_fraction"], p["bad_runs"] / (0.005 * p["runs"]))
    np.testing.assert_allclose(p["remaining_failures"], p["allowed_failures"] - p["failed_events"])


def check_compositions_against_the_binomial_sum(outputs):
    c = read(outputs, "compositions")
    for _, row in c.iloc[::40].iterrows():
        r = row["component_reliability"]
        at_least_3 = sum(math.comb(5, i) * r**i * (1 - r) ** (5 - i) for i in range(3, 6))
        assert row["3-of-5"] == pytest.approx(at_least_3, abs=1e-12)
        assert row["series of 5"] == pytest.approx(r**5)
        assert row["parallel 5"] == pytest.approx(1 - (1 - r) ** 5, abs=1e-12)


def check_nines_table_reproduces_the_sre_book(outputs):
    n = read(outputs, "nines_table").set_index("availability")
    row = n.loc[n.index[np.isclose(n.index, 0.999)][0]]
    assert row["year_minutes"] / 60 == pytest.approx(8.76, abs=0.005)
    assert row["month_minutes"] == pytest.approx(43.2, abs=0.05)
    assert row["day_minutes"] == pytest.approx(1.44, abs=0.005)


def check_acme_failures_recomputed(outputs):
    a = read(outputs, "acme_failures").set_index("id")
    raw = datasets.load_acme_cluster_summary().dropna(subset=["fail_rate_gpu"]).set_index("id")
    np.testing.assert_allclose(a["failed_gpu_hours"], raw["fail_gpu_time"] / 3600)
    np.testing.assert_allclose(a["mtbf_job_hours"], raw["avg_run_time_gpu"] / 3600 / raw["fail_rate_gpu"])
    p, r = raw["fail_rate_gpu"].to_numpy(), a["retries_for_target"].to_numpy()
    assert np.all(1 - p ** (r + 1) >= 0.95) and np.all((r == 0) | (1 - p**r < 0.95))


def check_every_figure_was_written(outputs):
    for name in ["vm_latency_series", "burn_rate", "compositions", "acme_failures"]:
        assert (outputs / f"{name}.png").stat().st_size > 10_000, name
