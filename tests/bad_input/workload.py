"""Bad-input matrix of infra_lab.workload (arrivals, autoscaling, batching, steps, llm).

Each Call is one valid call of a public function with every parameter described by its kind;
tests/contract_matrix.py generates the bad values. Tables are small slices of the H200
measurements so the matrix stays fast.
"""

import numpy as np
import pandas as pd

from contract_matrix import WRONG_TYPE, Call, Count, Custom, Data, Fixed, Frame, Num, Option, Prob, Text  # noqa: F401

from infra_lab import datasets
from infra_lab.workload import simulate_autoscaler

W = "infra_lab.workload."
PREFILL = datasets.load_h200_llm_prefill()
DECODE = datasets.load_h200_llm_decode()
_AUTOSCALED = simulate_autoscaler(np.array([0, 600, 600, 600]), interval_s=60.0, service_rate_per_replica_rps=1.0,
                                  initial_replicas=1, scale_up_delay_s=60.0)
_DECODE_COLS = ("batch", "context_tokens", "median_ms_cuda_graph")
_PREFILL_COLS = ("prompt_tokens", "median_ms")
TRACE = pd.DataFrame({"arrival_s": np.arange(40) * 0.5, "input_tokens": 1000, "output_tokens": 100})
TRACE_COLS = ("arrival_s", "input_tokens", "output_tokens")
BATCH_TABLE = pd.DataFrame({"model": ["a", "a", "a", "b", "b"], "batch": [1, 8, 32, 1, 4],
                            "p99_ms": [1.0, 2.0, 9.0, 3.0, 5.0],
                            "requests_per_s": [1000.0, 4000.0, 3600.0, 300.0, 800.0]})
TIMES = [0.0, 0.4, 1.1, 2.5, 2.6, 3.9]
BATCHES_BAD = [("empty", []), ("fraction", [1, 2.5]), ("zero", [0, 4]), ("bool", [True]),
               ("numeric-string", "8"), ("nan", [1, float("nan")]), ("wrong-type", 3)]
MODEL_BAD = [("wrong-type", 3), ("empty", ""), ("unknown", "no-such-model")]

