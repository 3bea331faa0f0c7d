"""Tests for infra_lab.compute against published numbers, laws and invalid inputs."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.article import compute_cluster
from infra_lab import compute
from infra_lab.compute import (
    H200Specs,
    chinchilla_optimal,
    devices_for_deadline,
    energy_j,
    flops_utilization,
    forward_flops_per_token,
    gpu_hours,
    h200_specs,
    model_flops_utilization,
    model_state_memory_bytes,
    ridge_point,
    roofline_attainable_flop_per_s,
    run_energy_cost,
    training_flops,
    training_flops_per_token,
    training_time_s,
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
    days = training_time_s(3.55e23, 1024, 123e12, 0.565) / DAY_S
    assert round(days, 1) == 57.7


def test_megatron_2021_training_time_estimate():
    # Narayanan et al. 2021 (arXiv:2104.04473) §5.1: time ≈ 8·T·P/(n·X); GPT-3 175B on
    # T = 300B tokens, n = 1024 GPUs, X = 140 TFLOP/s per GPU → about 34 days.
    # 8 = 6 (forward + backward) + 2 (activation recomputation).
    flops = training_flops(175e9, 300e9, k=8)
    days = training_time_s(flops, 1024, 140e12, 1.0) / DAY_S
    assert round(days) == 34
    # The same with X expressed as peak × utilisation (A100 312 TFLOP/s, 140/312 of peak).
    assert training_time_s(flops, 1024, 312e12, 140 / 312) / DAY_S == pytest.approx(days)


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
    # By hand for L = 24, T = d = 2048: Kaplan 6·24·2048·2048 = 603,979,776; PaLM twice that.
    n, L, T, d = 1e9, 24, 2048, 2048
    kaplan = training_flops_per_token(n, L, T, d, "kaplan") - 6e9
    palm = training_flops_per_token(n, L, T, d, "palm") - 6e9
    assert kaplan == pytest.approx(603_979_776)
    assert palm == pytest.approx(1_207_959_552)


def test_kaplan_forward_flops_by_hand():
    # Kaplan et al. 2020 Table 1: C_forward = 2N + 2·n_layer·n_ctx·d_attn. Worked by hand for
    # a GPT-2-small shape (N = 85M, 12 layers, 1024 tokens, d = 768): 170,000,000 +
    # 2·12·1024·768 = 170,000,000 + 18,874,368 = 188,874,368; training is 3× that.
    assert forward_flops_per_token(85e6, 12, 1024, 768) == 188_874_368.0
    assert training_flops_per_token(85e6, 12, 1024, 768) == 566_623_104.0
    # PaLM's attention term is twice Kaplan's: 6N + 12·L·T·d = 510,000,000 + 113,246,208
    assert training_flops_per_token(85e6, 12, 1024, 768, "palm") == 623_246_208.0


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
    # Worked by hand: 57.7 × 24 × 1024 = 1,418,035.2 chip-hours; × 289 W / 1000 = 409,812.1728 kWh
    # drawn by the chips; × PUE 1.10 = 450,793.39008 kWh; at $2 per chip-hour $2,836,070.40;
    # at 0.5 kg/kWh 225,396.69504 kg. Unpacks in field order.
    gpu_h, it_kwh, kwh, usd, co2 = run_energy_cost(hours, 289, pue=1.10, price_usd_per_hour=2.0,
                                                   carbon_kg_per_kwh=0.5)
    assert gpu_h == pytest.approx(1_418_035.2)
    assert it_kwh == pytest.approx(409_812.1728)
    assert kwh == pytest.approx(450_793.39008)
    assert usd == pytest.approx(2_836_070.40)
    assert co2 == pytest.approx(225_396.69504)


def test_run_energy_cost_default_pue_is_one():
    # Without a PUE the facility energy is the IT energy: 1000 h × 690 W = 690 kWh, both.
    r = run_energy_cost(1000, 690)
    assert (r.it_energy_kwh, r.energy_kwh) == (690.0, 690.0)
    assert r.cost_usd is None and r.co2_kg is None


def test_gpu_hours_reproduce_lamda_chip_days():
    # Thoppilan et al. 2022 (LaMDA, arXiv:2201.08239) §10: 3.55E+23 FLOPs at 56.5 % of
    # 123 TFLOP/s took 1024 chips × 57.7 days = 1,418,035 chip-hours (to the paper's rounding).
    hours = gpu_hours(3.55e23, 123e12, 0.565)
    assert round(hours / (1024 * 24), 1) == 57.7
    # device-hours do not depend on the device count: 64 devices take 1/64 of the hours each
    assert training_time_s(3.55e23, 64, 123e12, 0.565) * 64 / 3600 == pytest.approx(hours, rel=1e-12)


def test_flops_utilization_reproduces_megatron_52_percent_of_peak():
    # Narayanan et al. 2021 (arXiv:2104.04473), abstract: 502 petaFLOP/s on 3072 GPUs, "per-GPU
    # throughput of 52% of theoretical peak"; §5: A100 peak 312 teraFLOP/s (fp16/bf16 tensor cores).
    assert round(flops_utilization(502e15 / 3072, 312e12), 2) == 0.52
    np.testing.assert_allclose(flops_utilization([0.0, 156e12, 312e12], 312e12), [0.0, 0.5, 1.0])


def test_energy_j_by_hand():
    # E = P·t, worked by hand: one hour at 700 W (the H200's TDP) is 2,520,000 J = 0.7 kWh;
    # a Zeus-trace epoch of 27.13 s at 106.888812 W is 2899.89346956 J (27 × 106.888812 =
    # 2885.997924, plus 0.13 × 106.888812 = 13.89554556).
    assert energy_j(3600.0, 700.0) == 2_520_000.0
    assert energy_j(27.13, 106.888812) == pytest.approx(2899.89346956, rel=1e-12)


def test_functions_broadcast_and_return_scalars_for_scalars():
    assert isinstance(training_flops(1e9, 2e10), float)
    arr = training_time_s(np.array([1e21, 2e21]), np.array([[8], [16]]), 989.4e12, 0.5)
    assert arr.shape == (2, 2)
    assert isinstance(roofline_attainable_flop_per_s(10, 1e15, 1e12), float)
    assert chinchilla_optimal(np.array([1e20, 1e21])).tokens.shape == (2,)


# --------------------------------------------------------------------------- properties

finite_pos = st.floats(min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(i=st.floats(0, 1e6), peak=finite_pos, bw=finite_pos)
def test_roofline_never_exceeds_peak_nor_bandwidth_line(i, peak, bw):
    # Williams et al. 2009: attainable = the lower of the two roofs — below both, on one.
    p = roofline_attainable_flop_per_s(i, peak, bw)
    assert p <= peak
    assert p <= bw * i + 1e-9 * peak
    assert p == pytest.approx(peak) or p == pytest.approx(bw * i)


@given(i=st.lists(st.floats(0, 1e5), min_size=2, max_size=20), peak=finite_pos, bw=finite_pos)
def test_roofline_is_monotone_in_intensity(i, peak, bw):
    x = np.sort(np.array(i))
    assert np.all(np.diff(roofline_attainable_flop_per_s(x, peak, bw)) >= 0)


@given(peak=finite_pos, bw=finite_pos)
def test_ridge_point_is_where_both_roofs_meet(peak, bw):
    i = ridge_point(peak, bw)
    assert roofline_attainable_flop_per_s(i, peak, bw) == pytest.approx(peak)
    assert roofline_attainable_flop_per_s(0.5 * i, peak, bw) == pytest.approx(0.5 * peak)


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
    t = training_time_s(c, n, 1e15, mfu)
    assert training_time_s(c, n, 1e15, min(1.0, mfu * f)) == pytest.approx(t * mfu / min(1.0, mfu * f))
    assert training_time_s(c, n * 2, 1e15, mfu) == pytest.approx(t / 2)


@given(c=st.floats(1e10, 1e30))
def test_chinchilla_allocation_spends_the_budget_at_20_tokens_per_param(c):
    a = chinchilla_optimal(c)
    assert a.tokens / a.params == pytest.approx(20.0)
    assert training_flops(a.params, a.tokens) == pytest.approx(c)


@given(tps=st.floats(1, 1e7), n=st.floats(1e6, 1e12), devs=st.integers(1, 10_000))
def test_mfu_and_training_time_agree(tps, n, devs):
    # Training D tokens at the observed rate takes D/tps seconds; the time formula with the
    # MFU computed from that rate must give the same time. Above 1 the MFU is refused.
    peak = 1e15
    if tps * 6 * n / (devs * peak) > 1:
        with pytest.raises(ValueError, match="per second and per device"):
            model_flops_utilization(tps, n, devs, peak)
        return
    mfu = model_flops_utilization(tps, n, devs, peak)
    d = 1e9
    assert training_time_s(training_flops(n, d), devs, peak, mfu) == pytest.approx(d / tps)


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
        (lambda: training_time_s(1e20, 0, 1e15, 0.5), "devices"),
        (lambda: training_time_s(1e20, 2.5, 1e15, 0.5), "devices"),
        (lambda: training_time_s(1e20, 8, 0, 0.5), "peak_flop_per_s"),
        (lambda: training_time_s(1e20, 8, 1e15, 0), "mfu"),
        (lambda: training_time_s(1e20, 8, 1e15, 46.2), "mfu"),
        (lambda: training_time_s(-1, 8, 1e15, 0.5), "flops"),
        (lambda: chinchilla_optimal(0), "compute_flops"),
        (lambda: chinchilla_optimal(1e20, tokens_per_param=0), "tokens_per_param"),
        (lambda: model_flops_utilization(-1, 1e9, 8, 1e15), "tokens_per_s"),
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
        (lambda: roofline_attainable_flop_per_s(-1, 1e15, 1e12), "arithmetic_intensity"),
        (lambda: roofline_attainable_flop_per_s(1, 0, 1e12), "peak_flop_per_s"),
        (lambda: roofline_attainable_flop_per_s(1, 1e15, 0), "bandwidth_bytes_per_s"),
        (lambda: ridge_point(1e15, -1), "bandwidth_bytes_per_s"),
        (lambda: run_energy_cost(10, 700, pue=0.9), "pue"),
        (lambda: run_energy_cost(-1, 700), "gpu_hours"),
        (lambda: run_energy_cost(10, 700, price_usd_per_hour=-2), "price_usd_per_hour"),
        (lambda: run_energy_cost(10, 700, carbon_kg_per_kwh=-0.1), "carbon_kg_per_kwh"),
        (lambda: energy_j(10, -5), "power_w"),
        (lambda: gpu_hours(1e20, 1e15, 1.5), "mfu"),
        (lambda: flops_utilization(-1.0, 1e15), "achieved_flop_per_s"),
        (lambda: flops_utilization(1e14, 0), "reference_flop_per_s"),
        (lambda: devices_for_deadline(1e23, 989.4e12, 0.4, 0), "deadline_s"),
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


# --------------------------------------------------------------------------- contract: new checks

def test_mfu_above_one_is_refused_with_what_to_check():
    # The contract issue's example: a peak entered in TFLOP/s (275, not 275e12) gives an
    # "MFU" in the thousands; that is physically impossible and must say what to check.
    with pytest.raises(ValueError, match="model_flops_utilization=.*per second and per device"):
        model_flops_utilization(238.3e3, 540.35e9, 6144, 275.0)
    # a peak for the whole cluster instead of per device is the other usual slip: too LOW, so
    # it stays ≤ 1, but a per-device peak 6144× too small is refused
    with pytest.raises(ValueError, match="physically impossible"):
        model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12 / 6144)


def test_flops_utilization_above_one_is_refused():
    # A measured 775 TFLOP/s against the 67 TFLOP/s FP32 peak: the wrong reference.
    with pytest.raises(ValueError, match="reference_flop_per_s is an upper bound"):
        flops_utilization(775e12, 67e12)


def test_devices_for_deadline_by_hand():
    # Megatron-LM §5.1 backwards: 8·175e9·300e9 = 4.2e23 FLOPs at 140 TFLOP/s in 34 days:
    # 4.2e23 / (140e12 × 2,937,600 s) = 1021.24 → 1022 GPUs (the paper used 1024, "~34 days").
    assert devices_for_deadline(8 * 175e9 * 300e9, 140e12, 1.0, 34 * 86400) == 1022
    # notebook 04 at its defaults: 1e23 / (989.4e12 × 0.4 × 2,592,000 s) = 97.48 → 98 H200s;
    # in 10 days 292.45 → 293.
    assert devices_for_deadline(1e23, 989.4e12, 0.4, [30 * 86400, 10 * 86400]).tolist() == [98, 293]
    # an exact fit needs no extra device: 1e21 FLOPs at 1e15 × 0.5 for 1e6 s is exactly 2 devices
    assert devices_for_deadline(1e21, 1e15, 0.5, 1e6) == 2
    assert devices_for_deadline(0.0, 1e15, 0.5, 1.0) == 1       # nothing to do still needs a device


@settings(max_examples=60)
@given(c=st.floats(1e18, 1e25), mfu=st.floats(0.05, 1.0), days=st.floats(0.5, 90))
def test_devices_for_deadline_is_the_smallest_count_that_meets_it(c, mfu, days):
    deadline = days * 86400
    n = devices_for_deadline(c, 989.4e12, mfu, deadline)
    assert training_time_s(c, n, 989.4e12, mfu) <= deadline * (1 + 1e-9)
    assert n == 1 or training_time_s(c, n - 1, 989.4e12, mfu) > deadline * (1 - 1e-9)


def test_utilization_table_free_units_by_hand():
    # The article's table: 32 − 26 = 6, 16 − 14 = 2, 80 − 52 = 28, 12 − 9 = 3 free units.
    assert utilization_table()["free_units"].tolist() == [6, 2, 28, 3]


def test_bad_cluster_values_name_the_table_and_the_column():
    good = compute_cluster()
    with pytest.raises(ValueError, match="table has 1 missing value.*available_units"):
        utilization_table(good.assign(available_units=[np.nan, 16, 80, 12]))
    with pytest.raises(ValueError, match="table=.*is empty"):
        utilization_table(good.iloc[:0])


def test_chinchilla_allocation_unpacks_like_a_tuple():
    # Hoffmann et al. 2022 Table 3, 10B row: 1.23e22 FLOPs → ~10B parameters, ~205B tokens.
    params, tokens, c, ratio = chinchilla_optimal(1.23e22)
    assert params == pytest.approx(10e9, rel=0.03)
    assert tokens == pytest.approx(205.1e9, rel=0.04)
    assert (c, ratio) == (1.23e22, 20.0)


def test_h200_specs_match_the_measured_machine_and_the_datasheet():
    # data/measured_h200/README.md: "NVIDIA H200 (132 SMs, 141 GB HBM3e ...)"; datasheet peaks
    # quoted there: FP32 67, TF32 494.7, BF16/FP16 989.4, FP8 1,979 TFLOP/s; 4.8 TB/s;
    # "copy bandwidth reaches ~4.2 TB/s"; "board power limit 700 W".
    s = h200_specs()
    assert isinstance(s, H200Specs)
    assert (s.gpu, s.sm_count, s.memory_gb) == ("NVIDIA H200", 132, 141.0)
    # machine.json reports 150.10988032 GB of device memory
    assert s.measured_memory_bytes == pytest.approx(150.10988032e9)
    assert (s.peak_fp32_flop_per_s, s.peak_tf32_flop_per_s, s.peak_bf16_flop_per_s,
            s.peak_fp16_flop_per_s, s.peak_fp8_flop_per_s) == (67e12, 494.7e12, 989.4e12, 989.4e12, 1979e12)
    assert s.bandwidth_bytes_per_s == 4.8e12
    assert round(s.measured_bandwidth_bytes_per_s / 1e12, 1) == 4.2
    assert s.tdp_w == 700.0
    assert s.peak_flop_per_s_by_dtype["bf16"] == 989.4e12 and len(s.peak_flop_per_s_by_dtype) == 5
    assert len(s) == 12 and s._asdict()["sm_count"] == 132


@pytest.mark.parametrize("old, new, args", [
    ("training_time_seconds", "training_time_s", (3.15e23, 1024, 312e12, 0.5)),
    ("roofline_attainable_flops", "roofline_attainable_flop_per_s", (100, 989.4e12, 4.8e12)),
    ("energy_joules", "energy_j", (10.0, 250.0)),
])
def test_old_names_warn_and_forward(old, new, args):
    with pytest.warns(DeprecationWarning, match=new):
        value = getattr(compute, old)(*args)
    assert value == getattr(compute, new)(*args)
    assert old not in compute.__all__


def test_reserved_run_cost_depends_on_the_gpu_count_where_pay_per_use_does_not():
    # Independent arithmetic: 1e21 FLOPs at 0.4 × 989.4e12 FLOP/s is 2,526,783 GPU-seconds.
    from infra_lab.compute import reserved_run_cost, run_energy_cost
    busy_h = 1e21 / (0.4 * 989.4e12) / 3600
    r = reserved_run_cost(1e21, np.array([8, 32, 64]), 989.4e12, 0.4, 86400.0, 690.0, 80.0, 10.0, pue=1.2,
                          carbon_kg_per_kwh=0.4)
    assert r.meets_deadline.tolist() == [False, True, True]           # 87.7 h, 21.9 h, 11.0 h
    assert np.allclose(r.busy_gpu_hours, busy_h)
    # 8 GPUs bill until the run ends; 32 and 64 bill the whole 24 h window
    assert np.allclose(r.cost_usd, [busy_h * 10.0, 32 * 24 * 10.0, 64 * 24 * 10.0])
    idle = np.array([0.0, 32 * 24 - busy_h, 64 * 24 - busy_h])
    assert np.allclose(r.energy_kwh, 1.2 * (busy_h * 690 + idle * 80) / 1000)
    assert np.allclose(r.co2_kg, 0.4 * r.energy_kwh)
    # without idle time (the run fills the window) it agrees with the pay-per-use formula
    ppu = run_energy_cost(busy_h, 690.0, pue=1.2, price_usd_per_hour=10.0)
    assert np.isclose(r.energy_kwh[0], ppu.energy_kwh) and np.isclose(r.cost_usd[0], ppu.cost_usd)
