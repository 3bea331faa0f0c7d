"""Bad-input matrix for infra_lab.parallel (scaling, communication, stragglers)."""

from __future__ import annotations

import numpy as np

from contract_matrix import INF, NAN, WRONG_TYPE, Call, Count, Custom, Data, Flag, Num, Option, Prob

_S = "infra_lab.parallel.scaling."
_C = "infra_lab.parallel.communication."
_T = "infra_lab.parallel.stragglers."
_G = "infra_lab.parallel.strategies."

POS = dict(low=0, low_open=True)     # > 0 and finite
_WEIGHTS_BAD = [("empty", []), ("nan-inside", [NAN, 1.0]), ("inf-inside", [INF, 1.0]), ("negative", [-1.0, 2.0]),
                ("all-zero", [0.0, 0.0]), ("wrong-length", [1.0]), ("numeric-string", "8"), ("bool", True),
                ("wrong-type", WRONG_TYPE)]
_WORKER_TIMES_BAD = [("empty", []), ("one-dimensional", [1.0, 2.0]), ("negative", [[1.0, -1.0]]),
                     ("inf-inside", [[1.0, INF]]), ("all-nan-row", [[1.0, 2.0], [NAN, NAN]]),
                     ("zero-mean-row", [[0.0, 0.0]]), ("numeric-string", "8"), ("bool", True),
                     ("bool-array", [[True, False]]), ("wrong-type", WRONG_TYPE), ("none", None)]

CASES = [
    Call(_S + "speedup", t1_s=Num(1.79, **POS), tn_s=Num(0.225, **POS)),
    Call(_S + "parallel_efficiency", t1_s=Num(1.79, **POS), tn_s=Num(0.225, **POS),
         workers=Count(16, minimum=1), tolerance=Num(0.05, low=0)),
    # workers may be inf (the Amdahl limit 1/s), so ±inf are not bad values for it
    Call(_S + "amdahl_speedup", serial_fraction=Prob(0.05), workers=Num(16.0, low=1, finite=False)),
    Call(_S + "gustafson_speedup", serial_fraction=Prob(0.01), workers=Num(1000.0, low=1)),
    Call(_S + "karp_flatt", speedup=Num(7.96, **POS), workers=Count(16, minimum=2)),
    Call(_S + "fit_amdahl", workers=Data([1.0, 2.0, 4.0, 8.0, 16.0], low=1, min_size=2),
         times_s=Data([100.0, 55.0, 32.5, 21.25, 15.625], low=0, low_open=True, min_size=2)),
    Call(_C + "least_squares_gradient", features=Data(np.array([[1.0, 0.0], [0.0, 1.0]])),
         targets=Data([1.0, 2.0]), coefficients=Data([0.0, 0.0])),
    Call(_C + "average_gradients", gradients=Data(np.array([[1.0, 2.0], [3.0, 4.0]])),
         weights=Custom([3.0, 1.0], bad_values=_WEIGHTS_BAD)),
    Call(_C + "ring_allreduce_s", message_bytes=Num(1e9, low=0), workers=Count(8, minimum=1),
         bandwidth_bytes_per_s=Num(450e9, **POS), latency_s=Num(5e-6, low=0)),
    Call(_C + "algorithm_bandwidth_bytes_per_s", message_bytes=Num(1e9, low=0), duration_s=Num(0.004, **POS)),
    Call(_C + "bus_bandwidth_bytes_per_s", algorithm_bandwidth_bytes_per_s=Num(100e9, low=0),
         workers=Count(8, minimum=1), collective=Option("all_gather")),
    Call(_C + "pipeline_bubble_fraction", stages=Count(4, minimum=1), microbatches=Count(12, minimum=1),
         convention=Option("megatron"), interleave=Count(2, minimum=1)),
    Call(_T + "expected_max_step_time", step_times=Data([1.0, 3.0, 4.0], low=0), workers=Count(4, minimum=1)),
    Call(_T + "straggler_slowdown", step_times=Data([1.0, 3.0, 4.0], low=0), workers=Count(4, minimum=1)),
    Call(_T + "observed_step_slowdown",
         worker_times=Custom([[1.0, 3.0], [2.0, NAN]], bad_values=_WORKER_TIMES_BAD)),
    Call(_G + "hierarchical_allreduce_s", message_bytes=Num(14e9, low=0), gpus_per_node=Count(8, minimum=1),
         nodes=Count(8, minimum=1), intra_bandwidth_bytes_per_s=Num(450e9, **POS),
         inter_bandwidth_bytes_per_s=Num(12.5e9, **POS), intra_latency_s=Num(5e-7, low=0),
         inter_latency_s=Num(5e-6, low=0)),
    Call(_G + "tensor_parallel_bytes_per_step", batch=Count(1, minimum=1), seq_len=Count(2048, minimum=1),
         hidden=Count(12288, minimum=1), layers=Count(12, minimum=1), tensor_parallel=Count(8, minimum=1),
         bytes_per_value=Num(2.0, **POS)),
    Call(_G + "data_parallel_bytes_per_step", params=Num(7e9, low=0), workers=Count(64, minimum=1),
         zero_stage=Count(3, minimum=0, maximum=3), bytes_per_value=Num(2.0, **POS)),
    Call(_G + "parameter_server_s", message_bytes=Num(1e9, low=0), workers=Count(16, minimum=1),
         servers=Count(4, minimum=1), worker_bandwidth_bytes_per_s=Num(12.5e9, **POS),
         server_bandwidth_bytes_per_s=Num(12.5e9, **POS)),
    Call(_G + "overlapped_step_s", compute_s=Num(1.0, low=0), communication_s=Num(0.4, low=0), overlap=Prob(0.5)),
    Call(_G + "system_mtbf_s", component_mtbf_s=Num(1.6e8, **POS), components=Count(1000, minimum=1)),
    Call(_G + "young_daly_interval_s", checkpoint_s=Num(300.0, low=0), mtbf_s=Num(157680.0, **POS),
         method=Option("daly")),
    Call(_G + "checkpoint_waste_fraction", interval_s=Num(9727.0, **POS), checkpoint_s=Num(300.0, low=0),
         mtbf_s=Num(157680.0, **POS), restart_s=Num(600.0, low=0)),
    Call(_G + "activation_memory_bytes", seq_len=Count(2048, minimum=1), batch=Count(1, minimum=1),
         hidden=Count(12288, minimum=1), heads=Count(96, minimum=1), layers=Count(96, minimum=1),
         tensor_parallel=Count(8, minimum=1), sequence_parallel=Flag(True), recompute=Option("selective")),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
NO_SEE_ALSO: dict[str, str] = {}
