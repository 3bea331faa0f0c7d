r"""Validation: apply a :class:`~infra_lab.quality.contracts.Contract` to a table.

:func:`validate` runs every check the contract implies and returns a
:class:`ValidationReport`: one row per check, the gate verdict, and the failing rows
themselves. Failing rows are *reported*, never dropped: what to do with them is a decision
for the pipeline owner, not for the validator. :func:`robust_z_scores` is the outlier rule.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._checks import data_array, frame
from .._results import Result
from .contracts import Contract

__all__ = ["ValidationReport", "validate", "robust_z_scores"]

REPORT_COLUMNS = ["check", "column", "rule", "severity", "failing_rows", "failing_fraction", "passed", "examples"]


@dataclass(frozen=True)
class ValidationReport(Result):
    """Result of :func:`validate`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per check: ``check, column, rule, severity, failing_rows, failing_fraction,
        passed, examples`` (a few failing row labels and values).
    passed : bool
        The gate verdict: True when every *blocking* check passed. Warnings never block.
    n_rows : int
        Rows validated (all of them are still in the data: nothing is dropped).
    data : pandas.DataFrame
        The validated table itself (not a copy), so :meth:`failing_rows` can return rows.
    _rows : dict
        ``{(check, column): positions of the failing rows}``, read by :meth:`failing_rows`.

    See Also
    --------
    validate : returns it.
    """

    table: pd.DataFrame
    passed: bool
    n_rows: int
    data: pd.DataFrame = field(repr=False)
    _rows: dict = field(repr=False)

    def failing_rows(self, check: str, column: str | None = None) -> pd.DataFrame:
        """The rows of the validated data that fail ``check`` (on ``column``, if given).

        Parameters
        ----------
        check : str
            A ``check`` name of :attr:`table` (e.g. ``"range"``).
        column : str, optional
            Restrict to this column (key checks use ``"a+b"``); default: every column.

        Returns
        -------
        pandas.DataFrame
            Those rows of the input, with their original index; ``KeyError`` if the report
            has no such check.
        """
        keys = [k for k in self._rows if k[0] == check and (column is None or k[1] == column)]
        if not keys:
            raise KeyError(f"check={check!r}, column={column!r}: no such check in this report; "
                           f"checks: {sorted({k for k in self._rows})}")
        pos = np.unique(np.concatenate([self._rows[k] for k in keys]))
        return self.data.iloc[pos]

    @property
    def failures(self) -> pd.DataFrame:
        """The checks that did not pass (blocking and warning)."""
        return self.table[~self.table["passed"]].reset_index(drop=True)


def _robust_z(x: np.ndarray) -> np.ndarray:
    """Modified z-scores ignoring NaN (NaN stays NaN); 0 everywhere when MAD = 0."""
    if not np.isfinite(x).any():  # nothing to centre on
        return np.where(np.isnan(x), np.nan, 0.0)
    med = np.nanmedian(x)
    mad = np.nanmedian(np.abs(x - med))
    if not np.isfinite(mad) or mad == 0:
        return np.where(np.isnan(x), np.nan, 0.0)
    return 0.6745 * (x - med) / mad


def robust_z_scores(values: Any) -> np.ndarray:
    r"""Robust (modified) z-scores.

    .. math:: M_i = \frac{0.6745\,(x_i - \tilde x)}{\mathrm{MAD}},\quad
              \mathrm{MAD} = \mathrm{median}_i |x_i - \tilde x|

    with :math:`\tilde x` the median; 0.6745 is the 0.75 quantile of the standard normal, so
    :math:`M_i` reads like an ordinary z-score on normal data. Flag :math:`|M_i| > 3.5`.
    When MAD = 0 (more than half the values equal) every score is 0: the rule cannot tell
    outliers apart. Unitless.

    Parameters
    ----------
    values : array_like of float
        The observations (1-D, finite, no NaN: drop missing values first; ``validate``
        does that per column).

    Returns
    -------
    numpy.ndarray
        One score per value, unitless.

    See Also
    --------
    validate : applies the rule to a contract's ``outlier_z`` columns.

    References
    ----------
    Iglewicz & Hoaglin, *How to Detect and Handle Outliers*, ASQC Basic References in
    Quality Control vol. 16 (1993); as summarised in the NIST/SEMATECH e-Handbook of
    Statistical Methods, Section 1.3.5.17 "Detection of Outliers" (modified Z-score and the
    3.5 cut-off).

    Examples
    --------
    >>> robust_z_scores([1.0, 2.0, 3.0, 4.0, 100.0]).round(2).tolist()
    [-1.35, -0.67, 0.0, 0.67, 65.43]
    """
    return _robust_z(data_array("values", values))


def _examples(df: pd.DataFrame, pos: np.ndarray, column: str | None, k: int = 3) -> str:
    if len(pos) == 0:
        return ""
    idx = df.index[pos[:k]]
    if column is None or column not in df.columns:
        return ", ".join(f"row {i}" for i in idx)
    vals = df[column].iloc[pos[:k]]
    return ", ".join(f"row {i}: {v!r}" for i, v in zip(idx, vals.tolist()))


def _kind_ok(s: pd.Series, kind: str) -> tuple[bool, str]:
    t = s.dtype
    if kind == "number":
        return pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t), str(t)
    if kind == "integer":
        if pd.api.types.is_integer_dtype(t):
            return True, str(t)
        if pd.api.types.is_float_dtype(t):  # pandas stores ints with NaN as float
            v = s.to_numpy(dtype=float, na_value=np.nan)
            v = v[np.isfinite(v)]
            return bool(np.all(v == np.round(v))), str(t) + (" (whole numbers)" if np.all(v == np.round(v)) else " (fractions)")
        return False, str(t)
    if kind == "string":
        return pd.api.types.is_string_dtype(t) or t == object, str(t)
    if kind == "category":
        return (isinstance(t, pd.CategoricalDtype) or pd.api.types.is_string_dtype(t) or t == object
                or pd.api.types.is_integer_dtype(t) or pd.api.types.is_bool_dtype(t)), str(t)
    if kind == "datetime":
        return pd.api.types.is_datetime64_any_dtype(t), str(t)
    return pd.api.types.is_bool_dtype(t), str(t)  # bool


def _outside(values: pd.Series, lo: float | None, hi: float | None) -> np.ndarray:
    """Rows below ``lo`` or above ``hi`` (a missing bound is no bound; NaN is never outside)."""
    v = values.to_numpy(dtype=float, na_value=np.nan)
    bad = np.zeros(len(v), dtype=bool)
    if lo is not None:
        bad |= v < lo
    if hi is not None:
        bad |= v > hi
    return bad


def _reference_time(name: str, value: Any) -> Any:
    """``value`` as a Timestamp, or None; refuses numbers (read as ns), bools, NaT, junk."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_, int, float, np.number)) or not isinstance(
            value, (str, pd.Timestamp, np.datetime64)) and not hasattr(value, "year"):
        raise TypeError(f"{name}={value!r}: must be a timestamp (str, datetime or pandas.Timestamp), "
                        "not a number (pandas would read it as nanoseconds since 1970)")
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}={value!r}: not a timestamp pandas can read ({exc})") from None
    if pd.isna(ts):
        raise ValueError(f"{name}={value!r}: must be a time, not NaT")
    return ts


