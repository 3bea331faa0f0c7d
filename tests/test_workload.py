"""Tests of infra_lab.workload: bursts, autoscaling, batching and LLM serving capacity.

References: the H200 measurements' own README (data/measured_h200/README.md), Ross,
*Introduction to Probability Models* ch. 5 for the Poisson process (D = CoV = 1), the
Kubernetes HPA documentation ("Algorithm details") for the scaling rule, the Erlang C
closed form (Gross et al., 4th ed., §2.3) for the wait quantile; independent implementations
(a naive loop replaying the HPA rule, simulated Poisson gaps, brute force over the batching
table), hand-worked examples on synthetic tables with a known closed form, and laws (bounds,
monotonicity) where no published number exists. No expected value is copied from the code.
"""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab import datasets, serving
from infra_lab.workload import (
    arrival_rates, batch_fill_ms, best_batch_under_latency, burstiness, decode_step_bytes, decode_floor_ms,
    decode_step_ms, index_of_dispersion, llm_replicas_for_slo, llm_service_demand, normalize_trace,
    prefill_ms, simulate_autoscaler,
)

PREFILL = datasets.load_h200_llm_prefill()
DECODE = datasets.load_h200_llm_decode()
BATCHING = datasets.load_h200_serving_batching()
MACHINE = datasets.load_h200_llm_machine()


# --- arrivals and burstiness ---------------------------------------------------------------

def test_poisson_process_has_index_of_dispersion_and_interarrival_cov_near_one():
    # Cox & Lewis, The Statistical Analysis of Series of Events (1966): for a Poisson process
    # the counts have variance = mean (D = 1) and the exponential gaps have CoV = 1.
    # 20,000 arrivals at 10/s → 2,000 one-second intervals; the sample D has standard error
    # ≈ sqrt(2/1999) ≈ 0.032, so ±0.15 is ~5 standard errors.
    t = np.cumsum(np.random.default_rng(7).exponential(0.1, 20_000))
    b = burstiness(t, interval_s=1.0)
    assert b.index_of_dispersion == pytest.approx(1.0, abs=0.15)
    assert b.interarrival_cov == pytest.approx(1.0, abs=0.05)
    assert b.mean_rate_rps == pytest.approx(10.0, rel=0.03)


def test_evenly_spaced_arrivals_are_not_bursty():
    # A deterministic stream: every one-second interval holds exactly 4 arrivals, so D = 0,
    # gaps are equal (CoV = 0) and peak = mean.
    b = burstiness(np.arange(400) * 0.25, interval_s=1.0)
    assert b.index_of_dispersion == pytest.approx(0.0, abs=1e-12)
    assert b.interarrival_cov == pytest.approx(0.0, abs=1e-9)
    assert b.peak_to_mean == pytest.approx(1.0)


def test_arrival_rates_count_every_arrival_once_including_empty_intervals():
    t = np.array([0.0, 0.2, 3.7, 3.9, 10.0])
    r = arrival_rates(t, interval_s=2.0)
    assert r["count"].tolist() == [2, 2, 0, 0, 0, 1]
    assert r.index.tolist() == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert r["rate_rps"].tolist() == [1.0, 1.0, 0.0, 0.0, 0.0, 0.5]


def test_arrival_rates_accept_the_azure_trace_datetimes():
    trace = datasets.load_azure_llm_code()
    r = arrival_rates(trace["TIMESTAMP"], interval_s=60.0)
    assert r["count"].sum() == len(trace)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=3, max_size=200, unique=True),
       st.sampled_from([0.5, 1.0, 10.0]))
def test_peak_to_mean_is_at_least_one_and_counts_sum_to_arrivals(times, dt):
    r = arrival_rates(times, interval_s=dt)
    assert r["count"].sum() == len(times)
    if max(times) - min(times) < dt:  # one interval: nothing to compare, refused by name
        with pytest.raises(ValueError, match="interval_s"):
            burstiness(times, interval_s=dt)
        return
    b = burstiness(times, interval_s=dt)
    assert b.peak_to_mean >= 1.0 - 1e-12
    assert b.peak_rate_rps >= b.mean_rate_rps


@pytest.mark.parametrize("call, name", [
    (lambda: arrival_rates([0.0, 1.0], interval_s=0), "interval_s"),
    (lambda: arrival_rates([1.0], interval_s=1), "timestamps"),
    (lambda: index_of_dispersion([0, 0, 0]), "counts"),
    (lambda: index_of_dispersion([1, -2, 3]), "counts"),
])
def test_invalid_arrival_inputs_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- autoscaler ----------------------------------------------------------------------------

def test_autoscaler_reproduces_the_kubernetes_hpa_doubling_example():
    # Kubernetes docs, "Horizontal Pod Autoscaling", algorithm details:
    # desiredReplicas = ceil[currentReplicas × currentMetricValue / desiredMetricValue];
    # a current metric of 200m against a target of 100m doubles the replicas.
    # 10 replicas of μ = 1 req/s at target 0.5 carry 5 req/s; 10 req/s puts them at 200 %
    # of target, so the rule must ask for 20.
    r = simulate_autoscaler([5, 10, 10], interval_s=1.0, service_rate_per_replica_rps=1.0,
                            utilization_target=0.5, scale_down_delay_s=0)
    assert r.frame["desired"].tolist() == [10, 10, 20]


def test_constant_load_with_no_cold_start_meets_the_slo():
    # Constant 100 req/s, μ = 10 req/s, target 0.7 → ceil(100/7) = 15 replicas, ρ = 0.67.
    counts = np.full(600, 100.0)
    r = simulate_autoscaler(counts, 1.0, 10.0, utilization_target=0.7, scale_up_delay_s=0,
                            latency_slo_s=0.5, slo_percentile=0.99)
    assert r.violation_intervals == 0
    assert set(r.frame["ready"]) == {15}
    # Every interval's quantile is the M/M/15 one from infra_lab.serving.
    expected = serving.mmc(100.0, 10.0, 15).response_quantile(0.99)
    assert np.allclose(r.frame["latency_quantile_s"], expected)
    assert r.replica_hours == pytest.approx(15 * 600 / 3600)


