r"""Data contracts: the columns a table must have and the rules its rows must meet.

A contract is plain data (YAML or JSON, see ``notebooks/contracts/weather.yaml``) turned
into frozen dataclasses: :class:`ColumnRule` per column, an optional :class:`LabelRule`, and
:class:`Contract` around them. Every rule is checked when it is *built*, so a malformed
contract (an unknown key, ``min`` > ``max``, a NaN bound that would pass every value) fails
at load time with a :class:`ContractError` naming the rule and the key — never later as a
gate that silently passes. :func:`~infra_lab.quality.validation.validate` applies a contract.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from .._results import Result

__all__ = ["ContractError", "ColumnRule", "LabelRule", "Contract", "contract_from_dict", "load_contract"]

KINDS = ("number", "integer", "string", "category", "datetime", "bool")
SEVERITIES = ("blocking", "warning")


class ContractError(ValueError):
    """A data contract is malformed (unknown key, wrong type, ``min`` > ``max``, NaN bound, ...).

    A ``ValueError`` subclass: the message starts with where the problem is
    (``spec['columns'][0]``, ``column rule 'wind_speed'``) and names the key and its value.

    See Also
    --------
    contract_from_dict : builds a contract from plain data and raises this error.
    load_contract : the same from a YAML/JSON file.
    """


def _contract_require(ok: bool, where: str, message: str) -> None:
    if not ok:
        raise ContractError(f"{where}: {message}")


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_))


def _check_bound(where: str, key: str, value: Any) -> None:
    # A NaN bound compares False with every value, so the range check would pass everything;
    # an infinite bound is "no bound", which the contract spells null.
    _contract_require(value is None or _is_number(value), where, f"{key}={value!r}: must be a number or null")
    if value is not None:
        _contract_require(math.isfinite(value), where,
                          f"{key}={value!r}: must be a finite number (a NaN bound would pass every value; "
                          "write null for no bound)")


def _check_share(where: str, key: str, value: Any) -> None:
    _contract_require(_is_number(value) and 0 <= value <= 1, where, f"{key}={value!r}: must be a number in [0, 1]")


def _check_allowed(where: str, allowed: Any) -> tuple:
    _contract_require(isinstance(allowed, (tuple, list)) and len(allowed) > 0, where,
                      f"allowed={allowed!r}: must be a non-empty list of categories")
    return tuple(allowed)


@dataclass(frozen=True)
class ColumnRule(Result):
    """What one column must look like.

    Attributes
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
        Inclusive value range, in the column's own unit; finite (None: no bound).
    allowed : tuple or None
        Allowed categories.
    outlier_z : float or None
        Flag values with robust |z| above this, > 0 (Iglewicz & Hoaglin 1993 recommend 3.5);
        always a warning, because real extremes exist.
    severity : str
        ``blocking`` (fails the gate) or ``warning`` for this column's checks.
    unit, description : str
        Documentation carried into the report.

    See Also
    --------
    Contract : holds the column rules of one table.
    validate : applies them.

    Examples
    --------
    >>> ColumnRule("wind_speed", min=0, max=150, unit="mph").null_budget
    1.0
    >>> ColumnRule("wind_speed", min=float("nan"))
    Traceback (most recent call last):
    ...
    infra_lab.quality.contracts.ContractError: column rule 'wind_speed': min=nan: must be a finite number (a NaN bound would pass every value; write null for no bound)
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
        _contract_require(isinstance(self.kind, str) and self.kind in KINDS, where,
                          f"kind={self.kind!r}: must be one of {list(KINDS)}")
        _contract_require(isinstance(self.nullable, bool), where,
                          f"nullable={self.nullable!r}: must be true or false")
        _contract_require(isinstance(self.severity, str) and self.severity in SEVERITIES, where,
                          f"severity={self.severity!r}: must be one of {list(SEVERITIES)}")
        if self.max_null_fraction is not None:
            _check_share(where, "max_null_fraction", self.max_null_fraction)
            _contract_require(self.nullable or self.max_null_fraction == 0, where,
                              "nullable=false contradicts max_null_fraction > 0")
        _check_bound(where, "min", self.min)
        _check_bound(where, "max", self.max)
        if self.min is not None or self.max is not None:
            _contract_require(self.kind in ("number", "integer"), where,
                              f"min/max need kind number or integer, not {self.kind!r}")
        if self.min is not None and self.max is not None:
            _contract_require(self.min <= self.max, where, f"min={self.min!r} > max={self.max!r}")
        if self.allowed is not None:
            object.__setattr__(self, "allowed", _check_allowed(where, self.allowed))
        if self.outlier_z is not None:
            _contract_require(_is_number(self.outlier_z) and math.isfinite(self.outlier_z) and self.outlier_z > 0,
                              where, f"outlier_z={self.outlier_z!r}: must be a finite number > 0")
            _contract_require(self.kind in ("number", "integer"), where, "outlier_z needs a numeric kind")
        for key in ("unit", "description"):
            _contract_require(isinstance(getattr(self, key), str), where,
                              f"{key}={getattr(self, key)!r}: must be a string")

    @property
    def null_budget(self) -> float:
        """Largest allowed fraction of missing values."""
        if not self.nullable:
            return 0.0
        return 1.0 if self.max_null_fraction is None else float(self.max_null_fraction)


