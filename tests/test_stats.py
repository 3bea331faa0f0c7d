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


# --------------------------------------------------------------------------- the contract's known holes

def test_roc_auc_with_one_class_is_a_named_error():
    with pytest.raises(ValueError, match="y_true: has only one class"):
        st.roc_auc([1, 1, 1], [0.2, 0.3, 0.4])


@pytest.mark.parametrize("y, score, name, err", [
    ([0, 1, np.nan], [0.1, 0.2, 0.3], "y_true", ValueError),
    ([0, 1, 1], [0.1, np.nan, 0.3], "score", ValueError),
    ([0, 1, 1], [0.1, np.inf, 0.3], "score", ValueError),
    ([0, 1, 2], [0.1, 0.2, 0.3], "y_true", ValueError),
    (True, [0.1], "y_true", TypeError),
    ([0, 1], "8", "score", TypeError),
    ([0, 1], [0.1, 0.2, 0.3], "score", ValueError),
    ([], [], "y_true", ValueError),
])
def test_bad_labels_and_scores_are_refused_by_name(y, score, name, err):
    with pytest.raises(err, match=name):
        st.roc_auc(y, score)


def test_nan_in_scores_names_the_position():
    with pytest.raises(ValueError, match="position 1"):
        st.roc_auc([0, 1, 1], [0.1, np.nan, 0.3])
    with pytest.raises(ValueError, match=r"X=.*position \(2, 1\)"):
        st.fit_logistic([[0.0, 1.0], [1.0, 0.0], [2.0, np.nan], [3.0, 2.0]], [0, 1, 0, 1])


def test_boolean_label_arrays_are_labels():
    y = np.array([False, True, False, True, True])
    s = [0.1, 0.9, 0.4, 0.35, 0.8]
    assert st.roc_auc(y, s) == st.roc_auc(y.astype(int), s) == pytest.approx(5 / 6)


def test_separable_classes_are_refused_not_fitted_silently():
    # No maximum-likelihood fit exists; the old code returned its 100th Newton iterate.
    with pytest.raises(ValueError, match="max_iter=100.*separable"):
        st.fit_logistic([1.0, 2.0, 3.0, 4.0], [0, 0, 1, 1])
    m = st.fit_logistic([1.0, 2.0, 3.0, 4.0], [0, 0, 1, 1], l2=0.1)  # a ridge penalty makes it finite
    assert np.isfinite(m.coef).all() and m.coef[0] > 0


def test_iterations_is_the_number_of_newton_steps_needed():
    hours = np.array([0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50,
                      2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50])
    passed = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
    m = st.fit_logistic(hours, passed)
    assert 1 < m.iterations < 100
    again = st.fit_logistic(hours, passed, max_iter=m.iterations)
    assert again.iterations == m.iterations and again.intercept == m.intercept
    with pytest.raises(ValueError, match="max_iter"):
        st.fit_logistic(hours, passed, max_iter=m.iterations - 1)
    intercept, coef, iterations = m  # unpacks like a tuple
    assert iterations == m.iterations
    np.testing.assert_allclose(m.predict_proba(hours), 1 / (1 + np.exp(-(intercept + coef[0] * hours))))


def test_bootstrap_result_reports_its_settings_and_refuses_what_would_not_fit_memory():
    y = np.array([0, 0, 1, 1, 0, 1, 0, 1])
    res = st.paired_bootstrap_auc(y, np.arange(8.0), [1, 2, 6, 7, 3, 8, 4, 5], n_boot=40, seed=3, level=0.8)
    assert (res.n_boot, res.level) == (40, 0.8)
    # AUCs on all rows by the definition (share of positive-negative pairs ranked right):
    # a = 0..7 ranks 11 of the 16 pairs right (positives 2, 3, 5, 7 beat 2 + 2 + 3 + 4 of the
    # negatives 0, 1, 4, 6);
    # b ranks every pair right.
    assert (res.auc_a, res.auc_b, res.diff) == (11 / 16, 1.0, 5 / 16)
    assert res.diff_low <= res.diff_high  # a percentile interval need not contain diff itself
    with pytest.raises(ValueError, match="n_boot"):
        st.paired_bootstrap_auc(np.tile(y, 100), np.arange(800.0), np.arange(800.0), n_boot=1_000_000)
    for bad, name in [(True, "seed"), (-1, "seed"), (1.0, "level"), (9, "n_boot"), (12.5, "n_boot")]:
        kwargs = {"seed": 0, "level": 0.95, "n_boot": 20}
        kwargs[name] = bad
        with pytest.raises((ValueError, TypeError), match=name):
            st.paired_bootstrap_auc(y, np.arange(8.0), np.arange(8.0), **kwargs)


def test_bootstrap_auc_interval_brackets_the_auc_and_matches_a_loop():
    # Independent implementation: resample with the same generator and score each resample
    # by counting concordant pairs directly.
    rng = np.random.default_rng(0)
    y = rng.random(60) < 0.4
    s = y + rng.normal(size=60)
    r = st.bootstrap_auc(y, s, n_boot=50, seed=5, level=0.9)
    idx = np.random.default_rng(5).integers(0, 60, size=(50, 60))

    def pairs_auc(t, x):
        p, n = x[t], x[~t]
        return ((p[:, None] > n[None, :]).sum() + 0.5 * (p[:, None] == n[None, :]).sum()) / (p.size * n.size)

    boots = np.array([pairs_auc(y[i], s[i]) for i in idx])
    lo, hi = np.percentile(boots, [5, 95])
    assert r.low == pytest.approx(lo) and r.high == pytest.approx(hi)
    assert r.auc == pytest.approx(pairs_auc(y, s))
