r"""General statistics the course needs and ships without scikit-learn.

* :func:`fit_logistic` — a logistic regression fitted by Newton's method (IRLS), returning a
  :class:`LogisticModel`.
* :func:`roc_auc` — the area under the ROC curve through the Mann–Whitney rank statistic.
* :func:`paired_bootstrap_auc` — two scores of the same rows and a paired percentile-
  bootstrap interval of their AUC difference (an :class:`AucComparison`).

Labels are 0/1 (or ``True``/``False``); NaN in labels, scores or features is refused with
its position — decide about missing values before fitting or scoring.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import count, data_array, finite_result, nonnegative, number, seed as _seed
from ._results import Result

__all__ = ["LogisticModel", "fit_logistic", "roc_auc", "AucComparison", "paired_bootstrap_auc"]

#: Most resampled rows ``n_boot × n`` held in memory at once (int64 indices: 400 MB).
MAX_BOOT_CELLS = 50_000_000


# --------------------------------------------------------------------------- input helpers

def _labels(name: str, values: Any) -> np.ndarray:
    """0/1 labels as a float vector; a boolean *array* is fine (a lone ``True`` is not)."""
    if not isinstance(values, (bool, np.bool_, str, bytes)) and values is not None:
        arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
        if arr.dtype.kind == "b":
            values = arr.astype(float)
    t = data_array(name, values)
    bad = ~np.isin(t, (0.0, 1.0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}: must contain only 0 and 1 (or True/False); position {i} holds {t[i]:g}")
    return t


def _features(name: str, values: Any, columns: int | None = None) -> np.ndarray:
    """A 2-D float matrix rows × features (a 1-D input is one feature); no NaN, no inf."""
    x = data_array(name, values, ndim=None)
    if x.ndim == 1:
        x = x[:, None] if columns in (None, 1) else x[None, :]
    if x.ndim != 2:
        raise ValueError(f"{name}: must be 2-D (rows × features); got shape {x.shape}")
    if columns is not None and x.shape[1] != columns:
        raise ValueError(f"{name}: must have {columns} column(s), as in training; got shape {x.shape}")
    return x


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):  # exp(1000) = inf → p = 0 exactly, the right limit
        return 1.0 / (1.0 + np.exp(-z))


# --------------------------------------------------------------------------- logistic regression

@dataclass(frozen=True)
class LogisticModel(Result):
    """A fitted logistic regression :math:`p = \\sigma(b_0 + x^T b)` (raw feature units).

    Attributes
    ----------
    intercept : float
        :math:`b_0`, the log-odds at all features 0.
    coef : numpy.ndarray
        One coefficient per feature column, in log-odds per unit of that feature.
    iterations : int
        Newton steps taken.

    See Also
    --------
    fit_logistic : returns it.
    """

    intercept: float
    coef: np.ndarray
    iterations: int

    def predict_proba(self, X: Any) -> np.ndarray:
        """Predicted probability of the positive class for each row of ``X`` (no NaN, finite)."""
        x = _features("X", X, columns=self.coef.size)
        return _sigmoid(self.intercept + x @ self.coef)


def fit_logistic(X: Any, y: Any, l2: float = 0.0, max_iter: int = 100, tol: float = 1e-10) -> LogisticModel:
    r"""Fit a logistic regression by Newton's method (iteratively reweighted least squares).

    .. math::
        \max_b \sum_i y_i \ln p_i + (1 - y_i)\ln(1 - p_i) - \tfrac{\lambda}{2}\|b\|^2,
        \qquad p_i = \sigma(b_0 + x_i^T b)

    The Newton step solves :math:`(X^T W X + \lambda I)\,\Delta = X^T (y - p) - \lambda b`
    with :math:`W = diag(p(1-p))`. Features are standardised internally for a
    well-conditioned solve and the coefficients returned in the original units; ``l2``
    (:math:`\lambda`) acts on the standardised coefficients, never on the intercept.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Features in their own units (a 1-D array is one feature); every column must vary;
        no NaN (the message gives the row and column), finite.
    y : array_like, shape (n,)
        Labels 0/1 or True/False, one per row of ``X``, both classes present.
    l2 : float
        Ridge penalty :math:`\lambda` ≥ 0 on the standardised coefficients (-).
    max_iter : int
        Newton steps at most (≥ 1); not converging within them is an error.
    tol : float
        Stop when no coefficient moves more than this (standardised units, ≥ 0).

    Returns
    -------
    LogisticModel

    Raises
    ------
    ValueError
        NaN/inf in ``X`` or ``y``, labels other than 0/1, one class only, a constant
        column, or no convergence within ``max_iter`` steps — classes that are perfectly
        separable with ``l2=0`` have no maximum-likelihood fit.

    See Also
    --------
    roc_auc : scores the fitted model's probabilities.

    References
    ----------
    Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., 2009,
    §4.4.1 (fitting logistic regression models: Newton–Raphson / IRLS). Worked example:
    Wikipedia, "Logistic regression", Section "Example" (hours of study vs passing an exam:
    intercept −4.0777, hours 1.5046).

    Examples
    --------
    >>> hours = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50,
    ...          2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50]
    >>> passed = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> m = fit_logistic(np.array(hours)[:, None], passed)
    >>> round(m.intercept, 4), round(float(m.coef[0]), 4)
    (-4.0777, 1.5046)
    """
    x = _features("X", X)
    t = _labels("y", y)
    if t.size != x.shape[0]:
        raise ValueError(f"y: must have one label per row of X ({x.shape[0]}); got {t.size}")
    if not 0 < t.sum() < t.size:
        raise ValueError(f"y: has only one class ({int(t.sum())} of {t.size} positive); the fit needs both")
    lam = float(nonnegative("l2", l2))
    steps = int(count("max_iter", max_iter, minimum=1))
    tolerance = float(nonnegative("tol", tol))
    mu, sd = x.mean(axis=0), x.std(axis=0)
    if not (sd > 0).all():
        raise ValueError(f"X: column(s) {np.flatnonzero(~(sd > 0)).tolist()} are constant; every feature "
                         "must vary (a constant column has no coefficient)")
    z = np.column_stack([np.ones(len(x)), (x - mu) / sd])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], lam)
    penalty[0] = 0.0
    it, converged = 0, False
    for it in range(1, steps + 1):  # Newton steps (a handful), not a loop over data
        p = _sigmoid(z @ beta)
        grad = z.T @ (t - p) - penalty * beta
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess + 1e-12 * np.eye(len(beta)), grad)
        beta = beta + step
        if not np.isfinite(beta).all():
            break
        if np.max(np.abs(step)) <= tolerance:
            converged = True
            break
    if np.isfinite(beta).all() and not converged:
        # Returning the last iterate would be a silent wrong answer: on separable classes the
        # maximum-likelihood coefficients do not exist and grow without bound.
        raise ValueError(f"max_iter={max_iter!r}: the fit did not converge in {steps} Newton step(s) (last "
                         f"step {np.max(np.abs(step)):.3g} > tol={tolerance:g}); the classes may be "
                         "perfectly separable (pass l2 > 0) or max_iter too small")
    coef = beta[1:] / sd
    intercept = beta[0] - np.sum(coef * mu)
    finite_result("fit_logistic", np.append(coef, intercept),
                  "the classes are perfectly separable or the features too large; pass l2 > 0")
    return LogisticModel(intercept=float(intercept), coef=coef, iterations=it)


# --------------------------------------------------------------------------- ROC AUC

def _midranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks, tied values sharing their mean rank (scipy.stats.rankdata's 'average')."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts  # 0-based rank of each distinct value's first copy
    return (first + (counts + 1) / 2.0)[inverse.ravel()]


def _labels_and_scores(y_true: Any, scores: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    t = _labels("y_true", y_true)
    out = []
    for name, values in scores.items():
        s = data_array(name, values)
        if s.size != t.size:
            raise ValueError(f"{name}: must have one value per label ({t.size}); got {s.size}")
        out.append(s)
    n_pos = int(t.sum())
    if n_pos == 0 or n_pos == t.size:
        raise ValueError(f"y_true: has only one class ({n_pos} positive, {t.size - n_pos} negative); "
                         "the AUC needs both")
    return t, out


def roc_auc(y_true: Any, score: Any) -> float:
    r"""Area under the ROC curve via the rank statistic (Mann–Whitney U).

    .. math:: AUC = \frac{U}{n_+ n_-} = \frac{R_+ - n_+(n_+ + 1)/2}{n_+ n_-}

    where :math:`R_+` is the sum of the (mid-)ranks of the positives' scores: the
    probability that a random positive scores above a random negative, ties counting ½.
    0.5 is chance, 1 perfect.

    Parameters
    ----------
    y_true : array_like
        Labels 0/1 or True/False, both classes present, no NaN.
    score : array_like
        One finite score per label, any unit; larger means "more likely positive".

    Returns
    -------
    float
        AUC in [0, 1] (-).

    See Also
    --------
    paired_bootstrap_auc : two AUCs on the same rows and an interval of their difference.
    fit_logistic : a model whose probabilities this scores.

    References
    ----------
    Hanley & McNeil, "The meaning and use of the area under a receiver operating
    characteristic (ROC) curve", *Radiology* 143(1):29–36, 1982, Table I (the worked example
    below, area 0.893) and its relation of the area to the Wilcoxon/Mann–Whitney statistic;
    Mann & Whitney, *Ann. Math. Statist.* 18(1):50–60, 1947 (the U statistic).

    Examples
    --------
    Hanley & McNeil 1982, Table I: 58 normal and 51 abnormal CT images rated 1-5; area 0.893:

    >>> normal   = [1] * 33 + [2] * 6 + [3] * 6 + [4] * 11 + [5] * 2
    >>> abnormal = [1] * 3 + [2] * 2 + [3] * 2 + [4] * 11 + [5] * 33
    >>> round(roc_auc([0] * 58 + [1] * 51, normal + abnormal), 3)
    0.893
    """
    t, (s,) = _labels_and_scores(y_true, {"score": score})
    n_pos = int(t.sum())
    n_neg = t.size - n_pos
    ranks = _midranks(s)  # ties share their mean rank, so a tie counts one half
    return float((ranks[t == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@dataclass(frozen=True)
class AucComparison(Result):
    """Two scores of the same labels and their difference with a bootstrap interval.

    Attributes
    ----------
    auc_a, auc_b : float
        AUC of ``score_a`` and ``score_b`` on all rows (-).
    diff : float
        ``auc_b - auc_a`` (-).
    diff_low, diff_high : float
        Percentile-bootstrap interval of the difference at ``level`` (-).
    n_boot : int
        Resamples drawn.
    level : float
        Interval coverage in (0, 1).

    See Also
    --------
    paired_bootstrap_auc : returns it.
    """

    auc_a: float
    auc_b: float
    diff: float
    diff_low: float
    diff_high: float
    n_boot: int
    level: float


def _bootstrap_aucs(t: np.ndarray, s: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """AUC of every resample (rows of ``idx``) at once, with mid-ranks for ties.

    Scores are replaced by their dense rank among the distinct values; one ``bincount`` per
    class then gives, for every resample, how often each distinct value occurs, and the
    cumulative counts give each value's mid-rank = (#smaller) + (#equal + 1) / 2. No sort per
    resample: O(n_boot × (n + distinct values)).
    """
    n_boot, n = idx.shape
    dense = np.unique(s, return_inverse=True)[1].ravel()
    u = int(dense.max()) + 1
    keys = (dense[idx] + u * np.arange(n_boot)[:, None]).ravel()
    pos = t[idx].ravel() == 1
    counts = np.bincount(keys, minlength=n_boot * u).reshape(n_boot, u)
    pos_counts = np.bincount(keys[pos], minlength=n_boot * u).reshape(n_boot, u)
    midrank = np.cumsum(counts, axis=1) - counts + (counts + 1) / 2.0
    n1 = pos_counts.sum(axis=1)
    n0 = n - n1
    with np.errstate(invalid="ignore", divide="ignore"):  # a resample with one class has no AUC
        return ((pos_counts * midrank).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


def paired_bootstrap_auc(y_true: Any, score_a: Any, score_b: Any, n_boot: int = 200, seed: int = 0,
                         level: float = 0.95) -> AucComparison:
    r"""AUC of two scores on the same rows and a paired bootstrap interval of their difference.

    .. math:: \Delta^{*b} = AUC_b(\text{rows}^{*b}) - AUC_a(\text{rows}^{*b}),\qquad
              CI = \bigl[\hat G^{-1}(\tfrac{1-\ell}{2}),\ \hat G^{-1}(\tfrac{1+\ell}{2})\bigr]

    Rows are resampled with replacement ``n_boot`` times; each resample scores both models
    on the *same* rows (paired), and the interval is the percentile interval of the
    resampled differences (:math:`\hat G` their empirical distribution, :math:`\ell` the
    level). Resamples that hold one class only have no AUC and are skipped. An interval
    that excludes 0 says the difference is not resampling noise. Vectorised over resamples
    (memory ~ ``n_boot × n`` integers, at most 5·10⁷).

    Parameters
    ----------
    y_true : array_like
        Labels 0/1 or True/False, both classes present, no NaN.
    score_a : array_like
        Model A's finite scores, one per label.
    score_b : array_like
        Model B's finite scores for the same rows.
    n_boot : int
        Resamples (≥ 10, ≤ 10⁶, and ``n_boot × n`` ≤ 5·10⁷).
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng`` (a whole number in [0, 2**63)), or a Generator.
    level : float
        Interval coverage in (0, 1).

    Returns
    -------
    AucComparison

    See Also
    --------
    roc_auc : one AUC.

    References
    ----------
    Efron & Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall, 1993, ch. 13
    (confidence intervals based on bootstrap percentiles). For an analytic alternative on
    correlated ROC curves: DeLong, DeLong & Clarke-Pearson, *Biometrics* 44(3):837–845, 1988.

    Examples
    --------
    >>> y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    >>> r = paired_bootstrap_auc(y, [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 6, 7, 3, 8, 4, 5], seed=1)
    >>> r.auc_a, r.auc_b, r.diff
    (0.6875, 1.0, 0.3125)
    """
    t, (a, b) = _labels_and_scores(y_true, {"score_a": score_a, "score_b": score_b})
    n = int(count("n_boot", n_boot, minimum=10, maximum=1_000_000))
    if n * t.size > MAX_BOOT_CELLS:
        raise ValueError(f"n_boot={n_boot!r}: n_boot × rows = {n * t.size:,} exceeds {MAX_BOOT_CELLS:,} "
                         "resampled rows held in memory; lower n_boot")
    rng = np.random.default_rng(_seed("seed", seed))
    lvl = float(number("level", level, low=0.0, high=1.0, low_open=True, high_open=True))
    auc_a, auc_b = roc_auc(t, a), roc_auc(t, b)
    idx = rng.integers(0, t.size, size=(n, t.size))
    d = _bootstrap_aucs(t, b, idx) - _bootstrap_aucs(t, a, idx)
    d = d[~np.isnan(d)]
    if d.size < n / 2:
        raise ValueError(f"y_true: only {d.size} of {n} resamples held both classes; too few labels of "
                         "one class for a bootstrap interval")
    lo, hi = np.percentile(d, [100 * (1 - lvl) / 2, 100 * (1 + lvl) / 2])
    return AucComparison(auc_a, auc_b, auc_b - auc_a, float(lo), float(hi), n, lvl)


@dataclass(frozen=True)
class AucInterval(Result):
    """One score's AUC with a percentile-bootstrap interval.

    Attributes
    ----------
    auc : float
        AUC on all rows (-).
    low, high : float
        Percentile-bootstrap interval at ``level`` (-).
    n_boot : int
        Resamples drawn.
    level : float
        Interval coverage in (0, 1).

    See Also
    --------
    bootstrap_auc : returns it.
    AucComparison : two scores on the same rows.
    """

    auc: float
    low: float
    high: float
    n_boot: int
    level: float


def bootstrap_auc(y_true: Any, score: Any, n_boot: int = 200, seed: int = 0, level: float = 0.95) -> AucInterval:
    r"""AUC of one score with a percentile-bootstrap interval (error bars for an AUC bar chart).

    .. math:: CI = \bigl[\hat G^{-1}(\tfrac{1-\ell}{2}),\ \hat G^{-1}(\tfrac{1+\ell}{2})\bigr],
              \qquad \hat G \text{ the distribution of } AUC(\text{rows}^{*b})

    Rows are resampled with replacement ``n_boot`` times; resamples with one class only are
    skipped. For the *difference* of two models on the same rows use
    :func:`paired_bootstrap_auc`: two overlapping intervals do not show that the models are
    equal, because their errors are correlated.

    Parameters
    ----------
    y_true : array_like
        Labels 0/1 or True/False, both classes present, no NaN.
    score : array_like
        Finite scores, one per label.
    n_boot : int
        Resamples (≥ 10, ≤ 10⁶, and ``n_boot × n`` ≤ 5·10⁷).
    seed : int or numpy.random.Generator
        Seed of ``numpy.random.default_rng`` (a whole number in [0, 2**63)), or a Generator.
    level : float
        Interval coverage in (0, 1).

    Returns
    -------
    AucInterval

    See Also
    --------
    roc_auc : the point estimate.
    paired_bootstrap_auc : the interval of a difference between two scores.

    References
    ----------
    Efron & Tibshirani, *An Introduction to the Bootstrap*, Chapman & Hall, 1993, ch. 13
    (confidence intervals based on bootstrap percentiles).

    Examples
    --------
    >>> y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    >>> r = bootstrap_auc(y, [1, 2, 3, 4, 5, 6, 7, 8], seed=1)
    >>> r.auc, bool(r.low <= r.auc <= r.high)
    (0.6875, True)
    """
    t, (s,) = _labels_and_scores(y_true, {"score": score})
    n = int(count("n_boot", n_boot, minimum=10, maximum=1_000_000))
    if n * t.size > MAX_BOOT_CELLS:
        raise ValueError(f"n_boot={n_boot!r}: n_boot × rows = {n * t.size:,} exceeds {MAX_BOOT_CELLS:,} "
                         "resampled rows held in memory; lower n_boot")
    rng = np.random.default_rng(_seed("seed", seed))
    lvl = float(number("level", level, low=0.0, high=1.0, low_open=True, high_open=True))
    idx = rng.integers(0, t.size, size=(n, t.size))
    d = _bootstrap_aucs(t, s, idx)
    d = d[~np.isnan(d)]
    if d.size < n / 2:
        raise ValueError(f"y_true: only {d.size} of {n} resamples held both classes; too few labels of "
                         "one class for a bootstrap interval")
    lo, hi = np.percentile(d, [100 * (1 - lvl) / 2, 100 * (1 + lvl) / 2])
    return AucInterval(roc_auc(t, s), float(lo), float(hi), n, lvl)


__all__ += ["AucInterval", "bootstrap_auc"]
