"""Bad-input matrix of infra_lab.storage (joins, freshness, online): every parameter of every public function."""

from __future__ import annotations

import numpy as np
import pandas as pd

from contract_matrix import INF, NAN, WRONG_TYPE, Call, Count, Custom, Data, Flag, Frame, Num, Prob, Text

_T = "2016-05-25 13:30:00."
# The pandas docs' trades/quotes example (pandas.merge_asof, Examples), cut down.
QUOTES = pd.DataFrame({"time": pd.to_datetime([_T + s for s in ("023", "030", "049")]),
                       "ticker": ["MSFT", "MSFT", "AAPL"], "bid": [51.95, 51.97, 97.99]})
TRADES = pd.DataFrame({"time": pd.to_datetime([_T + s for s in ("023", "038", "048")]),
                       "ticker": ["MSFT", "MSFT", "AAPL"], "price": [51.95, 51.95, 98.0]})
JOINED = pd.DataFrame({"t": [1.0, 2.0, 3.0, 4.0], "feature_time": [0.0, 3.0, 3.0, NAN]})
OFFLINE = pd.DataFrame({"k": ["a", "a", "b"], "t": [1, 3, 2], "x": [10.0, 30.0, 20.0]})
ONLINE = pd.DataFrame({"k": ["a", "b"], "t": [3, 2], "x": [30.0, 20.0]})


def _columns(valid, *, none_ok=False):
    """A column name or list of names: wrong types, empty, unknown column."""
    bad = [("wrong-type", 3), ("empty", ""), ("empty-list", []), ("unknown-column", ["no_such_column"]),
           ("bool", True)]
    if not none_ok:
        bad.append(("none", None))
    return Custom(valid, bad_values=bad)


def _column(valid):
    """One column name: wrong type, empty, unknown column."""
    return Custom(valid, bad_values=[("wrong-type", 3), ("empty", ""), ("unknown-column", "no_such_column")])


def _join(function, **extra):
    return Call(function,
                events=Frame(TRADES, columns=("time", "ticker"), nan_columns=("time", "ticker")),
                features=Frame(QUOTES, columns=("time", "ticker"), nan_columns=("time", "ticker")),
                entity_cols=_columns("ticker"),
                event_time_col=Text("time"),
                feature_time_col=_column("time"),
                feature_cols=_columns(["bid"], none_ok=True),
                feature_time_as=Text("feature_time"),
                **extra)


_TIMES_BAD = [("bool", True), ("numeric-string", "8"), ("strings", ["a", "b", "c"]), ("wrong-type", WRONG_TYPE),
              ("empty", []), ("inf-inside", [INF, 30.0, 60.0]), ("none", None),
              ("from-the-future", [200.0, 30.0, 60.0])]
_AS_OF_BAD = [("bool", True), ("nan", NAN), ("inf", INF), ("numeric-string", "8"), ("none", None),
              ("wrong-type", WRONG_TYPE), ("empty", []), ("wrong-length", [150.0, 160.0])]
_STORE_AS_OF_BAD = [("bool", True), ("nan", NAN), ("inf", INF), ("numeric-string", "2"),
                    ("wrong-type", WRONG_TYPE), ("datetime-for-numbers", pd.Timestamp("2013-01-01"))]


def _factors(function, **extra):
    return Call(function,
                freshness_s=Num([0.0, 1800.0], low=0),
                max_age_s=Num(3600.0, low=0, low_open=True),
                consistency=Prob(1.0),
                latency_ms=Num(2.0, low=0),
                latency_budget_ms=Num(10.0, low=0, low_open=True),
                completeness=Prob(0.98),
                **extra)