@dataclass(frozen=True)
class LabelRule(Result):
    """Label-quality rules for the training label.

    A row without a usable label cannot be trained on; a label out of range or two
    identical examples (same ``conflict_keys``) with different labels are label noise.

    Attributes
    ----------
    column : str
        The label column.
    min, max : float or None
        Plausible label range (inclusive, finite; None: no bound).
    allowed : tuple or None
        Allowed classes for a categorical label.
    max_missing_fraction : float
        Share of rows allowed to lack a label before the gate fails, in [0, 1] (0 = none).
    conflict_keys : tuple of str
        Columns that identify one example; rows sharing them must share the label.

    See Also
    --------
    Contract : carries at most one label rule.
    ColumnRule : the rules of every other column.

    Examples
    --------
    >>> LabelRule("arr_delay", min=-120, max=1500).max_missing_fraction
    0.0
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
        _check_bound(where, "min", self.min)
        _check_bound(where, "max", self.max)
        if self.min is not None and self.max is not None:
            _contract_require(self.min <= self.max, where, f"min={self.min!r} > max={self.max!r}")
        _check_share(where, "max_missing_fraction", self.max_missing_fraction)
        if self.allowed is not None:
            object.__setattr__(self, "allowed", _check_allowed(where, self.allowed))
        _contract_require(isinstance(self.conflict_keys, (tuple, list))
                          and all(isinstance(k, str) for k in self.conflict_keys), where,
                          f"conflict_keys={self.conflict_keys!r}: must be a list of column names")
        object.__setattr__(self, "conflict_keys", tuple(self.conflict_keys))


@dataclass(frozen=True)
class Contract(Result):
    """A data contract: the columns a table must have and the rules its rows must meet.

    Attributes
    ----------
    name : str
        Table name, used in messages.
    columns : tuple of ColumnRule
        Declared columns (at least one, no name twice).
    unique_keys : tuple of tuple of str
        Each tuple of columns must identify at most one row (duplicates fail).
    freshness_column : str or None
        Timestamp column; the newest value must be at most ``max_age_hours`` old at ``now``,
        and no value may lie in the future.
    max_age_hours : float or None
        Freshness budget in hours, > 0 and finite (required with a ``freshness_column``).
    label : LabelRule or None
        Label-quality rules.
    allow_extra_columns : bool
        If False, undeclared columns are a blocking schema failure (else a warning).

    See Also
    --------
    contract_from_dict, load_contract : build one from plain data or a file.
    validate : applies it to a table.

    Examples
    --------
    >>> c = Contract("t", (ColumnRule("x", min=0, max=10),), unique_keys=("x",))
    >>> c.unique_keys, c.rule("x").max
    ((('x',),), 10)
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
        _contract_require(isinstance(self.unique_keys, (tuple, list)), where,
                          f"unique_keys={self.unique_keys!r}: must be a list of column lists")
        keys = tuple(tuple([k] if isinstance(k, str) else k) for k in self.unique_keys)
        for key in keys:
            unknown = [k for k in key if k not in names]
            _contract_require(len(key) > 0 and not unknown, where,
                              f"unique_keys {list(key)}: columns {unknown} are not declared")
        object.__setattr__(self, "unique_keys", keys)
        if self.freshness_column is not None:
            _contract_require(self.freshness_column in names, where,
                              f"freshness_column={self.freshness_column!r} is not a declared column")
            ok = _is_number(self.max_age_hours) and math.isfinite(self.max_age_hours) and self.max_age_hours > 0
            _contract_require(ok, where, f"max_age_hours={self.max_age_hours!r}: must be a finite number > 0 "
                              "with a freshness_column")
        else:
            _contract_require(self.max_age_hours is None, where,
                              f"max_age_hours={self.max_age_hours!r}: needs a freshness_column")
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
    unknown = sorted(set(spec) - set(allowed), key=str)
    _contract_require(not unknown, where, f"unknown key(s) {unknown}; allowed: {allowed}")
    try:
        return cls(**spec)
    except TypeError as exc:  # a required key is missing
        raise ContractError(f"{where}: {exc}") from None
    except ContractError as exc:  # say where in the spec the bad rule sits
        raise ContractError(f"{where}: {exc}") from None


