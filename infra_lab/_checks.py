"""The one validation layer every public function of ``infra_lab`` uses.

A student who passes a bad value must learn from the message alone which **public**
parameter was wrong, what it was and what is allowed, so every check takes the public name
and says all three. A value of the wrong kind raises ``TypeError``; a value outside what is
allowed raises ``ValueError``.

What counts as bad input, everywhere in the library:

- ``True``/``False`` where a number is meant (``bool`` is an ``int`` in Python; a flag passed
  in the wrong place must not become 1 or 0);
- a string where a number is meant (no silent ``"8"`` → 8);
- NaN, and ±inf unless the parameter allows it (``finite=False``);
- a fraction where a count is meant (``2.5`` servers), and counts that overflow;
- options outside their list, empty data, missing columns, NaN inside data (the message
  says where);
- results that cannot be represented (a replica count beyond int64) or are physically
  impossible (a utilisation above 1) — refused by :func:`count_result` and
  :func:`at_most_one`.

Each checker returns the value converted (a float array, an int array, a str), so a function
body reads ``q = nonnegative("required_rps", required_rps)`` and then computes with ``q``.

>>> positive("throughput_per_replica_rps", 150)
array(150.)
>>> positive("throughput_per_replica_rps", True)
Traceback (most recent call last):
...
TypeError: throughput_per_replica_rps=True: must be a number (or an array of numbers), not a bool
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

__all__ = [
        # numbers
    "number", "positive", "nonnegative", "fraction", "probability", "count", "seed",
    "flag", "option", "text",
    # data
    "data_array", "frame", "require_columns", "no_missing",
    # results
    "count_result", "at_most_one", "finite_result",
    # older helpers, kept for code written before the contract
    "require", "as_float_array", "scalar_or_array",
]

#: The largest count the library returns: an int64 holds it exactly.
MAX_COUNT = np.iinfo(np.int64).max


# Plain built-in exceptions on purpose: a student's traceback and every doctest read
# "ValueError: servers=2.5: must be a whole number ≥ 1", with nothing library-specific to learn.


# ------------------------------------------------------------------------- messages
def _short(value: Any, limit: int = 80) -> str:
    if isinstance(value, np.ndarray):
        text = repr(value.tolist())
    elif _is_frame(value):
        text = f"<{type(value).__name__} {getattr(value, 'shape', '')}>"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _fail(name: str, value: Any, rule: str, kind: type = ValueError) -> None:
    raise kind(f"{name}={_short(value)}: {rule}")


def require(ok: Any, name: str, value: Any, rule: str) -> None:
    """Raise ``ValueError`` naming ``name``, its ``value`` and the ``rule`` unless ``ok``.

    ``ok`` may be a bool or a boolean array (every element must hold).

    >>> require(True, "servers", 3, "must be ≥ 1")
    >>> require(np.array([True, False]), "p", [0.1, 2.0], "must be in [0, 1]")
    Traceback (most recent call last):
    ...
    ValueError: p=[0.1, 2.0]: must be in [0, 1]
    """
    if not bool(np.all(ok)):
        _fail(name, value, rule)


def _is_frame(value: Any) -> bool:
    return type(value).__module__.startswith("pandas") and hasattr(value, "columns")


# -------------------------------------------------------------------------- numbers
def _numeric(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array; refuses bool, str, bytes, None, complex and non-numbers."""
    if value is None:
        _fail(name, value, "is required: pass a number (or an array of numbers)", TypeError)
    if isinstance(value, (bool, np.bool_)):
        _fail(name, value, "must be a number (or an array of numbers), not a bool", TypeError)
    if isinstance(value, (str, bytes)):
        _fail(name, value, "must be a number (or an array of numbers), not a string; "
              "convert it first, e.g. float(value)", TypeError)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in value):
        # numpy turns [True, 1, 1] into ints; a stray flag in a list is still a bool.
        _fail(name, value, "must be numbers, not booleans", TypeError)
    if hasattr(value, "to_numpy") and not _is_frame(value):
        value = value.to_numpy()
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError):
        _fail(name, value, "must be a number or an array of numbers", TypeError)
    kind = arr.dtype.kind
    if kind == "b":
        _fail(name, value, "must be numbers, not booleans", TypeError)
    if kind in "USV":
        _fail(name, value, "must be numbers, not strings", TypeError)
    if kind in "cmM":
        _fail(name, value, "must be real numbers (not complex, dates or durations)", TypeError)
    if kind == "O":
        flat = arr.ravel()
        for item in flat:
            if isinstance(item, (bool, np.bool_, str, bytes)) or not isinstance(item, numbers.Real):
                _fail(name, value, "must contain numbers only", TypeError)
    try:
        return arr.astype(float)
    except (TypeError, ValueError):
        _fail(name, value, "must be a number or an array of numbers", TypeError)
    raise AssertionError("unreachable")  # pragma: no cover


