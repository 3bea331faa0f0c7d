r"""Drift statistics: how far apart are two samples of one feature?

Each function compares a *reference* sample (training) with a *current* one (serving) and
returns one number or a scipy-style result (``statistic``, ``pvalue``):

- :func:`population_stability_index` — binned, symmetric KL (the credit-scoring PSI);
- :func:`ks_test` — largest ECDF gap and its p-value;
- :func:`jensen_shannon_distance` — bounded distance between two histograms;
- :func:`wasserstein` — earth mover's distance, in the feature's unit;
- :func:`chi_square_test` — Pearson chi-square for categories.

These functions refuse NaN and ±inf in the samples (the message says where): drop missing
values first. :func:`~infra_lab.quality.drift.drift_report` does that per column, as
Evidently does, and reports how many values it kept.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from .._checks import count, data_array, flag, number, option, scalar_or_array
from .._results import Result

__all__ = ["population_stability_index", "KSResult", "ks_test", "jensen_shannon_distance", "wasserstein",
           "ChiSquareResult", "chi_square_test"]

BINNINGS = ("quantile", "evidently", "uniform")
CHI_METHODS = ("homogeneity", "goodness_of_fit")
#: More bins than this leaves nearly every bin empty and costs memory for nothing.
MAX_BINS = 10_000


def _sample(name: str, values: Any) -> np.ndarray:
    """A 1-D sample of finite numbers, sorted (NaN/inf refused with their position)."""
    return np.sort(data_array(name, values))


def _check_bins(name: str, bins: Any) -> Any:
    """``bins`` as an int in [2, MAX_BINS] or a strictly increasing float array of ≥ 2 edges."""
    if isinstance(bins, (list, tuple, np.ndarray, pd.Series)) and np.ndim(bins) >= 1:
        edges = data_array(name, bins, min_size=2)
        if not (np.diff(edges) > 0).all():
            raise ValueError(f"{name}={list(edges)!r}: bin edges must increase strictly")
        return edges
    return int(count(name, bins, minimum=2, maximum=MAX_BINS))


def _check_epsilon(name: str, epsilon: Any) -> float:
    # the share given to an empty bin: a negative one makes ln(c/r) NaN and hides drift
    return float(number(name, epsilon, low=0.0, high=1.0, low_open=True, high_open=True))


def _evidently_fill_zeros(p: np.ndarray) -> np.ndarray:
    # Evidently get_binned_data(feel_zeroes=True): an empty bin gets 1e-4,
    # or min(non-zero share)/1e6 when the smallest non-zero share is already <= 1e-4.
    p = p.copy()
    nz = p[p != 0]
    if nz.size and (p == 0).any():
        p[p == 0] = nz.min() / 1e6 if nz.min() <= 1e-4 else 1e-4
    return p


def _psi_from_shares(r: np.ndarray, c: np.ndarray) -> float:
    return float(np.sum((c - r) * np.log(c / r)))


def _value_counts_sorted(r: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct values of two sorted samples and each sample's count of every value."""
    keys = np.union1d(np.unique(r), np.unique(c))
    rc = np.searchsorted(r, keys, "right") - np.searchsorted(r, keys, "left")
    cc = np.searchsorted(c, keys, "right") - np.searchsorted(c, keys, "left")
    return keys, rc.astype(float), cc.astype(float)


