r"""Data quality, validation and training-serving skew.

The article treats data validation as infrastructure: schema, missingness, ranges, label
quality, drift, duplicates, outliers, leakage and feature consistency are checked before
training, before deployment and during live inference. This package gives each control of
the article's validation table a function, in five parts:

- :mod:`~infra_lab.quality.contracts` — data contracts: ``ColumnRule``, ``LabelRule``,
  ``Contract``, ``contract_from_dict``, ``load_contract``, ``ContractError``.
- :mod:`~infra_lab.quality.validation` — apply a contract: ``validate``,
  ``ValidationReport``, ``robust_z_scores``.
- :mod:`~infra_lab.quality.statistics` — two-sample drift statistics: PSI, KS, Jensen–Shannon,
  Wasserstein, chi-square (``KSResult``, ``ChiSquareResult``).
- :mod:`~infra_lab.quality.drift` — per-column drift of two tables: ``drift_report``,
  ``DriftReport``, ``DEFAULT_THRESHOLDS``.
- :mod:`~infra_lab.quality.leakage` — ``feature_consistency``, ``temporal_leakage``,
  ``target_leakage_scan``.
- :mod:`~infra_lab.quality.shift` — covariate, label and concept shift side by side:
  ``shift_components``, ``ShiftComponents``.

========================  ==========================================================
control                   function
========================  ==========================================================
schema validation         :func:`validate` (``schema_*`` checks of a :class:`Contract`)
range and distribution    :func:`validate` (``range``, ``allowed_values``, ``outlier``),
                          :func:`drift_report`
missingness               :func:`validate` (``missingness``)
duplicates, freshness     :func:`validate` (``unique_key``, ``freshness``)
label quality             :func:`validate` (``label_*`` checks of a :class:`LabelRule`)
feature consistency       :func:`feature_consistency` — :math:`F_{train}(D) = F_{serve}(D)`
leakage                   :func:`temporal_leakage`, :func:`target_leakage_scan`
drift / skew              :func:`drift_report` — :math:`P_{train}(X,Y) \ne P_{serve}(X,Y)`,
                          built on :func:`population_stability_index`, :func:`ks_test`,
                          :func:`jensen_shannon_distance`, :func:`wasserstein`,
                          :func:`chi_square_test`
========================  ==========================================================

Failing rows are *reported*, never dropped: what to do with them is a decision for the
pipeline owner, not for the validator. Old imports (``from infra_lab.quality import
drift_report``) keep working: everything is re-exported here.
"""

from __future__ import annotations

from . import contracts, drift, leakage, shift, statistics, validation
from .contracts import ColumnRule, Contract, ContractError, LabelRule, contract_from_dict, load_contract
from .drift import DEFAULT_THRESHOLDS, DriftReport, drift_report
from .leakage import feature_consistency, target_leakage_scan, temporal_leakage
from .statistics import (ChiSquareResult, KSResult, chi_square_test, jensen_shannon_distance, ks_test,
                         population_stability_index, wasserstein)
from .shift import ShiftComponents, shift_components
from .validation import ValidationReport, robust_z_scores, validate

__all__ = [*contracts.__all__, *validation.__all__, *statistics.__all__, *drift.__all__, *leakage.__all__, *shift.__all__]
