r"""Drift report: compare a reference (training) and a current (serving) table column by column.

Training-serving skew is :math:`P_{train}(X, Y) \ne P_{serve}(X, Y)`; :func:`drift_report`
compares the marginals of two tables with the statistics of
:mod:`infra_lab.quality.statistics`, one row per column, and gives a dataset-level verdict
(Evidently's rule: drift when at least ``drift_share`` of the columns drift).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from .._checks import flag, fraction, frame, number, option
from .._results import Result
from .statistics import (BINNINGS, _category_counts, _check_bins, _check_epsilon, _chi_counts, _ecdfs_on_merged,
                         _ks_sorted, _psi_from_shares, _psi_sorted, _sorted_counts, _value_counts_sorted,
                         _wasserstein_sorted, jensen_shannon_distance)

__all__ = ["DriftReport", "drift_report", "DEFAULT_THRESHOLDS"]

#: Default thresholds. p-value tests drift when p < threshold (KS: p <= threshold, as
#: Evidently); distance tests drift when the value >= threshold. Evidently's defaults:
#: ks 0.05, chisquare 0.05, z 0.05, wasserstein (normed) 0.1, jensenshannon 0.1, psi 0.1.
DEFAULT_THRESHOLDS: dict[str, float] = {"ks": 0.05, "chisquare": 0.05, "z": 0.05, "wasserstein": 0.1,
                                        "jensenshannon": 0.1, "psi": 0.1}
P_VALUE_TESTS = ("ks", "chisquare", "z")
METHODS = ("auto", "evidently", "psi", "ks", "wasserstein", "jensenshannon", "chisquare")
DRIFT_COLUMNS = ["column", "kind", "test", "statistic", "p_value", "threshold", "drifted",
                 "n_reference", "n_current"]


@dataclass(frozen=True)
class DriftReport(Result):
    """Result of :func:`drift_report`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per column: ``column, kind, test, statistic, p_value (NaN for distances),
        threshold, drifted, n_reference, n_current`` (+ ``psi, ks_statistic, ks_p_value,
        wasserstein, wasserstein_normed`` for numeric columns with ``all_statistics``).
    share_drifted : float
        Share of columns that drifted.
    dataset_drift : bool
        ``share_drifted >= drift_share`` (Evidently's dataset-level rule, default 0.5).
    drift_share : float
        The share of drifted columns that makes the dataset drift, as passed.
    method : str
        The ``method`` passed to :func:`drift_report`.

    See Also
    --------
    drift_report : returns it.
    """

    table: pd.DataFrame
    share_drifted: float
    dataset_drift: bool
    drift_share: float
    method: str

    @property
    def drifted_columns(self) -> list[str]:
        """Names of the columns whose test says drift, in table order."""
        return self.table.loc[self.table["drifted"], "column"].tolist()


def _is_categorical(s: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype)


def _z_test_counts(rc: np.ndarray, cc: np.ndarray) -> tuple[float, float]:
    # Evidently z_stattest: two-proportion z-test on the share of the first (sorted) category
    n1, n2 = rc.sum(), cc.sum()
    if np.count_nonzero(rc) == 1 and np.count_nonzero(cc) == 1 and np.argmax(rc) == np.argmax(cc):
        return 0.0, 1.0
    p1, p2 = 1 - rc[0] / n1, 1 - cc[0] / n2
    pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (p1 - p2) / np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return float(z), float(2 * (1 - stats.norm.cdf(abs(z))))


def _n_distinct_sorted(r: np.ndarray, c: np.ndarray, cap: int) -> int:
    """Distinct values of both sorted samples; any count above ``cap`` is returned as cap + 1."""
    ur = r[np.concatenate([[True], r[1:] != r[:-1]])] if r.size <= 4 * cap else None
    if ur is None:
        # cheap early exit: more than cap distinct values in the reference alone
        ur = np.unique(r[:: max(1, r.size // 1000)])
        if ur.size > cap:
            return cap + 1
        ur = r[np.concatenate([[True], r[1:] != r[:-1]])]
    if ur.size > cap:
        return cap + 1
    uc = c[np.concatenate([[True], c[1:] != c[:-1]])]
    return min(np.union1d(ur, uc).size, cap + 1)


def _numeric_drift(name: str, r: np.ndarray, c: np.ndarray, method: str, thresholds: dict, psi_bins: Any,
                   psi_binning: str, epsilon: float, all_statistics: bool) -> dict:
    r.sort()
    c.sort()
    n_values = _n_distinct_sorted(r, c, cap=5) if method == "evidently" else 99
    need_cdf = all_statistics or method in ("ks", "wasserstein") or (
        method == "evidently" and n_values > 5)
    cdfs = _ecdfs_on_merged(r, c) if need_cdf else None
    row: dict[str, Any] = {"column": name, "kind": "numeric", "n_reference": r.size, "n_current": c.size}
    if method == "evidently":
        if r.size <= 1000:
            test = "ks" if n_values > 5 else ("chisquare" if n_values > 2 else "z")
        else:
            test = "wasserstein" if n_values > 5 else "jensenshannon"
    elif method == "auto":
        test = "psi"
    else:
        test = method
    p = np.nan
    if test == "ks":
        res = _ks_sorted(r, c, cdfs)
        stat, p = res.statistic, res.pvalue
    elif test == "wasserstein":
        stat = _wasserstein_sorted(r, c, cdfs) / max(float(np.std(r)), 0.001)
    elif test == "psi":
        stat = _psi_sorted(r, c, psi_bins, psi_binning, epsilon)
    elif test in ("chisquare", "z", "jensenshannon") and method == "evidently":
        _, rc, cc = _value_counts_sorted(r, c)
        if test == "chisquare":
            res2 = _chi_counts(rc, cc, "goodness_of_fit")
            stat, p = res2.statistic, res2.pvalue
        elif test == "z":
            stat, p = _z_test_counts(rc, cc)
        else:
            stat = jensen_shannon_distance(rc, cc)
    elif test == "jensenshannon":
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        stat = jensen_shannon_distance(_sorted_counts(r, edges), _sorted_counts(c, edges))
    else:  # chisquare on a numeric column: treat values as categories
        _, rc, cc = _value_counts_sorted(r, c)
        res2 = _chi_counts(rc, cc, "homogeneity")
        stat, p = res2.statistic, res2.pvalue
    row.update(_verdict(test, stat, p, thresholds))
    if all_statistics:
        ks = _ks_sorted(r, c, cdfs)
        w = _wasserstein_sorted(r, c, cdfs)
        row.update(psi=_psi_sorted(r, c, psi_bins, psi_binning, epsilon), ks_statistic=ks.statistic,
                   ks_p_value=ks.pvalue, wasserstein=w, wasserstein_normed=w / max(float(np.std(r)), 0.001))
    return row


def _verdict(test: str, stat: float, p: float, thresholds: dict) -> dict:
    th = thresholds[test]
    if test == "ks":
        drifted = p <= th
    elif test in P_VALUE_TESTS:
        drifted = p < th
    else:
        drifted = stat >= th
    return {"test": test, "statistic": float(stat), "p_value": float(p), "threshold": th, "drifted": bool(drifted)}


def _categorical_drift(name: str, ref: pd.Series, cur: pd.Series, method: str, thresholds: dict,
                       epsilon: float) -> dict:
    rc, cc = _category_counts(ref, cur)
    n_ref = int(rc.sum())
    if n_ref == 0 or cc.sum() == 0:
        raise ValueError(f"{'reference_df' if n_ref == 0 else 'current_df'}[{name!r}] has no non-missing "
                         "value; pass data or leave the column out of columns=")
    row: dict[str, Any] = {"column": name, "kind": "categorical", "n_reference": n_ref, "n_current": int(cc.sum())}
    if method == "evidently":
        if n_ref <= 1000:
            test = "chisquare" if len(rc) > 2 else "z"
        else:
            test = "jensenshannon"
    elif method in ("auto", "chisquare"):
        test = "chisquare"
    elif method in ("psi", "jensenshannon"):
        test = method
    else:
        raise ValueError(f"method={method!r}: cannot be applied to categorical column {name!r}; "
                         "use auto, evidently, psi, jensenshannon or chisquare")
    p = np.nan
    if test == "chisquare":
        res = _chi_counts(rc, cc, "goodness_of_fit" if method == "evidently" else "homogeneity")
        stat, p = res.statistic, res.pvalue
    elif test == "z":
        stat, p = _z_test_counts(rc, cc)
    elif test == "jensenshannon":
        stat = jensen_shannon_distance(rc, cc)
    else:
        rs, cs = rc / rc.sum(), cc / cc.sum()
        stat = _psi_from_shares(np.where(rs == 0, epsilon, rs), np.where(cs == 0, epsilon, cs))
    row.update(_verdict(test, stat, p, thresholds))
    return row


def _column_list(name: str, value: Any, reference_df: pd.DataFrame, current_df: pd.DataFrame,
                 among: list | None = None) -> list:
    """Column names: one str or a list of them, none twice, each in both tables (and in ``among``)."""
    if value is None and among is None:
        cols = [c for c in reference_df.columns if c in current_df.columns]
        if not cols:
            raise ValueError(f"{name}=None: reference_df and current_df share no column; "
                             f"they have {list(reference_df.columns)} and {list(current_df.columns)}")
        return cols
    if isinstance(value, str):
        value = [value]
    if value is None or isinstance(value, (bool, int, float, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{name}={value!r}: must be a column name or a list of column names")
    cols = list(value)
    if among is None and not cols:
        raise ValueError(f"{name}=[]: name at least one column present in both tables")
    dupes = sorted({str(c) for c in cols if cols.count(c) > 1})
    if dupes:
        raise ValueError(f"{name}={cols!r}: names {dupes} more than once")
    for table, df in (("reference_df", reference_df), ("current_df", current_df)):
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ValueError(f"{name}={cols!r}: {missing} not in {table}; it has {list(df.columns)}")
    if among is not None:
        outside = [c for c in cols if c not in among]
        if outside:
            raise ValueError(f"{name}={cols!r}: {outside} are not among the compared columns {among}")
    return cols


def _thresholds(thresholds: Any, method: str) -> dict[str, float]:
    """DEFAULT_THRESHOLDS updated by one number (single-test methods) or a {test: value} dict."""
    th = dict(DEFAULT_THRESHOLDS)
    if thresholds is None:
        return th
    if isinstance(thresholds, Mapping):
        unknown = sorted(set(thresholds) - set(th), key=str)
        if unknown:
            raise ValueError(f"thresholds={dict(thresholds)!r}: keys {unknown} unknown; keys must be among {sorted(th)}")
        given = dict(thresholds)
    else:
        if method in ("auto", "evidently"):
            raise ValueError(f"thresholds={thresholds!r}: a single number needs a single-test method "
                             f"(method={method!r} mixes tests); pass a dict {{test: threshold}}")
        given = {method: thresholds}
    for test, value in given.items():
        # a p-value threshold outside (0, 1) flags always or never; a distance threshold ≤ 0 always
        if test in P_VALUE_TESTS:
            th[test] = float(number("thresholds", value, low=0.0, high=1.0, low_open=True, high_open=True))
        else:
            th[test] = float(number("thresholds", value, low=0.0, low_open=True))
    return th


def drift_report(reference_df: pd.DataFrame, current_df: pd.DataFrame, columns: Sequence[str] | None = None,
                 method: str = "auto", thresholds: Mapping[str, float] | float | None = None,
                 categorical: Sequence[str] = (), drift_share: float = 0.5, psi_bins: int | Sequence[float] = 10,
                 psi_binning: str = "quantile", epsilon: float = 1e-4, all_statistics: bool = False) -> DriftReport:
    r"""Per-column drift between a reference (training) and a current (serving) table.

    .. math:: share = \frac{1}{|C|} \sum_{j \in C} \mathbf{1}[\text{column } j \text{ drifted}],\qquad
              \text{dataset drift} \iff share \ge drift\_share

    Training-serving skew is :math:`P_{train}(X, Y) \ne P_{serve}(X, Y)`; this compares the
    marginals column by column. Missing values (NaN, ±inf) are dropped per column first.

    Methods (``test`` column of the table):

    - ``"auto"``: PSI (``psi_binning``, default reference deciles; threshold 0.1) for numeric
      columns, chi-square homogeneity (p < 0.05) for categorical ones.
    - ``"evidently"``: Evidently's default choice (``registry._get_default_stattest``):
      ≤ 1000 reference values → KS (numeric with > 5 distinct values), else chi-square
      goodness-of-fit (> 2 values) or a two-proportion z-test; > 1000 → normed Wasserstein
      (numeric with > 5 distinct values, threshold 0.1), else Jensen–Shannon (0.1).
    - ``"psi"``, ``"ks"``, ``"wasserstein"`` (normed), ``"jensenshannon"``, ``"chisquare"``:
      that test for every column it applies to.

    Each numeric column is sorted once; PSI, KS and Wasserstein are read from the sorted
    samples (``all_statistics=True`` adds all of them as columns).

    Parameters
    ----------
    reference_df, current_df : pandas.DataFrame
        The reference (training) and current (serving) tables, at least one row each.
    columns : str or list of str, optional
        Columns to compare, each in both tables, none twice (default: those in both
        tables, in reference order).
    method : {"auto", "evidently", "psi", "ks", "wasserstein", "jensenshannon", "chisquare"}
        See above.
    thresholds : float or dict, optional
        One threshold for the chosen single-test method, or ``{test: threshold}``
        overriding :data:`DEFAULT_THRESHOLDS`; p-value thresholds in (0, 1), distance
        thresholds > 0 and finite.
    categorical : str or list of str, default ()
        Columns (among ``columns``) to treat as categorical even if numeric (e.g. codes).
    drift_share : float, default 0.5
        Dataset drift when the share of drifted columns is ≥ this, in (0, 1] (Evidently: 0.5).
    psi_bins : int or array_like of float, default 10
        Bins for PSI: a whole number in [2, 10000] or strictly increasing edges (see
        :func:`population_stability_index`).
    psi_binning : {"quantile", "evidently", "uniform"}, default "quantile"
        Bin placement for PSI.
    epsilon : float, default 1e-4
        Share given to an empty PSI bin, in (0, 1).
    all_statistics : bool, default False
        Add ``psi, ks_statistic, ks_p_value, wasserstein, wasserstein_normed``.

    Returns
    -------
    DriftReport
        The per-column table and the dataset verdict.

    See Also
    --------
    population_stability_index, ks_test, wasserstein, jensen_shannon_distance, chi_square_test :
        the per-column statistics.
    validate : rules on one table rather than a comparison of two.

    References
    ----------
    The article, Section "Data Quality, Validation, and Training-Serving Skew"
    (:math:`P_{train}(X,Y) \ne P_{serve}(X,Y)`). Evidently documentation, "Data drift
    algorithm" reference page (docs.evidentlyai.com/reference/data-drift-algorithm: the
    default test by column type, reference size ≤ or > 1000 and number of unique values;
    0.95 confidence for tests, threshold 0.1 for distances; dataset drift when at least
    50 % of the columns drift). Rabanser, Günnemann & Lipton, "Failing Loudly: An
    Empirical Study of Methods for Detecting Dataset Shift", NeurIPS 32 (2019),
    pp. 1396–1408 (univariate two-sample tests per feature, aggregated).

    Examples
    --------
    A shift of half the range in ``x``, none in ``c``: one of two columns drifts, which
    meets the default share of 0.5.

    >>> ref = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
    >>> cur = pd.DataFrame({"x": np.arange(100.0) + 50, "c": ["a", "b"] * 50})
    >>> rep = drift_report(ref, cur, method="evidently")
    >>> rep.table[["column", "test", "drifted"]].values.tolist()
    [['x', 'ks', True], ['c', 'z', False]]
    >>> rep.share_drifted, rep.dataset_drift
    (0.5, True)
    """
    frame("reference_df", reference_df)
    frame("current_df", current_df)
    method = option("method", method, METHODS)
    psi_binning = option("psi_binning", psi_binning, BINNINGS)
    drift_share = float(fraction("drift_share", drift_share, low_open=True))
    psi_bins = _check_bins("psi_bins", psi_bins)
    epsilon = _check_epsilon("epsilon", epsilon)
    all_statistics = flag("all_statistics", all_statistics)
    columns = _column_list("columns", columns, reference_df, current_df)
    categorical = _column_list("categorical", categorical, reference_df, current_df, among=columns)
    th = _thresholds(thresholds, method)
    cat = set(categorical)
    rows = []
    for col in columns:
        ref, cur = reference_df[col], current_df[col]
        if col in cat or _is_categorical(ref) or _is_categorical(cur):
            rows.append(_categorical_drift(col, ref, cur, method, th, epsilon))
            continue
        if method == "chisquare":
            raise ValueError(f"method='chisquare': column {col!r} is numeric; list it in categorical= "
                             "or use another method")
        r = ref.to_numpy(dtype=float, na_value=np.nan)
        c = cur.to_numpy(dtype=float, na_value=np.nan)
        r, c = r[np.isfinite(r)], c[np.isfinite(c)]
        if r.size == 0 or c.size == 0:
            raise ValueError(f"{'reference_df' if r.size == 0 else 'current_df'}[{col!r}] has no finite "
                             "value; pass data or leave the column out of columns=")
        rows.append(_numeric_drift(col, r, c, method, th, psi_bins, psi_binning, epsilon, all_statistics))
    table = pd.DataFrame(rows)
    lead = [c for c in DRIFT_COLUMNS if c in table.columns]
    table = table[lead + [c for c in table.columns if c not in lead]]
    share = float(table["drifted"].mean())
    return DriftReport(table=table, share_drifted=share, dataset_drift=share >= drift_share,
                       drift_share=drift_share, method=method)