def test_wait_quantile_slo_matches_the_erlang_c_closed_form():
    # Independent M/M/c: P(W > t) = C(c, a)·exp(−(cμ − λ)t) (Erlang C; Gross et al.,
    # Fundamentals of Queueing Theory, 4th ed., §2.3), so the q-quantile of the wait is
    # ln(C / (1 − q)) / (cμ − λ). λ = 100, μ = 10 req/s, 15 replicas (target 0.7), q = 0.99.
    import math
    lam, mu, c, q = 100.0, 10.0, 15, 0.99
    a = lam / mu
    top = a**c / math.factorial(c) * c / (c - a)
    erlang_c = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    expected = max(0.0, math.log(erlang_c / (1 - q)) / (c * mu - lam))
    r = simulate_autoscaler(np.full(10, 100.0), 1.0, mu, utilization_target=0.7, latency_slo_s=1.0,
                            slo_percentile=q, slo_metric="wait")
    assert set(r.frame["ready"]) == {15}
    np.testing.assert_allclose(r.frame["latency_quantile_s"], expected, rtol=1e-9)
    assert expected > 0  # C(15, 10) ≈ 0.10 > 1 − q, so the quantile is a real wait, not 0


def test_a_cold_start_delays_capacity_and_causes_violations_during_a_step():
    counts = np.r_[np.full(60, 10.0), np.full(120, 40.0)]  # demand steps up 4× at t = 60 s
    fast = simulate_autoscaler(counts, 1.0, 1.0, utilization_target=0.8, scale_up_delay_s=0)
    slow = simulate_autoscaler(counts, 1.0, 1.0, utilization_target=0.8, scale_up_delay_s=30)
    assert slow.violation_intervals > fast.violation_intervals
    # With a 30 s cold start the new replicas become ready 30 intervals after the request.
    first_request = int(np.argmax(slow.frame["requested"].to_numpy() > slow.frame["requested"].iloc[0]))
    ready = slow.frame["ready"].to_numpy()
    assert ready[first_request + 29] == ready[0] and ready[first_request + 30] > ready[0]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=1, max_size=120), st.integers(0, 5), st.integers(5, 40),
       st.sampled_from([0.0, 7.0, 60.0]), st.sampled_from([0.0, 30.0, 300.0]))
def test_autoscaler_stays_within_bounds_and_ready_never_exceeds_requested(counts, lo, hi, up, down):
    r = simulate_autoscaler(counts, 5.0, 3.0, min_replicas=lo, max_replicas=hi,
                            scale_up_delay_s=up, scale_down_delay_s=down, metric_window_s=15.0)
    f = r.frame
    for col in ["desired", "requested", "ready"]:
        assert f[col].between(lo, hi).all(), col
    assert (f["ready"] <= f["requested"]).all()
    assert (f["requested"] >= f["desired"]).all()  # stabilisation only delays scale-down
    assert r.peak_replicas <= hi


@pytest.mark.parametrize("kwargs, name", [
    (dict(service_rate_per_replica_rps=0), "service_rate_per_replica_rps"),
    (dict(utilization_target=1.5), "utilization_target"),
    (dict(min_replicas=5, max_replicas=3), "max_replicas"),
    (dict(scale_up_delay_s=-1), "scale_up_delay_s"),
    (dict(latency_slo_s=0), "latency_slo_s"),
    (dict(slo_percentile=1.0), "slo_percentile"),
    (dict(slo_metric="p99"), "slo_metric"),
    (dict(interval_s=0), "interval_s"),
])
def test_invalid_autoscaler_inputs_are_named(kwargs, name):
    args = dict(arrival_counts=[1, 2, 3], interval_s=1.0, service_rate_per_replica_rps=1.0) | kwargs
    with pytest.raises(ValueError, match=name):
        simulate_autoscaler(**args)


# --- batching ------------------------------------------------------------------------------

@pytest.mark.parametrize("model", sorted(BATCHING["model"].unique()))
@pytest.mark.parametrize("budget_ms", [0.2, 0.5, 1.0, 5.0, 8.0, 30.0, 60.0, 200.0])
def test_best_batch_agrees_with_brute_force_on_the_h200_measurements(model, budget_ms):
    rows = BATCHING[BATCHING["model"] == model]
    feasible = [r for r in rows.itertuples() if r.p99_ms <= budget_ms]
    if not feasible:
        with pytest.raises(ValueError, match="latency_budget_ms"):
            best_batch_under_latency(BATCHING, budget_ms, model=model)
        return
    choice = best_batch_under_latency(BATCHING, budget_ms, model=model)
    best = max(feasible, key=lambda r: r.requests_per_s)
    assert choice.batch == best.batch and choice.latency_ms <= budget_ms
    assert not any(r.requests_per_s > choice.throughput_rps for r in feasible)
    # Feeding the throughput into the article's replica formula.
    assert serving.required_replicas(1200, choice.throughput_rps) == int(np.ceil(1200 / best.requests_per_s))


def test_the_transformer_saturates_so_a_generous_budget_picks_a_large_batch():
    # data/measured_h200/README.md: the 350M transformer's throughput saturates near
    # 1,350 sequences/s from batch 16 on.
    c = best_batch_under_latency(BATCHING, 200.0, model="transformer_350m_bf16_prefill")
    assert c.batch >= 16 and c.throughput_rps == pytest.approx(1350, rel=0.02)


