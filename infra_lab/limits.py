r"""Integration and limits: the weakest-layer bound as an analysis tool, and the article's
*Mathematical Lens* read from the course's formula registry.

Parts
-----
- :func:`bound_analysis` — what :math:`Deployment \le \min(\ldots)` says about where to invest:
  the bound, what the weighted mean hides, the gain from raising each layer, the shortfall to
  a target.
- :data:`LENS_FORMULAS` and :func:`mathematical_lens` — every formula of the article's
  Mathematical Lens with the one library function that computes it and the notebook that
  teaches it, generated from :data:`infra_lab.syllabus.FORMULAS`.

>>> mathematical_lens()["function"].str.rpartition(".")[2].tolist()[:3]
['training_flops', 'average_gradients', 'parallel_efficiency']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from infra_lab._checks import fraction
from infra_lab._results import Result
from infra_lab.readiness import LAYERS, deployment_readiness_bound, readiness_score

__all__ = ["BoundAnalysis", "bound_analysis", "LENS_FORMULAS", "mathematical_lens"]

#: The article's Mathematical Lens, in its order: (the formula as the article writes it, registry key).
LENS_FORMULAS: tuple[tuple[str, str], ...] = (
    ("C ≈ kND", "training_flops"),
    ("g_t = 1/n Σ g_{t,i}", "gradient_average"),
    ("E = T1/(n·Tn)", "parallel_efficiency"),
    ("Capacity = Replicas × Throughput", "capacity"),
    ("P_train(X, Y) ≠ P_serve(X, Y)", "training_serving_skew"),
    ("Reliability = 1 − P(Failure)", "reliability"),
    ("G = (V, E)", "dag"),
    ("O = {Metrics, Logs, Traces, Model signals, Data signals}", "observability_signals"),
    ("Readiness = f(Data, Compute, Storage, Serving, Observability, Security, Governance)", "readiness_lens"),
    ("Deployment ≤ min(Data, Compute, Storage, Serving, Reliability, Governance)", "deployment_bound"),
    ("Access(u, r) = Allowed iff Role(u) ∈ Permissions(r)", "access"),
)


@dataclass(frozen=True)
class BoundAnalysis(Result):
    r"""The weakest-layer bound read as a planning tool.

    Attributes
    ----------
    bound : float
        :math:`\min_l s_l`, the most a deployment can be ready.
    weakest_layer : str
        The layer that sets it (the first in ``LAYERS`` order on a tie).
    mean_score : float
        The equal-weight readiness score (the course's reading of the article's f).
    hidden_by_mean : float
        ``mean_score − bound``: how much the average hides.
    gain_per_layer : dict
        Layer → rise of the bound if that layer alone rose by ``improvement`` (capped at 1).
    shortfall_per_layer : dict
        Layer → :math:`\max(0, target - s_l)`, the improvement it needs for the bound to reach ``target``.
    total_shortfall : float
        Sum of the shortfalls: the least total improvement that lifts the bound to ``target``.

    See Also
    --------
    bound_analysis : computes it.
    infra_lab.readiness.ReadinessBound : the bound alone.
    """

    bound: float
    weakest_layer: str
    mean_score: float
    hidden_by_mean: float
    gain_per_layer: dict
    shortfall_per_layer: dict
    total_shortfall: float


def bound_analysis(layer_scores: Mapping[str, Any] | Sequence[float] | np.ndarray,
                   target: float = 0.8, improvement: float = 0.05) -> BoundAnalysis:
    r"""Where to invest, read from :math:`Deployment \le \min(Data, \ldots, Governance)`.

    .. math::

        B = \min_l s_l, \qquad
        \Delta_l = \min\bigl(\min(s_l + \delta, 1),\ \min_{k \ne l} s_k\bigr) - B, \qquad
        S(T) = \sum_l \max(0, T - s_l)

    Raising any layer but the weakest gains nothing (:math:`\Delta_l = 0`); the least total
    improvement that lifts the bound to a target :math:`T` is the sum of the shortfalls of the
    layers below it.

    Parameters
    ----------
    layer_scores : mapping or sequence of float
        The six layer scores in [0, 1], as for :func:`infra_lab.readiness.deployment_readiness_bound`.
    target : float, default 0.8
        The bound to reach, in [0, 1].
    improvement : float, default 0.05
        :math:`\delta`, the step each layer is raised by in ``gain_per_layer``; in [0, 1].

    Returns
    -------
    BoundAnalysis

    See Also
    --------
    infra_lab.readiness.deployment_readiness_bound : the bound.
    infra_lab.readiness.readiness_score : the weighted mean it is compared with.

    References
    ----------
    The article, Mathematical Lens (:math:`Deployment \le \min(\ldots)`); the shortfall sum
    follows from the definition of the minimum.

    Examples
    --------
    >>> a = bound_analysis({"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85,
    ...                     "Reliability": 0.6, "Governance": 0.75}, target=0.8, improvement=0.05)
    >>> a.bound, a.weakest_layer, round(a.hidden_by_mean, 4)
    (0.6, 'Reliability', 0.1667)
    >>> {k: round(v, 3) for k, v in a.gain_per_layer.items() if v}, round(a.total_shortfall, 3)
    ({'Reliability': 0.05}, 0.35)
    """
    b = deployment_readiness_bound(layer_scores)
    mean = float(readiness_score(layer_scores))
    t = float(fraction("target", target))
    d = float(fraction("improvement", improvement))
    scores = {layer: float(b.scores[layer]) for layer in LAYERS}
    gains, short = {}, {}
    for layer in LAYERS:
        others = min(v for k, v in scores.items() if k != layer)
        gains[layer] = float(min(min(scores[layer] + d, 1.0), others) - b.bound)
        short[layer] = float(max(0.0, t - scores[layer]))
    return BoundAnalysis(float(b.bound), b.weakest_layer, mean, mean - float(b.bound), gains, short,
                         float(sum(short.values())))


def mathematical_lens() -> pd.DataFrame:
    r"""The article's Mathematical Lens: each formula, its one library function and its notebook.

    Generated from :data:`infra_lab.syllabus.FORMULAS` (the registry every chapter extends),
    in the order of :data:`LENS_FORMULAS`. A lens formula missing from the registry is an
    error, so the table can never silently drop one.

    Parameters
    ----------
    None.

    Returns
    -------
    pandas.DataFrame
        Columns ``article`` (the formula as the article writes it), ``key``, ``latex``,
        ``function`` (dotted path), ``notebook`` (stem) and ``source``.

    See Also
    --------
    infra_lab.syllabus.formula : one registry entry.
    infra_lab.syllabus.resolve : import the function at a dotted path.

    References
    ----------
    The article, Mathematical Lens; the registry in ``infra_lab/syllabus.py``.

    Examples
    --------
    >>> lens = mathematical_lens()
    >>> lens.loc[lens["key"] == "capacity", ["function", "notebook"]].values.tolist()
    [['infra_lab.serving.capacity.serving_capacity_rps', '07_serving_capacity']]
    """
    from infra_lab.syllabus import formula

    rows = []
    for article, key in LENS_FORMULAS:
        f = formula(key)  # KeyError naming the missing key
        rows.append({"article": article, "key": key, "latex": f.latex, "function": f.function,
                     "notebook": f.notebook, "source": f.source})
    return pd.DataFrame(rows)
