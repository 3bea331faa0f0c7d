"""Tests for infra_lab.parallel: published reference values, laws as properties, named errors."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.datasets import load_h200_cpu_scaling
from infra_lab import parallel
from infra_lab.parallel import (
    BUS_BANDWIDTH_FACTORS,
    AmdahlFit,
    algorithm_bandwidth_bytes_per_s,
    amdahl_speedup,
    average_gradients,
    bus_bandwidth_bytes_per_s,
    expected_max_step_time,
    fit_amdahl,
    gustafson_speedup,
    karp_flatt,
    least_squares_gradient,
    observed_step_slowdown,
    parallel_efficiency,
    pipeline_bubble_fraction,
    ring_allreduce_s,
    speedup,
    straggler_slowdown,
)

fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
workers_st = st.integers(min_value=1, max_value=4096)


# ------------------------------------------------------------------ Amdahl, Gustafson
def test_amdahl_wikipedia_example_twenty_hours_one_serial_caps_at_20x():
    # Wikipedia, "Amdahl's law": a 20-hour program with a 1-hour serial part (p = 0.95)
    # is limited to a 20x speedup however many threads are used.
    assert amdahl_speedup(0.05, np.inf) == pytest.approx(20.0)
    assert amdahl_speedup(0.05, 1e9) == pytest.approx(20.0, rel=1e-6)


def test_amdahl_oracle_sun_studio_example_60_percent_parallel():
    # Oracle Sun Studio 12 Fortran Programming Guide §10.1.1 "Speedups — What to Expect"
    # (docs.oracle.com/cd/E19957-01/805-4940/z400090e54a5/index.html):
    # with 60 % of the run parallel the limit is 2.5x, and on four processors 1.8x.
    assert amdahl_speedup(0.4, np.inf) == pytest.approx(2.5)
    assert round(amdahl_speedup(0.4, 4), 1) == 1.8


def test_amdahl_leeds_arc_glossary_ten_percent_serial_caps_at_10():
    # University of Leeds ARC glossary, "Amdahl's law" (arc.leeds.ac.uk/glossary/amdahls-law/):
    # a 10 % serial component limits the speedup to 10 no matter how many processors are used.
    assert amdahl_speedup(0.1, np.inf) == pytest.approx(10.0)


def test_gustafson_and_amdahl_agree_once_s_is_converted_between_the_two_runs():
    # Gustafson (CACM 31(5), 1988) measures s on the parallel run, Amdahl on the serial one.
    # By hand, from Gustafson's S = n + (1 − n)s: s = 0.01 on n = 1000 gives
    # 1000 − 999 × 0.01 = 990.01. The same run takes s + n(1 − s) = 0.01 + 990 = 990.01 units
    # on one worker, of which 0.01 is serial: Amdahl's f = 0.01/990.01 gives the same 990.01.
    assert gustafson_speedup(0.01, 1000) == pytest.approx(990.01)
    assert amdahl_speedup(0.01 / 990.01, 1000) == pytest.approx(990.01)


@given(fractions, workers_st)
def test_gustafson_equals_amdahl_with_the_serial_run_fraction(s, n):
    # the serial part takes s of the n-worker run; on one worker the run takes
    # s + n(1-s), so Amdahl's fraction is f = s / (s + n(1-s)).
    f = s / (s + n * (1 - s))
    assert amdahl_speedup(f, n) == pytest.approx(gustafson_speedup(s, n), rel=1e-9)


@given(fractions, workers_st)
def test_amdahl_efficiency_at_most_one_and_speedup_bounded_by_one_over_s(s, n):
    sp = amdahl_speedup(s, n)
    assert 1.0 - 1e-12 <= sp <= n * (1 + 1e-12)
    assert sp / n <= 1.0 + 1e-12
    if s > 0:
        assert sp <= 1.0 / s * (1 + 1e-12)


@given(fractions, st.lists(workers_st, min_size=2, max_size=20))
def test_amdahl_speedup_is_monotone_in_workers(s, ns):
    ns = np.sort(np.array(ns))
    sp = amdahl_speedup(s, ns)
    assert np.all(np.diff(sp) >= -1e-9)


def test_speedup_and_efficiency_match_the_measured_feature_build():
    # data/measured_h200/README.md: "16 processes give ~7.9x speedup on the feature
    # build (efficiency ≈ 0.50)".
    df = load_h200_cpu_scaling()
    med = df[df.workload == "feature_build_processes"].groupby("workers").seconds.median()
    assert speedup(med[1], med[16]) == pytest.approx(7.9, abs=0.1)
    assert parallel_efficiency(med[1], med[16], 16) == pytest.approx(0.50, abs=0.01)


def test_efficiency_is_speedup_over_n_elementwise():
    t1, tn, n = 12.0, np.array([12.0, 6.0, 4.0, 2.0]), np.array([1, 2, 4, 8])
    assert parallel_efficiency(t1, tn, n).tolist() == pytest.approx([1.0, 1.0, 0.75, 0.75])


# ---------------------------------------------------------------------- Karp–Flatt
@given(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=2, max_value=4096))
def test_karp_flatt_recovers_the_amdahl_serial_fraction_exactly(s, n):
    # Karp & Flatt, CACM 33(5) 1990: e is the serial fraction if Amdahl's law holds.
    assert karp_flatt(amdahl_speedup(s, n), n) == pytest.approx(s, abs=1e-9)


def test_karp_flatt_of_perfect_speedup_is_zero_and_of_no_speedup_is_one():
    assert karp_flatt([2.0, 8.0], [2, 8]).tolist() == pytest.approx([0.0, 0.0])
    assert karp_flatt(1.0, 16) == pytest.approx(1.0)


def test_karp_flatt_refuses_one_worker():
    with pytest.raises(ValueError, match="workers"):
        karp_flatt(1.0, 1)


# ----------------------------------------------------------------------- fit_amdahl
def test_fit_amdahl_recovers_parameters_from_noisy_repeated_runs():
    rng = np.random.default_rng(7)
    n = np.repeat([1, 2, 4, 8, 16], 5)
    t = 50.0 * (0.08 + 0.92 / n) * (1 + rng.normal(0, 0.01, n.size))
    fit = fit_amdahl(n, t)
    assert fit.serial_fraction == pytest.approx(0.08, abs=0.01)
    assert fit.t1_s == pytest.approx(50.0, rel=0.02)
    assert fit.r_squared > 0.99
    assert len(fit.residuals_s) == n.size
    assert not fit.constrained
    assert fit.max_speedup == pytest.approx(1 / fit.serial_fraction)
    assert fit.predict_s(1) == pytest.approx(fit.t1_s)


def test_fit_amdahl_constrains_superlinear_data_to_nonnegative_parts():
    fit = fit_amdahl([1, 2, 4], [10.0, 4.0, 1.5])  # faster than linear: intercept < 0
    assert fit.constrained
    assert fit.serial_s >= 0 and fit.parallel_s >= 0
    assert 0.0 <= fit.serial_fraction <= 1.0


def test_fit_amdahl_needs_two_distinct_worker_counts():
    with pytest.raises(ValueError, match="workers"):
        fit_amdahl([4, 4, 4], [1.0, 1.1, 0.9])
    with pytest.raises(ValueError, match="times_s"):
        fit_amdahl([1, 2, 4], [1.0, 2.0])


# ------------------------------------------------------------- data-parallel gradients
def _regression(seed=0, rows=120, d=3):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, d))
    y = x @ np.array([1.5, -2.0, 0.5]) + rng.normal(0, 0.3, rows)
    w = rng.normal(size=d)
    return x, y, w


def test_gradient_matches_finite_differences():
    x, y, w = _regression()
    eps = 1e-6
    loss = lambda v: np.mean((x @ v - y) ** 2)  # noqa: E731 - the definition, for the check
    numeric = np.array([(loss(w + eps * e) - loss(w - eps * e)) / (2 * eps) for e in np.eye(3)])
    assert least_squares_gradient(x, y, w) == pytest.approx(numeric, rel=1e-6)


def test_averaged_equal_shard_gradients_equal_the_full_batch_gradient():
    # the article's Mathematical Lens: g = (1/n) Σ g_i — exact for equal shards.
    x, y, w = _regression()
    full = least_squares_gradient(x, y, w)
    shards = [least_squares_gradient(xs, ys, w) for xs, ys in zip(np.split(x, 4), np.split(y, 4))]
    assert average_gradients(shards) == pytest.approx(full, rel=1e-12, abs=1e-12)


def test_unequal_shards_break_the_plain_mean_and_weights_restore_it():
    x, y, w = _regression()
    cuts = [10, 40, 100]  # shards of 10, 30, 60, 20 rows
    xs, ys = np.split(x, cuts), np.split(y, cuts)
    grads = [least_squares_gradient(a, b, w) for a, b in zip(xs, ys)]
    full = least_squares_gradient(x, y, w)
    assert not np.allclose(average_gradients(grads), full, rtol=1e-3)
    sizes = [len(b) for b in ys]
    assert average_gradients(grads, weights=sizes) == pytest.approx(full, rel=1e-12, abs=1e-12)


def test_average_gradients_checks_shapes_and_weights():
    with pytest.raises(ValueError, match="gradients"):
        average_gradients([[1.0, 2.0], [3.0]])
    with pytest.raises(ValueError, match="weights"):
        average_gradients([[1.0], [2.0]], weights=[1.0])
    with pytest.raises(ValueError, match="weights"):
        average_gradients([[1.0], [2.0]], weights=[-1.0, 2.0])
    with pytest.raises(ValueError, match="weights"):
        average_gradients([[1.0], [2.0]], weights=[0.0, 0.0])


# ----------------------------------------------------------------------- collectives
def test_bus_bandwidth_factors_follow_nccl_tests_performance_md():
    # NVIDIA nccl-tests doc/PERFORMANCE.md, "Summary": AllReduce 2(n-1)/n; ReduceScatter,
    # AllGather, AlltoAll (n-1)/n; Broadcast, Reduce 1.
    n = 8
    expected = {"all_reduce": 2 * 7 / 8, "reduce_scatter": 7 / 8, "all_gather": 7 / 8,
                "all_to_all": 7 / 8, "broadcast": 1.0, "reduce": 1.0}
    assert set(expected) == set(BUS_BANDWIDTH_FACTORS)
    for name, factor in expected.items():
        assert bus_bandwidth_bytes_per_s(100.0, n, name) == pytest.approx(100.0 * factor)
    assert bus_bandwidth_bytes_per_s(100.0, 8, "AllReduce") == bus_bandwidth_bytes_per_s(100.0, 8, "all-reduce")


def test_ring_allreduce_time_reproduces_nccl_ideal_time_so_busbw_equals_link_bandwidth():
    # nccl-tests doc/PERFORMANCE.md: the best all-reduce time is t = (S/B)·2(n-1)/n, and
    # busbw = algbw·2(n-1)/n then equals the per-rank bandwidth B.
    size, link = 2**30, 450e9
    for n in (2, 4, 8, 64):
        t = ring_allreduce_s(size, n, link, latency_s=0.0)
        assert t == pytest.approx(size / link * 2 * (n - 1) / n)
        assert bus_bandwidth_bytes_per_s(algorithm_bandwidth_bytes_per_s(size, t), n) == pytest.approx(link)


def test_ring_allreduce_by_hand():
    # 14 GB of gradients over 64 GPUs on 100 Gb/s (12.5e9 bytes/s) links, 5 µs per step:
    # 2·63·5e-6 = 0.00063 s of latency + 2·(63/64)·14e9/12.5e9 = 1.96875 × 1.12 = 2.205 s
    # → 2.20563 s (notebook 05's exercise, "about 2.2 s"). 1 GB over 8 GPUs at 450 GB/s with
    # 5 µs: 70 µs + 1.75/450 s = 3.95889 ms.
    assert ring_allreduce_s(14e9, 64, 12.5e9, 5e-6) == pytest.approx(2.20563)
    assert ring_allreduce_s(1e9, 8, 450e9, 5e-6) == pytest.approx(3.958889e-3, rel=1e-6)


def test_ring_allreduce_latency_term_and_single_worker():
    # Thakur, Rabenseifner & Gropp 2005: 2(n-1) steps, each paying the latency α.
    assert ring_allreduce_s(0.0, 8, 1e9, 1e-5) == pytest.approx(14e-5)
    assert ring_allreduce_s(1e9, 1, 1e9, 1e-5) == 0.0


@given(st.floats(min_value=0, max_value=1e12), st.integers(min_value=2, max_value=10_000))
def test_allreduce_busbw_is_at_least_algbw(algbw, n):
    assert bus_bandwidth_bytes_per_s(algbw, n, "all_reduce") >= algbw


@given(st.integers(min_value=1, max_value=1000))
def test_ring_allreduce_time_grows_with_ranks_but_stays_below_twice_m_over_b(n):
    t, t_next = ring_allreduce_s(1e9, [n, n + 1], 1e9, 0.0)
    assert t <= t_next < 2.0


def test_collective_errors_name_the_parameter():
    with pytest.raises(ValueError, match="collective.*'all_reduce'"):
        bus_bandwidth_bytes_per_s(1.0, 4, "all_reduction")
    with pytest.raises(ValueError, match="workers"):
        ring_allreduce_s(1e9, 0, 1e9)
    with pytest.raises(ValueError, match="workers"):
        ring_allreduce_s(1e9, 2.5, 1e9)
    with pytest.raises(ValueError, match="bandwidth_bytes_per_s"):
        ring_allreduce_s(1e9, 2, 0.0)
    with pytest.raises(ValueError, match="latency_s"):
        ring_allreduce_s(1e9, 2, 1e9, -1.0)
    with pytest.raises(TypeError, match="message_bytes"):
        ring_allreduce_s("big", 2, 1e9)


# ------------------------------------------------------------------- pipeline bubble
def test_gpipe_bubble_formula_and_negligible_when_m_at_least_4k():
    # Huang et al., GPipe (arXiv:1811.06965) §2.3: bubble O((K-1)/(M+K-1)); "we found the
    # bubble overhead to be negligible when M ≥ 4 × K" — under 20 % of the step.
    assert pipeline_bubble_fraction(4, 1, "gpipe") == pytest.approx(3 / 4)
    k = np.arange(2, 65)
    assert np.all(pipeline_bubble_fraction(k, 4 * k, "gpipe") < 0.2)


def test_megatron_bubble_and_interleaving_section_2_2():
    # Narayanan et al., Megatron-LM (arXiv:2104.04473) §2.2: bubble time fraction
    # (p-1)/m; with v model chunks per device (interleaved schedule) (1/v)(p-1)/m.
    assert pipeline_bubble_fraction(8, 32, "megatron") == pytest.approx(7 / 32)
    assert pipeline_bubble_fraction(8, 32, "megatron", interleave=4) == pytest.approx(7 / 128)


@given(st.integers(1, 128), st.integers(1, 10_000))
def test_gpipe_share_is_x_over_one_plus_x_of_the_megatron_ratio(p, m):
    x = pipeline_bubble_fraction(p, m, "megatron")
    assert pipeline_bubble_fraction(p, m, "gpipe") == pytest.approx(x / (1 + x))


@given(st.integers(1, 128), st.integers(1, 1000), st.sampled_from(["gpipe", "megatron"]))
def test_bubble_shrinks_towards_zero_as_microbatches_grow(p, m, convention):
    b = pipeline_bubble_fraction(p, [m, m + 1, 10**9], convention)
    assert b[0] >= b[1] >= b[2] >= 0
    assert b[2] < 1e-6


def test_bubble_errors_name_the_parameter():
    with pytest.raises(ValueError, match="convention.*'gpipe', 'megatron'"):
        pipeline_bubble_fraction(4, 8, "1f1b")
    with pytest.raises(ValueError, match="interleave"):
        pipeline_bubble_fraction(4, 8, "gpipe", interleave=2)
    with pytest.raises(ValueError, match="microbatches"):
        pipeline_bubble_fraction(4, 0, "megatron")
    with pytest.raises(TypeError):
        pipeline_bubble_fraction(4, 8)  # the convention must be named


# ------------------------------------------------------------------------ stragglers
def test_expected_max_matches_enumeration_of_all_worker_assignments():
    sample = np.array([3.0, 1.0, 4.0, 1.5, 9.0])
    for n in (1, 2, 3):
        brute = np.mean([max(c) for c in itertools.product(sample, repeat=n)])
        assert expected_max_step_time(sample, n) == pytest.approx(brute)


def test_expected_max_of_uniform_and_exponential_follow_the_classical_formulas():
    # E[max of n U(0,1)] = n/(n+1); E[max of n Exp(1)] = H_n (the harmonic number),
    # classical results (e.g. David & Nagaraja, "Order Statistics", 3rd ed. 2003; for the
    # exponential, Rényi's representation of spacings).
    k = 200_000
    q = (np.arange(k) + 0.5) / k
    n = np.array([1, 2, 4, 16, 64])
    assert expected_max_step_time(q, n) == pytest.approx(n / (n + 1), abs=1e-4)
    harmonic = np.array([np.sum(1 / np.arange(1, i + 1)) for i in n])
    assert expected_max_step_time(-np.log1p(-q), n) == pytest.approx(harmonic, abs=2e-3)


@settings(max_examples=50)
@given(st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=50),
       st.integers(1, 200))
def test_expected_max_is_non_decreasing_in_n_and_bounded_by_the_sample(sample, n):
    e = expected_max_step_time(sample, [n, n + 1])
    assert e[0] <= e[1] + 1e-9 * max(1.0, max(sample))
    assert min(sample) - 1e-9 <= e[0] <= max(sample) + 1e-9


def test_straggler_slowdown_is_one_for_one_worker_and_identical_times():
    assert straggler_slowdown([2.0, 4.0, 9.0], 1) == pytest.approx(1.0)
    assert straggler_slowdown([5.0, 5.0], [1, 64]).tolist() == pytest.approx([1.0, 1.0])


def test_straggler_errors_name_the_parameter():
    with pytest.raises(ValueError, match="step_times"):
        expected_max_step_time([], 4)
    with pytest.raises(ValueError, match="step_times"):
        expected_max_step_time([1.0, -2.0], 4)
    with pytest.raises(ValueError, match="workers"):
        expected_max_step_time([1.0, 2.0], 0)


# ------------------------------------------------------------------- invalid inputs
@pytest.mark.parametrize("func", [amdahl_speedup, gustafson_speedup])
def test_serial_fraction_outside_unit_interval_is_refused(func):
    with pytest.raises(ValueError, match="serial_fraction"):
        func(1.2, 4)
    with pytest.raises(ValueError, match="serial_fraction"):
        func(-0.1, 4)
    with pytest.raises(ValueError, match="workers"):
        func(0.1, 0.5)


def test_speedup_refuses_nonpositive_times():
    with pytest.raises(ValueError, match="tn_s"):
        speedup(1.0, 0.0)
    with pytest.raises(ValueError, match="workers"):
        parallel_efficiency(1.0, 0.5, 0)


@settings(max_examples=50)
@given(st.floats(min_value=0.0, max_value=0.99), st.floats(min_value=1e-3, max_value=1e4))
def test_fit_amdahl_recovers_any_serial_fraction_from_exact_amdahl_times(s, t1):
    n = np.array([1, 2, 3, 4, 8, 16, 16])
    fit = fit_amdahl(n, t1 * (s + (1 - s) / n))
    assert fit.serial_fraction == pytest.approx(s, abs=1e-9)
    assert fit.t1_s == pytest.approx(t1, rel=1e-9)
    assert fit.rmse_s <= 1e-9 * t1


# ------------------------------------------------------------------ observed slowdown
def test_observed_step_slowdown_by_hand():
    # iteration 1: max 3, mean 2 → 1.5; iteration 2: all equal → 1; mean 1.25
    assert observed_step_slowdown([[1.0, 3.0], [2.0, 2.0]]) == pytest.approx(1.25)
    assert observed_step_slowdown(np.full((5, 8), 7.0)) == pytest.approx(1.0)


@settings(max_examples=50)
@given(st.integers(1, 20), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_observed_slowdown_lies_between_one_and_the_worker_count(iters, workers, seed):
    # max ≥ mean, and max ≤ sum = W · mean for non-negative times
    t = np.random.default_rng(seed).exponential(size=(iters, workers)) + 1e-9
    v = observed_step_slowdown(t)
    assert 1.0 - 1e-12 <= v <= workers + 1e-12


def test_observed_slowdown_errors_name_the_parameter():
    with pytest.raises(ValueError, match="worker_times"):
        observed_step_slowdown([1.0, 2.0])
    with pytest.raises(ValueError, match="worker_times"):
        observed_step_slowdown([[0.0, 0.0]])
    with pytest.raises(ValueError, match="worker_times"):
        observed_step_slowdown([[1.0, -1.0]])
    with pytest.raises(ValueError, match="worker_times"):
        observed_step_slowdown([[1.0, 2.0], [np.nan, np.nan]])


def test_observed_slowdown_skips_missing_times_like_pandas():
    # The pivot of a real trace has holes; a missing time must not count as a worker.
    t = np.array([[1.0, 3.0, np.nan], [2.0, 2.0, 5.0]])
    # iteration 1: max 3 / mean 2 = 1.5; iteration 2: 5 / 3 = 5/3
    assert observed_step_slowdown(t) == pytest.approx((1.5 + 5 / 3) / 2)


# ------------------------------------------------------------------ contract: new checks
def test_fit_amdahl_every_field_by_hand():
    # Two worker counts, two runs each: n = 1, 2, 2, 1 → x = 1/n = 1, 0.5, 0.5, 1 and
    # T = 12, 8, 6, 14. With two x values OLS passes through the group means (13 at x = 1,
    # 7 at x = 0.5): b = (13 − 7)/0.5 = 12, a = 13 − 12 = 1. Residuals −1, +1, −1, +1, so
    # SS_res = 4; mean T = 10, SS_tot = 4 + 4 + 16 + 16 = 40, R² = 1 − 4/40 = +0.9 (a flipped
    # sign would give 1.1 or −0.9); RMSE = sqrt(4/4) = 1; s = a/(a + b) = 1/13; T1 = 13.
    fit = fit_amdahl([1, 2, 2, 1], [12.0, 8.0, 6.0, 14.0])
    assert fit.r_squared == pytest.approx(0.9)
    assert fit.serial_s == pytest.approx(1.0) and fit.parallel_s == pytest.approx(12.0)
    assert fit.serial_fraction == pytest.approx(1 / 13) and fit.t1_s == pytest.approx(13.0)
    assert fit.rmse_s == pytest.approx(1.0)
    assert fit.residuals_s == pytest.approx((-1.0, 1.0, -1.0, 1.0))
    assert fit.workers == (1.0, 2.0, 2.0, 1.0) and fit.times_s == (12.0, 8.0, 6.0, 14.0)
    assert fit.constrained is False
    assert fit.max_speedup == pytest.approx(13.0)
    # unpacks like a tuple, in field order
    s_frac, t1, *_ = fit
    assert (s_frac, t1) == (fit.serial_fraction, fit.t1_s) and len(fit) == 10
    assert isinstance(fit, AmdahlFit)


def test_amdahl_fit_predicts_at_several_worker_counts_by_hand():
    # T(n) = a + b/n with T1 = 100 s, s = 0.1: a = 10, b = 90 → T(1) = 100, T(2) = 55,
    # T(4) = 32.5, T(10) = 19, T(∞) = 10; speedups 1, 100/55, 100/32.5, 100/19, 10.
    n = np.array([1, 2, 4, 8, 16])
    fit = fit_amdahl(n, 100 * (0.1 + 0.9 / n))
    assert fit.predict_s([1, 2, 4, 10, np.inf]).tolist() == pytest.approx([100.0, 55.0, 32.5, 19.0, 10.0])
    assert fit.predict_speedup([2, 10]).tolist() == pytest.approx([100 / 55, 100 / 19])
    with pytest.warns(DeprecationWarning, match="predict_s"):
        assert fit.predict_seconds(4) == pytest.approx(32.5)
    with pytest.raises(ValueError, match="workers"):
        fit.predict_s(0.5)


def test_efficiency_above_one_beyond_noise_is_refused():
    # 10 s on one worker, 1 s on four: E = 2.5 — times swapped or workers wrong.
    with pytest.raises(ValueError, match="parallel_efficiency=2.5.*t1_s"):
        parallel_efficiency(10.0, 1.0, 4)
    # 10 / (4 × 2.4) = 1.0417 lies within the default 5 % noise; 10 / (4 × 2.2) = 1.136 does not,
    # unless the caller accepts super-linear speedup knowingly.
    assert parallel_efficiency(10.0, 2.4, 4) == pytest.approx(1.0416666667)
    with pytest.raises(ValueError, match="physically impossible"):
        parallel_efficiency(10.0, 2.2, 4)
    assert parallel_efficiency(10.0, 2.2, 4, tolerance=0.2) == pytest.approx(1.1363636364)


@pytest.mark.parametrize("bad", [True, float("inf"), "8", 2.5])
def test_workers_refuse_bools_inf_strings_and_fractions(bad):
    with pytest.raises((ValueError, TypeError), match="workers"):
        parallel_efficiency(1.79, 0.225, bad)
    with pytest.raises((ValueError, TypeError), match="workers"):
        ring_allreduce_s(1e9, bad, 450e9)


@pytest.mark.parametrize("old, new, args", [
    ("ring_allreduce_seconds", "ring_allreduce_s", (1e9, 8, 450e9, 5e-6)),
    ("algorithm_bandwidth", "algorithm_bandwidth_bytes_per_s", (1e9, 0.004)),
    ("bus_bandwidth", "bus_bandwidth_bytes_per_s", (100.0, 8)),
])
def test_old_names_warn_and_forward(old, new, args):
    with pytest.warns(DeprecationWarning, match=new):
        value = getattr(parallel, old)(*args)
    assert value == getattr(parallel, new)(*args)
    assert old not in parallel.__all__


# ----------------------------------------------------------- strategies (issue 12)
from infra_lab.parallel import (activation_memory_bytes, checkpoint_waste_fraction, data_parallel_bytes_per_step,
                                hierarchical_allreduce_s, overlapped_step_s, parameter_server_s, system_mtbf_s,
                                tensor_parallel_bytes_per_step, young_daly_interval_s)


def test_two_level_allreduce_equals_the_flat_ring_on_one_node_and_beats_it_across_nodes():
    # one node: only the NVLink reduce-scatter + all-gather, i.e. a ring all-reduce over g GPUs
    assert hierarchical_allreduce_s(1e9, 8, 1, 450e9, 12.5e9, 5e-7, 5e-6) == pytest.approx(
        ring_allreduce_s(1e9, 8, 450e9, 5e-7))
    # one GPU per node: a ring over the NICs
    assert hierarchical_allreduce_s(1e9, 1, 16, 450e9, 12.5e9, 5e-7, 5e-6) == pytest.approx(
        ring_allreduce_s(1e9, 16, 12.5e9, 5e-6))
    # 64 GPUs as 8 × 8, network-bound: only M/8 crosses the NIC (hand arithmetic)
    t = hierarchical_allreduce_s(14e9, 8, 8, 450e9, 12.5e9)
    assert t == pytest.approx(2 * 7 / 8 * 14e9 / 450e9 + 2 * 7 / 8 * 14e9 / 8 / 12.5e9)
    assert t < ring_allreduce_s(14e9, 64, 12.5e9) / 5


def test_tensor_parallel_volume_is_8bsh_per_layer_times_t_minus_1_over_t():
    # Narayanan et al. 2021 §3.3: 8bsh(t-1)/t per layer per micro-batch (values); bf16 = 2 bytes.
    assert tensor_parallel_bytes_per_step(4, 1024, 4096, 2, 4, 2.0) == pytest.approx(2 * 8 * 4 * 1024 * 4096 * 3 / 4 * 2)
    assert tensor_parallel_bytes_per_step(4, 1024, 4096, 2, 1) == 0.0


def test_zero_stage_3_moves_one_and_a_half_times_the_data_parallel_volume():
    # Rajbhandari et al. 2020 §7: 2Ψ for DP and ZeRO-1/2, 3Ψ for ZeRO-3 (large n).
    v = data_parallel_bytes_per_step(1e9, 1_000_000, [0, 1, 2, 3], 1.0)
    assert np.allclose(v, [2e9, 2e9, 2e9, 3e9], rtol=1e-5)
    assert data_parallel_bytes_per_step(1e9, 1, 3) == 0.0


def test_parameter_server_needs_as_many_servers_as_workers_to_match_the_ring():
    ring = ring_allreduce_s(1e9, 16, 12.5e9)
    assert parameter_server_s(1e9, 16, 16, 12.5e9, 12.5e9) == pytest.approx(2 * 1e9 / 12.5e9)
    assert parameter_server_s(1e9, 16, 16, 12.5e9, 12.5e9) == pytest.approx(ring * 16 / 15)
    assert parameter_server_s(1e9, 16, 1, 12.5e9, 12.5e9) == pytest.approx(16 * 2 * 1e9 / 12.5e9)


def test_overlap_runs_from_sum_to_max():
    assert overlapped_step_s(1.0, 0.4, 0.0) == pytest.approx(1.4)
    assert overlapped_step_s(1.0, 0.4, 1.0) == pytest.approx(1.0)
    assert overlapped_step_s(0.3, 0.4, 1.0) == pytest.approx(0.4)


def test_young_interval_minimises_the_first_order_waste_and_daly_is_close():
    # Young 1974: tau = sqrt(2 δ M); check it against a brute-force minimum of the waste.
    d, m = 300.0, system_mtbf_s(5 * 365 * 86400.0, 1000)
    assert m == pytest.approx(5 * 365 * 86400 / 1000)
    taus = np.linspace(1000, 40000, 200001)
    best = taus[np.argmin(checkpoint_waste_fraction(taus, d, m))]
    # the waste's exact minimiser of δ/(τ+δ) + (τ+δ)/(2M) is τ + δ = sqrt(2δM)
    assert best == pytest.approx(np.sqrt(2 * d * m) - d, rel=1e-3)
    assert young_daly_interval_s(d, m) == pytest.approx(np.sqrt(2 * d * m))
    assert young_daly_interval_s(d, m, method="daly") == pytest.approx(np.sqrt(2 * d * m), rel=0.03)
    assert young_daly_interval_s(3e5, 1e5, method="daly") == pytest.approx(1e5)   # δ ≥ 2M: τ = M


def test_activation_memory_reproduces_korthikanti_table_2():
    s, b, h, a, t = 2048, 1, 12288, 96, 8
    sbh = s * b * h
    attn = 5 * a * s / h
    assert attn == 80.0   # Korthikanti et al. 2022: 5as/h = 80 for GPT-3
    assert activation_memory_bytes(s, b, h, a, 1) == pytest.approx(sbh * (34 + attn))
    assert activation_memory_bytes(s, b, h, a, 1, t) == pytest.approx(sbh * (10 + 24 / t + attn / t))
    assert activation_memory_bytes(s, b, h, a, 1, t, True) == pytest.approx(sbh * (34 / t + attn / t))
    assert activation_memory_bytes(s, b, h, a, 1, t, False, "selective") == pytest.approx(sbh * (10 + 24 / t))
    assert activation_memory_bytes(s, b, h, a, 1, t, True, "selective") == pytest.approx(sbh * 34 / t)
    assert activation_memory_bytes(s, b, h, a, 1, t, True, "full") == pytest.approx(2 * sbh)
