r"""The online store built from the offline store, and the check that both serve the same value.

* :func:`materialize_online` — the latest row per entity at a time (the online store).
* :func:`check_online_offline_consistency` — does the online store serve the offline
  store's point-in-time value? Returns a :class:`ConsistencyReport`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .._checks import nonnegative
from .._results import Result
from ._common import (as_of_value, checked_frame, column_list, column_name, feature_columns,
                      need_columns, time_kind)
from .joins import point_in_time_join

__all__ = ["materialize_online", "ConsistencyReport", "check_online_offline_consistency"]


def _store_columns(offline_df: Any, entity_cols: Any, time_col: Any, feature_cols: Any
                   ) -> tuple[list[str], str, list[str]]:
    """Checked (keys, time column, feature columns) of an offline store."""
    keys = column_list("entity_cols", entity_cols)
    time_col = column_name("time_col", time_col)
    checked_frame("offline_df", offline_df)
    need_columns(offline_df, "offline_df", keys, "entity_cols")
    need_columns(offline_df, "offline_df", [time_col], "time_col")
    checked_frame("offline_df", offline_df, nan_columns=keys + [time_col])
    time_kind(offline_df[time_col], f"offline_df[{time_col!r}]")
    feature_cols = feature_columns(offline_df, "offline_df", keys, time_col, feature_cols)
    dup = offline_df.duplicated(keys + [time_col])
    if dup.any():
        raise ValueError(f"offline_df has {int(dup.sum())} duplicate (entity, time) row(s) on "
                         f"{keys + [time_col]}; deduplicate first")
    return keys, time_col, feature_cols


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

    See Also
    --------
    check_online_offline_consistency : tests this store against the offline history.
    infra_lab.storage.joins.point_in_time_join : the same value, by an as-of join.

    References
    ----------
    Feast documentation, Section "Point-in-time joins" and the ``feast materialize``
    command (the online store holds the latest value per entity). Kleppmann, *Designing
    Data-Intensive Applications*, 2017, ch. 11 (maintaining materialized views).

    Examples
    --------
    >>> off = pd.DataFrame({"k": ["a", "a", "b"], "t": [1, 3, 2], "x": [10.0, 30.0, 20.0]})
    >>> materialize_online(off, "k", "t").to_dict("list")
    {'k': ['a', 'b'], 't': [3, 2], 'x': [30.0, 20.0]}
    >>> materialize_online(off, "k", "t", as_of=2)["x"].tolist()
    [10.0, 20.0]
    """
    keys, time_col, feature_cols = _store_columns(offline_df, entity_cols, time_col, feature_cols)
    df = offline_df[keys + [time_col] + feature_cols]
    if as_of is not None:
        df = df[df[time_col] <= as_of_value(offline_df[time_col], as_of, time_col)]
    latest = df.sort_values(time_col, kind="stable").drop_duplicates(keys, keep="last")
    return latest.sort_values(keys, kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class ConsistencyReport(Result):
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
        of :func:`~infra_lab.storage.freshness.feature_availability`.
    per_feature : pandas.Series
        Mismatch share per feature column.
    mismatches : pandas.DataFrame
        One row per differing cell: entity key(s), ``feature``, ``offline``, ``online``.

    See Also
    --------
    check_online_offline_consistency : returns it.
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
        Full history (as in :func:`materialize_online`); non-empty, no missing key or time.
    online_df : DataFrame
        The online store to check: one row per entity, with the key and feature columns;
        non-empty, no missing key.
    entity_cols, time_col, as_of, feature_cols : see materialize_online
        As in :func:`materialize_online` (key and feature columns must be in both frames;
        ``as_of`` a finite time of the store's kind, default its latest time).
    atol : float
        Absolute tolerance for numeric columns (≥ 0, in the columns' own units).

    Returns
    -------
    ConsistencyReport

    See Also
    --------
    materialize_online : builds the online store this function checks.
    infra_lab.quality.feature_consistency : the same question asked of two transforms.

    References
    ----------
    Zinkevich, *Rules of Machine Learning: Best Practices for ML Engineering* (Google),
    Section "Training-Serving Skew" (Rule #37: measure training/serving skew). Feast
    documentation, Section "Point-in-time joins" (the offline value at a time).

    Examples
    --------
    >>> off = pd.DataFrame({"k": ["a", "a", "b"], "t": [1, 3, 2], "x": [10.0, 30.0, 20.0]})
    >>> check_online_offline_consistency(off, materialize_online(off, "k", "t"), "k", "t").consistent
    True
    >>> bad = materialize_online(off, "k", "t").assign(x=lambda d: d.x * 1.609)  # miles → km
    >>> rep = check_online_offline_consistency(off, bad, "k", "t")
    >>> rep.consistent, rep.consistency
    (False, 0.0)
    """
    keys, time_col, feature_cols = _store_columns(offline_df, entity_cols, time_col, feature_cols)
    checked_frame("online_df", online_df)
    need_columns(online_df, "online_df", keys, "entity_cols")
    need_columns(online_df, "online_df", feature_cols, "feature_cols")
    checked_frame("online_df", online_df, nan_columns=keys)
    a = nonnegative("atol", atol)
    if a.ndim != 0:
        raise ValueError(f"atol={atol!r}: must be one number ≥ 0")
    if online_df.duplicated(keys).any():
        raise ValueError(f"online_df has more than one row for some entity on {keys}; an online store "
                         "holds one row per entity")
    as_of = offline_df[time_col].max() if as_of is None else as_of_value(offline_df[time_col], as_of, time_col)
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


