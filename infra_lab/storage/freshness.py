r"""Freshness, completeness and availability of feature values.

* :func:`feature_age_s`, :func:`feature_freshness` — age of the values used, in seconds.
* :func:`feature_completeness` — non-null share per column.
* :func:`availability_factors`, :func:`feature_availability` — freshness, consistency,
  latency and completeness mapped to [0, 1] and combined by a weighted geometric mean: the
  course's own composite for the article's *Availability = f(Freshness, Consistency,
  Latency, Completeness)*.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .._checks import data_array, fraction, nonnegative, positive, scalar_or_array
from .._results import Result
from ._common import checked_frame, column_list, need_columns, seconds_of

__all__ = [
    "feature_age_s",
    "FreshnessStats",
    "feature_freshness",
    "feature_completeness",
    "AvailabilityFactors",
    "availability_factors",
    "feature_availability",
]


def feature_age_s(feature_times: Any, as_of: Any) -> Any:
    r"""Age of each feature value when it is used, in seconds.

    .. math:: age_i = t_{use,i} - s_i \quad [\mathrm{s}]

    ``feature_times`` and ``as_of`` may be datetimes (tz-aware or naive, consistently) or
    numbers of seconds; they broadcast (one ``as_of`` for all, or one per value). A missing
    feature time gives NaN (no value was available). A negative age — a value from the
    future — is refused: it means the join leaked.

    Parameters
    ----------
    feature_times : datetime(s) or number(s) of seconds
        Time :math:`s` each value was stamped (NaT/NaN: no value); at least one, finite.
    as_of : datetime(s) or number(s) of seconds
        Time :math:`t_{use}` each value is used (e.g. the event times), same kind; no missing
        time, finite.

    Returns
    -------
    float or numpy.ndarray
        Age in seconds (≥ 0; NaN where no value): a Python float for scalar input, else a
        float array.

    See Also
    --------
    feature_freshness : summary statistics of these ages.
    infra_lab.storage.joins.point_in_time_join : gives the feature times (``feature_time_as``).

    References
    ----------
    The article, Section "Storage, Feature Stores, and Data Management" (freshness, a factor
    of feature availability). Feast documentation, Section "Point-in-time joins" (a value is
    usable while its age is within the feature view's TTL).

    Examples
    --------
    >>> feature_age_s(pd.to_datetime(["2013-01-01 05:00", None], utc=True),
    ...               pd.Timestamp("2013-01-01 05:30", tz="UTC")).tolist()
    [1800.0, nan]
    >>> feature_age_s(100.0, 160.0)
    60.0
    """
    scalar_in = np.ndim(feature_times) == 0 and np.ndim(as_of) == 0
    fs, fkind = seconds_of(feature_times, "feature_times", allow_missing=True)
    av, akind = seconds_of(as_of, "as_of", allow_missing=False)
    if fkind != akind:
        raise TypeError(f"feature_times ({fkind}) and as_of ({akind}) must both be time-zone-aware "
                        "datetimes, both naive datetimes, or both numbers of seconds")
    if fs.size != av.size and av.size != 1 and fs.size != 1:
        raise ValueError(f"as_of ({av.size} values): must have as many values as feature_times "
                         f"({fs.size}), or one")
    with np.errstate(over="ignore", invalid="ignore"):
        age = av - fs
    future = age < 0
    if future.any():
        raise ValueError(f"feature_times: {int(future.sum())} value(s) later than as_of (first at position "
                         f"{int(np.argmax(future))}): a value from the future means the join leaked")
    if np.isinf(age).any():
        raise ValueError("feature_times, as_of: the age overflowed to inf; the times are too far apart")
    return age.item() if scalar_in else age


def feature_age_seconds(feature_times: Any, as_of: Any) -> Any:
    """Deprecated alias of :func:`feature_age_s` (renamed by the naming rule); kept for one release."""
    warnings.warn("infra_lab.storage.feature_age_seconds is deprecated; use feature_age_s",
                  DeprecationWarning, stacklevel=2)
    return feature_age_s(feature_times, as_of)


@dataclass(frozen=True)
class FreshnessStats(Result):
    """Age statistics of the feature values used (seconds).

    Attributes
    ----------
    count : int
        Uses with a known age.
    missing : int
        Uses for which no value was available (NaN age).
    mean_s, median_s, p95_s, max_s : float
        Age statistics in seconds over the known values (NaN if none).
    share_within_max_age : float
        Share of all uses (missing included) with age ≤ ``max_age_s`` (NaN if not given).

    See Also
    --------
    feature_freshness : returns it.
    """

    count: int
    missing: int
    mean_s: float
    median_s: float
    p95_s: float
    max_s: float
    share_within_max_age: float


def feature_freshness(feature_times: Any, as_of: Any, max_age_s: float | None = None) -> FreshnessStats:
    r"""Freshness of the feature values used: the distribution of their ages (s).

    .. math:: age_i = t_{use,i} - s_i, \qquad
              share = \frac{\#\{i : age_i \le age_{max}\}}{n}

    Ages come from :func:`feature_age_s`; ``p95_s`` is the linear-interpolated 95th
    percentile (numpy's default, Hyndman & Fan's definition 7). ``share_within_max_age``
    counts a missing value as not fresh (it is in :math:`n`), so it measures freshness and
    completeness together.

    Parameters
    ----------
    feature_times, as_of : see feature_age_s
        As in :func:`feature_age_s`.
    max_age_s : float, optional
        Age (s, > 0, finite) up to which a value counts as fresh.

    Returns
    -------
    FreshnessStats

    See Also
    --------
    feature_age_s : the age of each value.
    feature_completeness : the non-null share on its own.

    References
    ----------
    Hyndman & Fan, "Sample quantiles in statistical packages", The American Statistician
    50(4), 1996, Definition 7 (the percentile). The article, Section "Storage, Feature
    Stores, and Data Management" (freshness).

    Examples
    --------
    Ages 120, 90 and 60 s, one use without a value; two of four uses within 90 s:

    >>> st = feature_freshness(np.array([0.0, 30.0, 60.0, np.nan]), 120.0, max_age_s=90)
    >>> st.count, st.missing, st.median_s, st.share_within_max_age
    (3, 1, 90.0, 0.5)
    """
    age = np.atleast_1d(np.asarray(feature_age_s(feature_times, as_of), dtype=float))
    share = np.nan
    if max_age_s is not None:
        m = positive("max_age_s", max_age_s, unit="s")
        if m.ndim != 0:
            raise ValueError(f"max_age_s={max_age_s!r}: must be one number of seconds")
    known = age[~np.isnan(age)]
    stats = (float(known.mean()), float(np.median(known)), float(np.percentile(known, 95)),
             float(known.max())) if known.size else (np.nan,) * 4
    if max_age_s is not None:
        share = float(np.sum(known <= m) / age.size)
    return FreshnessStats(int(known.size), int(age.size - known.size), *stats, share)


def feature_completeness(df: pd.DataFrame, columns: str | Sequence[str] | None = None) -> Any:
    r"""Non-null share of each column.

    .. math:: completeness_c = \frac{\#\{i : x_{ic} \text{ not null}\}}{n}

    Returns a float for one column name, else a ``Series`` indexed by column (all columns
    when ``columns`` is ``None``). A missing hour in a time series is only visible after
    reindexing onto the full time grid — do that first (see the notebook).

    Parameters
    ----------
    df : DataFrame
        At least one row.
    columns : str or list of str, optional
        Columns to measure (default: all); each must be a column of ``df``.

    Returns
    -------
    float or pandas.Series
        Share in [0, 1] (-): a float for one column name, else one value per column.

    See Also
    --------
    feature_freshness : counts missing values as not fresh.
    feature_availability : completeness is one of its four factors.

    References
    ----------
    The article, Section "Storage, Feature Stores, and Data Management" (completeness, a
    factor of availability). Wang & Strong, "Beyond accuracy: what data quality means to
    data consumers", Journal of Management Information Systems 12(4), 1996 (completeness
    as a data-quality dimension).

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": [1, 2, 3, 4]})
    >>> feature_completeness(df, "a")
    0.75
    >>> feature_completeness(df).tolist()
    [0.75, 1.0]
    """
    cols = None if columns is None else column_list("columns", columns)
    checked_frame("df", df)
    if cols is None:
        cols = list(df.columns)
    need_columns(df, "df", cols, "columns")
    share = df[cols].notna().mean().astype(float)
    return float(share.iloc[0]) if isinstance(columns, str) else share


# --------------------------------------------------------------------------- availability

@dataclass(frozen=True)
class AvailabilityFactors(Result):
    """The four factors of feature availability, each mapped to [0, 1] (1 = fully available).

    Floats for scalar input, arrays when the inputs broadcast to arrays.

    Attributes
    ----------
    freshness : float or ndarray
        :math:`f_F = \\max(0, 1 - age/age_{max})` (-).
    consistency : float or ndarray
        :math:`f_C`, the online/offline agreement as given (-).
    budget_headroom : float or ndarray
        The latency factor :math:`f_L = \\max(0, 1 - latency/budget)`: the share of the
        lookup's latency budget left over (-).
    completeness : float or ndarray
        :math:`f_K`, the non-null share as given (-).

    See Also
    --------
    availability_factors : returns it.
    feature_availability : combines the four factors.
    """

    freshness: Any
    consistency: Any
    budget_headroom: Any
    completeness: Any


def _factor_inputs(freshness_s: Any, max_age_s: Any, consistency: Any, latency_ms: Any,
                   latency_budget_ms: Any, completeness: Any) -> list[np.ndarray]:
    return [nonnegative("freshness_s", freshness_s, unit="s"), positive("max_age_s", max_age_s, unit="s"),
            fraction("consistency", consistency), nonnegative("latency_ms", latency_ms, unit="ms"),
            positive("latency_budget_ms", latency_budget_ms, unit="ms"), fraction("completeness", completeness)]


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
    [0, 1]. The linear maps are the course's own choice — simple, monotone, 0 at the limit —
    not a published standard.

    Parameters
    ----------
    freshness_s : float or array
        Age of the value used, seconds (≥ 0, finite).
    max_age_s : float or array
        Age at which a value is too stale to use, seconds (> 0, finite).
    consistency : float or array
        Share of features whose online value equals the offline value, [0, 1].
    latency_ms : float or array
        Feature lookup latency, ms (≥ 0, finite).
    latency_budget_ms : float or array
        The lookup's share of the request's latency budget, ms (> 0, finite).
    completeness : float or array
        Non-null share of the feature values, [0, 1].

    Returns
    -------
    AvailabilityFactors
        Each factor in [0, 1] (-); the inputs broadcast.

    See Also
    --------
    feature_availability : the weighted geometric mean of these factors.

    References
    ----------
    The article, Section "Storage, Feature Stores, and Data Management"
    (*Availability = f(Freshness, Consistency, Latency, Completeness)*); the mapping of
    each factor onto [0, 1] is the course's.

    Examples
    --------
    Half the allowed age used, 2 of 10 ms used:

    >>> availability_factors(1800, 3600, 1.0, 2.0, 10.0, 0.98)
    AvailabilityFactors(freshness=0.5, consistency=1.0, budget_headroom=0.8, completeness=0.98)
    """
    age, mx, cons, lat, bud, comp = _factor_inputs(freshness_s, max_age_s, consistency, latency_ms,
                                                   latency_budget_ms, completeness)
    try:
        shape = np.broadcast_shapes(age.shape, mx.shape, cons.shape, lat.shape, bud.shape, comp.shape)
    except ValueError:
        raise ValueError("freshness_s, max_age_s, consistency, latency_ms, latency_budget_ms, completeness: "
                         "shapes do not broadcast together") from None
    with np.errstate(over="ignore"):  # age/1e-300 → inf → factor 0, which is the right answer
        parts = [np.clip(1 - age / mx, 0, 1), cons, np.clip(1 - lat / bud, 0, 1), comp]
    return AvailabilityFactors(*(scalar_or_array(np.broadcast_to(x, shape).astype(float)) for x in parts))


def feature_availability(freshness_s: Any, max_age_s: Any, consistency: Any, latency_ms: Any,
                         latency_budget_ms: Any, completeness: Any,
                         weights: Sequence[float] | None = None) -> Any:
    r"""Feature availability in [0, 1]: the course's weighted geometric mean of four factors.

    .. math:: Availability = \prod_{i \in \{F, C, L, K\}} f_i^{\,w_i},
              \qquad w_i \ge 0,\ \sum_i w_i = 1

    The factors :math:`f_i` are those of :func:`availability_factors`. The article only
    says *Availability = f(Freshness, Consistency, Latency, Completeness)*; this form is
    **the course's own composite**, not a published formula. It is a weighted geometric
    mean — the aggregation of composite indicators such as the UNDP's Human Development
    Index — because the factors are jointly necessary: a feature that is perfectly fresh but
    never arrives within the latency budget is not available at all, and a weighted *sum*
    would still rate it 0.75. With a product any factor at 0 (with positive weight) makes
    the score 0, and a weak factor cannot be bought back by the others (no full
    compensability). The weights (``(F, C, L, K)``, default equal) are normalised to sum to
    1, so equal factors give that same value back (four factors of 0.9 → 0.9, whereas the
    plain product would give 0.66). A factor with weight 0 is ignored (:math:`0^0 = 1`).
    Broadcasts over arrays.

    Parameters
    ----------
    freshness_s : float or array
        Age of the value used, seconds (≥ 0, finite).
    max_age_s : float or array
        Age at which a value is too stale to use, seconds (> 0, finite).
    consistency : float or array
        Share of features whose online value equals the offline value, [0, 1].
    latency_ms : float or array
        Feature lookup latency, ms (≥ 0, finite).
    latency_budget_ms : float or array
        The lookup's share of the request's latency budget, ms (> 0, finite).
    completeness : float or array
        Non-null share of the feature values, [0, 1].
    weights : 4 numbers, optional
        Relative importance of (freshness, consistency, latency, completeness); ≥ 0,
        finite, not all 0.

    Returns
    -------
    float or ndarray
        The availability score in [0, 1] (-).

    See Also
    --------
    availability_factors : the four factors on their own.

    References
    ----------
    The article, Section "Storage, Feature Stores, and Data Management" (the four factors).
    Geometric aggregation: OECD/JRC, *Handbook on Constructing Composite Indicators:
    Methodology and User Guide*, 2008, Part 1, ch. 6 (weighting and aggregation; geometric
    aggregation limits compensability); UNDP, *Human Development Report 2010*, Technical
    note 1 (the HDI as the geometric mean of its dimension indices).

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
        if isinstance(weights, (list, tuple)) and any(isinstance(v, (bool, np.bool_)) for v in weights):
            # numpy turns [True, 1, 1, 1] into [1, 1, 1, 1]; a bool here is a mistake, not a weight
            raise TypeError(f"weights={weights!r}: must be numbers, not booleans")
        w = data_array("weights", weights, low=0.0)
        if w.shape != (4,):
            raise ValueError(f"weights={weights!r}: must be 4 numbers: (freshness, consistency, latency, "
                             "completeness)")
        if not (w > 0).any():
            raise ValueError(f"weights={weights!r}: must not all be 0")
        w = w / w.max()  # first to the max, so four values near 1e308 cannot overflow the sum
        w = w / w.sum()
    parts = [np.asarray(x, dtype=float) for x in fac]
    # 0 ** 0 = 1: a factor with weight 0 is ignored, as documented.
    score = np.prod([np.power(p, wi) for p, wi in zip(parts, w)], axis=0)
    return scalar_or_array(np.clip(score, 0.0, 1.0))


def usable_share(age_s: Any, max_age_s: Any, present: Any, consistent: Any, latency_ms: Any,
                 latency_budget_ms: Any) -> float:
    r"""Availability as a service measures it: the share of lookups whose value was usable.

    .. math:: A = \frac{1}{n}\sum_i \mathbb 1\bigl[age_i \le age_{max}\bigr]\,
              \mathbb 1\bigl[present_i\bigr]\,\mathbb 1\bigl[consistent_i\bigr]\,
              \mathbb 1\bigl[latency_i \le budget\bigr]

    A lookup counts as a success only if its value was fresh enough, present, consistent
    with the offline store and returned within the latency budget — the request-based
    availability of a service (good requests ÷ all requests), with "good" defined by the
    four conditions of the article's *Availability = f(Freshness, Consistency, Latency,
    Completeness)*. Unlike :func:`feature_availability` (a graded index) it is a measured
    probability: the chance that a lookup, drawn at random, returns a usable value.

    Parameters
    ----------
    age_s : array_like
        Age of each lookup's value, seconds, ≥ 0; NaN where no value was found (a failure).
    max_age_s : float
        Oldest usable value, seconds, > 0.
    present : array_like of bool
        Whether each lookup returned all the features the model needs.
    consistent : array_like of bool
        Whether each lookup's value agreed with the offline store.
    latency_ms : float or array_like
        Lookup latency, ms, ≥ 0 (one value for all, or one per lookup).
    latency_budget_ms : float
        Latency budget, ms, > 0.

    Returns
    -------
    float
        Share in [0, 1] (-).

    See Also
    --------
    feature_availability : the graded index of the same four factors.
    feature_freshness : the age distribution.

    References
    ----------
    Beyer, Jones, Petoff & Murphy (eds.), *Site Reliability Engineering*, O'Reilly, 2016,
    Chapter 3 ("Embracing Risk": aggregate availability = successful requests ÷ total requests).

    Examples
    --------
    Four lookups: one too old, one missing a feature, one too slow — one in four is usable:

    >>> usable_share([60, 7200, 60, 60], 3600, [True, True, False, True], [True] * 4,
    ...              [2, 2, 2, 20], 10)
    0.25
    """
    if isinstance(age_s, (bool, str, np.bool_)) or age_s is None:
        raise TypeError(f"age_s: must be an array of seconds; got {age_s!r:.60}")
    try:
        raw = np.asarray(age_s, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"age_s: must be an array of seconds; got {type(age_s).__name__}") from None
    if raw.dtype == bool or np.asarray(age_s).dtype == bool:
        raise TypeError("age_s: must be seconds, not booleans")
    missing = np.isnan(raw)
    age = data_array("age_s", np.where(missing, 0.0, raw), low=0)  # NaN = no value: a failed lookup
    age = np.where(missing, np.inf, age)
    m = positive("max_age_s", max_age_s)
    n = age.size
    flags = []
    for name, v in (("present", present), ("consistent", consistent)):
        a = np.asarray(v)
        if a.dtype != bool or a.shape != (n,):
            raise ValueError(f"{name}: needs {n} booleans, one per value of age_s; got {v!r:.60}")
        flags.append(a)
    lat = nonnegative("latency_ms", latency_ms)
    if lat.ndim and lat.shape != (n,):
        raise ValueError(f"latency_ms: needs one value or {n}; got shape {lat.shape}")
    b = positive("latency_budget_ms", latency_budget_ms)
    with np.errstate(invalid="ignore"):
        ok = (age <= m) & flags[0] & flags[1] & (lat <= b)
    return float(ok.mean())


__all__ += ["usable_share"]
