r"""Repairable systems: availability from MTBF and MTTR, MTBF from observed failures, nines and downtime.
"""

from __future__ import annotations

import numpy as np

from infra_lab._checks import finite_result, fraction, number, positive, scalar_or_array

__all__ = ["availability_from_mtbf", "mtbf_hours", "availability_from_nines", "nines", "allowed_downtime_s"]

HOURS_PER_DAY = 24.0


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