def _interval(low: float | None, high: float | None, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        return f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if low_open else '≥'} {low:g}"
    if high is not None:
        return f"{'<' if high_open else '≤'} {high:g}"
    return "any real number"


def number(name: str, value: Any, *, low: float | None = None, high: float | None = None,
           low_open: bool = False, high_open: bool = False, finite: bool = True,
           unit: str = "") -> np.ndarray:
    """Check a real number (or array) against an optional interval; return a float array.

    Parameters
    ----------
    name : str
        The public parameter's name, as the caller wrote it.
    value : float or array_like
        What the caller passed.
    low, high : float, optional
        Bounds of the allowed interval; ``None`` for unbounded.
    low_open, high_open : bool
        Whether the bound itself is excluded.
    finite : bool, default True
        Refuse ±inf (NaN is always refused).
    unit : str
        Appended to the message (``"requests/s"``).

    Examples
    --------
    >>> number("shift", -2.5).item()
    -2.5
    >>> number("latency_ms", float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: latency_ms=nan: must be a number, not NaN
    >>> number("share", 1.5, low=0, high=1)
    Traceback (most recent call last):
    ...
    ValueError: share=1.5: must be in [0, 1]
    """
    arr = _numeric(name, value)
    if np.isnan(arr).any():
        where = "" if arr.ndim == 0 else f" at position {_first(np.isnan(arr))}"
        _fail(name, value, f"must be a number, not NaN{where}")
    if finite and np.isinf(arr).any():
        _fail(name, value, "must be finite (not ±inf)")
    ok = np.ones(arr.shape, dtype=bool)
    if low is not None:
        ok &= (arr > low) if low_open else (arr >= low)
    if high is not None:
        ok &= (arr < high) if high_open else (arr <= high)
    if not ok.all():
        suffix = f" {unit}" if unit else ""
        _fail(name, value, f"must be {'in ' if low is not None and high is not None else ''}"
              f"{_interval(low, high, low_open, high_open)}{suffix}")
    return arr


def positive(name: str, value: Any, *, finite: bool = True, unit: str = "") -> np.ndarray:
    """A number (or array) > 0; see :func:`number`.

    >>> positive("bandwidth_bytes_per_s", 0)
    Traceback (most recent call last):
    ...
    ValueError: bandwidth_bytes_per_s=0: must be > 0
    """
    return number(name, value, low=0.0, low_open=True, finite=finite, unit=unit)


def nonnegative(name: str, value: Any, *, finite: bool = True, unit: str = "") -> np.ndarray:
    """A number (or array) ≥ 0; see :func:`number`.

    >>> nonnegative("required_rps", [0, 1200]).tolist()
    [0.0, 1200.0]
    """
    return number(name, value, low=0.0, finite=finite, unit=unit)


def fraction(name: str, value: Any, *, low_open: bool = False, high_open: bool = False) -> np.ndarray:
    """A share or probability in [0, 1] (ends excluded on request); see :func:`number`.

    >>> fraction("utilization_target", 0, low_open=True)
    Traceback (most recent call last):
    ...
    ValueError: utilization_target=0: must be in (0, 1]
    """
    return number(name, value, low=0.0, high=1.0, low_open=low_open, high_open=high_open)


probability = fraction


def _first(mask: np.ndarray) -> Any:
    idx = np.argwhere(mask)[0]
    return int(idx[0]) if len(idx) == 1 else tuple(int(i) for i in idx)


def count(name: str, value: Any, *, minimum: int = 0, maximum: int | None = None) -> np.ndarray:
    """A whole number (or array of them) ≥ ``minimum``; returns an int64 array.

    ``8.0`` is accepted (numpy sweeps are often float); ``2.5``, ``True``, ``"8"``, NaN,
    inf and values beyond int64 are refused.

    >>> count("servers", 8.0).item()
    8
    >>> count("servers", 2.5, minimum=1)
    Traceback (most recent call last):
    ...
    ValueError: servers=2.5: must be a whole number ≥ 1
    """
    rule = f"must be a whole number ≥ {minimum}" + (f" and ≤ {maximum}" if maximum is not None else "")
    if isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_)):
        if value < minimum or (maximum is not None and value > maximum) or abs(int(value)) > MAX_COUNT:
            _fail(name, value, rule)
        return np.asarray(int(value), dtype=np.int64)
    arr = _numeric(name, value)
    if not np.isfinite(arr).all():
        _fail(name, value, rule + " (not NaN or inf)")
    if (arr != np.floor(arr)).any():
        _fail(name, value, rule)
    if (np.abs(arr) >= 2.0**63).any():
        _fail(name, value, rule + f" that fits a 64-bit integer (≤ {MAX_COUNT})")
    if (arr < minimum).any() or (maximum is not None and (arr > maximum).any()):
        _fail(name, value, rule)
    return arr.astype(np.int64)


