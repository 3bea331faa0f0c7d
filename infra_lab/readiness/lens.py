r"""The article's readiness lens: seven dimensions, scored and averaged.

The article's Python workflow scores an infrastructure on **seven** dimensions — Data,
Compute, Storage, Serving, Observability, Security, Governance (its readiness table names
them ``data_pipeline``, ``compute_capacity``, ``storage_throughput``, ``serving_reliability``,
``observability``, ``security_controls``, ``governance_controls``) — and reports their mean
as ``infrastructure_readiness_score`` together with the lowest dimensions.

.. math:: Readiness_{lens} = \frac{1}{7} \sum_{d=1}^{7} s_d

These are the seven inputs of the article's readiness function
``Readiness = f(Data, Compute, Storage, Serving, Observability, Security, Governance)``. They
are **not** the six layers of its limits bound (:mod:`infra_lab.readiness.layers`: Data,
Compute, Storage, Serving, Reliability, Governance, Deployment ≤ min of the six). Observability and Security appear
only here; Reliability only there. Keep them apart.

>>> from infra_lab.article import readiness_table
>>> lens = readiness_lens(readiness_table())
>>> round(lens.score, 2), lens.lowest
(0.78, ('governance_controls', 'security_controls', 'compute_capacity'))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infra_lab._checks import count, data_array, frame, no_missing, require
from infra_lab._results import Result

__all__ = ["LENS_DIMENSIONS", "ARTICLE_DIMENSION_NAMES", "ReadinessLens", "readiness_lens"]

#: The seven dimensions of the article's readiness lens, in the article's order.
LENS_DIMENSIONS: tuple[str, ...] = ("Data", "Compute", "Storage", "Serving", "Observability", "Security",
                                    "Governance")

#: The article's readiness-table names for the seven dimensions.
ARTICLE_DIMENSION_NAMES: dict[str, str] = {
    "data_pipeline": "Data", "compute_capacity": "Compute", "storage_throughput": "Storage",
    "serving_reliability": "Serving", "observability": "Observability", "security_controls": "Security",
    "governance_controls": "Governance",
}


@dataclass(frozen=True)
class ReadinessLens(Result):
    """The article's seven-dimension readiness lens, scored.

    Attributes
    ----------
    score : float
        The mean of the seven scores (dimensionless, in [0, 1]): the article's
        ``infrastructure_readiness_score``.
    scores : dict
        Dimension label (as given) → score, in ``LENS_DIMENSIONS`` order.
    lowest : tuple of str
        The ``lowest`` lowest dimensions' labels, lowest first (ties in ``LENS_DIMENSIONS``
        order) — the memo's "Lowest readiness dimensions".
    weakest_dimension : str
        The lens name (one of ``LENS_DIMENSIONS``) of the lowest score.

    See Also
    --------
    readiness_lens : returns it.
    """

    score: float
    scores: dict
    lowest: tuple
    weakest_dimension: str


def _canonical(label: Any) -> str | None:
    key = str(label).strip()
    if key in ARTICLE_DIMENSION_NAMES:
        return ARTICLE_DIMENSION_NAMES[key]
    by_lower = {d.lower(): d for d in LENS_DIMENSIONS}
    return by_lower.get(key.lower())


def _lens_scores(scores: Any) -> tuple[list[str], np.ndarray]:
    """(labels, scores) in ``LENS_DIMENSIONS`` order from a table, a mapping or 7 numbers."""
    if hasattr(scores, "columns"):
        frame("scores", scores, ("dimension", "score"))
        no_missing("scores", scores, ("dimension", "score"))
        pairs = list(zip(scores["dimension"].tolist(), scores["score"].tolist()))
    elif hasattr(scores, "keys"):
        pairs = [(k, scores[k]) for k in scores.keys()]
    else:
        values = data_array("scores", scores, low=0.0, high=1.0)
        require(values.size == len(LENS_DIMENSIONS), "scores", scores,
                f"needs {len(LENS_DIMENSIONS)} scores in the order {list(LENS_DIMENSIONS)}")
        return list(LENS_DIMENSIONS), values
    by_dimension: dict[str, tuple[str, Any]] = {}
    for label, value in pairs:
        dim = _canonical(label)
        require(dim is not None, "scores", label,
                f"unknown dimension; use {list(LENS_DIMENSIONS)} or the article's {list(ARTICLE_DIMENSION_NAMES)}")
        require(dim not in by_dimension, "scores", label, f"dimension {dim} is given twice")
        by_dimension[dim] = (str(label), value)
    missing = [d for d in LENS_DIMENSIONS if d not in by_dimension]
    require(not missing, "scores", missing, "missing dimension(s); the lens needs all seven")
    labels = [by_dimension[d][0] for d in LENS_DIMENSIONS]
    values = data_array("scores", [by_dimension[d][1] for d in LENS_DIMENSIONS], low=0.0, high=1.0)
    return labels, values


def readiness_lens(scores: Any, lowest: int = 3) -> ReadinessLens:
    r"""Score the article's seven-dimension readiness lens: the mean and the lowest dimensions.

    .. math:: Readiness_{lens} = \frac{1}{7} \sum_{d \in D} s_d, \quad D = \{Data, Compute,
              Storage, Serving, Observability, Security, Governance\}

    Parameters
    ----------
    scores : pandas.DataFrame, mapping or sequence of 7 floats
        One score in [0, 1] (dimensionless) per dimension: the article's readiness table
        (columns ``dimension``, ``score``), a mapping dimension → score, or seven numbers in
        ``LENS_DIMENSIONS`` order. Dimensions may be named as the lens names them
        (``Data`` …, case-insensitive) or as the article's table does (``data_pipeline`` …).
    lowest : int, default 3
        How many of the lowest dimensions to report, 1 to 7.

    Returns
    -------
    ReadinessLens
        ``score`` (the mean), ``scores``, ``lowest`` and ``weakest_dimension``.

    See Also
    --------
    infra_lab.readiness.layers.readiness_score : the course's weighted mean of the six bound layers (a different set).
    infra_lab.readiness.layers.deployment_readiness_bound : the six-layer weakest-layer bound.

    References
    ----------
    The article, "Python workflow" (readiness table; ``infrastructure_readiness_score`` =
    mean score = 0.78; the memo's "Lowest readiness dimensions", the three lowest).

    Examples
    --------
    >>> from infra_lab.article import readiness_table
    >>> lens = readiness_lens(readiness_table())
    >>> round(lens.score, 2), lens.weakest_dimension
    (0.78, 'Governance')
    >>> readiness_lens([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3], lowest=2).lowest
    ('Governance', 'Security')
    """
    k = int(count("lowest", lowest, minimum=1, maximum=len(LENS_DIMENSIONS)))
    labels, values = _lens_scores(scores)
    order = np.argsort(values, kind="stable")  # ties keep the lens order
    return ReadinessLens(score=float(values.mean()),
                         scores={label: float(v) for label, v in zip(labels, values)},
                         lowest=tuple(labels[i] for i in order[:k]),
                         weakest_dimension=LENS_DIMENSIONS[int(order[0])])
