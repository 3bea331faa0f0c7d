r"""Storage and feature stores: point-in-time joins, freshness, completeness, availability.

The article's storage section names what makes a feature usable by a model:

.. math:: Availability = f(Freshness, Consistency, Latency, Completeness)

This module makes each factor measurable and the combination explicit, and it implements
the operation a feature store exists for — the **point-in-time (as-of) join** that gives
every training event the feature values that were known *at that event*, never later.

* :func:`point_in_time_join` — the correct join (``pandas.merge_asof`` by entity).
* :func:`naive_latest_join` — the anti-pattern: a per-period aggregate or the latest value,
  which leaks values stamped after the event into training data.
* :func:`leakage_share` — the share of joined rows that used a value from the future.
* :func:`feature_age_seconds`, :func:`feature_freshness` — age of the values used.
* :func:`feature_completeness` — non-null share per column.
* :func:`availability_factors`, :func:`feature_availability` — the four factors in [0, 1]
  and their weighted geometric mean.
* :func:`materialize_online`, :func:`check_online_offline_consistency` — an online store
  (latest value per entity) built from the offline store (full history) and the check
  that both serve the same value.
* :func:`fit_logistic`, :func:`roc_auc`, :func:`paired_bootstrap_auc` — a minimal
  classifier, its rank-based score and a bootstrap interval for the difference of two
  scores, for the leakage demonstration (the course ships no scikit-learn).

Times may be numbers or datetimes (time-zone-aware or naive, but not mixed). All functions
are vectorised; none loops over rows in Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ._checks import as_float_array, require, require_columns, scalar_or_array

__all__ = [
    "point_in_time_join",
    "naive_latest_join",
    "leakage_share",
    "feature_age_seconds",
    "FreshnessStats",
    "feature_freshness",
    "feature_completeness",
    "AvailabilityFactors",
    "availability_factors",
    "feature_availability",
    "materialize_online",
    "ConsistencyReport",
    "check_online_offline_consistency",
    "LogisticModel",
    "fit_logistic",
    "roc_auc",
    "AucComparison",
    "paired_bootstrap_auc",
]

_ROW = "__infra_lab_row__"  # private column that carries the caller's row order through merges


# --------------------------------------------------------------------------- helpers

def _as_list(cols: str | Sequence[str], name: str) -> list[str]:
    if isinstance(cols, str):
        return [cols]
    try:
        out = list(cols)
    except TypeError:
        raise TypeError(f"{name}={cols!r}: must be a column name or a list of column names") from None
    require(len(out) > 0, name, cols, "must name at least one column")
    return out


def _require_frame(df: Any, name: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name}: must be a pandas DataFrame, got {type(df).__name__}")


def _time_kind(s: pd.Series, name: str) -> str:
    """'tz', 'naive' or 'number' — the three kinds of time column a join can use."""
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return "tz"
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return "naive"
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return "number"
    raise TypeError(f"{name} has dtype {s.dtype}: a time column must hold datetimes or numbers "
                    "(parse strings first, e.g. with pandas.to_datetime(..., utc=True))")


def _align_times(left: pd.Series, right: pd.Series, lname: str, rname: str) -> pd.Series:
    """Return ``right`` converted to the dtype of ``left`` (same zone and resolution).

    merge_asof refuses keys of different dtypes; a tz-aware vs naive mix is refused here
    with a clear message, because guessing a zone silently shifts every value by hours.
    """
    lk, rk = _time_kind(left, lname), _time_kind(right, rname)
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


def _align_keys(left: pd.DataFrame, right: pd.DataFrame, keys: list[str]) -> None:
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
            raise TypeError(f"entity column {k!r} is {a} in events but {b} in features; "
                            "convert one so both hold the same kind of key")


def _staleness(max_staleness: Any, kind: str) -> Any:
    if max_staleness is None:
        return None
    if kind == "number":
        tol = as_float_array(max_staleness, "max_staleness")
        require(tol.ndim == 0 and tol >= 0, "max_staleness", max_staleness,
                "must be one number ≥ 0 in the unit of the time columns")
        return float(tol)
    try:
        tol = pd.Timedelta(max_staleness)
    except (TypeError, ValueError):
        raise TypeError(f"max_staleness={max_staleness!r}: must be a pandas.Timedelta or a string such "
                        "as '3h' for datetime columns") from None
    require(tol >= pd.Timedelta(0), "max_staleness", max_staleness, "must be ≥ 0")
    return tol


def _check_no_nat(s: pd.Series, name: str) -> None:
    if s.isna().any():
        raise ValueError(f"{name} has {int(s.isna().sum())} missing time(s); drop or fill them first")


def _seconds(x: Any, name: str) -> tuple[np.ndarray, str]:
    """Times as float seconds (UTC epoch for datetimes; NaN where missing) and their kind."""
    if isinstance(x, (pd.Series, pd.Index)):
        s = pd.Series(x).reset_index(drop=True)
    else:
        arr = np.atleast_1d(np.asarray(x))
        s = pd.Series(list(arr)) if arr.dtype == object else pd.Series(arr)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        tz = isinstance(s.dtype, pd.DatetimeTZDtype)
        if tz:
            s = s.dt.tz_convert("UTC").dt.tz_localize(None)
        ns = s.astype("datetime64[ns]")
        out = ns.astype("int64").to_numpy(dtype=float) / 1e9
        out[ns.isna().to_numpy()] = np.nan
        return out, "tz-aware datetime" if tz else "naive datetime"
    try:
        return s.to_numpy(dtype=float, na_value=np.nan), "number"
    except (TypeError, ValueError):
        raise TypeError(f"{name}: must be datetimes or numbers of seconds, got {s.dtype}") from None


# --------------------------------------------------------------------------- joins

def _feature_columns(df: pd.DataFrame, keys: list[str], time_col: str, feature_cols: Any, name: str) -> list[str]:
    """``feature_cols`` as a checked list; by default every column but the keys and the time."""
    if feature_cols is None:
        return [c for c in df.columns if c not in keys and c != time_col]
    cols = _as_list(feature_cols, "feature_cols")
    require_columns(df, cols, name)
    return cols


def _join_columns(events: Any, features: Any, entity_cols: Any, event_time_col: str,
                  feature_time_col: str | None, feature_cols: Any, feature_time_as: str
                  ) -> tuple[list[str], str, list[str]]:
    """Shared argument checks of the two joins: (entity keys, feature time column, feature columns)."""
    _require_frame(events, "events")
    _require_frame(features, "features")
    keys = _as_list(entity_cols, "entity_cols")
    feature_time_col = event_time_col if feature_time_col is None else feature_time_col
    require_columns(events, keys + [event_time_col], "events")
    require_columns(features, keys + [feature_time_col], "features")
    feature_cols = _feature_columns(features, keys, feature_time_col, feature_cols, "features")
    clash = [c for c in feature_cols if c in keys or c == feature_time_col]
    require(not clash, "feature_cols", feature_cols, f"must not contain key or time column(s) {clash}")
    require(feature_time_as not in events.columns and feature_time_as not in feature_cols,
            "feature_time_as", feature_time_as, "must be a new column name (it clashes with an input column)")
    return keys, feature_time_col, feature_cols


def point_in_time_join(
    events: pd.DataFrame,
    features: pd.DataFrame,
    entity_cols: str | Sequence[str],
    event_time_col: str,
    feature_time_col: str | None = None,
    *,
    max_staleness: Any = None,
    feature_cols: Sequence[str] | None = None,
    allow_exact_matches: bool = True,
    feature_time_as: str = "feature_time",
) -> pd.DataFrame:
    r"""Point-in-time (as-of) join: each event gets the latest feature row known at its time.

    For an event of entity :math:`e` at time :math:`t`, the joined value is the feature row
    of the same entity with the largest time :math:`s` such that

    .. math:: s \le t \quad\text{and}\quad t - s \le \Delta_{max},
              \qquad x(e, t) = v(e, \max\{s \le t\})

    and missing (NaN) when no row qualifies. No value stamped after the event is ever used.
    This is ``pandas.merge_asof(direction="backward", by=entity_cols,
    tolerance=max_staleness)`` (pandas docs, *pandas.merge_asof*, trades/quotes example),
    wrapped so that the caller's row order and index are kept, time zones and resolutions
    are aligned, and ambiguous inputs are refused.

    **Boundary.** With ``allow_exact_matches=True`` (the default) a value stamped exactly at
    the event time is used (:math:`s = t`): the stamp is read as *the moment the value
    became available*, as in feature stores (Feast documentation, *Feature retrieval*: the
    entity row's ``event_timestamp`` "acts as the upper bound (inclusive)"; *Point-in-time
    joins*: Feast scans backward up to the feature view's TTL — our ``max_staleness``).
    If your stamps mark when a measurement
    *started* (an hourly weather row labelled 05:00 but published after the hour), shift
    the feature times by the publication delay before joining, or pass
    ``allow_exact_matches=False`` to require :math:`s < t`.

    Parameters
    ----------
    events : DataFrame
        One row per training/serving event (e.g. a flight), with entity and time columns.
    features : DataFrame
        The offline feature store: the full history, one row per (entity, time).
    entity_cols : str or list of str
        Key column(s) present in both frames (e.g. ``"origin"``).
    event_time_col : str
        Time of each event in ``events``.
    feature_time_col : str, optional
        Time of each feature row in ``features`` (defaults to ``event_time_col``).
    max_staleness : Timedelta or str or number, optional
        Oldest usable value, :math:`\Delta_{max}` (inclusive): ``"3h"``, a ``Timedelta``,
        or a number in the time columns' unit. ``None``: no limit.
    feature_cols : list of str, optional
        Feature columns to bring over (default: every column but keys and time).
    allow_exact_matches : bool
        Use a value stamped exactly at the event time (see *Boundary*).
    feature_time_as : str
        Name of the output column holding the time of the joined feature row (NaT/NaN
        when nothing was joined) — the input to :func:`feature_age_seconds`.

    Returns
    -------
    DataFrame
        ``events`` (same order, same index) plus the feature columns and
        ``feature_time_as``. A feature column whose name clashes with an event column gets
        the suffix ``_feature``.

    Raises
    ------
    ValueError
        Missing columns, missing times, duplicate (entity, time) rows in ``features``
        (the as-of value would be ambiguous), a negative ``max_staleness``.
    TypeError
        Non-DataFrame inputs, time columns that are strings, or a tz-aware/naive mix.

    Examples
    --------
    The pandas documentation's trades/quotes example: the AAPL trade at .048 gets no quote,
    because AAPL's first quote is stamped .049 — in its future.

    >>> t = pd.to_datetime
    >>> quotes = pd.DataFrame({"time": t(["2016-05-25 13:30:00.023", "2016-05-25 13:30:00.049"]),
    ...                        "ticker": ["MSFT", "AAPL"], "bid": [51.95, 97.99]})
    >>> trades = pd.DataFrame({"time": t(["2016-05-25 13:30:00.023", "2016-05-25 13:30:00.048"]),
    ...                        "ticker": ["MSFT", "AAPL"]})
    >>> point_in_time_join(trades, quotes, "ticker", "time")["bid"].tolist()
    [51.95, nan]
    >>> point_in_time_join(trades, quotes, "ticker", "time", allow_exact_matches=False)["bid"].tolist()
    [nan, nan]
    """
    keys, feature_time_col, feature_cols = _join_columns(
        events, features, entity_cols, event_time_col, feature_time_col, feature_cols, feature_time_as)
    if not isinstance(allow_exact_matches, (bool, np.bool_)):
        raise TypeError(f"allow_exact_matches={allow_exact_matches!r}: must be True or False")
    _check_no_nat(events[event_time_col], f"events[{event_time_col!r}]")
    _check_no_nat(features[feature_time_col], f"features[{feature_time_col!r}]")
    dup = features.duplicated(keys + [feature_time_col])
    if dup.any():
        raise ValueError(f"features has {int(dup.sum())} duplicate (entity, time) row(s) on "
                         f"{keys + [feature_time_col]}; the as-of value would be ambiguous — deduplicate first")

    ftime = _align_times(events[event_time_col], features[feature_time_col],
                         f"events[{event_time_col!r}]", f"features[{feature_time_col!r}]")
    kind = _time_kind(events[event_time_col], event_time_col)
    tol = _staleness(max_staleness, kind)

    left = events[keys + [event_time_col]].copy()
    left[_ROW] = np.arange(len(events))
    # Event times that are integers must match the float feature times merge_asof sees.
    left["__t__"] = events[event_time_col].astype(float) if kind == "number" else events[event_time_col]
    right = features[keys].copy()
    right["__t__"] = ftime
    right[feature_time_as] = ftime
    for c in feature_cols:
        right["__f__" + c] = features[c]
    _align_keys(left, right, keys)
    merged = pd.merge_asof(
        left.sort_values("__t__", kind="stable"),
        right.sort_values("__t__", kind="stable"),
        on="__t__", by=keys, direction="backward", tolerance=tol,
        allow_exact_matches=bool(allow_exact_matches),
    ).sort_values(_ROW, kind="stable")

    out = events.copy()
    for c in feature_cols:
        name = c + "_feature" if c in events.columns else c
        out[name] = merged["__f__" + c].to_numpy()
    out[feature_time_as] = merged[feature_time_as].to_numpy()
    return out


def naive_latest_join(
    events: pd.DataFrame,
    features: pd.DataFrame,
    entity_cols: str | Sequence[str],
    event_time_col: str,
    feature_time_col: str | None = None,
    *,
    period: str | None = "D",
    agg: str | Mapping[str, str] = "last",
    tz: str | None = None,
    feature_cols: Sequence[str] | None = None,
    feature_time_as: str = "feature_time",
) -> pd.DataFrame:
    r"""The anti-pattern: join a per-period aggregate (or the latest value) — it leaks the future.

    Every event gets, for its entity, the aggregate ``agg`` of **all** feature rows in the
    same calendar ``period`` as the event (``period=None``: all rows ever, i.e. the latest
    value available when the training set is built). With ``agg="last"`` this is the value at
    the *end* of the period; with ``"max"`` the period's maximum. Both include rows stamped
    after the event, so a model trained on them sees the outcome's causes in advance and
    scores better offline than it can in production (Kaufman et al., "Leakage in data
    mining", ACM TKDD 6(4), 2012). Use :func:`point_in_time_join` instead.

    The output column ``feature_time_as`` holds the time the joined value became *known*:
    the latest feature time among the rows aggregated. Where it is after the event time,
    the row leaked (:func:`leakage_share`).

    Parameters
    ----------
    events, features, entity_cols, event_time_col, feature_time_col, feature_cols
        As in :func:`point_in_time_join`.
    period : str or None
        A pandas frequency for ``Series.dt.floor`` (``"D"`` a day, ``"h"`` an hour); ``None``
        for "the latest value overall". Datetime columns only when not ``None``.
    agg : str or mapping
        A pandas aggregation name (``"last"``, ``"max"``, ``"min"``, ``"mean"``) or one per
        feature column.
    tz : str, optional
        Time zone in which calendar periods are cut (e.g. ``"America/New_York"`` so a
        "day" is a local day); tz-aware columns only.

    Returns
    -------
    DataFrame
        ``events`` (same order and index) plus the aggregated feature columns and
        ``feature_time_as``.

    Examples
    --------
    Rain starts at 18:00; the 09:00 event is joined with the day's last value — rain it
    could not have known about:

    >>> feats = pd.DataFrame({"site": ["A", "A"], "time": pd.to_datetime(["2013-01-01 06:00",
    ...                       "2013-01-01 18:00"]), "precip": [0.0, 0.4]})
    >>> ev = pd.DataFrame({"site": ["A"], "time": pd.to_datetime(["2013-01-01 09:00"])})
    >>> naive_latest_join(ev, feats, "site", "time")["precip"].tolist()
    [0.4]
    >>> point_in_time_join(ev, feats, "site", "time")["precip"].tolist()
    [0.0]
    """
    keys, feature_time_col, feature_cols = _join_columns(
        events, features, entity_cols, event_time_col, feature_time_col, feature_cols, feature_time_as)
    if isinstance(agg, str):
        aggs = {c: agg for c in feature_cols}
    else:
        aggs = dict(agg)
        missing = [c for c in feature_cols if c not in aggs]
        require(not missing, "agg", agg, f"must give an aggregation for every feature column; missing {missing}")
    _check_no_nat(events[event_time_col], f"events[{event_time_col!r}]")
    _check_no_nat(features[feature_time_col], f"features[{feature_time_col!r}]")
    ftime = _align_times(events[event_time_col], features[feature_time_col],
                         f"events[{event_time_col!r}]", f"features[{feature_time_col!r}]")
    kind = _time_kind(events[event_time_col], event_time_col)
    if tz is not None:
        require(kind == "tz", "tz", tz, "applies only to time-zone-aware datetime columns")
    if period is not None:
        require(kind != "number", "period", period, "needs datetime time columns (use period=None for numbers)")

    if period is not None:
        try:
            pd.tseries.frequencies.to_offset(period)
        except (ValueError, TypeError):
            raise ValueError(f"period={period!r}: must be a pandas frequency such as 'D' or 'h'") from None

    def bucket(times: pd.Series) -> pd.Series:
        # Cut periods on the wall clock of `tz` (naive local time), so a "day" is a local day
        # and a DST change never makes a boundary ambiguous.
        if kind == "tz":
            times = times.dt.tz_convert(tz if tz is not None else "UTC").dt.tz_localize(None)
        return times.dt.floor(period)

    right = features[keys].copy()
    for c in feature_cols:
        right[c] = features[c]
    right["__known__"] = ftime
    group_keys = list(keys)
    left = events[keys].copy()
    left[_ROW] = np.arange(len(events))
    if period is not None:
        # Sorting by time first makes "last" mean "latest stamp", not "last row in the file".
        order = np.argsort(ftime.to_numpy(), kind="stable")
        right = right.iloc[order]
        right["__period__"] = bucket(right["__known__"]).to_numpy()
        left["__period__"] = bucket(events[event_time_col]).to_numpy()
        group_keys.append("__period__")
    else:
        right = right.iloc[np.argsort(ftime.to_numpy(), kind="stable")]
    _align_keys(left, right, keys)
    table = right.groupby(group_keys, sort=False).agg({**aggs, "__known__": "max"}).reset_index()
    merged = left.merge(table, on=group_keys, how="left", validate="many_to_one").sort_values(_ROW)

    out = events.copy()
    for c in feature_cols:
        name = c + "_feature" if c in events.columns else c
        out[name] = merged[c].to_numpy()
    out[feature_time_as] = merged["__known__"].to_numpy()
    return out


def leakage_share(joined: pd.DataFrame, event_time_col: str, feature_time_col: str = "feature_time") -> float:
    r"""Share of joined rows whose feature value was stamped after the event.

    .. math:: leak = \frac{\#\{i : s_i > t_i\}}{\#\{i : s_i \text{ known}\}}

    Rows with no joined value are left out of the denominator. A point-in-time join gives 0
    by construction; anything above 0 is training data from the future.

    Parameters
    ----------
    joined : DataFrame
        Output of :func:`point_in_time_join` or :func:`naive_latest_join`.
    event_time_col : str
        Event time :math:`t_i` (datetimes or numbers).
    feature_time_col : str
        Time :math:`s_i` the joined value became known (same kind as the event time).

    Returns
    -------
    float
        Leaked share in [0, 1] (-).

    >>> df = pd.DataFrame({"t": [1, 2, 3, 4], "feature_time": [0, 3, 3, np.nan]})
    >>> leakage_share(df, "t")
    0.3333333333333333
    """
    _require_frame(joined, "joined")
    require_columns(joined, [event_time_col, feature_time_col], "joined")
    s = _align_times(joined[event_time_col], joined[feature_time_col],
                     f"joined[{event_time_col!r}]", f"joined[{feature_time_col!r}]")
    known = s.notna().to_numpy()
    require(known.any(), "joined", f"<{len(joined)} rows>", f"has no joined value in {feature_time_col!r}")
    later = (s > joined[event_time_col]).to_numpy() & known
    return float(later.sum() / known.sum())


# --------------------------------------------------------------------------- freshness, completeness

def feature_age_seconds(feature_times: Any, as_of: Any) -> Any:
    r"""Age of each feature value when it is used: :math:`age = t_{use} - s`, in seconds.

    ``feature_times`` and ``as_of`` may be datetimes (tz-aware or naive, consistently) or
    numbers in seconds; they broadcast (one ``as_of`` for all, or one per value). A missing
    feature time gives NaN (no value was available). A negative age — a value from the
    future — is refused: it means the join leaked.

    Parameters
    ----------
    feature_times : datetime(s) or number(s)
        Time :math:`s` each value was stamped (NaT/NaN: no value).
    as_of : datetime(s) or number(s)
        Time :math:`t_{use}` each value is used (e.g. the event times), same kind.

    Returns
    -------
    float or numpy.ndarray
        Age in seconds: a Python float for scalar input, else a float array.

    >>> feature_age_seconds(pd.to_datetime(["2013-01-01 05:00", None], utc=True),
    ...                     pd.Timestamp("2013-01-01 05:30", tz="UTC")).tolist()
    [1800.0, nan]
    >>> feature_age_seconds(100.0, 160.0)
    60.0
    """
    scalar_in = np.ndim(feature_times) == 0 and np.ndim(as_of) == 0
    fs, fkind = _seconds(feature_times, "feature_times")
    av, akind = _seconds(as_of, "as_of")
    if fkind != akind:
        raise TypeError(f"feature_times ({fkind}) and as_of ({akind}) must both be time-zone-aware "
                        "datetimes, both naive datetimes, or both numbers of seconds")
    require(~np.isnan(av), "as_of", as_of, "must not contain missing times; every use needs a time")
    fv = fs
    if fv.size != np.size(av) and np.size(av) != 1 and fv.size != 1:
        raise ValueError(f"feature_times ({fv.size} values) and as_of ({np.size(av)} values) must have the "
                         "same length, or one of them a single value")
    age = np.asarray(av, dtype=float) - fv
    require(~(age < 0), "feature_times", f"<{int((age < 0).sum())} value(s) after as_of>",
            "must not be later than as_of (a value from the future: the join leaked)")
    return age.item() if scalar_in else age


@dataclass(frozen=True)
class FreshnessStats:
    """Age statistics of the feature values used (seconds).

    Attributes
    ----------
    count : int
        Values with a known age.
    missing : int
        Uses for which no value was available (NaN age).
    mean_s, median_s, p95_s, max_s : float
        Age statistics in seconds over the known values (NaN if none).
    share_within_max_age : float
        Share of all uses (missing included) with age ≤ ``max_age_s`` (NaN if not given).
    """

    count: int
    missing: int
    mean_s: float
    median_s: float
    p95_s: float
    max_s: float
    share_within_max_age: float


def feature_freshness(feature_times: Any, as_of: Any, max_age_s: float | None = None) -> FreshnessStats:
    r"""Freshness of the feature values used: distribution of :math:`age = t_{use} - s` (s).

    Ages come from :func:`feature_age_seconds`; ``p95_s`` is the linear-interpolated 95th
    percentile (numpy default). ``share_within_max_age`` counts a missing value as not
    fresh, so it measures freshness and completeness together.

    Parameters
    ----------
    feature_times, as_of
        As in :func:`feature_age_seconds`.
    max_age_s : float, optional
        Age (s, > 0) up to which a value counts as fresh.

    Returns
    -------
    FreshnessStats

    >>> st = feature_freshness(np.array([0.0, 30.0, 60.0, np.nan]), 120.0, max_age_s=90)
    >>> st.count, st.missing, st.median_s, st.share_within_max_age
    (3, 1, 90.0, 0.5)
    """
    age = np.atleast_1d(np.asarray(feature_age_seconds(feature_times, as_of), dtype=float))
    require(age.size > 0, "feature_times", feature_times, "must hold at least one value")
    known = age[~np.isnan(age)]
    stats = (float(known.mean()), float(np.median(known)), float(np.percentile(known, 95)),
             float(known.max())) if known.size else (np.nan,) * 4
    share = np.nan
    if max_age_s is not None:
        m = as_float_array(max_age_s, "max_age_s")
        require(m.ndim == 0 and m > 0, "max_age_s", max_age_s, "must be one number > 0 seconds")
        share = float(np.sum(known <= m) / age.size)
    return FreshnessStats(int(known.size), int(age.size - known.size), *stats, share)


def feature_completeness(df: pd.DataFrame, columns: str | Sequence[str] | None = None) -> Any:
    r"""Non-null share of each column: :math:`completeness_c = \#\{non\text{-}null\} / n`.

    Returns a float for one column name, else a ``Series`` indexed by column (all columns
    when ``columns`` is ``None``). A missing hour in a time series is only visible after
    reindexing onto the full time grid — do that first (see the notebook).

    Parameters
    ----------
    df : DataFrame
        At least one row.
    columns : str or list of str, optional
        Columns to measure (default: all).

    Returns
    -------
    float or pandas.Series
        Share in [0, 1] (-): a float for one column name, else one value per column.

    >>> df = pd.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": [1, 2, 3, 4]})
    >>> feature_completeness(df, "a")
    0.75
    >>> feature_completeness(df).tolist()
    [0.75, 1.0]
    """
    _require_frame(df, "df")
    require(len(df) > 0, "df", "<empty DataFrame>", "must have at least one row")
    if columns is None:
        cols = list(df.columns)
    else:
        cols = _as_list(columns, "columns")
        require_columns(df, cols, "df")
    share = df[cols].notna().mean().astype(float)
    return float(share.iloc[0]) if isinstance(columns, str) else share


# --------------------------------------------------------------------------- availability

@dataclass(frozen=True)
class AvailabilityFactors:
    """The four factors of feature availability, each mapped to [0, 1] (1 = fully available).

    Floats for scalar input, arrays when the inputs broadcast to arrays.
    """

    freshness: Any
    consistency: Any
    latency: Any
    completeness: Any


def availability_factors(freshness_s: Any, max_age_s: Any, consistency: Any, latency_ms: Any,
                         latency_budget_ms: Any, completeness: Any) -> AvailabilityFactors:
    r"""Map freshness, consistency, latency and completeness onto [0, 1].

    .. math::
        f_F = \max\!\left(0, 1 - \frac{age}{age_{max}}\right),\quad
        f_L = \max\!\left(0, 1 - \frac{latency}{budget}\right),\quad
        f_C = consistency,\quad f_{K} = completeness

    Freshness and latency are *headroom*: 1 for a brand-new value served instantly, falling
    linearly to 0 when the age reaches ``max_age_s`` or the lookup takes the whole
    ``latency_budget_ms`` (no time left for the model). Consistency (share of features whose
    online value equals the offline one) and completeness (non-null share) are already in
    [0, 1]. The linear maps are a course choice — simple, monotone, 0 at the limit — not a
    published standard.

    Parameters
    ----------
    freshness_s, max_age_s, consistency, latency_ms, latency_budget_ms, completeness
        As in :func:`feature_availability` (s, s, -, ms, ms, -); they broadcast.

    Returns
    -------
    AvailabilityFactors
        Each factor in [0, 1] (-).

    >>> availability_factors(1800, 3600, 1.0, 2.0, 10.0, 0.98)
    AvailabilityFactors(freshness=0.5, consistency=1.0, latency=0.8, completeness=0.98)
    """
    age = as_float_array(freshness_s, "freshness_s")
    mx = as_float_array(max_age_s, "max_age_s")
    cons = as_float_array(consistency, "consistency")
    lat = as_float_array(latency_ms, "latency_ms")
    bud = as_float_array(latency_budget_ms, "latency_budget_ms")
    comp = as_float_array(completeness, "completeness")
    require(age >= 0, "freshness_s", freshness_s, "must be ≥ 0 seconds (an age)")
    require(mx > 0, "max_age_s", max_age_s, "must be > 0 seconds")
    require((cons >= 0) & (cons <= 1), "consistency", consistency, "must be in [0, 1]")
    require(lat >= 0, "latency_ms", latency_ms, "must be ≥ 0 ms")
    require(bud > 0, "latency_budget_ms", latency_budget_ms, "must be > 0 ms")
    require((comp >= 0) & (comp <= 1), "completeness", completeness, "must be in [0, 1]")
    try:
        parts = np.broadcast_arrays(np.clip(1 - age / mx, 0, 1), cons, np.clip(1 - lat / bud, 0, 1), comp)
    except ValueError:
        raise ValueError("freshness_s, max_age_s, consistency, latency_ms, latency_budget_ms, completeness: "
                         "shapes do not broadcast together") from None
    return AvailabilityFactors(*(scalar_or_array(np.array(x, dtype=float)) for x in parts))


def feature_availability(freshness_s: Any, max_age_s: Any, consistency: Any, latency_ms: Any,
                         latency_budget_ms: Any, completeness: Any,
                         weights: Sequence[float] | None = None) -> Any:
    r"""Feature availability in [0, 1] from freshness, consistency, latency and completeness.

    .. math:: Availability = \prod_{i \in \{F, C, L, K\}} f_i^{\,w_i},
              \qquad w_i \ge 0,\ \sum_i w_i = 1

    — the weighted geometric mean of the factors of :func:`availability_factors` (the
    article: *Availability = f(Freshness, Consistency, Latency, Completeness)*; the form is
    the course's). A product, not a sum, because the factors are jointly necessary: a
    feature that is perfectly fresh but never arrives within the latency budget is not
    available at all, and a weighted *sum* would still rate it 0.75. With a product any
    factor at 0 (with positive weight) makes the score 0, and a weak factor cannot be
    bought back by the others. The weights (``(F, C, L, K)``, default equal) are normalised
    to sum to 1, so equal factors give that same value back (four factors of 0.9 → 0.9,
    whereas the plain product would give 0.66). Broadcasts over arrays.

    Parameters
    ----------
    freshness_s : float or array
        Age of the value used, seconds (≥ 0).
    max_age_s : float or array
        Age at which a value is too stale to use, seconds (> 0).
    consistency : float or array
        Share of features whose online value equals the offline value, [0, 1].
    latency_ms : float or array
        Feature lookup latency, ms (≥ 0).
    latency_budget_ms : float or array
        The lookup's share of the request's latency budget, ms (> 0).
    completeness : float or array
        Non-null share of the feature values, [0, 1].
    weights : 4 numbers, optional
        Relative importance of (freshness, consistency, latency, completeness); ≥ 0, not
        all 0.

    Returns
    -------
    float or ndarray
        The availability score in [0, 1].

    Examples
    --------
    >>> round(feature_availability(1800, 3600, 1.0, 2.0, 10.0, 0.98), 4)
    0.7913
    >>> feature_availability(0, 3600, 1.0, 10.0, 10.0, 1.0)   # the lookup eats the budget
    0.0
    >>> feature_availability([0, 1800, 3600], 3600, 1, 0, 10, 1).tolist()
    [1.0, 0.8408964152537145, 0.0]
    """
    fac = availability_factors(freshness_s, max_age_s, consistency, latency_ms, latency_budget_ms, completeness)
    if weights is None:
        w = np.full(4, 0.25)
    else:
        w = as_float_array(weights, "weights")
        require(w.shape == (4,), "weights", weights,
                "must be 4 numbers: (freshness, consistency, latency, completeness)")
        require((w >= 0).all() and w.sum() > 0, "weights", weights, "must be ≥ 0 and not all 0")
        w = w / w.sum()
    parts = [np.asarray(x, dtype=float) for x in (fac.freshness, fac.consistency, fac.latency, fac.completeness)]
    # 0 ** 0 = 1: a factor with weight 0 is ignored, as documented.
    score = np.prod([np.power(p, wi) for p, wi in zip(parts, w)], axis=0)
    return scalar_or_array(np.clip(score, 0.0, 1.0))


# --------------------------------------------------------------------------- online / offline stores

def materialize_online(
    offline_df: pd.DataFrame,
    entity_cols: str | Sequence[str],
    time_col: str,
    as_of: Any = None,
    feature_cols: Sequence[str] | None = None,
) -> pd.DataFrame:
    r"""Build the online store from the offline store: the latest row per entity at ``as_of``.

    .. math:: online(e) = v(e, \max\{s \le as\_of\})

    The offline store keeps the full history (for training, through point-in-time joins);
    the online store keeps one row per entity (for low-latency serving). Materialising
    means taking, per entity, the row with the largest time not after ``as_of`` (default:
    the latest time in the store). Entities with no row by ``as_of`` are absent. This is the
    same definition as :func:`point_in_time_join` at time ``as_of`` — computed here by a
    different route (sort, keep last), which is what lets
    :func:`check_online_offline_consistency` test one against the other.

    Parameters
    ----------
    offline_df : DataFrame
        Full history, one row per (entity, time); no duplicates, no missing times.
    entity_cols : str or list of str
        Entity key column(s).
    time_col : str
        Time each row became available (datetimes or numbers).
    as_of : time, optional
        Materialisation time (default: the latest time in ``offline_df``).
    feature_cols : list of str, optional
        Columns to serve (default: all but keys and time).

    Returns
    -------
    DataFrame
        ``entity_cols``, ``time_col`` (the stamp of the value served) and the feature
        columns, one row per entity, sorted by entity.

    >>> off = pd.DataFrame({"k": ["a", "a", "b"], "t": [1, 3, 2], "x": [10.0, 30.0, 20.0]})
    >>> materialize_online(off, "k", "t").to_dict("list")
    {'k': ['a', 'b'], 't': [3, 2], 'x': [30.0, 20.0]}
    >>> materialize_online(off, "k", "t", as_of=2)["x"].tolist()
    [10.0, 20.0]
    """
    _require_frame(offline_df, "offline_df")
    keys = _as_list(entity_cols, "entity_cols")
    require_columns(offline_df, keys + [time_col], "offline_df")
    feature_cols = _feature_columns(offline_df, keys, time_col, feature_cols, "offline_df")
    _check_no_nat(offline_df[time_col], f"offline_df[{time_col!r}]")
    dup = offline_df.duplicated(keys + [time_col])
    if dup.any():
        raise ValueError(f"offline_df has {int(dup.sum())} duplicate (entity, time) row(s); deduplicate first")
    df = offline_df[keys + [time_col] + feature_cols]
    if as_of is not None:
        df = df[df[time_col] <= _as_of_value(offline_df[time_col], as_of, time_col)]
    latest = df.sort_values(time_col, kind="stable").drop_duplicates(keys, keep="last")
    return latest.sort_values(keys, kind="stable").reset_index(drop=True)


def _as_of_value(times: pd.Series, as_of: Any, time_col: str) -> Any:
    """``as_of`` converted to the dtype of the store's time column (zone, resolution)."""
    probe = pd.Series([as_of])
    if _time_kind(times, f"offline_df[{time_col!r}]") != "number":
        try:
            probe = pd.to_datetime(probe)
        except (TypeError, ValueError):
            raise TypeError(f"as_of={as_of!r}: must be a time like the store's {time_col!r} column") from None
    return _align_times(times, probe, f"offline_df[{time_col!r}]", "as_of").iloc[0]


@dataclass(frozen=True)
class ConsistencyReport:
    """Result of :func:`check_online_offline_consistency`.

    Attributes
    ----------
    consistent : bool
        Every entity present in both, and every value equal.
    n_entities : int
        Entities in the offline store's point-in-time view at ``as_of``.
    missing_entities : int
        Entities the offline view has and the online store lacks.
    extra_entities : int
        Entities in the online store the offline view does not know.
    consistency : float
        Share of (entity, feature) cells whose online value equals the offline value, in
        [0, 1] (a missing entity counts as all its cells wrong) — the *Consistency* factor
        of :func:`feature_availability`.
    per_feature : pandas.Series
        Mismatch share per feature column.
    mismatches : pandas.DataFrame
        One row per differing cell: entity key(s), ``feature``, ``offline``, ``online``.
    """

    consistent: bool
    n_entities: int
    missing_entities: int
    extra_entities: int
    consistency: float
    per_feature: pd.Series
    mismatches: pd.DataFrame


def check_online_offline_consistency(
    offline_df: pd.DataFrame,
    online_df: pd.DataFrame,
    entity_cols: str | Sequence[str],
    time_col: str,
    as_of: Any = None,
    feature_cols: Sequence[str] | None = None,
    atol: float = 1e-9,
) -> ConsistencyReport:
    r"""Check that the online store serves the offline store's point-in-time value.

    For every entity :math:`e`, with :math:`x_{off}(e) = v(e, \max\{s \le as\_of\})` computed
    by :func:`point_in_time_join` from the full history,

    .. math:: consistent \iff \forall e, c:\ |x_{on}(e, c) - x_{off}(e, c)| \le atol

    (exact equality for non-numeric columns; two missing values count as equal). ``as_of``
    defaults to the latest time in the offline store — the materialisation time. A pipeline
    that fills the online store from a differently-transformed source (other units, other
    defaults for missing values) fails this check: that is training-serving skew caught
    before a model sees it.

    Parameters
    ----------
    offline_df : DataFrame
        Full history (as in :func:`materialize_online`).
    online_df : DataFrame
        The online store to check: one row per entity, with the key and feature columns.
    entity_cols, time_col, as_of, feature_cols
        As in :func:`materialize_online`.
    atol : float
        Absolute tolerance for numeric columns (≥ 0, in the columns' own units).

    Returns
    -------
    ConsistencyReport

    >>> off = pd.DataFrame({"k": ["a", "a", "b"], "t": [1, 3, 2], "x": [10.0, 30.0, 20.0]})
    >>> check_online_offline_consistency(off, materialize_online(off, "k", "t"), "k", "t").consistent
    True
    >>> bad = materialize_online(off, "k", "t").assign(x=lambda d: d.x * 1.609)  # miles → km
    >>> rep = check_online_offline_consistency(off, bad, "k", "t")
    >>> rep.consistent, rep.consistency
    (False, 0.0)
    """
    _require_frame(offline_df, "offline_df")
    _require_frame(online_df, "online_df")
    keys = _as_list(entity_cols, "entity_cols")
    require_columns(offline_df, keys + [time_col], "offline_df")
    feature_cols = _feature_columns(offline_df, keys, time_col, feature_cols, "offline_df")
    require_columns(online_df, keys + feature_cols, "online_df")
    a = as_float_array(atol, "atol")
    require(a.ndim == 0 and a >= 0, "atol", atol, "must be one number ≥ 0")
    if online_df.duplicated(keys).any():
        raise ValueError(f"online_df has more than one row for some entity on {keys}; an online store "
                         "holds one row per entity")
    as_of = offline_df[time_col].max() if as_of is None else _as_of_value(offline_df[time_col], as_of, time_col)
    entities = offline_df[keys].drop_duplicates().reset_index(drop=True)
    probe = entities.copy()
    probe["__asof__"] = pd.Series([as_of] * len(probe), dtype=offline_df[time_col].dtype)
    # The reference: the offline store's point-in-time value at as_of, by the as-of join.
    ref = point_in_time_join(probe, offline_df, keys, "__asof__", time_col,
                             feature_cols=feature_cols, feature_time_as="__ftime__")
    ref = ref[ref["__ftime__"].notna()].drop(columns=["__asof__", "__ftime__"])
    both = ref.merge(online_df[keys + feature_cols], on=keys, how="outer",
                     suffixes=("__off", "__on"), indicator=True)
    missing = int((both["_merge"] == "left_only").sum())
    extra = int((both["_merge"] == "right_only").sum())
    rows = both[both["_merge"] != "right_only"]
    frames, per = [], {}
    for c in feature_cols:  # a loop over columns, not rows
        off, on = rows[c + "__off"], rows[c + "__on"]
        both_na = off.isna().to_numpy() & on.isna().to_numpy()
        if pd.api.types.is_numeric_dtype(off) and pd.api.types.is_numeric_dtype(on):
            close = np.abs(off.to_numpy(dtype=float) - on.to_numpy(dtype=float)) <= float(a)
        else:
            close = (off.astype(object) == on.astype(object)).to_numpy(dtype=bool)
        bad = ~(close | both_na)
        per[c] = float(bad.mean()) if len(rows) else 0.0
        if bad.any():
            fr = rows.loc[bad, keys].copy()
            fr["feature"] = c
            fr["offline"] = off[bad].to_numpy(dtype=object)
            fr["online"] = on[bad].to_numpy(dtype=object)
            frames.append(fr)
    cols = keys + ["feature", "offline", "online"]
    mism = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    n_cells = len(rows) * len(feature_cols)
    share_ok = 1.0 - (len(mism) / n_cells) if n_cells else 1.0
    return ConsistencyReport(
        consistent=bool(not len(mism) and missing == 0 and extra == 0),
        n_entities=int(len(rows)), missing_entities=missing, extra_entities=extra,
        consistency=float(share_ok), per_feature=pd.Series(per, name="mismatch_share", dtype=float),
        mismatches=mism,
    )


# --------------------------------------------------------------------------- a minimal model

@dataclass(frozen=True)
class LogisticModel:
    """A fitted logistic regression :math:`p = \\sigma(b_0 + x^T b)` (raw feature units).

    Attributes
    ----------
    intercept : float
    coef : numpy.ndarray
        One coefficient per feature column, in the features' own units.
    iterations : int
        Newton steps taken.
    """

    intercept: float
    coef: np.ndarray
    iterations: int

    def predict_proba(self, X: Any) -> np.ndarray:
        """Predicted probability of the positive class for each row of ``X``."""
        x = as_float_array(X, "X")
        if x.ndim <= 1:  # a 1-D input is one feature per row (1 feature) or one row
            x = x.reshape(-1, 1) if self.coef.size == 1 else x.reshape(1, -1)
        require(x.shape[1] == self.coef.size, "X", f"<shape {x.shape}>",
                f"must have {self.coef.size} column(s), as in training")
        return 1.0 / (1.0 + np.exp(-(self.intercept + x @ self.coef)))


def fit_logistic(X: Any, y: Any, l2: float = 0.0, max_iter: int = 100, tol: float = 1e-10) -> LogisticModel:
    r"""Fit a logistic regression by Newton's method (iteratively reweighted least squares).

    Maximises :math:`\sum_i y_i \ln p_i + (1 - y_i)\ln(1 - p_i) - \tfrac{\lambda}{2}\|b\|^2`
    with :math:`p_i = \sigma(b_0 + x_i^T b)`; the Newton step solves
    :math:`(X^T W X + \lambda I)\,\Delta = X^T (y - p) - \lambda b`, :math:`W = diag(p(1-p))`
    (Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, §4.4.1). Features
    are standardised internally for a well-conditioned solve and the coefficients returned in
    the original units; ``l2`` (:math:`\lambda`) acts on the standardised coefficients, never on
    the intercept. Rows with NaN are refused — decide about missing values before fitting.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Features in their own units; every column must vary.
    y : array_like, shape (n,)
        Labels 0/1, both classes present.
    l2 : float
        Ridge penalty :math:`\lambda` ≥ 0 on the standardised coefficients (-).
    max_iter : int
        Newton steps at most (≥ 1).
    tol : float
        Stop when no coefficient moves more than this (standardised units).

    Returns
    -------
    LogisticModel

    Worked example (Wikipedia, *Logistic regression*, "hours of study vs passing an exam"):
    intercept −4.0777, hours 1.5046.

    >>> hours = [0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50,
    ...          2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50]
    >>> passed = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
    >>> m = fit_logistic(np.array(hours)[:, None], passed)
    >>> round(m.intercept, 4), round(float(m.coef[0]), 4)
    (-4.0777, 1.5046)
    """
    x = as_float_array(X, "X")
    if x.ndim == 1:
        x = x[:, None]
    require(x.ndim == 2, "X", f"<shape {x.shape}>", "must be 2-D: rows × features")
    t = as_float_array(y, "y").ravel()
    require(t.size == x.shape[0], "y", f"<{t.size} values>", f"must have one value per row of X ({x.shape[0]})")
    require(np.isin(t, (0.0, 1.0)), "y", y, "must contain only 0 and 1")
    require(0 < t.sum() < t.size, "y", f"<{int(t.sum())} of {t.size} positive>", "must contain both classes")
    lam = as_float_array(l2, "l2")
    require(lam.ndim == 0 and lam >= 0, "l2", l2, "must be one number ≥ 0")
    require(isinstance(max_iter, (int, np.integer)) and max_iter >= 1, "max_iter", max_iter, "must be an int ≥ 1")
    mu, sd = x.mean(axis=0), x.std(axis=0)
    require(sd > 0, "X", f"<column(s) {np.flatnonzero(sd == 0).tolist()} constant>",
            "every feature must vary (a constant column has no coefficient)")
    z = np.column_stack([np.ones(len(x)), (x - mu) / sd])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], float(lam))
    penalty[0] = 0.0
    it = 0
    for it in range(1, max_iter + 1):  # Newton steps (a handful), not a loop over data
        p = 1.0 / (1.0 + np.exp(-(z @ beta)))
        w = p * (1 - p)
        grad = z.T @ (t - p) - penalty * beta
        hess = (z * w[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hess + 1e-12 * np.eye(len(beta)), grad)
        beta = beta + step
        if np.max(np.abs(step)) < tol:
            break
    coef = beta[1:] / sd
    return LogisticModel(intercept=float(beta[0] - np.sum(coef * mu)), coef=coef, iterations=it)


def _midranks(x: np.ndarray) -> np.ndarray:
    """1-based ranks, tied values sharing their mean rank (scipy.stats.rankdata's 'average')."""
    _, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    first = np.cumsum(counts) - counts  # 0-based rank of each distinct value's first copy
    return (first + (counts + 1) / 2.0)[inverse]


def roc_auc(y_true: Any, score: Any) -> float:
    r"""Area under the ROC curve via the rank statistic (Mann–Whitney U).

    .. math:: AUC = \frac{R_+ - n_+(n_+ + 1)/2}{n_+ n_-}

    where :math:`R_+` is the sum of the (mid-)ranks of the positives' scores: the
    probability that a random positive scores above a random negative, ties counting ½
    (Hanley & McNeil, *Radiology* 143(1), 1982). 0.5 is chance, 1 perfect.

    Parameters
    ----------
    y_true : array_like
        Labels 0/1, both classes present.
    score : array_like
        One score per label, any unit; larger means "more likely positive".

    Returns
    -------
    float
        AUC in [0, 1] (-).

    Worked example (Hanley & McNeil 1982, Table I: 58 normal and 51 abnormal CT images rated
    1-5; area 0.893):

    >>> normal   = [1] * 33 + [2] * 6 + [3] * 6 + [4] * 11 + [5] * 2
    >>> abnormal = [1] * 3 + [2] * 2 + [3] * 2 + [4] * 11 + [5] * 33
    >>> round(roc_auc([0] * 58 + [1] * 51, normal + abnormal), 3)
    0.893
    """
    t = as_float_array(y_true, "y_true").ravel()
    s = as_float_array(score, "score").ravel()
    require(t.size == s.size, "score", f"<{s.size} values>", f"must have one value per label ({t.size})")
    require(np.isin(t, (0.0, 1.0)), "y_true", y_true, "must contain only 0 and 1")
    n_pos = int(t.sum())
    n_neg = t.size - n_pos
    require(n_pos > 0 and n_neg > 0, "y_true", f"<{n_pos} positive, {n_neg} negative>", "must contain both classes")
    ranks = _midranks(s)  # ties share their mean rank, so a tie counts one half
    return float((ranks[t == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


@dataclass(frozen=True)
class AucComparison:
    """Two scores of the same labels and their difference with a bootstrap interval.

    Attributes
    ----------
    auc_a, auc_b : float
        AUC of ``score_a`` and ``score_b`` on all rows.
    diff : float
        ``auc_b - auc_a``.
    diff_low, diff_high : float
        Percentile-bootstrap interval of the difference at ``level``.
    n_boot : int
    level : float
    """

    auc_a: float
    auc_b: float
    diff: float
    diff_low: float
    diff_high: float
    n_boot: int
    level: float


def _bootstrap_aucs(t: np.ndarray, s: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """AUC of every resample (rows of ``idx``) at once, with mid-ranks for ties.

    Scores are replaced by their dense rank among the distinct values; one ``bincount`` per
    class then gives, for every resample, how often each distinct value occurs, and the
    cumulative counts give each value's mid-rank = (#smaller) + (#equal + 1) / 2. No sort per
    resample: O(n_boot × (n + distinct values)).
    """
    n_boot, n = idx.shape
    dense = np.unique(s, return_inverse=True)[1].ravel()
    u = int(dense.max()) + 1
    keys = (dense[idx] + u * np.arange(n_boot)[:, None]).ravel()
    pos = t[idx].ravel() == 1
    counts = np.bincount(keys, minlength=n_boot * u).reshape(n_boot, u)
    pos_counts = np.bincount(keys[pos], minlength=n_boot * u).reshape(n_boot, u)
    midrank = np.cumsum(counts, axis=1) - counts + (counts + 1) / 2.0
    n1 = pos_counts.sum(axis=1)
    n0 = n - n1
    with np.errstate(invalid="ignore", divide="ignore"):  # a resample with one class has no AUC
        return ((pos_counts * midrank).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


def paired_bootstrap_auc(y_true: Any, score_a: Any, score_b: Any, n_boot: int = 200, seed: int = 0,
                         level: float = 0.95) -> AucComparison:
    r"""AUC of two scores on the same rows and a paired bootstrap interval of their difference.

    Rows are resampled with replacement ``n_boot`` times; each resample scores both models
    on the *same* rows (paired), and the interval is the percentile interval of
    :math:`AUC_b - AUC_a` (Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993,
    ch. 13). An interval that excludes 0 says the difference is not resampling noise.
    Vectorised over resamples (memory ~ ``n_boot × n`` integers).

    Parameters
    ----------
    y_true : array_like
        Labels 0/1.
    score_a, score_b : array_like
        Two models' scores for the same rows.
    n_boot : int
        Resamples (≥ 10).
    seed : int
        Seed of ``numpy.random.default_rng``.
    level : float
        Interval coverage in (0, 1).

    Returns
    -------
    AucComparison

    >>> y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    >>> r = paired_bootstrap_auc(y, [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 6, 7, 3, 8, 4, 5], seed=1)
    >>> r.auc_a, r.auc_b, r.diff
    (0.6875, 1.0, 0.3125)
    """
    t = as_float_array(y_true, "y_true").ravel()
    a = as_float_array(score_a, "score_a").ravel()
    b = as_float_array(score_b, "score_b").ravel()
    require(a.size == t.size and b.size == t.size, "score_a, score_b", f"<{a.size}, {b.size} values>",
            f"must each have one value per label ({t.size})")
    require(isinstance(n_boot, (int, np.integer)) and n_boot >= 10, "n_boot", n_boot, "must be an int ≥ 10")
    require(0 < level < 1, "level", level, "must be in (0, 1)")
    auc_a, auc_b = roc_auc(t, a), roc_auc(t, b)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, t.size, size=(int(n_boot), t.size))
    d = _bootstrap_aucs(t, b, idx) - _bootstrap_aucs(t, a, idx)
    lo, hi = np.nanpercentile(d, [100 * (1 - level) / 2, 100 * (1 + level) / 2])
    return AucComparison(auc_a, auc_b, auc_b - auc_a, float(lo), float(hi), int(n_boot), float(level))
