r"""Composition of independent components: series, parallel, k-of-n, retries and retry amplification.

:math:`Reliability = 1 - P(Failure)`: components that must all work multiply, redundant ones
fail only together, a quorum follows the binomial sum, and retries are redundancy in time.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from infra_lab._checks import count, count_result, data_array, fraction, require, scalar_or_array

__all__ = ["series_reliability", "parallel_reliability", "k_of_n_reliability", "retry_success_probability",
           "retries_for_target", "retry_amplification"]


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
