"""Bad-input matrix of infra_lab.observability (see tests/contract_matrix.py)."""

import numpy as np

from contract_matrix import WRONG_TYPE, Call, Count, Custom, Data, Num, Prob

M = "infra_lab.observability."

LAT = [100.0, 120.0, 300.0, 90.0]
ERR = np.array([False, False, False, True])


def _mask_bad(n):
    # Error flags must be booleans, one per event.
    return [("none", None), ("bool", True), ("numeric", [0.0] * n), ("string", "yes"),
            ("length-mismatch", np.array([False] * (n + 1))), ("wrong-type", WRONG_TYPE)]


CASES = [
    Call(M + "observability_coverage",
         signals=Custom(["metrics", "logs"], bad_values=[("unknown-kind", ["metrics", "dashboards"]),
                                                          ("string", "metrics"), ("none", None),
                                                          ("number-inside", ["logs", 3]), ("empty-name", [""])])),
    Call(M + "latency_percentiles_ms", latencies_ms=Data(LAT, low=0.0),
         percentiles=Data([50.0, 99.0], low=0.0, high=100.0)),
    Call(M + "request_slis", latencies_ms=Data(LAT, low=0.0), errors=Custom(ERR, bad_values=_mask_bad(4)),
         latency_threshold_ms=Num(200.0, low=0.0, low_open=True)),
    Call(M + "bucket_events", times_s=Data([0.0, 10.0, 65.0, 70.0]), bad=Custom(ERR, bad_values=_mask_bad(4)),
         bucket_s=Num(60.0, low=0.0, low_open=True, huge=False)),
    Call(M + "rolling_error_ratio", bad_events=Data([0.0, 2.0, 0.0], low=0.0),
         total_events=Data([10.0, 10.0, 10.0], low=0.0), window_buckets=Count(2, minimum=1)),
    Call(M + "evaluate_burn_rate_alerts", bad_events=Data([0.0] * 12 + [20.0] * 12, low=0.0),
         total_events=Data([1000.0] * 24, low=0.0), bucket_minutes=Num(5.0, low=0.0, low_open=True, high=300.0),
         slo=Prob(0.999, high_open=True), period_days=Num(30.0, low=3.0)),
]

NOT_A_FORMULA: dict[str, str] = {}
