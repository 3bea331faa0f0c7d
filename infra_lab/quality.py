r"""Data quality, validation and training-serving skew.

The article treats data validation as infrastructure: schema, missingness, ranges, label
quality, drift, duplicates, outliers, leakage and feature consistency are checked before
training, before deployment and during live inference. This module gives each control of
the article's validation table a function:

========================  ==========================================================
control                   function
========================  ==========================================================
schema validation         :func:`validate` (``schema_*`` checks of a :class:`Contract`)
range and distribution    :func:`validate` (``range``, ``allowed_values``, ``outlier``),
                          :func:`drift_report`
missingness               :func:`validate` (``missingness``)
duplicates, freshness     :func:`validate` (``unique_key``, ``freshness``)
label quality             :func:`validate` (``label_*`` checks of a :class:`LabelRule`)
feature consistency       :func:`feature_consistency` — :math:`F_{train}(D) = F_{serve}(D)`
leakage                   :func:`temporal_leakage`, :func:`target_leakage_scan`
drift / skew              :func:`drift_report` — :math:`P_{train}(X,Y) \ne P_{serve}(X,Y)`,
                          built on :func:`population_stability_index`, :func:`ks_test`,
                          :func:`jensen_shannon_distance`, :func:`wasserstein`,
                          :func:`chi_square_test`
========================  ==========================================================

Failing rows are *reported*, never dropped: what to do with them is a decision for the
pipeline owner, not for the validator.

Drift statistics drop missing values (NaN, ±inf) first, as Evidently does; missingness is
a separate check in :func:`validate`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import special, stats

from ._checks import require, require_columns, scalar_or_array

__all__ = [
    "ColumnRule",
    "LabelRule",
    "Contract",
    "ContractError",
    "contract_from_dict",
    "load_contract",
    "ValidationReport",
    "validate",
    "robust_z_scores",
    "population_stability_index",
    "KSResult",
    "ks_test",
    "jensen_shannon_distance",
    "wasserstein",
    "ChiSquareResult",
    "chi_square_test",
    "DriftReport",
    "drift_report",
    "DEFAULT_THRESHOLDS",
    "feature_consistency",
    "temporal_leakage",
    "target_leakage_scan",
]

# --------------------------------------------------------------------------------------
# Data contracts
# --------------------------------------------------------------------------------------

KINDS = ("number", "integer", "string", "category", "datetime", "bool")
SEVERITIES = ("blocking", "warning")


class ContractError(ValueError):
    """A data contract is malformed (unknown key, wrong type, min > max, ...)."""


def _contract_require(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise ContractError(f"{where}: {message}")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, bool)


@dataclass(frozen=True)
class ColumnRule:
    """What one column must look like.

    Parameters
    ----------
    name : str
        Column name.
    kind : str
        One of ``number``, ``integer`` (integral values; a float column holding whole numbers
        and NaN passes, since pandas stores nullable integers as float), ``string``,
        ``category``, ``datetime``, ``bool``.
    nullable : bool
        ``False`` means any missing value fails the ``missingness`` check.
    max_null_fraction : float or None
        Missingness budget in [0, 1] for a nullable column (None: no budget).
    min, max : float or None
        Inclusive value range, in the column's own unit.
    allowed : tuple or None
        Allowed categories.
    outlier_z : float or None
        Flag values with robust |z| above this (Iglewicz & Hoaglin 1993 recommend 3.5);
        always a warning, because real extremes exist.
    severity : str
        ``blocking`` (fails the gate) or ``warning`` for this column's checks.
    unit, description : str
        Documentation carried into the report.
    """

    name: str
    kind: str = "number"
    nullable: bool = True
    max_null_fraction: float | None = None
    min: float | None = None
    max: float | None = None
    allowed: tuple | None = None
    outlier_z: float | None = None
    severity: str = "blocking"
    unit: str = ""
    description: str = ""

    def __post_init__(self) -> None:
        where = f"column rule {self.name!r}"
        _contract_require(isinstance(self.name, str) and self.name != "", "column rule",
                          f"name={self.name!r}: must be a non-empty string")
        _contract_require(self.kind in KINDS, where, f"kind={self.kind!r}: must be one of {list(KINDS)}")
        _contract_require(isinstance(self.nullable, bool), where,
                          f"nullable={self.nullable!r}: must be true or false")
        _contract_require(self.severity in SEVERITIES, where,
                          f"severity={self.severity!r}: must be one of {list(SEVERITIES)}")
        if self.max_null_fraction is not None:
            _contract_require(_is_number(self.max_null_fraction) and 0 <= self.max_null_fraction <= 1,
                              where, f"max_null_fraction={self.max_null_fraction!r}: must be a number in [0, 1]")
            _contract_require(self.nullable or self.max_null_fraction == 0, where,
                              "nullable=false contradicts max_null_fraction > 0")
        for key in ("min", "max"):
            v = getattr(self, key)
            _contract_require(v is None or _is_number(v), where, f"{key}={v!r}: must be a number or null")
        if self.min is not None or self.max is not None:
            _contract_require(self.kind in ("number", "integer"), where,
                              f"min/max need kind number or integer, not {self.kind!r}")
        if self.min is not None and self.max is not None:
            _contract_require(self.min <= self.max, where, f"min={self.min!r} > max={self.max!r}")
        if self.allowed is not None:
            _contract_require(isinstance(self.allowed, (tuple, list)) and len(self.allowed) > 0, where,
                              f"allowed={self.allowed!r}: must be a non-empty list of categories")
            object.__setattr__(self, "allowed", tuple(self.allowed))
        if self.outlier_z is not None:
            _contract_require(_is_number(self.outlier_z) and self.outlier_z > 0, where,
                              f"outlier_z={self.outlier_z!r}: must be a number > 0")
            _contract_require(self.kind in ("number", "integer"), where, "outlier_z needs a numeric kind")

    @property
    def null_budget(self) -> float:
        """Largest allowed fraction of missing values."""
        if not self.nullable:
            return 0.0
        return 1.0 if self.max_null_fraction is None else float(self.max_null_fraction)


@dataclass(frozen=True)
class LabelRule:
    """Label-quality rules for the training label.

    A row without a usable label cannot be trained on; a label out of range or two
    identical examples (same ``conflict_keys``) with different labels are label noise.

    Parameters
    ----------
    column : str
        The label column.
    min, max : float or None
        Plausible label range (inclusive).
    allowed : tuple or None
        Allowed classes for a categorical label.
    max_missing_fraction : float
        Share of rows allowed to lack a label before the gate fails (0 = none).
    conflict_keys : tuple of str
        Columns that identify one example; rows sharing them must share the label.
    """

    column: str
    min: float | None = None
    max: float | None = None
    allowed: tuple | None = None
    max_missing_fraction: float = 0.0
    conflict_keys: tuple = ()

    def __post_init__(self) -> None:
        where = f"label rule {self.column!r}"
        _contract_require(isinstance(self.column, str) and self.column != "", "label rule",
                          f"column={self.column!r}: must be a non-empty string")
        for key in ("min", "max"):
            v = getattr(self, key)
            _contract_require(v is None or _is_number(v), where, f"{key}={v!r}: must be a number or null")
        if self.min is not None and self.max is not None:
            _contract_require(self.min <= self.max, where, f"min={self.min!r} > max={self.max!r}")
        _contract_require(_is_number(self.max_missing_fraction) and 0 <= self.max_missing_fraction <= 1,
                          where, f"max_missing_fraction={self.max_missing_fraction!r}: must be in [0, 1]")
        if self.allowed is not None:
            _contract_require(isinstance(self.allowed, (tuple, list)) and len(self.allowed) > 0, where,
                              f"allowed={self.allowed!r}: must be a non-empty list")
            object.__setattr__(self, "allowed", tuple(self.allowed))
        _contract_require(isinstance(self.conflict_keys, (tuple, list))
                          and all(isinstance(k, str) for k in self.conflict_keys), where,
                          f"conflict_keys={self.conflict_keys!r}: must be a list of column names")
        object.__setattr__(self, "conflict_keys", tuple(self.conflict_keys))


@dataclass(frozen=True)
class Contract:
    """A data contract: the columns a table must have and the rules its rows must meet.

    Parameters
    ----------
    name : str
        Table name, used in messages.
    columns : tuple of ColumnRule
        Declared columns.
    unique_keys : tuple of tuple of str
        Each tuple of columns must identify at most one row (duplicates fail).
    freshness_column : str or None
        Timestamp column; the newest value must be at most ``max_age_hours`` old at ``now``,
        and no value may lie in the future.
    max_age_hours : float or None
        Freshness budget in hours.
    label : LabelRule or None
        Label-quality rules.
    allow_extra_columns : bool
        If False, undeclared columns are a blocking schema failure (else a warning).
    """

    name: str
    columns: tuple = ()
    unique_keys: tuple = ()
    freshness_column: str | None = None
    max_age_hours: float | None = None
    label: LabelRule | None = None
    allow_extra_columns: bool = True

    def __post_init__(self) -> None:
        where = f"contract {self.name!r}"
        _contract_require(isinstance(self.name, str) and self.name != "", "contract",
                          f"name={self.name!r}: must be a non-empty string")
        _contract_require(isinstance(self.columns, (tuple, list)) and len(self.columns) > 0, where,
                          "columns: must be a non-empty list of column rules")
        _contract_require(all(isinstance(c, ColumnRule) for c in self.columns), where,
                          "columns: every entry must be a ColumnRule")
        object.__setattr__(self, "columns", tuple(self.columns))
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        _contract_require(not dupes, where, f"columns declared twice: {dupes}")
        keys = tuple(tuple([k] if isinstance(k, str) else k) for k in self.unique_keys)
        for key in keys:
            unknown = [k for k in key if k not in names]
            _contract_require(len(key) > 0 and not unknown, where,
                              f"unique_keys {list(key)}: columns {unknown} are not declared")
        object.__setattr__(self, "unique_keys", keys)
        if self.freshness_column is not None:
            _contract_require(self.freshness_column in names, where,
                              f"freshness_column={self.freshness_column!r} is not a declared column")
            _contract_require(_is_number(self.max_age_hours) and self.max_age_hours > 0, where,
                              f"max_age_hours={self.max_age_hours!r}: must be a number > 0 with a freshness_column")
        if self.label is not None:
            _contract_require(isinstance(self.label, LabelRule), where, "label: must be a LabelRule")
            unknown = [k for k in (self.label.column, *self.label.conflict_keys) if k not in names]
            _contract_require(not unknown, where, f"label rule refers to undeclared columns {unknown}")
        _contract_require(isinstance(self.allow_extra_columns, bool), where,
                          f"allow_extra_columns={self.allow_extra_columns!r}: must be true or false")

    def rule(self, name: str) -> ColumnRule:
        """The rule of column ``name``."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"contract {self.name!r} declares no column {name!r}; it has {[c.name for c in self.columns]}")


