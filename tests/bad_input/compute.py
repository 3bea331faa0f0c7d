"""Bad-input matrix for infra_lab.compute (flops, utilization, memory, energy, hardware)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract_matrix import Call, Count, Custom, Frame, Num, Option, Prob

_F = "infra_lab.compute.flops."
_U = "infra_lab.compute.utilization."
_M = "infra_lab.compute.memory."
_E = "infra_lab.compute.energy."


def _cluster() -> pd.DataFrame:
    # The article's compute-cluster table, typed out so a case file does not depend on a loader.
    return pd.DataFrame({"resource": ["gpu_pool_a", "gpu_pool_b", "cpu_pool", "model_serving_pool"],
                         "available_units": [32, 16, 80, 12], "allocated_units": [26, 14, 52, 9],
                         "utilization_target": [0.85, 0.85, 0.80, 0.75]})


_COLUMNS = ("resource", "available_units", "allocated_units", "utilization_target")
# table=None means "the article's table", so the Frame kind's "none" case is valid here.
_TABLE_BAD = [b for b in Frame(_cluster(), columns=_COLUMNS, nan_columns=_COLUMNS[1:]).bad() if b[0] != "none"] + [
    ("negative-available", _cluster().assign(available_units=[0, 16, 80, 12])),
    ("allocated-above-available", _cluster().assign(allocated_units=[40, 14, 52, 9])),
    ("target-as-percent", _cluster().assign(utilization_target=[85, 85, 80, 75])),
    ("string-units", _cluster().assign(available_units=["32", "16", "80", "12"])),
    ("inf-units", _cluster().assign(available_units=[np.inf, 16, 80, 12])),
]

POS = dict(low=0, low_open=True)     # > 0 and finite
CASES = [
    Call(_F + "training_flops", params=Num(174.6e9, low=0), tokens=Num(300e9, low=0), k=Num(6.0, **POS)),
    Call(_F + "forward_flops_per_token", params=Num(175e9, low=0), n_layer=Count(96),
         n_ctx=Count(2048), d_attn=Count(12288)),
    Call(_F + "training_flops_per_token", params=Num(540.35e9, low=0), n_layer=Count(118), n_ctx=Count(2048),
         d_attn=Count(48 * 256), convention=Option("palm")),
    Call(_F + "chinchilla_optimal", compute_flops=Num(1.21e20, **POS), tokens_per_param=Num(20.0, **POS),
         k=Num(6.0, **POS)),
    Call(_U + "training_time_s", flops=Num(3.15e23, low=0), devices=Count(1024, minimum=1),
         peak_flop_per_s=Num(989.4e12, **POS), mfu=Prob(0.4, low_open=True)),
    Call(_U + "gpu_hours", flops=Num(3.15e23, low=0), peak_flop_per_s=Num(989.4e12, **POS),
         mfu=Prob(0.4, low_open=True)),
    Call(_U + "devices_for_deadline", flops=Num(1e23, low=0), peak_flop_per_s=Num(989.4e12, **POS),
         mfu=Prob(0.4, low_open=True), deadline_s=Num(30 * 86400.0, **POS)),
    # PaLM 540B with its shape; flops_per_token=None means "count from params and the shape".
    Call(_U + "model_flops_utilization", tokens_per_s=Num(238.3e3, low=0), params=Num(540.35e9, low=0),
         devices=Count(6144, minimum=1), peak_flop_per_s=Num(275e12, **POS),
         flops_per_token=Num(None, none_ok=True, **POS), n_layer=Count(118), n_ctx=Count(2048),
         d_attn=Count(48 * 256), convention=Option("palm")),
    Call(_U + "flops_utilization", achieved_flop_per_s=Num(502e15 / 3072, low=0),
         reference_flop_per_s=Num(312e12, **POS)),
    Call(_U + "utilization_table", table=Custom(_cluster(), bad_values=_TABLE_BAD)),
    Call(_U + "utilization_summary", table=Custom(_cluster(), bad_values=_TABLE_BAD)),
    Call(_M + "model_state_memory_bytes", params=Num(7.5e9, low=0), zero_stage=Count(2, maximum=3),
         devices=Count(64, minimum=1), k_optimizer_bytes=Num(12.0, low=0)),
    Call(_M + "roofline_attainable_flop_per_s", arithmetic_intensity=Num(100.0, low=0),
         peak_flop_per_s=Num(989.4e12, **POS), bandwidth_bytes_per_s=Num(4.8e12, **POS)),
    Call(_M + "ridge_point", peak_flop_per_s=Num(989.4e12, **POS), bandwidth_bytes_per_s=Num(4.8e12, **POS)),
    Call(_E + "energy_j", duration_s=Num(27.13, low=0), power_w=Num(106.9, low=0)),
    Call(_E + "run_energy_cost", gpu_hours=Num(1000.0, low=0), power_w=Num(690.0, low=0), pue=Num(1.1, low=1),
         price_usd_per_hour=Num(10.6, low=0, none_ok=True), carbon_kg_per_kwh=Num(0.4, low=0, none_ok=True)),
    Call(_E + "reserved_run_cost", compute_flops=Num(1e21, low=0), gpus=Count(32, minimum=1),
         peak_flop_per_s=Num(989.4e12, low=0, low_open=True), mfu=Prob(0.4, low_open=True),
         window_s=Num(86400.0, low=0, low_open=True), busy_power_w=Num(690.0, low=0),
         idle_power_w=Num(80.0, low=0), price_usd_per_hour=Num(10.0, low=0), pue=Num(1.2, low=1),
         carbon_kg_per_kwh=Num(0.4, low=0)),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA = {
    "h200_specs": "a data sheet: reads the measured machine's files and the vendor's peaks, computes nothing",
}
NO_SEE_ALSO: dict[str, str] = {}
