"""The metadata store's invariants, checked against the database itself and against independent
walks of the provenance graph (plain SELECTs and a Python breadth-first search, not the
library's recursive SQL)."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import sqlite3
from collections import deque
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import infra_lab.governance as g
from infra_lab.governance import records, store as store_mod
from infra_lab.mlops import build_example_store


@pytest.fixture
def store(tmp_path):
    s = g.open_store(tmp_path / "store.db")
    yield s
    s.close()


def _chain(s, docs="documented", with_derived=True):
    """A hand-built graph: raw → cleaned (derived) flights, weather; two feature sets; two models."""
    raw = g.record_dataset_version(s, "flights", "raw", "h-raw", 100, docs)
    clean = g.record_dataset_version(s, "flights", "clean", "h-clean", 90, docs,
                                     derived_from_id=raw if with_derived else None)
    wx = g.record_dataset_version(s, "weather", "2013", "h-wx", 50, docs)
    other = g.record_dataset_version(s, "airports", "v1", "h-ap", 3, docs)
    fs1 = g.record_feature_set(s, "delay", [clean, wx], ["precip", "hour"])
    fs2 = g.record_feature_set(s, "airports-only", [other], ["alt"])
    r1 = g.record_training_run(s, fs1, "c1", {"l2": 1}, {"auc": 0.6})
    r2 = g.record_training_run(s, fs2, "c2", {"l2": 1}, {"auc": 0.5})
    m1 = g.register_model_version(s, "delay", r1, "a1")
    m2 = g.register_model_version(s, "airport", r2, "a2")
    d1 = g.record_deployment(s, m1, "production", 1.0)
    d2 = g.record_deployment(s, m2, "production", 1.0)
    p1 = g.record_predictions(s, d1, [0.2, 0.7, 0.9])
    p2 = g.record_predictions(s, d2, [0.5])
    return dict(raw=raw, clean=clean, wx=wx, other=other, fs1=fs1, fs2=fs2, r1=r1, r2=r2, m1=m1, m2=m2,
                d1=d1, d2=d2, p1=p1, p2=p2)


def _parents(con, kind, i):
    """One step up the provenance graph with plain SELECTs (independent of the lineage view)."""
    one = lambda sql: [r[0] for r in con.execute(sql, (i,)).fetchall() if r[0] is not None]  # noqa: E731
    if kind == "prediction":
        return [("deployment", x) for x in one("SELECT deployment_id FROM predictions WHERE id = ?")]
    if kind == "deployment":
        return [("model_version", x) for x in one("SELECT model_version_id FROM deployments WHERE id = ?")]
    if kind == "model_version":
        return [("training_run", x) for x in one("SELECT run_id FROM model_versions WHERE id = ?")]
    if kind == "training_run":
        return [("feature_set", x) for x in one("SELECT feature_set_id FROM training_runs WHERE id = ?")]
    if kind == "feature_set":
        return [("dataset_version", x) for x in
                one("SELECT dataset_version_id FROM feature_set_inputs WHERE feature_set_id = ?")]
    return [("dataset_version", x) for x in one("SELECT derived_from_id FROM dataset_versions WHERE id = ?")]


def _bfs_up(con, start):
    seen, todo = {start}, deque([start])
    while todo:
        for p in _parents(con, *todo.popleft()):
            if p not in seen:
                seen.add(p)
                todo.append(p)
    return seen


# ------------------------------------------------------------------------ invariants
def test_the_audit_log_is_append_only_enforced_by_the_database(store):
    g.log_access(store, "alice", "read", "model_version:1", True)
    con = store.connection
    with pytest.raises(sqlite3.IntegrityError, match="append-only: UPDATE"):
        con.execute("UPDATE audit_log SET allowed = 0")
    with pytest.raises(sqlite3.IntegrityError, match="append-only: DELETE"):
        con.execute("DELETE FROM audit_log")
    # A fresh, raw connection (no infra_lab code in the way) is refused the same way.
    raw = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM audit_log WHERE id = 1")
    raw.close()
    log = g.read_audit_log(store)
    assert log[["actor", "action", "resource"]].values.tolist() == [["alice", "read", "model_version:1"]]
    assert bool(log["allowed"].iloc[0]) and log["detail"].iloc[0] == "" and log["at"].iloc[0].startswith("20")


def test_foreign_keys_are_on_and_every_foreign_key_has_an_index(store):
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.connection.execute("INSERT INTO predictions (deployment_id, request_id, score, created_at) "
                                 "VALUES (999, 'r', 0.5, 'now')")
    fks = g.schema_foreign_keys(store)
    assert len(fks) >= 15 and fks["indexed"].all()
    # Independent: every (table, column) of PRAGMA foreign_key_list, read directly.
    con = store.connection
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    direct = {(t, r[3], r[2], r[4]) for t in tables for r in con.execute(f"PRAGMA foreign_key_list('{t}')")}
    assert set(map(tuple, fks[["table", "column", "ref_table", "ref_column"]].values.tolist())) == direct


def test_lineage_of_each_prediction_matches_a_breadth_first_walk(store):
    ids = _chain(store)
    for pid in [*ids["p1"], *ids["p2"]]:
        got = g.prediction_lineage(store, int(pid))
        want = _bfs_up(store.connection, ("prediction", int(pid)))
        assert set(zip(got["kind"], got["id"])) == want
    got = g.prediction_lineage(store, int(ids["p1"][0]))
    # The derived dataset version leads back to its raw version: depth 6, after 'clean' at 5.
    depth = dict(zip(zip(got["kind"], got["id"]), got["depth"]))
    assert depth[("dataset_version", ids["raw"])] == 6 and depth[("dataset_version", ids["clean"])] == 5
    assert ("dataset_version", ids["other"]) not in depth
    assert got["label"].str.len().gt(0).all()


def test_impact_of_a_defective_version_reaches_everything_downstream_and_nothing_else(store):
    ids = _chain(store)
    impact = g.dataset_impact(store, ids["raw"])
    assert impact.dataset_version_ids == (ids["raw"], ids["clean"])
    assert impact.feature_set_ids == (ids["fs1"],) and impact.run_ids == (ids["r1"],)
    assert impact.model_version_ids == (ids["m1"],) and impact.deployment_ids == (ids["d1"],)
    assert impact.active_deployment_ids == (ids["d1"],)
    assert impact.predictions == len(ids["p1"])
    # Independent: the impact set is every node whose upstream walk reaches 'raw'.
    con = store.connection
    preds = [r[0] for r in con.execute("SELECT id FROM predictions")]
    hit = [p for p in preds if ("dataset_version", ids["raw"]) in _bfs_up(con, ("prediction", p))]
    assert impact.predictions == len(hit)
    assert g.dataset_impact(store, ids["other"]).model_version_ids == (ids["m2"],)


def test_audit_completeness_names_what_is_missing_and_counts_it(store):
    ids = _chain(store, docs="")
    report = g.audit_completeness(store, ids["m1"])
    table = report.table.set_index("evidence")
    assert list(table.index) == list(g.EVIDENCE)
    missing = {e for e in g.EVIDENCE if not table.loc[e, "present"]}
    assert missing == {"dataset_documentation", "evaluation", "approval", "monitoring_report"}
    assert report.complete_share == pytest.approx(3 / 7)
    assert set(report.missing) == {f"delay v1: {e}" for e in missing}
    assert (report.table["model_version_id"] == ids["m1"]).all() and (report.table["version"] == 1).all()
    assert (report.table["model"] == "delay").all() and report.table["detail"].str.len().gt(0).all()
    g.record_evaluation(store, ids["m1"], "auc", 0.7, 0.6)
    g.record_approval(store, ids["m1"], "risk")
    g.record_monitoring_report(store, ids["d1"], "drift", {"psi": 0.01}, True)
    assert g.audit_completeness(store, ids["m1"]).missing == ("delay v1: dataset_documentation",)
    g.record_approval(store, ids["m1"], "risk", "rejected")  # the latest decision counts
    assert "delay v1: approval" in g.audit_completeness(store, ids["m1"]).missing
    # Default: every deployed model version (two here).
    assert set(g.audit_completeness(store).table["model_version_id"]) == {ids["m1"], ids["m2"]}


def test_a_dataset_version_is_immutable_and_recording_it_again_is_idempotent(store):
    a = g.record_dataset_version(store, "f", "v1", "h1", 10)
    assert g.record_dataset_version(store, "f", "v1", "h1", 10) == a
    with pytest.raises(ValueError, match="version='v1'.*immutable"):
        g.record_dataset_version(store, "f", "v1", "h2", 10)


def test_content_hash_is_sha256_of_dtypes_and_row_hashes():
    df = pd.DataFrame({"x": [1, 2], "y": ["a", "b"]})
    h = hashlib.sha256()
    h.update(b'[["x", "int64"], ["y", "' + str(df["y"].dtype).encode() + b'"]]')
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    assert g.dataset_content_hash(df) == h.hexdigest()
    assert g.dataset_content_hash(df.iloc[::-1]) != g.dataset_content_hash(df)
    assert g.dataset_content_hash(df.rename(columns={"y": "z"})) != g.dataset_content_hash(df)


def test_prediction_ids_are_consecutive_and_request_ids_continue(store):
    ids = _chain(store)
    more = g.record_predictions(store, ids["d1"], [0.1, 0.2])
    assert more.tolist() == [ids["p2"][-1] + 1, ids["p2"][-1] + 2]
    rids = [r[0] for r in store.query("SELECT request_id FROM predictions WHERE deployment_id = ? ORDER BY id",
                                      (ids["d1"],))]
    assert rids == [f"d{ids['d1']}-{k}" for k in range(5)]
    with pytest.raises(ValueError, match="deployment_id=99: no such row"):
        g.record_predictions(store, 99, [0.5])


# --------------------------------------------------------------------- transactions
WRITES = [
    ("record_dataset_version", lambda s, ids: g.record_dataset_version(s, "new", "v9", "h9", 1)),
    ("record_feature_set", lambda s, ids: g.record_feature_set(s, "fs", [ids["wx"]], ["a", "b"])),
    ("record_training_run", lambda s, ids: g.record_training_run(s, ids["fs1"], "c", {}, {"auc": 0.5})),
    ("register_model_version", lambda s, ids: g.register_model_version(s, "brand-new", ids["r1"], "h")),
    ("record_predictions", lambda s, ids: g.record_predictions(s, ids["d1"], np.full(5000, 0.5))),
    ("record_deployment", lambda s, ids: g.record_deployment(s, ids["m1"], "shadow", 0.0)),
    ("record_incident", lambda s, ids: g.record_incident(s, "high", "x", dataset_version_id=ids["raw"])),
]


@pytest.mark.parametrize("name,write", WRITES, ids=[w[0] for w in WRITES])
def test_an_error_mid_write_leaves_nothing_half_recorded(store, monkeypatch, name, write):
    ids = _chain(store)
    before = g.table_counts(store)

    def broken_audit(*args, **kwargs):  # the last step of every writer: its rows are already inserted
        raise RuntimeError("injected failure")

    monkeypatch.setattr(records, "_audit", broken_audit)
    with pytest.raises(RuntimeError, match="injected"):
        write(store, ids)
    assert g.table_counts(store) == before
    monkeypatch.undo()
    write(store, ids)  # the store still works, and the same write now goes through
    assert g.table_counts(store)["audit_log"] == before["audit_log"] + 1


def test_an_outer_transaction_rolls_back_every_nested_write(store):
    before = g.table_counts(store)
    with pytest.raises(KeyError):
        with store.transaction():
            d = g.record_dataset_version(store, "a", "1", "h", 1)
            g.record_feature_set(store, "fs", [d], ["x"])
            raise KeyError("abort")
    assert g.table_counts(store) == before


# ----------------------------------------------------------------------- hostile input
HOSTILE = ["O'Brien \"quoted\"", "x'); DROP TABLE audit_log; --", "a\x00b", "Z" * 1_000_000,
           "Robert'); DELETE FROM models WHERE ('1'='1", "ünïcødé ✓ 模型"]


@pytest.mark.parametrize("text", HOSTILE, ids=["quotes", "drop-table", "nul", "1mb", "delete", "unicode"])
def test_hostile_names_are_stored_verbatim_through_every_writer_and_reader(store, text):
    ids = _chain(store)
    before = g.table_counts(store)
    dv = g.record_dataset_version(store, text, text, text, 1, text)
    fs = g.record_feature_set(store, text, [dv], [text], text)
    run = g.record_training_run(store, fs, text, {text: text}, {text: 1.0}, {text: text})
    mv = g.register_model_version(store, text, run, text)
    g.record_evaluation(store, mv, text, 0.7, 0.6)
    g.record_approval(store, mv, text, "approved", text)
    dep = g.record_deployment(store, mv, text, 0.5)
    g.record_predictions(store, dep, [0.5, 0.6], [text, text + "2"])
    g.record_monitoring_report(store, dep, text, {text: 0.1}, True)
    g.record_incident(store, "low", text, dv, mv, dep)
    g.log_access(store, text, text, text, False, text)
    after = g.table_counts(store)
    added = {k: after[k] - before[k] for k in after}
    assert added == {"datasets": 1, "dataset_versions": 1, "feature_sets": 1, "feature_set_inputs": 1, "features": 1,
                     "training_runs": 1, "models": 1, "model_versions": 1, "evaluations": 1, "approvals": 1,
                     "deployments": 1, "predictions": 2, "monitoring_reports": 1, "incidents": 1,
                     "stage_transitions": 0, "audit_log": 11}
    q = store.query
    assert q("SELECT name FROM datasets WHERE id = (SELECT dataset_id FROM dataset_versions WHERE id = ?)", (dv,))[0][0] == text
    assert q("SELECT version, content_hash, documentation FROM dataset_versions WHERE id = ?", (dv,))[0] == (text,) * 3
    assert q("SELECT name FROM features WHERE feature_set_id = ?", (fs,))[0][0] == text
    assert q("SELECT request_id FROM predictions WHERE deployment_id = ? ORDER BY id", (dep,))[0][0] == text
    assert g.read_audit_log(store, text)["detail"].tolist() == [text]
    lineage = g.prediction_lineage(store, int(q("SELECT MAX(id) FROM predictions")[0][0]))
    assert ("dataset_version", dv) in set(zip(lineage["kind"], lineage["id"]))
    assert g.dataset_impact(store, dv).deployment_ids == (dep,)
    assert q("PRAGMA integrity_check")[0][0] == "ok"


@pytest.mark.parametrize("bad", ["\udcff", "ok\ud800"], ids=["lone-low", "lone-high"])
def test_non_utf8_text_is_refused_by_name_and_nothing_is_written(store, bad):
    _chain(store)
    before = g.table_counts(store)
    with pytest.raises(ValueError, match="dataset_name"):
        g.record_dataset_version(store, bad, "v", "h", 1)
    with pytest.raises(ValueError, match="actor"):
        g.log_access(store, bad, "read", "r", True)
    with pytest.raises(TypeError, match="model_name"):
        g.register_model_version(store, b"\xff\xfe", 1, "h")
    assert g.table_counts(store) == before


# ------------------------------------------------------------------ files and versions
def _file_state(path: Path):
    return sorted((p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in path.parent.iterdir())


def test_a_store_with_a_newer_schema_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "newer.db"
    s = g.open_store(path)
    s.close()
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {g.SCHEMA_VERSION + 1}")
    raw.close()
    state = _file_state(path)
    with pytest.raises(ValueError, match=r"schema version \d+, newer.*upgrade infra_lab"):
        g.open_store(path)
    assert _file_state(path) == state


@pytest.mark.parametrize("content", [b"this is not a database" * 100, b"SQLite format 3\x00" + b"\x00" * 50],
                         ids=["text", "header-only"])
def test_a_corrupt_file_is_refused_with_what_to_do_and_left_untouched(tmp_path, content):
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    state = _file_state(path)
    with pytest.raises(ValueError, match="restore|new file"):
        g.open_store(path)
    assert _file_state(path) == state


def test_a_truncated_store_is_refused(tmp_path):
    path = tmp_path / "t.db"
    s = build_example_store(str(path))
    s.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    state = _file_state(path)
    with pytest.raises(ValueError, match="corrupt|quick_check|restore"):
        g.open_store(path)
    assert _file_state(path) == state


def test_an_older_store_is_migrated_block_by_block(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    g.open_store(path).close()
    blocks = store_mod.schema_blocks()
    blocks[2] = "CREATE TABLE extra_evidence (id INTEGER PRIMARY KEY, note TEXT);\n"
    monkeypatch.setattr(store_mod, "schema_blocks", lambda sql=None: blocks)
    monkeypatch.setattr(store_mod, "SCHEMA_VERSION", 2)
    s = g.open_store(path)
    assert s.query("PRAGMA user_version")[0][0] == 2
    assert "extra_evidence" in g.table_counts(s)
    s.close()


def test_schema_blocks_must_be_numbered_in_order():
    with pytest.raises(RuntimeError, match="versions must be 1, 2"):
        store_mod.schema_blocks("-- version: 1\nSELECT 1;\n-- version: 3\nSELECT 1;\n")


# ----------------------------------------------------------------------- concurrency
def _writer(path: str, who: str, n: int, queue) -> None:
    s = g.open_store(path, timeout_s=30.0, actor=who)
    for k in range(n):
        g.log_access(s, who, "write", f"item:{k}", True)
        g.record_dataset_version(s, f"ds-{who}", f"v{k}", f"h{k}", k)
    s.close()
    queue.put(who)


def test_two_processes_writing_at_once_both_succeed_and_the_store_stays_intact(tmp_path):
    path = str(tmp_path / "shared.db")
    g.open_store(path).close()
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(path, who, 150, queue)) for who in ("p1", "p2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    assert sorted([queue.get(timeout=5), queue.get(timeout=5)]) == ["p1", "p2"]
    s = g.open_store(path)
    assert s.query("PRAGMA journal_mode")[0][0] == "wal"
    assert s.query("PRAGMA integrity_check")[0][0] == "ok"
    counts = g.table_counts(s)
    assert counts["dataset_versions"] == 300 and counts["audit_log"] == 600
    s.close()


def test_a_writer_that_cannot_get_the_lock_in_time_says_so(tmp_path):
    path = tmp_path / "busy.db"
    holder = g.open_store(path)
    waiter = g.open_store(path, timeout_s=0.2)
    with holder.transaction():
        g.log_access(holder, "holder", "write", "x", True)
        with pytest.raises(TimeoutError, match="locked by another writer.*timeout_s=0.2"):
            g.log_access(waiter, "waiter", "write", "x", True)
    g.log_access(waiter, "waiter", "write", "x", True)  # once the lock is free, it goes through
    assert g.read_audit_log(waiter)["actor"].tolist() == ["holder", "waiter"]
    holder.close()
    waiter.close()


def test_lookups_along_foreign_keys_use_their_indexes(store):
    _chain(store)
    plan = " ".join(r[3] for r in store.query("EXPLAIN QUERY PLAN SELECT COUNT(*) FROM predictions "
                                              "WHERE deployment_id IN (?, ?)", (1, 2)))
    assert "ix_predictions_deployment" in plan
    plan = " ".join(r[3] for r in store.query("EXPLAIN QUERY PLAN SELECT deployment_id FROM predictions WHERE id = ?", (1,)))
    assert "INTEGER PRIMARY KEY" in plan


# ------------------------------------------------------------------- property: duality
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as hst  # noqa: E402


@settings(max_examples=25, deadline=None)
@given(hst.data())
def test_lineage_and_impact_are_the_same_relation_read_both_ways(data):
    """d ∈ lineage(p) ⇔ p is counted in impact(d), on random provenance graphs; lineage = BFS."""
    s = g.open_store(":memory:")
    n_ds = data.draw(hst.integers(1, 4))
    dvs = []
    for k in range(n_ds):
        parent = data.draw(hst.sampled_from([None] + dvs)) if dvs else None
        dvs.append(g.record_dataset_version(s, f"d{k}", "v", f"h{k}", 1, derived_from_id=parent))
    fss = [g.record_feature_set(s, f"fs{k}", data.draw(hst.lists(hst.sampled_from(dvs), min_size=1, max_size=3)), ["x"])
           for k in range(data.draw(hst.integers(1, 3)))]
    preds = {}
    for k in range(data.draw(hst.integers(1, 3))):
        run = g.record_training_run(s, data.draw(hst.sampled_from(fss)), "c", {}, {})
        dep = g.record_deployment(s, g.register_model_version(s, "m", run, "h"), "prod", 1.0)
        for pid in g.record_predictions(s, dep, [0.5] * data.draw(hst.integers(1, 3))):
            preds[int(pid)] = dep
    upstream = {p: {i for kind, i in _bfs_up(s.connection, ("prediction", p)) if kind == "dataset_version"}
                for p in preds}
    for p in preds:
        got = g.prediction_lineage(s, p)
        assert set(zip(got["kind"], got["id"])) == _bfs_up(s.connection, ("prediction", p))
    for d in dvs:
        impact = g.dataset_impact(s, d)
        hit = [p for p in preds if d in upstream[p]]
        assert impact.predictions == len(hit)
        assert set(impact.deployment_ids) == {preds[p] for p in hit}
    s.close()
