"""Tests for infra_lab.compute against published numbers, laws and invalid inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.article import compute_cluster
from infra_lab.compute import (
    chinchilla_optimal,
    energy_joules,
    flops_utilization,
    forward_flops_per_token,
    gpu_hours,
    model_flops_utilization,
    model_state_memory_bytes,
    ridge_point,
    roofline_attainable_flops,
    run_energy_cost,
    training_flops,
    training_flops_per_token,
    training_time_seconds,
    utilization_summary,
    utilization_table,
)

DAY_S = 86400.0


# --------------------------------------------------------------------------- published references

def test_gpt3_training_compute_matches_table_d1():
    # Brown et al. 2020 (arXiv:2005.14165), Table D.1: GPT-3 175B has 174,600M parameters,
    # was trained on 300B tokens and used 3.14E+23 FLOPs (3.64E+03 PF-days) — i.e. 6·N·D.
    c = training_flops(174.6e9, 300e9)
    assert f"{c:.2e}" == "3.14e+23"
    assert round(c / (1e15 * DAY_S)) == pytest.approx(3640, abs=5)  # PF-days as printed (3.64E+03)


def test_lamda_compute_from_utilisation_chips_and_days():
    # Thoppilan et al. 2022 (LaMDA, arXiv:2201.08239) §10: 56.5 % × 123 TFLOP/s × 1024 chips
    # × 57.7 days = 3.55E+23 FLOPs. Inverting: 3.55e23 FLOPs on that hardware take 57.7 days.
    days = training_time_seconds(3.55e23, 1024, 123e12, 0.565) / DAY_S
    assert round(days, 1) == 57.7


def test_megatron_2021_training_time_estimate():
    # Narayanan et al. 2021 (arXiv:2104.04473) §5.1: time ≈ 8·T·P/(n·X); GPT-3 175B on
    # T = 300B tokens, n = 1024 GPUs, X = 140 TFLOP/s per GPU → about 34 days.
    # 8 = 6 (forward + backward) + 2 (activation recomputation).
    flops = training_flops(175e9, 300e9, k=8)
    days = training_time_seconds(flops, 1024, 140e12, 1.0) / DAY_S
    assert round(days) == 34
    # The same with X expressed as peak × utilisation (A100 312 TFLOP/s, 140/312 of peak).
    assert training_time_seconds(flops, 1024, 312e12, 140 / 312) / DAY_S == pytest.approx(days)


@pytest.mark.parametrize(
    "params, flops, tokens",
    [
        # Hoffmann et al. 2022 (arXiv:2203.15556), Table 3 (compute-optimal, Approach 1).
        (1e9, 1.21e20, 20.2e9),
        (10e9, 1.23e22, 205.1e9),
        (175e9, 3.85e24, 3.7e12),
    ],
)
def test_chinchilla_table3_rows(params, flops, tokens):
    # 6·N·D of the printed N and D gives the printed FLOPs (to the table's rounding).
    assert training_flops(params, tokens) == pytest.approx(flops, rel=0.01)
    # Sizing from the printed budget with D = 20N lands within a few per cent of the row
    # (Table 3's D/N drifts from 20.2 to ~21; we document the D = 20N choice).
    a = chinchilla_optimal(flops)
    assert a.params == pytest.approx(params, rel=0.03)
    assert a.tokens == pytest.approx(tokens, rel=0.04)
    assert training_flops(a.params, a.tokens) == pytest.approx(flops, rel=1e-12)


def test_zero_figure1_memory_per_device():
    # Rajbhandari et al. 2020 (arXiv:1910.02054), Figure 1: Ψ = 7.5B, K = 12, N_d = 64 →
    # baseline 120GB, P_os 31.4GB, P_os+g 16.6GB, P_os+g+p 1.9GB (GB = 1e9 bytes).
    printed = [120.0, 31.4, 16.6, 1.9]
    got = [round(model_state_memory_bytes(7.5e9, stage, 64) / 1e9, 1) for stage in range(4)]
    assert got == printed


def test_zero_baseline_is_16_bytes_per_parameter():
    # ZeRO §3.1: mixed-precision Adam needs 2Ψ + 2Ψ + KΨ = 16Ψ bytes (K = 12); a 1.5B GPT-2
    # therefore needs at least 24 GB.
    assert model_state_memory_bytes(1.5e9) == pytest.approx(24e9)


def test_palm_540b_mfu_from_its_reported_throughput():
    # Chowdhery et al. 2022 (PaLM, arXiv:2204.02311) App. B / Table 3: 238.3K tokens/s on
    # 6144 TPU v4 chips (275 TFLOP/s peak each) → MFU 45.7 % without self-attention,
    # 46.2 % with it (6N + 12·L·H·Q·T, L = 118, H = 48, Q = 256, T = 2048, N = 540.35B).
    without = model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12)
    with_attention = model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12,
                                             n_layer=118, n_ctx=2048, d_attn=48 * 256)
    assert round(100 * without, 1) == 45.7
    assert round(100 * with_attention, 1) == 46.2


def test_palm_attention_term_is_twice_kaplans():
    # FORMULAS.md / PaLM App. B vs Kaplan et al. 2020 Table 1: 12·L·T·d vs 3·2·L·T·d.
    n, L, T, d = 1e9, 24, 2048, 2048
    kaplan = training_flops_per_token(n, L, T, d, "kaplan") - 6 * n
    palm = training_flops_per_token(n, L, T, d, "palm") - 6 * n
    assert kaplan == pytest.approx(6 * L * T * d)
    assert palm == pytest.approx(2 * kaplan)


def test_kaplan_forward_flops_formula():
    # Kaplan et al. 2020 Table 1: C_forward = 2N + 2·n_layer·n_ctx·d_attn.
    assert forward_flops_per_token(85e6, 12, 1024, 768) == 2 * 85e6 + 2 * 12 * 1024 * 768
    assert training_flops_per_token(85e6, 12, 1024, 768) == 3 * forward_flops_per_token(85e6, 12, 1024, 768)


def test_articles_cluster_table():
    # The article's compute-cluster table: 26/32, 14/16, 52/80, 9/12; only gpu_pool_b (0.875 >
    # 0.85) is over target; model_serving_pool sits exactly at its target 0.75 (not over).
    t = utilization_table()
    assert t["utilization"].tolist() == [0.8125, 0.875, 0.65, 0.75]
    assert t["over_target"].tolist() == [False, True, False, False]
    s = utilization_summary()
    assert s.mean_utilization == pytest.approx(0.771875, abs=1e-15)
    assert s.pooled_utilization == pytest.approx(101 / 140)
    assert s.over_target == ("gpu_pool_b",)
    assert (s.allocated_units, s.available_units) == (101.0, 140.0)


def test_utilization_table_defaults_to_the_article_and_does_not_modify_input():
    table = compute_cluster()
    before = table.copy()
    out = utilization_table(table)
    pd.testing.assert_frame_equal(table, before)
    pd.testing.assert_frame_equal(out, utilization_table())


def test_run_energy_cost_accounting():
    # LaMDA §10 accounting (Thoppilan et al. 2022): energy = days × chips × W × PUE.
    # 57.7 days × 1024 chips × 289 W × PUE 1.10 × 24 h/day = 451 MWh, and at 0.056 kg CO2e
    # per kWh about 25.2 tCO2e, as printed there.
    hours = 57.7 * 24 * 1024
    r = run_energy_cost(hours, 289, pue=1.10)
    assert round(r.energy_kwh / 1000) == 451
    assert r.cost_usd is None and r.co2_kg is None
    assert round(run_energy_cost(hours, 289, pue=1.10, carbon_kg_per_kwh=0.056).co2_kg / 1000, 1) == 25.2
    r2 = run_energy_cost(hours, 289, pue=1.10, price_per_gpu_hour=2.0, carbon_kg_per_kwh=0.5)
    assert r2.cost_usd == pytest.approx(2.0 * hours)
    assert r2.co2_kg == pytest.approx(0.5 * r2.energy_kwh)


def test_gpu_hours_is_time_times_devices():
    # Computed here from the definition: device-seconds = C / (peak · MFU), however many devices.
    c = 1e22
    expected_hours = c / (989.4e12 * 0.4) / 3600
    assert gpu_hours(c, 989.4e12, 0.4) == pytest.approx(expected_hours, rel=1e-12)
    assert training_time_seconds(c, 64, 989.4e12, 0.4) * 64 / 3600 == pytest.approx(expected_hours, rel=1e-12)


def test_flops_utilization_reproduces_megatron_52_percent_of_peak():
    # Narayanan et al. 2021 (arXiv:2104.04473), abstract: 502 petaFLOP/s on 3072 GPUs, "per-GPU
    # throughput of 52% of theoretical peak"; §5: A100 peak 312 teraFLOP/s (fp16/bf16 tensor cores).
    assert round(flops_utilization(502e15 / 3072, 312e12), 2) == 0.52
    np.testing.assert_allclose(flops_utilization([0.0, 156e12, 312e12], 312e12), [0.0, 0.5, 1.0])


def test_energy_joules_zeus_definition():
    # Zeus (You et al., NSDI 2023) trace: energy per epoch = time_per_epoch × average_power.
    assert energy_joules(27.13, 106.888812) == pytest.approx(27.13 * 106.888812)


def test_functions_broadcast_and_return_scalars_for_scalars():
    assert isinstance(training_flops(1e9, 2e10), float)
    arr = training_time_seconds(np.array([1e21, 2e21]), np.array([[8], [16]]), 989.4e12, 0.5)
    assert arr.shape == (2, 2)
    assert isinstance(roofline_attainable_flops(10, 1e15, 1e12), float)
    assert chinchilla_optimal(np.array([1e20, 1e21])).tokens.shape == (2,)


# --------------------------------------------------------------------------- properties

finite_pos = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(i=st.floats(0, 1e6), peak=finite_pos, bw=finite_pos)
def test_roofline_never_exceeds_peak_nor_bandwidth_line(i, peak, bw):
    p = roofline_attainable_flops(i, peak, bw)
    assert p <= peak
    assert p <= bw * i + 1e-9 * peak
    assert p == pytest.approx(min(peak, bw * i))


@given(i=st.lists(st.floats(0, 1e5), min_size=2, max_size=20), peak=finite_pos, bw=finite_pos)
def test_roofline_is_monotone_in_intensity(i, peak, bw):
    x = np.sort(np.array(i))
    assert np.all(np.diff(roofline_attainable_flops(x, peak, bw)) >= 0)


@given(peak=finite_pos, bw=finite_pos)
def test_ridge_point_is_where_both_roofs_meet(peak, bw):
    i = ridge_point(peak, bw)
    assert roofline_attainable_flops(i, peak, bw) == pytest.approx(peak)
    assert roofline_attainable_flops(0.5 * i, peak, bw) == pytest.approx(0.5 * peak)


@given(psi=st.floats(1e3, 1e13), nd=st.integers(2, 4096), k=st.floats(0.5, 32))
def test_zero_memory_strictly_decreases_with_stage_when_sharded(psi, nd, k):
    m = [model_state_memory_bytes(psi, s, nd, k) for s in range(4)]
    assert m[0] > m[1] > m[2] > m[3]
    assert m[3] == pytest.approx(m[0] / nd)


@given(psi=st.floats(1e3, 1e13), stage=st.integers(0, 3))
def test_zero_on_one_device_is_the_baseline(psi, stage):
    assert model_state_memory_bytes(psi, stage, 1) == pytest.approx(16 * psi)


@given(c=st.floats(1e15, 1e27), n=st.integers(1, 100_000), mfu=st.floats(0.01, 1.0), f=st.floats(1.01, 10))
def test_training_time_is_inversely_proportional_to_mfu_and_devices(c, n, mfu, f):
    t = training_time_seconds(c, n, 1e15, mfu)
    assert training_time_seconds(c, n, 1e15, min(1.0, mfu * f)) == pytest.approx(t * mfu / min(1.0, mfu * f))
    assert training_time_seconds(c, n * 2, 1e15, mfu) == pytest.approx(t / 2)


@given(c=st.floats(1e10, 1e30))
def test_chinchilla_allocation_spends_the_budget_at_20_tokens_per_param(c):
    a = chinchilla_optimal(c)
    assert a.tokens / a.params == pytest.approx(20.0)
    assert training_flops(a.params, a.tokens) == pytest.approx(c)


@given(tps=st.floats(1, 1e7), n=st.floats(1e6, 1e12), devs=st.integers(1, 10_000))
def test_mfu_and_training_time_agree(tps, n, devs):
    # Training D tokens at the observed rate takes D/tps seconds; the time formula with the
    # MFU computed from that rate must give the same time.
    peak = 1e15
    mfu = model_flops_utilization(tps, n, devs, peak)
    if 0 < mfu <= 1:
        d = 1e9
        assert training_time_seconds(training_flops(n, d), devs, peak, mfu) == pytest.approx(d / tps)


@settings(max_examples=50)
@given(avail=st.lists(st.integers(1, 1000), min_size=1, max_size=8), data=st.data())
def test_utilization_is_between_0_and_1_and_pooled_between_min_and_max(avail, data):
    alloc = [data.draw(st.integers(0, a)) for a in avail]
    table = pd.DataFrame({"resource": [f"p{i}" for i in range(len(avail))], "available_units": avail,
                          "allocated_units": alloc, "utilization_target": 0.8})
    t = utilization_table(table)
    u = t["utilization"]
    assert ((u >= 0) & (u <= 1)).all()
    s = utilization_summary(table)
    assert u.min() - 1e-12 <= s.pooled_utilization <= u.max() + 1e-12
    assert u.min() - 1e-12 <= s.mean_utilization <= u.max() + 1e-12


# --------------------------------------------------------------------------- invalid inputs

@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: training_flops(-1, 10), "params"),
        (lambda: training_flops(1, -10), "tokens"),
        (lambda: training_flops(1, 10, k=0), "k"),
        (lambda: training_time_seconds(1e20, 0, 1e15, 0.5), "devices"),
        (lambda: training_time_seconds(1e20, 2.5, 1e15, 0.5), "devices"),
        (lambda: training_time_seconds(1e20, 8, 0, 0.5), "peak_flops_per_device"),
        (lambda: training_time_seconds(1e20, 8, 1e15, 0), "mfu"),
        (lambda: training_time_seconds(1e20, 8, 1e15, 46.2), "mfu"),
        (lambda: training_time_seconds(-1, 8, 1e15, 0.5), "flops"),
        (lambda: chinchilla_optimal(0), "compute_flops"),
        (lambda: chinchilla_optimal(1e20, tokens_per_param=0), "tokens_per_param"),
        (lambda: model_flops_utilization(-1, 1e9, 8, 1e15), "tokens_per_second"),
        (lambda: model_flops_utilization(1e3, 1e9, 0, 1e15), "devices"),
        (lambda: model_flops_utilization(1e3, 1e9, 8, 1e15, flops_per_token=0), "flops_per_token"),
        (lambda: model_flops_utilization(1e3, 1e9, 8, 1e15, n_layer=12), "n_layer"),
        (lambda: training_flops_per_token(1e9, 12, 1024, 768, "gopher"), "convention"),
        (lambda: model_flops_utilization(1e3, 1e9, 8, 1e15, convention="gopher"), "convention"),
        (lambda: forward_flops_per_token(1e9, -1, 1024, 768), "n_layer"),
        (lambda: model_state_memory_bytes(1e9, 4), "zero_stage"),
        (lambda: model_state_memory_bytes(1e9, 1.5), "zero_stage"),
        (lambda: model_state_memory_bytes(1e9, 2, 0), "devices"),
        (lambda: model_state_memory_bytes(-1, 2, 8), "params"),
        (lambda: roofline_attainable_flops(-1, 1e15, 1e12), "arithmetic_intensity"),
        (lambda: roofline_attainable_flops(1, 0, 1e12), "peak_flops"),
        (lambda: roofline_attainable_flops(1, 1e15, 0), "bandwidth_bytes_per_s"),
        (lambda: ridge_point(1e15, -1), "bandwidth_bytes_per_s"),
        (lambda: run_energy_cost(10, 700, pue=0.9), "pue"),
        (lambda: run_energy_cost(-1, 700), "gpu_hours"),
        (lambda: run_energy_cost(10, 700, price_per_gpu_hour=-2), "price_per_gpu_hour"),
        (lambda: run_energy_cost(10, 700, carbon_kg_per_kwh=-0.1), "carbon_kg_per_kwh"),
        (lambda: energy_joules(10, -5), "power_watts"),
        (lambda: gpu_hours(1e20, 1e15, 1.5), "mfu"),
        (lambda: flops_utilization(-1.0, 1e15), "achieved_flops_per_s"),
        (lambda: flops_utilization(1e14, 0), "reference_flops_per_s"),
    ],
)
def test_invalid_inputs_are_refused_by_name(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_non_numbers_raise_type_error_naming_the_parameter():
    with pytest.raises(TypeError, match="params"):
        training_flops("seven billion", 1e9)
    with pytest.raises(ValueError, match="tokens"):
        training_flops(1e9, math.nan)


def test_bad_cluster_tables_are_refused():
    good = compute_cluster()
    with pytest.raises(ValueError, match="missing column"):
        utilization_table(good.drop(columns="utilization_target"))
    with pytest.raises(ValueError, match="allocated_units"):
        utilization_table(good.assign(allocated_units=[40, 1, 1, 1]))
    with pytest.raises(ValueError, match="available_units"):
        utilization_table(good.assign(available_units=[0, 16, 80, 12], allocated_units=0))
    with pytest.raises(ValueError, match="utilization_target"):
        utilization_table(good.assign(utilization_target=85))
    with pytest.raises(TypeError, match="table"):
        utilization_table([("gpu", 1, 1, 0.5)])
