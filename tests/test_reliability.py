"""infra_lab.reliability against published values and independent implementations.

References: Beyer et al., *Site Reliability Engineering* (2016) Appendix A, Table A-1 and
ch. 3, ch. 22; Beyer et al., *The Site Reliability Workbook* (2018) ch. 5; Richardson,
*Microservices Patterns* §4.4.1; Trivedi, *Probability and Statistics with Reliability...*,
2nd ed., ch. 3 and ch. 8 (checked here by brute force and a Markov-chain solve).
"""

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.reliability import (
    ErrorBudget, allowed_downtime_s, availability_from_mtbf, availability_from_nines, burn_rate,
    burn_rate_threshold, error_budget, k_of_n_reliability, mtbf_hours, multiwindow_alert_rules, nines,
    parallel_reliability, retries_for_target, retry_amplification, retry_success_probability,
    series_reliability, time_to_exhaustion_hours,
)

probs = st.floats(0.0, 1.0, allow_nan=False)

# SRE book, Appendix A, Table A-1 ("Availability table"), as printed: allowed unavailability per
# year (365 d), quarter (90 d), month (30 d), week, day and hour.
PERIODS_DAYS = [365.0, 90.0, 30.0, 7.0, 1.0, 1.0 / 24.0]
UNIT_S = {"days": 86400.0, "hours": 3600.0, "minutes": 60.0, "seconds": 1.0}
SRE_TABLE_A1 = {
    0.90: ["36.5 days", "9 days", "3 days", "16.8 hours", "2.4 hours", "6 minutes"],
    0.95: ["18.25 days", "4.5 days", "1.5 days", "8.4 hours", "1.2 hours", "3 minutes"],
    0.99: ["3.65 days", "21.6 hours", "7.2 hours", "1.68 hours", "14.4 minutes", "36 seconds"],
    0.995: ["1.83 days", "10.8 hours", "3.6 hours", "50.4 minutes", "7.20 minutes", "18 seconds"],
    0.999: ["8.76 hours", "2.16 hours", "43.2 minutes", "10.1 minutes", "1.44 minutes", "3.6 seconds"],
    0.9995: ["4.38 hours", "1.08 hours", "21.6 minutes", "5.04 minutes", "43.2 seconds", "1.8 seconds"],
    0.9999: ["52.6 minutes", "12.96 minutes", "4.32 minutes", "60.5 seconds", "8.64 seconds", "0.36 seconds"],
    0.99999: ["5.26 minutes", "1.30 minutes", "25.9 seconds", "6.05 seconds", "0.87 seconds", "0.04 seconds"],
}
TABLE_CELLS = [(a, days, cell) for a, row in SRE_TABLE_A1.items() for days, cell in zip(PERIODS_DAYS, row)]


@pytest.mark.parametrize("availability,days,printed", TABLE_CELLS)
def test_downtime_reproduces_the_sre_books_availability_table(availability, days, printed):
    number, unit = printed.split()
    decimals = len(number.partition(".")[2])
    value = allowed_downtime_s(availability, days) / UNIT_S[unit]
    # Within one unit of the last printed digit (the book rounds 0.864 s to 0.87).
    assert abs(value - float(number)) <= 10.0 ** -decimals + 1e-9


def test_downtime_broadcasts_over_availabilities_and_periods():
    got = allowed_downtime_s(np.array([0.99, 0.999])[:, None], np.array([365.0, 30.0]))
    assert got.shape == (2, 2) and got[1, 0] == pytest.approx(8.76 * 3600, rel=1e-3)


def test_nines_round_trip_and_three_nines():
    assert availability_from_nines(3) == pytest.approx(0.999)
    assert nines(0.999) == pytest.approx(3.0)
    np.testing.assert_allclose(nines(availability_from_nines([1.0, 2.5, 5.0])), [1.0, 2.5, 5.0])


def test_error_budget_reproduces_the_sre_books_250_errors():
    # SRE book ch. 3: a 99.99 % SLO over 2.5 million requests allows 250 errors.
    b = error_budget(0.9999, 2_500_000, failed_events=300)
    assert isinstance(b, ErrorBudget)
    assert b.allowed_failures == pytest.approx(250)
    assert b.failed_events == 300
    assert b.remaining_failures == pytest.approx(-50)  # overspent
    assert b.consumed_fraction == pytest.approx(1.2)
    allowed, failed, remaining, consumed = b  # unpacks like a tuple
    assert (allowed, failed) == (b.allowed_failures, 300)


def test_error_budget_refuses_more_failures_than_events():
    with pytest.raises(ValueError, match="failed_events"):
        error_budget(0.999, 100, failed_events=101)


@pytest.mark.parametrize("fraction,window_h,printed", [(0.02, 1, 14.4), (0.05, 6, 6.0), (0.10, 72, 1.0)])
def test_burn_rate_thresholds_reproduce_the_workbooks_table(fraction, window_h, printed):
    # SRE Workbook ch. 5, "Multiwindow, Multi-Burn-Rate Alerts": 2 % in 1 h → 14.4, 5 % in 6 h → 6,
    # 10 % in 3 days → 1, for a 30-day SLO period.
    assert burn_rate_threshold(fraction, window_h) == pytest.approx(printed)


def test_multiwindow_rules_match_the_workbooks_recommendation():
    rules = multiwindow_alert_rules(0.999)
    assert rules["severity"].tolist() == ["page", "page", "ticket"]
    assert rules["long_window_hours"].tolist() == [1.0, 6.0, 72.0]
    # The short window is 1/12 of the long one: 5 min, 30 min, 6 h.
    np.testing.assert_allclose(rules["short_window_hours"] * 60, [5, 30, 360])
    assert rules["budget_fraction"].tolist() == [0.02, 0.05, 0.10]
    np.testing.assert_allclose(rules["burn_rate_threshold"], [14.4, 6.0, 1.0])
    np.testing.assert_allclose(rules["error_ratio_threshold"], [0.0144, 0.006, 0.001])


