"""infra_lab.trends.compute_growth against an independent least-squares fit (numpy's closed
form, no scipy.stats.linregress) and against Sevilla et al. (2022), "Compute Trends Across Three
Eras of Machine Learning", arXiv:2202.05924, abstract: training compute doubles roughly every
6 months since the early 2010s and roughly every 20 months before 2010."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from infra_lab.datasets import load_epoch_models
from infra_lab.trends import compute_growth


def _independent_fit(t, c, level):
    y = np.log10(c)
    tc = t - t.mean()
    slope = (tc * (y - y.mean())).sum() / (tc ** 2).sum()
    resid = y - (y.mean() + slope * tc)
    se = np.sqrt((resid ** 2).sum() / (len(t) - 2) / (tc ** 2).sum())
    q = stats.t.ppf(0.5 + level / 2, len(t) - 2)
    return slope, (slope - q * se, slope + q * se)


def test_slope_and_interval_match_an_independent_least_squares_fit():
    rng = np.random.default_rng(7)
    t = np.sort(rng.uniform(2010, 2024, 200))
    c = 10.0 ** (18 + 0.5 * (t - 2010) + rng.normal(0, 0.8, t.size))
    for level in (0.9, 0.95):
        g = compute_growth(t, c, confidence=level)
        slope, ci = _independent_fit(t, c, level)
        assert g.slope_log10_per_year == pytest.approx(slope, rel=1e-10)
        np.testing.assert_allclose(g.slope_ci_log10_per_year, ci, rtol=1e-10)
        # doubling time and its interval: log10(2)/b in days; the ends swap
        assert g.doubling_time_days == pytest.approx(np.log10(2) / slope * 365.25)
        np.testing.assert_allclose(g.doubling_time_ci_days, np.log10(2) / np.array(ci[::-1]) * 365.25)
        assert g.n_models == 200


def test_an_exact_doubling_every_year_gives_365_25_days_and_a_zero_width_interval():
    t = np.arange(2000.0, 2010.0)
    g = compute_growth(t, 2.0 ** (t - 1990))
    assert g.doubling_time_days == pytest.approx(365.25)
    assert g.slope_ci_log10_per_year[0] == pytest.approx(g.slope_ci_log10_per_year[1])
    assert g.fitted_log10_flops(2005.0) == pytest.approx(15 * np.log10(2))


def test_no_growth_has_no_finite_doubling_time():
    t = np.array([2010.0, 2011.0, 2012.0, 2013.0])
    g = compute_growth(t, [1e20, 1e21, 1e21, 1e20])
    assert g.doubling_time_days == np.inf and g.doubling_time_ci_days[1] == np.inf


def _epoch(first, last):
    m = load_epoch_models().dropna(subset=["Training compute (FLOP)", "Publication date"])
    m = m[m["Training compute (FLOP)"] > 0]
    d = m["Publication date"]
    t = d.dt.year + (d.dt.day_of_year - 1) / 365.25
    keep = (d.dt.year >= first) & (d.dt.year <= last)
    return t[keep].to_numpy(), m.loc[keep, "Training compute (FLOP)"].to_numpy()


def test_the_bundled_epoch_data_reproduce_the_published_eras():
    # Sevilla et al. 2022, abstract: ~6 months since the early 2010s, ~20 months before 2010.
    deep = compute_growth(*_epoch(2010, 2022))
    lo, hi = (x / 30.44 for x in deep.doubling_time_ci_days)
    assert 5 < lo < 6 < hi < 8, (lo, hi)
    early = compute_growth(*_epoch(1950, 2009))
    assert 15 < early.doubling_time_days / 30.44 < 26


@pytest.mark.parametrize("kwargs,name", [
    (dict(decimal_year=[2010.0, 2011.0], training_compute_flops=[1e20, 1e21]), "decimal_year"),
    (dict(decimal_year=[2010.0, 2011.0, 2012.0], training_compute_flops=[1e20, 1e21]), "training_compute_flops"),
    (dict(decimal_year=[2010.0, 2010.0, 2010.0], training_compute_flops=[1e20, 1e21, 1e22]), "decimal_year"),
    (dict(decimal_year=[2010.0, 2011.0, 2012.0], training_compute_flops=[1e20, 0.0, 1e22]), "training_compute_flops"),
    (dict(decimal_year=[2010.0, 2011.0, 2012.0], training_compute_flops=[1e20, 1e21, 1e22], confidence=1.0),
     "confidence"),
])
def test_bad_input_is_refused_by_its_public_name(kwargs, name):
    with pytest.raises(ValueError, match=name):
        compute_growth(**kwargs)
