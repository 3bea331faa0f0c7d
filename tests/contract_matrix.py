"""The bad-input matrix: each public function's parameters described once, bad values generated.

Each topic module has a case file ``tests/bad_input/<topic>.py`` that lists, for every public
function, one valid call with every parameter described by its kind::

    CASES = [
        Call("infra_lab.serving.capacity.required_replicas",
             required_rps=Num(1200, low=0),
             throughput_per_replica_rps=Num(150, low=0, low_open=True),
             utilization_target=Num(0.8, low=0, high=1, low_open=True)),
    ]
    EXEMPT = {"deployment_strategies": "takes no input"}     # public name → why not listed

From the kind, :func:`bad_values` generates the classes of bad input the contract names —
bool, NaN, ±inf, values outside the allowed interval, a fraction for a count, a numeric string,
the wrong type, empty data, NaN inside data, a missing column — and ``tests/test_contract.py``
calls the function once per bad value, expecting a ``ValueError``/``TypeError`` whose message
contains the parameter's public name. ``huge`` values (1e300 for an unbounded number, 2**70
for a count) must raise a named error or return a finite result — never NaN, inf or a
wrapped-around integer.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

NAN = float("nan")
INF = float("inf")
HUGE = "huge"  # marker label: the outcome may be a named error or a finite result


class _NotANumber:
    """A stand-in for 'the wrong type': no numeric conversion works on it."""

    def __repr__(self) -> str:
        return "<object>"


WRONG_TYPE = _NotANumber()


@dataclass
class Arg:
    """One parameter's valid value and the bad values its kind implies."""

    valid: Any

    def bad(self) -> list[tuple[str, Any]]:  # pragma: no cover - overridden
        return []