def test_batching_needs_a_model_when_the_table_holds_several():
    with pytest.raises(ValueError, match="model"):
        best_batch_under_latency(BATCHING, 10.0)
    with pytest.raises(ValueError, match="p90_ms"):
        best_batch_under_latency(BATCHING, 10.0, percentile_col="p90_ms", model="mlp_scorer_fp32")


def test_batch_fill_time_matches_simulated_poisson_gaps():
    # Independent check: the first request of a batch of B waits for B − 1 more Poisson
    # arrivals; simulate those gaps and average (Erlang(B − 1, λ) mean = (B − 1)/λ).
    rng = np.random.default_rng(5)
    lam, b = 400.0, 8
    waits_ms = 1e3 * rng.exponential(1 / lam, (200_000, b - 1)).sum(axis=1)
    se = waits_ms.std() / np.sqrt(waits_ms.size)
    assert abs(batch_fill_ms(b, lam) - waits_ms.mean()) < 5 * se
    assert batch_fill_ms(1, lam) == 0.0  # a batch of one never waits


@pytest.mark.parametrize("call, name", [
    (lambda: batch_fill_ms(0, 10.0), "batch"),
    (lambda: batch_fill_ms(2.5, 10.0), "batch"),
    (lambda: batch_fill_ms(4, 0.0), "arrival_rate_rps"),
])
def test_invalid_batch_fill_inputs_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- LLM serving ---------------------------------------------------------------------------

def test_decode_floor_reproduces_the_readme_numbers():
    # data/measured_h200/README.md: "one step reads the 13.5 GB of weights (floor ≈ 3.2 ms
    # at 4.2 TB/s)". 6.74e9 bf16 parameters (llm_machine.json) = 13.48 GB.
    assert decode_step_bytes(MACHINE["params"], 0, 0) / 1e9 == pytest.approx(13.5, abs=0.05)
    assert decode_floor_ms(MACHINE["params"], 1, 0, bandwidth_bytes_per_s=4.2e12) == pytest.approx(3.2, abs=0.05)


def test_bytes_per_step_is_the_measurements_own_floor_column():
    # README, llm_decode.csv: bytes_read_floor_gb = weights + KV cache read per step;
    # kv_bytes_per_token = 524,288 (llm_machine.json).
    got = decode_step_bytes(DECODE["params"].to_numpy(), DECODE["batch"].to_numpy(),
                                DECODE["context_tokens"].to_numpy(),
                                kv_bytes_per_token=MACHINE["kv_bytes_per_token"]) / 1e9
    np.testing.assert_allclose(got, DECODE["bytes_read_floor_gb"], rtol=1e-12)


def test_measured_decode_steps_are_never_faster_than_the_memory_floor():
    bw = datasets.load_h200_memory_bandwidth()["gb_per_s"].max() * 1e9
    floor = decode_floor_ms(DECODE["params"].to_numpy(), DECODE["batch"].to_numpy(),
                            DECODE["context_tokens"].to_numpy(), bandwidth_bytes_per_s=bw)
    assert (DECODE["median_ms_cuda_graph"].to_numpy() >= floor).all()


def test_decode_interpolation_returns_the_measured_points():
    # The interpolant must pass through every measurement of llm_decode.csv.
    for mode, col in [("cuda_graph", "median_ms_cuda_graph"), ("eager", "median_ms_eager")]:
        got = decode_step_ms(DECODE["batch"].to_numpy(), DECODE["context_tokens"].to_numpy(), DECODE, mode)
        np.testing.assert_allclose(got, DECODE[col], rtol=1e-9)


def test_decode_matches_the_readme_headline_numbers():
    # README: "measured 5.3 ms at batch 1 as a CUDA graph ... (14.3 ms at 128 × 512) — so
    # tokens/s grows ~48× from batch 1 to 128".
    t1, t128 = decode_step_ms([1, 128], [512, 512], DECODE)
    assert t1 == pytest.approx(5.3, abs=0.05) and t128 == pytest.approx(14.3, abs=0.05)
    assert (128 / t128) / (1 / t1) == pytest.approx(48, rel=0.03)


def test_decode_extrapolation_reads_the_kv_cache_at_about_the_measured_bandwidth():
    # Outside the measured grid the step time grows with the KV bytes read; its slope per
    # KV token should be 524,288 bytes at roughly the copy bandwidth (README: ~4.2 TB/s).
    t_a, t_b = decode_step_ms([128, 128], [4096, 8192], DECODE)
    seconds_per_token = (t_b - t_a) / 1e3 / (128 * 4096)
    bandwidth = MACHINE["kv_bytes_per_token"] / seconds_per_token
    assert bandwidth == pytest.approx(4.2e12, rel=0.15)


@settings(max_examples=30, deadline=None)
@given(st.integers(1, 256), st.integers(64, 16384))
def test_decode_step_grows_with_batch_and_never_beats_the_floor(batch, ctx):
    t = decode_step_ms([batch, batch + 1, batch], [ctx, ctx, ctx + 256], DECODE)
    assert t[1] >= t[0] - 0.1 and t[2] >= t[0] - 0.1  # monotone up to measurement noise
    floor = decode_floor_ms(MACHINE["params"], batch, ctx, bandwidth_bytes_per_s=4.8e12)  # datasheet peak
    assert t[0] >= floor


def test_prefill_reproduces_measurements_and_extrapolates_linearly():
    # README: "Prefill of 8192 tokens takes 235 ms"; short prompts cost ~16 ms.
    assert prefill_ms(8192, PREFILL) == pytest.approx(235, abs=0.5)
    assert prefill_ms(16, PREFILL) == pytest.approx(16, abs=0.5)
    np.testing.assert_allclose(prefill_ms(PREFILL["prompt_tokens"], PREFILL), PREFILL["median_ms"])
    last = PREFILL.sort_values("prompt_tokens").tail(2)
    slope = np.diff(last["median_ms"]).item() / np.diff(last["prompt_tokens"]).item()
    assert prefill_ms(12288, PREFILL) == pytest.approx(last["median_ms"].iloc[-1] + slope * 4096)


