r"""Point-in-time (as-of) joins, the naive join that leaks, and the leaked share.

The operation a feature store exists for: give every training event the feature values
that were known *at that event*, never later.

* :func:`point_in_time_join` — the correct join (``pandas.merge_asof`` by entity).
* :func:`naive_latest_join` — the anti-pattern: a per-period aggregate or the latest value,
  which leaks values stamped after the event into training data.
* :func:`period_to_date_join` — the same per-period aggregate computed only over the rows known
  at the event (a day-to-date maximum): the leak-free version of the naive join's feature.
* :func:`leakage_share` — the share of joined rows that used a value from the future.

Times may be numbers (read as seconds) or datetimes (time-zone-aware or naive, but not
mixed).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .._checks import flag, nonnegative, option, text
from ._common import (ROW, align_keys, align_times, checked_frame, column_list, column_name,
                      feature_columns, need_columns, time_kind)

__all__ = ["point_in_time_join", "naive_latest_join", "period_to_date_join", "leakage_share"]

#: Aggregations a naive join may use per feature column.
AGGREGATIONS = ("last", "first", "max", "min", "mean", "median", "sum")
#: Aggregations with a running (to-date) form; a running median has no cheap vectorised form.
RUNNING_AGGREGATIONS = ("last", "first", "max", "min", "mean", "sum")


def _join_columns(events: Any, features: Any, entity_cols: Any, event_time_col: Any,
                  feature_time_col: Any, feature_cols: Any, feature_time_as: Any
                  ) -> tuple[list[str], str, list[str]]:
    """Shared argument checks of the two joins: (entity keys, feature time column, feature columns)."""
    keys = column_list("entity_cols", entity_cols)
    event_time_col = column_name("event_time_col", event_time_col)
    feature_time_col = event_time_col if feature_time_col is None else column_name("feature_time_col",
                                                                                   feature_time_col)
    feature_time_as = text("feature_time_as", feature_time_as)
    checked_frame("events", events)
    checked_frame("features", features)
    need_columns(events, "events", keys, "entity_cols")
    need_columns(events, "events", [event_time_col], "event_time_col")
    need_columns(features, "features", keys, "entity_cols")
    need_columns(features, "features", [feature_time_col],
                 "feature_time_col" if feature_time_col != event_time_col else "event_time_col")
    # Keys and times must be present in every row: a missing key or time has no as-of value.
    checked_frame("events", events, nan_columns=keys + [event_time_col])
    checked_frame("features", features, nan_columns=keys + [feature_time_col])
    feature_cols = feature_columns(features, "features", keys, feature_time_col, feature_cols)
    if feature_time_as in events.columns or feature_time_as in feature_cols:
        raise ValueError(f"feature_time_as={feature_time_as!r}: must be a new column name "
                         "(it clashes with an input column)")
    return keys, feature_time_col, feature_cols


def _staleness(max_staleness_s: Any, kind: str) -> Any:
    """The tolerance in the unit merge_asof needs: float seconds, or a Timedelta for datetimes.

    A number is seconds, whatever the time columns hold; a ``Timedelta``/``timedelta`` is
    unambiguous. A string is refused: pandas reads ``"3"`` as 3 *nanoseconds*.
    """
    name = "max_staleness_s"
    if max_staleness_s is None:
        return None
    if isinstance(max_staleness_s, (str, bytes)):
        raise TypeError(f"{name}={max_staleness_s!r}: a string is ambiguous (pandas reads '3' as 3 ns); "
                        "pass a number of seconds or a pandas.Timedelta such as pd.Timedelta('3h')")
    if isinstance(max_staleness_s, (pd.Timedelta, _dt.timedelta, np.timedelta64)):
        td = pd.Timedelta(max_staleness_s)
        if pd.isna(td):
            raise ValueError(f"{name}={max_staleness_s!r}: must be a duration, not NaT")
        seconds = td.total_seconds()
        if seconds < 0:
            raise ValueError(f"{name}={max_staleness_s!r}: must be ≥ 0")
    else:
        arr = nonnegative(name, max_staleness_s, unit="s")
        if arr.ndim != 0:
            raise ValueError(f"{name}={max_staleness_s!r}: must be one number of seconds")
        seconds = float(arr)
    if kind == "number":
        return seconds
    if seconds > pd.Timedelta.max.total_seconds():
        raise ValueError(f"{name}={max_staleness_s!r}: longer than a pandas Timedelta can hold (≈ 292 "
                         "years); pass None for no limit")
    return pd.Timedelta(seconds=seconds)


def point_in_time_join(
    events: pd.DataFrame,
    features: pd.DataFrame,
    entity_cols: str | Sequence[str],
    event_time_col: str,
    feature_time_col: str | None = None,
    *,
    max_staleness_s: float | pd.Timedelta | None = None,
    feature_cols: Sequence[str] | None = None,
    allow_exact_matches: bool = True,
    feature_time_as: str = "feature_time",
) -> pd.DataFrame:
    r"""Point-in-time (as-of) join: each event gets the latest feature row known at its time.

    For an event of entity :math:`e` at time :math:`t`, the joined value is the feature row
    of the same entity with the largest time :math:`s` not after :math:`t` and at most
    :math:`\Delta_{max}` older:

    .. math:: x(e, t) = v\bigl(e, \max\{s : s \le t,\ t - s \le \Delta_{max}\}\bigr)

    and missing (NaN) when no row qualifies. No value stamped after the event is ever used.
    This is ``pandas.merge_asof(direction="backward", by=entity_cols,
    tolerance=max_staleness_s)``, wrapped so that the caller's row order and index are kept,
    time zones and resolutions are aligned, and ambiguous inputs are refused.

    **Boundary.** With ``allow_exact_matches=True`` (the default) a value stamped exactly at
    the event time is used (:math:`s = t`): the stamp is read as *the moment the value
    became available*, as in feature stores (Feast scans backward from the entity row's
    timestamp, inclusive, up to the feature view's TTL — our ``max_staleness_s``). If your
    stamps mark when a measurement *started* (an hourly weather row labelled 05:00 but published after the hour), shift
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
    max_staleness_s : float or Timedelta, optional
        Oldest usable value, :math:`\Delta_{max}` (inclusive), in **seconds** (≥ 0, finite),
        or a ``pandas.Timedelta``/``datetime.timedelta``. Numeric time columns are read as
        seconds too. A string is refused (pandas reads ``"3"`` as 3 nanoseconds).
        ``None``: no limit.
    feature_cols : list of str, optional
        Feature columns to bring over (default: every column but keys and time).
    allow_exact_matches : bool
        Use a value stamped exactly at the event time (see *Boundary*).
    feature_time_as : str
        Name of the output column holding the time of the joined feature row (NaT/NaN
        when nothing was joined) — the input to :func:`feature_age_s`.

    Returns
    -------
    DataFrame
        ``events`` (same order, same index) plus the feature columns and
        ``feature_time_as``. A feature column whose name clashes with an event column gets
        the suffix ``_feature``.

    Raises
    ------
    ValueError
        Empty frames, missing columns, missing keys or times (the row is named),
        duplicate (entity, time) rows in ``features`` (the as-of value would be ambiguous),
        a negative, NaN or infinite ``max_staleness_s``.
    TypeError
        Non-DataFrame inputs, time columns that are strings, a tz-aware/naive mix, a
        string ``max_staleness_s``.

    See Also
    --------
    naive_latest_join : the join that leaks values from the future.
    leakage_share : share of joined rows whose value was stamped after the event.
    infra_lab.storage.freshness.feature_age_s : age of the joined values.

    References
    ----------
    pandas documentation, API reference, ``pandas.merge_asof``, Section "Examples" (the
    trades/quotes example reproduced below and in the tests). Feast documentation,
    "Point-in-time joins" (Getting started → Concepts, Section "Point-in-time joins":
    backward scan from the entity timestamp, bounded by the feature view's TTL). Databricks
    documentation, Feature Store, Section "Point-in-time support using time series feature
    tables" (each training row gets the latest feature value not after its timestamp; later
    values are leakage).

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

    A number is seconds, also for datetime columns (the MSFT quote is 0 s old):

    >>> point_in_time_join(trades, quotes, "ticker", "time", max_staleness_s=0.001)["bid"].tolist()
    [51.95, nan]
    """
    keys, feature_time_col, feature_cols = _join_columns(
        events, features, entity_cols, event_time_col, feature_time_col, feature_cols, feature_time_as)
    exact = flag("allow_exact_matches", allow_exact_matches)
    dup = features.duplicated(keys + [feature_time_col])
    if dup.any():
        raise ValueError(f"features has {int(dup.sum())} duplicate (entity, time) row(s) on "
                         f"{keys + [feature_time_col]}; the as-of value would be ambiguous — deduplicate first")

    ftime = align_times(events[event_time_col], features[feature_time_col],
                        f"events[{event_time_col!r}]", f"features[{feature_time_col!r}]")
    kind = time_kind(events[event_time_col], f"events[{event_time_col!r}]")
    tol = _staleness(max_staleness_s, kind)

    left = events[keys + [event_time_col]].copy()
    left[ROW] = np.arange(len(events))
    # Event times that are integers must match the float feature times merge_asof sees.
    left["__t__"] = events[event_time_col].astype(float) if kind == "number" else events[event_time_col]
    right = features[keys].copy()
    right["__t__"] = ftime
    right[feature_time_as] = ftime
    for c in feature_cols:
        right["__f__" + c] = features[c]
    align_keys(left, right, keys)
    merged = pd.merge_asof(
        left.sort_values("__t__", kind="stable"),
        right.sort_values("__t__", kind="stable"),
        on="__t__", by=keys, direction="backward", tolerance=tol,
        allow_exact_matches=exact,
    ).sort_values(ROW, kind="stable")

    out = events.copy()
    for c in feature_cols:
        name = c + "_feature" if c in events.columns else c
        out[name] = merged["__f__" + c].to_numpy()
    out[feature_time_as] = merged[feature_time_as].to_numpy()
    return out


def _aggregations(agg: Any, feature_cols: list[str], allowed: Sequence[str] = AGGREGATIONS) -> dict[str, str]:
    """``agg`` as one checked aggregation name per feature column."""
    if isinstance(agg, Mapping):
        aggs = {c: agg[c] for c in agg}
        missing = [c for c in feature_cols if c not in aggs]
        unknown = [c for c in aggs if c not in feature_cols]
        if unknown:  # a typo in a column name would otherwise be ignored silently
            raise ValueError(f"agg={dict(agg)!r}: names column(s) {unknown} that are not feature columns "
                             f"{feature_cols}")
        if missing:
            raise ValueError(f"agg={dict(agg)!r}: must give an aggregation for every feature column; "
                             f"missing {missing}")
        return {c: option("agg", aggs[c], tuple(allowed)) for c in feature_cols}
    return {c: option("agg", agg, tuple(allowed)) for c in feature_cols}


def _check_period_and_zone(period: Any, tz: Any, kind: str) -> None:
    """``period`` a pandas frequency (datetimes only), ``tz`` a known zone (tz-aware only)."""
    if tz is not None:
        text("tz", tz)
        if kind != "tz":
            raise ValueError(f"tz={tz!r}: applies only to time-zone-aware datetime columns")
        try:
            pd.Timestamp("2000-01-01", tz="UTC").tz_convert(tz)
        except Exception:  # pytz/zoneinfo raise different classes for an unknown zone
            raise ValueError(f"tz={tz!r}: not a known time zone; use an IANA name such as "
                             "'America/New_York'") from None
    if period is None:
        return
    text("period", period)
    if kind == "number":
        raise ValueError(f"period={period!r}: needs datetime time columns (use period=None for numbers)")
    try:
        pd.Series(pd.to_datetime(["2000-01-01"])).dt.floor(period)  # refuses non-fixed ones ('M')
    except (ValueError, TypeError):
        raise ValueError(f"period={period!r}: must be a fixed pandas frequency such as 'D' or 'h'") from None


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

    .. math:: x(e, t) = \operatorname{agg}\{v(e, s) : \lfloor s \rfloor_{P} = \lfloor t \rfloor_{P}\},
              \qquad s_{known} = \max\{s : \lfloor s \rfloor_{P} = \lfloor t \rfloor_{P}\}

    where :math:`\lfloor \cdot \rfloor_P` cuts a time to its calendar ``period``. Every event gets, for its entity, the aggregate ``agg`` of **all** feature rows in the
    same calendar ``period`` as the event (``period=None``: all rows ever, i.e. the latest
    value available when the training set is built). With ``agg="last"`` this is the value at
    the *end* of the period; with ``"max"`` the period's maximum. Both include rows stamped
    after the event, so a model trained on them sees the outcome's causes in advance and
    scores better offline than it can in production. Use :func:`point_in_time_join` instead.

    The output column ``feature_time_as`` holds the time the joined value became *known*:
    the latest feature time among the rows aggregated. Where it is after the event time,
    the row leaked (:func:`leakage_share`).

    Parameters
    ----------
    events, features, entity_cols, event_time_col, feature_time_col, feature_cols : see point_in_time_join
        As in :func:`point_in_time_join`.
    feature_time_as : str
        Name of the output column holding the time the joined value became known.
    period : str or None
        A pandas frequency for ``Series.dt.floor`` (``"D"`` a day, ``"h"`` an hour); ``None``
        for "the latest value overall". Datetime columns only when not ``None``.
    agg : str or mapping
        An aggregation, one of ``"last"``, ``"first"``, ``"max"``, ``"min"``, ``"mean"``,
        ``"median"``, ``"sum"``, or a mapping giving one per feature column.
    tz : str, optional
        IANA time zone in which calendar periods are cut (e.g. ``"America/New_York"`` so a
        "day" is a local day); tz-aware columns only.

    Returns
    -------
    DataFrame
        ``events`` (same order and index) plus the aggregated feature columns and
        ``feature_time_as``.

    See Also
    --------
    point_in_time_join : the correct join.
    leakage_share : how many rows of this join leaked.

    References
    ----------
    Kaufman, Rosset, Perlich & Stitelman, "Leakage in data mining: formulation, detection,
    and avoidance", ACM TKDD 6(4), 2012, §1 (leakage: information in the training data
    that would not be available when the model is used).

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
    aggs = _aggregations(agg, feature_cols)
    ftime = align_times(events[event_time_col], features[feature_time_col],
                        f"events[{event_time_col!r}]", f"features[{feature_time_col!r}]")
    kind = time_kind(events[event_time_col], f"events[{event_time_col!r}]")
    _check_period_and_zone(period, tz, kind)

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
    left[ROW] = np.arange(len(events))
    if period is not None:
        # Sorting by time first makes "last" mean "latest stamp", not "last row in the file".
        order = np.argsort(ftime.to_numpy(), kind="stable")
        right = right.iloc[order]
        right["__period__"] = bucket(right["__known__"]).to_numpy()
        left["__period__"] = bucket(events[event_time_col]).to_numpy()
        group_keys.append("__period__")
    else:
        right = right.iloc[np.argsort(ftime.to_numpy(), kind="stable")]
    align_keys(left, right, keys)
    table = right.groupby(group_keys, sort=False).agg({**aggs, "__known__": "max"}).reset_index()
    merged = left.merge(table, on=group_keys, how="left", validate="many_to_one").sort_values(ROW)

    out = events.copy()
    for c in feature_cols:
        name = c + "_feature" if c in events.columns else c
        out[name] = merged[c].to_numpy()
    out[feature_time_as] = merged["__known__"].to_numpy()
    return out


def period_to_date_join(
    events: pd.DataFrame,
    features: pd.DataFrame,
    entity_cols: str | Sequence[str],
    event_time_col: str,
    feature_time_col: str | None = None,
    *,
    period: str = "D",
    agg: str | Mapping[str, str] = "last",
    tz: str | None = None,
    feature_cols: Sequence[str] | None = None,
    feature_time_as: str = "feature_time",
) -> pd.DataFrame:
    r"""The naive join's per-period aggregate, computed only over rows known at the event.

    .. math:: x(e, t) = \operatorname{agg}\{v(e, s) : \lfloor s \rfloor_{P} = \lfloor t \rfloor_{P},
              \ s \le t\}

    The same feature *definition* as :func:`naive_latest_join` (e.g. "the day's maximum
    precipitation") restricted to what production can compute at the event: a day-to-date
    maximum. Comparing a model on these values with the naive join's values isolates the
    leak — the definition is the same, only the future rows differ — where comparing with
    :func:`point_in_time_join`'s hourly values would also change the definition. Rows with
    :math:`s = t` are used (a stamp means "available from"). No staleness limit: within the
    period every row known so far counts.

    Parameters
    ----------
    events, features, entity_cols, event_time_col, feature_time_col, feature_cols, feature_time_as : see naive_latest_join
        As in :func:`naive_latest_join`.
    period : str
        A pandas frequency for ``Series.dt.floor`` (``"D"`` a day, ``"h"`` an hour);
        datetime columns only.
    agg : str or mapping
        One of ``"last"``, ``"first"``, ``"max"``, ``"min"``, ``"mean"``, ``"sum"`` (running
        forms; ``"median"`` is refused), or a mapping giving one per feature column. NaN
        values are skipped, as in ``groupby().agg``.
    tz : str, optional
        IANA time zone in which calendar periods are cut; tz-aware columns only.

    Returns
    -------
    DataFrame
        ``events`` (same order and index) plus the aggregated feature columns and
        ``feature_time_as`` (the latest feature time used; never after the event).

    See Also
    --------
    naive_latest_join : the same aggregate over the whole period (leaks).
    point_in_time_join : the latest single value instead of an aggregate.

    References
    ----------
    Kaufman, Rosset, Perlich & Stitelman, "Leakage in data mining: formulation, detection,
    and avoidance", ACM TKDD 6(4), 2012, §1 (a feature may use only information available
    when the model is used).

    Examples
    --------
    Rain of 0.1 at 06:00 and 0.4 at 18:00: at 09:00 the day-to-date maximum is 0.1, the
    naive day maximum 0.4:

    >>> feats = pd.DataFrame({"site": ["A", "A"], "time": pd.to_datetime(["2013-01-01 06:00",
    ...                       "2013-01-01 18:00"]), "precip": [0.1, 0.4]})
    >>> ev = pd.DataFrame({"site": ["A", "A"], "time": pd.to_datetime(["2013-01-01 09:00",
    ...                    "2013-01-01 20:00"])})
    >>> period_to_date_join(ev, feats, "site", "time", agg="max")["precip"].tolist()
    [0.1, 0.4]
    >>> naive_latest_join(ev, feats, "site", "time", agg="max")["precip"].tolist()
    [0.4, 0.4]
    """
    keys, feature_time_col, feature_cols = _join_columns(
        events, features, entity_cols, event_time_col, feature_time_col, feature_cols, feature_time_as)
    aggs = _aggregations(agg, feature_cols, RUNNING_AGGREGATIONS)
    ftime = align_times(events[event_time_col], features[feature_time_col],
                        f"events[{event_time_col!r}]", f"features[{feature_time_col!r}]")
    kind = time_kind(events[event_time_col], f"events[{event_time_col!r}]")
    if period is None:
        raise ValueError("period=None: a to-date aggregate needs a calendar period; use point_in_time_join "
                         "for the latest value overall")
    _check_period_and_zone(period, tz, kind)

    def bucket(times: pd.Series) -> pd.Series:
        if kind == "tz":
            times = times.dt.tz_convert(tz if tz is not None else "UTC").dt.tz_localize(None)
        return times.dt.floor(period)

    order = np.argsort(ftime.to_numpy(), kind="stable")
    right = features[keys].iloc[order].reset_index(drop=True)
    known = ftime.iloc[order].reset_index(drop=True)
    right["__known__"] = known
    right["__period__"] = bucket(known).to_numpy()
    group_keys = list(keys) + ["__period__"]
    g = right.groupby(group_keys, sort=False)
    gid = g.ngroup()
    for c in feature_cols:
        v = pd.Series(features[c].iloc[order].to_numpy(), index=right.index)
        vg = v.groupby(gid)
        a = aggs[c]
        if a == "last":
            run = vg.ffill()
        elif a == "first":
            seen = v.notna().groupby(gid).cumsum() > 0
            run = vg.transform("first").where(seen)
        elif a in ("max", "min", "sum"):
            run = getattr(vg, "cum" + a)().groupby(gid).ffill()
            if a == "sum":  # a sum over no value yet is undefined, not 0
                run = run.where(v.notna().groupby(gid).cumsum() > 0)
        else:  # mean
            n = v.notna().groupby(gid).cumsum()
            run = v.fillna(0.0).groupby(gid).cumsum() / n.where(n > 0)
        right[c] = run.to_numpy()
    left = events[keys].copy()
    left[ROW] = np.arange(len(events))
    left["__t__"] = events[event_time_col].to_numpy()
    left["__period__"] = bucket(events[event_time_col]).to_numpy()
    align_keys(left, right, keys)
    right["__t__"] = right["__known__"]  # __known__ stays: the stamp of the newest row used
    merged = pd.merge_asof(left.sort_values("__t__", kind="stable"), right,
                           on="__t__", by=group_keys, direction="backward", allow_exact_matches=True)
    merged = merged.sort_values(ROW)
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

    See Also
    --------
    point_in_time_join : gives 0 by construction.
    naive_latest_join : the join whose leak this measures.

    References
    ----------
    Kaufman, Rosset, Perlich & Stitelman, "Leakage in data mining: formulation, detection,
    and avoidance", ACM TKDD 6(4), 2012, §1 (a feature value from after the prediction
    time is leakage).

    Examples
    --------
    One of the three joined rows (t = 2) used a value stamped at 3:

    >>> df = pd.DataFrame({"t": [1, 2, 3, 4], "feature_time": [0, 3, 3, np.nan]})
    >>> leakage_share(df, "t")
    0.3333333333333333
    """
    event_time_col = column_name("event_time_col", event_time_col)
    feature_time_col = column_name("feature_time_col", feature_time_col)
    checked_frame("joined", joined)
    need_columns(joined, "joined", [event_time_col], "event_time_col")
    need_columns(joined, "joined", [feature_time_col], "feature_time_col")
    # A missing feature time means "nothing joined" (allowed); a missing event time is an error.
    checked_frame("joined", joined, nan_columns=[event_time_col])
    s = align_times(joined[event_time_col], joined[feature_time_col],
                    f"joined[{event_time_col!r}]", f"joined[{feature_time_col!r}]")
    known = s.notna().to_numpy()
    if not known.any():
        raise ValueError(f"joined has no joined value in feature_time_col={feature_time_col!r} "
                         f"({len(joined)} rows, all missing); the leaked share is undefined")
    later = (s > joined[event_time_col]).to_numpy() & known
    return float(later.sum() / known.sum())