@dataclass
class Num(Arg):
    """A real number (or array): bounds as in ``_checks.number``.

    ``huge=True`` adds 1e300 (and -1e300 where unbounded below), whose result must be a named
    error or finite. ``none_ok`` marks a parameter whose ``None`` means "use the default".
    """

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False
    finite: bool = True
    huge: bool = True
    none_ok: bool = False

    def bad(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [("bool", True), ("nan", NAN), ("numeric-string", "8"),
                                      ("wrong-type", WRONG_TYPE)]
        if not self.none_ok:
            out.append(("none", None))
        if self.finite:
            out += [("inf", INF), ("-inf", -INF)]
        if self.low is not None:
            out.append(("below", self.low - max(1.0, abs(self.low))))
            if self.low_open:
                out.append(("at-open-low", self.low))
        if self.high is not None:
            out.append(("above", self.high + max(1.0, abs(self.high))))
            if self.high_open:
                out.append(("at-open-high", self.high))
        if np.ndim(self.valid) >= 1:
            arr = np.array(self.valid, dtype=float)
            arr.flat[-1] = NAN
            out.append(("nan-in-array", arr))
        if self.huge:
            if self.high is None:
                out.append((HUGE, 1e300))
            if self.low is None:
                out.append((HUGE + "-negative", -1e300))
        return out


def Prob(valid: Any, low_open: bool = False, high_open: bool = False, none_ok: bool = False) -> Num:
    """A probability or share in [0, 1] (ends excluded on request)."""
    return Num(valid, low=0.0, high=1.0, low_open=low_open, high_open=high_open, none_ok=none_ok)


@dataclass
class Count(Arg):
    """A whole number ≥ ``minimum`` (≤ ``maximum``). ``2**70`` must error or stay finite."""

    minimum: int = 0
    maximum: int | None = None
    huge: bool = True
    none_ok: bool = False

    def bad(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [("fraction", self.minimum + 2.5), ("bool", True), ("nan", NAN),
                                      ("inf", INF), ("numeric-string", "8"), ("wrong-type", WRONG_TYPE),
                                      ("below", self.minimum - 1)]
        if not self.none_ok:
            out.append(("none", None))
        if self.maximum is not None:
            out.append(("above", self.maximum + 1))
        if self.huge and self.maximum is None:
            out.append((HUGE, 2**70))
        return out


@dataclass
class Seed(Arg):
    """A random seed: None, a Generator, or a whole number in [0, 2**63)."""

    def bad(self) -> list[tuple[str, Any]]:
        return [("negative", -1), ("fraction", 2.5), ("numeric-string", "1"), ("bool", True),
                ("overflow", 2**70)]


@dataclass
class Option(Arg):
    """One of a fixed list of strings."""

    def bad(self) -> list[tuple[str, Any]]:
        return [("unknown-option", "no-such-option"), ("wrong-type", 3), ("bool", True)]


@dataclass
class Flag(Arg):
    """True or False only."""

    def bad(self) -> list[tuple[str, Any]]:
        return [("string", "no"), ("int", 1), ("none", None)]


@dataclass
class Text(Arg):
    """A non-empty string (a name, a label, a column)."""

    allow_empty: bool = False

    def bad(self) -> list[tuple[str, Any]]:
        out: list[tuple[str, Any]] = [("wrong-type", 3), ("none", None)]
        if not self.allow_empty:
            out.append(("empty", ""))
        return out


@dataclass
class Data(Arg):
    """Observed values (a 1-D array): not empty, no NaN, optionally bounded."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    finite: bool = True
    min_size: int = 1

    def bad(self) -> list[tuple[str, Any]]:
        arr = np.asarray(self.valid, dtype=float)
        with_nan = arr.copy()
        with_nan.flat[0] = NAN
        out: list[tuple[str, Any]] = [("empty", []), ("nan-inside", with_nan), ("numeric-string", "8"),
                                      ("wrong-type", WRONG_TYPE), ("bool", True), ("none", None)]
        if self.min_size > 1:
            out.append(("too-short", arr.ravel()[: self.min_size - 1]))
        if self.finite:
            with_inf = arr.copy()
            with_inf.flat[0] = INF
            out.append(("inf-inside", with_inf))
        if self.low is not None:
            below = arr.copy()
            below.flat[0] = self.low - max(1.0, abs(self.low)) if not self.low_open else self.low
            out.append(("below", below))
        if self.high is not None:
            above = arr.copy()
            above.flat[0] = self.high + max(1.0, abs(self.high))
            out.append(("above", above))
        return out


@dataclass
class Frame(Arg):
    """A DataFrame with required columns; ``nan_columns`` must refuse NaN by name."""

    columns: tuple[str, ...] = ()
    nan_columns: tuple[str, ...] = ()
    allow_empty: bool = False

    def bad(self) -> list[tuple[str, Any]]:
        df: pd.DataFrame = self.valid
        out: list[tuple[str, Any]] = [("wrong-type", "table"), ("none", None)]
        if not self.allow_empty:
            out.append(("empty", df.iloc[:0]))
        for col in self.columns:
            out.append((f"missing-{col}", df.drop(columns=[col])))
        for col in self.nan_columns:
            broken = df.copy()
            broken[col] = broken[col].astype(float) if broken[col].dtype.kind in "iub" else broken[col]
            broken.loc[broken.index[0], col] = NAN
            out.append((f"nan-in-{col}", broken))
        return out


@dataclass
class Custom(Arg):
    """Anything else: the case file lists its bad values itself."""

    bad_values: list[tuple[str, Any]] = field(default_factory=list)

    def bad(self) -> list[tuple[str, Any]]:
        return list(self.bad_values)


@dataclass
class Fixed(Arg):
    """A parameter the matrix does not perturb (a callable, an Axes); ``why`` says why."""

    why: str = ""

    def bad(self) -> list[tuple[str, Any]]:
        return []


@dataclass
class Call:
    """One valid call of a public function, every parameter described by its kind."""

    function: str
    args: dict[str, Arg]

    def __init__(self, function: str, **args: Arg) -> None:
        self.function = function
        self.args = args

    def resolve(self) -> Callable:
        module, _, name = self.function.rpartition(".")
        return getattr(importlib.import_module(module), name)

    def kwargs(self, **override: Any) -> dict[str, Any]:
        values = {k: _fresh(a.valid) for k, a in self.args.items()}
        values.update(override)
        return values


class Fresh:
    """A valid value built anew for every call (a database store a call changes, say)."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory

    def __repr__(self) -> str:
        return f"Fresh({getattr(self.factory, '__name__', 'factory')})"


def _fresh(value: Any) -> Any:
    # Each call gets its own copy, so a function that mutates its input cannot poison the rest.
    if isinstance(value, Fresh):
        return value.factory()
    if isinstance(value, (pd.DataFrame, pd.Series, np.ndarray)):
        return value.copy()
    if isinstance(value, list):
        return list(value)
    return value


def load_cases(folder: Path) -> dict[str, Any]:
    """Import every ``folder/*.py`` case file; return ``{topic: module}``."""
    modules = {}
    for path in sorted(folder.glob("*.py")):
        if path.stem.startswith("_"):
            continue
        spec = importlib.util.spec_from_file_location(f"bad_input_{path.stem}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)  # type: ignore[union-attr]
        modules[path.stem] = mod
    return modules


def numeric_leaves(result: Any) -> list[np.ndarray]:
    """Every numeric array inside a result (dataclass, tuple, dict, frame, array, scalar)."""
    out: list[np.ndarray] = []

    def walk(x: Any, depth: int = 0) -> None:
        if depth > 4 or x is None or isinstance(x, (str, bytes)):
            return
        if isinstance(x, (bool, np.bool_)):
            return
        if isinstance(x, (int, float, np.number)):
            out.append(np.asarray(x, dtype=float))
        elif isinstance(x, np.ndarray):
            if x.dtype.kind in "iuf":
                out.append(x.astype(float))
        elif isinstance(x, pd.DataFrame):
            for col in x.columns:
                walk(x[col], depth + 1)
        elif isinstance(x, pd.Series):
            if x.dtype.kind in "iuf":
                out.append(x.to_numpy(dtype=float))
        elif hasattr(x, "__dataclass_fields__"):
            for name in x.__dataclass_fields__:
                walk(getattr(x, name), depth + 1)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v, depth + 1)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v, depth + 1)

    walk(result)
    return out


def is_finite_result(result: Any) -> bool:
    """No NaN, no ±inf and no wrapped-around int64 anywhere in ``result``."""
    for arr in numeric_leaves(result):
        if arr.size and (not np.isfinite(arr).all() or (arr <= np.iinfo(np.int64).min).any()):
            return False
    return True


def case_id(call: Call, param: str, label: str) -> str:
    # The module path is in the id, so `pytest -k serving` selects a topic's cases.
    return f"{call.function.removeprefix('infra_lab.')}-{param}-{label}"


__all__ = ["Fresh", "Arg", "Num", "Prob", "Count", "Seed", "Option", "Flag", "Text", "Data", "Frame",
           "Custom", "Fixed", "Call", "HUGE", "NAN", "INF", "WRONG_TYPE", "load_cases",
           "numeric_leaves", "is_finite_result", "case_id"]