def test_batching_raises_llm_capacity():
    conv = datasets.load_azure_llm_conv()
    caps = [llm_service_demand(conv["ContextTokens"], conv["GeneratedTokens"], PREFILL, DECODE, b).capacity_rps
            for b in (1, 8, 64)]
    assert caps[0] < caps[1] < caps[2]


def _small_trace(rate=4.0, n=600, seed=3):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"arrival_s": np.cumsum(rng.exponential(1 / rate, n)),
                         "input_tokens": rng.integers(100, 3000, n), "output_tokens": rng.integers(20, 400, n)})


def test_llm_plan_meets_both_slos_and_is_the_fewest_replicas():
    tr = _small_trace(rate=12.0)
    plan = llm_replicas_for_slo(tr, 0.5, 0.012, PREFILL, DECODE)
    assert plan.feasible
    assert plan.tpot_ms <= 12.0 and plan.ttft_quantile_s <= 0.5
    assert not plan.search["meets"].iloc[:-1].any() and plan.search["meets"].iloc[-1]
    assert plan.search["replicas"].iloc[-1] == plan.replicas
    # Recompute the plan's TTFT with serving.simulate_queue directly.
    req = normalize_trace(tr)
    d = llm_service_demand(req["input_tokens"], req["output_tokens"], PREFILL, DECODE, plan.batch)
    service = d.prefill_s + req["output_tokens"].to_numpy() * plan.tpot_ms / 1e3
    sim = serving.simulate_queue(req["arrival_s"].to_numpy(), service, plan.replicas * plan.batch)
    assert np.quantile(sim.wait_s + d.prefill_s, 0.99) == pytest.approx(plan.ttft_quantile_s)


def test_tighter_slos_never_need_fewer_replicas():
    tr = _small_trace(rate=12.0)
    counts = [llm_replicas_for_slo(tr, 1.0, tpot, PREFILL, DECODE).replicas for tpot in (0.05, 0.02, 0.01, 0.008)]
    assert counts == sorted(counts)


def test_a_ttft_slo_below_the_prefill_time_is_infeasible():
    tr = _small_trace()
    plan = llm_replicas_for_slo(tr, 0.010, 0.05, PREFILL, DECODE)  # prefill alone is ≥ 15.7 ms
    assert not plan.feasible and plan.replicas is None
    assert plan.search.empty  # no replica count can help, so none is simulated


def test_memory_caps_the_batch():
    tr = _small_trace()
    # 20 GB leaves ~6.5 GB for KV: about 12,400 tokens, so at ~1,700 tokens of context only
    # batches up to 4 fit.
    plan = llm_replicas_for_slo(tr, 2.0, 0.1, PREFILL, DECODE, memory_bytes=20e9)
    ctx = llm_service_demand(tr["input_tokens"], tr["output_tokens"], PREFILL, DECODE, 1).mean_context_tokens
    assert decode_step_bytes(MACHINE["params"], plan.batch, ctx) <= 20e9
    assert decode_step_bytes(MACHINE["params"], 2 * plan.batch, ctx) > 20e9


def test_normalize_trace_reads_the_real_traces():
    conv = normalize_trace(datasets.load_azure_llm_conv())
    moon = normalize_trace(datasets.load_mooncake_trace())
    assert len(conv) == 19_366 and len(moon) == 12_031  # data/SOURCES.md row counts
    assert conv["arrival_s"].iloc[0] == 0 and conv["arrival_s"].is_monotonic_increasing
    # data/SOURCES.md: the Mooncake trace covers 0–3,537 s.
    assert moon["arrival_s"].max() == pytest.approx(3537, abs=1)


