r"""Feature consistency and leakage: does serving compute what training computed, and did
training see anything it could not have known?

- :func:`feature_consistency` runs the training and the serving feature code on the same
  rows: :math:`F_{train}(D) = F_{serve}(D)`;
- :func:`temporal_leakage` flags feature values observed after the label's time;
- :func:`target_leakage_scan` flags features that almost determine the label.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from .._checks import frame, no_missing, nonnegative, number, option, text

__all__ = ["feature_consistency", "temporal_leakage", "target_leakage_scan"]


CONSISTENCY_COLUMNS = ["feature", "mismatched_rows", "mismatch_fraction", "max_abs_diff", "example"]


def _features(name: str, fn: Callable, df: pd.DataFrame) -> pd.DataFrame:
    out = fn(df.copy())
    if not isinstance(out, (pd.DataFrame, pd.Series)):
        raise TypeError(f"{name} returned {type(out).__name__}: must return a DataFrame of features")
    out = pd.DataFrame(out)
    if len(out) != len(df):
        raise ValueError(f"{name} returned {len(out)} rows: must return one row per input row ({len(df)})")
    return out


def feature_consistency(training_fn: Callable[[pd.DataFrame], pd.DataFrame],
                        serving_fn: Callable[[pd.DataFrame], pd.DataFrame], df: pd.DataFrame,
                        atol: float = 1e-9, rtol: float = 1e-6, features: Sequence[str] | None = None) -> pd.DataFrame:
    r"""Check :math:`F_{train}(D) = F_{serve}(D)`: run both feature code paths on the same rows.

    .. math:: |F_{train}(D)_i - F_{serve}(D)_i| \le atol + rtol\,|F_{serve}(D)_i|\quad \forall i

    Numeric features match when the inequality holds (``numpy.isclose``) or both are NaN; other features must be equal (both missing counts as equal). Rows are compared
    by position, so both functions must return one row per input row. A feature produced
    by only one path is reported with every row mismatched.

    Parameters
    ----------
    training_fn, serving_fn : callable
        ``DataFrame -> DataFrame`` of features (same row order as the input).
    df : pandas.DataFrame
        The shared input rows, at least one (each function receives a copy).
    atol : float, default 1e-9
        Absolute tolerance, in the features' units, ≥ 0 and finite.
    rtol : float, default 1e-6
        Relative tolerance, ≥ 0 and finite.
    features : str or list of str, optional
        Features to compare (default: the union of both outputs' columns); each must be in
        at least one output.

    Returns
    -------
    pandas.DataFrame
        ``feature, mismatched_rows, mismatch_fraction, max_abs_diff`` (NaN if not numeric)
        and ``example`` (first mismatching row: training vs serving value); one row per
        feature, sorted as the training output. ``(table.mismatched_rows == 0).all()`` is the
        consistency verdict.

    See Also
    --------
    drift_report : detects the same skew from the distributions alone, without the code.
    temporal_leakage, target_leakage_scan : the other training/serving mismatches.

    References
    ----------
    Zinkevich, *Rules of Machine Learning: Best Practices for ML Engineering* (Google),
    Rule #32 (re-use code between training and serving) and Rule #37 (measure
    training/serving skew). The article, Section "Data Quality, Validation, and
    Training-Serving Skew" (:math:`F_{train}(D) = F_{serve}(D)`).

    Examples
    --------
    The serving path converts °F to °C under the same name: every row differs, by up to
    68 − 20 = 48.

    >>> df = pd.DataFrame({"temp_f": [50.0, 68.0]})
    >>> train = lambda d: pd.DataFrame({"temp": d["temp_f"]})
    >>> serve = lambda d: pd.DataFrame({"temp": (d["temp_f"] - 32) / 1.8})
    >>> feature_consistency(train, serve, df)[["feature", "mismatched_rows", "max_abs_diff"]].values.tolist()
    [['temp', 2, 48.0]]
    """
    for name, fn in (("training_fn", training_fn), ("serving_fn", serving_fn)):
        if not callable(fn):
            raise TypeError(f"{name}={fn!r}: must be a function DataFrame -> DataFrame")
    frame("df", df)
    atol = float(nonnegative("atol", atol))
    rtol = float(nonnegative("rtol", rtol))
    if isinstance(features, str):
        features = [features]
    if features is not None and (isinstance(features, (bytes, bool, int, float)) or not hasattr(features, "__iter__")):
        raise TypeError(f"features={features!r}: must be a feature name or a list of them")
    a, b = _features("training_fn", training_fn, df), _features("serving_fn", serving_fn, df)
    names = list(features) if features is not None else list(a.columns) + [c for c in b.columns if c not in a.columns]
    if features is not None:
        unknown = [f for f in names if f not in a.columns and f not in b.columns]
        if not names or unknown:
            raise ValueError(f"features={names!r}: {unknown or 'empty'}; name features that training_fn or "
                             f"serving_fn returns ({list(a.columns)} / {list(b.columns)})")
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


def _time_columns(name: str, value: Any, df: pd.DataFrame) -> list[str]:
    """One column name or a non-empty list of them, each a datetime column of ``df``."""
    cols = [value] if isinstance(value, str) else value
    if not isinstance(cols, (list, tuple)) or not cols or not all(isinstance(c, str) and c for c in cols):
        raise TypeError(f"{name}={value!r}: must be a column name or a non-empty list of column names")
    for col in cols:
        if col not in df.columns:
            raise ValueError(f"{name}={col!r}: not a column of features_df; it has {list(df.columns)}")
        if not pd.api.types.is_datetime64_any_dtype(df[col].dtype):
            raise TypeError(f"{name}={col!r}: must be a datetime column, got {df[col].dtype}")
    return list(cols)


def temporal_leakage(features_df: pd.DataFrame, feature_time_col: str | Sequence[str], label_time_col: str,
                     tolerance_s: float = 0.0) -> pd.DataFrame:
    r"""Flag features whose timestamp is after the label's time (they could not be known).

    .. math:: \text{leak}_i \iff t_{f,i} - t_{y,i} > tolerance

    A feature value observed at :math:`t_f` may be used for a label at :math:`t_y` only if
    :math:`t_f \le t_y + tolerance`; otherwise it leaks the future into training and the
    model will not find it at serving time.

    Parameters
    ----------
    features_df : pandas.DataFrame
        Training rows with the feature and label timestamps (no missing timestamp: a row
        whose feature time is unknown cannot be cleared).
    feature_time_col : str or list of str
        Datetime column(s) holding when each feature value was observed.
    label_time_col : str
        Datetime column holding the label (prediction) time.
    tolerance_s : float, default 0.0
        Allowed lead of a feature over the label, seconds, ≥ 0 and finite.

    Returns
    -------
    pandas.DataFrame
        ``feature_time_column, leaking_rows, leaking_fraction, max_lead`` (Timedelta) and
        ``example``.

    See Also
    --------
    target_leakage_scan : leakage through the value rather than the timestamp.
    point_in_time_join : (``infra_lab.storage``) the join that prevents it.

    References
    ----------
    Kaufman, Rosset, Perlich & Stitelman, "Leakage in Data Mining: Formulation, Detection,
    and Avoidance", ACM TKDD 6(4) (2012), Article 15 (leakage as information not available
    at prediction time). The article, Section "Data Quality, Validation, and
    Training-Serving Skew" (leakage controls).

    Examples
    --------
    The second row's weather was observed two hours after its label time:

    >>> t = pd.to_datetime(["2013-01-01 10:00", "2013-01-01 11:00"])
    >>> d = pd.DataFrame({"label_time": t, "weather_time": t + pd.to_timedelta([0, 2], unit="h")})
    >>> temporal_leakage(d, "weather_time", "label_time")[["leaking_rows", "max_lead"]].values.tolist()
    [[1, Timedelta('0 days 02:00:00')]]
    >>> int(temporal_leakage(d, "weather_time", "label_time", tolerance_s=7200)["leaking_rows"].iloc[0])
    0
    """
    frame("features_df", features_df)
    cols = _time_columns("feature_time_col", feature_time_col, features_df)
    label_time_col = text("label_time_col", label_time_col)
    _time_columns("label_time_col", label_time_col, features_df)
    # seconds as a float, compared with the lead in seconds: no Timedelta overflow, no ns surprise
    tol = float(nonnegative("tolerance_s", tolerance_s))
    no_missing("features_df", features_df, cols + [label_time_col])
    y = features_df[label_time_col]
    rows = []
    for col in cols:
        lead = features_df[col] - y
        bad = (lead / pd.Timedelta(seconds=1) > tol).to_numpy()
        pos = np.flatnonzero(bad)
        ex = (f"row {features_df.index[pos[0]]}: feature at {features_df[col].iloc[pos[0]]}, "
              f"label at {y.iloc[pos[0]]}") if pos.size else ""
        rows.append({"feature_time_column": col, "leaking_rows": int(pos.size),
                     "leaking_fraction": pos.size / len(features_df),
                     "max_lead": lead[bad].max() if pos.size else pd.Timedelta(0), "example": ex})
    return pd.DataFrame(rows, columns=LEAKAGE_COLUMNS)


def target_leakage_scan(df: pd.DataFrame, label: str, features: Sequence[str] | None = None,
                        threshold: float = 0.9, method: str = "pearson") -> pd.DataFrame:
    r"""Flag numeric features that almost determine the label (:math:`|\rho| \ge` ``threshold``).

    A feature that is a near-copy of the label (``arr_delay`` when predicting ``dep_delay``)
    is usually computed *after* the outcome — target leakage. A high correlation is a
    prompt to check the feature's timing, not proof; a low one does not clear a feature
    (leakage can be non-linear). Pairwise-complete rows (missing values ignored per pair).

    .. math:: \text{suspicious}_j \iff |\rho(x_j, y)| \ge threshold

    Parameters
    ----------
    df : pandas.DataFrame
        The training table, at least one row.
    label : str
        The label column (numeric, not constant).
    features : str or list of str, optional
        Candidate numeric features (default: every other numeric column).
    threshold : float, default 0.9
        Flag at ``|rho| >= threshold``, in (0, 1].
    method : {"pearson", "spearman"}, default "pearson"
        ``pearson`` (linear; default) or ``spearman`` (rank; robust to outliers but blurred
        by ties and noise near zero).

    Returns
    -------
    pandas.DataFrame
        ``feature, rho, abs_rho, suspicious`` sorted by ``abs_rho``. ``rho`` is NaN (and
        the feature not flagged) where it is undefined: a constant feature or fewer than
        two rows with both values.

    See Also
    --------
    temporal_leakage : leakage through the timestamp.
    feature_consistency : training/serving code mismatch.

    References
    ----------
    Kaufman, Rosset, Perlich & Stitelman, "Leakage in Data Mining: Formulation, Detection,
    and Avoidance", ACM TKDD 6(4) (2012), Article 15 (features that encode the target).
    The article, Section "Data Quality, Validation, and Training-Serving Skew" (leakage).

    Examples
    --------
    ``copy`` is 2y (+1 in the last row): ρ ≈ 0.99; ``noise`` is not.

    >>> d = pd.DataFrame({"y": [1.0, 2, 3, 4, 5], "copy": [2.0, 4, 6, 8, 11], "noise": [3.0, 1, 4, 1, 5]})
    >>> target_leakage_scan(d, "y")[["feature", "suspicious"]].values.tolist()
    [['copy', True], ['noise', False]]
    """
    frame("df", df)
    label = text("label", label)
    threshold = float(number("threshold", threshold, low=0.0, high=1.0, low_open=True))
    method = option("method", method, ("pearson", "spearman"))
    if label not in df.columns:
        raise ValueError(f"label={label!r}: not a column of df; it has {list(df.columns)}")
    if not _numeric_column(df[label]):
        raise TypeError(f"label={label!r}: must be a numeric column, got {df[label].dtype}")
    if df[label].nunique(dropna=True) < 2:
        raise ValueError(f"label={label!r}: this column of df is constant (or empty); correlation is undefined")
    if features is None:
        features = [c for c in df.columns if c != label and _numeric_column(df[c])]
    elif isinstance(features, str):
        features = [features]
    elif isinstance(features, (bytes, bool, int, float)) or not hasattr(features, "__iter__"):
        raise TypeError(f"features={features!r}: must be a column name or a list of column names")
    features = list(features)
    missing = [f for f in features if f not in df.columns]
    if missing:
        raise ValueError(f"features={features!r}: {missing} not in df; it has {list(df.columns)}")
    wrong = [f for f in features if not _numeric_column(df[f]) or f == label]
    if wrong:
        raise TypeError(f"features={features!r}: {wrong} must be numeric columns other than the label")
    rho = df[[label, *features]].corr(method=method).loc[features, label] if features else pd.Series(dtype=float)
    out = pd.DataFrame({"feature": features, "rho": rho.to_numpy(dtype=float)})
    out["abs_rho"] = out["rho"].abs()
    out["suspicious"] = out["abs_rho"] >= threshold
    return out.sort_values("abs_rho", ascending=False, ignore_index=True)


def _numeric_column(s: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype)
