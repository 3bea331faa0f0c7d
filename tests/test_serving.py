"""Tests for infra_lab.serving: the article's worked example, textbook queueing answers,
Erlang B/C at scale, response-time percentiles, the simulator against theory, and errors.

Every reference value is either quoted from a named published source (cited beside it) or
computed in the test by an independent method (log-space Erlang C, numeric convolution, a
naive event loop) — never copied from the module's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, stats
from scipy.special import gammaln, logsumexp

from infra_lab import article
from infra_lab.serving import (
    FIBRE_US_PER_KM,
    LatencyBudget,
    batch_means_ci,
    canary_detection_probability,
    deployment_strategies,
    erlang_b,
    erlang_c,
    exponential_service,
    latency_budget,
    littles_law,
    mg1,
    mm1,
    mmc,
    network_latency_ms,
    poisson_arrivals,
    replicas_for_slo,
    required_replicas,
    service_table,
    serving_capacity_rps,
    simulate_queue,
)

# ---------------------------------------------------------------------------------------
# The article's worked example ("Serving Capacity and Latency Budget")
# ---------------------------------------------------------------------------------------


def test_required_replicas_reproduces_the_articles_worked_example():
    # Article: Q = 1,200 req/s, 150 req/s per replica → Replicas = 1200/150 = 8.
    assert required_replicas(1200, 150) == 8


def test_capacity_of_eight_replicas_is_the_required_rate():
    # Article, Mathematical Lens: Capacity = Replicas × Throughput_replica = 8 × 150 = 1200.
    assert serving_capacity_rps(8, 150) == 1200.0


def test_latency_budget_reproduces_the_articles_worked_example():
    # Article: 45 + 80 + 35 + 20 = 180 ms within a 200 ms budget, 20 ms margin.
    result = latency_budget({"feature_lookup": 45, "model_inference": 80, "network": 35,
                             "postprocessing": 20}, 200)
    assert result == LatencyBudget(total_ms=180.0, margin_ms=20.0, meets_budget=True)
    assert latency_budget([45, 80, 35, 20], 200).total_ms == 180.0


def test_service_table_derives_the_articles_columns():
    # Article's service table: required_replicas 8, total_latency_ms 180,
    # latency_margin_ms 20, meets_latency_budget True.
    table = service_table()
    row = table.iloc[0]
    assert row["service"] == "risk_model_api"
    assert row["required_replicas"] == 8
    assert row["total_latency_ms"] == 180.0
    assert row["latency_margin_ms"] == 20.0
    assert bool(row["meets_latency_budget"]) is True
    assert row["capacity_rps"] == 1200.0
    # the input table is untouched
    assert "required_replicas" not in article.serving_services().columns


def test_service_table_accepts_a_modified_table():
    df = article.serving_services()
    df.loc[0, "required_qps"] = 2400
    df.loc[0, "model_inference_ms"] = 110
    out = service_table(df)
    assert out.loc[0, "required_replicas"] == 16            # 2400 / 150
    assert out.loc[0, "total_latency_ms"] == 210.0          # 45 + 110 + 35 + 20
    assert not out.loc[0, "meets_latency_budget"]


def test_service_table_names_missing_columns():
    with pytest.raises(ValueError, match="required_qps"):
        service_table(pd.DataFrame({"latency_budget_ms": [200], "throughput_per_replica": [150]}))


def test_utilization_target_adds_headroom():
    # 1200 / (150 · 0.7) = 11.43 → 12 replicas
    assert required_replicas(1200, 150, utilization_target=0.7) == 12
    assert required_replicas([0, 150, 151], 150).tolist() == [0, 1, 2]


@given(q=st.one_of(st.just(0.0), st.floats(1e-6, 1e6)), t=st.floats(0.1, 1e4), u=st.floats(0.05, 1.0))
def test_required_replicas_is_the_smallest_sufficient_fleet(q, t, u):
    n = required_replicas(q, t, u)
    assert serving_capacity_rps(n, t) * u >= q * (1 - 1e-9)
    if n > 0:
        assert serving_capacity_rps(n - 1, t) * u < q * (1 + 1e-9)


# ---------------------------------------------------------------------------------------
# Textbook queueing examples with published answers
# ---------------------------------------------------------------------------------------


def test_bronson_23_14_mm1():
    # Bronson & Naadimuthu, Schaum's Outline of Operations Research, problem 23.14 (also on
    # M. Casquilho's page cited below):
    # M/M/1, λ = 30/h, mean service 1.5 min (μ = 40/h) → L_q = 2.25, W_q = 4.5 min, p0 = 0.25.
    r = mm1(30.0, 40.0)
    assert r.mean_queue_length == pytest.approx(2.25)
    assert r.mean_wait_s * 60 == pytest.approx(4.5)   # rates per hour → hours; × 60 = minutes
    assert r.prob_empty == pytest.approx(0.25)


def test_bronson_23_3_mm1_and_littles_law():
    # Bronson & Naadimuthu, problem 23.3: λ = 24/h, μ = 30/h → L = 4, W = 1/6 h, p0 = 0.2.
    r = mm1(24.0, 30.0)
    assert r.mean_in_system == pytest.approx(4.0)
    assert r.mean_response_s == pytest.approx(1 / 6)
    assert r.prob_empty == pytest.approx(0.2)
    # Little (1961): W = L / λ
    assert littles_law(arrival_rate_rps=24.0, number_in_system=4.0) == pytest.approx(1 / 6)
    assert littles_law(arrival_rate_rps=24.0, time_in_system_s=1 / 6) == pytest.approx(4.0)
    assert littles_law(time_in_system_s=1 / 6, number_in_system=4.0) == pytest.approx(24.0)


def test_bronson_24_6_mm3():
    # Bronson, Schaum's Outline of Operations Research, problem 24.6 (as tabulated with its
    # answers by M. Casquilho, IST Lisbon, "Queue variables" page, citing Bronson 1982,
    # http://web.ist.utl.pt/mcasquilho/compute/or/Fx-queuevars.php):
    # s = 3, λ = 300/yr, mean service 2 d (μ = 182.5/yr) → L_q = 0.352, L = 1.996,
    # W_q = 0.001175 yr = 0.43 d, W = 0.006654 yr = 2.429 d, p0 = 0.17754.
    r = mmc(300.0, 182.5, 3)
    assert r.mean_queue_length == pytest.approx(0.352, abs=5e-4)
    assert r.mean_in_system == pytest.approx(1.996, abs=5e-4)
    assert r.mean_wait_s == pytest.approx(0.001175, abs=5e-7)
    assert r.mean_wait_s * 365 == pytest.approx(0.43, abs=5e-3)
    assert r.mean_response_s == pytest.approx(0.006654, abs=5e-7)
    assert r.mean_response_s * 365 == pytest.approx(2.429, abs=5e-4)
    assert r.prob_empty == pytest.approx(0.17754, abs=5e-6)


def test_erlang_b_matches_the_westbay_calculator_example():
    # Westbay Engineers, Erlang calculator manual, "How much traffic can a trunk group
    # handle?" (https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm):
    # 15 lines at 1 % blocking carry 8.108 Erlangs (the calculator shows three decimals).
    assert erlang_b(8.108, 15) == pytest.approx(0.01, abs=1e-4)


def test_erlang_b_and_c_small_cases_by_hand():
    # c = 1: B = a/(1+a); C = ρ = a (Gross et al., Fundamentals of Queueing Theory, ch. 2: P(wait) = ρ for M/M/1).
    assert erlang_b(0.5, 1) == pytest.approx(1 / 3)
    assert erlang_c(0.5, 1) == pytest.approx(0.5)
    # c = 2, a = 1: B = (1/2)/(1 + 1 + 1/2) = 0.2; C = (a²/2 · 2/(2−a)) / (1 + a + that) = 1/3.
    assert erlang_b(1.0, 2) == pytest.approx(0.2)
    assert erlang_c(1.0, 2) == pytest.approx(1 / 3)


def _erlang_c_logspace(c: int, a: float) -> float:
    """Independent Erlang C: the textbook sum evaluated in logs (gammaln + logsumexp)."""
    k = np.arange(c)
    log_terms = k * np.log(a) - gammaln(k + 1)
    log_top = c * np.log(a) - gammaln(c + 1) + np.log(c / (c - a))
    return float(np.exp(log_top - logsumexp(np.append(log_terms, log_top))))


@pytest.mark.parametrize("c, a", [(2000, 1950.0), (2500, 2400.0), (5000, 4900.0), (10_000, 9990.0),
                                  (3000, 1500.0)])
def test_erlang_c_for_thousands_of_servers_matches_log_space(c, a):
    # a^c / c! overflows a double past c ≈ 170; the recursion must stay finite and exact.
    value = erlang_c(a, c)
    assert math.isfinite(value) and 0.0 <= value <= 1.0
    assert value == pytest.approx(_erlang_c_logspace(c, a), rel=1e-9, abs=1e-300)


def test_erlang_vectorised_over_servers_equals_scalar_calls():
    cs = np.array([1, 5, 17, 300, 2048])
    vec = erlang_c(12.5, cs)
    assert vec.shape == (5,)
    for c, v in zip(cs, vec):
        assert v == pytest.approx(erlang_c(12.5, int(c)), rel=1e-12)
    grid = erlang_b(np.array([0.5, 12.5, 900.0])[None, :], cs[:, None])
    assert grid.shape == (5, 3)
    assert grid[3, 2] == pytest.approx(erlang_b(900.0, 300), rel=1e-12)


def test_erlang_c_is_one_for_unstable_loads():
    # Documented choice: a ≥ c means every arrival eventually waits.
    assert erlang_c(4.0, 4) == 1.0
    assert erlang_c(10.0, [2, 3]).tolist() == [1.0, 1.0]


def test_mm1_response_time_is_exponential():
    # Gross et al., Fundamentals of Queueing Theory, ch. 2 (M/M/1): the FCFS time in system
    # is exponential with rate μ − λ, so its q-quantile is −ln(1 − q)/(μ − λ).
    r = mm1(0.7, 1.0)
    for q in (0.5, 0.9, 0.95, 0.99, 0.999):
        assert r.response_quantile(q) == pytest.approx(-math.log1p(-q) / 0.3, rel=1e-9)


def test_mmc_wait_quantile_formula():
    # P(W_q > t) = C e^{−(cμ−λ)t} (Gross et al., ch. 2, M/M/c): the p-quantile solves C e^{−θt} = 1 − p.
    r = mmc(9.0, 1.0, 10)
    theta = 10 - 9.0
    assert r.wait_quantile(0.99) == pytest.approx(math.log(r.prob_queued / 0.01) / theta, rel=1e-12)
    assert r.wait_quantile(1 - r.prob_queued) == 0.0   # the atom at zero


@pytest.mark.parametrize("lam, mu, c", [(1.0, 1.0, 2),        # θ = cμ − λ = μ exactly
                                         (1.0 + 1e-9, 1.0, 2),  # θ within 1e-9 of μ
                                         (3.0, 1.0, 4),         # θ = μ again
                                         (7.5, 2.0, 5),
                                         (0.5, 3.0, 1)])
def test_response_survival_matches_numeric_convolution(lam, mu, c):
    # Independent check: P(T > t) = P(S > t) + ∫_0^t μe^{−μs} P(W_q > t − s) ds, integrated
    # numerically with scipy.integrate.quad.
    r = mmc(lam, mu, c)
    theta = c * mu - lam
    for t in (0.1, 1.0, 3.0, 8.0):
        integral, _ = integrate.quad(lambda s: mu * math.exp(-mu * s) * r.prob_queued * math.exp(-theta * (t - s)),
                                     0.0, t, epsabs=1e-13, epsrel=1e-11)
        expected = math.exp(-mu * t) + integral
        assert r.response_survival(t) == pytest.approx(expected, rel=1e-8, abs=1e-14)


def test_mg1_is_mm1_for_exponential_service_and_md1_halves_lq():
    # Pollaczek-Khinchine with SCV = 1 reproduces Bronson 23.14 (L_q = 2.25); deterministic
    # service (SCV = 0) halves L_q (Gross et al., ch. 5, Pollaczek-Khinchine).
    exp_ = mg1(30.0, 40.0, service_scv=1.0)
    det = mg1(30.0, 40.0, service_scv=0.0)
    assert exp_.mean_queue_length == pytest.approx(2.25)
    assert det.mean_queue_length == pytest.approx(1.125)
    assert mg1(30.0, 40.0, second_moment_s2=2 / 40**2).mean_queue_length == pytest.approx(2.25)
    assert det.mean_in_system == pytest.approx(det.mean_queue_length + 0.75)


# ---------------------------------------------------------------------------------------
# Properties (hypothesis)
# ---------------------------------------------------------------------------------------


@given(c=st.integers(1, 400), a=st.floats(0.0, 2000.0))
def test_erlang_b_and_c_are_probabilities_and_c_exceeds_b(c, a):
    b = erlang_b(a, c)
    pw = erlang_c(a, c)
    assert 0.0 <= b <= 1.0
    assert 0.0 <= pw <= 1.0
    assert pw >= b - 1e-12


@given(c=st.integers(1, 300), a=st.floats(0.01, 250.0))
def test_more_servers_never_raise_the_probability_of_waiting(c, a):
    assert erlang_c(a, c + 1) <= erlang_c(a, c) + 1e-12
    assert erlang_b(a, c + 1) <= erlang_b(a, c) + 1e-12


@given(a=st.floats(0.05, 60.0), extra=st.integers(0, 20), mu=st.floats(0.1, 100.0))
def test_more_servers_never_raise_the_mean_wait_or_percentiles(a, extra, mu):
    lam = a * mu
    c = int(math.floor(lam / mu)) + 1 + extra  # from λ/μ as computed: a·μ/μ can round up to a whole number
    small, big = mmc(lam, mu, c), mmc(lam, mu, c + 1)
    assert big.mean_wait_s <= small.mean_wait_s * (1 + 1e-9)
    assert big.response_quantile(0.99) <= small.response_quantile(0.99) * (1 + 1e-9)


@settings(max_examples=60)
@given(rho=st.floats(0.01, 0.99), c=st.integers(1, 64), mu=st.floats(0.1, 50.0))
def test_percentiles_are_ordered_and_invert_the_survival_function(rho, c, mu):
    r = mmc(rho * c * mu, mu, c)
    p50, p95, p99 = (r.response_quantile(q) for q in (0.5, 0.95, 0.99))
    assert p50 <= p95 <= p99
    assert r.wait_quantile(0.5) <= r.wait_quantile(0.99)
    assert p99 >= -math.log(0.01) / mu * (1 - 1e-9)   # T = W_q + S is at least S
    assert r.response_survival(p99) == pytest.approx(0.01, rel=1e-6)
    assert r.mean_in_system == pytest.approx(r.arrival_rate_rps * r.mean_response_s)   # Little


@settings(max_examples=40)
@given(data=st.data(), c=st.integers(1, 4))
def test_simulated_waits_never_grow_with_another_server(data, c):
    # FCFS G/G/c: with the same arrivals and service times, an extra server cannot delay
    # anyone (start times with c + 1 servers are pointwise ≤ those with c).
    n = data.draw(st.integers(1, 40))
    gaps = data.draw(st.lists(st.floats(0, 3), min_size=n, max_size=n))
    services = data.draw(st.lists(st.floats(0, 5), min_size=n, max_size=n))
    arrivals = np.cumsum(gaps)
    w_c = simulate_queue(arrivals, services, c).wait_s
    w_c1 = simulate_queue(arrivals, services, c + 1).wait_s
    assert np.all(w_c1 <= w_c + 1e-9)
    assert np.all(w_c >= 0)


# ---------------------------------------------------------------------------------------
# The simulator: exactness on small cases, then agreement with theory
# ---------------------------------------------------------------------------------------


def _naive_fifo(arrivals, services, c):
    """Reference event loop: each request in order takes the server that frees up first."""
    free = [float(arrivals[0])] * c
    waits = []
    for a, s in zip(arrivals, services):
        k = min(range(c), key=lambda j: free[j])
        start = max(a, free[k])
        waits.append(start - a)
        free[k] = start + s
    return np.array(waits)


@pytest.mark.parametrize("c", [1, 2, 3, 7])
def test_simulator_matches_a_naive_event_loop(c):
    rng = np.random.default_rng(11)
    arrivals = np.cumsum(rng.exponential(1.0, 3000))
    services = rng.gamma(0.5, 2.0 * c * 0.9, 3000)   # SCV 2, ρ ≈ 0.9
    expected = _naive_fifo(arrivals, services, c)
    for track in (False, True):
        got = simulate_queue(arrivals, services, c, track_servers=track)
        np.testing.assert_allclose(got.wait_s, expected, rtol=0, atol=1e-9)
        np.testing.assert_allclose(got.finish_s, arrivals + expected + services, rtol=0, atol=1e-9)


def test_simulator_tracks_servers_consistently():
    r = simulate_queue([0.0, 0.0, 0.0, 0.5], [1.0, 2.0, 3.0, 1.0], servers=3, track_servers=True)
    assert r.server.tolist() == [0, 1, 2, 0]
    assert r.wait_s.tolist() == [0.0, 0.0, 0.0, 0.5]
    frame = r.to_frame()
    assert list(frame.columns) == ["arrival_s", "service_s", "wait_s", "start_s", "finish_s", "response_s",
                                   "server"]
    # no server serves two overlapping requests
    for k in range(3):
        rows = frame[frame.server == k].sort_values("start_s")
        assert np.all(rows.start_s.to_numpy()[1:] >= rows.finish_s.to_numpy()[:-1] - 1e-12)


def _within(ci, value, n_se=4.0):
    """|estimate − value| ≤ n_se standard errors of the batch-means interval."""
    k = 30
    se = ci.half_width / stats.t.ppf(0.975, k - 1)
    return abs(ci.estimate - value) <= n_se * se


@pytest.mark.parametrize("c, rho, seed", [(1, 0.8, 1), (4, 0.8, 2), (8, 0.9, 3)])
def test_simulated_mmc_agrees_with_erlang_c(c, rho, seed):
    # 2 × 10^5 Poisson/exponential requests; 30 batch means (Law, Simulation Modeling and
    # Analysis, ch. 9) give an honest standard error for the correlated waits; the first
    # 10^4 requests are dropped as warm-up (the queue starts empty).
    mu = 1.0
    lam = rho * c * mu
    n = 200_000
    sim = simulate_queue(poisson_arrivals(lam, n, seed), exponential_service(mu, n, seed + 100), c)
    theory = mmc(lam, mu, c)
    wait_ci = batch_means_ci(sim.wait_s, n_batches=30, warmup=10_000)
    wait_prob_ci = batch_means_ci((sim.wait_s > 0).astype(float), n_batches=30, warmup=10_000)
    assert _within(wait_ci, theory.mean_wait_s), (wait_ci, theory.mean_wait_s)
    assert _within(wait_prob_ci, theory.prob_queued), (wait_prob_ci, theory.prob_queued)
    # tail: the fraction of responses above the theoretical p95 and p99
    for q in (0.95, 0.99):
        t_q = theory.response_quantile(q)
        tail_ci = batch_means_ci((sim.response_s > t_q).astype(float), n_batches=30, warmup=10_000)
        assert _within(tail_ci, 1 - q), (q, tail_ci)


def test_simulated_md1_agrees_with_pollaczek_khinchine():
    # M/D/1, λ = 0.8, S = 1 s: W_q = λE[S²]/(2(1 − ρ)) = 0.8/(0.4) = 2 s.
    n = 200_000
    sim = simulate_queue(poisson_arrivals(0.8, n, 7), np.ones(n), 1)
    theory = mg1(0.8, 1.0, service_scv=0.0)
    assert theory.mean_wait_s == pytest.approx(2.0)
    ci = batch_means_ci(sim.wait_s, n_batches=30, warmup=10_000)
    assert _within(ci, theory.mean_wait_s), ci
    prob_ci = batch_means_ci((sim.wait_s > 0).astype(float), n_batches=30, warmup=10_000)
    assert _within(prob_ci, theory.prob_queued), prob_ci   # P(wait) = ρ (PASTA)


def test_batch_means_interval_covers_a_known_mean():
    # i.i.d. N(5, 1): the 95 % interval from 30 batches must cover 5 in about 95 % of
    # 200 independent repetitions (binomial 95 % band for 200 trials: [184, 196]).
    rng = np.random.default_rng(3)
    covered = sum(batch_means_ci(rng.normal(5.0, 1.0, 3000), n_batches=30).contains(5.0)
                  for _ in range(200))
    assert 180 <= covered <= 199


def test_poisson_arrivals_have_the_right_rate_and_are_seeded():
    t = poisson_arrivals(50.0, 100_000, seed=5)
    assert np.all(np.diff(t) >= 0)
    assert np.mean(np.diff(t)) == pytest.approx(1 / 50, rel=0.02)
    np.testing.assert_array_equal(t, poisson_arrivals(50.0, 100_000, seed=5))
    s = exponential_service(4.0, 100_000, seed=5)
    assert s.mean() == pytest.approx(0.25, rel=0.02)


# ---------------------------------------------------------------------------------------
# replicas_for_slo
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lam, mu, slo", [(1200.0, 150.0, 0.05), (1200.0, 150.0, 0.032), (50.0, 1.0, 6.0),
                                          (5000.0, 2.0, 2.5)])
def test_replicas_for_slo_is_the_smallest_fleet_meeting_the_percentile(lam, mu, slo):
    c = replicas_for_slo(lam, mu, slo, percentile=0.99)
    assert mmc(lam, mu, c).response_quantile(0.99) <= slo
    if (c - 1) * mu > lam:
        assert mmc(lam, mu, c - 1).response_quantile(0.99) > slo


def test_replicas_for_slo_broadcasts():
    out = replicas_for_slo(1200.0, 150.0, [0.05, 0.04, 0.032])
    assert out.tolist() == [replicas_for_slo(1200.0, 150.0, s) for s in (0.05, 0.04, 0.032)]
    assert list(out) == sorted(out)   # tighter SLO → at least as many replicas


def test_replicas_for_slo_refuses_an_slo_below_the_service_time_percentile():
    # p99 of Exp(150/s) service alone is ln(100)/150 = 30.7 ms; no fleet beats it.
    with pytest.raises(ValueError, match="latency_slo_s"):
        replicas_for_slo(1200.0, 150.0, 0.030)
    with pytest.raises(ValueError, match="max_servers"):
        replicas_for_slo(1200.0, 150.0, 0.0308, max_servers=12)


# ---------------------------------------------------------------------------------------
# Deployment strategies, canaries, network latency
# ---------------------------------------------------------------------------------------


def test_deployment_strategies_cover_the_articles_patterns():
    df = deployment_strategies()
    assert df["strategy"].tolist() == ["online", "batch", "streaming", "shadow", "canary", "blue-green"]
    for col in ("latency", "cost", "risk", "rollback_speed", "detects"):
        assert df[col].notna().all() and (df[col].str.len() > 0).all()


@given(p0=st.floats(0.001, 0.2), share=st.floats(0.01, 1.0), n=st.integers(100, 200_000))
def test_exact_canary_test_has_size_at_most_alpha(p0, share, n):
    # With no regression (p1 = p0) the exact binomial test rejects with probability ≤ α.
    assert canary_detection_probability(p0, p0, share, n, alpha=0.05) <= 0.05 + 1e-12


def test_canary_exact_power_matches_monte_carlo():
    # Independent check: simulate the canary's error count and apply the same critical value.
    p0, p1, n = 0.01, 0.02, 500
    k = stats.binom.isf(0.05, n, p0)
    rng = np.random.default_rng(0)
    draws = rng.binomial(n, p1, 200_000)
    mc = np.mean(draws > k)
    assert canary_detection_probability(p0, p1, 0.05, 10_000) == pytest.approx(mc, abs=0.005)


def test_canary_normal_power_inverts_the_sample_size_formula():
    # Fleiss, Levin & Paik, Statistical Methods for Rates and Proportions, one-sample size:
    # n = ((z_{1−α}√(p0 q0) + z_{1−β}√(p1 q1)) / (p1 − p0))² gives power 1 − β.
    p0, p1, alpha, power = 0.01, 0.015, 0.05, 0.8
    za, zb = stats.norm.ppf(1 - alpha), stats.norm.ppf(power)
    n = ((za * math.sqrt(p0 * (1 - p0)) + zb * math.sqrt(p1 * (1 - p1))) / (p1 - p0)) ** 2
    total = 1e9   # canary share chosen so that share × total = n (floor loses < 1 request)
    got = canary_detection_probability(p0, p1, n / total, total, alpha=alpha, method="normal")
    assert got == pytest.approx(power, abs=1e-4)


def test_small_canaries_and_subgroup_regressions_are_missed():
    shares = np.array([0.01, 0.05, 0.2, 0.5])
    power = canary_detection_probability(0.01, 0.02, shares, 50_000, method="normal")
    assert np.all(np.diff(power) > 0)
    full = canary_detection_probability(0.01, 0.05, 0.1, 50_000)
    sub = canary_detection_probability(0.01, 0.05, 0.1, 50_000, subgroup_share=0.05)
    assert sub < full
    # a regression confined to 5 % of traffic is the same as a diluted regression for everyone
    diluted = canary_detection_probability(0.01, 0.95 * 0.01 + 0.05 * 0.05, 0.1, 50_000)
    assert sub == pytest.approx(diluted, rel=1e-12)


def test_network_latency_follows_the_speed_of_light_in_fibre():
    # v = c / n_g with n_g ≈ 1.47 for single-mode fibre → 1000/(299792.458/1.47) s ≈ 4.9 µs/km;
    # the 5 µs/km planning value is within 3 % of it.
    physical_us_per_km = 1e6 / (299_792.458 / 1.47)
    assert FIBRE_US_PER_KM == pytest.approx(physical_us_per_km, rel=0.03)
    assert network_latency_ms(1000) == pytest.approx(10.0)              # 2 × 1000 km × 5 µs
    assert network_latency_ms(1000, round_trip=False) == pytest.approx(5.0)
    assert network_latency_ms(100, route_factor=2.0, hops=4, per_hop_ms=0.25) == pytest.approx(2 * (1.0 + 1.0))
    edge, cloud = network_latency_ms([20, 2000])
    assert edge < cloud


# ---------------------------------------------------------------------------------------
# Errors name the parameter, the value and what is allowed
# ---------------------------------------------------------------------------------------


def test_zero_throughput_is_refused_by_name():
    with pytest.raises(ValueError, match="throughput_per_replica_rps"):
        required_replicas(1200, 0)


@pytest.mark.parametrize("call, name", [
    (lambda: required_replicas(-1, 150), "required_rps"),
    (lambda: required_replicas(1200, 150, utilization_target=1.5), "utilization_target"),
    (lambda: latency_budget([45, -1], 200), r"components_ms\[1\]"),
    (lambda: latency_budget({"network": 35}, 0), "budget_ms"),
    (lambda: mmc(0.5, 0.0, 1), "service_rate_rps"),
    (lambda: mmc(-1.0, 1.0, 1), "arrival_rate_rps"),
    (lambda: mmc(0.5, 1.0, 0), "servers"),
    (lambda: mmc(0.5, 1.0, 1.5), "servers"),
    (lambda: erlang_c(-1.0, 3), "offered_load"),
    (lambda: mg1(0.5, 0.0, service_scv=1.0), "service_rate_rps"),
    (lambda: mg1(0.5, 1.0, second_moment_s2=0.5), "second_moment_s2"),
    (lambda: mm1(0.5, 1.0).response_quantile(1.0), "q"),
    (lambda: replicas_for_slo(10.0, 1.0, 5.0, percentile=0.0), "percentile"),
    (lambda: canary_detection_probability(0.01, 0.02, 0.0, 1000), "canary_share"),
    (lambda: canary_detection_probability(0.0, 0.02, 0.1, 1000), "baseline_error_rate"),
    (lambda: canary_detection_probability(0.01, 0.02, 0.1, 1000, method="bayes"), "method"),
    (lambda: network_latency_ms(100, route_factor=0.5), "route_factor"),
    (lambda: network_latency_ms(-1), "distance_km"),
    (lambda: simulate_queue([0.0, 1.0], [1.0], 1), "service_times_s"),
    (lambda: simulate_queue([0.0, 1.0], [1.0, -1.0], 1), "service_times_s"),
    (lambda: simulate_queue([0.0, 1.0], [1.0, 1.0], 0), "servers"),
    (lambda: simulate_queue([0.0, np.inf], [1.0, 1.0], 2), "arrival_times_s"),
    (lambda: poisson_arrivals(0.0, 10), "rate_rps"),
    (lambda: batch_means_ci([1.0, 2.0, 3.0], n_batches=30), "values"),
])
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_unstable_queue_is_refused_with_lambda_mu_c_and_rho():
    with pytest.raises(ValueError, match="unstable") as info:
        mmc(1200.0, 150.0, 8)   # the article's fleet at 100 % utilisation
    message = str(info.value)
    for token in ("arrival_rate_rps", "λ=1200", "service_rate_rps", "μ=150", "c=8", "ρ"):
        assert token in message
    with pytest.raises(ValueError, match="unstable"):
        mm1(2.0, 1.0)
    with pytest.raises(ValueError, match="unstable"):
        mg1(1.0, 1 / 1.5, service_scv=0.0)
    with pytest.raises(ValueError, match="unstable"):
        mmc([1.0, 5.0], 1.0, 2)   # one unstable element spoils the sweep, loudly


def test_unsorted_arrivals_are_refused():
    with pytest.raises(ValueError, match="sorted"):
        simulate_queue([0.0, 2.0, 1.0], [1.0, 1.0, 1.0], 2)


def test_littles_law_needs_exactly_two_quantities():
    with pytest.raises(ValueError, match="exactly two"):
        littles_law(arrival_rate_rps=2.0)
    with pytest.raises(ValueError, match="exactly two"):
        littles_law(1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="arrival_rate_rps"):
        littles_law(arrival_rate_rps=0.0, number_in_system=3.0)


def test_mg1_needs_exactly_one_variability_input():
    with pytest.raises(ValueError, match="service_scv"):
        mg1(0.5, 1.0)
    with pytest.raises(ValueError, match="service_scv"):
        mg1(0.5, 1.0, service_scv=1.0, second_moment_s2=2.0)


def test_non_numeric_input_is_a_type_error():
    with pytest.raises(TypeError, match="arrival_rate_rps"):
        mmc("fast", 1.0, 2)
    with pytest.raises(TypeError, match="components_ms"):
        latency_budget(180, 200)


def test_latency_budget_reads_a_dataframe_one_row_per_service():
    df = pd.DataFrame({"feature_lookup_ms": [45, 60], "model_inference_ms": [80, 120], "network_ms": [35, 35],
                       "postprocessing_ms": [20, 20]})
    result = latency_budget(df, 200)
    assert result.total_ms.tolist() == [180.0, 235.0]
    assert result.meets_budget.tolist() == [True, False]


def test_replicas_for_slo_refuses_a_load_beyond_max_servers():
    with pytest.raises(ValueError, match="max_servers"):
        replicas_for_slo(1000.0, 1.0, 10.0, max_servers=500)


# ------------------------------------------------- issue 12: a replica as slots (throughput AND latency)
def _erlang_c_sum(a: float, c: int) -> float:
    """Erlang C from the textbook sum (Gross et al., 4th ed., §2.3), in logs; independent of the library."""
    k = np.arange(c)
    log_top = c * math.log(a) - gammaln(c + 1) + math.log(c / (c - a))
    return float(math.exp(log_top - logsumexp(np.append(k * math.log(a) - gammaln(k + 1), log_top))))


def test_replica_slots_is_littles_law_inside_one_replica():
    # The article: 150 req/s per replica at 80 ms inference → L = λW = 12 requests in flight.
    from infra_lab.serving import replica_slots
    r = replica_slots(150, 0.080)
    assert int(r.slots) == 12 and float(r.slot_service_rate_rps) == pytest.approx(12.5)
    assert float(r.service_time_s) == pytest.approx(0.080)
    assert int(replica_slots(5, 0.08).slots) == 1  # less than one request in flight still needs a slot


@pytest.mark.parametrize("q, x, t_ms, slo_ms, p", [
    (1200.0, 150.0, 80.0, 100.0, 0.99),   # the article's defaults (notebook 07)
    (2400.0, 200.0, 90.0, 120.0, 0.95),   # notebook 07's non-default test run
    (500.0, 40.0, 200.0, 300.0, 0.90),    # a slow model: 8 slots per replica
])
def test_slot_fleet_p99_never_beats_the_model_latency_and_is_minimal(q, x, t_ms, slo_ms, p):
    # Issue 12: the old model (μ = throughput, one request at a time) gave p99 41.5 ms < 80 ms inference.
    # Here the response is wait + inference, the wait the M/M/(ck) tail ln(C/(1−p))/(ckμ − λ).
    from infra_lab.serving import slot_replicas_for_slo
    k = max(1, round(x * t_ms / 1e3))
    mu = x / k

    def p_response_ms(c):
        n = c * k
        pw = _erlang_c_sum(q / mu, n)
        return t_ms + 1e3 * max(0.0, math.log(pw / (1 - p)) / (n * mu - q))

    c = slot_replicas_for_slo(q, x, t_ms / 1e3, slo_ms / 1e3, p)
    assert p_response_ms(c) >= t_ms                      # p99 ≥ model latency
    assert p_response_ms(c) <= slo_ms
    assert c - 1 <= q / x or p_response_ms(c - 1) > slo_ms  # the smallest such fleet
    # Little's law over the fleet: in flight ≥ λ t (96 for the article's model stage alone).
    assert q * t_ms / 1e3 <= q * (_erlang_c_sum(q / mu, c * k) / (c * k * mu - q) + k / x)


def test_slot_fleet_refuses_an_slo_at_the_inference_time():
    from infra_lab.serving import slot_replicas_for_slo
    with pytest.raises(ValueError, match="latency_slo_s"):
        slot_replicas_for_slo(1200, 150, 0.080, 0.080)