@pytest.mark.parametrize("call, name", [
    (lambda: decode_step_ms(0, 512, DECODE), "batch"),
    (lambda: decode_step_ms(1, 512, DECODE, mode="graph"), "mode"),
    (lambda: decode_floor_ms(1e9, 1, 512, bandwidth_bytes_per_s=0), "bandwidth_bytes_per_s"),
    (lambda: decode_step_bytes(-1, 1, 512), "params"),
    (lambda: prefill_ms(-5, PREFILL), "prompt_tokens"),
    (lambda: llm_service_demand([10, 20], [5], PREFILL, DECODE, 4), "output_tokens"),
    (lambda: llm_service_demand([10], [5], PREFILL, DECODE, 0), "batch"),
    (lambda: llm_replicas_for_slo(_small_trace(), 0, 0.05, PREFILL, DECODE), "ttft_slo_s"),
    (lambda: llm_replicas_for_slo(_small_trace(), 1, 0.05, PREFILL, DECODE, percentile=1.0), "percentile"),
    (lambda: llm_replicas_for_slo(_small_trace(), 1, 0.05, PREFILL, DECODE, memory_bytes=1e9), "memory_bytes"),
    (lambda: normalize_trace(pd.DataFrame({"a": [1]})), "trace"),
])
def test_invalid_llm_inputs_are_named(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# --- every result field is read; independent implementations -------------------------------

def test_burstiness_fields_on_a_hand_counted_trace():
    # Hand count: arrivals at 0, 0.5, 0.6, 2.2, 2.4, 2.9 s in 1-s intervals → counts 3, 0, 3.
    # mean 2 req/s, peak 3 req/s, Var = ((1)² + (−2)² + (1)²)/2 = 3 → D = 3/2.
    # gaps 0.5, 0.1, 1.6, 0.2, 0.5: mean 0.58; squared deviations 0.0064 + 0.2304 + 1.0404 +
    # 0.1444 + 0.0064 = 1.428, sample sd = sqrt(1.428/4) → CoV ≈ 1.03016.
    b = burstiness([2.9, 0.0, 0.5, 0.6, 2.2, 2.4], interval_s=1.0)
    assert (b.interval_s, b.n_requests, b.duration_s) == (1.0, 6, 3.0)
    assert (b.mean_rate_rps, b.peak_rate_rps) == pytest.approx((2.0, 3.0))
    assert b.peak_to_mean == pytest.approx(1.5)
    assert b.index_of_dispersion == pytest.approx(1.5)
    assert b.interarrival_cov == pytest.approx(np.sqrt(1.428 / 4) / 0.58)
    # Result objects unpack like tuples in field order.
    interval_s, n_requests, *_ = b
    assert (interval_s, n_requests, len(b)) == (1.0, 6, 8)


def test_index_of_dispersion_of_a_hand_computed_sample():
    # counts 0, 3, 1, 7, 2: mean 13/5; squared deviations sum to 29.2, so the sample
    # variance is 29.2/4 = 7.3 and D = 7.3 / 2.6 = 73/26 (worked by hand).
    assert index_of_dispersion([0, 3, 1, 7, 2]) == pytest.approx(73 / 26)


def _naive_hpa(counts, dt, mu, u, lo, hi, up_s, down_s, window_s):
    # An independent, loop-by-loop replay of the rule in simulate_autoscaler's docstring.
    import math
    n = len(counts)
    k = max(1, round(window_s / dt))
    w = math.ceil(down_s / dt - 1e-9)
    d = math.ceil(up_s / dt - 1e-9)

    def rule(rate):
        return min(max(math.ceil(rate / (mu * u) * (1 - 1e-12)), lo), hi)

    start = rule(counts[0] / dt)
    desired = [start] + [rule(sum(counts[max(0, t - k): t]) / len(counts[max(0, t - k): t]) / dt)
                         for t in range(1, n)]
    def at(seq, t):
        return seq[t] if t >= 0 else start
    requested = [max(at(desired, s) for s in range(t - w, t + 1)) for t in range(n)]
    ready = [min(at(requested, s) for s in range(t - d, t + 1)) for t in range(n)]
    return desired, requested, ready


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 300), min_size=1, max_size=60), st.integers(0, 3), st.integers(4, 40),
       st.sampled_from([0.5, 0.7, 1.0]), st.sampled_from([0.0, 5.0, 12.0, 60.0]),
       st.sampled_from([0.0, 10.0, 300.0]), st.sampled_from([5.0, 15.0, 30.0]))
def test_autoscaler_matches_a_naive_loop(counts, lo, hi, u, up, down, window):
    r = simulate_autoscaler(counts, 5.0, 3.0, utilization_target=u, min_replicas=lo, max_replicas=hi,
                            scale_up_delay_s=up, scale_down_delay_s=down, metric_window_s=window)
    desired, requested, ready = _naive_hpa(counts, 5.0, 3.0, u, lo, hi, up, down, window)
    assert r.frame["desired"].tolist() == desired
    assert r.frame["requested"].tolist() == requested
    assert r.frame["ready"].tolist() == ready


def test_autoscaler_summary_fields_on_a_hand_worked_step():
    # Demand 10, 10, 40, 40 arrivals per 1-s interval; μ = 1 req/s, target 1.0, cold start 1 s,
    # no scale-down delay. Desired = 10, 10, 10, 40 (the rule sees the previous interval);
    # requested = desired; ready = 10, 10, 10, 10 (the 40 become ready one interval late).
    r = simulate_autoscaler([10, 10, 40, 40], 1.0, 1.0, utilization_target=1.0,
                            scale_up_delay_s=1.0, scale_down_delay_s=0.0)
    f = r.frame
    assert f["ready"].tolist() == [10, 10, 10, 10]
    # Utilisation = demand / (ready × μ): 1, 1, 4, 4 → every interval is overloaded (ρ ≥ 1).
    assert f["utilization"].tolist() == [1.0, 1.0, 4.0, 4.0]
    assert r.interval_s == 1.0
    assert r.violation_intervals == 4 and r.violation_fraction == 1.0 and r.requests_in_violation == 1.0
    assert r.peak_replicas == 40
    assert r.replica_hours == pytest.approx((10 + 10 + 10 + 40) / 3600)
    assert r.ready_replica_hours == pytest.approx(40 / 3600)
    assert r.mean_utilization == pytest.approx(100 / 40)  # Σ demand / Σ ready capacity
    assert f["latency_quantile_s"].isna().all()  # no latency SLO given


def test_requests_in_violation_weighs_intervals_by_their_arrivals():
    # Intervals of 1, 1 and 98 arrivals, μ = 100 req/s, one replica: ρ < 1 everywhere, so
    # nothing is overloaded; but a response takes ≥ 10 ms on average (1/μ), so a 1 ms SLO is
    # violated in every non-empty interval and every request is in violation.
    r = simulate_autoscaler([1, 1, 98], 1.0, 100.0, utilization_target=1.0, initial_replicas=1,
                            max_replicas=1, latency_slo_s=0.001, scale_down_delay_s=0.0)
    assert r.violation_intervals == 3 and r.requests_in_violation == 1.0
    # Without the SLO nothing is overloaded, so nothing violates.
    r = simulate_autoscaler([1, 1, 98], 1.0, 100.0, utilization_target=1.0, initial_replicas=1,
                            max_replicas=1, scale_down_delay_s=0.0)
    assert r.violation_intervals == 0 and r.requests_in_violation == 0.0 and r.violation_fraction == 0.0


def test_batch_choice_reports_model_column_and_feasible_batches():
    c = best_batch_under_latency(BATCHING, 200.0, model="mlp_scorer_fp32", percentile_col="p50_ms")
    rows = BATCHING[(BATCHING["model"] == "mlp_scorer_fp32") & (BATCHING["p50_ms"] <= 200.0)]
    assert c.model == "mlp_scorer_fp32" and c.percentile_col == "p50_ms"
    assert c.feasible_batches == tuple(sorted(int(b) for b in rows["batch"]))
    model, batch, *_ = c
    assert (model, batch) == (c.model, c.batch)


