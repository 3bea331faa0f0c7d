"""Input checks shared by every module.

A student who passes a bad value must learn from the message alone which parameter was
wrong, what it was and what is allowed, so every check names all three.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["require", "as_float_array", "scalar_or_array", "require_columns"]


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
        raise ValueError(f"{name}={_short(value)}: {rule}")


def as_float_array(value: Any, name: str) -> np.ndarray:
    """Convert ``value`` to a float array, or raise ``TypeError`` naming the parameter.

    NaN is refused: a formula fed NaN returns NaN silently, which hides the mistake.

    >>> as_float_array([1, 2], "n").tolist()
    [1.0, 2.0]
    >>> as_float_array("eight", "n")
    Traceback (most recent call last):
    ...
    TypeError: n='eight': must be a number or an array of numbers
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{name}={_short(value)}: must be a number or an array of numbers") from None
    if np.isnan(arr).any():
        raise ValueError(f"{name}={_short(value)}: contains NaN; pass numbers only")
    return arr


def scalar_or_array(arr: np.ndarray) -> Any:
    """Return a Python scalar for 0-d results and the array otherwise.

    >>> scalar_or_array(np.asarray(2.5))
    2.5
    >>> scalar_or_array(np.array([1.0, 2.0])).tolist()
    [1.0, 2.0]
    """
    arr = np.asarray(arr)
    return arr.item() if arr.ndim == 0 else arr


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


def _short(value: Any, limit: int = 80) -> str:
    text = repr(value.tolist() if isinstance(value, np.ndarray) else value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