def seed(name: str, value: Any) -> Any:
    """A random seed: ``None``, a ``numpy.random.Generator`` or a whole number in [0, 2**63).

    >>> seed("seed", 2013)
    2013
    >>> seed("seed", -1)
    Traceback (most recent call last):
    ...
    ValueError: seed=-1: must be None, a numpy Generator or a whole number in [0, 2**63)
    """
    if value is None or isinstance(value, np.random.Generator):
        return value
    rule = "must be None, a numpy Generator or a whole number in [0, 2**63)"
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (numbers.Integral,)):
        if isinstance(value, float) and value.is_integer() and 0 <= value < 2**63:
            return int(value)
        _fail(name, value, rule, TypeError if isinstance(value, (str, bytes, bool, np.bool_)) else ValueError)
    if not 0 <= int(value) < 2**63:
        _fail(name, value, rule)
    return int(value)


def flag(name: str, value: Any) -> bool:
    """A true/false switch: only ``True``/``False`` (not ``"no"``, 1 or None).

    >>> flag("round_trip", "no")
    Traceback (most recent call last):
    ...
    TypeError: round_trip='no': must be True or False
    """
    if not isinstance(value, (bool, np.bool_)):
        _fail(name, value, "must be True or False", TypeError)
    return bool(value)


def option(name: str, value: Any, allowed: Iterable[str]) -> str:
    """One of a fixed list of strings.

    >>> option("method", "psi", ["psi", "ks"])
    'psi'
    >>> option("method", "PSI ", ["psi", "ks"])
    Traceback (most recent call last):
    ...
    ValueError: method='PSI ': must be one of 'psi', 'ks'
    """
    allowed = list(allowed)
    listed = ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        _fail(name, value, f"must be one of {listed}", TypeError)
    if value not in allowed:
        _fail(name, value, f"must be one of {listed}")
    return value


def text(name: str, value: Any, *, allow_empty: bool = False) -> str:
    """A string (a name, a column, a label); refuses non-strings and, by default, ''.

    >>> text("label", "delayed")
    'delayed'
    >>> text("label", 3)
    Traceback (most recent call last):
    ...
    TypeError: label=3: must be a string
    """
    if not isinstance(value, str):
        _fail(name, value, "must be a string", TypeError)
    if not allow_empty and not value:
        _fail(name, value, "must not be empty")
    return value


# ----------------------------------------------------------------------------- data
def data_array(name: str, values: Any, *, low: float | None = None, high: float | None = None,
               low_open: bool = False, high_open: bool = False, finite: bool = True,
               min_size: int = 1, ndim: int | None = 1) -> np.ndarray:
    """Observed data as a float array: not empty, no NaN (the message says where), bounded.

    Parameters
    ----------
    name : str
        Public parameter name.
    values : array_like
        The data.
    low, high, low_open, high_open, finite
        As in :func:`number`.
    min_size : int, default 1
        Fewest values the computation needs.
    ndim : int or None, default 1
        Required number of dimensions (``None``: any).

    Examples
    --------
    >>> data_array("latencies_ms", [12.0, float("nan"), 15.0])
    Traceback (most recent call last):
    ...
    ValueError: latencies_ms=[12.0, nan, 15.0]: has NaN at position 1 (1 of 3 values); drop or fill missing values first
    >>> data_array("latencies_ms", [])
    Traceback (most recent call last):
    ...
    ValueError: latencies_ms=[]: needs at least 1 value(s); got 0
    """
    arr = _numeric(name, values)
    if ndim is not None and arr.ndim != ndim:
        if ndim == 1 and arr.ndim == 0:
            arr = arr.reshape(1)
        else:
            _fail(name, values, f"must be {ndim}-dimensional; got shape {arr.shape}")
    if arr.size < min_size:
        _fail(name, values, f"needs at least {min_size} value(s); got {arr.size}")
    nan = np.isnan(arr)
    if nan.any():
        _fail(name, values, f"has NaN at position {_first(nan)} ({int(nan.sum())} of {arr.size} values); "
              "drop or fill missing values first")
    if finite and np.isinf(arr).any():
        _fail(name, values, f"has ±inf at position {_first(np.isinf(arr))}; pass finite values")
    ok = np.ones(arr.shape, dtype=bool)
    if low is not None:
        ok &= (arr > low) if low_open else (arr >= low)
    if high is not None:
        ok &= (arr < high) if high_open else (arr <= high)
    if not ok.all():
        _fail(name, values, f"has a value outside {_interval(low, high, low_open, high_open)} "
              f"at position {_first(~ok)}")
    return arr


