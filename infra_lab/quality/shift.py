r"""Which kind of shift: covariate, label (prior) or concept.

Training-serving skew is one thing — :math:`P_{train}(X, Y) \ne P_{serve}(X, Y)` — with
three faces, told apart by which factor of the joint distribution moved:

- **covariate shift**: :math:`P(X)` changes, :math:`P(Y \mid X)` does not;
- **label (prior probability) shift**: :math:`P(Y)` changes, :math:`P(X \mid Y)` does not;
- **concept shift**: :math:`P(Y \mid X)` changes — the same input now means another outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import count, data_array, finite_result, require
from .._results import Result
from .statistics import population_stability_index

__all__ = ["ShiftComponents", "shift_components"]


@dataclass(frozen=True)
class ShiftComponents(Result):
    """One statistic per kind of shift between a reference and a current labelled sample.

    Attributes
    ----------
    covariate_psi : float
        PSI of the feature, reference-quantile bins (-): has :math:`P(X)` moved?
    prevalence_reference : float
        Share of positive labels in the reference sample (-).
    prevalence_current : float
        Share of positive labels in the current sample (-).
    label_shift : float
        ``prevalence_current - prevalence_reference`` (-): has :math:`P(Y)` moved?
    concept_shift : float
        Current-weighted mean over bins of :math:`|P_{cur}(Y=1 \\mid b) - P_{ref}(Y=1 \\mid b)|`
        (-), in [0, 1]: has :math:`P(Y \\mid X)` moved?

    See Also
    --------
    shift_components : computes it.
    """

    covariate_psi: float
    prevalence_reference: float
    prevalence_current: float
    label_shift: float
    concept_shift: float


def _labels(name: str, y: Any) -> np.ndarray:
    if isinstance(y, (np.ndarray, list, tuple)) and len(y) and np.asarray(y).dtype == bool:
        y = np.asarray(y, dtype=float)  # True/False labels are 1/0; a bare True is still refused
    arr = data_array(name, y, low=0.0, high=1.0)
    require(np.isin(arr, (0.0, 1.0)), name, y, "must hold labels 0/1 (or True/False) only")
    return arr


def shift_components(x_reference: Any, y_reference: Any, x_current: Any, y_current: Any,
                     bins: int = 10) -> ShiftComponents:
    r"""Covariate, label and concept shift of one feature and a binary label, side by side.

    With bins :math:`b` cut at the reference sample's quantiles of :math:`x`:

    .. math::
        covariate = PSI(x_{ref}, x_{cur}), \qquad
        label = \bar y_{cur} - \bar y_{ref}, \qquad
        concept = \sum_b w_b \left| \bar y_{cur, b} - \bar y_{ref, b} \right|

    where :math:`\bar y_{\cdot, b}` is the positive rate in bin *b* and :math:`w_b` the share
    of current rows in *b* (over bins that hold rows of both samples).

    Parameters
    ----------
    x_reference : array_like
        The feature in the reference (training) sample, any unit; finite, no NaN.
    y_reference : array_like
        Labels 0/1 of the reference sample, one per ``x_reference``; both classes need not occur.
    x_current : array_like
        The same feature in the current (serving) sample, same unit; finite, no NaN.
    y_current : array_like
        Labels 0/1 of the current sample, one per ``x_current``.
    bins : int, default 10
        Number of reference-quantile bins, [2, 1000]; tied quantiles merge bins.

    Returns
    -------
    ShiftComponents

    See Also
    --------
    population_stability_index : the covariate statistic.
    drift_report : per-column drift of whole tables (features only, no labels).

    References
    ----------
    J. G. Moreno-Torres, T. Raeder, R. Alaiz-Rodríguez, N. V. Chawla, F. Herrera, "A unifying
    view on dataset shift in classification", *Pattern Recognition* 45(1):521–530, 2012 (the
    definitions of covariate shift, prior probability shift and concept shift used here).
    A. Storkey, "When training and test sets are different", Chapter 1 of Quiñonero-Candela
    et al. (eds.), *Dataset Shift in Machine Learning*, MIT Press, 2009.

    Examples
    --------
    Same inputs, same label rate, but the label flipped for every input: pure concept shift.

    >>> x = [0, 1, 2, 3, 4, 5, 6, 7]
    >>> s = shift_components(x, [0, 0, 0, 0, 1, 1, 1, 1], x, [1, 1, 1, 1, 0, 0, 0, 0], bins=2)
    >>> (round(s.covariate_psi, 12), s.label_shift, s.concept_shift)
    (0.0, 0.0, 1.0)
    """
    xr = data_array("x_reference", x_reference)
    yr = _labels("y_reference", y_reference)
    xc = data_array("x_current", x_current)
    yc = _labels("y_current", y_current)
    require(yr.size == xr.size, "y_reference", y_reference, f"needs one label per x_reference value ({xr.size})")
    require(yc.size == xc.size, "y_current", y_current, f"needs one label per x_current value ({xc.size})")
    k = int(count("bins", bins, minimum=2, maximum=1000))
    psi = float(population_stability_index(xr, xc, bins=k))
    inner = np.unique(np.quantile(xr, np.linspace(0, 1, k + 1)[1:-1]))
    br, bc = np.searchsorted(inner, xr, side="right"), np.searchsorted(inner, xc, side="right")
    nb = inner.size + 1
    n_r, n_c = np.bincount(br, minlength=nb), np.bincount(bc, minlength=nb)
    pos_r, pos_c = np.bincount(br, weights=yr, minlength=nb), np.bincount(bc, weights=yc, minlength=nb)
    both = (n_r > 0) & (n_c > 0)
    rate_r = pos_r[both] / n_r[both]
    rate_c = pos_c[both] / n_c[both]
    w = n_c[both] / n_c[both].sum()
    concept = float(np.sum(w * np.abs(rate_c - rate_r)))
    pr, pc = float(yr.mean()), float(yc.mean())
    return ShiftComponents(covariate_psi=finite_result("covariate_psi", psi), prevalence_reference=pr,
                           prevalence_current=pc, label_shift=pc - pr, concept_shift=concept)
