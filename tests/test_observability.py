"""infra_lab.observability against independent implementations and the SRE Workbook's rules.

References: Hyndman & Fan (1996), Definition 7 (checked against a hand-written order-statistic
interpolation); Beyer et al., *The Site Reliability Workbook* (2018) ch. 2 (SLI = good/valid)
and ch. 5 (multiwindow, multi-burn-rate alerts: a 14.4 burn over 1 h pages; detection time
= window × threshold / burn).
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.observability import (
    BurnRateAlerts, ObservabilityCoverage, RequestSLIs, bucket_events, evaluate_burn_rate_alerts,
    latency_percentiles_ms, observability_coverage, request_slis, rolling_error_ratio,
)


def _type7(x, p):
    # Hyndman & Fan definition 7, written out: h = (n − 1) p + 1 (1-based), interpolate.
    x = sorted(x)
    h = (len(x) - 1) * p / 100.0
    lo = int(np.floor(h))
    hi = min(lo + 1, len(x) - 1)
    return x[lo] + (h - lo) * (x[hi] - x[lo])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1e4), min_size=1, max_size=40), st.floats(0, 100))
def test_percentiles_match_hyndman_fan_definition_7(xs, p):
    assert latency_percentiles_ms(xs, [p])[0] == pytest.approx(_type7(xs, p), rel=1e-9, abs=1e-9)


def test_coverage_of_the_articles_five_signals():
    cov = observability_coverage(["metrics", "traces", "metrics"])
    assert isinstance(cov, ObservabilityCoverage)
    assert cov.covered == ("metrics", "traces")
    assert cov.missing == ("logs", "model_signals", "data_signals")
    assert cov.share == pytest.approx(2 / 5)
    assert observability_coverage([]).share == 0.0


def test_request_slis_count_good_over_valid_events():
    rng = np.random.default_rng(3)
    lat = rng.exponential(100.0, 5000)
    err = rng.random(5000) < 0.02
    s = request_slis(lat, err, 250.0)
    assert isinstance(s, RequestSLIs)
    assert s.requests == 5000 and s.errors == int(err.sum())
    assert s.error_ratio == pytest.approx(err.mean())
    assert s.availability == pytest.approx(1 - err.mean())
    # Workbook ch. 2: good events / valid events, good = succeeded within the threshold.
    assert s.fast_request_share == pytest.approx(sum((not e) and t <= 250 for t, e in zip(lat, err)) / 5000)
    assert (s.p50_ms, s.p95_ms, s.p99_ms) == pytest.approx([_type7(lat, 50), _type7(lat, 95), _type7(lat, 99)])


def test_bucket_events_counts_like_a_groupby():
    rng = np.random.default_rng(1)
    t = np.sort(rng.uniform(0, 3600, 2000))
    bad = rng.random(2000) < 0.1
    got = bucket_events(t, bad, 300.0)
    k = ((t - t.min()) // 300).astype(int)
    ref = pd.DataFrame({"k": k, "bad": bad}).groupby("k").agg(total=("bad", "size"), bad=("bad", "sum"))
    assert got["total_events"].sum() == 2000
    np.testing.assert_array_equal(got["total_events"].to_numpy()[ref.index], ref["total"])
    np.testing.assert_array_equal(got["bad_events"].to_numpy()[ref.index], ref["bad"])
    np.testing.assert_allclose(got["bucket_start_s"], 300.0 * np.arange(len(got)))


def test_rolling_error_ratio_matches_a_loop():
    rng = np.random.default_rng(2)
    n = rng.integers(0, 50, 100)
    b = rng.binomial(n, 0.1)
    got = rolling_error_ratio(b, n, 7)
    for k in range(100):
        lo = max(0, k - 6)
        tot = n[lo:k + 1].sum()
        assert got[k] == pytest.approx(b[lo:k + 1].sum() / tot if tot else 0.0)


def test_rolling_error_ratio_refuses_more_bad_than_total():
    with pytest.raises(ValueError, match="bad_events"):
        rolling_error_ratio([3], [2], 1)


def test_a_burn_of_20_pages_after_the_workbooks_detection_time():
    # Workbook ch. 5: detection time = window × threshold / burn = 60 min × 14.4 / 20 = 43.2 min.
    bucket = 1.0  # minutes
    bad = np.r_[np.zeros(600), np.full(240, 20.0), np.zeros(600)]
    res = evaluate_burn_rate_alerts(bad, np.full(bad.size, 1000.0), bucket, 0.999)
    assert isinstance(res, BurnRateAlerts)
    first_page = int(np.argmax(res.table["page"].to_numpy()))
    assert (first_page - 600 + 1) * bucket == pytest.approx(43.2, abs=1.0)
    # The page resets within the slowest page rule's short window (30 min) after the errors stop.
    last_page = int(np.flatnonzero(res.table["page"])[-1])
    assert 0 < last_page - (840 - 1) <= 30
    assert res.page_buckets == int(res.table["page"].sum()) > 0
    assert res.ticket_buckets == int(res.table["ticket"].sum())
    assert res.rules["burn_rate_threshold"].tolist() == pytest.approx([14.4, 6.0, 1.0])
    # 4 h at burn 20 spends 4 × 20 / 720 of a 30-day budget; the series' own budget is its events'.
    assert res.budget_consumed_fraction == pytest.approx(bad.sum() / (0.001 * 1000.0 * bad.size))
    assert {"long_burn_0", "short_burn_0", "firing_0", "firing_2"} <= set(res.table.columns)


def test_a_burn_below_every_threshold_never_alerts():
    bad = np.full(2000, 0.5)  # error ratio 0.05 % against 99.9 %: burn 0.5
    res = evaluate_burn_rate_alerts(bad, np.full(2000, 1000.0), 5.0, 0.999)
    assert res.page_buckets == 0 and res.ticket_buckets == 0


def test_errors_must_be_boolean_flags_one_per_request():
    with pytest.raises(TypeError, match="errors"):
        request_slis([1.0, 2.0], [0, 1], 10.0)
    with pytest.raises(ValueError, match="errors"):
        request_slis([1.0, 2.0], [True], 10.0)
