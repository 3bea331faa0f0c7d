"""Writers of the metadata store, part 3: operations — prediction samples, monitoring reports,
incidents and access decisions. Each writer is one transaction with its audit entry.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Mapping, Sequence

import numpy as np

from infra_lab._checks import count, data_array, flag, number, option, text
from infra_lab.governance import records as _rec
from infra_lab.governance.records import _exists, _get_or_create, _id, _json, _now
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store  # noqa: F401

__all__ = ["record_predictions", "record_monitoring_report", "record_incident", "log_access"]

SEVERITIES = ("low", "medium", "high", "critical")


def record_predictions(store: MetadataStore, deployment_id: int, scores: Any,
                       request_ids: Sequence[str] | None = None) -> np.ndarray:
    """Record a batch of prediction samples in one transaction (``executemany``); return their ids.

    Parameters
    ----------
    store : MetadataStore
    deployment_id : int
        The deployment that served them.
    scores : array_like
        Predicted probabilities, each in [0, 1].
    request_ids : sequence of str, optional
        One id per score; default ``"d<deployment>-<n>"`` numbered on from the last batch.

    Returns
    -------
    numpy.ndarray of int
        The prediction ids (consecutive: the batch holds the write lock).

    See Also
    --------
    prediction_lineage : a prediction's full provenance.

    References
    ----------
    Python documentation, ``sqlite3.Cursor.executemany``; SQLite FAQ, Section 19 (many
    INSERTs per transaction are fast, one transaction per INSERT is slow).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> store = build_example_store(":memory:")
    >>> ids = record_predictions(store, 1, [0.1, 0.9])
    >>> len(ids)
    2
    """
    store = check_store(store)
    dep = _id("deployment_id", deployment_id)
    s = data_array("scores", scores, low=0.0, high=1.0)
    if request_ids is not None:
        if isinstance(request_ids, (str, bytes)) or not hasattr(request_ids, "__len__"):
            raise TypeError(f"request_ids={request_ids!r:.60}: must be a list of strings, one per score")
        if len(request_ids) != s.size:
            raise ValueError(f"request_ids=<{len(request_ids)} ids>: must have one id per score ({s.size})")
        rids = [checked_text("request_ids", r) for r in request_ids]
    now = _now()
    with store.transaction() as con:
        _exists(con, "deployments", "deployment_id", dep)
        if request_ids is None:
            start = con.execute("SELECT COUNT(*) FROM predictions WHERE deployment_id = ?", (dep,)).fetchone()[0]
            rids = [f"d{dep}-{k}" for k in range(start, start + s.size)]
        first = con.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM predictions").fetchone()[0]
        con.executemany("INSERT INTO predictions (deployment_id, request_id, score, created_at) VALUES (?, ?, ?, ?)",
                        zip([dep] * s.size, rids, s.tolist(), [now] * s.size))
        _rec._audit(con, store.actor, "record_predictions", f"deployment:{dep}", detail=f"{s.size} predictions")
    return np.arange(first, first + s.size, dtype=np.int64)


def record_monitoring_report(store: MetadataStore, deployment_id: int, kind: str, metrics: Mapping[str, float],
                             passed: bool) -> int:
    """Record a monitoring report (drift, performance, SLO) of a deployment; return its id.

    Parameters
    ----------
    store : MetadataStore
    deployment_id : int
    kind : str
        E.g. ``"drift"``, ``"performance"``.
    metrics : dict of str → float
        The measured values (finite numbers).
    passed : bool
        Whether the deployment is within its limits.

    Returns
    -------
    int

    See Also
    --------
    infra_lab.mlops.monitor_deployment : computes and records a drift/performance report.

    References
    ----------
    Breck et al., "The ML Test Score", IEEE Big Data 2017, Table 4 (monitoring tests).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> record_monitoring_report(build_example_store(":memory:"), 1, "drift", {"psi": 0.02}, True) > 0
    True
    """
    store = check_store(store)
    dep = _id("deployment_id", deployment_id)
    kind = checked_text("kind", kind)
    metrics_json = _json("metrics", metrics, numbers_only=True)
    ok = flag("passed", passed)
    with store.transaction() as con:
        _exists(con, "deployments", "deployment_id", dep)
        rid = int(con.execute("INSERT INTO monitoring_reports (deployment_id, kind, metrics_json, passed) "
                              "VALUES (?, ?, ?, ?)", (dep, kind, metrics_json, int(ok))).lastrowid)
        _rec._audit(con, store.actor, "record_monitoring_report", f"deployment:{dep}", detail=f"{kind} passed={ok}")
        return rid


def record_incident(store: MetadataStore, severity: str, description: str, dataset_version_id: int | None = None,
                    model_version_id: int | None = None, deployment_id: int | None = None) -> int:
    """Record an incident, linked to what it concerns; return its id.

    Parameters
    ----------
    store : MetadataStore
    severity : {"low", "medium", "high", "critical"}
    description : str
    dataset_version_id, model_version_id, deployment_id : int, optional
        What the incident concerns (any of them).

    Returns
    -------
    int

    See Also
    --------
    dataset_impact : what a defective dataset version affected.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, O'Reilly 2016, ch. 14 "Managing Incidents".

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> record_incident(build_example_store(":memory:"), "high", "bad weather feed", dataset_version_id=2) > 0
    True
    """
    store = check_store(store)
    severity = option("severity", severity, SEVERITIES)
    description = checked_text("description", description)
    dv = _id("dataset_version_id", dataset_version_id, none_ok=True)
    mv = _id("model_version_id", model_version_id, none_ok=True)
    dep = _id("deployment_id", deployment_id, none_ok=True)
    with store.transaction() as con:
        _exists(con, "dataset_versions", "dataset_version_id", dv)
        _exists(con, "model_versions", "model_version_id", mv)
        _exists(con, "deployments", "deployment_id", dep)
        iid = int(con.execute("INSERT INTO incidents (severity, description, dataset_version_id, model_version_id, "
                              "deployment_id) VALUES (?, ?, ?, ?, ?)", (severity, description, dv, mv, dep)).lastrowid)
        _rec._audit(con, store.actor, "record_incident", f"incident:{iid}", detail=severity)
        return iid


def log_access(store: MetadataStore, actor: str, action: str, resource: str, allowed: bool, detail: str = "") -> int:
    """Append one access decision to the audit log (which the database keeps append-only).

    Parameters
    ----------
    store : MetadataStore
    actor : str
        Who asked.
    action : str
        What they asked to do (``"read"``, ``"deploy"``…).
    resource : str
        On what, e.g. ``"model_version:3"``.
    allowed : bool
        The decision.
    detail : str, default ""

    Returns
    -------
    int
        The audit-log entry's id.

    See Also
    --------
    read_audit_log : reads it back.

    References
    ----------
    NIST SP 800-53 Rev. 5, control family AU (Audit and Accountability), AU-9 "Protection of
    Audit Information"; SQLite documentation, *CREATE TRIGGER* (lang_createtrigger.html),
    Section "The RAISE() function".

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> log_access(store, "alice", "read", "model_version:1", True)
    1
    """
    store = check_store(store)
    actor = checked_text("actor", actor)
    action = checked_text("action", action)
    resource = checked_text("resource", resource)
    ok = flag("allowed", allowed)
    detail = checked_text("detail", detail, allow_empty=True)
    with store.transaction() as con:
        return _rec._audit(con, actor, action, resource, ok, detail)
