"""Tests for infra_lab.stats: logistic regression, ROC AUC, paired bootstrap of an AUC difference."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st_

from infra_lab import stats as st

# --------------------------------------------------------------------------- the model helpers

def test_logistic_regression_reproduces_the_wikipedia_exam_example():
    # Wikipedia, "Logistic regression", example "Probability of passing an exam versus hours
    # of study": 20 students; the article's table gives intercept −4.0777 and hours 1.5046
    # (four decimals), and passing probabilities 0.26 after 2 hours and 0.87 after 4 hours.
    hours = np.array([0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50,
                      2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50])
    passed = np.array([0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1])
    m = st.fit_logistic(hours[:, None], passed)
    assert m.intercept == pytest.approx(-4.0777, abs=5e-5)
    assert m.coef[0] == pytest.approx(1.5046, abs=5e-5)
    np.testing.assert_allclose(m.predict_proba([[2.0], [4.0]]), [0.26, 0.87], atol=0.005)
    # Independent check that this is the maximum-likelihood fit: the score equations of the
    # log-likelihood, Σ (y − p) = 0 and Σ x (y − p) = 0, hold at the returned coefficients.
    resid = passed - 1.0 / (1.0 + np.exp(-(m.intercept + m.coef[0] * hours)))
    assert abs(resid.sum()) < 1e-8 and abs((hours * resid).sum()) < 1e-8


def test_roc_auc_reproduces_hanley_mcneil_table_1():
    # Hanley & McNeil, "The meaning and use of the area under a receiver operating
    # characteristic (ROC) curve", Radiology 143(1):29-36, 1982, Table I: 58 normal and 51
    # abnormal CT images rated 1 (definitely normal) … 5 (definitely abnormal); area 0.893.
    # The counts were checked against published reproductions of Table I (the Cross Validated
    # answer to "How to calculate AUC or the c-statistic by hand", stats.stackexchange.com
    # q. 145566, which prints the table and gets 0.8931711; Stata's hanley.dta used in the
    # [R] roctab manual), not against the paper's scan.
    normal = np.repeat([1, 2, 3, 4, 5], [33, 6, 6, 11, 2])
    abnormal = np.repeat([1, 2, 3, 4, 5], [3, 2, 2, 11, 33])
    auc = st.roc_auc([0] * 58 + [1] * 51, np.concatenate([normal, abnormal]))
    assert auc == pytest.approx(0.893, abs=5e-4)
    # Independent computation (the AUC's definition, not ranks): share of the 58 × 51
    # (normal, abnormal) pairs in which the abnormal image is rated higher, ties counting ½.
    diff = abnormal[:, None] - normal[None, :]
    assert auc == pytest.approx(np.mean((diff > 0) + 0.5 * (diff == 0)), abs=1e-12)
    assert auc == pytest.approx(0.8931711, abs=5e-8)


@settings(max_examples=60, deadline=None)
@given(st_.lists(st_.tuples(st_.booleans(), st_.integers(0, 6)), min_size=2, max_size=60))
def test_roc_auc_equals_scipys_mann_whitney_u(pairs):
    from scipy.stats import mannwhitneyu

    y = np.array([p for p, _ in pairs], dtype=float)
    s = np.array([v for _, v in pairs], dtype=float)
    if y.min() == y.max():
        return
    u = mannwhitneyu(s[y == 1], s[y == 0]).statistic
    assert st.roc_auc(y, s) == pytest.approx(u / (y.sum() * (len(y) - y.sum())))



def test_paired_bootstrap_matches_a_loop_of_roc_auc():
    # Oracle: the same resamples (same seed, same generator call), scored one by one.
    rng = np.random.default_rng(5)
    y = (rng.random(300) < 0.3).astype(float)
    a = np.round(rng.normal(size=300) + y * 0.3, 1)  # rounded: many ties
    b = np.round(rng.normal(size=300) + y * 1.0, 1)
    res = st.paired_bootstrap_auc(y, a, b, n_boot=50, seed=11, level=0.9)
    idx = np.random.default_rng(11).integers(0, 300, size=(50, 300))
    d = np.array([st.roc_auc(y[i], b[i]) - st.roc_auc(y[i], a[i]) for i in idx])
    lo, hi = np.percentile(d, [5, 95])
    assert res.diff_low == pytest.approx(lo) and res.diff_high == pytest.approx(hi)
    assert res.diff == pytest.approx(st.roc_auc(y, b) - st.roc_auc(y, a))
    assert res.diff_low > 0  # b is built to be better