def contract_from_dict(spec: Mapping[str, Any]) -> Contract:
    """Build a :class:`Contract` from plain data (the parsed YAML/JSON).

    Keys mirror the dataclass fields; ``freshness`` may be given as
    ``{"column": ..., "max_age_hours": ...}`` and ``label`` as a mapping. Every error
    message starts with where the problem sits in ``spec`` (``spec['columns'][0]``).

    Parameters
    ----------
    spec : mapping
        ``{"name": str, "columns": [ {column rule}, ...], "unique_keys": [[...]],
        "freshness": {...}, "label": {...}, "allow_extra_columns": bool}``.

    Returns
    -------
    Contract

    Raises
    ------
    ContractError
        A ``ValueError``: unknown key, missing key, wrong type, ``min`` > ``max``, a NaN or
        infinite bound, an undeclared column in a key.

    See Also
    --------
    load_contract : the same from a YAML/JSON file.
    Contract : the result.

    References
    ----------
    Breck, Polyzotis, Roy, Whang & Zinkevich, "Data Validation for Machine Learning",
    Proc. MLSys 1 (2019) (a schema of expected columns, types and value domains, kept
    next to the code). Schelter et al., "Automating Large-Scale Data Quality
    Verification", PVLDB 11(12) (2018), pp. 1781–1794 (declarative completeness,
    uniqueness, range and domain constraints).

    Examples
    --------
    >>> c = contract_from_dict({"name": "t", "columns": [{"name": "x", "min": 0, "max": 1}]})
    >>> c.columns[0].max
    1
    >>> contract_from_dict({"name": "t", "columns": [{"name": "x", "maxx": 1}]})
    Traceback (most recent call last):
    ...
    infra_lab.quality.contracts.ContractError: spec['columns'][0]: unknown key(s) ['maxx']; allowed: ['name', 'kind', 'nullable', 'max_null_fraction', 'min', 'max', 'allowed', 'outlier_z', 'severity', 'unit', 'description']
    """
    _contract_require(isinstance(spec, Mapping), "spec", f"must be a mapping, got {type(spec).__name__}")
    spec = dict(spec)
    fresh = spec.pop("freshness", None)
    if fresh is not None:
        _contract_require(isinstance(fresh, Mapping) and set(fresh) <= {"column", "max_age_hours"},
                          "spec['freshness']", f"{fresh!r}: must be a mapping with keys column, max_age_hours")
        spec["freshness_column"] = fresh.get("column")
        spec["max_age_hours"] = fresh.get("max_age_hours")
    cols = spec.get("columns")
    _contract_require(isinstance(cols, list), "spec['columns']", f"{cols!r}: must be a list of column rules")
    spec["columns"] = tuple(_build(ColumnRule, c, f"spec['columns'][{i}]") for i, c in enumerate(cols))
    if spec.get("label") is not None:
        spec["label"] = _build(LabelRule, spec["label"], "spec['label']")
    if "unique_keys" in spec:
        uk = spec["unique_keys"]
        _contract_require(isinstance(uk, list), "spec['unique_keys']", f"{uk!r}: must be a list of column lists")
        spec["unique_keys"] = tuple(tuple([k] if isinstance(k, str) else k) for k in uk)
    return _build(Contract, spec, "spec")


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
        The file is not a valid contract; the message names the file and the offending key.
    TypeError, ValueError
        ``path`` is not a str/Path, or does not end in .yaml, .yml or .json.

    See Also
    --------
    contract_from_dict : builds the contract from the parsed data.

    References
    ----------
    Breck, Polyzotis, Roy, Whang & Zinkevich, "Data Validation for Machine Learning",
    Proc. MLSys 1 (2019) (the schema as an artifact reviewed like code). Schelter et al.,
    "Automating Large-Scale Data Quality Verification", PVLDB 11(12) (2018),
    pp. 1781–1794 (constraints declared once, checked on every batch).

    Examples
    --------
    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = os.path.join(tmp, "contract" + ".json")  # a scratch file
    ...     _ = open(p, "w").write('{"name": "t", "columns": [{"name": "x", "min": 0}]}')
    ...     load_contract(p).rule("x").min
    0
    """
    if not isinstance(path, (str, Path)):
        raise TypeError(f"path={path!r}: must be a str or pathlib.Path")
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise ValueError(f"path={str(path)!r}: must end in .yaml, .yml or .json")
    if not path.exists():
        raise FileNotFoundError(f"path={str(path)!r}: contract file not found")
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ContractError(f"path={path.name!r}: not valid YAML: {exc}") from None
    else:
        try:
            spec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContractError(f"path={path.name!r}: not valid JSON: {exc}") from None
    try:
        return contract_from_dict(spec)
    except ContractError as exc:
        raise ContractError(f"{path.name}: {exc}") from None
