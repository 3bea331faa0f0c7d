r"""Deployment readiness: the seven-input lens, the six-layer bound, debt risk, the memo.

Parts (one module each):

* ``layers`` — the six layers of the article's limits bound, and the course's weighted mean of them.
* ``lens`` — the article's seven-input readiness lens (its readiness table), distinct from the six layers.
* ``risk`` — weighted risk = debt × criticality and its priority (the R workflow's thresholds).
* ``memo`` — the go/no-go Markdown memo.

>>> profile = {"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85,
...            "Reliability": 0.6, "Governance": 0.75}
>>> round(readiness_score(profile), 4), deployment_readiness_bound(profile).bound
(0.7667, 0.6)
"""

from .layers import LAYERS, ReadinessBound, deployment_readiness_bound, normalized_weights, readiness_score
from .lens import ARTICLE_DIMENSION_NAMES, LENS_DIMENSIONS, ReadinessLens, readiness_lens
from .memo import readiness_memo
from .risk import HIGH_RISK_THRESHOLD, MEDIUM_RISK_THRESHOLD, risk_priority, risk_table, weighted_risk

__all__ = [
    # layers
    "LAYERS", "ReadinessBound", "normalized_weights", "readiness_score", "deployment_readiness_bound",
    # lens
    "LENS_DIMENSIONS", "ARTICLE_DIMENSION_NAMES", "ReadinessLens", "readiness_lens",
    # risk
    "HIGH_RISK_THRESHOLD", "MEDIUM_RISK_THRESHOLD", "weighted_risk", "risk_priority", "risk_table",
    # memo
    "readiness_memo",
]
