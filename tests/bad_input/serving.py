"""Bad-input matrix for infra_lab.serving: every public function, every parameter, one valid call.

Kinds and the bad values they generate: tests/contract_matrix.py. Baselines are the
docstrings' worked examples (the article's 1200 req/s at 150 req/s per replica, Bronson's
M/M/1 problems), so each bad value perturbs a call known to be valid.
"""

import numpy as np

from contract_matrix import INF, NAN, WRONG_TYPE, Call, Count, Custom, Data, Flag, Num, Option, Prob, Seed

from infra_lab.article import serving_services

_CAP = "infra_lab.serving.capacity."
_Q = "infra_lab.serving.queueing."
_SIM = "infra_lab.serving.simulation."
_DEP = "infra_lab.serving.deployment."

#: The queueing models' most servers (the Erlang recursion runs once per server).
_MAX_SERVERS = 10_000_000
#: The most random draws one generator call makes.
_MAX_DRAWS = 100_000_000

_ARTICLE = serving_services()


def _with(**changes):
    df = _ARTICLE.copy()
    for col, value in changes.items():
        df[col] = df[col].astype(object) if isinstance(value, str) else df[col].astype(float)
        df.loc[0, col] = value
    return df


CASES = [
    # ----------------------------------------------------------------- capacity
    Call(_CAP + "required_replicas",
         required_rps=Num(1200.0, low=0),
         throughput_per_replica_rps=Num(150.0, low=0, low_open=True),
         utilization_target=Prob(0.8, low_open=True)),
    Call(_CAP + "required_replicas",     # arrays: NaN inside a sweep is refused too
         required_rps=Num([600.0, 1200.0], low=0),
         throughput_per_replica_rps=Num([150.0, 150.0], low=0, low_open=True),
         utilization_target=Prob([0.7, 1.0], low_open=True)),
    Call(_CAP + "serving_capacity_rps",
         replicas=Count(8, minimum=0),
         throughput_per_replica_rps=Num(150.0, low=0)),
    Call(_CAP + "latency_budget",
         components_ms=Custom({"feature_lookup": 45, "model_inference": 80, "network": 35, "postprocessing": 20},
                              bad_values=[("empty", {}), ("empty-list", []), ("nan", {"network": NAN}),
                                          ("negative", {"network": -1.0}), ("inf", [45.0, INF]),
                                          ("bool", {"network": True}), ("numeric-string", {"network": "35"}),
                                          ("string", "180"), ("number", 180.0), ("none", None),
                                          ("wrong-type", WRONG_TYPE),
                                          ("nan-in-array", {"network": np.array([35.0, NAN])}),
                                          ("shape-mismatch", {"a": np.ones(2), "b": np.ones(3)})]),
         budget_ms=Num(200.0, low=0, low_open=True)),
    Call(_CAP + "service_table",
         df=Custom(_ARTICLE, bad_values=[
             ("wrong-type", "table"), ("number", 3), ("empty", _ARTICLE.iloc[:0]),
             ("missing-required_qps", _ARTICLE.drop(columns=["required_qps"])),
             ("missing-throughput_per_replica", _ARTICLE.drop(columns=["throughput_per_replica"])),
             ("missing-latency_budget_ms", _ARTICLE.drop(columns=["latency_budget_ms"])),
             ("no-components", _ARTICLE[["service", "required_qps", "throughput_per_replica", "latency_budget_ms"]]),
             ("nan-in-required_qps", _with(required_qps=NAN)),
             ("nan-in-network_ms", _with(network_ms=NAN)),
             ("negative-network_ms", _with(network_ms=-1.0)),
             ("zero-throughput", _with(throughput_per_replica=0.0)),
             ("inf-budget", _with(latency_budget_ms=INF)),
             ("numeric-string-qps", _with(required_qps="1200")),
         ])),
    # ----------------------------------------------------------------- queueing
    Call(_Q + "littles_law",
         arrival_rate_rps=Num(1200.0, low=0, none_ok=True),
         time_in_system_s=Num(0.18, low=0, none_ok=True)),
    Call(_Q + "littles_law",
         arrival_rate_rps=Num(24.0, low=0, low_open=True, none_ok=True),
         number_in_system=Num(4.0, low=0, none_ok=True)),
    Call(_Q + "littles_law",
         time_in_system_s=Num(1 / 6, low=0, low_open=True, none_ok=True),
         number_in_system=Num(4.0, low=0, none_ok=True)),
    Call(_Q + "erlang_b", offered_load=Num(2.0, low=0), servers=Count(3, minimum=1, maximum=_MAX_SERVERS)),
    Call(_Q + "erlang_c", offered_load=Num(1.0, low=0), servers=Count(2, minimum=1, maximum=_MAX_SERVERS)),
    Call(_Q + "erlang_c", offered_load=Num([0.5, 12.5], low=0),
         servers=Count(20, minimum=1, maximum=_MAX_SERVERS)),
    Call(_Q + "mmc",
         arrival_rate_rps=Num(1000.0, low=0),
         service_rate_rps=Num(150.0, low=0, low_open=True),
         servers=Count(8, minimum=1, maximum=_MAX_SERVERS)),
    Call(_Q + "mm1",
         arrival_rate_rps=Num(24.0, low=0),
         service_rate_rps=Num(30.0, low=0, low_open=True)),
    Call(_Q + "mg1",
         arrival_rate_rps=Num(30.0, low=0),
         service_rate_rps=Num(40.0, low=0, low_open=True),
         service_scv=Num(1.0, low=0)),
    Call(_Q + "mg1",
         arrival_rate_rps=Num(30.0, low=0),
         service_rate_rps=Num(40.0, low=0, low_open=True),
         second_moment_s2=Num(2 / 40**2, low=0)),
    Call(_Q + "replicas_for_slo",
         arrival_rate_rps=Num(1200.0, low=0),
         service_rate_rps=Num(150.0, low=0, low_open=True),
         latency_slo_s=Num(0.05, low=0, low_open=True),
         percentile=Prob(0.99, low_open=True, high_open=True),
         max_servers=Count(100_000, minimum=1, maximum=_MAX_SERVERS)),
    Call(_Q + "replica_slots",
         throughput_per_replica_rps=Num(150.0, low=0, low_open=True),
         inference_time_s=Num(0.08, low=0, low_open=True)),
    Call(_Q + "slot_replicas_for_slo",
         arrival_rate_rps=Num(1200.0, low=0),
         throughput_per_replica_rps=Num(150.0, low=0, low_open=True),
         inference_time_s=Num(0.08, low=0, low_open=True),
         latency_slo_s=Num(0.1, low=0, low_open=True),
         percentile=Prob(0.99, low_open=True, high_open=True),
         max_replicas=Count(100_000, minimum=1, maximum=_MAX_SERVERS)),
    # --------------------------------------------------------------- simulation
    Call(_SIM + "batch_means_ci",
         values=Data(list(np.arange(100.0)), min_size=8),
         n_batches=Count(4, minimum=2),
         confidence=Prob(0.95, low_open=True, high_open=True),
         warmup=Count(0, minimum=0)),
    Call(_SIM + "simulate_queue",
         arrival_times_s=Data([0.0, 0.5, 1.0, 1.2]),
         service_times_s=Data([1.0, 1.0, 1.0, 1.0], low=0),
         servers=Count(2, minimum=1),
         track_servers=Flag(False)),
    Call(_SIM + "poisson_arrivals",
         rate_rps=Num(100.0, low=0, low_open=True),
         n=Count(5, minimum=1, maximum=_MAX_DRAWS),
         seed=Seed(1),
         start_s=Num(0.0, low=0)),
    Call(_SIM + "exponential_service",
         rate_rps=Num(2.0, low=0, low_open=True),
         n=Count(3, minimum=1, maximum=_MAX_DRAWS),
         seed=Seed(1)),
    # --------------------------------------------------------------- deployment
    Call(_DEP + "canary_detection_probability",
         baseline_error_rate=Prob(0.01, low_open=True, high_open=True),
         regressed_error_rate=Prob(0.02),
         canary_share=Prob(0.05, low_open=True),
         total_requests=Count(10_000, minimum=1),
         alpha=Prob(0.05, low_open=True, high_open=True),
         subgroup_share=Prob(1.0, low_open=True),
         method=Option("exact")),
    Call(_DEP + "network_latency_ms",
         distance_km=Num(2000.0, low=0),
         route_factor=Num(1.5, low=1),
         hops=Count(12, minimum=0),
         per_hop_ms=Num(0.1, low=0),
         round_trip=Flag(True),
         us_per_km=Num(5.0, low=0, low_open=True)),
]

EXEMPT: dict[str, str] = {}

NOT_A_FORMULA = {
    "deployment_strategies": "the article's release strategies and serving modes as a table (course data)",
}

NO_SEE_ALSO: dict[str, str] = {}
