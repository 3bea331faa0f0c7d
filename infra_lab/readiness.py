r"""Deployment readiness: the article's six layers, the weakest-layer bound and weighted risk.

The article's *Mathematical Lens* states

.. math::

    Readiness = f(Data, Compute, Storage, Serving, Reliability, Governance)

    Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)

It names the inputs of :math:`f` but not its form. The course reads :math:`f` as a
**weighted mean** of layer scores in [0, 1] (:func:`readiness_score`) and always reports it
*next to* the weakest-layer bound (:func:`deployment_readiness_bound`): a weighted mean can
hide a weak layer behind strong ones, the bound cannot. Mean and bound together are the
readiness profile; neither alone is the decision.

The article's technical-debt table ranks debt items by

.. math:: risk = technical\_debt \times criticality

with priority *high* when risk ≥ 0.35, *medium* when risk ≥ 0.25, *low* otherwise
(:func:`weighted_risk`, :func:`risk_priority`, :func:`risk_table`).
:func:`readiness_memo` turns a profile and a risk table into a short Markdown go/no-go memo.

>>> profile = {"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85,
...            "Reliability": 0.6, "Governance": 0.75}
>>> round(readiness_score(profile), 4)
0.7667
>>> b = deployment_readiness_bound(profile)
>>> b.bound, b.weakest_layer
(0.6, 'Reliability')
>>> risk_priority(weighted_risk(0.7, 0.5))
'high'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._checks import as_float_array, require, require_columns, scalar_or_array

__all__ = [
    "LAYERS",
    "HIGH_RISK_THRESHOLD",
    "MEDIUM_RISK_THRESHOLD",
    "ReadinessBound",
    "normalized_weights",
    "readiness_score",
    "deployment_readiness_bound",
    "weighted_risk",
    "risk_priority",
    "risk_table",
    "readiness_memo",
]

#: The six layers of the article's readiness function, in the article's order.
LAYERS: tuple[str, ...] = ("Data", "Compute", "Storage", "Serving", "Reliability", "Governance")

#: The article's technical-debt table: risk ≥ 0.35 is "high" priority.
HIGH_RISK_THRESHOLD: float = 0.35
#: The article's technical-debt table: 0.25 ≤ risk < 0.35 is "medium" priority.
MEDIUM_RISK_THRESHOLD: float = 0.25

# Risks are rounded to this many decimals before comparing with the thresholds, so that a
# product such as 0.7 × 0.5 that lands one ulp below 0.35 still reads as the 0.35 it means.
_RISK_DECIMALS = 12


@dataclass(frozen=True)
class ReadinessBound:
    """The weakest-layer bound on deployment readiness.

    Attributes
    ----------
    bound : float or numpy.ndarray
        :math:`\\min` of the layer scores (dimensionless, in [0, 1]); an array when the
        scores are arrays.
    weakest_layer : str or numpy.ndarray
        The layer that attains the minimum (the first in ``LAYERS`` order on a tie); an array
        of names when the scores are arrays.
    scores : dict
        Layer → score, in ``LAYERS`` order, as checked.
    """

    bound: Any
    weakest_layer: Any
    scores: dict


def _layer_matrix(layer_scores: Any, name: str = "layer_scores") -> np.ndarray:
    """Scores as a float array whose last axis is ``LAYERS`` (6 long), checked to be in [0, 1].

    Accepts a mapping layer → score (scalars or arrays that broadcast together; names are
    matched case-insensitively and all six layers are required) or an array-like whose last
    axis holds the six layers in ``LAYERS`` order.
    """
    if hasattr(layer_scores, "keys"):  # dict, pandas Series, any mapping
        given = {str(k): layer_scores[k] for k in layer_scores.keys()}
        canon = {layer.lower(): layer for layer in LAYERS}
        unknown = [k for k in given if k.strip().lower() not in canon]
        require(not unknown, name, sorted(unknown), f"unknown layer(s); the layers are {list(LAYERS)}")
        by_layer: dict[str, Any] = {}
        for key, value in given.items():
            layer = canon[key.strip().lower()]
            require(layer not in by_layer, name, key, f"layer {layer} is given twice")
            by_layer[layer] = value
        missing = [layer for layer in LAYERS if layer not in by_layer]
        require(not missing, name, missing, f"missing layer(s); give a score for each of {list(LAYERS)}")
        columns = [as_float_array(by_layer[layer], f"{name}[{layer!r}]") for layer in LAYERS]
        try:
            columns = np.broadcast_arrays(*columns)
        except ValueError:
            raise ValueError(f"{name}: the layers' score arrays have shapes "
                             f"{[c.shape for c in columns]} that do not broadcast together") from None
        scores = np.stack(columns, axis=-1)
        for layer, col in zip(LAYERS, columns):
            require((col >= 0) & (col <= 1), f"{name}[{layer!r}]", col, "must be a score in [0, 1]")
        return scores
    if isinstance(layer_scores, (str, bytes)):
        raise TypeError(f"{name}={layer_scores!r}: must be a mapping layer → score or an array of "
                        f"{len(LAYERS)} scores in the order {list(LAYERS)}")
    scores = as_float_array(layer_scores, name)
    require(scores.ndim >= 1 and scores.shape[-1] == len(LAYERS), name, layer_scores,
            f"an array of scores needs a last axis of {len(LAYERS)} in the order {list(LAYERS)}")
    require((scores >= 0) & (scores <= 1), name, layer_scores, "every score must be in [0, 1]")
    return scores


def _weights_vector(weights: Any) -> np.ndarray:
    """Non-negative weights in ``LAYERS`` order, normalised to sum 1."""
    if weights is None:
        return np.full(len(LAYERS), 1.0 / len(LAYERS))
    if hasattr(weights, "keys"):
        canon = {layer.lower(): layer for layer in LAYERS}
        unknown = sorted(str(k) for k in weights.keys() if str(k).strip().lower() not in canon)
        given = {str(k).strip().lower(): weights[k] for k in weights.keys()}
        require(not unknown, "weights", unknown, f"unknown layer(s); the layers are {list(LAYERS)}")
        missing = [layer for layer in LAYERS if layer.lower() not in given]
        require(not missing, "weights", missing, f"missing layer(s); give a weight for each of {list(LAYERS)}")
        w = as_float_array([given[layer.lower()] for layer in LAYERS], "weights")
    else:
        w = as_float_array(weights, "weights")
    require(w.shape == (len(LAYERS),), "weights", weights,
            f"needs one weight per layer, {len(LAYERS)} in the order {list(LAYERS)}")
    require(np.isfinite(w) & (w >= 0), "weights", weights, "every weight must be finite and ≥ 0")
    total = w.sum()
    require(total > 0, "weights", weights, "at least one weight must be > 0")
    return w / total


def normalized_weights(weights: Mapping[str, float] | Sequence[float] | None = None) -> dict:
    r"""The layer weights as :func:`readiness_score` uses them: non-negative, summing to 1.

    .. math:: \tilde w_l = w_l \Big/ \sum_{k} w_k

    The denominator of the course's weighted-mean reading of the article's readiness
    function (*Mathematical Lens*); weights are dimensionless relative importances.

    Parameters
    ----------
    weights : mapping, sequence of 6 floats, or None
        As for :func:`readiness_score`; ``None`` weighs the six layers equally.

    Returns
    -------
    dict
        Layer → normalised weight, in ``LAYERS`` order.

    Examples
    --------
    >>> normalized_weights([1, 1, 1, 1, 4, 2])["Reliability"]
    0.4
    >>> sum(normalized_weights().values())
    1.0
    """
    w = _weights_vector(weights)
    return {layer: float(x) for layer, x in zip(LAYERS, w)}


def readiness_score(layer_scores: Mapping[str, Any] | Sequence[float] | np.ndarray,
                    weights: Mapping[str, float] | Sequence[float] | None = None) -> Any:
    r"""Readiness as the weighted mean of the six layer scores.

    .. math:: Readiness = \sum_{l} w_l\, s_l \Big/ \sum_{l} w_l,
              \qquad l \in \{Data, Compute, Storage, Serving, Reliability, Governance\}

    Source: the article's *Mathematical Lens* states only
    ``Readiness = f(Data, Compute, Storage, Serving, Reliability, Governance)``; the weighted
    mean is **the course's** reading of ``f``. Report it together with
    :func:`deployment_readiness_bound` — the article's
    ``Deployment ≤ min(...)`` — because a high mean can hide one weak layer.

    Parameters
    ----------
    layer_scores : mapping or array-like
        Scores in [0, 1] (dimensionless). Either a mapping layer → score with all six
        ``LAYERS`` (case-insensitive; values may be arrays that broadcast), or an array whose
        last axis holds the six scores in ``LAYERS`` order.
    weights : mapping, sequence of 6 floats, or None
        Non-negative importance of each layer; normalised to sum 1. ``None`` weighs the
        layers equally.

    Returns
    -------
    float or numpy.ndarray
        The weighted mean, in [0, 1] (up to rounding); an array for array scores.

    Raises
    ------
    ValueError
        A missing or unknown layer, a score outside [0, 1], a negative weight or all-zero
        weights (the message names the parameter and the offending value).

    Examples
    --------
    >>> readiness_score([0.8, 0.9, 0.7, 0.85, 0.6, 0.75])
    0.7666666666666666
    >>> w = {"Data": 1, "Compute": 1, "Storage": 1, "Serving": 1, "Reliability": 4, "Governance": 1}
    >>> round(readiness_score({"Data": 1, "Compute": 1, "Storage": 1, "Serving": 1,
    ...                        "Reliability": 0.5, "Governance": 1}, weights=w), 4)
    0.7778
    >>> readiness_score([[1, 1, 1, 1, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]).tolist()
    [1.0, 0.5]
    """
    scores = _layer_matrix(layer_scores)
    w = _weights_vector(weights)
    # Elementwise product then sum (not a BLAS dot): the same summation order for every
    # call keeps the score exactly monotone in each layer.
    return scalar_or_array((scores * w).sum(axis=-1))


def deployment_readiness_bound(layer_scores: Mapping[str, Any] | Sequence[float] | np.ndarray) -> ReadinessBound:
    r"""The weakest-layer bound: deployment readiness cannot exceed the weakest layer.

    .. math:: Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)

    Source: the article, *Mathematical Lens*. Scores are dimensionless, in [0, 1].

    Parameters
    ----------
    layer_scores : mapping or array-like
        As for :func:`readiness_score`.

    Returns
    -------
    ReadinessBound
        ``bound`` (the minimum), ``weakest_layer`` (first in ``LAYERS`` order on a tie) and
        ``scores`` (layer → score).

    Examples
    --------
    >>> b = deployment_readiness_bound({"Data": 0.8, "Compute": 0.9, "Storage": 0.7,
    ...                                 "Serving": 0.85, "Reliability": 0.6, "Governance": 0.75})
    >>> b.bound, b.weakest_layer
    (0.6, 'Reliability')
    >>> deployment_readiness_bound([[0.9, 0.5, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0.2]]).weakest_layer.tolist()
    ['Compute', 'Governance']
    """
    scores = _layer_matrix(layer_scores)
    idx = np.argmin(scores, axis=-1)  # argmin returns the first minimum: LAYERS order breaks ties
    bound = scalar_or_array(np.min(scores, axis=-1))
    names = np.asarray(LAYERS)[idx]
    weakest = str(names) if np.ndim(names) == 0 else names
    by_layer = {layer: scalar_or_array(scores[..., i]) for i, layer in enumerate(LAYERS)}
    return ReadinessBound(bound=bound, weakest_layer=weakest, scores=by_layer)


def weighted_risk(technical_debt: Any, criticality: Any) -> Any:
    r"""Weighted risk of a technical-debt item: debt × criticality.

    .. math:: risk = technical\_debt \times criticality

    Source: the article's technical-debt table. Both inputs are dimensionless scores in
    [0, 1], so the risk is in [0, 1]. Broadcasts over numpy arrays.

    Parameters
    ----------
    technical_debt : float or array-like
        How much debt the item carries, in [0, 1].
    criticality : float or array-like
        How critical the affected component is, in [0, 1].

    Returns
    -------
    float or numpy.ndarray

    Examples
    --------
    >>> weighted_risk(0.7, 0.5)
    0.35
    >>> weighted_risk([0.8, 0.4], 0.5).tolist()
    [0.4, 0.2]
    """
    debt = as_float_array(technical_debt, "technical_debt")
    crit = as_float_array(criticality, "criticality")
    require((debt >= 0) & (debt <= 1), "technical_debt", technical_debt, "must be in [0, 1]")
    require((crit >= 0) & (crit <= 1), "criticality", criticality, "must be in [0, 1]")
    try:
        return scalar_or_array(debt * crit)
    except ValueError:
        raise ValueError(f"technical_debt (shape {debt.shape}) and criticality (shape {crit.shape}) "
                         "do not broadcast together") from None


def risk_priority(risk: Any) -> Any:
    """Priority of a weighted risk: "high" (≥ 0.35), "medium" (≥ 0.25) or "low".

    Source: the article's technical-debt table. The risk is rounded to 12 decimals before
    the comparison, so floating-point products that mean exactly 0.35 or 0.25 (such as
    0.7 × 0.5) land on the threshold's side the article intends.

    Parameters
    ----------
    risk : float or array-like
        Weighted risk in [0, 1] (see :func:`weighted_risk`).

    Returns
    -------
    str or numpy.ndarray of str

    Examples
    --------
    >>> risk_priority(0.35), risk_priority(0.25), risk_priority(0.2499)
    ('high', 'medium', 'low')
    >>> risk_priority([0.5, 0.3, 0.1]).tolist()
    ['high', 'medium', 'low']
    """
    r = as_float_array(risk, "risk")
    require((r >= 0) & (r <= 1), "risk", risk, "must be a weighted risk in [0, 1]")
    r = np.round(r, _RISK_DECIMALS)
    labels = np.where(r >= HIGH_RISK_THRESHOLD, "high", np.where(r >= MEDIUM_RISK_THRESHOLD, "medium", "low"))
    return str(labels) if labels.ndim == 0 else labels


def risk_table(df: pd.DataFrame, debt_col: str = "technical_debt",
               criticality_col: str = "criticality") -> pd.DataFrame:
    """A copy of a debt table with ``weighted_risk`` and ``priority`` columns, riskiest first.

    Columns are computed with :func:`weighted_risk` and :func:`risk_priority` (the article's
    technical-debt table); rows are sorted by risk, descending, ties kept in input order.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per debt item.
    debt_col, criticality_col : str
        Columns holding technical debt and criticality, each in [0, 1].

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``weighted_risk`` (dimensionless, in [0, 1]) and ``priority``
        ("high", "medium" or "low"), sorted by risk, descending; the input is not modified.

    Raises
    ------
    TypeError
        ``df`` is not a DataFrame.
    ValueError
        A column is missing, or a value is outside [0, 1] (named).

    Examples
    --------
    >>> items = pd.DataFrame({"item": ["a", "b", "c"], "technical_debt": [0.5, 0.7, 0.2],
    ...                       "criticality": [0.5, 0.5, 0.9]})
    >>> risk_table(items)[["item", "weighted_risk", "priority"]].to_dict("list")
    {'item': ['b', 'a', 'c'], 'weighted_risk': [0.35, 0.25, 0.18], 'priority': ['high', 'medium', 'low']}
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df={type(df).__name__}: must be a pandas DataFrame")
    require_columns(df, [debt_col, criticality_col], "df")
    out = df.copy()
    risk = weighted_risk(out[debt_col].to_numpy(dtype=float), out[criticality_col].to_numpy(dtype=float))
    out["weighted_risk"] = np.atleast_1d(risk)
    out["priority"] = np.atleast_1d(risk_priority(out["weighted_risk"].to_numpy()))
    # Stable sort so equal risks keep the author's order: the memo reads the same every run.
    return out.sort_values("weighted_risk", ascending=False, kind="mergesort").reset_index(drop=True)


