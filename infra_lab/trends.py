r"""Long-run trends in the bundled real data: how fast training compute grows.

A trend is a least-squares line through *every* model, not through yearly medians (a median of
three models per year is noise): :math:`\log_{10} C = a + b\,t`, with the slope's confidence
interval from its standard error, and the doubling time :math:`\log_{10} 2 / b` with the interval
that maps from it — the way Epoch AI reports compute trends.

>>> import numpy as np
>>> t = np.array([2015.0, 2016.0, 2017.0, 2018.0])
>>> round(compute_growth(t, 10.0 ** (20 + 0.5 * (t - 2015))).slope_log10_per_year, 6)
0.5
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infra_lab._checks import data_array, fraction, require
from infra_lab._results import Result

__all__ = ["ComputeGrowth", "compute_growth"]

_DAYS_PER_YEAR = 365.25


@dataclass(frozen=True)
class ComputeGrowth(Result):
    """A log-linear trend of training compute against publication date, with its uncertainty.

    Attributes
    ----------
    slope_log10_per_year : float
        Orders of magnitude (powers of ten) of compute gained per year, *b*.
    slope_ci_log10_per_year : tuple of float
        (low, high) confidence interval of *b* at ``confidence`` (Student t, n − 2 d.o.f.).
    doubling_time_days : float
        :math:`\\log_{10} 2 / b` in days (inf when *b* ≤ 0: no growth, no doubling).
    doubling_time_ci_days : tuple of float
        (low, high) doubling time mapped from the slope's interval (the high end is inf when
        the interval reaches zero growth).
    intercept_log10_flops : float
        *a*: the fitted log10 compute at year 0 (use :attr:`fitted_log10_flops` for a date).
    r_squared : float
        Share of the variance of log10 compute explained by the date.
    n_models : int
        Models in the fit.
    confidence : float
        The interval's confidence level.

    See Also
    --------
    compute_growth : returns it.
    """

    slope_log10_per_year: float
    slope_ci_log10_per_year: tuple
    doubling_time_days: float
    doubling_time_ci_days: tuple
    intercept_log10_flops: float
    r_squared: float
    n_models: int
    confidence: float

    def fitted_log10_flops(self, decimal_year: Any) -> Any:
        """The trend line's log10 compute at ``decimal_year`` (a year with a fraction, e.g. 2020.5)."""
        t = data_array("decimal_year", decimal_year, low=1900.0, high=2100.0, ndim=None)
        return self.intercept_log10_flops + self.slope_log10_per_year * t


def _doubling_days(slope: float) -> float:
    return float(np.log10(2.0) / slope * _DAYS_PER_YEAR) if slope > 0 else float("inf")


def compute_growth(decimal_year: Any, training_compute_flops: Any, confidence: float = 0.95) -> ComputeGrowth:
    r"""Growth of training compute: a least-squares line of log10 compute on date, with its CI.

    .. math::

        \log_{10} C_i = a + b\, t_i + \varepsilon_i, \qquad
        b \pm t_{n-2,\,(1+c)/2}\; SE(b), \qquad
        T_{double} = \frac{\log_{10} 2}{b}

    The slope comes from :func:`scipy.stats.linregress` over **all** models (each model one
    point), its interval from the slope's standard error and Student's t with n − 2 degrees
    of freedom; the doubling time's interval is the slope's interval mapped through
    :math:`\log_{10} 2 / b` (a monotone map, so the ends swap).

    Parameters
    ----------
    decimal_year : array_like
        Publication date of each model as a year with a fraction (2020.5 is 1 July 2020), in
        [1900, 2100]; at least 3 models, not all on one date.
    training_compute_flops : array_like
        Training compute of each model, FLOP (a count); > 0 and finite, same length.
    confidence : float, default 0.95
        Confidence level of the intervals, in (0, 1).

    Returns
    -------
    ComputeGrowth
        Slope (orders of magnitude per year) and its interval, doubling time in days and its
        interval, intercept, R², the number of models and the confidence level.

    See Also
    --------
    ComputeGrowth.fitted_log10_flops : the trend line at a date.
    scipy.stats.linregress : the fit.

    References
    ----------
    J. Sevilla, L. Heim, A. Ho, T. Besiroglu, M. Hobbhahn, P. Villalobos, "Compute Trends
    Across Three Eras of Machine Learning", arXiv:2202.05924 (2022), abstract (since the early
    2010s training compute doubles approximately every 6 months; trends fitted by
    log-linear regression over individual models). The course's worked example, notebook
    01_foundations_lifecycle, Section 5, reproduces that doubling time (about 6.5 months,
    2010–2022) on the bundled Epoch AI snapshot.

    Examples
    --------
    Compute that doubles exactly once a year has a doubling time of 365.25 days:

    >>> import numpy as np
    >>> t = np.arange(2010.0, 2020.0)
    >>> g = compute_growth(t, 1e18 * 2.0 ** (t - 2010))
    >>> round(g.doubling_time_days, 2), round(g.r_squared, 6), g.n_models
    (365.25, 1.0, 10)
    """
    from scipy import stats

    t = data_array("decimal_year", decimal_year, low=1900.0, high=2100.0)
    c = data_array("training_compute_flops", training_compute_flops, low=0.0, low_open=True)
    level = float(fraction("confidence", confidence, low_open=True, high_open=True))
    require(t.size >= 3, "decimal_year", t.size, "needs at least 3 models for a slope and its interval")
    require(c.size == t.size, "training_compute_flops", c.shape,
            f"needs one value per model, like decimal_year (shape {t.shape})")
    require(np.ptp(t) > 0, "decimal_year", t[:3], "all models share one date; a trend needs a spread")
    y = np.log10(c)
    fit = stats.linregress(t, y)
    q = float(stats.t.ppf((1 + level) / 2, t.size - 2))
    lo, hi = fit.slope - q * fit.stderr, fit.slope + q * fit.stderr
    return ComputeGrowth(slope_log10_per_year=float(fit.slope),
                         slope_ci_log10_per_year=(float(lo), float(hi)),
                         doubling_time_days=_doubling_days(fit.slope),
                         doubling_time_ci_days=(_doubling_days(hi), _doubling_days(lo)),
                         intercept_log10_flops=float(fit.intercept),
                         r_squared=float(fit.rvalue ** 2),
                         n_models=int(t.size), confidence=level)