def frame(name: str, df: Any, columns: Sequence[str] = (), *, allow_empty: bool = False) -> Any:
    """A pandas DataFrame with the listed columns and (by default) at least one row.

    >>> import pandas as pd
    >>> frame("tasks", pd.DataFrame({"task": []}), ["task"])
    Traceback (most recent call last):
    ...
    ValueError: tasks=<DataFrame (0, 1)>: is empty; pass at least one row
    """
    if not _is_frame(df):
        _fail(name, df, f"must be a pandas DataFrame, not {type(df).__name__}", TypeError)
    require_columns(df, columns, name)
    if not allow_empty and len(df) == 0:
        _fail(name, df, "is empty; pass at least one row")
    return df


def require_columns(df: Any, columns: Any, name: str = "df") -> None:
    """Raise ``ValueError`` listing the columns of ``columns`` that ``df`` lacks.

    >>> import pandas as pd
    >>> require_columns(pd.DataFrame({"a": [1]}), ["a", "b"], "tasks")
    Traceback (most recent call last):
    ...
    ValueError: tasks is missing column(s) ['b']; it has ['a']
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{name} is missing column(s) {missing}; it has {list(df.columns)}")


def no_missing(name: str, df: Any, columns: Sequence[str]) -> None:
    """Refuse NaN/None in ``columns`` of ``df``, naming the first row and column.

    >>> import pandas as pd
    >>> no_missing("events", pd.DataFrame({"t": [1.0, None]}), ["t"])
    Traceback (most recent call last):
    ...
    ValueError: events has 1 missing value(s) in column 't' (first at row index 1); drop or fill them first
    """
    for col in columns:
        miss = df[col].isna().to_numpy()
        if miss.any():
            first = df.index[int(np.argmax(miss))]
            raise ValueError(f"{name} has {int(miss.sum())} missing value(s) in column {col!r} "
                             f"(first at row index {first!r}); drop or fill them first")


# -------------------------------------------------------------------------- results
def count_result(name: str, value: Any) -> Any:
    """Round-free conversion of a computed whole number to ``int`` (or an int64 array).

    Refuses a result that does not fit an int64 (it would wrap around to a negative number)
    or is not finite, naming the result so the caller knows which inputs were too large.

    >>> count_result("required_replicas", np.float64(8.0))
    8
    >>> count_result("required_replicas", 1e308)
    Traceback (most recent call last):
    ...
    ValueError: required_replicas=1e+308: the result does not fit a 64-bit integer; the inputs are too large for a count
    """
    arr = np.asarray(value, dtype=float)
    if not np.isfinite(arr).all() or (np.abs(arr) >= 2.0**63).any():
        _fail(name, value, "the result does not fit a 64-bit integer; the inputs are too large for a count")
    out = arr.astype(np.int64)
    return int(out) if out.ndim == 0 else out


def finite_result(name: str, value: Any, why: str = "") -> Any:
    """Refuse a computed result that overflowed to ±inf or became NaN.

    >>> finite_result("training_time_s", 1e400, "flops is too large for this device count")
    Traceback (most recent call last):
    ...
    ValueError: training_time_s=inf: the result is not finite; flops is too large for this device count
    """
    arr = np.asarray(value, dtype=float)
    if not np.isfinite(arr).all():
        _fail(name, value, "the result is not finite" + (f"; {why}" if why else ""))
    return value


def at_most_one(name: str, value: Any, tolerance: float = 0.0, why: str = "") -> Any:
    """Refuse a result that must be a share (utilisation, efficiency, MFU) but exceeds 1.

    ``tolerance`` allows measurement noise (a measured efficiency of 1.01).

    >>> at_most_one("model_flops_utilization", 5308.0, why="check that peak_flop_per_s is per second, per device")
    Traceback (most recent call last):
    ...
    ValueError: model_flops_utilization=5308.0: is above 1, which is physically impossible; check that peak_flop_per_s is per second, per device
    """
    arr = np.asarray(value, dtype=float)
    if (arr > 1.0 + tolerance).any():
        _fail(name, value, "is above 1, which is physically impossible" + (f"; {why}" if why else ""))
    return value


# -------------------------------------------------------- helpers from before the contract
def as_float_array(value: Any, name: str) -> np.ndarray:
    """Convert ``value`` to a float array, refusing bool, strings and NaN (older call order).

    >>> as_float_array([1, 2], "n").tolist()
    [1.0, 2.0]
    >>> as_float_array("eight", "n")
    Traceback (most recent call last):
    ...
    TypeError: n='eight': must be a number (or an array of numbers), not a string; convert it first, e.g. float(value)
    """
    return number(name, value, finite=False)


def scalar_or_array(arr: np.ndarray) -> Any:
    """Return a Python scalar for 0-d results and the array otherwise.

    >>> scalar_or_array(np.asarray(2.5))
    2.5
    >>> scalar_or_array(np.array([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr

