"""MLOps workflow, part 1: evaluation gate, promotion, deployment (canary), rollback, retirement.

A model version moves ``registered → staging → production → archived``; ``staging`` needs a
passing evaluation, ``production`` a passing evaluation **and** an approval (the latest
decision), checked inside the same transaction that moves it. :func:`deploy` records the current
production version as the rollback target; :func:`rollback` returns to it in one recorded call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infra_lab._checks import count, data_array, fraction, option, require
from infra_lab._results import Result
from infra_lab.governance.records import _audit
from infra_lab.governance.registry import _set_stage, record_evaluation
from infra_lab.governance.store import MetadataStore, check_store, checked_text
from infra_lab.storage import roc_auc

__all__ = ["StageChange", "RollbackResult", "evaluate_candidate", "promote", "deploy", "rollback", "retire"]


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
    Hanley & McNeil, *Radiology* 143(1), 1982 (AUC as the Mann–Whitney statistic);
    Breck et al., "The ML Test Score", IEEE Big Data 2017, Table 2.

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
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
    >>> from infra_lab.mlops import build_example_store
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
    >>> from infra_lab.mlops import build_example_store
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
    >>> from infra_lab.mlops import build_example_store
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
    >>> from infra_lab.mlops import build_example_store
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