def _linear_tables():
    # Synthetic measurements with a known closed form: P(p) = 10 + p/100 ms (linear, so the
    # interpolation is exact) and a decode grid t(B, L) = 5 + 0.001·B·L ms evaluated at its nodes.
    prefill = pd.DataFrame({"prompt_tokens": [0, 1000, 2000, 4000], "median_ms": [10.0, 20.0, 30.0, 50.0]})
    grid = [(b, c) for b in (1, 2, 4) for c in (512, 1024, 2048)]
    decode = pd.DataFrame({"batch": [g[0] for g in grid], "context_tokens": [g[1] for g in grid],
                           "median_ms_cuda_graph": [5 + 0.001 * b * c for b, c in grid],
                           "median_ms_eager": [9 + 0.001 * b * c for b, c in grid],
                           "params": 1e9})
    return prefill, decode


def test_service_demand_on_a_hand_worked_example():
    # Requests (p, o) = (1000, 10) and (2000, 30), batch 2, context fixed at 1024:
    # step = 5 + 0.001·2·1024 = 7.048 ms; prefill 20 and 30 ms; decode 70.48 and 211.44 ms;
    # GPU time = prefill + decode/2 = 55.24 and 135.72 ms → mean 95.48 ms → μ = 1/0.09548 s.
    prefill, decode = _linear_tables()
    d = llm_service_demand([1000, 2000], [10, 30], prefill, decode, batch=2, context_tokens=1024)
    assert (d.batch, d.mode, d.mean_context_tokens) == (2, "cuda_graph", 1024.0)
    assert d.decode_step_ms == pytest.approx(7.048)
    np.testing.assert_allclose(d.prefill_s, [0.020, 0.030])
    np.testing.assert_allclose(d.decode_s, [0.07048, 0.21144])
    np.testing.assert_allclose(d.gpu_s, [0.05524, 0.13572])
    assert d.capacity_rps == pytest.approx(1 / 0.09548)
    # Eager mode reads the other column: 9 + 2.048 ms.
    assert llm_service_demand([1000], [10], prefill, decode, 2, mode="eager",
                              context_tokens=1024).decode_step_ms == pytest.approx(11.048)
    # Without the override the context is Σ o (p + o/2) / Σ o = (10·1005 + 30·2015)/40 = 1762.5.
    assert llm_service_demand([1000, 2000], [10, 30], prefill, decode, 2).mean_context_tokens == 1762.5


def test_llm_plan_on_a_hand_worked_trace():
    # 11 requests 1 s apart (λ = 1 req/s), 1000-token prompts (P = 20 ms) and 10-token outputs.
    # Batch 4 (the largest candidate meeting TPOT) at context 1000 + 10/2 = 1005 tokens: the
    # step is read from decode_step_ms (1005 is between grid nodes). TPOT = step / (1 − λ·P)
    # = step / 0.98. One replica has 4 slots and requests never overlap (service ≈ 0.12 s
    # < 1 s between arrivals), so nobody waits and TTFT = prefill = 20 ms.
    prefill, decode = _linear_tables()
    tr = pd.DataFrame({"arrival_s": np.arange(11.0), "input_tokens": 1000, "output_tokens": 10})
    plan = llm_replicas_for_slo(tr, 0.5, 0.1, prefill, decode, batches=(1, 4), memory_bytes=None)
    step = decode_step_ms(4, 1005, decode)
    assert plan.feasible and (plan.replicas, plan.batch) == (1, 4)
    assert plan.decode_step_ms == pytest.approx(step)
    assert plan.tpot_ms == pytest.approx(step / 0.98)
    assert plan.ttft_quantile_s == pytest.approx(0.020)
    assert plan.arrival_rate_rps == pytest.approx(1.0) and plan.percentile == 0.99
    # utilisation = λ × mean GPU time = 1 × (0.020 + 10 × step/1e3 / 4)
    assert plan.utilization == pytest.approx(0.020 + 10 * step / 1e3 / 4)
    assert plan.search["meets"].tolist() == [True]


def test_an_unreachable_tpot_slo_is_infeasible_without_searching_every_replica_count():
    # The fastest step (batch 1 at context 1005: 6.005 ms) already exceeds a 5 ms TPOT SLO,
    # so no replica count helps — even with max_replicas = 10**12 it must answer at once.
    prefill, decode = _linear_tables()
    tr = pd.DataFrame({"arrival_s": np.arange(11.0), "input_tokens": 1000, "output_tokens": 10})
    plan = llm_replicas_for_slo(tr, 0.5, 0.005, prefill, decode, batches=(1, 4), memory_bytes=None,
                                max_replicas=10**12)
    assert not plan.feasible and plan.batch is None and np.isnan(plan.tpot_ms) and plan.search.empty


# --- the holes the contract issue found ------------------------------------------------------

def test_one_nan_in_a_trace_is_refused_with_its_row_and_column():
    tr = _small_trace(n=20)
    tr.loc[7, "input_tokens"] = np.nan
    with pytest.raises(ValueError, match=r"trace .*'input_tokens'.*row index 7"):
        normalize_trace(tr)
    az = datasets.load_azure_llm_code().head(50).copy()
    az.loc[3, "TIMESTAMP"] = None
    with pytest.raises(ValueError, match=r"trace .*'TIMESTAMP'.*row index 3"):
        normalize_trace(az)
    with pytest.raises(ValueError, match=r"timestamps.*NaN at position 1"):
        arrival_rates([0.0, np.nan, 2.0])


