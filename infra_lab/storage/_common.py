"""Shared argument handling of the storage parts: frames, column names, time columns.

Private: every public function of ``infra_lab.storage`` checks its inputs through these
helpers, which sit on :mod:`infra_lab._checks` and always name the caller's parameter.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .._checks import frame, no_missing, text

__all__: list[str] = []

ROW = "__infra_lab_row__"  # private column that carries the caller's row order through merges


# --------------------------------------------------------------------------- frames and columns

def checked_frame(name: str, df: Any, *, nan_columns: Sequence[str] = ()) -> pd.DataFrame:
    """A non-empty DataFrame; NaN in ``nan_columns`` (keys, times) refused with its row."""
    frame(name, df)
    no_missing(name, df, [c for c in nan_columns if c in df.columns])
    return df


def need_columns(df: pd.DataFrame, df_name: str, cols: Sequence[str], param: str) -> None:
    """Refuse columns ``cols`` (named by parameter ``param``) that ``df`` lacks.

    The message names both the frame and the parameter, so the caller sees which of the two
    to fix.
    """
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ValueError(f"{df_name} is missing column(s) {missing} (named by {param}); "
                         f"it has {list(df.columns)}")


def column_name(param: str, value: Any) -> str:
    """One column name: a non-empty string."""
    return text(param, value)


def column_list(param: str, value: Any) -> list[str]:
    """A column name or a non-empty list of distinct column names."""
    if isinstance(value, str):
        return [text(param, value)]
    if value is None or isinstance(value, (bytes, bool, np.bool_)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{param}={value!r}: must be a column name or a list of column names")
    out = list(value)
    if not out:
        raise ValueError(f"{param}={value!r}: must name at least one column")
    for c in out:
        if not isinstance(c, str) or not c:
            raise TypeError(f"{param}={value!r}: every column name must be a non-empty string, not {c!r}")
    if len(set(out)) != len(out):
        raise ValueError(f"{param}={value!r}: names a column twice")
    return out


def feature_columns(df: pd.DataFrame, df_name: str, keys: list[str], time_col: str, feature_cols: Any
                    ) -> list[str]:
    """``feature_cols`` as a checked list; by default every column but the keys and the time."""
    if feature_cols is None:
        cols = [c for c in df.columns if c not in keys and c != time_col]
        if not cols:
            raise ValueError(f"{df_name} has no feature column besides the key(s) {keys} and the time "
                             f"{time_col!r}; feature_cols=None needs at least one")
        return cols
    cols = column_list("feature_cols", feature_cols)
    need_columns(df, df_name, cols, "feature_cols")
    clash = [c for c in cols if c in keys or c == time_col]
    if clash:
        raise ValueError(f"feature_cols={feature_cols!r}: must not contain the key or time column(s) {clash}")
    return cols


# --------------------------------------------------------------------------- time columns

def time_kind(s: pd.Series, name: str) -> str:
    """'tz', 'naive' or 'number' — the three kinds of time column a join can use."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return "tz"
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return "naive"
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        if np.isinf(s.to_numpy(dtype=float)).any():
            raise ValueError(f"{name} has ±inf at row index {s.index[np.isinf(s.to_numpy(dtype=float))][0]!r}; "
                             "times must be finite")
        return "number"
    raise TypeError(f"{name} has dtype {s.dtype}: a time column must hold datetimes or numbers of seconds "
                    "(parse strings first, e.g. with pandas.to_datetime(..., utc=True))")


def align_times(left: pd.Series, right: pd.Series, lname: str, rname: str) -> pd.Series:
    """Return ``right`` converted to the dtype of ``left`` (same zone and resolution).

    merge_asof refuses keys of different dtypes; a tz-aware vs naive mix is refused here
    with a clear message, because guessing a zone silently shifts every value by hours.
    """
    lk, rk = time_kind(left, lname), time_kind(right, rname)
    if {lk, rk} == {"tz", "naive"}:
        raise TypeError(f"{lname} is {'time-zone aware' if lk == 'tz' else 'naive'} but {rname} is "
                        f"{'time-zone aware' if rk == 'tz' else 'naive'}; convert both to UTC "
                        "(pandas.to_datetime(..., utc=True)) before joining")
    if (lk == "number") != (rk == "number"):
        raise TypeError(f"{lname} ({left.dtype}) and {rname} ({right.dtype}) must both be datetimes "
                        "or both be numbers")
    if lk == "number":
        return right.astype(float)
    if lk == "tz":
        right = right.dt.tz_convert(left.dt.tz)
    return right.astype(left.dtype)