def _build(cls: type, spec: Any, where: str) -> Any:
    _contract_require(isinstance(spec, Mapping), where, f"must be a mapping, got {type(spec).__name__}")
    allowed = [f.name for f in fields(cls)]
    unknown = sorted(set(spec) - set(allowed))
    _contract_require(not unknown, where, f"unknown key(s) {unknown}; allowed: {allowed}")
    try:
        return cls(**spec)
    except TypeError as exc:  # a required key is missing
        raise ContractError(f"{where}: {exc}") from None


def contract_from_dict(spec: Mapping[str, Any]) -> Contract:
    """Build a :class:`Contract` from plain data (the parsed YAML/JSON).

    Keys mirror the dataclass fields; ``freshness`` may be given as
    ``{"column": ..., "max_age_hours": ...}`` and ``label`` as a mapping.

    >>> c = contract_from_dict({"name": "t", "columns": [{"name": "x", "min": 0, "max": 1}]})
    >>> c.columns[0].max
    1
    >>> contract_from_dict({"name": "t", "columns": [{"name": "x", "maxx": 1}]})
    Traceback (most recent call last):
    ...
    infra_lab.quality.ContractError: columns[0]: unknown key(s) ['maxx']; allowed: ['name', 'kind', 'nullable', 'max_null_fraction', 'min', 'max', 'allowed', 'outlier_z', 'severity', 'unit', 'description']
    """
    _contract_require(isinstance(spec, Mapping), "contract", f"must be a mapping, got {type(spec).__name__}")
    spec = dict(spec)
    fresh = spec.pop("freshness", None)
    if fresh is not None:
        _contract_require(isinstance(fresh, Mapping) and set(fresh) <= {"column", "max_age_hours"}, "freshness",
                          f"{fresh!r}: must be a mapping with keys column, max_age_hours")
        spec["freshness_column"] = fresh.get("column")
        spec["max_age_hours"] = fresh.get("max_age_hours")
    cols = spec.get("columns")
    _contract_require(isinstance(cols, list), "contract", f"columns={cols!r}: must be a list of column rules")
    spec["columns"] = tuple(_build(ColumnRule, c, f"columns[{i}]") for i, c in enumerate(cols))
    if spec.get("label") is not None:
        spec["label"] = _build(LabelRule, spec["label"], "label")
    if "unique_keys" in spec:
        uk = spec["unique_keys"]
        _contract_require(isinstance(uk, list), "unique_keys", f"{uk!r}: must be a list of column lists")
        spec["unique_keys"] = tuple(tuple([k] if isinstance(k, str) else k) for k in uk)
    return _build(Contract, spec, "contract")


