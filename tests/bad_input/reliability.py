"""Bad-input matrix of infra_lab.reliability (see tests/contract_matrix.py)."""

from contract_matrix import Call, Count, Data, Num, Prob

C, R, S = "infra_lab.reliability.composition.", "infra_lab.reliability.repair.", "infra_lab.reliability.slo."

CASES = [
    Call(C + "series_reliability", reliabilities=Data([0.99, 0.999], low=0.0, high=1.0)),
    Call(C + "parallel_reliability", reliabilities=Data([0.99, 0.9], low=0.0, high=1.0)),
    Call(C + "k_of_n_reliability", k=Count(2, minimum=1), n=Count(3, minimum=1), reliability=Prob(0.9)),
    Call(C + "retry_success_probability", failure_probability=Prob(0.1), retries=Count(2)),
    Call(C + "retries_for_target", failure_probability=Prob(0.1, high_open=True),
         target_success_probability=Prob(0.999, high_open=True)),
    Call(C + "retry_amplification", attempts_per_layer=Count(4, minimum=1), layers=Count(3, minimum=1)),
    Call(R + "availability_from_mtbf", mtbf_hours=Num(999.0, low=0.0, low_open=True),
         mttr_hours=Num(1.0, low=0.0)),
    Call(R + "mtbf_hours", exposure_hours=Num(10_000.0, low=0.0, low_open=True),
         failures=Num(4.0, low=0.0, low_open=True)),
    Call(R + "availability_from_nines", nines_count=Num(3.0, low=0.0, high=15.0)),
    Call(R + "nines", availability=Prob(0.999, high_open=True)),
    Call(R + "allowed_downtime_s", availability=Prob(0.999), period_days=Num(365.0, low=0.0, low_open=True)),
    Call(S + "error_budget", slo=Prob(0.9999, high_open=True), total_events=Num(2.5e6, low=0.0, low_open=True),
         failed_events=Num(100.0, low=0.0)),
    Call(S + "burn_rate", error_ratio=Prob(0.001), slo=Prob(0.999, high_open=True)),
    Call(S + "burn_rate_threshold", budget_fraction=Prob(0.02, low_open=True),
         long_window_hours=Num(1.0, low=0.0, low_open=True), period_days=Num(30.0, low=0.0, low_open=True)),
    Call(S + "time_to_exhaustion_hours", burn_rate=Num(14.4, low=0.0, low_open=True),
         period_days=Num(30.0, low=0.0, low_open=True)),
    Call(S + "multiwindow_alert_rules", slo=Prob(0.999, high_open=True), period_days=Num(30.0, low=3.0)),
]

NOT_A_FORMULA: dict[str, str] = {}
