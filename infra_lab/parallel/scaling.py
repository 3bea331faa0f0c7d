r"""Scaling laws: speedup, efficiency, Amdahl, Gustafson, Karp–Flatt and a fit of Amdahl's law.

The article's *Mathematical Lens* defines parallel efficiency :math:`E = T_1 / (n \cdot T_n)`;
around it sit the laws a practitioner uses to reason about scaling: Amdahl (fixed problem
size), Gustafson (fixed run time), the Karp–Flatt metric (the serial fraction implied by a
measured speedup) and a least-squares fit of Amdahl's law to measured times.

>>> round(amdahl_speedup(0.05, float("inf")), 6)
20.0
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import (at_most_one, count, data_array, finite_result, fraction, nonnegative, number,
                       positive, require, scalar_or_array)
from .._results import Result

__all__ = [
    "speedup",
    "parallel_efficiency",
    "amdahl_speedup",
    "gustafson_speedup",
    "karp_flatt",
    "AmdahlFit",
    "fit_amdahl",
]


def speedup(t1_s: Any, tn_s: Any) -> Any:
    r"""Speedup of a parallel run over the one-worker run.

    .. math:: S = T_1 / T_n

    Parameters
    ----------
    t1_s : float or array_like
        Wall-clock time with one worker (s), > 0 and finite.
    tn_s : float or array_like
        Wall-clock time with ``n`` workers (s, the same unit as ``t1_s``), > 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        The speedup (-).

    See Also
    --------
    parallel_efficiency : the speedup per worker.
    karp_flatt : the serial fraction a measured speedup implies.
    amdahl_speedup : the speedup Amdahl's law predicts.

    References
    ----------
    Hennessy and Patterson, *Computer Architecture: A Quantitative Approach*, 6th ed., 2017,
    §1.9 (speedup = execution time old ÷ new). The measured feature build: 1.79 s on one
    process, 0.225 s on 16 (data/measured_h200/README.md, "16 processes give ~7.9× speedup").

    Examples
    --------
    >>> round(speedup(1.79, 0.225), 2)
    7.96
    >>> speedup(10.0, [10.0, 5.0, 2.5]).tolist()
    [1.0, 2.0, 4.0]
    """
    t1 = positive("t1_s", t1_s)
    tn = positive("tn_s", tn_s)
    return finite_result("speedup", scalar_or_array(t1 / tn), "t1_s is too large for tn_s")


def parallel_efficiency(t1_s: Any, tn_s: Any, workers: Any, tolerance: float = 0.05) -> Any:
    r"""Parallel efficiency: the share of ideal linear speedup a run achieves.

    .. math:: E = \frac{T_1}{n \cdot T_n} = \frac{S}{n}

    ``E = 1`` is perfect scaling. Measured efficiency above ``1 + tolerance`` raises
    ``ValueError``: it almost always means the times are swapped, in different units or
    ``workers`` is wrong. Genuine super-linear speedup (a working set that starts fitting in
    cache) exists; pass a larger ``tolerance`` to accept it knowingly.

    Parameters
    ----------
    t1_s : float or array_like
        Time with one worker (s), > 0 and finite.
    tn_s : float or array_like
        Time with ``workers`` workers (s, same unit), > 0 and finite.
    workers : int or array_like
        Number of workers ``n``, a whole number ≥ 1.
    tolerance : float, default 0.05
        Measurement noise allowed above 1 (0.05: up to E = 1.05), ≥ 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Efficiency (-).

    See Also
    --------
    speedup : T_1 / T_n.
    amdahl_speedup : the efficiency ceiling from a serial fraction.

    References
    ----------
    The article, *Mathematical Lens* (E = T_1 / (n · T_n)). Hennessy and Patterson,
    *Computer Architecture: A Quantitative Approach*, 6th ed., 2017, §1.9.

    Examples
    --------
    The host's feature build (``load_h200_cpu_scaling``, medians): 1.79 s on one process,
    0.225 s on 16:

    >>> round(parallel_efficiency(1.79, 0.225, 16), 3)
    0.497
    """
    s = np.asarray(speedup(t1_s, tn_s))
    n = count("workers", workers, minimum=1)
    tol = nonnegative("tolerance", tolerance)
    e = scalar_or_array(s / n)
    return at_most_one("parallel_efficiency", e, float(tol), why=(
        "the result is above 1 beyond the tolerance: check that t1_s is the one-worker time and tn_s the "
        "n-worker time, in the same unit, and that workers is n (raise tolerance for real super-linear speedup)"))


def _workers_real(name: str, value: Any, finite: bool = True) -> np.ndarray:
    # A real n ≥ 1 (a notebook draws smooth curves); inf allowed where the law has a limit.
    return number(name, value, low=1.0, finite=finite)


def amdahl_speedup(serial_fraction: Any, workers: Any) -> Any:
    r"""Amdahl's law: speedup of a fixed-size problem on ``n`` workers.

    .. math:: S(n) = \frac{1}{s + (1 - s)/n}

    ``s`` is the share of the **one-worker** run time that cannot be parallelised; as
    ``n → ∞`` the speedup tends to ``1/s`` (``workers=numpy.inf`` returns that limit).

    Parameters
    ----------
    serial_fraction : float or array_like
        ``s`` in [0, 1] (-).
    workers : float or array_like
        ``n`` ≥ 1; real values are allowed so a notebook can draw a smooth curve, and
        ``inf`` gives the limit ``1/s``.

    Returns
    -------
    float or numpy.ndarray
        Speedup (-).

    See Also
    --------
    gustafson_speedup : the scaled-problem reading of the same law.
    karp_flatt : the serial fraction implied by a measured speedup.
    fit_amdahl : s fitted to measured times.

    References
    ----------
    G. M. Amdahl, "Validity of the single processor approach to achieving large scale
    computing capabilities", AFIPS Spring Joint Computer Conference, 1967, pp. 483–485.
    Hennessy and Patterson, *Computer Architecture: A Quantitative Approach*, 6th ed., 2017,
    §1.9 ("Amdahl's Law").

    Examples
    --------
    A program that runs 20 h on one thread, 1 h of it serial (``s = 0.05``), can never
    run more than 20× faster:

    >>> round(amdahl_speedup(0.05, float("inf")), 6)
    20.0
    >>> [round(x, 2) for x in amdahl_speedup(0.05, [1, 16, 1024]).tolist()]
    [1.0, 9.14, 19.64]
    """
    s = fraction("serial_fraction", serial_fraction)
    n = _workers_real("workers", workers, finite=False)
    with np.errstate(divide="ignore"):   # s = 0, n = inf: unbounded speedup, inf is the answer
        return scalar_or_array(1.0 / (s + (1.0 - s) / n))


def gustafson_speedup(serial_fraction: Any, workers: Any) -> Any:
    r"""Gustafson's scaled speedup: the problem grows with the machine, run time is fixed.

    .. math:: S(n) = n + (1 - n)\,s = s + (1 - s)\,n

    **Here ``s`` is measured on the parallel run**: the share of the *n-worker* run's time
    spent in serial code. In Amdahl's law ``s`` is the share of the one-worker run. The
    same program has a much smaller Amdahl fraction ``f = s / (s + n(1 - s))``; with it
    both laws give the same number — they are one law read from two ends.

    Parameters
    ----------
    serial_fraction : float or array_like
        ``s`` in [0, 1], measured on the parallel run (-).
    workers : float or array_like
        ``n`` ≥ 1 and finite.

    Returns
    -------
    float or numpy.ndarray
        Scaled speedup (-); grows without bound, linearly in ``n`` with slope ``1 - s``.

    See Also
    --------
    amdahl_speedup : the fixed-size law.

    References
    ----------
    J. L. Gustafson, "Reevaluating Amdahl's law", Communications of the ACM 31(5), 1988,
    pp. 532–533 (scaled speedup s' + p'·N).

    Examples
    --------
    >>> round(gustafson_speedup(0.01, 1000), 2)
    990.01
    >>> f = 0.01 / (0.01 + 1000 * 0.99)        # the same program, Amdahl's fraction
    >>> round(amdahl_speedup(f, 1000), 2)
    990.01
    """
    s = fraction("serial_fraction", serial_fraction)
    n = _workers_real("workers", workers)
    return scalar_or_array(n + (1.0 - n) * s)


def karp_flatt(speedup: Any, workers: Any) -> Any:
    r"""Karp–Flatt metric: the experimentally determined serial fraction.

    .. math:: e = \frac{1/S - 1/n}{1 - 1/n}, \qquad n > 1

    If the program followed Amdahl's law exactly, ``e`` would equal its serial fraction at
    every ``n``; an ``e`` that **grows** with ``n`` reveals overhead that grows with the
    number of workers (communication, synchronisation), a constant ``e`` a true serial part.
    Super-linear speedup gives ``e < 0``.

    Parameters
    ----------
    speedup : float or array_like
        Measured speedup ``S`` > 0 and finite (-).
    workers : int or array_like
        ``n``, the workers of the measured run: a whole number ≥ 2 (the metric is 0/0 at
        ``n = 1``).

    Returns
    -------
    float or numpy.ndarray
        ``e`` (-).

    See Also
    --------
    amdahl_speedup : the law e inverts.
    speedup : the measured S.

    References
    ----------
    A. H. Karp and H. P. Flatt, "Measuring parallel processor performance", Communications
    of the ACM 33(5), 1990, pp. 539–543 (the experimentally determined serial fraction).

    Examples
    --------
    >>> round(karp_flatt(amdahl_speedup(0.1, 8), 8), 12)
    0.1
    >>> round(karp_flatt(7.96, 16), 3)
    0.067
    """
    s = positive("speedup", speedup)
    n = count("workers", workers, minimum=2).astype(float)   # a measured run has whole workers
    return scalar_or_array((1.0 / s - 1.0 / n) / (1.0 - 1.0 / n))


@dataclass(frozen=True)
class AmdahlFit(Result):
    """Least-squares fit of Amdahl's law ``T(n) = a + b/n`` to measured times.

    Attributes
    ----------
    serial_fraction : float
        ``s = a / (a + b)`` (-).
    t1_s : float
        Fitted one-worker time ``a + b`` (s).
    serial_s : float
        ``a``, the time that does not shrink with workers (s).
    parallel_s : float
        ``b``, the time that divides by ``n`` (s).
    r_squared : float
        Coefficient of determination of the fit on the times (-); ≤ 1.
    rmse_s : float
        Root-mean-square residual (s).
    workers : tuple of float
        The worker counts the fit saw.
    times_s : tuple of float
        The measured times the fit saw (s).
    residuals_s : tuple of float
        Measured − fitted time per point (s).
    constrained : bool
        True when the unconstrained solution had ``a < 0`` or ``b < 0`` and the
        non-negative least-squares solution was used instead.

    See Also
    --------
    fit_amdahl : returns it.
    """

    serial_fraction: float
    t1_s: float
    serial_s: float
    parallel_s: float
    r_squared: float
    rmse_s: float
    workers: tuple[float, ...]
    times_s: tuple[float, ...]
    residuals_s: tuple[float, ...]
    constrained: bool

    @property
    def max_speedup(self) -> float:
        """The Amdahl ceiling ``1/s`` (``inf`` when ``s = 0``)."""
        return float("inf") if self.serial_fraction == 0 else 1.0 / self.serial_fraction

    def predict_s(self, workers: Any) -> Any:
        """Fitted time ``a + b/n`` (s) for ``workers`` (≥ 1, real or ``inf``)."""
        n = _workers_real("workers", workers, finite=False)
        return scalar_or_array(self.serial_s + self.parallel_s / n)

    def predict_seconds(self, workers: Any) -> Any:
        """Deprecated alias of :meth:`predict_s`; it warns and forwards."""
        import warnings

        warnings.warn("AmdahlFit.predict_seconds is deprecated; use AmdahlFit.predict_s",
                      DeprecationWarning, stacklevel=2)
        return self.predict_s(workers)

    def predict_speedup(self, workers: Any) -> Any:
        """Fitted speedup ``amdahl_speedup(serial_fraction, workers)``."""
        return amdahl_speedup(self.serial_fraction, workers)


def fit_amdahl(workers: Any, times_s: Any) -> AmdahlFit:
    r"""Fit Amdahl's law to measured run times by linear least squares.

    .. math:: T(n) = T_1\left(s + \frac{1 - s}{n}\right) = a + \frac{b}{n},
              \quad s = \frac{a}{a + b},\ T_1 = a + b

    The model is linear in ``x = 1/n``, so ordinary least squares on ``(1/n, T)`` fits it.
    Repeated measurements at the same ``n`` are simply more rows; each counts once. If the
    unconstrained line has a negative intercept or slope (super-linear data), the
    non-negative least-squares solution is returned and ``constrained`` is set.

    Parameters
    ----------
    workers : array_like
        ``n`` per measurement (≥ 1, finite); at least two distinct values.
    times_s : array_like
        Measured time per measurement (s; > 0, finite); same length as ``workers``.

    Returns
    -------
    AmdahlFit

    See Also
    --------
    amdahl_speedup : the law being fitted.
    karp_flatt : a per-point alternative to a single fitted s.

    References
    ----------
    G. M. Amdahl, AFIPS 1967 (the law). Lawson and Hanson, *Solving Least Squares
    Problems*, 1974, ch. 23 (non-negative least squares, as ``scipy.optimize.nnls``).

    Examples
    --------
    Times generated by Amdahl's law with ``T1 = 100 s`` and ``s = 0.1`` are fitted exactly:

    >>> n = [1, 2, 4, 8, 16]
    >>> t = [100 * (0.1 + 0.9 / k) for k in n]
    >>> fit = fit_amdahl(n, t)
    >>> round(fit.serial_fraction, 9), round(fit.t1_s, 6), round(fit.r_squared, 9)
    (0.1, 100.0, 1.0)
    """
    n = data_array("workers", workers, low=1.0, min_size=2)
    t = data_array("times_s", times_s, low=0.0, low_open=True, min_size=2)
    require(n.shape == t.shape, "times_s", times_s, f"must be as long as workers (len {n.size})")
    require(np.unique(n).size >= 2, "workers", workers,
            "needs at least two distinct worker counts to fit a line in 1/n")
    x = 1.0 / n
    design = np.column_stack([np.ones_like(x), x])
    (a, b), *_ = np.linalg.lstsq(design, t, rcond=None)
    constrained = bool(a < 0 or b < 0)
    if constrained:  # super-linear data: keep the physically meaningful a, b ≥ 0
        from scipy.optimize import nnls

        (a, b), _ = nnls(design, t)
    fitted = a + b * x
    resid = t - fitted
    ss_tot = float(np.sum((t - t.mean()) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
    return AmdahlFit(
        serial_fraction=float(a / (a + b)),
        t1_s=float(a + b),
        serial_s=float(a),
        parallel_s=float(b),
        r_squared=r2,
        rmse_s=float(np.sqrt(np.mean(resid**2))),
        workers=tuple(n.tolist()),
        times_s=tuple(t.tolist()),
        residuals_s=tuple(resid.tolist()),
        constrained=constrained,
    )