def load_contract(path: str | Path) -> Contract:
    """Load a contract from a ``.yaml``/``.yml`` or ``.json`` file (see :func:`contract_from_dict`).

    Parameters
    ----------
    path : str or Path
        The contract file; its suffix picks the parser.

    Returns
    -------
    Contract

    Raises
    ------
    FileNotFoundError
        ``path`` does not exist.
    ContractError
        The file is not a valid contract; the message names the offending key.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"path={str(path)!r}: contract file not found")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ContractError(f"{path}: not valid YAML: {exc}") from None
    elif path.suffix.lower() == ".json":
        try:
            spec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(f"{path}: not valid JSON: {exc}") from None
    else:
        raise ValueError(f"path={str(path)!r}: must end in .yaml, .yml or .json")
    try:
        return contract_from_dict(spec)
    except ContractError as exc:
        raise ContractError(f"{path.name}: {exc}") from None


# --------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------

REPORT_COLUMNS = ["check", "column", "rule", "severity", "failing_rows", "failing_fraction", "passed", "examples"]


@dataclass(frozen=True)
class ValidationReport:
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


def robust_z_scores(values: Any) -> np.ndarray:
    r"""Robust (modified) z-scores.

    .. math:: M_i = 0.6745\,(x_i - \tilde x) / \mathrm{MAD},\quad \mathrm{MAD} = \mathrm{median}|x_i - \tilde x|

    Source: Iglewicz & Hoaglin (1993), *How to Detect and Handle Outliers*, who flag
    :math:`|M_i| > 3.5`. Median and MAD ignore NaN; NaN stays NaN. When MAD = 0 (more than
    half the values equal) every score is 0 except NaN: the rule cannot tell outliers apart.

    >>> robust_z_scores([1.0, 2.0, 3.0, 4.0, 100.0]).round(2).tolist()
    [-1.35, -0.67, 0.0, 0.67, 65.43]
    """
    x = np.asarray(values, dtype=float)
    if not np.isfinite(x).any():  # nothing to centre on
        return np.full(x.shape, np.nan) if np.isnan(x).all() else np.where(np.isnan(x), np.nan, 0.0)
    med = np.nanmedian(x)
    mad = np.nanmedian(np.abs(x - med))
    if not np.isfinite(mad) or mad == 0:
        return np.where(np.isnan(x), np.nan, 0.0)
    return 0.6745 * (x - med) / mad


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
        The table; it is not modified.
    contract : Contract
        The rules.
    now : timestamp-like, optional
        Reference time for freshness (default: the current UTC time). Must be tz-aware if the
        column is, naive if it is naive.

    Returns
    -------
    ValidationReport

    >>> c = Contract("t", (ColumnRule("x", min=0, max=10, nullable=False),), unique_keys=(("x",),))
    >>> r = validate(pd.DataFrame({"x": [1.0, 50.0, None, 1.0]}), c)
    >>> r.passed, r.n_rows
    (False, 4)
    >>> r.table.set_index("check").loc[["missingness", "range", "unique_key"], "failing_rows"].tolist()
    [1, 1, 2]
    >>> r.failing_rows("range").index.tolist()
    [1]
    """
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df={type(df).__name__}: must be a pandas DataFrame")
    if not isinstance(contract, Contract):
        raise TypeError(f"contract={type(contract).__name__}: must be a Contract (see load_contract)")
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
            z = robust_z_scores(s.to_numpy(dtype=float, na_value=np.nan))
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


