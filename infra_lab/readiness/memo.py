"""The go/no-go readiness memo: a profile, its weakest-layer bound and the top debt risks, in Markdown.

>>> print(readiness_memo([0.8, 0.9, 0.7, 0.85, 0.6, 0.75]).splitlines()[0])
# Deployment readiness memo
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from infra_lab._checks import count, fraction, require, text

from .layers import LAYERS, _weights_vector, deployment_readiness_bound, readiness_score
from .risk import HIGH_RISK_THRESHOLD, _RISK_DECIMALS, _risk_frame

__all__ = ["readiness_memo"]


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

    See Also
    --------
    infra_lab.readiness.layers.deployment_readiness_bound : the bound the decision reads.
    infra_lab.readiness.risk.risk_table : the debt table it lists.

    References
    ----------
    The article, *Mathematical Lens* (``Deployment ≤ min(...)``) and "R workflow" (the
    governance memo with readiness, weighted risk and priorities); the go threshold and the
    memo's layout are the course's.

    Examples
    --------
    >>> memo = readiness_memo([0.8, 0.9, 0.7, 0.85, 0.6, 0.75])
    >>> memo.splitlines()[2]
    '**Decision: NO-GO** — weakest layer **Reliability** at 0.6 is below the go threshold 0.7.'
    """
    title = text("title", title)
    require(title.strip() != "", "title", title, "must not be blank")
    g = fraction("go_threshold", go_threshold)
    require(g.ndim == 0, "go_threshold", go_threshold, "must be one number in [0, 1]")
    go = float(g)
    top = int(count("top_risks", top_risks, minimum=1))
    item_col = text("item_col", item_col)
    bound = deployment_readiness_bound(layer_scores)
    require(np.ndim(bound.bound) == 0, "layer_scores", layer_scores,
            "a memo needs one score per layer (scalars, not arrays)")
    score = readiness_score(layer_scores, weights)
    w = _weights_vector(weights)

    table = None
    if risks is not None:
        table = _risk_frame("risks", risks, debt_col, criticality_col, allow_empty=True, extra=(item_col,))
    else:
        text("debt_col", debt_col), text("criticality_col", criticality_col)
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
        # The decision line names only what blocks; the layers' standing goes on its own line,
        # so a NO-GO never reads "… meets the go threshold".
        reasons = []
        if weak:
            reasons.append(f"weakest layer **{bound.weakest_layer}** at {_num(bound.bound)} is below "
                           f"the go threshold {_num(go)}")
        if high:
            reasons.append(f"{len(high)} high-priority debt item(s): {', '.join(high)}")
        lines.append("**Decision: NO-GO** — " + "; ".join(reasons) + ".")
        if not weak:
            lines += ["", f"Every layer is at or above the go threshold {_num(go)} (weakest: "
                          f"**{bound.weakest_layer}** at {_num(bound.bound)}); the high-priority debt "
                          "alone blocks the release."]
    lines += [
        "",
        f"- Weighted mean of the six layers (the course's summary, not the article's seven-input "
        f"readiness lens): **{_num(score)}**",
        f"- Deployment bound (the article's Deployment ≤ min of the six layers): **{_num(bound.bound)}** "
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
        for _, row in table.head(top).iterrows():
            lines.append(f"| {row[item_col]} | {_num(row[debt_col])} | {_num(row[criticality_col])} | "
                         f"{_num(row['weighted_risk'])} | {row['priority']} |")
        if len(table) > top:
            lines.append(f"\n({len(table) - top} more item(s) not shown.)")
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
