"""Notebook 07 run with non-default parameters; its CSVs are checked against formulas computed here.

References: the article's worked-example formulas (Replicas = ⌈Q / throughput⌉, T = Σ t_i,
margin = budget − T, Capacity = Replicas × Throughput); Gross et al., *Fundamentals of
Queueing Theory* §2.3 for the M/M/c wait quantile ln(C/(1−p))/(cμ − λ); fibre propagation
of 5 µs/km one way (planning figure, c/n_g with n_g ≈ 1.47); brute force on the H200
batching measurements.
"""

import math

import numpy as np
import pandas as pd
import pytest

from infra_lab import datasets
from infra_lab.serving import erlang_c, replicas_for_slo, required_replicas

PARAMS = dict(
    required_qps=2400.0, throughput_per_replica=200.0, feature_lookup_ms=30.0, model_inference_ms=90.0,
    network_ms=40.0, postprocessing_ms=25.0, latency_budget_ms=180.0, slo_percentile=0.95,
    latency_slo_ms=40.0, n_simulated=20000, trace="code", cold_start_s=60.0, tpot_slo_ms=20.0,
    batch_latency_budget_ms=30.0, seed=11,
)


def test_non_default_run_writes_outputs_that_match_the_formulas(run_notebook):
    # One run through the course's `run_notebook` fixture; each check below reads its CSVs.
    outputs = run_notebook("07_serving_capacity", **PARAMS)
    for check in [check_worked_example_follows_the_articles_formulas,
                  check_queueing_table_matches_erlang_c_and_the_wait_quantile,
                  check_simulation_agrees_with_erlang_c,
                  check_burstiness_of_the_code_trace_recomputed_from_timestamps,
                  check_autoscaler_sweep_obeys_the_trade_off,
                  check_batching_choices_match_brute_force_and_the_replica_formula,
                  check_llm_plans_meet_the_slos_they_claim,
                  check_edge_vs_cloud_uses_fibre_propagation,
                  check_every_figure_was_written]:
        check(outputs)


def read(outputs, name):
    return pd.read_csv(outputs / f"{name}.csv")


def check_worked_example_follows_the_articles_formulas(outputs):
    row = read(outputs, "worked_example").iloc[0]
    replicas = math.ceil(2400 / 200)  # Replicas = ⌈Q / Throughput⌉
    total = 30 + 90 + 40 + 25
    assert row.required_replicas == replicas == 12
    assert row.capacity_rps == replicas * 200  # Capacity = Replicas × Throughput
    assert row.total_latency_ms == total == 185
    assert row.latency_margin_ms == 180 - total
    assert not row.meets_latency_budget  # 185 ms breaks a 180 ms budget