def validate(df: pd.DataFrame, contract: Contract, now: Any = None) -> ValidationReport:
    """Check a table against a data contract; report failing rows, never drop them.

    Checks, in order (``check`` column of the report):

    - ``schema_missing_column`` (blocking): a declared column is absent; its other checks
      are skipped. ``schema_extra_column``: an undeclared column (warning, or blocking if
      ``allow_extra_columns`` is False). ``schema_dtype``: the column's dtype does not fit
      the declared kind.
    - ``missingness``: fraction of nulls above the column's budget (``nullable`` /
      ``max_null_fraction``); the null rows are listed either way.
    - ``range`` (``min`` ≤ x ≤ ``max``), ``allowed_values`` (categories), ``outlier``
      (robust |z| > ``outlier_z``, Iglewicz & Hoaglin 1993; always a warning).
    - ``unique_key``: every row of a duplicated key (pandas ``duplicated(keep=False)``).
    - ``freshness``: the newest ``freshness_column`` value is older than ``max_age_hours``
      at ``now``; ``future_timestamp``: values after ``now``.
    - ``label_missing``, ``label_range``, ``label_allowed``, ``label_conflict`` (same
      ``conflict_keys``, different label).

    Parameters
    ----------
    df : pandas.DataFrame
        The table, at least one row; it is not modified.
    contract : Contract
        The rules (see :func:`load_contract`).
    now : str, datetime or pandas.Timestamp, optional
        Reference time for freshness (default: the current UTC time). Must be tz-aware if the
        column is, naive if it is naive. Numbers are refused (pandas would read them as
        nanoseconds since 1970), and so is NaT.

    Returns
    -------
    ValidationReport

    See Also
    --------
    load_contract, contract_from_dict : build the contract.
    robust_z_scores : the ``outlier`` rule.
    drift_report : compares two tables' distributions instead of one table with rules.

    References
    ----------
    Breck, Polyzotis, Roy, Whang & Zinkevich, "Data Validation for Machine Learning",
    Proc. MLSys 1 (2019) (schema checks on every batch; alert, do not drop). Schelter et
    al., "Automating Large-Scale Data Quality Verification", PVLDB 11(12) (2018),
    pp. 1781–1794 (completeness, uniqueness, range and domain checks). The article's
    validation table, Section "Data Quality, Validation, and Training-Serving Skew" (schema,
    missingness, ranges, label quality, duplicates, outliers).

    Examples
    --------
    >>> from infra_lab.quality import ColumnRule, Contract
    >>> c = Contract("t", (ColumnRule("x", min=0, max=10, nullable=False),), unique_keys=(("x",),))
    >>> r = validate(pd.DataFrame({"x": [1.0, 50.0, None, 1.0]}), c)
    >>> r.passed, r.n_rows
    (False, 4)
    >>> r.table.set_index("check").loc[["missingness", "range", "unique_key"], "failing_rows"].tolist()
    [1, 1, 2]
    >>> r.failing_rows("range").index.tolist()
    [1]
    """
    frame("df", df)  # an empty batch would pass every row check vacuously: refuse it
    if not isinstance(contract, Contract):
        raise TypeError(f"contract={type(contract).__name__}: must be a Contract (see load_contract)")
    now = _reference_time("now", now)
    n = len(df)
    rows: list[dict] = []
    masks: dict[tuple[str, str], np.ndarray] = {}
    all_pos = np.arange(n)

    def add(check: str, column: str, rule: str, severity: str, pos: np.ndarray, passed: bool | None = None,
            examples: str | None = None, count: int | None = None) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        cnt = len(pos) if count is None else count
        rows.append({"check": check, "column": column, "rule": rule, "severity": severity,
                     "failing_rows": int(cnt), "failing_fraction": cnt / n if n else 0.0,
                     "passed": bool(cnt == 0) if passed is None else bool(passed),
                     "examples": _examples(df, pos, column) if examples is None else examples})
        masks[(check, column)] = pos

    declared = [c.name for c in contract.columns]
    for extra in [c for c in df.columns if c not in declared]:
        add("schema_extra_column", str(extra), "column declared in the contract",
            "warning" if contract.allow_extra_columns else "blocking", np.array([], dtype=np.int64),
            passed=contract.allow_extra_columns, examples="not in the contract", count=0)
    present: set[str] = set()
    for rule in contract.columns:
        if rule.name not in df.columns:
            add("schema_missing_column", rule.name, f"column {rule.name!r} present", "blocking", all_pos,
                examples=f"column {rule.name!r} is missing; the table has {list(map(str, df.columns))}")
            continue
        present.add(rule.name)
        s = df[rule.name]
        ok, dtype = _kind_ok(s, rule.kind)
        add("schema_dtype", rule.name, f"kind {rule.kind}", "blocking", all_pos if not ok else all_pos[:0],
            examples=f"dtype {dtype}" if not ok else "")
        null = s.isna().to_numpy()
        npos = np.flatnonzero(null)
        frac = len(npos) / n if n else 0.0
        add("missingness", rule.name, f"nulls <= {rule.null_budget:.1%}", rule.severity, npos,
            passed=frac <= rule.null_budget)
        numeric = rule.kind in ("number", "integer") and ok
        if numeric and (rule.min is not None or rule.max is not None):
            bad = _outside(s, rule.min, rule.max)
            unit = f" {rule.unit}" if rule.unit else ""
            add("range", rule.name, f"{rule.min} <= x <= {rule.max}{unit}", rule.severity, np.flatnonzero(bad))
        if rule.allowed is not None:
            bad = ~s.isin(list(rule.allowed)).to_numpy() & ~null
            add("allowed_values", rule.name, f"in {list(rule.allowed)[:8]}{'...' if len(rule.allowed) > 8 else ''}",
                rule.severity, np.flatnonzero(bad))
        if numeric and rule.outlier_z is not None:
            z = _robust_z(s.to_numpy(dtype=float, na_value=np.nan))
            add("outlier", rule.name, f"robust |z| <= {rule.outlier_z}", "warning",
                np.flatnonzero(np.abs(np.nan_to_num(z)) > rule.outlier_z))
    for key in contract.unique_keys:
        missing = [k for k in key if k not in present]
        if missing:
            continue  # already reported as schema_missing_column
        dup = df.duplicated(subset=list(key), keep=False).to_numpy()
        add("unique_key", "+".join(key), f"unique ({', '.join(key)})", "blocking", np.flatnonzero(dup),
            examples=_examples(df, np.flatnonzero(dup), key[0]))
    if contract.freshness_column is not None and contract.freshness_column in present:
        col = contract.freshness_column
        ts = df[col]
        if not pd.api.types.is_datetime64_any_dtype(ts.dtype):
            raise TypeError(f"{contract.name}.{col}: freshness column must be a datetime column, got {ts.dtype}")
        aware = getattr(ts.dt, "tz", None) is not None
        if now is None:
            t_now = pd.Timestamp.now(tz="UTC")
            t_now = t_now if aware else t_now.tz_localize(None)
        else:
            t_now = pd.Timestamp(now)
            if (t_now.tzinfo is not None) != aware:
                raise TypeError(f"now={now!r}: must be {'tz-aware' if aware else 'naive'} like column {col!r} "
                                f"({ts.dtype}); mixing local and UTC times is a classic skew bug")
        newest = ts.max()
        age_h = (t_now - newest) / pd.Timedelta(hours=1) if pd.notna(newest) else math.inf
        stale = age_h > contract.max_age_hours
        add("freshness", col, f"newest age <= {contract.max_age_hours} h", "blocking",
            all_pos if stale else all_pos[:0], passed=not stale,
            examples=f"newest {newest} is {age_h:,.1f} h old at {t_now}", count=n if stale else 0)
        add("future_timestamp", col, f"{col} <= now", "blocking", np.flatnonzero((ts > t_now).to_numpy()))
    lab = contract.label
    if lab is not None and lab.column in present:
        y = df[lab.column]
        miss = np.flatnonzero(y.isna().to_numpy())
        add("label_missing", lab.column, f"unlabelled <= {lab.max_missing_fraction:.1%}", "blocking", miss,
            passed=(len(miss) / n if n else 0.0) <= lab.max_missing_fraction)
        if lab.min is not None or lab.max is not None:
            bad = _outside(y, lab.min, lab.max)
            add("label_range", lab.column, f"{lab.min} <= label <= {lab.max}", "blocking", np.flatnonzero(bad))
        if lab.allowed is not None:
            bad = ~y.isin(list(lab.allowed)).to_numpy() & y.notna().to_numpy()
            add("label_allowed", lab.column, f"label in {list(lab.allowed)}", "blocking", np.flatnonzero(bad))
        if lab.conflict_keys and all(k in present for k in lab.conflict_keys):
            keys = list(lab.conflict_keys)
            n_labels = df.groupby(keys, dropna=False)[lab.column].transform("nunique").to_numpy()
            add("label_conflict", lab.column, f"one label per ({', '.join(keys)})", "blocking",
                np.flatnonzero(n_labels > 1))
    table = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    blocking_ok = bool(table.loc[table["severity"] == "blocking", "passed"].all())
    return ValidationReport(table=table, passed=blocking_ok, n_rows=n, data=df, _rows=masks)


