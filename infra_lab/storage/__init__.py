"""Storage and feature stores: point-in-time joins, freshness, availability, online stores.

The article's storage section names what makes a feature usable by a model —
*Availability = f(Freshness, Consistency, Latency, Completeness)* — and this package makes
each factor measurable and implements the operation a feature store exists for, the
point-in-time (as-of) join. Its parts, one line each:

* :mod:`infra_lab.storage.joins` — point-in-time join, the naive join that leaks, the leaked share.
* :mod:`infra_lab.storage.freshness` — feature age and freshness, completeness, availability.
* :mod:`infra_lab.storage.online` — the online store materialised from the offline store, and
  the online/offline consistency check.
* :mod:`infra_lab.storage.registry` — the feature catalogue and a check that a table honours it.
* :mod:`infra_lab.storage.checkpoint` — checkpoint size, storage bandwidth and write time.

The general statistics once kept here (``fit_logistic``, ``roc_auc``,
``paired_bootstrap_auc``) live in :mod:`infra_lab.stats`; they are re-exported below so
``from infra_lab.storage import roc_auc`` keeps working for this release.

Times may be numbers (read as seconds) or datetimes (time-zone-aware or naive, but not
mixed). All functions are vectorised; none loops over rows in Python.
"""

from __future__ import annotations

from . import checkpoint, freshness, joins, online, registry
from .freshness import (AvailabilityFactors, FreshnessStats, availability_factors, feature_age_s,
                        feature_age_seconds, feature_availability, feature_completeness, feature_freshness,
                        usable_share)
from .joins import leakage_share, naive_latest_join, period_to_date_join, point_in_time_join
from .online import ConsistencyReport, check_online_offline_consistency, materialize_online
from .registry import FeatureDefinition, FeatureRegistry, validate_features
from .checkpoint import checkpoint_size_bytes, checkpoint_write_time_s, pcie_bandwidth_bytes_per_s
# Re-exported from infra_lab.stats for old imports (not part of this package's __all__).
from ..stats import AucComparison, LogisticModel, fit_logistic, paired_bootstrap_auc, roc_auc

__all__ = joins.__all__ + freshness.__all__ + online.__all__ + registry.__all__ + checkpoint.__all__