def _sorted_counts(sorted_x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts of np.histogram(x, edges) from a sorted x: [e_i, e_{i+1}) and a closed last bin."""
    left = np.searchsorted(sorted_x, edges[:-1], side="left")
    right = np.append(left[1:], np.searchsorted(sorted_x, edges[-1], side="right"))
    return right - left


def _psi_sorted(r: np.ndarray, c: np.ndarray, bins: Any, binning: str, epsilon: float) -> float:
    """PSI of two *sorted*, finite samples (the engine behind population_stability_index)."""
    if binning == "evidently":
        # Evidently get_binned_data: <= 20 distinct reference values -> one bin per value;
        # otherwise Sturges equal-width bins over both samples combined.
        n_ref_unique = 1 + int(np.count_nonzero(np.diff(r)))
        if n_ref_unique <= 20:
            _, rc, cc = _value_counts_sorted(r, c)
        else:
            edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
            rc, cc = _sorted_counts(r, edges), _sorted_counts(c, edges)
        return _psi_from_shares(_evidently_fill_zeros(rc / r.size), _evidently_fill_zeros(cc / c.size))
    if np.ndim(bins) == 1:
        edges = np.asarray(bins, dtype=float)  # checked by _check_bins
        inner = edges[1:-1]  # outer bins open so nothing falls outside
    elif binning == "quantile":
        # reference deciles (classic scorecard practice); ties merge bins
        q = r[np.minimum((np.arange(1, bins) * r.size) // bins, r.size - 1)]
        inner = np.unique(q)
    else:  # uniform over the reference range
        inner = np.linspace(r[0], r[-1], bins + 1)[1:-1]
    # bin i = [inner_{i-1}, inner_i): counts from the sorted samples, no histogram pass
    rc = np.diff(np.concatenate([[0], np.searchsorted(r, inner, "left"), [r.size]]))
    cc = np.diff(np.concatenate([[0], np.searchsorted(c, inner, "left"), [c.size]]))
    rs, cs = rc / r.size, cc / c.size
    return _psi_from_shares(np.where(rs == 0, epsilon, rs), np.where(cs == 0, epsilon, cs))


def population_stability_index(reference: Any, current: Any, bins: int | Sequence[float] = 10,
                               binning: str = "quantile", epsilon: float = 1e-4) -> float:
    r"""Population Stability Index between a reference and a current sample.

    .. math:: PSI = \sum_{i=1}^{k} (c_i - r_i)\,\ln\frac{c_i}{r_i}

    with :math:`r_i, c_i` the shares of the reference and current samples in bin *i*: the
    binned Jeffreys divergence :math:`KL(c\|r) + KL(r\|c)`. Unitless, ≥ 0. Reading
    (Yurdakul 2018): < 0.1 little change, 0.1–0.25 moderate, > 0.25 significant.

    Binning (PSI depends on it — always report it):

    - ``"quantile"``: ``bins`` reference quantile bins (deciles by default), the outer two
      open-ended so current values outside the reference range are counted; bins
      ``[q_{i-1}, q_i)``; tied quantiles merge bins. Empty bins get share ``epsilon``.
      Not symmetric: swapping the samples changes the bins.
    - ``"evidently"``: Evidently's PSI stattest: one bin per value if the reference has
      ≤ 20 distinct values, else equal-width Sturges bins
      (``np.histogram_bin_edges(..., "sturges")``) over both samples combined; an empty bin
      gets 1e-4, or (smallest non-zero share)/1e6 if that is ≤ 1e-4 (``epsilon`` unused,
      ``bins`` ignored, as in Evidently). Symmetric only when both samples have > 20
      distinct values (the per-value rule looks at the reference alone).
    - ``"uniform"``: ``bins`` equal-width bins over the reference range, outer bins open.
    - ``bins`` given as an array of edges: those edges (outer bins open), any ``binning``.

    Parameters
    ----------
    reference, current : array_like of float
        The two samples, 1-D, finite, no NaN (drop missing values first); any unit, the
        same for both.
    bins : int or array_like of float, default 10
        Number of bins, a whole number in [2, 10000], or strictly increasing bin edges
        (≥ 2, in the samples' unit).
    binning : {"quantile", "evidently", "uniform"}, default "quantile"
        How the bins are placed (see above).
    epsilon : float, default 1e-4
        Share given to an empty bin, in (0, 1) (1e-4 as Evidently's default).

    Returns
    -------
    float
        PSI, unitless, ≥ 0.

    See Also
    --------
    ks_test, wasserstein, jensen_shannon_distance : other two-sample drift statistics.
    drift_report : PSI per column of two tables.

    References
    ----------
    Yurdakul, *Statistical Properties of Population Stability Index*, PhD dissertation,
    Western Michigan University, 2018 (ScholarWorks Dissertations 3208), ch. 1 (the PSI
    and its 0.10/0.25 rule of thumb). Jeffreys, "An invariant form for the prior
    probability in estimation problems", Proc. R. Soc. A 186 (1946), pp. 453–461 (the
    symmetric divergence J that PSI bins).

    Examples
    --------
    Two bins with shares r = (1/2, 1/2), c = (3/4, 1/4): PSI = ln(3)/4 = 0.2747.

    >>> population_stability_index([1, 2, 3, 4], [1, 2, 3, 4])
    0.0
    >>> round(population_stability_index([0.5, 1.5], [0.5, 0.5, 0.5, 1.5], bins=[0, 1, 2]), 4)
    0.2747
    """
    bins = _check_bins("bins", bins)
    binning = option("binning", binning, BINNINGS)
    epsilon = _check_epsilon("epsilon", epsilon)
    return _psi_sorted(_sample("reference", reference), _sample("current", current), bins, binning, epsilon)


@dataclass(frozen=True)
class KSResult(Result):
    """Two-sample Kolmogorov–Smirnov test (scipy's field names; unpacks like a tuple).

    Attributes
    ----------
    statistic : float
        D, the largest gap between the two ECDFs, in [0, 1], unitless.
    pvalue : float
        Two-sided p-value, in [0, 1].
    n_reference, n_current : int
        Sample sizes used.

    See Also
    --------
    ks_test : returns it.
    """

    statistic: float
    pvalue: float
    n_reference: int
    n_current: int

    @property
    def p_value(self) -> float:
        """Deprecated spelling of :attr:`pvalue` (scipy's name); kept for one release."""
        warnings.warn("KSResult.p_value is deprecated; use .pvalue (scipy's name)", DeprecationWarning, stacklevel=2)
        return self.pvalue


def _ecdfs_on_merged(r: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct values of both sorted samples and both right-continuous ECDFs there.

    One stable merge of the two sorted runs (linear for timsort) and a cumulative count
    replace 2(n + m) binary searches; ties are resolved by keeping the last position of
    each run of equal values, so the ECDFs equal ``searchsorted(..., side="right")``.
    """
    values = np.concatenate([r, c])
    order = np.argsort(values, kind="stable")
    merged = values[order]
    from_r = order < r.size
    last = np.concatenate([merged[1:] != merged[:-1], [True]])
    fr = np.cumsum(from_r)[last] / r.size
    fc = np.cumsum(~from_r)[last] / c.size
    return merged[last], fr, fc


def _ks_p_value(d: float, n1: int, n2: int, r: np.ndarray | None = None, c: np.ndarray | None = None) -> float:
    if max(n1, n2) <= 10000 and r is not None:
        # scipy's exact small-sample distribution (method='auto' picks it for n <= 10000)
        return float(stats.ks_2samp(r, c).pvalue)
    m, k = sorted([float(n1), float(n2)], reverse=True)
    en = m * k / (m + k)
    return float(np.clip(stats.kstwo.sf(d, np.round(en)), 0, 1))  # scipy's 'asymp' branch


def _ks_sorted(r: np.ndarray, c: np.ndarray, cdfs: tuple | None = None) -> KSResult:
    _, fr, fc = cdfs if cdfs is not None else _ecdfs_on_merged(r, c)
    d = float(np.max(np.abs(fr - fc)))
    return KSResult(d, _ks_p_value(d, r.size, c.size, r, c), int(r.size), int(c.size))


def ks_test(reference: Any, current: Any) -> KSResult:
    r"""Two-sample Kolmogorov–Smirnov test (two-sided).

    .. math:: D = \sup_x |F_{ref}(x) - F_{cur}(x)|

    Same statistic and p-value as ``scipy.stats.ks_2samp`` (method ``auto``: exact for
    samples of at most 10,000, else the asymptotic ``kstwo.sf(D, round(mn/(m+n)))``).
    At large n the p-value flags trivially small shifts: read D as the effect size.
    On rounded data (many ties) D jumps by a whole tied value's share even for a shift
    smaller than the rounding step.

    Parameters
    ----------
    reference, current : array_like of float
        The two samples, 1-D, finite, no NaN (drop missing values first); same unit.

    Returns
    -------
    KSResult
        ``statistic`` D in [0, 1] (unitless), two-sided ``pvalue``, both sample sizes.

    See Also
    --------
    wasserstein : the area between the same two ECDFs, in the feature's unit.
    population_stability_index, chi_square_test : binned and categorical alternatives.

    References
    ----------
    Hodges, "The significance probability of the Smirnov two-sample test", Arkiv för
    Matematik 3 (1958), pp. 469–486 (the exact and asymptotic distributions scipy uses).
    Conover, *Practical Nonparametric Statistics*, 3rd ed. (1999), ch. 6 (Smirnov's
    two-sample test).

    Examples
    --------
    The ECDFs of {1, 2, 3} and {4, 5, 6} never meet: D = 1, exact p = 2/C(6, 3) = 0.1.

    >>> r = ks_test([1, 2, 3], [4, 5, 6])
    >>> r.statistic, round(r.pvalue, 10)
    (1.0, 0.1)
    >>> statistic, pvalue, n_reference, n_current = ks_test([1, 2, 3], [1, 2, 3])
    >>> statistic, pvalue
    (0.0, 1.0)
    """
    return _ks_sorted(_sample("reference", reference), _sample("current", current))


def jensen_shannon_distance(p: Any, q: Any, base: float | None = None, axis: int = -1) -> Any:
    r"""Jensen–Shannon distance between two distributions (counts or probabilities).

    .. math:: JS(p, q) = \sqrt{\tfrac12 KL(p\,\|\,m) + \tfrac12 KL(q\,\|\,m)},\quad m = \tfrac12 (p + q)

    As ``scipy.spatial.distance.jensenshannon``: inputs are normalised to sum 1 along
    ``axis``, natural log unless ``base`` is given; the result is the *distance* (square
    root of the divergence, a metric), bounded by :math:`\sqrt{\ln 2}` nats (1 in base 2).

    Parameters
    ----------
    p, q : array_like of float
        Counts or probabilities (finite, ≥ 0, same shape, positive total along ``axis``),
        e.g. the two histograms of a feature over the same bins.
    base : float, optional
        Logarithm base, > 0 and ≠ 1 (default e, nats; 2 gives bits).
    axis : int, default -1
        Axis holding the distribution, in [-p.ndim, p.ndim).

    Returns
    -------
    float or numpy.ndarray
        The distance, in [0, √ln 2] nats (or [0, 1] in base 2).

    See Also
    --------
    population_stability_index : a symmetric KL on binned shares, unbounded.
    chi_square_test : a test on the same counts.

    References
    ----------
    Lin, "Divergence measures based on the Shannon entropy", IEEE Trans. Inf. Theory
    37(1) (1991), pp. 145–151 (the JS divergence). Endres & Schindelin, "A new metric for
    probability distributions", IEEE Trans. Inf. Theory 49(7) (2003), pp. 1858–1860 (its
    square root is a metric).

    Examples
    --------
    Disjoint supports are the farthest apart: 1 bit. The second value is the one in
    SciPy's ``jensenshannon`` documentation (0.46450140402245893).

    >>> jensen_shannon_distance([1, 0, 0], [0, 1, 0], base=2.0)
    1.0
    >>> round(jensen_shannon_distance([1.0, 0.0], [0.5, 0.5]), 14)
    0.46450140402246
    """
    pa = data_array("p", p, low=0.0, ndim=None)
    qa = data_array("q", q, low=0.0, ndim=None)
    if pa.ndim == 0:
        raise ValueError(f"p={p!r}: must be an array of counts or probabilities, not a single number")
    if qa.shape != pa.shape:
        raise ValueError(f"q has shape {qa.shape}: must have the shape of p {pa.shape}")
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis={axis!r}: must be a whole number in [-{pa.ndim}, {pa.ndim})")
    if not -pa.ndim <= axis < pa.ndim:
        raise ValueError(f"axis={axis!r}: must be in [-{pa.ndim}, {pa.ndim}) for {pa.ndim}-D inputs")
    if base is not None:
        b = float(number("base", base, low=0.0, low_open=True))
        if b == 1.0:
            raise ValueError("base=1: must be > 0 and != 1 (log base 1 is undefined)")
    for name, arr in (("p", pa), ("q", qa)):
        if not (arr.sum(axis=axis) > 0).all():
            raise ValueError(f"{name}: all zeros along axis {axis}; needs a positive total to normalise")
    pa = pa / pa.sum(axis=axis, keepdims=True)
    qa = qa / qa.sum(axis=axis, keepdims=True)
    m = (pa + qa) / 2.0
    js = special.rel_entr(pa, m).sum(axis=axis) + special.rel_entr(qa, m).sum(axis=axis)
    if base is not None:
        js = js / np.log(b)
    # rounding can leave the divergence of (near-)identical inputs at about -1e-16: clip, or sqrt gives NaN
    return scalar_or_array(np.sqrt(np.maximum(js, 0.0) / 2.0))


def _wasserstein_sorted(r: np.ndarray, c: np.ndarray, cdfs: tuple | None = None) -> float:
    merged, fr, fc = cdfs if cdfs is not None else _ecdfs_on_merged(r, c)
    return float(np.sum(np.abs(fr[:-1] - fc[:-1]) * np.diff(merged)))


def wasserstein(reference: Any, current: Any, normed: bool = False) -> float:
    r"""First Wasserstein (earth mover's) distance between two samples.

    .. math:: W_1 = \int_{-\infty}^{\infty} |F_{ref}(x) - F_{cur}(x)|\,dx

    In the samples' own unit (°F in, °F out) — so it is not comparable across features
    unless ``normed``: then divided by :math:`\max(\sigma_{ref}, 0.001)` as Evidently's
    normed Wasserstein stattest does (drift at ≥ 0.1 there). Same value as
    ``scipy.stats.wasserstein_distance``.

    Parameters
    ----------
    reference, current : array_like of float
        The two samples, 1-D, finite, no NaN (drop missing values first); same unit.
    normed : bool, default False
        Divide by the reference standard deviation (Evidently's normed variant).

    Returns
    -------
    float
        In the samples' unit, or in reference standard deviations if ``normed``; ≥ 0.

    See Also
    --------
    ks_test : the largest gap between the same two ECDFs.
    population_stability_index, jensen_shannon_distance : binned, unitless alternatives.

    References
    ----------
    Vallender, "Calculation of the Wasserstein distance between probability distributions
    on the line", Theory Probab. Appl. 18(4) (1974), pp. 784–786 (:math:`W_1` as the
    integral of the ECDF gap). Ramdas, García Trillos & Cuturi, "On Wasserstein two-sample
    testing and related families of nonparametric tests", Entropy 19(2):47 (2017), the
    reference of ``scipy.stats.wasserstein_distance``.

    Examples
    --------
    SciPy's documented example: moving {0, 1, 3} to {5, 6, 8} moves each point 5.

    >>> wasserstein([0, 1, 3], [5, 6, 8])
    5.0
    """
    normed = flag("normed", normed)
    r, c = _sample("reference", reference), _sample("current", current)
    w = _wasserstein_sorted(r, c)
    return w / max(float(np.std(r)), 0.001) if normed else w


@dataclass(frozen=True)
class ChiSquareResult(Result):
    """Pearson chi-square test (scipy's field names; unpacks like a tuple).

    Attributes
    ----------
    statistic : float
        :math:`\\chi^2`, unitless, ≥ 0 (inf for goodness of fit when the current sample has
        a category the reference never shows).
    pvalue : float
        Upper-tail p-value of :math:`\\chi^2_{dof}`, in [0, 1] (1 when dof = 0).
    dof : int
        Degrees of freedom, categories − 1.
    method : str
        ``homogeneity`` or ``goodness_of_fit``.

    See Also
    --------
    chi_square_test : returns it.
    """

    statistic: float
    pvalue: float
    dof: int
    method: str

    @property
    def p_value(self) -> float:
        """Deprecated spelling of :attr:`pvalue` (scipy's name); kept for one release."""
        warnings.warn("ChiSquareResult.p_value is deprecated; use .pvalue (scipy's name)", DeprecationWarning,
                      stacklevel=2)
        return self.pvalue


def _labels(name: str, values: Any) -> pd.Series:
    """Category labels as an object Series: a sequence, not empty, no missing label."""
    if values is None or isinstance(values, (str, bytes, bool, np.bool_)) or np.ndim(values) != 1:
        raise TypeError(f"{name}={values!r}: must be a 1-D sequence of category labels "
                        "(a list, array or Series), not a single value")
    s = pd.Series(np.asarray(values, dtype=object))
    if s.empty:
        raise ValueError(f"{name}=[]: needs at least one label")
    miss = s.isna().to_numpy()
    if miss.any():
        raise ValueError(f"{name} has {int(miss.sum())} missing label(s) (first at position "
                         f"{int(np.argmax(miss))}); drop them first or make 'missing' a category")
    return s


def _counts(name: str, values: Any) -> np.ndarray:
    arr = data_array(name, values, low=0.0)
    if arr.sum() <= 0:
        raise ValueError(f"{name}={list(arr)!r}: counts sum to 0; needs at least one observation")
    return arr


def chi_square_test(reference: Any, current: Any, method: str = "homogeneity", counts: bool = False) -> ChiSquareResult:
    r"""Pearson chi-square test that a categorical feature has the same distribution.

    .. math:: \chi^2 = \sum_{cells} \frac{(O - E)^2}{E}

    - ``"homogeneity"`` (default): a 2 × k contingency table (reference row, current row);
      :math:`E_{ij} = R_i C_j / N`, dof = k − 1, no Yates correction (as
      ``scipy.stats.chi2_contingency(..., correction=False)``). Both samples are random.
    - ``"goodness_of_fit"``: the current counts against the reference *shares* scaled to
      the current total, dof = k − 1 (as ``scipy.stats.chisquare``; Evidently's
      chi-square stattest). Treats the reference as the known truth, so it is more
      eager to flag drift when the reference is small; a category the reference never
      shows gives :math:`\chi^2 = \infty`, p = 0.

    Categories are the union of both samples.

    Parameters
    ----------
    reference, current : array_like
        Category labels of each sample (1-D, not empty, no missing label: make "missing"
        a category or drop it first), or, with ``counts=True``, aligned counts per
        category (finite, ≥ 0, positive total).
    method : {"homogeneity", "goodness_of_fit"}, default "homogeneity"
        Which chi-square test (see above).
    counts : bool, default False
        Inputs are count vectors rather than labels.

    Returns
    -------
    ChiSquareResult
        ``statistic`` (unitless), ``pvalue``, ``dof`` and ``method``.

    See Also
    --------
    jensen_shannon_distance : a bounded distance between the same two count vectors.
    ks_test : the numeric counterpart.

    References
    ----------
    Pearson, "On the criterion that a given system of deviations ...", Philosophical
    Magazine, Series 5, 50(302) (1900), pp. 157–175. Agresti, *An Introduction to
    Categorical Data Analysis*, 2nd ed. (2007), §1.5 (Pearson goodness of fit) and §2.4
    (chi-squared tests of independence/homogeneity).

    Examples
    --------
    SciPy's ``chisquare`` example: counts (16, 18, 16, 14, 12, 12) against equal shares
    give :math:`\chi^2 = 2.0`, p = 0.849145.

    >>> r = chi_square_test([1, 1, 1, 1, 1, 1], [16, 18, 16, 14, 12, 12], "goodness_of_fit", counts=True)
    >>> r.statistic, round(r.pvalue, 6), r.dof
    (2.0, 0.849145, 5)
    """
    method = option("method", method, CHI_METHODS)
    if flag("counts", counts):
        rc, cc = _counts("reference", reference), _counts("current", current)
        if rc.shape != cc.shape:
            raise ValueError(f"current has {cc.size} counts: must align with reference ({rc.size} categories)")
    else:
        rc, cc = _category_counts(_labels("reference", reference), _labels("current", current))
    return _chi_counts(rc, cc, method)


def _chi_counts(rc: np.ndarray, cc: np.ndarray, method: str) -> ChiSquareResult:
    dof = max(len(rc) - 1, 0)
    if method == "goodness_of_fit":
        exp = rc / rc.sum() * cc.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = float(np.sum(np.where(exp > 0, (cc - exp) ** 2 / exp, np.where(cc > 0, np.inf, 0.0))))
    else:
        keep = (rc + cc) > 0
        table = np.vstack([rc[keep], cc[keep]])
        exp = table.sum(1, keepdims=True) * table.sum(0, keepdims=True) / table.sum()
        stat = float(np.sum((table - exp) ** 2 / exp))
        dof = max(int(keep.sum()) - 1, 0)
    p = float(stats.chi2.sf(stat, dof)) if dof > 0 else 1.0
    return ChiSquareResult(stat, p, dof, method)


def _category_counts(ref: pd.Series, cur: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Counts per category over the union of both samples (NaN dropped), one factorize."""
    ref, cur = ref.dropna(), cur.dropna()
    both = pd.concat([ref, cur], ignore_index=True)
    try:  # sorted categories: Evidently's z-test tests the share of the first one
        codes, uniques = pd.factorize(both, sort=True)
    except TypeError:  # mixed types cannot be sorted; keep order of appearance
        codes, uniques = pd.factorize(both, sort=False)
    k = len(uniques)
    return (np.bincount(codes[: len(ref)], minlength=k).astype(float),
            np.bincount(codes[len(ref):], minlength=k).astype(float))
