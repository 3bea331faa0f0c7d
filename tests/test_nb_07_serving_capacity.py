"""Notebook 07 run with non-default parameters; its CSVs are checked against formulas computed here.

References: the article's worked-example formulas (Replicas = ⌈Q / throughput⌉, T = Σ t_i,
margin = budget − T, Capacity = Replicas × Throughput); Gross et al., *Fundamentals of
Queueing Theory* §2.3 for the M/M/c wait quantile ln(C/(1−p))/(cμ − λ); fibre propagation
of 5 µs/km one way (planning figure, c/n_g with n_g ≈ 1.47); brute force on the H200
batching measurements. The queueing checks never call the library's Erlang C or SLO search:
Erlang C is the textbook sum (Gross et al. §2.3) evaluated in log space with scipy.special,
and response-time percentiles are roots (scipy.optimize.brentq) of the closed-form M/M/c
response-time survival function.
"""

import math

import numpy as np
import pandas as pd
import pytest

from scipy.optimize import brentq
from scipy.special import gammaln, logsumexp

from infra_lab import datasets
from infra_lab.serving import required_replicas

PARAMS = dict(
    required_qps=2400.0, throughput_per_replica=200.0, feature_lookup_ms=30.0, model_inference_ms=90.0,
    network_ms=40.0, postprocessing_ms=25.0, latency_budget_ms=180.0, slo_percentile=0.95,
    latency_slo_ms=120.0, n_simulated=20000, trace="code", cold_start_s=60.0, tpot_slo_ms=20.0,
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


def erlang_c_closed_form(a: float, c: int) -> float:
    """Erlang C from the textbook sum (Gross et al., Fundamentals of Queueing Theory, 4th ed., §2.3):
    C = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)], in logs so large c cannot overflow."""
    k = np.arange(c)
    log_top = c * math.log(a) - gammaln(c + 1) + math.log(c / (c - a))
    return float(math.exp(log_top - logsumexp(np.append(k * math.log(a) - gammaln(k + 1), log_top))))


def response_quantile_closed_form(lam: float, mu: float, c: int, p: float) -> float:
    """Root of P(T > t) = 1 − p with P(T > t) = (1−C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ), θ = cμ − λ
    (Gross et al. §2.3: W_q has an atom 1 − C at 0 and an Exp(θ) tail; T = W_q + Exp(μ))."""
    pw, theta = erlang_c_closed_form(lam / mu, c), c * mu - lam

    def tail(t):
        if abs(theta - mu) < 1e-9 * mu:   # Erlang-2 limit
            hypo = (1 + mu * t) * math.exp(-mu * t)
        else:
            hypo = (theta * math.exp(-mu * t) - mu * math.exp(-theta * t)) / (theta - mu)
        return (1 - pw) * math.exp(-mu * t) + pw * hypo - (1 - p)

    return brentq(tail, 0.0, 1e3 / min(mu, theta), xtol=1e-15, rtol=1e-13)


def smallest_fleet_for_slo(lam: float, mu: float, slo_s: float, p: float) -> int:
    c = int(math.floor(lam / mu)) + 1
    while response_quantile_closed_form(lam, mu, c, p) > slo_s:
        c += 1
    return c


def test_the_independent_erlang_c_reproduces_published_values():
    # The closed form above must itself be right: M/M/1 has C = ρ, and Bronson & Naadimuthu,
    # Schaum's Outline of Operations Research, problem 24.6 (s = 3, λ = 300/yr, μ = 182.5/yr)
    # has p0 = 0.17754, so C = p0 · a^c/c! · c/(c − a).
    assert erlang_c_closed_form(0.8, 1) == pytest.approx(0.8, rel=1e-12)
    a = 300 / 182.5
    assert erlang_c_closed_form(a, 3) == pytest.approx(0.17754 * a**3 / 6 * 3 / (3 - a), rel=1e-4)
    # M/M/1: T ~ Exp(μ − λ), so its p-quantile is −ln(1 − p)/(μ − λ) (Gross et al. §2.2).
    assert response_quantile_closed_form(0.7, 1.0, 1, 0.99) == pytest.approx(-math.log(0.01) / 0.3, rel=1e-9)


# The slot model (issue 12): a replica of X = 200 req/s at t = 90 ms holds k = X t = 18 requests at once
# (Little 1961), each slot serving μ = X / k; the fleet is M/M/(ck) and a response is t + the wait.
LAM, X, T_S, P = 2400.0, 200.0, 0.090, 0.95
K = round(X * T_S)
MU = X / K


def slot_wait_quantile(c: int) -> float:
    n = c * K
    pw = erlang_c_closed_form(LAM / MU, n)
    return max(0.0, math.log(pw / (1 - P)) / (n * MU - LAM))


def smallest_slot_fleet(slo_s: float) -> int:
    c = int(math.floor(LAM / X)) + 1
    while T_S + slot_wait_quantile(c) > slo_s:
        c += 1
    return c


def check_queueing_table_matches_erlang_c_and_the_wait_quantile(outputs):
    t = read(outputs, "queueing_vs_replicas")
    c = t["replicas"].to_numpy()
    assert K == 18 and (t["slots"] == c * K).all()
    assert c.min() == 13  # the first stable fleet: c > λ/X = 12
    np.testing.assert_allclose(t["utilization"], LAM / (c * X))
    n = c * K
    pw = np.array([erlang_c_closed_form(LAM / MU, int(m)) for m in n])
    np.testing.assert_allclose(t["prob_wait"], pw, rtol=1e-9)
    # Gross et al. §2.3: P(W_q > t) = C e^{-(nμ-λ)t} → t_p = max(0, ln(C/(1-p)) / (nμ-λ)).
    with np.errstate(divide="ignore"):
        tp = np.maximum(0.0, np.log(pw / (1 - P)) / (n * MU - LAM))
    np.testing.assert_allclose(t["wait_quantile_ms"], 1e3 * tp, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(t["mean_wait_ms"], 1e3 * pw / (n * MU - LAM), rtol=1e-9)
    # Issue 12: the response percentile can never beat the 90 ms inference time.
    np.testing.assert_allclose(t["response_quantile_ms"], 1e3 * (T_S + tp), rtol=1e-7)
    assert (t["response_quantile_ms"] >= 90.0 - 1e-9).all()
    # Little's law (Little 1961): in flight = λ W, W = W_q + t ≥ λ t = 216 requests in the model.
    np.testing.assert_allclose(t["in_flight"], LAM * (pw / (n * MU - LAM) + T_S), rtol=1e-9)
    assert (t["in_flight"] >= LAM * T_S - 1e-9).all()
    first_ok = int(t.loc[t["response_quantile_ms"] <= 120.0, "replicas"].min())
    assert first_ok == smallest_slot_fleet(0.120)


def check_simulation_agrees_with_erlang_c(outputs):
    s = read(outputs, "simulation_vs_theory").set_index("metric")
    # The simulated fleet is the SLO-sized one on its c·k slots; theory: Erlang C, W_q = C/(nμ − λ).
    c = smallest_slot_fleet(0.120)
    n = c * K
    pw = erlang_c_closed_form(LAM / MU, n)
    assert s.loc["P(wait > 0)", "theory"] == pytest.approx(pw, rel=1e-9)
    assert s.loc["mean wait (ms)", "theory"] == pytest.approx(1e3 * pw / (n * MU - LAM), rel=1e-9)
    assert s.loc["mean response (ms)", "theory"] == pytest.approx(1e3 * (pw / (n * MU - LAM) + 1 / MU), rel=1e-9)
    # 20,000 simulated requests: the fraction that waited is within sampling error of Erlang C.
    assert abs(s.loc["P(wait > 0)", "simulation"] - pw) < 0.05
    # With the constant 90 ms service the plan assumes, no percentile beats the inference time.
    assert (s.loc[["p95 response (ms)", "mean response (ms)"], "simulation_constant_service"] >= 90.0 - 1e-9).all()


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
    # Issue 12: the batch pays its fill (B − 1)/(Q/n) inside the budget and the fleet runs at the 70 % target
    # (Ross, Introduction to Probability Models ch. 5; brute force over the H200 measurements).
    table = datasets.load_h200_serving_batching()
    for row in read(outputs, "batching_choices").itertuples():
        options = []
        for r in table[table["model"] == row.model].itertuples():
            n = math.ceil(2400 / (r.requests_per_s * 0.7))
            total = 1e3 * (r.batch - 1) / (2400 / n) + r.p99_ms
            if total <= row.latency_budget_ms:
                options.append((n, total, r.batch))
        n, total, batch = min(options)
        assert (row.batch, row.replicas_for_Q) == (batch, n)
        assert row.total_ms == pytest.approx(total) and row.total_ms <= row.latency_budget_ms
        assert row.utilization <= 0.7 + 1e-12
        assert row.replicas_for_Q == required_replicas(2400, row.throughput_rps, utilization_target=0.7)


def check_llm_plans_meet_the_slos_they_claim(outputs):
    plans = read(outputs, "llm_plans")
    ok = plans[plans["feasible"]]
    assert set(ok["trace"]) >= {"conv", "code"}
    assert (ok["tpot_ms"] <= 20.0).all() and (ok["ttft_quantile_s"] <= 1.0).all()
    # Issue 12: a plan outside the measured decode grid (B × L ≤ 65,536 KV tokens, L in 512–4096,
    # data/measured_h200/README.md) must be marked as extrapolated.
    inside = ((ok["mean_context_tokens"] >= 512) & (ok["mean_context_tokens"] <= 4096) & (ok["batch"] <= 128)
              & (ok["batch"] * ok["mean_context_tokens"] <= 65536))
    assert (ok["decode_measured"] == inside).all()
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
                 "autoscaler_cold_start", "batching", "llm_replicas", "decode_floor", "canary_power", "planner"]:
        assert (outputs / f"{name}.png").stat().st_size > 10_000, name