def align_keys(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> None:
    """Give each entity key the same dtype on both sides (in place); merge_asof demands it.

    pandas 3 reads text as ``str`` while frames built by hand may hold ``object``; numbers
    of different widths are harmless. Anything else (text vs numbers) is a real mistake.
    """
    for k in keys:
        a, b = left[k].dtype, right[k].dtype
        if a == b:
            continue
        texty = [pd.api.types.is_string_dtype(d) or d == object for d in (a, b)]
        if all(texty):
            left[k], right[k] = left[k].astype(object), right[k].astype(object)
        elif all(pd.api.types.is_numeric_dtype(d) and not pd.api.types.is_bool_dtype(d) for d in (a, b)):
            left[k], right[k] = left[k].astype(float), right[k].astype(float)
        else:
            raise TypeError(f"entity_cols: column {k!r} is {a} on one side but {b} on the other; "
                            "convert one so both hold the same kind of key")


def as_of_value(times: pd.Series, as_of: Any, time_col: str, df_name: str = "offline_df") -> Any:
    """``as_of`` converted to the dtype of the store's time column (zone, resolution)."""
    where = f"{df_name}[{time_col!r}]"
    if as_of is None or isinstance(as_of, (bool, np.bool_)):
        raise TypeError(f"as_of={as_of!r}: must be a time like the store's {time_col!r} column")
    if time_kind(times, where) == "number":
        if isinstance(as_of, (str, bytes)) or not isinstance(as_of, (int, float, np.integer, np.floating)):
            raise TypeError(f"as_of={as_of!r}: must be a number (seconds) like the store's {time_col!r} column")
        if not np.isfinite(float(as_of)):
            raise ValueError(f"as_of={as_of!r}: must be a finite time")
        return float(as_of)
    if not isinstance(as_of, (str, pd.Timestamp, _dt.datetime, np.datetime64)):
        raise TypeError(f"as_of={as_of!r}: must be a time (pandas.Timestamp) like the store's {time_col!r} column")
    try:
        probe = pd.Series([pd.Timestamp(as_of)])
    except (TypeError, ValueError):
        raise TypeError(f"as_of={as_of!r}: must be a time like the store's {time_col!r} column") from None
    if probe.isna().any():
        raise ValueError(f"as_of={as_of!r}: must be a time, not NaT")
    return align_times(times, probe, where, "as_of").iloc[0]


def seconds_of(x: Any, name: str, *, allow_missing: bool) -> tuple[np.ndarray, str]:
    """Times as float seconds (UTC epoch for datetimes; NaN where missing) and their kind.

    Refuses None, bools, strings, empty input, ±inf and (unless ``allow_missing``) missing
    times, naming ``name`` and the first bad position.
    """
    if x is None or isinstance(x, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name}={x!r}: must be datetimes or numbers of seconds")
    if isinstance(x, (pd.Series, pd.Index)):
        s = pd.Series(x).reset_index(drop=True)
    elif isinstance(x, (pd.Timestamp, _dt.datetime, np.datetime64)):
        s = pd.Series([x])
    else:
        arr = np.atleast_1d(np.asarray(x))
        s = pd.Series(list(arr)) if arr.dtype == object else pd.Series(arr.ravel())
    if len(s) == 0:
        raise ValueError(f"{name}=[]: needs at least one time")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        tz = isinstance(s.dtype, pd.DatetimeTZDtype)
        if tz:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = s.astype("datetime64[ns]")
        out = ns.astype("int64").to_numpy(dtype=float) / 1e9
        out[ns.isna().to_numpy()] = np.nan
        kind = "tz-aware datetime" if tz else "naive datetime"
    else:
        if pd.api.types.is_bool_dtype(s.dtype) or any(isinstance(v, (bool, np.bool_, str, bytes))
                                                     for v in (s if s.dtype == object else ())):
            raise TypeError(f"{name}: must be datetimes or numbers of seconds, not booleans or strings")
        try:
            out = s.to_numpy(dtype=float, na_value=np.nan)
        except (TypeError, ValueError):
            raise TypeError(f"{name}: must be datetimes or numbers of seconds, got {s.dtype}") from None
        kind = "number"
        if np.isinf(out).any():
            raise ValueError(f"{name} has ±inf at position {int(np.argmax(np.isinf(out)))}; times must be finite")
    if not allow_missing and np.isnan(out).any():
        raise ValueError(f"{name} has a missing time at position {int(np.argmax(np.isnan(out)))}; "
                         "drop or fill it first")
    return out, kind