CASES = [
    # arrivals
    Call(W + "arrivals.arrival_times_s", timestamps=Data(TIMES, min_size=2)),
    Call(W + "arrivals.arrival_rates", timestamps=Data(TIMES, min_size=2),
         interval_s=Num(1.0, low=0, low_open=True)),
    Call(W + "arrivals.index_of_dispersion",
         counts=Custom([0, 4, 0, 4], bad_values=[
             ("empty", []), ("too-short", [3]), ("nan-inside", [float("nan"), 4, 0]), ("inf-inside", [float("inf"), 1]),
             ("negative", [1, -2, 3]), ("fraction", [0.5, 4.0, 1.0]), ("all-zero", [0, 0, 0]),
             ("bool", True), ("numeric-string", "8"), ("none", None), ("strings", ["1", "2"])])),
    Call(W + "arrivals.burstiness", timestamps=Data(TIMES, min_size=3),
         interval_s=Num(1.0, low=0, low_open=True)),
    # autoscaling (constant demand: every interval is stable, so no NaN latency in the frame)
    Call(W + "autoscaling.simulate_autoscaler",
         arrival_counts=Data([100.0] * 6, low=0),
         interval_s=Num(1.0, low=0, low_open=True),
         service_rate_per_replica_rps=Num(10.0, low=0, low_open=True),
         utilization_target=Prob(0.5, low_open=True),
         min_replicas=Count(1, minimum=0),
         max_replicas=Count(100, minimum=1),
         scale_up_delay_s=Num(1.0, low=0),
         scale_down_delay_s=Num(0.0, low=0),
         metric_window_s=Num(2.0, low=0, low_open=True, none_ok=True),
         latency_slo_s=Num(0.5, low=0, low_open=True, none_ok=True),
         slo_percentile=Prob(0.99, low_open=True, high_open=True),
         initial_replicas=Count(None, minimum=0, none_ok=True),
         slo_metric=Option("response")),
    Call(W + "autoscaling.split_warmup",
         result=Custom(_AUTOSCALED, bad_values=[("wrong-type", WRONG_TYPE), ("none", None), ("frame", _AUTOSCALED.frame)]),
         warmup_s=Num(120.0, low=0)),
    # batching
    Call(W + "batching.best_batch_under_latency",
         table=Frame(BATCH_TABLE, columns=("batch", "p99_ms", "requests_per_s"),
                     nan_columns=("batch", "p99_ms", "requests_per_s")),
         latency_budget_ms=Num(10.0, low=0, low_open=True),
         percentile_col=Text("p99_ms"),
         model=Custom("a", bad_values=MODEL_BAD),
         throughput_col=Text("requests_per_s")),
    Call(W + "batching.batch_plan",
         table=Frame(BATCH_TABLE, columns=("batch", "p99_ms", "requests_per_s"),
                     nan_columns=("batch", "p99_ms", "requests_per_s")),
         required_rps=Num(1200.0, low=0, low_open=True),
         latency_budget_ms=Num(100.0, low=0, low_open=True),
         utilization_target=Prob(0.7, low_open=True),
         model=Custom("a", bad_values=MODEL_BAD),
         percentile_col=Text("p99_ms"),
         throughput_col=Text("requests_per_s")),
    Call(W + "batching.batch_fill_ms", batch=Count(8, minimum=1),
         arrival_rate_rps=Num(150.0, low=0, low_open=True)),
    # llm
    Call(W + "llm.normalize_trace", trace=Frame(TRACE, columns=TRACE_COLS, nan_columns=TRACE_COLS)),
    Call(W + "steps.prefill_ms", prompt_tokens=Num([64.0, 1536.0], low=0),
         prefill_table=Frame(PREFILL, columns=_PREFILL_COLS, nan_columns=_PREFILL_COLS),
         column=Text("median_ms")),
    Call(W + "steps.decode_step_ms", batch=Num([1.0, 8.0], low=1), context_tokens=Num(512.0, low=1),
         decode_table=Frame(DECODE, columns=_DECODE_COLS, nan_columns=_DECODE_COLS),
         mode=Option("cuda_graph")),
    Call(W + "steps.decode_in_measured_range", batch=Num([1.0, 128.0], low=1), context_tokens=Num(512.0, low=1),
         decode_table=Frame(DECODE, columns=("batch", "context_tokens"), nan_columns=("batch", "context_tokens"))),
    Call(W + "steps.prefill_turn",
         prefill_table=Frame(PREFILL, columns=_PREFILL_COLS, nan_columns=_PREFILL_COLS),
         column=Text("median_ms"),
         rise=Num(1.25, low=1, low_open=True, high=10)),
    Call(W + "steps.decode_step_bytes", params=Num(6.74e9, low=0, low_open=True), batch=Count(1, minimum=0),
         context_tokens=Num(512.0, low=0), bytes_per_param=Num(2.0, low=0, low_open=True),
         kv_bytes_per_token=Num(524288.0, low=0)),
    Call(W + "steps.decode_floor_ms", params=Num(6.74e9, low=0, low_open=True), batch=Count(1, minimum=0),
         context_tokens=Num(512.0, low=0), bandwidth_bytes_per_s=Num(4.2e12, low=0, low_open=True),
         bytes_per_param=Num(2.0, low=0, low_open=True), kv_bytes_per_token=Num(524288.0, low=0)),
    Call(W + "llm.llm_service_demand", input_tokens=Data([1024.0, 512.0], low=0),
         output_tokens=Data([100.0, 50.0], low=1),
         prefill_table=Frame(PREFILL, columns=_PREFILL_COLS, nan_columns=_PREFILL_COLS),
         decode_table=Frame(DECODE, columns=_DECODE_COLS, nan_columns=_DECODE_COLS),
         batch=Count(4, minimum=1), mode=Option("cuda_graph"),
         context_tokens=Num(None, low=1, none_ok=True)),
    Call(W + "llm.llm_replicas_for_slo",
         trace=Frame(TRACE, columns=TRACE_COLS, nan_columns=TRACE_COLS),
         ttft_slo_s=Num(1.0, low=0, low_open=True),
         tpot_slo_s=Num(0.05, low=0, low_open=True),
         prefill_table=Frame(PREFILL, columns=_PREFILL_COLS, nan_columns=_PREFILL_COLS),
         decode_table=Frame(DECODE, columns=_DECODE_COLS + ("params",), nan_columns=_DECODE_COLS + ("params",)),
         percentile=Prob(0.99, low_open=True, high_open=True),
         mode=Option("cuda_graph"),
         batches=Custom((1, 8, 64), bad_values=BATCHES_BAD),
         max_replicas=Count(8, minimum=1),
         memory_bytes=Num(141e9, low=0, low_open=True, none_ok=True),
         bytes_per_param=Num(2.0, low=0, low_open=True),
         kv_bytes_per_token=Num(524288.0, low=0)),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
NO_SEE_ALSO: dict[str, str] = {}
