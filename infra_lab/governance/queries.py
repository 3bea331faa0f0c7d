"""Readers of the metadata store: lineage, impact, audit completeness and the audit log.

Lineage and impact walk the provenance graph with one recursive SQL query each (the
``lineage_edges`` view of ``schema.sql``): upstream from a prediction, downstream from a
dataset version. Every value reaches SQL as a bound parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from infra_lab._checks import count
from infra_lab._results import Result
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store  # noqa: F401

__all__ = ["DatasetImpact", "AuditCompleteness", "prediction_lineage", "dataset_impact", "audit_completeness",
           "read_audit_log", "table_counts", "schema_foreign_keys", "EVIDENCE"]

#: Evidence a deployed model version must have (the article's governance artifacts).
EVIDENCE = ("dataset_documentation", "experiment_record", "evaluation", "approval", "deployment_record",
            "monitoring_report", "access_log")

_UPSTREAM = """
WITH RECURSIVE up(depth, kind, id) AS (
    SELECT 1, 'deployment', deployment_id FROM predictions WHERE id = ?
    UNION
    SELECT up.depth + 1, e.parent_kind, e.parent_id
    FROM up JOIN lineage_edges AS e ON e.child_kind = up.kind AND e.child_id = up.id
)
SELECT MIN(depth), kind, id FROM up GROUP BY kind, id ORDER BY 1, 2, 3
"""

_DOWNSTREAM = """
WITH RECURSIVE down(kind, id) AS (
    VALUES ('dataset_version', ?)
    UNION
    SELECT e.child_kind, e.child_id
    FROM down JOIN lineage_edges AS e ON e.parent_kind = down.kind AND e.parent_id = down.id
)
SELECT kind, id FROM down ORDER BY kind, id
"""

_LABELS = {
    "deployment": "SELECT environment || ' ' || CAST(ROUND(traffic_share * 100) AS INTEGER) || '% ' || status "
                  "FROM deployments WHERE id = ?",
    "model_version": "SELECT m.name || ' v' || v.version || ' [' || v.stage || ']' FROM model_versions v "
                     "JOIN models m ON m.id = v.model_id WHERE v.id = ?",
    "training_run": "SELECT 'code ' || code_version FROM training_runs WHERE id = ?",
    "feature_set": "SELECT name FROM feature_sets WHERE id = ?",
    "dataset_version": "SELECT d.name || ' ' || v.version || ' (' || substr(v.content_hash, 1, 12) || ')' "
                       "FROM dataset_versions v JOIN datasets d ON d.id = v.dataset_id WHERE v.id = ?",
    "prediction": "SELECT 'request ' || request_id || ', score ' || printf('%.3f', score) FROM predictions WHERE id = ?",
}


def _label(store: MetadataStore, kind: str, row_id: int) -> str:
    row = store.query(_LABELS[kind], (row_id,))
    return row[0][0] if row else ""


def prediction_lineage(store: MetadataStore, prediction_id: int) -> pd.DataFrame:
    r"""The full provenance of one prediction, back to its dataset versions (one recursive query).

    .. math:: L(p) = \{ v : p \to^{+} v \}, \quad \to\ =\ \text{``was derived from''}

    i.e. the transitive closure of the parent relation: prediction → deployment → model version
    → training run → feature set → dataset version (→ the versions it was derived from).

    Parameters
    ----------
    store : MetadataStore
    prediction_id : int
        The prediction's id (≥ 1; it must exist).

    Returns
    -------
    pandas.DataFrame
        Columns ``depth`` (0 = the prediction), ``kind``, ``id``, ``label``, one row per node.

    See Also
    --------
    dataset_impact : the opposite direction, downstream from a dataset version.

    References
    ----------
    SQLite documentation, *The WITH Clause* (lang_with.html), Section 3 "Recursive Common Table
    Expressions"; W3C PROV-DM (2013), Section 5.2 (derivation).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> store = build_example_store(":memory:")
    >>> prediction_lineage(store, 1)["kind"].tolist()
    ['prediction', 'deployment', 'model_version', 'training_run', 'feature_set', 'dataset_version', 'dataset_version']
    """
    store = check_store(store)
    pid = int(count("prediction_id", prediction_id, minimum=1))
    if not store.query("SELECT 1 FROM predictions WHERE id = ?", (pid,)):
        raise ValueError(f"prediction_id={pid}: no such prediction in the store")
    rows = [(0, "prediction", pid)] + store.query(_UPSTREAM, (pid,))
    return pd.DataFrame([(d, k, i, _label(store, k, i)) for d, k, i in rows],
                        columns=["depth", "kind", "id", "label"])


@dataclass(frozen=True)
class DatasetImpact(Result):
    """What depends on one dataset version.

    Attributes
    ----------
    dataset_version_ids : tuple of int
        The version itself and every version derived from it.
    feature_set_ids, run_ids, model_version_ids, deployment_ids : tuple of int
        Everything downstream, by kind.
    active_deployment_ids : tuple of int
        The affected deployments still serving traffic.
    predictions : int
        Prediction samples served by the affected deployments.

    See Also
    --------
    dataset_impact : returns it.
    """

    dataset_version_ids: tuple
    feature_set_ids: tuple
    run_ids: tuple
    model_version_ids: tuple
    deployment_ids: tuple
    active_deployment_ids: tuple
    predictions: int


def dataset_impact(store: MetadataStore, dataset_version_id: int) -> DatasetImpact:
    r"""Everything affected by a (defective) dataset version: one recursive downstream query.

    .. math:: I(d) = \{ v : v \to^{+} d \}

    the nodes from which ``d`` is reachable along "was derived from" edges; predictions are
    counted per affected deployment through the ``predictions(deployment_id)`` index.

    Parameters
    ----------
    store : MetadataStore
    dataset_version_id : int
        The dataset version (≥ 1; it must exist).

    Returns
    -------
    DatasetImpact

    See Also
    --------
    prediction_lineage : the opposite direction.
    record_incident : record the defect against the version.

    References
    ----------
    SQLite documentation, *The WITH Clause* (lang_with.html), Section 3 "Recursive Common Table
    Expressions"; the article, Governance Section (provenance chain).

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> impact = dataset_impact(build_example_store(":memory:"), 2)
    >>> impact.model_version_ids, impact.predictions
    ((1, 2), 400)
    """
    store = check_store(store)
    dv = int(count("dataset_version_id", dataset_version_id, minimum=1))
    if not store.query("SELECT 1 FROM dataset_versions WHERE id = ?", (dv,)):
        raise ValueError(f"dataset_version_id={dv}: no such dataset version in the store")
    by_kind: dict[str, list[int]] = {}
    for kind, i in store.query(_DOWNSTREAM, (dv,)):
        by_kind.setdefault(kind, []).append(int(i))
    deps = by_kind.get("deployment", [])
    marks = ",".join("?" * len(deps))
    active = [int(r[0]) for r in store.query(
        f"SELECT id FROM deployments WHERE status = 'active' AND id IN ({marks}) ORDER BY id", deps)] if deps else []
    n = store.query(f"SELECT COUNT(*) FROM predictions WHERE deployment_id IN ({marks})", deps)[0][0] if deps else 0
    get = lambda k: tuple(sorted(by_kind.get(k, [])))  # noqa: E731
    return DatasetImpact(get("dataset_version"), get("feature_set"), get("training_run"), get("model_version"),
                         get("deployment"), tuple(active), int(n))


@dataclass(frozen=True)
class AuditCompleteness(Result):
    """Which required evidence each deployed model version has.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per (model version, evidence item): ``model_version_id, model, version,
        evidence, present, detail``.
    complete_share : float
        Share of required items present, in [0, 1].
    missing : tuple of str
        ``"<model> v<version>: <evidence>"`` for each missing item.

    See Also
    --------
    audit_completeness : returns it.
    """

    table: pd.DataFrame
    complete_share: float
    missing: tuple


def _evidence(store: MetadataStore, mv: int) -> list[tuple[str, bool, str]]:
    q = lambda sql: store.query(sql, (mv,))  # noqa: E731
    docs = q("""WITH RECURSIVE up(kind, id) AS (VALUES ('model_version', ?) UNION
                SELECT e.parent_kind, e.parent_id FROM up JOIN lineage_edges e
                ON e.child_kind = up.kind AND e.child_id = up.id)
                SELECT COUNT(*), SUM(v.documentation <> '') FROM up JOIN dataset_versions v
                ON up.kind = 'dataset_version' AND v.id = up.id""")[0]
    run = q("SELECT r.metrics_json, r.code_version FROM model_versions v JOIN training_runs r ON r.id = v.run_id "
            "WHERE v.id = ?")[0]
    ev = q("SELECT COUNT(*), COALESCE(SUM(passed), 0) FROM evaluations WHERE model_version_id = ?")[0]
    ap = q("SELECT decision FROM approvals WHERE model_version_id = ? ORDER BY id DESC LIMIT 1")
    dep = q("SELECT COUNT(*) FROM deployments WHERE model_version_id = ?")[0][0]
    mon = q("SELECT COUNT(*) FROM monitoring_reports r JOIN deployments d ON d.id = r.deployment_id "
            "WHERE d.model_version_id = ?")[0][0]
    log = store.query("SELECT COUNT(*) FROM audit_log WHERE resource = ?", (f"model_version:{mv}",))[0][0]
    n_docs, n_documented = docs[0], docs[1] or 0
    return [
        ("dataset_documentation", n_docs > 0 and n_documented == n_docs,
         f"{n_documented} of {n_docs} input dataset versions documented"),
        ("experiment_record", run[0] not in ("", "{}") and bool(run[1]), "training run with metrics and code version"),
        ("evaluation", ev[1] > 0, f"{ev[1]} of {ev[0]} evaluations passed"),
        ("approval", bool(ap) and ap[0][0] == "approved", f"latest decision: {ap[0][0] if ap else 'none'}"),
        ("deployment_record", dep > 0, f"{dep} deployment record(s)"),
        ("monitoring_report", mon > 0, f"{mon} monitoring report(s)"),
        ("access_log", log > 0, f"{log} audit-log entries"),
    ]


def audit_completeness(store: MetadataStore, model_version_id: int | None = None) -> AuditCompleteness:
    r"""Audit-completeness report: which required evidence is missing for deployed models.

    .. math:: completeness = \frac{|\{(m, e) : e \text{ present for } m\}|}{|M_{deployed}| \cdot |E|}

    over the deployed model versions :math:`M` (or the one asked for) and the evidence items
    :data:`EVIDENCE`: dataset documentation of every upstream dataset version, the experiment
    record, a passing evaluation, an approval (the latest decision), a deployment record, a
    monitoring report and access-log entries.

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int, optional
        One model version (deployed or not); default every version with a deployment.

    Returns
    -------
    AuditCompleteness

    See Also
    --------
    infra_lab.mlops.model_card : the evidence, written up.

    References
    ----------
    The article, Governance Section (evidence artifacts: dataset documentation, lineage graph,
    experiment record, model card/registry entry, deployment record, monitoring report, access
    log); NIST AI RMF 1.0 (2023), Section 5.1 "Govern".

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
    >>> report = audit_completeness(build_example_store(":memory:"))
    >>> report.missing
    ('flight-delay v2: monitoring_report',)
    """
    store = check_store(store)
    if model_version_id is None:
        ids = [r[0] for r in store.query("SELECT DISTINCT model_version_id FROM deployments ORDER BY 1")]
    else:
        mv = int(count("model_version_id", model_version_id, minimum=1))
        if not store.query("SELECT 1 FROM model_versions WHERE id = ?", (mv,)):
            raise ValueError(f"model_version_id={mv}: no such model version in the store")
        ids = [mv]
    rows = []
    for mv in ids:
        name, version = store.query("SELECT m.name, v.version FROM model_versions v JOIN models m ON m.id = v.model_id "
                                    "WHERE v.id = ?", (mv,))[0]
        rows += [(mv, name, version, e, ok, d) for e, ok, d in _evidence(store, mv)]
    table = pd.DataFrame(rows, columns=["model_version_id", "model", "version", "evidence", "present", "detail"])
    share = float(table["present"].mean()) if len(table) else 1.0
    missing = tuple(f"{r.model} v{r.version}: {r.evidence}" for r in table.itertuples() if not r.present)
    return AuditCompleteness(table, share, missing)


def read_audit_log(store: MetadataStore, resource: str | None = None) -> pd.DataFrame:
    """The audit log (oldest first), optionally for one resource.

    Parameters
    ----------
    store : MetadataStore
    resource : str, optional
        E.g. ``"model_version:2"``; default all entries.

    Returns
    -------
    pandas.DataFrame
        Columns ``id, at, actor, action, resource, allowed, detail``.

    See Also
    --------
    log_access : appends to it.

    References
    ----------
    NIST SP 800-53 Rev. 5, Section 3.3 (Audit and Accountability), control AU-3 "Content of
    Audit Records" (what, when, where, who, outcome).

    Examples
    --------
    >>> store = open_store(":memory:")
    >>> from infra_lab.governance import log_access
    >>> _ = log_access(store, "bob", "deploy", "model_version:1", False)
    >>> read_audit_log(store)[["actor", "allowed"]].values.tolist()
    [['bob', False]]
    """
    store = check_store(store)
    sql = "SELECT id, at, actor, action, resource, allowed, detail FROM audit_log"
    params: tuple = ()
    if resource is not None:
        sql, params = sql + " WHERE resource = ?", (checked_text("resource", resource),)
    df = pd.read_sql_query(sql + " ORDER BY id", store.connection, params=params)
    df["allowed"] = df["allowed"].astype(bool)
    return df


def table_counts(store: MetadataStore) -> dict[str, int]:
    """Rows per table of the store, e.g. to check that a write added only what it should.

    Parameters
    ----------
    store : MetadataStore

    Returns
    -------
    dict of str → int

    See Also
    --------
    schema_foreign_keys : how the tables link.

    References
    ----------
    SQLite documentation, *The Schema Table* (schematab.html), Section 1 "Introduction".

    Examples
    --------
    >>> table_counts(open_store(":memory:"))["audit_log"]
    0
    """
    store = check_store(store)
    names = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                       "ORDER BY name")]
    # Table names come from the schema itself; quoted as identifiers all the same.
    return {n: int(store.query('SELECT COUNT(*) FROM "' + n.replace('"', '""') + '"')[0][0]) for n in names}


def schema_foreign_keys(store: MetadataStore) -> pd.DataFrame:
    """Every foreign key of the schema (``PRAGMA foreign_key_list``), for a diagram or a check.

    Parameters
    ----------
    store : MetadataStore

    Returns
    -------
    pandas.DataFrame
        Columns ``table, column, ref_table, ref_column, indexed`` (whether an index starts with
        the column, so lookups along the key never scan).

    See Also
    --------
    table_counts

    References
    ----------
    SQLite documentation, *SQLite Foreign Key Support* (foreignkeys.html), Section 3
    "Required and Suggested Database Indexes".

    Examples
    --------
    >>> fks = schema_foreign_keys(open_store(":memory:"))
    >>> bool(fks["indexed"].all())
    True
    """
    store = check_store(store)
    tables = [r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                        "ORDER BY name")]
    rows = []
    for t in tables:
        first_cols = {r[0] for r in store.query(
            "SELECT ii.name FROM pragma_index_list(?) AS il JOIN pragma_index_info(il.name) AS ii WHERE ii.seqno = 0",
            (t,))}
        for _id, _seq, ref, col, ref_col, *_ in store.query("SELECT * FROM pragma_foreign_key_list(?)", (t,)):
            rows.append((t, col, ref, ref_col or "id", col in first_cols))
    return pd.DataFrame(rows, columns=["table", "column", "ref_table", "ref_column", "indexed"])
