"""Every field of every infra_lab.serving result class, read against an independent answer;
the input holes issue 9 found, closed; the package layout and deprecated names.

Independent answers: the M/M/c birth-death steady state summed term by term (Gross,
Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.3: p_n and a
wait that, for an arrival finding n ≥ c, is Erlang(n − c + 1, cμ)); Erlang C as the
textbook sum in log space; Bronson & Naadimuthu, *Schaum's Outline of Operations Research*,
problem 23.14 (M/M/1, λ = 30/h, μ = 40/h: L_q = 2.25, W_q = 4.5 min); hand-simulated
schedules; scipy's t interval. None of them calls the function under test.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import gammaln, logsumexp

import infra_lab.serving as serving
from infra_lab.serving import (
    ConfidenceInterval, LatencyBudget, MG1Result, MMcResult, QueueSimulation, batch_means_ci, erlang_b, erlang_c,
    latency_budget, mg1, mm1, mmc, network_latency_ms, poisson_arrivals, exponential_service, replicas_for_slo,
    required_replicas, serving_capacity_rps, simulate_queue,
)


# --------------------------------------------------------------------------- references
def birth_death_mmc(lam: float, mu: float, c: int, n_max: int = 4000):
    """Steady state of M/M/c summed term by term: p_n (n ≤ n_max) from the balance equations."""
    a, rho = lam / mu, lam / (c * mu)
    n = np.arange(n_max + 1)
    log_w = np.where(n < c, n * math.log(a) - gammaln(n + 1),
                     c * math.log(a) - gammaln(c + 1) + (n - c) * math.log(rho)) if a > 0 else np.where(n == 0, 0.0, -np.inf)
    p = np.exp(log_w - logsumexp(log_w))
    return n, p


def erlang_c_logspace(a: float, c: int) -> float:
    """Erlang C as the textbook sum, in logs (Gross et al. §2.3)."""
    k = np.arange(c)
    log_top = c * math.log(a) - gammaln(c + 1) + math.log(c / (c - a))
    return float(math.exp(log_top - logsumexp(np.append(k * math.log(a) - gammaln(k + 1), log_top))))


# ------------------------------------------------------------------------- MMcResult
@pytest.mark.parametrize("lam, mu, c", [(0.7, 1.0, 1), (9.0, 1.0, 10), (1000.0, 150.0, 8), (300.0, 182.5, 3)])
def test_every_mmc_field_matches_the_birth_death_steady_state(lam, mu, c):
    r = mmc(lam, mu, c)
    n, p = birth_death_mmc(lam, mu, c)
    queued = n >= c
    lq = float(((n - c) * p)[queued].sum())
    l_sys = float((n * p).sum())
    assert (r.arrival_rate_rps, r.service_rate_rps, r.servers) == (lam, mu, c)
    assert r.utilization == pytest.approx(lam / (c * mu), rel=1e-12)
    assert r.prob_empty == pytest.approx(p[0], rel=1e-9)
    assert r.prob_queued == pytest.approx(p[queued].sum(), rel=1e-9)          # PASTA
    assert r.mean_queue_length == pytest.approx(lq, rel=1e-9)
    assert r.mean_in_system == pytest.approx(l_sys, rel=1e-9)
    assert r.mean_wait_s == pytest.approx(lq / lam, rel=1e-9)                  # Little (1961)
    assert r.mean_response_s == pytest.approx(l_sys / lam, rel=1e-9)


@pytest.mark.parametrize("lam, mu, c", [(0.7, 1.0, 1), (9.0, 1.0, 10), (7.5, 2.0, 5)])
def test_wait_survival_is_the_mixture_of_erlang_waits(lam, mu, c):
    # An arrival that finds n ≥ c in the system waits for n − c + 1 departures at rate cμ:
    # P(W_q > t) = Σ_{n ≥ c} p_n · P(Gamma(n − c + 1, 1/(cμ)) > t).
    r = mmc(lam, mu, c)
    n, p = birth_death_mmc(lam, mu, c)
    queued = n >= c
    for t in (0.0, 0.1, 0.5, 2.0):
        expected = float((p[queued] * stats.gamma.sf(t, n[queued] - c + 1, scale=1 / (c * mu))).sum())
        assert r.wait_survival(t) == pytest.approx(expected, rel=1e-8, abs=1e-15)
    assert r.wait_survival(0.0) == pytest.approx(r.prob_queued, rel=1e-12)
    np.testing.assert_allclose(r.wait_survival(np.array([0.1, 2.0])),
                               [r.wait_survival(0.1), r.wait_survival(2.0)], rtol=1e-12)


def test_mm1_wait_survival_by_hand():
    # M/M/1 (Gross et al. §2.2): P(W_q > t) = ρ e^{−(μ − λ)t}; ρ = 0.5, t = 2 → 0.5 e^{−1}.
    assert mm1(0.5, 1.0).wait_survival(2.0) == pytest.approx(0.5 * math.exp(-1.0), rel=1e-12)


def test_mmc_at_zero_arrivals_is_an_idle_system():
    r = mmc(0.0, 4.0, 3)
    assert (r.utilization, r.prob_queued, r.prob_empty, r.mean_wait_s) == (0.0, 0.0, 1.0, 0.0)
    assert r.mean_response_s == pytest.approx(0.25)            # the service time alone
    assert (r.mean_queue_length, r.mean_in_system) == (0.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(c=st.integers(1, 300), rho=st.floats(0.01, 0.99))
def test_erlang_c_matches_the_log_space_textbook_sum(c, rho):
    a = rho * c
    assert erlang_c(a, c) == pytest.approx(erlang_c_logspace(a, c), rel=1e-9)


def test_erlang_b_at_one_server_by_hand():
    # B(a, 1) = a / (1 + a) (Gross et al. §2.6 with c = 1).
    np.testing.assert_allclose(erlang_b(np.array([0.0, 1.0, 3.0]), 1), [0.0, 0.5, 0.75], rtol=1e-15)


# ------------------------------------------------------------------------- MG1Result
def test_every_mg1_field_with_exponential_service_is_bronsons_mm1():
    # Bronson & Naadimuthu, problem 23.14: λ = 30/h, μ = 40/h → L_q = 2.25, W_q = 4.5 min,
    # and M/M/1's L = ρ/(1 − ρ) = 3, W = 1/(μ − λ) = 0.1 h, P(wait) = ρ = 0.75.
    r = mg1(30.0, 40.0, service_scv=1.0)
    assert isinstance(r, MG1Result)
    assert r.utilization == pytest.approx(0.75)
    assert r.prob_queued == pytest.approx(0.75)
    assert r.mean_queue_length == pytest.approx(2.25)
    assert r.mean_wait_s * 60 == pytest.approx(4.5)
    assert r.mean_response_s == pytest.approx(0.1)
    assert r.mean_in_system == pytest.approx(3.0)


def test_mg1_at_zero_arrivals_waits_for_nothing():
    r = mg1(0.0, 40.0, service_scv=3.0)
    assert (r.utilization, r.prob_queued, r.mean_wait_s, r.mean_queue_length, r.mean_in_system) == (0, 0, 0, 0, 0)
    assert r.mean_response_s == pytest.approx(1 / 40)
    swept = mg1(np.array([0.0, 30.0]), 40.0, service_scv=1.0)
    assert swept.mean_wait_s[0] == 0.0 and swept.mean_wait_s[1] == pytest.approx(4.5 / 60)


def test_mg1_takes_a_service_rate_like_mmc():
    # The family takes (arrival_rate_rps, service_rate_rps): mg1 with SCV 1 is mm1 field by field.
    g, m = mg1(0.6, 1.5, service_scv=1.0), mm1(0.6, 1.5)
    for name in ("utilization", "prob_queued", "mean_wait_s", "mean_response_s", "mean_queue_length",
                 "mean_in_system"):
        assert getattr(g, name) == pytest.approx(getattr(m, name), rel=1e-12), name


# --------------------------------------------------------------------- QueueSimulation
def test_queue_simulation_fields_and_summaries_on_a_hand_schedule():
    # One server, arrivals 0, 0.5, 1, 1.2, service 1 s each: starts 0, 1, 2, 3 (by hand).
    r = simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=1, track_servers=True)
    assert isinstance(r, QueueSimulation)
    assert r.arrival_s.tolist() == [0.0, 0.5, 1.0, 1.2]
    assert r.service_s.tolist() == [1.0, 1.0, 1.0, 1.0]
    assert r.wait_s.tolist() == [0.0, 0.5, 1.0, 1.8]
    assert r.servers == 1 and r.server.tolist() == [0, 0, 0, 0]
    assert r.prob_queued == 0.75                               # three of four waited
    assert r.utilization == 1.0                                # busy from 0 to the last departure at 4
    assert r.mean_wait_s == pytest.approx(3.3 / 4)
    assert r.mean_response_s == pytest.approx(3.3 / 4 + 1.0)
    # Two servers: starts 0, 0.5, 1, 1.5 → one wait of 0.3 s; busy 4 s over 2 × 2.5 s.
    r2 = simulate_queue([0.0, 0.5, 1.0, 1.2], [1.0, 1.0, 1.0, 1.0], servers=2)
    assert r2.servers == 2 and r2.server is None
    assert r2.prob_queued == 0.25
    assert r2.utilization == pytest.approx(4.0 / (2 * 2.5))
    # Empirical quantiles interpolate linearly between order statistics at position q(n − 1):
    # responses 1, 1, 1, 1.3 → the 0.99 quantile sits at 2.97, i.e. 1 + 0.97 × 0.3.
    assert r2.wait_quantile(0.5) == 0.0 and r2.response_quantile(0.99) == pytest.approx(1.0 + 0.97 * 0.3)


def test_simulated_utilization_and_probability_of_queueing_approach_theory():
    lam, mu, c, n = 3.2, 1.0, 4, 200_000
    sim = simulate_queue(poisson_arrivals(lam, n, seed=21), exponential_service(mu, n, seed=22), c)
    assert sim.utilization == pytest.approx(lam / (c * mu), abs=0.01)           # ρ = 0.8
    assert sim.prob_queued == pytest.approx(erlang_c_logspace(lam / mu, c), abs=0.02)


def test_more_servers_than_requests_nobody_waits_and_no_huge_heap():
    r = simulate_queue([0.0, 0.1, 0.2], [5.0, 5.0, 5.0], servers=10**15, track_servers=True)
    assert r.wait_s.tolist() == [0.0, 0.0, 0.0] and r.server.tolist() == [0, 1, 2]


# ---------------------------------------------------------------- ConfidenceInterval
def test_batch_means_interval_against_scipys_t_interval():
    # Batch means of 1..4 (five values each): mean 2.5, s = √(5/3); a t interval with 3 d.f.
    values = np.repeat([1.0, 2.0, 3.0, 4.0], 5)
    ci = batch_means_ci(values, n_batches=4, confidence=0.9)
    low, high = stats.t.interval(0.9, df=3, loc=2.5, scale=math.sqrt(5 / 3) / 2)
    assert isinstance(ci, ConfidenceInterval)
    assert (ci.estimate, ci.confidence) == (2.5, 0.9)
    assert (ci.low, ci.high) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
    assert ci.half_width == pytest.approx((high - low) / 2, rel=1e-12)
    # Student's t distribution table, 3 degrees of freedom, two-sided 95 %: 3.182.
    ci95 = batch_means_ci(values, n_batches=4)
    assert ci95.half_width == pytest.approx(3.182 * math.sqrt(5 / 3) / 2, rel=2e-4)
    assert ci95.contains(2.5) and not ci95.contains(ci95.high + 1e-9)


def test_warmup_drops_the_leading_values():
    ci = batch_means_ci([100.0, 100.0, 1.0, 2.0, 3.0, 4.0], n_batches=2, warmup=2)
    assert ci.estimate == 2.5


# ------------------------------------------------------------------- result objects
@pytest.mark.parametrize("result", [
    latency_budget([45, 80, 35, 20], 200), mmc(1000, 150, 8), mg1(30, 40, service_scv=1),
    simulate_queue([0.0, 1.0], [0.5, 0.5]), batch_means_ci(np.arange(20.0), n_batches=2),
], ids=lambda r: type(r).__name__)
def test_results_unpack_like_tuples_in_field_order(result):
    names = [f.name for f in dataclasses.fields(result)]
    assert len(result) == len(names)
    assert list(result._asdict()) == names
    for i, value in enumerate(result):
        assert value is getattr(result, names[i]) and result[i] is value


def test_latency_budget_unpacks():
    total_ms, margin_ms, meets = latency_budget({"a": 45, "b": 80, "c": 35, "d": 20}, 200)
    assert (total_ms, margin_ms, meets) == (180.0, 20.0, True)
    assert isinstance(latency_budget([1], 2), LatencyBudget)


# ------------------------------------------------------------- the holes of issue 9
def test_a_replica_count_that_overflows_is_refused_not_wrapped():
    # Issue 9: required_replicas(1e308, 150) returned −9223372036854775808.
    with pytest.raises(ValueError, match="required_replicas"):
        required_replicas(1e308, 150)


@pytest.mark.parametrize("bad", ["no", 1, None, "False"])
def test_round_trip_is_a_flag(bad):
    # Issue 9: network_latency_ms(round_trip="no") counted as true.
    with pytest.raises(TypeError, match="round_trip"):
        network_latency_ms(100, round_trip=bad)


@pytest.mark.parametrize("call, name", [
    (lambda v: required_replicas(v, 150), "required_rps"),
    (lambda v: serving_capacity_rps(v, 150), "replicas"),
    (lambda v: mmc(v, 1.0, 2), "arrival_rate_rps"),
    (lambda v: mmc(0.5, 1.0, v), "servers"),
    (lambda v: erlang_c(v, 2), "offered_load"),
    (lambda v: erlang_b(1.0, v), "servers"),
    (lambda v: poisson_arrivals(1.0, v), "n"),
    (lambda v: replicas_for_slo(10.0, 1.0, 5.0, max_servers=v), "max_servers"),
])
@pytest.mark.parametrize("value", ["8", True, float("nan")])
def test_strings_bools_and_nan_are_not_numbers(call, name, value):
    with pytest.raises((TypeError, ValueError), match=name):
        call(value)


@pytest.mark.parametrize("call, name", [
    (lambda: mmc(0.5, 1.0, 2.5), "servers"),
    (lambda: serving_capacity_rps(2.5, 150), "replicas"),
    (lambda: network_latency_ms(10, hops=1.5), "hops"),
    (lambda: canary(total_requests=100.5), "total_requests"),
    (lambda: replicas_for_slo(10.0, 1.0, 5.0, percentile=1.0), "percentile"),
    (lambda: mmc(1.0, 1.0, 10**8), "servers"),
    (lambda: latency_budget({"network": float("nan")}, 200), "components_ms['network']"),
    (lambda: latency_budget({"a": np.ones(2)}, np.ones(3)), "budget_ms"),
    (lambda: simulate_queue([0.0, 1.0], [1.0, 1.0], track_servers="yes"), "track_servers"),
    (lambda: batch_means_ci(np.arange(10.0), n_batches=2, warmup=7), "warmup"),
])
def test_fractions_for_counts_and_out_of_range_options_are_refused(call, name):
    with pytest.raises((TypeError, ValueError)) as info:
        call()
    assert name in str(info.value)


def canary(**kw):
    from infra_lab.serving import canary_detection_probability
    args = dict(baseline_error_rate=0.01, regressed_error_rate=0.02, canary_share=0.05, total_requests=10_000)
    return canary_detection_probability(**{**args, **kw})


def test_an_impossible_stability_need_names_the_rates():
    with pytest.raises(ValueError, match="arrival_rate_rps") as info:
        replicas_for_slo(1e300, 150, 0.05)
    assert "max_servers" in str(info.value)


# ------------------------------------------------------------ layout and old names
def test_old_import_paths_still_work_and_each_object_has_one_home():
    from infra_lab.article import deployment_strategies
    from infra_lab.serving import capacity, deployment, queueing, simulation
    assert serving.deployment_strategies is deployment_strategies
    parts = [capacity, queueing, simulation, deployment]
    assert sorted(serving.__all__) == sorted(n for m in parts for n in m.__all__)
    for name in serving.__all__:
        homes = [m.__name__ for m in parts if name in m.__all__]
        assert len(homes) == 1, (name, homes)
        assert getattr(serving, name) is getattr(importlib_module(homes[0]), name)


def importlib_module(name):
    import importlib
    return importlib.import_module(name)


def test_deprecated_names_warn_and_forward():
    with pytest.warns(DeprecationWarning, match="QueueSimulation"):
        old = serving.SimulationResult
    assert old is QueueSimulation
    with pytest.warns(DeprecationWarning, match="QueueSimulation"):
        from infra_lab.serving.simulation import SimulationResult
    assert SimulationResult is QueueSimulation
    r = mmc(1000, 150, 8)
    with pytest.warns(DeprecationWarning, match="prob_queued"):
        assert r.prob_wait == r.prob_queued
    with pytest.warns(DeprecationWarning, match="prob_queued"):
        assert mg1(1, 2, service_scv=1).prob_wait == 0.5
    sim = simulate_queue([0.0, 0.1], [1.0, 1.0])
    with pytest.warns(DeprecationWarning, match="prob_queued"):
        assert sim.prob_wait == 0.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert "SimulationResult" not in serving.__all__ and MMcResult.__name__ == "MMcResult"
