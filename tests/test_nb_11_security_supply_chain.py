"""Notebook 11 run with non-default parameters; its CSVs are checked against the policy, the
published bound of the token bucket (b + rΔ; Tanenbaum & Wetherall §5.4.2), the data manifest
recomputed with hashlib, and the raw flight data.
"""

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
PARAMS = dict(abusive_rps=20.0, normal_clients=5, normal_rps=1.0, refill_rate_per_s=1.5, burst=4, duration_s=120.0,
              flip_fraction=0.2, outlier_fraction=0.05, alpha=0.001, seed=5)


def test_non_default_run_writes_outputs_that_match_the_rules(run_notebook):
    outputs = run_notebook("11_security_supply_chain", **PARAMS)
    for check in [check_access_matrix_and_audit_log, check_deploy_gate_and_hmac, check_requirements_audit,
                  check_data_manifest_recomputed, check_rate_limit_bound, check_poisoning_screen,
                  check_every_figure_was_written]:
        check(outputs)


def read(outputs, name):
    return pd.read_csv(outputs / f"{name}.csv")


def check_access_matrix_and_audit_log(outputs):
    m = read(outputs, "access_matrix").set_index("user")
    log = read(outputs, "audit_log")
    assert len(log) == m.size + 4  # every matrix decision plus the four unanticipated requests
    assert not log.tail(4)["allowed"].any()
    # Deny by default: the auditor may read the registry and the audit log, nothing else.
    assert m.loc["ola"].sum() == 2 and m.loc["ola", "audit_log:read"]
    assert m["audit_log:read"].sum() == 1
    allowed = log[log["allowed"]]
    assert (allowed["role"].notna() & (allowed["role"] != "")).all()


def check_deploy_gate_and_hmac(outputs):
    gate = read(outputs, "deploy_gate")
    assert gate["outcome"].tolist() == ["deployed", "refused", "refused", "refused"]
    assert [r.split(":")[0] for r in gate["reason"]] == ["ok", "tampered", "unsigned", "untrusted signer"]
    assert read(outputs, "hmac_contrast")["passes"].tolist() == [True, False, True]


def check_requirements_audit(outputs):
    s = read(outputs, "requirements_audit").set_index("file")
    lines = [ln.split("#")[0].strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln]
    assert s.loc["requirements.txt", "pinned"] == sum("==" in p and "*" not in p for p in pins) == len(pins)
    # the sloppy example: numpy, pandas>=2, scipy~=1.17, matplotlib==3.*, requests==2.32.3, Pandas==3.1.1, git+…, 'flask = 3'
    assert s.loc["a sloppy example", ["pinned", "loose", "unpinned", "duplicate", "invalid"]].tolist() == [1, 4, 1, 1, 1]


def check_data_manifest_recomputed(outputs):
    m = read(outputs, "data_manifest_check")
    for row in m.itertuples():
        assert hashlib.sha256((ROOT / "data" / row.file).read_bytes()).hexdigest() == row.sha256 == row.recomputed


def check_rate_limit_bound(outputs):
    k = read(outputs, "rate_limit").set_index("kind")
    assert k.loc["abuser", "admitted"] <= 4 + 1.5 * 120.0
    assert k.loc["abuser", "offered_rps"] > 10  # it really was abusive
    per = read(outputs, "rate_limit_per_client")
    assert per["requests"].sum() == k["requests"].sum()
    assert (per["admitted"] + per["rejected"] == per["requests"]).all()
    sweep = read(outputs, "rate_limit_sweep")
    assert sweep["abuser_admitted_rps"].is_monotonic_increasing
    assert (sweep["abuser_admitted_rps"] <= (4 + sweep["refill_rate_per_s"] * 120.0) / 120.0 + 1e-9).all()


def check_poisoning_screen(outputs):
    s = read(outputs, "poisoning_screen").set_index("batch")
    assert not s.loc["clean half", "flagged"] and s.loc["poisoned half", "flagged"]
    assert s.loc["poisoned half", "candidate_positive_share"] > s.loc["clean half", "candidate_positive_share"] + 0.1
    from infra_lab import datasets
    f = datasets.load_flights().dropna(subset=["dep_delay", "arr_delay"])
    overall = np.mean(f["arr_delay"] > 15)
    assert abs(s.loc["clean half", "reference_positive_share"] - overall) < 0.01


def check_every_figure_was_written(outputs):
    for name in ["access_matrix", "requirements_audit", "rate_limit", "poisoning_screen"]:
        assert (outputs / f"{name}.png").stat().st_size > 10_000, name
