r"""Service-level objectives: error budgets, burn rate, time to exhaustion and the SRE Workbook's
multiwindow, multi-burn-rate alert rules.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from infra_lab._checks import finite_result, fraction, number, positive, require, scalar_or_array
from infra_lab._results import Result

__all__ = ["ErrorBudget", "error_budget", "burn_rate", "burn_rate_threshold", "time_to_exhaustion_hours",
           "multiwindow_alert_rules"]

HOURS_PER_DAY = 24.0


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
