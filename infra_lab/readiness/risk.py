r"""Technical-debt risk: weighted risk = debt × criticality, and its priority.

.. math:: risk = technical\_debt \times criticality

Priority *high* when risk ≥ 0.35, *medium* when risk ≥ 0.25, *low* otherwise — the thresholds
of the article's R workflow (its components table).

>>> risk_priority(weighted_risk(0.7, 0.5))
'high'
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from infra_lab._checks import data_array, flag, fraction, frame, no_missing, require_columns, scalar_or_array, text

__all__ = ["HIGH_RISK_THRESHOLD", "MEDIUM_RISK_THRESHOLD", "weighted_risk", "risk_priority", "risk_table"]

#: The article's R workflow: weighted risk ≥ 0.35 is "high" priority.
HIGH_RISK_THRESHOLD: float = 0.35
#: The article's R workflow: 0.25 ≤ weighted risk < 0.35 is "medium" priority.
MEDIUM_RISK_THRESHOLD: float = 0.25

# Risks are rounded to this many decimals before comparing with the thresholds, so that a
# product such as 0.7 × 0.5 that lands one ulp below 0.35 still reads as the 0.35 it means.
_RISK_DECIMALS = 12


def weighted_risk(technical_debt: Any, criticality: Any) -> Any:
    r"""Weighted risk of a technical-debt item: debt × criticality.

    .. math:: risk = technical\_debt \times criticality

    Both inputs are dimensionless scores in [0, 1], so the risk is in [0, 1]. Broadcasts
    over numpy arrays.

    Parameters
    ----------
    technical_debt : float or array-like
        How much debt the item carries, in [0, 1].
    criticality : float or array-like
        How critical the affected component is, in [0, 1].

    Returns
    -------
    float or numpy.ndarray
        The weighted risk, in [0, 1].

    See Also
    --------
    risk_priority : high / medium / low from the risk.
    risk_table : both columns added to a debt table.

    References
    ----------
    The article, "R workflow" (components table: ``weighted_risk = technical_debt *
    criticality``; observability 0.42 × 0.88 ≈ 0.37).

    Examples
    --------
    >>> weighted_risk(0.42, 0.88)  # the article's observability component
    0.3696
    >>> weighted_risk([0.8, 0.4], 0.5).tolist()
    [0.4, 0.2]
    """
    debt = fraction("technical_debt", technical_debt)
    crit = fraction("criticality", criticality)
    try:
        return scalar_or_array(debt * crit)
    except ValueError:
        raise ValueError(f"technical_debt (shape {debt.shape}) and criticality (shape {crit.shape}) "
                         "do not broadcast together") from None


def risk_priority(risk: Any) -> Any:
    r"""Priority of a weighted risk: "high" (≥ 0.35), "medium" (≥ 0.25) or "low".

    .. math:: priority = \begin{cases} high & risk \ge 0.35 \\ medium & 0.25 \le risk < 0.35
              \\ low & risk < 0.25 \end{cases}

    The risk is rounded to 12 decimals before the comparison, so floating-point products
    that mean exactly 0.35 or 0.25 (such as 0.7 × 0.5) land on the threshold's side the
    article intends.

    Parameters
    ----------
    risk : float or array-like
        Weighted risk in [0, 1] (see :func:`weighted_risk`).

    Returns
    -------
    str or numpy.ndarray of str

    See Also
    --------
    weighted_risk : computes the risk.

    References
    ----------
    The article, "R workflow" (``priority`` high if weighted_risk ≥ 0.35, medium if ≥ 0.25,
    else low).

    Examples
    --------
    >>> risk_priority(0.35), risk_priority(0.25), risk_priority(0.2499)
    ('high', 'medium', 'low')
    >>> risk_priority([0.5, 0.3, 0.1]).tolist()
    ['high', 'medium', 'low']
    """
    r = np.round(fraction("risk", risk), _RISK_DECIMALS)
    labels = np.where(r >= HIGH_RISK_THRESHOLD, "high", np.where(r >= MEDIUM_RISK_THRESHOLD, "medium", "low"))
    return str(labels) if labels.ndim == 0 else labels


def _risk_frame(name: str, df: Any, debt_col: Any, criticality_col: Any, *, sort: bool = True,
                allow_empty: bool = False, extra: tuple = ()) -> pd.DataFrame:
    """``df`` checked (named ``name``) with weighted_risk and priority added."""
    debt_col = text("debt_col", debt_col)
    criticality_col = text("criticality_col", criticality_col)
    frame(name, df, allow_empty=allow_empty)
    require_columns(df, [*extra, debt_col, criticality_col], name)
    no_missing(name, df, [*extra, debt_col, criticality_col])
    out = df.copy()
    if len(out):
        debt = data_array(f"{name}[{debt_col!r}]", out[debt_col], low=0.0, high=1.0)
        crit = data_array(f"{name}[{criticality_col!r}]", out[criticality_col], low=0.0, high=1.0)
        out["weighted_risk"] = debt * crit
        out["priority"] = np.atleast_1d(risk_priority(out["weighted_risk"].to_numpy()))
    else:
        out["weighted_risk"] = pd.Series(dtype=float)
        out["priority"] = pd.Series(dtype=object)
    if sort:  # stable, so equal risks keep the author's order and the memo reads the same every run
        out = out.sort_values("weighted_risk", ascending=False, kind="mergesort")
    return out.reset_index(drop=True)


def risk_table(df: pd.DataFrame, debt_col: str = "technical_debt",
               criticality_col: str = "criticality", sort: bool = True) -> pd.DataFrame:
    r"""A copy of a debt table with ``weighted_risk`` and ``priority`` columns, riskiest first.

    .. math:: risk_i = technical\_debt_i \times criticality_i

    Columns are computed as :func:`weighted_risk` and :func:`risk_priority` do.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per debt item (at least one), no missing values in the two columns.
    debt_col, criticality_col : str
        Columns holding technical debt and criticality, each in [0, 1].
    sort : bool, default True
        Sort by risk, descending (ties kept in input order); ``False`` keeps the input
        order, as the article's R workflow prints its components table.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``weighted_risk`` (dimensionless, in [0, 1]) and ``priority``
        ("high", "medium" or "low"); the input is not modified.

    Raises
    ------
    TypeError
        ``df`` is not a DataFrame.
    ValueError
        A column is missing, or a value is missing or outside [0, 1] (named).

    See Also
    --------
    weighted_risk, risk_priority : the two columns.

    References
    ----------
    The article, "R workflow" (components table with ``weighted_risk`` and ``priority``).

    Examples
    --------
    >>> from infra_lab.article import infrastructure_components
    >>> t = risk_table(infrastructure_components(), sort=False)
    >>> t.loc[t["priority"] == "high", "component"].tolist()
    ['observability', 'governance_controls']
    >>> round(t["weighted_risk"].mean(), 3)
    0.289
    """
    return _risk_frame("df", df, debt_col, criticality_col, sort=flag("sort", sort))