@pytest.mark.parametrize("burn,printed_hours", [(1, 30 * 24), (2, 15 * 24), (10, 3 * 24), (1000, 43 / 60)])
def test_time_to_exhaustion_reproduces_the_workbooks_burn_rate_table(burn, printed_hours):
    # SRE Workbook ch. 5, "Alert on Burn Rate": 99.9 % SLO, 30 days: 1 → 30 d, 2 → 15 d, 10 → 3 d,
    # 1000 → 43 minutes (printed rounded to the minute).
    assert time_to_exhaustion_hours(burn) == pytest.approx(printed_hours, rel=0.01)


def test_burn_rate_of_the_workbooks_error_ratios():
    # Workbook ch. 5: against 99.9 %, an error ratio of 0.1 % burns at 1, 0.2 % at 2, 100 % at 1000.
    np.testing.assert_allclose(burn_rate([0.001, 0.002, 1.0], 0.999), [1, 2, 1000], rtol=1e-9)


def test_series_reproduces_richardsons_two_services():
    # Richardson, Microservices Patterns §4.4.1: two services at 99.9 % in series ≈ 99.8 %.
    assert series_reliability([0.999, 0.999]) == pytest.approx(0.998, abs=5e-6)


def test_retry_amplification_reproduces_the_sre_books_64_attempts():
    # SRE book ch. 22: three layers retrying with 4 attempts each → 4³ = 64 attempts.
    assert retry_amplification(4, 3) == 64


def test_retry_amplification_overflow_is_refused():
    with pytest.raises(ValueError, match="retry_amplification"):
        retry_amplification(10, 40)


def _brute_force_at_least(k, rs):
    # Enumerate every up/down state of the components (an independent implementation).
    total = 0.0
    for state in itertools.product([0, 1], repeat=len(rs)):
        if sum(state) >= k:
            total += math.prod(r if up else 1 - r for up, r in zip(state, rs))
    return total


@pytest.mark.parametrize("k,n,r", [(1, 3, 0.9), (2, 3, 0.9), (3, 3, 0.9), (3, 5, 0.7), (4, 6, 0.95)])
def test_k_of_n_matches_enumeration_of_states(k, n, r):
    assert k_of_n_reliability(k, n, r) == pytest.approx(_brute_force_at_least(k, [r] * n), abs=1e-12)


def test_series_and_parallel_match_enumeration_with_unequal_components():
    rs = [0.9, 0.95, 0.8]
    assert series_reliability(rs) == pytest.approx(_brute_force_at_least(3, rs))
    assert parallel_reliability(rs) == pytest.approx(_brute_force_at_least(1, rs))


def test_k_of_n_refuses_more_required_than_present():
    with pytest.raises(ValueError, match="k"):
        k_of_n_reliability(4, 3, 0.9)


@settings(max_examples=60, deadline=None)
@given(st.lists(probs, min_size=1, max_size=6))
def test_redundancy_never_hurts_and_chains_never_help(rs):
    assert parallel_reliability(rs) >= max(rs) - 1e-12
    assert series_reliability(rs) <= min(rs) + 1e-12


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), probs)
def test_k_of_n_ends_are_series_and_parallel(n, r):
    assert k_of_n_reliability(n, n, r) == pytest.approx(series_reliability([r] * n), abs=1e-12)
    assert k_of_n_reliability(1, n, r) == pytest.approx(parallel_reliability([r] * n), abs=1e-12)


def test_retry_success_by_simulation_of_independent_attempts():
    rng = np.random.default_rng(7)
    attempts = rng.random((200_000, 3)) < 0.3  # True: the attempt failed
    simulated = 1 - attempts.all(axis=1).mean()
    assert retry_success_probability(0.3, 2) == pytest.approx(simulated, abs=0.003)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.01, 0.9), st.floats(0.5, 0.999999))
def test_retries_for_target_is_the_smallest_that_reaches_it(p, target):
    r = retries_for_target(p, target)
    assert retry_success_probability(p, r) >= target - 1e-12
    if r > 0:
        assert retry_success_probability(p, r - 1) < target


def test_availability_matches_the_two_state_markov_chain():
    # Trivedi ch. 8: up → down at rate 1/MTBF, down → up at 1/MTTR; solve πQ = 0, Σπ = 1.
    mtbf, mttr = 720.0, 4.0
    q = np.array([[-1 / mtbf, 1 / mtbf], [1 / mttr, -1 / mttr]])
    a = np.vstack([q.T, np.ones(2)])
    pi = np.linalg.lstsq(a, np.array([0.0, 0.0, 1.0]), rcond=None)[0]
    assert availability_from_mtbf(mtbf, mttr) == pytest.approx(pi[0], rel=1e-12)


def test_mtbf_from_observed_failures():
    # NIST e-Handbook ch. 8: MTBF estimate = total time / failures.
    assert mtbf_hours(10_000.0, 4) == 2500.0
    np.testing.assert_allclose(mtbf_hours([100.0, 300.0], [1, 3]), [100.0, 100.0])


@pytest.mark.parametrize("call", [
    lambda: burn_rate(0.01, 1.0), lambda: nines(1.0), lambda: availability_from_nines(16),
    lambda: burn_rate_threshold(0.02, 800.0), lambda: multiwindow_alert_rules(0.999, 2.0),
])
def test_impossible_slo_inputs_are_refused_with_a_named_error(call):
    with pytest.raises(ValueError):
        call()
