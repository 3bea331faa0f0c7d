r"""Reliability: the article's :math:`Reliability = 1 - P(Failure)`, composed, repaired and budgeted.

Parts
-----
- Composition of independent components: series, parallel (redundancy), k-of-n, retries
  and the retry amplification of layered retries.
- Repairable systems: availability from MTBF and MTTR, MTBF from observed failures,
  the number of nines and the downtime each allows.
- Service-level objectives: error budgets, burn rate, time to exhaust a budget and the
  multiwindow, multi-burn-rate alert thresholds of the Google SRE Workbook.

Every probability is a share in [0, 1]; times carry their unit in the name (``_hours``,
``_days``, ``_s``). Formula functions broadcast over numpy arrays.

Sources
-------
- Beyer, Jones, Petoff, Murphy (eds.), *Site Reliability Engineering*, O'Reilly 2016:
  ch. 3 "Embracing Risk" (error budgets), ch. 22 "Addressing Cascading Failures" (retry
  amplification), Appendix A "Availability Table".
- Beyer, Murphy, Rensin, Kawahara, Thorne (eds.), *The Site Reliability Workbook*,
  O'Reilly 2018, ch. 5 "Alerting on SLOs".
- Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
  Applications*, 2nd ed., Wiley 2002, ch. 3 (series, parallel and k-of-n systems) and ch. 8
  (the two-state availability model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from infra_lab._results import Result
from infra_lab._checks import (
    count, count_result, data_array, finite_result, fraction, number, positive, require, scalar_or_array,
)

__all__ = [
    "series_reliability", "parallel_reliability", "k_of_n_reliability",
    "retry_success_probability", "retries_for_target", "retry_amplification",
    "availability_from_mtbf", "mtbf_hours", "availability_from_nines", "nines",
    "allowed_downtime_s", "ErrorBudget", "error_budget", "burn_rate", "burn_rate_threshold",
    "time_to_exhaustion_hours", "multiwindow_alert_rules",
]

HOURS_PER_DAY = 24.0


# ------------------------------------------------------------------ composition
def series_reliability(reliabilities) -> float:
    r"""Reliability of components that must *all* work (a chain, a pipeline).

    .. math:: R_{series} = \prod_i r_i = 1 - P(\text{any fails})

    Parameters
    ----------
    reliabilities : array_like
        Reliability :math:`r_i \in [0, 1]` of each independent component; at least one.

    Returns
    -------
    float

    See Also
    --------
    parallel_reliability : redundant components (any one suffices).
    k_of_n_reliability : at least k of n identical components.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 3 (series systems). Richardson, *Microservices Patterns*,
    §4.4.1: two services at 99.9 % in series give about 99.8 %.

    Examples
    --------
    >>> round(series_reliability([0.999, 0.999]), 6)
    0.998001
    """
    r = data_array("reliabilities", reliabilities, low=0.0, high=1.0)
    return float(np.prod(r))


def parallel_reliability(reliabilities) -> float:
    r"""Reliability of redundant components of which *one* working suffices.

    .. math:: R_{parallel} = 1 - \prod_i (1 - r_i)

    Parameters
    ----------
    reliabilities : array_like
        Reliability :math:`r_i \in [0, 1]` of each independent replica; at least one.

    Returns
    -------
    float

    See Also
    --------
    series_reliability : components that must all work.
    k_of_n_reliability : a quorum of k out of n.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 3 (parallel redundancy).

    Examples
    --------
    Two independent replicas at 99 % each:

    >>> round(parallel_reliability([0.99, 0.99]), 6)
    0.9999
    """
    r = data_array("reliabilities", reliabilities, low=0.0, high=1.0)
    # 1 − Π(1 − r) loses digits when every r ≈ 1; expm1/log1p keeps them.
    with np.errstate(divide="ignore"):
        log_fail = np.sum(np.log1p(-r))
    return float(-np.expm1(log_fail))


def k_of_n_reliability(k, n, reliability):
    r"""Probability that at least ``k`` of ``n`` independent identical components work.

    .. math:: R_{k/n} = \sum_{i=k}^{n} \binom{n}{i} r^i (1 - r)^{n-i}

    ``k = 1`` is parallel redundancy, ``k = n`` is a series system; a majority quorum of 5
    replicas is ``k = 3``. Broadcasts over arrays.

    Parameters
    ----------
    k : int or array_like
        Components that must work, 1 ≤ k ≤ n.
    n : int or array_like
        Components in the system, ≥ 1.
    reliability : float or array_like
        Reliability r of one component, in [0, 1].

    Returns
    -------
    float or ndarray

    See Also
    --------
    series_reliability : the case k = n with unequal components.
    parallel_reliability : the case k = 1 with unequal components.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 3 (k-out-of-n systems, the binomial sum).

    Examples
    --------
    A 2-of-3 majority of components at 0.9: :math:`3 \cdot 0.9^2 \cdot 0.1 + 0.9^3 = 0.972`.

    >>> round(k_of_n_reliability(2, 3, 0.9), 6)
    0.972
    """
    k_ = count("k", k, minimum=1)
    n_ = count("n", n, minimum=1)
    r = fraction("reliability", reliability)
    require(k_ <= n_, "k", k, f"must be ≤ n (n={n!r}): a system cannot need more components than it has")
    # binom.sf(k − 1) = P(X ≥ k); scipy sums the tail without cancellation.
    return scalar_or_array(stats.binom.sf(k_ - 1, n_, r))


def retry_success_probability(failure_probability, retries):
    r"""Probability that a task succeeds within ``retries`` retries (``retries + 1`` attempts).

    .. math:: P(\text{success}) = 1 - p^{\,r + 1}

    Assumes independent attempts — true for transient faults, false for a deterministic bug
    (which fails every retry).

    Parameters
    ----------
    failure_probability : float or array_like
        Probability p that one attempt fails, in [0, 1].
    retries : int or array_like
        Retries after the first attempt, ≥ 0.

    Returns
    -------
    float or ndarray

    See Also
    --------
    retries_for_target : the inverse, retries needed for a target.
    retry_amplification : the load retries add across layers.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 3 (independent Bernoulli trials; the geometric distribution).

    Examples
    --------
    >>> round(retry_success_probability(0.1, 2), 6)
    0.999
    """
    p = fraction("failure_probability", failure_probability)
    r = count("retries", retries, minimum=0)
    return scalar_or_array(1.0 - p ** (r + 1.0))


def retries_for_target(failure_probability, target_success_probability):
    r"""Fewest retries that lift a task's success probability to a target.

    .. math:: r = \max\left(0, \left\lceil \frac{\ln(1 - target)}{\ln p} \right\rceil - 1\right)

    Parameters
    ----------
    failure_probability : float or array_like
        Probability p that one attempt fails, in [0, 1).
    target_success_probability : float or array_like
        Required probability of success, in [0, 1).

    Returns
    -------
    int or ndarray of int

    See Also
    --------
    retry_success_probability : success probability for a given number of retries.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 3 (the geometric distribution of the number of attempts).

    Examples
    --------
    Attempts failing 10 % of the time need 2 retries to reach 99.9 %:

    >>> retries_for_target(0.1, 0.999)
    2
    """
    p = fraction("failure_probability", failure_probability, high_open=True)
    t = fraction("target_success_probability", target_success_probability, high_open=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        attempts = np.where(p == 0.0, 1.0, np.ceil(np.log1p(-t) / np.log(np.where(p == 0, 0.5, p)) - 1e-9))
    return count_result("retries_for_target", np.maximum(attempts - 1.0, 0.0))


def retry_amplification(attempts_per_layer, layers):
    r"""Attempts that reach the bottom layer when every layer retries.

    .. math:: A = a^{L}

    Parameters
    ----------
    attempts_per_layer : int or array_like
        Attempts each layer makes (1 + its retries), ≥ 1.
    layers : int or array_like
        Layers of the call stack that retry, ≥ 1.

    Returns
    -------
    int or ndarray of int

    See Also
    --------
    retry_success_probability : what one layer's retries buy.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, 2016, ch. 22 "Addressing Cascading
    Failures" (retries at three layers of 4 attempts each make 4³ = 64 attempts).

    Examples
    --------
    >>> retry_amplification(4, 3)
    64
    """
    a = count("attempts_per_layer", attempts_per_layer, minimum=1)
    n = count("layers", layers, minimum=1)
    with np.errstate(over="ignore"):
        total = np.power(a.astype(float), n.astype(float))
    return count_result("retry_amplification", total)


# ------------------------------------------------------------- repairable systems
def availability_from_mtbf(mtbf_hours, mttr_hours):
    r"""Steady-state availability of a repairable component.

    .. math:: A = \frac{MTBF}{MTBF + MTTR}

    Parameters
    ----------
    mtbf_hours : float or array_like
        Mean time between failures (mean up time), hours; > 0.
    mttr_hours : float or array_like
        Mean time to repair (mean down time), hours; ≥ 0.

    Returns
    -------
    float or ndarray

    See Also
    --------
    mtbf_hours : MTBF estimated from observed failures.
    allowed_downtime_s : the downtime an availability allows.

    References
    ----------
    Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
    Applications*, 2nd ed., ch. 8 (the two-state continuous-time Markov availability model,
    steady state MTTF/(MTTF + MTTR)).

    Examples
    --------
    >>> round(availability_from_mtbf(999.0, 1.0), 6)
    0.999
    """
    up = positive("mtbf_hours", mtbf_hours)
    down = number("mttr_hours", mttr_hours, low=0.0)
    return scalar_or_array(up / (up + down))


def mtbf_hours(exposure_hours, failures):
    r"""Point estimate of the mean time between failures from an observation period.

    .. math:: \widehat{MTBF} = T / r

    Parameters
    ----------
    exposure_hours : float or array_like
        Total operating time observed (e.g. GPU-hours summed over jobs), hours; > 0.
    failures : float or array_like
        Failures observed in that time, > 0 (with no failure the estimate is unbounded).

    Returns
    -------
    float or ndarray

    See Also
    --------
    availability_from_mtbf : availability once MTTR is known.

    References
    ----------
    NIST/SEMATECH *e-Handbook of Statistical Methods*, ch. 8 "Assessing Product
    Reliability" (constant failure rate: the MTBF estimate is total time over failures).

    Examples
    --------
    >>> mtbf_hours(10_000.0, 4)
    2500.0
    """
    t = positive("exposure_hours", exposure_hours)
    r = positive("failures", failures)
    return scalar_or_array(finite_result("mtbf_hours", t / r, "exposure_hours is too large for this failure count"))


def availability_from_nines(nines_count):
    r"""Availability with a given number of nines (3 → 99.9 %).

    .. math:: A = 1 - 10^{-n}

    Parameters
    ----------
    nines_count : float or array_like
        Number of nines, ≥ 0 (fractional values such as 3.5 ≈ 99.97 % are allowed), ≤ 15
        (beyond that a float cannot tell A from 1).

    Returns
    -------
    float or ndarray

    See Also
    --------
    nines : the inverse.
    allowed_downtime_s : what the availability allows.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, 2016, Appendix A "Availability Table".

    Examples
    --------
    >>> availability_from_nines(3)
    0.999
    """
    n = number("nines_count", nines_count, low=0.0, high=15.0)
    return scalar_or_array(1.0 - 10.0 ** (-n))


def nines(availability):
    r"""Number of nines of an availability (0.999 → 3).

    .. math:: n = -\log_{10}(1 - A)

    Parameters
    ----------
    availability : float or array_like
        Availability A in [0, 1).

    Returns
    -------
    float or ndarray

    See Also
    --------
    availability_from_nines : the inverse.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, 2016, Appendix A "Availability Table".

    Examples
    --------
    >>> round(nines(0.9995), 3)
    3.301
    """
    a = fraction("availability", availability, high_open=True)
    return scalar_or_array(-np.log10(1.0 - a))


def allowed_downtime_s(availability, period_days=365.0):
    r"""Downtime an availability target allows in a period.

    .. math:: D = (1 - A) \times period

    Parameters
    ----------
    availability : float or array_like
        Availability target A in [0, 1].
    period_days : float or array_like, default 365.0
        Length of the period, days; > 0 (the SRE book's table uses a 365-day year, a 90-day
        quarter, a 30-day month, 7, 1 and 1/24 days).

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    availability_from_nines : A from a number of nines.
    error_budget : the same budget counted in requests.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, 2016, Appendix A, Table A-1 (99.9 % →
    8.76 hours a year, 2.16 hours a 90-day quarter, 43.2 minutes a 30-day month).

    Examples
    --------
    >>> round(allowed_downtime_s(0.999) / 3600, 2)
    8.76
    >>> round(allowed_downtime_s(0.999, period_days=30) / 60, 1)
    43.2
    """
    a = fraction("availability", availability)
    days = positive("period_days", period_days)
    seconds = (1.0 - a) * days * HOURS_PER_DAY * 3600.0
    return scalar_or_array(finite_result("allowed_downtime_s", seconds, "period_days is too large"))


# ------------------------------------------------------------------------ SLOs
@dataclass(frozen=True)
class ErrorBudget(Result):
    """An SLO's error budget over a count of events, and how much of it is spent.

    Attributes
    ----------
    allowed_failures : float
        :math:`(1 - SLO) \\times events` — failures the SLO allows.
    failed_events : float
        Failures observed.
    remaining_failures : float
        ``allowed_failures − failed_events`` (negative: the budget is overspent).
    consumed_fraction : float
        ``failed_events / allowed_failures`` (above 1: overspent).

    See Also
    --------
    error_budget : returns it.
    """

    allowed_failures: float
    failed_events: float
    remaining_failures: float
    consumed_fraction: float


def error_budget(slo, total_events, failed_events=0.0) -> ErrorBudget:
    r"""Error budget of an SLO over a number of events, and the share already spent.

    .. math:: budget = (1 - SLO) \times N,\qquad consumed = failed / budget

    Parameters
    ----------
    slo : float
        Target share of good events, in [0, 1).
    total_events : float
        Events (requests, runs) in the SLO period, > 0.
    failed_events : float, default 0.0
        Bad events observed so far, in [0, total_events].

    Returns
    -------
    ErrorBudget

    See Also
    --------
    burn_rate : how fast the budget is being spent.
    allowed_downtime_s : the budget counted in time.

    References
    ----------
    Beyer et al., *Site Reliability Engineering*, 2016, ch. 3 "Embracing Risk" (a 99.99 %
    SLO over 2.5 million requests allows 250 errors).

    Examples
    --------
    >>> budget = error_budget(0.9999, 2_500_000, failed_events=100)
    >>> round(budget.allowed_failures, 6), round(budget.consumed_fraction, 6)
    (250.0, 0.4)
    """
    s = float(fraction("slo", slo, high_open=True))
    n = float(positive("total_events", total_events))
    bad = float(number("failed_events", failed_events, low=0.0))
    require(bad <= n, "failed_events", failed_events, f"must be ≤ total_events ({total_events!r})")
    allowed = (1.0 - s) * n
    require(allowed > 0, "slo", slo, "leaves no error budget for this many events (1 − slo) × total_events = 0")
    consumed = finite_result("consumed_fraction", bad / allowed, "slo is too close to 1")
    return ErrorBudget(allowed, bad, allowed - bad, float(consumed))


def burn_rate(error_ratio, slo):
    r"""How fast errors spend the budget, relative to spending it evenly over the period.

    .. math:: burn = \frac{error\ ratio}{1 - SLO}

    A burn rate of 1 spends exactly the budget by the period's end; 14.4 spends 2 % of a
    30-day budget in one hour.

    Parameters
    ----------
    error_ratio : float or array_like
        Observed share of bad events in a window, in [0, 1].
    slo : float or array_like
        Target share of good events, in [0, 1).

    Returns
    -------
    float or ndarray

    See Also
    --------
    burn_rate_threshold : the burn rate an alert should fire at.
    time_to_exhaustion_hours : how long the budget lasts at a burn rate.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs", section
    "Alert on Burn Rate" (a 0.1 % error ratio against a 99.9 % SLO burns at rate 1).

    Examples
    --------
    >>> round(burn_rate(0.001, 0.999), 6)
    1.0
    """
    e = fraction("error_ratio", error_ratio)
    s = fraction("slo", slo, high_open=True)
    return scalar_or_array(finite_result("burn_rate", e / (1.0 - s), "slo is too close to 1"))


def burn_rate_threshold(budget_fraction, long_window_hours, period_days=30.0):
    r"""Burn rate at which a window spends a given share of the period's budget.

    .. math:: burn_{alert} = budget\ fraction \times \frac{period}{window}

    Parameters
    ----------
    budget_fraction : float or array_like
        Share of the period's budget the alert tolerates in the window, in (0, 1].
    long_window_hours : float or array_like
        Alert window, hours; > 0 and ≤ the period.
    period_days : float or array_like, default 30.0
        SLO period, days; > 0.

    Returns
    -------
    float or ndarray

    See Also
    --------
    multiwindow_alert_rules : the Workbook's recommended rules built from it.
    burn_rate : the burn rate observed.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs", section
    "Multiwindow, Multi-Burn-Rate Alerts" (2 % of a 30-day budget in 1 hour → 14.4; 5 % in
    6 hours → 6; 10 % in 3 days → 1).

    Examples
    --------
    >>> round(burn_rate_threshold(0.02, 1.0), 6)
    14.4
    """
    f = fraction("budget_fraction", budget_fraction, low_open=True)
    w = positive("long_window_hours", long_window_hours)
    days = positive("period_days", period_days)
    period_h = days * HOURS_PER_DAY
    require(w <= period_h, "long_window_hours", long_window_hours, "must be ≤ the period (period_days × 24)")
    return scalar_or_array(finite_result("burn_rate_threshold", f * period_h / w, "period_days is too large"))


def time_to_exhaustion_hours(burn_rate, period_days=30.0):
    r"""Hours until a constant burn rate spends a whole period's error budget.

    .. math:: T = period / burn

    Parameters
    ----------
    burn_rate : float or array_like
        Burn rate, > 0.
    period_days : float or array_like, default 30.0
        SLO period, days; > 0.

    Returns
    -------
    float or ndarray

    See Also
    --------
    burn_rate_threshold : the burn rate an alert fires at.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs", section
    "Alert on Burn Rate" (for a 99.9 % SLO over 30 days: burn rate 1 → 30 days, 2 → 15
    days, 10 → 3 days, 1,000 → 43 minutes).

    Examples
    --------
    >>> round(time_to_exhaustion_hours(1000) * 60, 1)
    43.2
    """
    b = positive("burn_rate", burn_rate)
    days = positive("period_days", period_days)
    return scalar_or_array(finite_result("time_to_exhaustion_hours", days * HOURS_PER_DAY / b,
                                         "period_days is too large"))


#: The SRE Workbook's recommended multiwindow, multi-burn-rate rules (ch. 5):
#: (severity, long window h, short window h, share of the 30-day budget).
WORKBOOK_RULES = (("page", 1.0, 5.0 / 60.0, 0.02), ("page", 6.0, 0.5, 0.05), ("ticket", 72.0, 6.0, 0.10))


def multiwindow_alert_rules(slo, period_days=30.0) -> pd.DataFrame:
    r"""The SRE Workbook's multiwindow, multi-burn-rate alert rules for an SLO.

    .. math:: burn_{alert} = f \times \frac{period}{window_{long}},\quad
              window_{short} = window_{long} / 12,\quad
              error\ ratio_{alert} = burn_{alert} (1 - SLO)

    An alert fires when *both* windows burn faster than the threshold: the long window
    makes it significant, the short one makes it stop soon after the problem does.

    Parameters
    ----------
    slo : float
        Target share of good events, in [0, 1).
    period_days : float, default 30.0
        SLO period, days; ≥ 3 (the slowest rule looks at 3 days).

    Returns
    -------
    pandas.DataFrame
        One row per rule: ``severity``, ``long_window_hours``, ``short_window_hours``,
        ``budget_fraction``, ``burn_rate_threshold``, ``error_ratio_threshold``.

    See Also
    --------
    burn_rate_threshold : the formula of each row.
    infra_lab.observability.evaluate_burn_rate_alerts : evaluates the rules on a series.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs", section
    "Multiwindow, Multi-Burn-Rate Alerts" (page at 14.4 over 1 h / 5 min and 6 over
    6 h / 30 min; ticket at 1 over 3 days / 6 h).

    Examples
    --------
    >>> multiwindow_alert_rules(0.999)["burn_rate_threshold"].round(6).tolist()
    [14.4, 6.0, 1.0]
    """
    s = float(fraction("slo", slo, high_open=True))
    days = float(number("period_days", period_days, low=3.0))
    rows = []
    for severity, long_h, short_h, share in WORKBOOK_RULES:
        threshold = float(burn_rate_threshold(share, long_h, days))
        rows.append({"severity": severity, "long_window_hours": long_h, "short_window_hours": short_h,
                     "budget_fraction": share, "burn_rate_threshold": threshold,
                     "error_ratio_threshold": threshold * (1.0 - s)})
    return pd.DataFrame(rows)