CASES = [
    _join("infra_lab.storage.joins.point_in_time_join",
          max_staleness_s=Num(0.005, low=0, none_ok=True),
          allow_exact_matches=Flag(True)),
    _join("infra_lab.storage.joins.naive_latest_join",
          period=Custom("D", bad_values=[("unknown", "no-such-frequency"), ("wrong-type", 3),
                                         ("non-fixed", "MS"), ("empty", "")]),
          agg=Custom("last", bad_values=[("unknown", "no-such-aggregation"), ("wrong-type", 3),
                                         ("mapping-missing-a-column", {}), ("mapping-unknown", {"bid": "nope"}),
                                         ("mapping-typo", {"bid": "max", "bidd": "max"})]),
          tz=Custom(None, bad_values=[("unknown", "Mars/Olympus_Mons"), ("wrong-type", 3),
                                      ("zone-for-naive-times", "UTC")])),
    _join("infra_lab.storage.joins.period_to_date_join",
          period=Custom("D", bad_values=[("unknown", "no-such-frequency"), ("wrong-type", 3),
                                         ("non-fixed", "MS"), ("empty", ""), ("none", None)]),
          agg=Custom("last", bad_values=[("unknown", "no-such-aggregation"), ("wrong-type", 3),
                                         ("no-running-form", "median"),
                                         ("mapping-missing-a-column", {}), ("mapping-unknown", {"bid": "nope"}),
                                         ("mapping-typo", {"bid": "max", "bidd": "max"})]),
          tz=Custom(None, bad_values=[("unknown", "Mars/Olympus_Mons"), ("wrong-type", 3),
                                      ("zone-for-naive-times", "UTC")])),
    Call("infra_lab.storage.joins.leakage_share",
         joined=Frame(JOINED, columns=("t", "feature_time"), nan_columns=("t",)),
         event_time_col=Text("t"),
         feature_time_col=Text("feature_time")),
    Call("infra_lab.storage.freshness.feature_age_s",
         feature_times=Custom([0.0, 30.0, 60.0], bad_values=_TIMES_BAD),
         as_of=Custom(120.0, bad_values=_AS_OF_BAD)),
    Call("infra_lab.storage.freshness.feature_freshness",
         feature_times=Custom([0.0, 30.0, 60.0, NAN], bad_values=_TIMES_BAD),
         as_of=Custom(120.0, bad_values=_AS_OF_BAD),
         max_age_s=Num(90.0, low=0, low_open=True, none_ok=True)),
    Call("infra_lab.storage.freshness.feature_completeness",
         df=Frame(pd.DataFrame({"a": [1.0, NAN, 3.0], "b": [1, 2, 3]}), columns=("a",)),
         columns=_columns("a", none_ok=True)),
    _factors("infra_lab.storage.freshness.availability_factors"),
    _factors("infra_lab.storage.freshness.feature_availability",
             weights=Custom(None, bad_values=[("wrong-length", [1, 1, 1]), ("negative", [-1, 1, 1, 1]),
                                              ("all-zero", [0, 0, 0, 0]), ("nan", [NAN, 1, 1, 1]),
                                              ("inf", [INF, 1, 1, 1]), ("bool", True), ("numeric-string", "8"),
                                              ("wrong-type", WRONG_TYPE), ("empty", []),
                                              ("bool-inside", [True, 1, 1, 1])])),
    Call("infra_lab.storage.online.materialize_online",
         offline_df=Frame(OFFLINE, columns=("k", "t"), nan_columns=("k", "t")),
         entity_cols=_columns("k"),
         time_col=_column("t"),
         as_of=Custom(2, bad_values=_STORE_AS_OF_BAD),
         feature_cols=_columns(None, none_ok=True)),
    Call("infra_lab.storage.online.check_online_offline_consistency",
         offline_df=Frame(OFFLINE, columns=("k", "t"), nan_columns=("k", "t")),
         online_df=Frame(ONLINE, columns=("k", "x"), nan_columns=("k",)),
         entity_cols=_columns("k"),
         time_col=_column("t"),
         as_of=Custom(None, bad_values=_STORE_AS_OF_BAD),
         feature_cols=_columns(None, none_ok=True),
         atol=Num(1e-9, low=0)),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
NO_SEE_ALSO: dict[str, str] = {}


def _registry():
    from infra_lab.storage.registry import FeatureDefinition, FeatureRegistry
    return FeatureRegistry([FeatureDefinition("bid", "ticker", "USD", "best bid", "pandas docs", "course",
                                              max_staleness_s=60.0, low=0.0, high=1000.0)])


CASES += [
    Call("infra_lab.storage.checkpoint.checkpoint_size_bytes",
         params=Num(1.5e9, low=0, low_open=True),
         bytes_per_param=Num(14.0, low=0, low_open=True)),
    Call("infra_lab.storage.checkpoint.checkpoint_write_time_s",
         size_bytes=Num(94.4e9, low=0),
         writers=Count(8, minimum=1),
         per_writer_bytes_per_s=Num(2e9, low=0, low_open=True),
         storage_bytes_per_s=Num(10e9, low=0, low_open=True, finite=False)),
    Call("infra_lab.storage.checkpoint.pcie_bandwidth_bytes_per_s",
         transfer_rate_gt_per_s=Num(16.0, low=0, low_open=True),
         lanes=Count(4, minimum=1)),
    Call("infra_lab.storage.registry.validate_features",
         frame=Frame(QUOTES, columns=()),
         registry=Custom(_registry(), bad_values=[("wrong-type", WRONG_TYPE), ("none", None), ("dict", {})]),
         age_s=Custom(None, bad_values=[("wrong-length", [1.0]), ("negative", [-1.0] * len(QUOTES)),
                                        ("numeric-string", "8"), ("bool", True)])),
]

CASES += [
    Call("infra_lab.storage.freshness.usable_share",
         age_s=Custom([60.0, 7200.0, np.nan], bad_values=[("bool", True), ("numeric-string", "8"), ("none", None),
                                                         ("wrong-type", WRONG_TYPE), ("empty", []),
                                                         ("negative", [-1.0, 0.0, 0.0]), ("inf-inside", [INF, 0.0, 0.0])]),
         max_age_s=Num(3600.0, low=0, low_open=True),
         present=Custom([True, True, False], bad_values=[("wrong-length", [True]), ("numbers", [1.0, 0.0, 1.0]),
                                                         ("none", None)]),
         consistent=Custom([True, True, True], bad_values=[("wrong-length", [True]), ("numbers", [1, 1, 1]),
                                                           ("none", None)]),
         latency_ms=Num(2.0, low=0),
         latency_budget_ms=Num(10.0, low=0, low_open=True)),
]