def _num(x: float) -> str:
    """Up to 4 decimals, trailing zeros dropped: 0.6 → '0.6', 0.875 → '0.875', 0.3499 → '0.3499'."""
    text = f"{float(x):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def readiness_memo(layer_scores: Mapping[str, float] | Sequence[float],
                   risks: pd.DataFrame | None = None,
                   title: str = "Deployment readiness memo",
                   weights: Mapping[str, float] | Sequence[float] | None = None,
                   go_threshold: float = 0.7,
                   item_col: str = "item",
                   debt_col: str = "technical_debt",
                   criticality_col: str = "criticality",
                   top_risks: int = 5) -> str:
    """A Markdown go/no-go memo from a readiness profile and (optionally) a debt table.

    The decision rule is **the course's** (the article gives the bound, not a threshold):
    *GO* when the weakest-layer bound (:func:`deployment_readiness_bound`) is at least
    ``go_threshold`` and no debt item is "high" priority (:func:`risk_priority`);
    *NO-GO* otherwise, with the reasons. The memo has the decision, a layer table
    (score, weight, gap to the threshold), the top risks and recommended next actions.
    The text is deterministic (no dates or timestamps), so it can be diffed and tested.

    Parameters
    ----------
    layer_scores : mapping or sequence of 6 floats
        One score in [0, 1] per layer (scalars only).
    risks : pandas.DataFrame, optional
        Debt items with ``item_col``, ``debt_col`` and ``criticality_col``.
    title : str
        The memo's heading.
    weights : optional
        Layer weights for :func:`readiness_score`.
    go_threshold : float
        Minimum acceptable layer score, in [0, 1] (course default 0.7).
    item_col, debt_col, criticality_col : str
        Column names in ``risks``.
    top_risks : int
        How many debt items the memo lists (≥ 1).

    Returns
    -------
    str
        Markdown text ending in a newline.

    Examples
    --------
    >>> memo = readiness_memo([0.8, 0.9, 0.7, 0.85, 0.6, 0.75])
    >>> memo.splitlines()[2]
    '**Decision: NO-GO** — weakest layer **Reliability** at 0.6 is below the go threshold 0.7.'
    """
    require(isinstance(title, str) and title.strip() != "", "title", title, "must be a non-empty string")
    g = as_float_array(go_threshold, "go_threshold")
    require(g.ndim == 0 and 0 <= g <= 1, "go_threshold", go_threshold, "must be one number in [0, 1]")
    go = float(g)
    require(isinstance(top_risks, (int, np.integer)) and not isinstance(top_risks, bool) and top_risks >= 1,
            "top_risks", top_risks, "must be an integer ≥ 1")
    bound = deployment_readiness_bound(layer_scores)
    require(np.ndim(bound.bound) == 0, "layer_scores", layer_scores,
            "a memo needs one score per layer (scalars, not arrays)")
    score = readiness_score(layer_scores, weights)
    w = _weights_vector(weights)

    table = None
    if risks is not None:
        if not isinstance(risks, pd.DataFrame):
            raise TypeError(f"risks={type(risks).__name__}: must be a pandas DataFrame or None")
        require_columns(risks, [item_col, debt_col, criticality_col], "risks")
        table = risk_table(risks, debt_col, criticality_col)
    high = [] if table is None else table.loc[table["priority"] == "high", item_col].astype(str).tolist()

    # Same rounding as for risks: a score that means the threshold meets it.
    weak = [(layer, s) for layer, s in bound.scores.items() if round(s, _RISK_DECIMALS) < go]
    weak.sort(key=lambda x: (x[1], LAYERS.index(x[0])))
    decision_go = not weak and not high
    lines = [f"# {title}", ""]
    if decision_go:
        lines.append(f"**Decision: GO** — weakest layer **{bound.weakest_layer}** at {_num(bound.bound)} "
                     f"meets the go threshold {_num(go)}, and no debt item is high priority.")
    else:
        reasons = []
        if weak:
            reasons.append(f"weakest layer **{bound.weakest_layer}** at {_num(bound.bound)} is below "
                           f"the go threshold {_num(go)}")
        else:
            reasons.append(f"weakest layer **{bound.weakest_layer}** at {_num(bound.bound)} meets the "
                           f"go threshold {_num(go)}")
        if high:
            reasons.append(f"{len(high)} high-priority debt item(s): {', '.join(high)}")
        lines.append("**Decision: NO-GO** — " + "; ".join(reasons) + ".")
    lines += [
        "",
        f"- Readiness (weighted mean of the six layers, the course's reading of the article's "
        f"f): **{_num(score)}**",
        f"- Deployment bound (the article's Deployment ≤ min of the layers): **{_num(bound.bound)}** "
        f"({bound.weakest_layer})",
        f"- Rule: GO needs every layer ≥ {_num(go)} and no high-priority debt (risk ≥ "
        f"{_num(HIGH_RISK_THRESHOLD)}).",
        "",
        "## Layers",
        "",
        "| layer | score | weight | gap to threshold |",
        "|---|---:|---:|---:|",
    ]
    for i, (layer, s) in enumerate(bound.scores.items()):
        gap = _num(go - s) if layer in dict(weak) else "—"
        mark = " (weakest)" if layer == bound.weakest_layer else ""
        lines.append(f"| {layer}{mark} | {_num(s)} | {_num(w[i])} | {gap} |")
    lines += ["", "## Top risks", ""]
    if table is None or table.empty:
        lines.append("No technical-debt items were given.")
    else:
        lines += ["| item | technical debt | criticality | weighted risk | priority |",
                  "|---|---:|---:|---:|---:|"]
        for _, row in table.head(top_risks).iterrows():
            lines.append(f"| {row[item_col]} | {_num(row[debt_col])} | {_num(row[criticality_col])} | "
                         f"{_num(row['weighted_risk'])} | {row['priority']} |")
        if len(table) > top_risks:
            lines.append(f"\n({len(table) - top_risks} more item(s) not shown.)")
    lines += ["", "## Recommended next actions", ""]
    actions = []
    for layer, s in weak:
        note = " — it caps deployment readiness" if layer == bound.weakest_layer else ""
        actions.append(f"Raise **{layer}** from {_num(s)} to at least {_num(go)}{note}.")
    if table is not None:
        for _, row in table[table["priority"] == "high"].iterrows():
            actions.append(f"Pay down **{row[item_col]}** (weighted risk {_num(row['weighted_risk'])}, high).")
        for _, row in table[table["priority"] == "medium"].iterrows():
            actions.append(f"Schedule **{row[item_col]}** (weighted risk {_num(row['weighted_risk'])}, medium).")
    if not actions:
        actions.append("No blocking gaps: deploy, keep monitoring, and review again after the next release.")
    lines += [f"{i}. {a}" for i, a in enumerate(actions, start=1)]
    return "\n".join(lines) + "\n"
