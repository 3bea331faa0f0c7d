"""MLOps workflow, part 2: monitoring and retraining triggers.

:func:`retraining_decision` turns drift (PSI per feature, from :mod:`infra_lab.quality`) and a
performance drop (AUC) into a retrain/keep decision; :func:`monitor_deployment` computes the PSIs
of a deployment's serving data and records the report in the store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from infra_lab._checks import count, data_array, fraction, frame, number, text
from infra_lab._results import Result
from infra_lab.governance.operations import record_monitoring_report
from infra_lab.governance.store import MetadataStore, check_store
from infra_lab.quality import population_stability_index

__all__ = ["RetrainingDecision", "retraining_decision", "monitor_deployment"]


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
    Michigan University, 2018 (PSI < 0.1, 0.1–0.25, > 0.25); Breck et al., "The ML
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
    Yurdakul 2018 (PSI reading); Breck et al., "The ML Test Score", IEEE Big Data
    2017, Table 4.

    Examples
    --------
    >>> from infra_lab.mlops import build_example_store
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