def test_fractional_or_negative_token_counts_are_refused():
    tr = _small_trace(n=5)
    tr["output_tokens"] = tr["output_tokens"].astype(float)
    tr.loc[2, "output_tokens"] = 2.5
    with pytest.raises(ValueError, match="output_tokens"):
        normalize_trace(tr)
    tr.loc[2, "output_tokens"] = 0
    with pytest.raises(ValueError, match="output_tokens"):
        normalize_trace(tr)


def test_an_empty_trace_is_refused_by_name():
    with pytest.raises(ValueError, match="trace"):
        normalize_trace(_small_trace().iloc[:0])
    with pytest.raises(ValueError, match="timestamps"):
        arrival_rates([])
    with pytest.raises(ValueError, match="arrival_counts"):
        simulate_autoscaler([], 1.0, 1.0)


@pytest.mark.parametrize("column, value", [("requests_per_s", -4000.0), ("requests_per_s", 0.0),
                                           ("p99_ms", -1.0), ("batch", 2.5), ("requests_per_s", np.nan)])
def test_a_negative_throughput_or_latency_in_the_batching_table_is_refused(column, value):
    df = pd.DataFrame({"batch": [1, 8, 32], "p99_ms": [1.0, 2.0, 9.0], "requests_per_s": [1000.0, 4000.0, 3600.0]})
    df[column] = df[column].astype(float)
    df.loc[1, column] = value
    with pytest.raises(ValueError, match="table"):
        best_batch_under_latency(df, 10.0)


@pytest.mark.parametrize("bad", [True, "8", float("inf"), float("nan"), None])
def test_bools_strings_and_inf_are_not_numbers(bad):
    for call, name in [(lambda: batch_fill_ms(8, bad), "arrival_rate_rps"),
                       (lambda: arrival_rates([0.0, 1.0], interval_s=bad), "interval_s"),
                       (lambda: decode_floor_ms(1e9, 1, 512, bandwidth_bytes_per_s=bad), "bandwidth_bytes_per_s"),
                       (lambda: simulate_autoscaler([1, 2], 1.0, bad), "service_rate_per_replica_rps"),
                       (lambda: best_batch_under_latency(BATCHING, bad, model="mlp_scorer_fp32"), "latency_budget_ms")]:
        with pytest.raises((ValueError, TypeError), match=name):
            call()


def test_huge_delays_and_tiny_intervals_do_not_exhaust_memory():
    # A cold start of 1e300 s is "never ready": the fleet stays at its warm start size.
    r = simulate_autoscaler([10, 10, 40], 1.0, 1.0, scale_up_delay_s=1e300, scale_down_delay_s=1e300,
                            metric_window_s=1e300, utilization_target=1.0)
    assert r.frame["ready"].tolist() == [10, 10, 10]
    with pytest.raises(ValueError, match="interval_s"):
        arrival_rates([0.0, 3600.0], interval_s=1e-9)


def test_counts_that_are_not_whole_are_refused_where_d_would_change_with_scale():
    with pytest.raises(ValueError, match="counts"):
        index_of_dispersion([0.5, 2.0, 1.5])


def test_deprecated_names_warn_and_forward():
    from infra_lab import workload
    with pytest.warns(DeprecationWarning, match="arrival_times_s"):
        assert workload.arrival_seconds([2.0, 1.0]).tolist() == [0.0, 1.0]
    with pytest.warns(DeprecationWarning, match="decode_step_bytes"):
        assert workload.decode_bytes_per_step(1e9, 0, 0) == 2e9
    assert "arrival_seconds" not in workload.__all__ and "decode_bytes_per_step" not in workload.__all__


def test_huge_arrival_counts_clip_at_max_replicas_instead_of_overflowing():
    # 1e300 arrivals would need ~1e300 replicas; the rule clips to max_replicas (no int64
    # wrap-around to a negative count), and a rate that overflows float is refused by name.
    r = simulate_autoscaler([1e300, 5], 1.0, 1.0, max_replicas=50)
    assert r.frame["desired"].tolist() == [50, 50] and r.frame["overloaded"].tolist() == [True, False]
    with pytest.raises(ValueError, match="arrival_counts"):
        simulate_autoscaler([1e300, 5], 1e-10, 1.0)


def test_requests_in_violation_counts_requests_not_intervals():
    # One replica of μ = 30 req/s throughout; 10, 20 and 40 arrivals in 1-s intervals: only
    # the last is overloaded (40 ≥ 30). 1 of 3 intervals, but 40 of 70 requests.
    r = simulate_autoscaler([10, 20, 40], 1.0, 30.0, utilization_target=1.0, max_replicas=1,
                            initial_replicas=1, scale_down_delay_s=0.0)
    assert r.frame["overloaded"].tolist() == [False, False, True]
    assert r.violation_fraction == pytest.approx(1 / 3)
    assert r.requests_in_violation == pytest.approx(40 / 70)


def test_the_best_batch_is_the_fastest_feasible_not_the_largest():
    # Throughput peaks at batch 8 and falls at 32 (past saturation): with a 10 ms budget all
    # three are feasible and the choice must be batch 8 (4,000 req/s), not the largest batch.
    df = pd.DataFrame({"batch": [1, 8, 32], "p99_ms": [1.0, 2.0, 9.0],
                       "requests_per_s": [1000.0, 4000.0, 3600.0]})
    c = best_batch_under_latency(df, 10.0)
    assert (c.batch, c.throughput_rps, c.latency_ms, c.model) == (8, 4000.0, 2.0, "")
    assert c.feasible_batches == (1, 8, 32)