def check_queueing_table_matches_erlang_c_and_the_wait_quantile(outputs):
    t = read(outputs, "queueing_vs_replicas")
    lam, mu, p = 2400.0, 200.0, 0.95
    c = t["replicas"].to_numpy()
    assert c.min() == 13  # the first stable fleet: c > λ/μ = 12
    np.testing.assert_allclose(t["utilization"], lam / (c * mu))
    pw = np.asarray(erlang_c(c, lam / mu))
    np.testing.assert_allclose(t["prob_wait"], pw, rtol=1e-9)
    # Gross et al. §2.3: P(W_q > t) = C e^{-(cμ-λ)t} → t_p = max(0, ln(C/(1-p)) / (cμ-λ)).
    with np.errstate(divide="ignore"):
        tp = np.maximum(0.0, np.log(pw / (1 - p)) / (c * mu - lam))
    np.testing.assert_allclose(t["wait_quantile_ms"], 1e3 * tp, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(t["mean_wait_ms"], 1e3 * pw / (c * mu - lam), rtol=1e-9)
    # The smallest fleet meeting the response SLO in the table is the library's answer.
    first_ok = int(t.loc[t["response_quantile_ms"] <= 40.0, "replicas"].min())
    assert first_ok == replicas_for_slo(lam, mu, 0.040, p)


def check_simulation_agrees_with_erlang_c(outputs):
    s = read(outputs, "simulation_vs_theory").set_index("metric")
    # The simulated fleet is the SLO-sized one; its theory column is Erlang C and
    # W_q = C/(cμ − λ) (Gross et al. §2.3), recomputed here.
    lam, mu = 2400.0, 200.0
    c = replicas_for_slo(lam, mu, 0.040, 0.95)
    pw = erlang_c(c, lam / mu)
    assert s.loc["P(wait > 0)", "theory"] == pytest.approx(pw, rel=1e-9)
    assert s.loc["mean wait (ms)", "theory"] == pytest.approx(1e3 * pw / (c * mu - lam), rel=1e-9)
    # 20,000 simulated requests: the fraction that waited is within sampling error of Erlang C.
    assert abs(s.loc["P(wait > 0)", "simulation"] - pw) < 0.05


def check_burstiness_of_the_code_trace_recomputed_from_timestamps(outputs):
    b = read(outputs, "burstiness").query("trace == 'code' and interval_s == 60.0").iloc[0]
    ts = datasets.load_azure_llm_code()["TIMESTAMP"]
    sec = (ts - ts.min()).dt.total_seconds().to_numpy()
    counts = np.bincount(np.floor(sec / 60.0).astype(int))
    assert b.requests == len(ts)
    assert b.mean_rate_rps == pytest.approx(counts.mean() / 60)
    assert b.peak_rate_rps == pytest.approx(counts.max() / 60)
    assert b.index_of_dispersion == pytest.approx(counts.var(ddof=1) / counts.mean())
    gaps = np.diff(np.sort(sec))
    assert b.interarrival_cov == pytest.approx(gaps.std(ddof=1) / gaps.mean())


def check_autoscaler_sweep_obeys_the_trade_off(outputs):
    s = read(outputs, "autoscaler_cold_start")
    hours = s.groupby("target_utilization")["replica_hours"].first()
    assert hours.is_monotonic_decreasing  # more headroom costs more replica-hours
    for _, g in s.groupby("target_utilization"):
        assert g.sort_values("cold_start_s")["requests_in_violation"].is_monotonic_increasing


def check_batching_choices_match_brute_force_and_the_replica_formula(outputs):
    table = datasets.load_h200_serving_batching()
    for row in read(outputs, "batching_choices").itertuples():
        rows = table[(table["model"] == row.model) & (table["p99_ms"] <= row.latency_budget_ms)]
        best = rows.loc[rows["requests_per_s"].idxmax()]
        assert row.batch == best["batch"]
        assert row.replicas_for_Q == math.ceil(2400 / best["requests_per_s"])
        assert row.replicas_for_Q == required_replicas(2400, best["requests_per_s"])


def check_llm_plans_meet_the_slos_they_claim(outputs):
    plans = read(outputs, "llm_plans")
    ok = plans[plans["feasible"]]
    assert set(ok["trace"]) >= {"conv", "code"}
    assert (ok["tpot_ms"] <= 20.0).all() and (ok["ttft_quantile_s"] <= 1.0).all()
    curve = read(outputs, "llm_replicas_vs_tpot")
    for _, g in curve.groupby("trace"):  # looser TPOT SLOs never need more replicas
        assert g.sort_values("tpot_slo_ms")["replicas"].is_monotonic_decreasing


def check_edge_vs_cloud_uses_fibre_propagation(outputs):
    e = read(outputs, "edge_vs_cloud")
    network = 2 * (1.5 * e["distance_km"] * 5e-3 + e["hops"] * 0.1)  # round trip, 5 µs/km, 0.1 ms/hop
    np.testing.assert_allclose(e["network_ms"], network)
    np.testing.assert_allclose(e["total_ms"], 30 + 90 + 25 + network)
    assert (e["meets_budget"] == (e["total_ms"] <= 180)).all()


def check_every_figure_was_written(outputs):
    for name in ["utilisation_latency", "replicas_tail", "simulation_ecdf", "trace_bursts", "autoscaler_replay",
                 "autoscaler_cold_start", "batching", "llm_replicas", "decode_floor", "canary_power"]:
        assert (outputs / f"{name}.png").stat().st_size > 10_000, name
