"""Writers of the metadata store, part 2: the model registry — model versions, evaluations,
approvals, deployments and stage transitions. Each writer is one transaction with its audit entry.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping, Sequence

import numpy as np

from infra_lab._checks import count, data_array, flag, number, option, text
from infra_lab.governance import records as _rec
from infra_lab.governance.records import _exists, _get_or_create, _id, _json, _now
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store  # noqa: F401

__all__ = ["register_model_version", "record_evaluation", "record_approval", "record_deployment"]

STAGES = ("registered", "staging", "production", "archived")



def register_model_version(store: MetadataStore, model_name: str, run_id: int, artifact_hash: str) -> int:
    """Register the model a run produced as the model's next version (stage ``registered``).

    Parameters
    ----------
    store : MetadataStore
    model_name : str
        The registered model, e.g. ``"flight-delay"``.
    run_id : int
        The training run that produced it.
    artifact_hash : str
        Hash of the serialised model (what deployment must verify).

    Returns
    -------
    int
        The model version's id (its version number is 1 + the model's last version).

    See Also
    --------
    record_training_run, record_evaluation, record_approval

    References
    ----------
    MLflow documentation, *MLflow Model Registry*, Section "Concepts" (registered model,
    model version, stage).

    Examples
    --------
    >>> from infra_lab.governance import record_dataset_version, record_feature_set, record_training_run
    >>> store = open_store(":memory:")
    >>> d = record_dataset_version(store, "flights", "v1", "ab", rows=5)
    >>> run = record_training_run(store, record_feature_set(store, "f", [d], ["x"]), "c1", {}, {})
    >>> register_model_version(store, "delay", run, "sha256:00")
    1
    """
    store = check_store(store)
    model_name = checked_text("model_name", model_name)
    run = _id("run_id", run_id)
    artifact_hash = checked_text("artifact_hash", artifact_hash)
    with store.transaction() as con:
        _exists(con, "training_runs", "run_id", run)
        mid = _get_or_create(con, "models", model_name)
        version = con.execute("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE model_id = ?",
                              (mid,)).fetchone()[0]
        mv = int(con.execute("INSERT INTO model_versions (model_id, version, run_id, artifact_hash) VALUES (?, ?, ?, ?)",
                             (mid, version, run, artifact_hash)).lastrowid)
        _rec._audit(con, store.actor, "register_model_version", f"model_version:{mv}", detail=f"{model_name} v{version}")
        return mv


def record_evaluation(store: MetadataStore, model_version_id: int, metric: str, value: float,
                      threshold: float, higher_is_better: bool = True,
                      dataset_version_id: int | None = None) -> bool:
    r"""Record an evaluation of a model version against its gate; return whether it passed.

    .. math:: passed = (value \ge threshold)\ \text{or, lower-is-better,}\ (value \le threshold)

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    metric : str
        E.g. ``"auc"``.
    value : float
        The measured metric (finite).
    threshold : float
        The gate (finite).
    higher_is_better : bool, default True
    dataset_version_id : int, optional
        The evaluation data's version.

    Returns
    -------
    bool

    See Also
    --------
    record_approval : the other promotion gate.

    References
    ----------
    Breck et al., "The ML Test Score", IEEE Big Data 2017, Table 2 (model development tests).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> store = build_example_store(":memory:")
    >>> record_evaluation(store, 1, "auc", 0.58, 0.6)
    False
    """
    store = check_store(store)
    mv = _id("model_version_id", model_version_id)
    metric = checked_text("metric", metric)
    v = float(number("value", value))
    t = float(number("threshold", threshold))
    hib = flag("higher_is_better", higher_is_better)
    dv = _id("dataset_version_id", dataset_version_id, none_ok=True)
    passed = v >= t if hib else v <= t
    with store.transaction() as con:
        _exists(con, "model_versions", "model_version_id", mv)
        _exists(con, "dataset_versions", "dataset_version_id", dv)
        con.execute("INSERT INTO evaluations (model_version_id, metric, value, threshold, passed, dataset_version_id) "
                    "VALUES (?, ?, ?, ?, ?, ?)", (mv, metric, v, t, int(passed), dv))
        _rec._audit(con, store.actor, "record_evaluation", f"model_version:{mv}", detail=f"{metric}={v:g} vs {t:g}")
    return bool(passed)


def record_approval(store: MetadataStore, model_version_id: int, approver: str, decision: str = "approved",
                    note: str = "") -> int:
    """Record a person's approval (or rejection) of a model version; return its id.

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    approver : str
        Who decided.
    decision : {"approved", "rejected"}
    note : str, default ""

    Returns
    -------
    int

    See Also
    --------
    record_evaluation : the automatic gate; infra_lab.mlops.promote checks both.

    References
    ----------
    MLflow documentation, *MLflow Model Registry*, Section "Concepts" (stage transitions
    requested and approved); the article, Governance Section (approval as evidence).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> record_approval(build_example_store(":memory:"), 1, "risk-officer") > 0
    True
    """
    store = check_store(store)
    mv = _id("model_version_id", model_version_id)
    approver = checked_text("approver", approver)
    decision = option("decision", decision, ["approved", "rejected"])
    note = checked_text("note", note, allow_empty=True)
    with store.transaction() as con:
        _exists(con, "model_versions", "model_version_id", mv)
        aid = int(con.execute("INSERT INTO approvals (model_version_id, approver, decision, note) VALUES (?, ?, ?, ?)",
                              (mv, approver, decision, note)).lastrowid)
        _rec._audit(con, store.actor, "record_approval", f"model_version:{mv}", detail=f"{decision} by {approver}")
        return aid


def record_deployment(store: MetadataStore, model_version_id: int, environment: str, traffic_share: float,
                      rollback_target_id: int | None = None) -> int:
    """Record a deployment of a model version (no gates; see ``infra_lab.mlops.deploy``).

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    environment : str
        E.g. ``"production"``, ``"shadow"``.
    traffic_share : float
        Share of requests it serves, in [0, 1] (0 for a shadow deployment).
    rollback_target_id : int, optional
        The model version to return to if this deployment fails.

    Returns
    -------
    int

    See Also
    --------
    record_predictions : what the deployment served.

    References
    ----------
    Beyer et al. (eds.), *The Site Reliability Workbook*, O'Reilly 2018, ch. 16 "Canarying
    Releases".

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> record_deployment(build_example_store(":memory:"), 1, "shadow", 0.0) > 0
    True
    """
    store = check_store(store)
    mv = _id("model_version_id", model_version_id)
    environment = checked_text("environment", environment)
    share = float(number("traffic_share", traffic_share, low=0.0, high=1.0))
    target = _id("rollback_target_id", rollback_target_id, none_ok=True)
    with store.transaction() as con:
        _exists(con, "model_versions", "model_version_id", mv)
        _exists(con, "model_versions", "rollback_target_id", target)
        did = int(con.execute("INSERT INTO deployments (model_version_id, environment, traffic_share, rollback_target_id) "
                              "VALUES (?, ?, ?, ?)", (mv, environment, share, target)).lastrowid)
        _rec._audit(con, store.actor, "record_deployment", f"deployment:{did}",
               detail=f"model_version:{mv} {environment} {share:.0%}")
        return did


def _set_stage(con: sqlite3.Connection, actor: str, model_version_id: int, to_stage: str, reason: str) -> None:
    """Move a model version to ``to_stage`` and record the transition (inside a transaction)."""
    text("to_stage", to_stage)
    (old,) = con.execute("SELECT stage FROM model_versions WHERE id = ?", (model_version_id,)).fetchone()
    if old == to_stage:
        return
    con.execute("UPDATE model_versions SET stage = ? WHERE id = ?", (to_stage, model_version_id))
    con.execute("INSERT INTO stage_transitions (model_version_id, from_stage, to_stage, reason) VALUES (?, ?, ?, ?)",
                (model_version_id, old, to_stage, reason))
    _rec._audit(con, actor, "stage_transition", f"model_version:{model_version_id}", detail=f"{old} → {to_stage}: {reason}")