def test_decode_step_is_continuous_where_it_leaves_the_measured_grid():
    # Past the largest measured context (4,096) the step may only grow by the KV bytes of the
    # extra tokens: one more token per sequence reads 524,288 bytes more per sequence, about
    # 0.0001 ms at ~4 TB/s — so crossing the boundary must not jump (the measured value at
    # 4,096 is llm_decode.csv's own: 5.737216 ms at batch 1, 13.454768 ms at batch 16).
    t = decode_step_ms([1, 1, 16, 16], [4096, 4097, 4096, 4097], DECODE)
    assert t[0] == pytest.approx(5.737216) and t[2] == pytest.approx(13.454768)
    assert 0 <= t[1] - t[0] < 1e-3 and 0 <= t[3] - t[2] < 16 * 1e-3


def test_scale_to_zero_has_infinite_utilisation_and_no_latency_without_arrivals():
    # min_replicas = 0 and no arrivals in the first interval → zero replicas. The rule sees
    # the previous interval, so desired = 0, 0, 1, 1; a one-interval cold start makes
    # ready = 0, 0, 0, 1. Intervals 2 and 3 find nothing ready for their 5 arrivals:
    # utilisation is infinite and they are overloaded. Interval 1 has no arrivals and no
    # latency to report (NaN); only interval 4 has a finite M/M/1 quantile.
    r = simulate_autoscaler([0, 5, 5, 5], 1.0, 10.0, min_replicas=0, utilization_target=1.0,
                            scale_up_delay_s=1.0, scale_down_delay_s=0.0, latency_slo_s=1.0)
    f = r.frame
    assert f["desired"].tolist() == [0, 0, 1, 1] and f["ready"].tolist() == [0, 0, 0, 1]
    assert f["utilization"].iloc[0] == 0.0 and np.isinf(f["utilization"].iloc[1:3]).all()
    assert f["overloaded"].tolist() == [False, True, True, False]
    assert f["latency_quantile_s"].iloc[:3].isna().all() and np.isfinite(f["latency_quantile_s"].iloc[3])
    assert r.mean_utilization == pytest.approx(0.5)  # only interval 4 has ready capacity: 5 / 10


# --------------------------------------------- issue 12: batches capped by the latency budget (fill included)
@pytest.mark.parametrize("q, budget_ms, u", [(1200.0, 10.0, 0.7), (1200.0, 100.0, 0.7), (2400.0, 30.0, 0.5)])
def test_batch_plan_pays_the_fill_and_runs_at_the_target(q, budget_ms, u):
    # Issue 12: sizing by ⌈Q/X(B*)⌉ ran at 97.6 % utilisation and allowed batch 65,536 with a 54.6 s fill.
    # Brute force over the H200 measurements (data/measured_h200/README.md), fill = (B−1)/(Q/n) (Ross ch. 5).
    from infra_lab.workload import batch_plan
    table = datasets.load_h200_serving_batching()
    for model, g in table.groupby("model"):
        rows = []
        for r in g.itertuples():
            n = math.ceil(q / (r.requests_per_s * u))
            fill = 1e3 * (r.batch - 1) / (q / n)
            if fill + r.p99_ms <= budget_ms:
                rows.append((n, fill + r.p99_ms, r.batch))
        if not rows:
            with pytest.raises(ValueError, match="latency_budget_ms"):
                batch_plan(table, q, budget_ms, u, model=model)
            continue
        p = batch_plan(table, q, budget_ms, u, model=model)
        assert (p.replicas, p.batch) == (min(rows)[0], min(rows)[2])
        assert p.fill_ms + p.latency_ms <= budget_ms
        assert p.utilization <= u + 1e-12
        assert p.fill_ms < 1e3  # never the 54.6 s fill of an uncapped batch


def test_prefill_turns_from_flat_to_proportional_where_the_h200_data_say():
    # data/measured_h200/README.md, llm_prefill.csv: ~16 ms for 128–512 tokens (flat: overhead-bound,
    # not compute-bound), then ∝ prompt: 28 ms at 1,024 … 235 ms at 8,192 (≈ 35k tokens/s).
    from infra_lab.workload import prefill_turn
    t = prefill_turn(datasets.load_h200_llm_prefill())
    assert (t.last_flat_tokens, t.first_rising_tokens) == (512, 1024)
    p = datasets.load_h200_llm_prefill().set_index("prompt_tokens")["median_ms"]
    assert p[512] / p[128] < 1.1 and p[8192] / p[1024] > 7  # flat, then proportional
    slope = np.polyfit(p.index[3:], p.values[3:], 1)[0]
    assert t.tokens_per_s_rising == pytest.approx(1e3 / slope)


def test_decode_measured_range_is_the_grid_of_the_h200_table():
    # The table (data/measured_h200/README.md, llm_decode.csv) stops at B × L = 65,536 KV tokens.
    from infra_lab.workload import decode_in_measured_range
    d = datasets.load_h200_llm_decode()
    assert decode_in_measured_range(d["batch"].to_numpy(), d["context_tokens"].to_numpy(), d).all()
    assert not decode_in_measured_range(128, 1024, d) and not decode_in_measured_range(1, 8192, d)


def test_split_warmup_adds_up_to_the_replays_total():
    # Law, Simulation Modeling and Analysis §9.5.1: the transient is reported apart, nothing is lost.
    from infra_lab.workload import split_warmup
    rng = np.random.default_rng(3)
    counts = rng.poisson(np.r_[np.full(20, 50), np.full(40, 400), np.full(40, 100)])
    r = simulate_autoscaler(counts, interval_s=15.0, service_rate_per_replica_rps=2.0, initial_replicas=1,
                            scale_up_delay_s=120.0, max_replicas=500)
    viol = r.frame["violation"].to_numpy()
    for w in (0.0, 180.0, 600.0, 1e6):
        s = split_warmup(r, w)
        assert s.warmup_requests_in_violation + s.steady_requests_in_violation == pytest.approx(r.requests_in_violation)
        late = r.frame.index.to_numpy() >= w
        assert s.steady_violation_fraction == pytest.approx(viol[late].mean() if late.any() else 0.0)