# --------------------------------------------------------------------------------------
# Drift statistics
# --------------------------------------------------------------------------------------

BINNINGS = ("quantile", "evidently", "uniform")


def _clean(values: Any, name: str) -> np.ndarray:
    """Numeric 1-D array with NaN and ±inf dropped (as Evidently does before drift tests)."""
    try:
        x = np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):
        raise TypeError(f"{name}: must be numbers (use a categorical test for labels/strings)") from None
    x = x[np.isfinite(x)]
    require(x.size > 0, name, values if np.size(values) < 10 else f"<{np.size(values)} values>",
            "needs at least one finite value")
    return x


def _evidently_fill_zeros(p: np.ndarray) -> np.ndarray:
    # Evidently stattests/utils.get_binned_data(feel_zeroes=True): an empty bin gets 1e-4,
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
        edges = np.asarray(bins, dtype=float)
        require(edges.size >= 2 and np.all(np.diff(edges) > 0), "bins", bins, "edges must increase strictly")
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

    .. math:: PSI = \sum_i (c_i - r_i)\,\ln(c_i / r_i)

    with :math:`r_i, c_i` the shares of the reference and current samples in bin *i*.
    Reading (Yurdakul 2018): < 0.1 little change, 0.1–0.25 moderate, > 0.25 significant.
    Unitless. NaN/±inf are dropped first.

    Binning (PSI depends on it — always report it):

    - ``"quantile"``: ``bins`` reference quantile bins (deciles by default), the outer two
      open-ended so current values outside the reference range are counted; bins
      ``[q_{i-1}, q_i)``; tied quantiles merge bins. Empty bins get share ``epsilon``.
      Not symmetric: swapping the samples changes the bins.
    - ``"evidently"``: exactly Evidently's ``stattests/psi.py`` + ``utils.get_binned_data``:
      one bin per value if the reference has ≤ 20 distinct values, else equal-width Sturges
      bins (``np.histogram_bin_edges(..., "sturges")``) over both samples combined; an empty
      bin gets 1e-4, or (smallest non-zero share)/1e6 if that is ≤ 1e-4 (``epsilon`` unused).
      ``bins`` is ignored, as in Evidently. Symmetric only when both samples have > 20
      distinct values (the per-value rule looks at the reference alone).
    - ``"uniform"``: ``bins`` equal-width bins over the reference range, outer bins open.
    - ``bins`` given as an array of edges: those edges (outer bins open), any ``binning``.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples.
    bins : int or array of edges
        Number of bins (≥ 2) or the edges.
    binning : str
        One of ``quantile``, ``evidently``, ``uniform``.
    epsilon : float
        Share given to an empty bin, > 0 (classic practice; 1e-4 as Evidently's default).

    Returns
    -------
    float

    >>> population_stability_index([1, 2, 3, 4], [1, 2, 3, 4])
    0.0
    >>> round(population_stability_index([0.5, 1.5], [0.5, 0.5, 0.5, 1.5], bins=[0, 1, 2]), 4)
    0.2747
    """
    require(binning in BINNINGS, "binning", binning, f"must be one of {list(BINNINGS)}")
    require(isinstance(epsilon, (int, float)) and epsilon > 0, "epsilon", epsilon, "must be > 0")
    if np.ndim(bins) == 0:
        require(isinstance(bins, (int, np.integer)) and bins >= 2, "bins", bins, "must be an integer >= 2 or edges")
    r = np.sort(_clean(reference, "reference"))
    c = np.sort(_clean(current, "current"))
    return _psi_sorted(r, c, bins, binning, float(epsilon))


@dataclass(frozen=True)
class KSResult:
    """Two-sample Kolmogorov–Smirnov test: statistic D (unitless) and two-sided p-value."""

    statistic: float
    p_value: float
    n_reference: int
    n_current: int


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
    samples of at most 10,000, else Smirnov's asymptotic ``kstwo.sf(D, round(mn/(m+n)))``).
    At large n the p-value flags trivially small shifts: read D as the effect size.
    On rounded data (many ties) D jumps by a whole tied value's share even for a shift
    smaller than the rounding step.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples (NaN and ±inf dropped).

    Returns
    -------
    KSResult
        ``statistic`` D in [0, 1] (unitless), two-sided ``p_value``, both sample sizes.

    >>> r = ks_test([1, 2, 3], [1, 2, 3])
    >>> r.statistic, r.p_value
    (0.0, 1.0)
    """
    r = np.sort(_clean(reference, "reference"))
    c = np.sort(_clean(current, "current"))
    return _ks_sorted(r, c)


def jensen_shannon_distance(p: Any, q: Any, base: float | None = None, axis: int = -1) -> Any:
    r"""Jensen–Shannon distance between two distributions (counts or probabilities).

    .. math:: JS(p, q) = \sqrt{\tfrac12 KL(p\,\|\,m) + \tfrac12 KL(q\,\|\,m)},\quad m = \tfrac12 (p + q)

    As ``scipy.spatial.distance.jensenshannon``: inputs are normalised to sum 1 along
    ``axis``, natural log unless ``base`` is given; the result is the *distance* (square
    root of the divergence), bounded by :math:`\sqrt{\ln 2}` nats (1 in base 2).

    Parameters
    ----------
    p, q : array-like of float
        Counts or probabilities (≥ 0, same shape, positive total along ``axis``), e.g. the
        two histograms of a feature over the same bins.
    base : float, optional
        Logarithm base (default e, nats; 2 gives bits).
    axis : int
        Axis holding the distribution.

    Returns
    -------
    float or numpy.ndarray
        The distance, in [0, √ln 2] nats (or [0, 1] in base 2).

    >>> jensen_shannon_distance([1, 0, 0], [0, 1, 0], base=2.0)
    1.0
    >>> round(jensen_shannon_distance([1.0, 0.0], [0.5, 0.5]), 14)  # SciPy docs: 0.46450140402245893
    0.46450140402246
    """
    p = np.asarray(p, dtype=float)
    q = np.asarray(q, dtype=float)
    require(p.shape == q.shape, "q", q.shape, f"must have the shape of p {p.shape}")
    require((p >= 0).all() & (q >= 0).all(), "p, q", "negative entries", "must be counts or probabilities >= 0")
    if base is not None:
        require(base > 0 and base != 1, "base", base, "must be > 0 and != 1")
    require(p.sum(axis=axis) > 0, "p", "all zeros", "needs a positive total to normalise")
    require(q.sum(axis=axis) > 0, "q", "all zeros", "needs a positive total to normalise")
    p = p / p.sum(axis=axis, keepdims=True)
    q = q / q.sum(axis=axis, keepdims=True)
    m = (p + q) / 2.0
    js = special.rel_entr(p, m).sum(axis=axis) + special.rel_entr(q, m).sum(axis=axis)
    if base is not None:
        js = js / np.log(base)
    # rounding can leave the divergence of (near-)identical inputs at about -1e-16: clip, or sqrt gives NaN
    return scalar_or_array(np.sqrt(np.maximum(js, 0.0) / 2.0))


def _wasserstein_sorted(r: np.ndarray, c: np.ndarray, cdfs: tuple | None = None) -> float:
    merged, fr, fc = cdfs if cdfs is not None else _ecdfs_on_merged(r, c)
    return float(np.sum(np.abs(fr[:-1] - fc[:-1]) * np.diff(merged)))


def wasserstein(reference: Any, current: Any, normed: bool = False) -> float:
    r"""First Wasserstein (earth mover's) distance between two samples.

    .. math:: W_1 = \int |F_{ref}(x) - F_{cur}(x)|\,dx

    In the samples' own unit (°F in, °F out) — so it is not comparable across features
    unless ``normed``: then divided by ``max(std(reference), 0.001)`` as Evidently's
    ``wasserstein_distance_norm`` does (default drift threshold 0.1 there). Same value as
    ``scipy.stats.wasserstein_distance``.

    Parameters
    ----------
    reference, current : array-like of float
        The two samples (NaN and ±inf dropped).
    normed : bool
        Divide by the reference standard deviation (Evidently's normed variant).

    Returns
    -------
    float
        In the samples' unit, or in reference standard deviations if ``normed``.

    >>> wasserstein([0, 1, 3], [5, 6, 8])
    5.0
    """
    r = np.sort(_clean(reference, "reference"))
    c = np.sort(_clean(current, "current"))
    w = _wasserstein_sorted(r, c)
    return w / max(float(np.std(r)), 0.001) if normed else w


@dataclass(frozen=True)
class ChiSquareResult:
    """Pearson chi-square test: statistic, p-value, degrees of freedom and the method used."""

    statistic: float
    p_value: float
    dof: int
    method: str


CHI_METHODS = ("homogeneity", "goodness_of_fit")


def chi_square_test(reference: Any, current: Any, method: str = "homogeneity", counts: bool = False) -> ChiSquareResult:
    r"""Pearson chi-square test that a categorical feature has the same distribution.

    .. math:: \chi^2 = \sum (O - E)^2 / E

    - ``"homogeneity"`` (default): a 2 × k contingency table (reference row, current row);
      :math:`E_{ij} = R_i C_j / N`, dof = k − 1, no Yates correction (as
      ``scipy.stats.chi2_contingency(..., correction=False)``). Both samples are random.
    - ``"goodness_of_fit"``: the current counts against the reference *shares* scaled to
      the current total, dof = k − 1 (as ``scipy.stats.chisquare``; Evidently's
      ``chisquare`` stattest). Treats the reference as the known truth, so it is more
      eager to flag drift when the reference is small.

    Categories are the union of both samples (missing values dropped). With
    ``counts=True``, ``reference`` and ``current`` are aligned count vectors instead.

    Parameters
    ----------
    reference, current : array-like
        Category labels of each sample, or aligned counts with ``counts=True``.
    method : str
        ``homogeneity`` or ``goodness_of_fit``.
    counts : bool
        Inputs are count vectors rather than labels.

    Returns
    -------
    ChiSquareResult
        ``statistic`` (unitless), ``p_value``, ``dof`` and ``method``.

    >>> r = chi_square_test([1, 1, 1, 1, 1, 1], [16, 18, 16, 14, 12, 12], "goodness_of_fit", counts=True)
    >>> r.statistic, round(r.p_value, 6)
    (2.0, 0.849145)
    """
    require(method in CHI_METHODS, "method", method, f"must be one of {list(CHI_METHODS)}")
    if counts:
        rc = np.asarray(reference, dtype=float)
        cc = np.asarray(current, dtype=float)
        require(rc.shape == cc.shape and rc.ndim == 1, "current", cc.shape, f"must align with reference {rc.shape}")
        require((rc >= 0).all() and (cc >= 0).all(), "reference, current", "negative counts", "counts must be >= 0")
    else:
        rc, cc = _category_counts(pd.Series(np.asarray(reference, dtype=object)),
                                  pd.Series(np.asarray(current, dtype=object)))
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


# --------------------------------------------------------------------------------------
# Drift report
# --------------------------------------------------------------------------------------

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
class DriftReport:
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
    method : str
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
        stat, p = res.statistic, res.p_value
    elif test == "wasserstein":
        stat = _wasserstein_sorted(r, c, cdfs) / max(float(np.std(r)), 0.001)
    elif test == "psi":
        stat = _psi_sorted(r, c, psi_bins, psi_binning, epsilon)
    elif test in ("chisquare", "z", "jensenshannon") and method == "evidently":
        _, rc, cc = _value_counts_sorted(r, c)
        if test == "chisquare":
            res2 = _chi_counts(rc, cc, "goodness_of_fit")
            stat, p = res2.statistic, res2.p_value
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
        stat, p = res2.statistic, res2.p_value
    row.update(_verdict(test, stat, p, thresholds))
    if all_statistics:
        ks = _ks_sorted(r, c, cdfs)
        w = _wasserstein_sorted(r, c, cdfs)
        row.update(psi=_psi_sorted(r, c, psi_bins, psi_binning, epsilon), ks_statistic=ks.statistic,
                   ks_p_value=ks.p_value, wasserstein=w, wasserstein_normed=w / max(float(np.std(r)), 0.001))
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
        raise ValueError(f"column {name!r}: no non-missing values in the "
                         f"{'reference' if n_ref == 0 else 'current'} table")
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
        stat, p = res.statistic, res.p_value
    elif test == "z":
        stat, p = _z_test_counts(rc, cc)
    elif test == "jensenshannon":
        stat = jensen_shannon_distance(rc, cc)
    else:
        rs, cs = rc / rc.sum(), cc / cc.sum()
        stat = _psi_from_shares(np.where(rs == 0, epsilon, rs), np.where(cs == 0, epsilon, cs))
    row.update(_verdict(test, stat, p, thresholds))
    return row


def drift_report(reference_df: pd.DataFrame, current_df: pd.DataFrame, columns: Sequence[str] | None = None,
                 method: str = "auto", thresholds: Mapping[str, float] | float | None = None,
                 categorical: Sequence[str] = (), drift_share: float = 0.5, psi_bins: int | Sequence[float] = 10,
                 psi_binning: str = "quantile", epsilon: float = 1e-4, all_statistics: bool = False) -> DriftReport:
    r"""Per-column drift between a reference (training) and a current (serving) table.

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
    columns : list of str, optional
        Columns to compare (default: those in both tables, in reference order).
    method : str
        See above.
    thresholds : float or dict, optional
        One threshold for the chosen test, or ``{test: threshold}`` overriding
        :data:`DEFAULT_THRESHOLDS`.
    categorical : list of str
        Numeric columns to treat as categorical (e.g. codes).
    drift_share : float
        Dataset drift when the share of drifted columns is ≥ this (Evidently: 0.5).
    psi_bins, psi_binning, epsilon
        Passed to :func:`population_stability_index`.
    all_statistics : bool
        Add ``psi, ks_statistic, ks_p_value, wasserstein, wasserstein_normed``.

    >>> ref = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
    >>> cur = pd.DataFrame({"x": np.arange(100.0) + 50, "c": ["a", "b"] * 50})
    >>> rep = drift_report(ref, cur, method="evidently")
    >>> rep.table[["column", "test", "drifted"]].values.tolist()
    [['x', 'ks', True], ['c', 'z', False]]
    >>> rep.share_drifted, rep.dataset_drift
    (0.5, True)
    """
    if not isinstance(reference_df, pd.DataFrame) or not isinstance(current_df, pd.DataFrame):
        raise TypeError("reference_df, current_df: must be pandas DataFrames")
    require(method in METHODS, "method", method, f"must be one of {list(METHODS)}")
    require(psi_binning in BINNINGS, "psi_binning", psi_binning, f"must be one of {list(BINNINGS)}")
    require(0 < drift_share <= 1, "drift_share", drift_share, "must be in (0, 1]")
    if columns is None:
        columns = [c for c in reference_df.columns if c in current_df.columns]
    columns = list(columns)
    require(len(columns) > 0, "columns", columns, "must name at least one column present in both tables")
    require_columns(reference_df, columns, "reference_df")
    require_columns(current_df, columns, "current_df")
    th = dict(DEFAULT_THRESHOLDS)
    if isinstance(thresholds, Mapping):
        unknown = sorted(set(thresholds) - set(th))
        require(not unknown, "thresholds", dict(thresholds), f"keys must be among {sorted(th)}")
        th.update({k: float(v) for k, v in thresholds.items()})
    elif thresholds is not None:
        require(method not in ("auto", "evidently"), "thresholds", thresholds,
                "a single number needs a single-test method; pass a dict {test: threshold}")
        th[method] = float(thresholds)
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
            raise ValueError(f"column {col!r}: no finite values in the "
                             f"{'reference' if r.size == 0 else 'current'} table")
        rows.append(_numeric_drift(col, r, c, method, th, psi_bins, psi_binning, epsilon, all_statistics))
    table = pd.DataFrame(rows)
    lead = [c for c in DRIFT_COLUMNS if c in table.columns]
    table = table[lead + [c for c in table.columns if c not in lead]]
    share = float(table["drifted"].mean())
    return DriftReport(table=table, share_drifted=share, dataset_drift=share >= drift_share,
                       drift_share=drift_share, method=method)


# --------------------------------------------------------------------------------------
# Feature consistency and leakage
# --------------------------------------------------------------------------------------

CONSISTENCY_COLUMNS = ["feature", "mismatched_rows", "mismatch_fraction", "max_abs_diff", "example"]


def feature_consistency(training_fn: Callable[[pd.DataFrame], pd.DataFrame],
                        serving_fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame,
                        atol: float = 1e-9, rtol: float = 1e-6, features: Sequence[str] | None = None) -> pd.DataFrame:
    r"""Check :math:`F_{train}(D) = F_{serve}(D)`: run both feature code paths on the same rows.

    Numeric features match when ``|a - b| <= atol + rtol |b|`` (``numpy.isclose``) or both
    are NaN; other features must be equal (both missing counts as equal). Rows are compared
    by position, so both functions must return one row per input row. A feature produced
    by only one path is reported with every row mismatched.

    Parameters
    ----------
    training_fn, serving_fn : callable
        ``DataFrame -> DataFrame`` of features (same row order as the input).
    df : pandas.DataFrame
        The shared input rows (each function receives a copy).
    atol, rtol : float
        Absolute (feature units) and relative tolerance, ≥ 0.
    features : list of str, optional
        Features to compare (default: the union of both outputs' columns).

    Returns
    -------
    pandas.DataFrame
        ``feature, mismatched_rows, mismatch_fraction, max_abs_diff`` (NaN if not numeric)
        and ``example`` (first mismatching row: training vs serving value); one row per
        feature, sorted as the training output. ``(table.mismatched_rows == 0).all()`` is the
        consistency verdict.

    >>> df = pd.DataFrame({"temp_f": [50.0, 68.0]})
    >>> train = lambda d: pd.DataFrame({"temp": d["temp_f"]})
    >>> serve = lambda d: pd.DataFrame({"temp": (d["temp_f"] - 32) / 1.8})
    >>> feature_consistency(train, serve, df)[["feature", "mismatched_rows", "max_abs_diff"]].values.tolist()
    [['temp', 2, 48.0]]
    """
    require(callable(training_fn), "training_fn", training_fn, "must be a function DataFrame -> DataFrame")
    require(callable(serving_fn), "serving_fn", serving_fn, "must be a function DataFrame -> DataFrame")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df={type(df).__name__}: must be a pandas DataFrame")
    require(atol >= 0, "atol", atol, "must be >= 0")
    require(rtol >= 0, "rtol", rtol, "must be >= 0")
    a = pd.DataFrame(training_fn(df.copy()))
    b = pd.DataFrame(serving_fn(df.copy()))
    require(len(a) == len(b) == len(df), "training_fn/serving_fn", (len(a), len(b)),
            f"must each return one row per input row ({len(df)})")
    names = list(features) if features is not None else list(a.columns) + [c for c in b.columns if c not in a.columns]
    n = len(df)
    rows = []
    for f in names:
        if f not in a.columns or f not in b.columns:
            side = "training" if f not in a.columns else "serving"
            rows.append({"feature": f, "mismatched_rows": n, "mismatch_fraction": 1.0 if n else 0.0,
                         "max_abs_diff": np.nan, "example": f"missing from the {side} output"})
            continue
        x, y = a[f].reset_index(drop=True), b[f].reset_index(drop=True)
        both_num = (pd.api.types.is_numeric_dtype(x.dtype) and pd.api.types.is_numeric_dtype(y.dtype)
                    and not pd.api.types.is_bool_dtype(x.dtype))
        if both_num:
            xv, yv = x.to_numpy(dtype=float, na_value=np.nan), y.to_numpy(dtype=float, na_value=np.nan)
            bad = ~np.isclose(xv, yv, rtol=rtol, atol=atol, equal_nan=True)
            diff = np.abs(xv - yv)
            max_diff = float(np.nanmax(diff[bad])) if bad.any() and np.isfinite(diff[bad]).any() else (
                0.0 if not bad.any() else np.inf)
        else:
            both_na = x.isna().to_numpy() & y.isna().to_numpy()
            eq = (x.astype(object).to_numpy() == y.astype(object).to_numpy())
            bad = ~(eq | both_na)
            max_diff = np.nan
        pos = np.flatnonzero(bad)
        ex = (f"row {df.index[pos[0]]}: training {_plain(x.iloc[pos[0]])!r} vs serving {_plain(y.iloc[pos[0]])!r}"
              if pos.size else "")
        rows.append({"feature": f, "mismatched_rows": int(pos.size), "mismatch_fraction": pos.size / n if n else 0.0,
                     "max_abs_diff": max_diff, "example": ex})
    return pd.DataFrame(rows, columns=CONSISTENCY_COLUMNS)


def _plain(v: Any) -> Any:
    """A value as a reader wants it in a message: 37.94 rather than np.float64(37.94) and
    3.3 rather than 3.299999999999999 (floats rounded to 6 decimals)."""
    v = v.item() if isinstance(v, np.generic) else v
    return round(v, 6) if isinstance(v, float) and math.isfinite(v) else v


LEAKAGE_COLUMNS = ["feature_time_column", "leaking_rows", "leaking_fraction", "max_lead", "example"]


def temporal_leakage(features_df: pd.DataFrame, feature_time_col: str | Sequence[str], label_time_col: str,
                     tolerance: pd.Timedelta | str = "0s") -> pd.DataFrame:
    r"""Flag features whose timestamp is after the label's time (they could not be known).

    A feature value observed at :math:`t_f` may be used for a label at :math:`t_y` only if
    :math:`t_f \le t_y + tolerance`; otherwise it leaks the future into training and the
    model will not find it at serving time.

    Parameters
    ----------
    features_df : pandas.DataFrame
        Training rows with the feature and label timestamps.
    feature_time_col : str or list of str
        Column(s) holding when each feature value was observed.
    label_time_col : str
        Column holding the label (prediction) time.
    tolerance : Timedelta or str
        Allowed lead (default 0).

    Returns
    -------
    pandas.DataFrame
        ``feature_time_column, leaking_rows, leaking_fraction, max_lead`` (Timedelta) and
        ``example``.

    >>> t = pd.to_datetime(["2013-01-01 10:00", "2013-01-01 11:00"])
    >>> d = pd.DataFrame({"label_time": t, "weather_time": t + pd.to_timedelta([0, 2], unit="h")})
    >>> temporal_leakage(d, "weather_time", "label_time")[["leaking_rows", "max_lead"]].values.tolist()
    [[1, Timedelta('0 days 02:00:00')]]
    """
    if not isinstance(features_df, pd.DataFrame):
        raise TypeError(f"features_df={type(features_df).__name__}: must be a pandas DataFrame")
    cols = [feature_time_col] if isinstance(feature_time_col, str) else list(feature_time_col)
    require_columns(features_df, cols + [label_time_col], "features_df")
    tol = pd.Timedelta(tolerance)
    y = features_df[label_time_col]
    rows = []
    for col in cols:
        for name, s in ((col, features_df[col]), (label_time_col, y)):
            if not pd.api.types.is_datetime64_any_dtype(s.dtype):
                raise TypeError(f"{name}: must be a datetime column, got {s.dtype}")
        lead = features_df[col] - y
        bad = (lead > tol).to_numpy()
        pos = np.flatnonzero(bad)
        ex = (f"row {features_df.index[pos[0]]}: feature at {features_df[col].iloc[pos[0]]}, "
              f"label at {y.iloc[pos[0]]}") if pos.size else ""
        rows.append({"feature_time_column": col, "leaking_rows": int(pos.size),
                     "leaking_fraction": pos.size / len(features_df) if len(features_df) else 0.0,
                     "max_lead": lead[bad].max() if pos.size else pd.Timedelta(0), "example": ex})
    return pd.DataFrame(rows, columns=LEAKAGE_COLUMNS)


def target_leakage_scan(df: pd.DataFrame, label: str, features: Sequence[str] | None = None,
                        threshold: float = 0.9, method: str = "pearson") -> pd.DataFrame:
    r"""Flag numeric features that almost determine the label (:math:`|\rho| \ge` ``threshold``).

    A feature that is a near-copy of the label (``arr_delay`` when predicting ``dep_delay``)
    is usually computed *after* the outcome — target leakage. A high correlation is a
    prompt to check the feature's timing, not proof; a low one does not clear a feature
    (leakage can be non-linear). Pairwise-complete rows (missing values ignored per pair).

    Parameters
    ----------
    df : pandas.DataFrame
    label : str
        The label column.
    features : list of str, optional
        Candidate features (default: every other numeric column).
    threshold : float
        Flag at ``|rho| >= threshold``, in (0, 1].
    method : str
        ``pearson`` (linear; default) or ``spearman`` (rank; robust to outliers but blurred
        by ties and noise near zero).

    Returns
    -------
    pandas.DataFrame
        ``feature, rho, abs_rho, suspicious`` sorted by ``abs_rho``.

    >>> d = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "copy": [2.0, 4, 6, 8, 11], "noise": [3.0, 1, 4, 1, 5]})
    >>> target_leakage_scan(d, "y")[["feature", "suspicious"]].values.tolist()
    [['copy', True], ['noise', False]]
    """
    require(0 < threshold <= 1, "threshold", threshold, "must be in (0, 1]")
    require(method in ("pearson", "spearman"), "method", method, "must be one of ['pearson', 'spearman']")
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"df={type(df).__name__}: must be a pandas DataFrame")
    require_columns(df, [label], "df")
    if features is None:
        features = [c for c in df.columns if c != label and pd.api.types.is_numeric_dtype(df[c].dtype)]
    features = list(features)
    require_columns(df, features, "df")
    rho = df[[label, *features]].corr(method=method).loc[features, label] if features else pd.Series(dtype=float)
    out = pd.DataFrame({"feature": features, "rho": rho.to_numpy(dtype=float)})
    out["abs_rho"] = out["rho"].abs()
    out["suspicious"] = out["abs_rho"] >= threshold
    return out.sort_values("abs_rho", ascending=False, ignore_index=True)
