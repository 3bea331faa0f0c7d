r"""Abuse controls: a token-bucket rate limiter for inference traffic, and a data-poisoning screen.

The token bucket admits at most :math:`b + r\,\tau` requests in any interval of length
:math:`\tau` — a burst of ``burst`` and then the refill rate — so one abusive client cannot
take the capacity sized for everyone (one bucket per client).

The poisoning screen compares a candidate training batch with a trusted reference: the share
of feature outliers (modified z-score) and the share of positive labels (a label-flip attack
moves it), each with an exact test, so a screen at level ``alpha`` flags a clean batch
rarely.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from infra_lab._checks import count, data_array, fraction, positive, require
from infra_lab._results import Result

__all__ = ["RateLimitResult", "token_bucket", "PoisoningScreen", "poisoning_screen"]


@dataclass(frozen=True)
class RateLimitResult(Result):
    """Which requests a token bucket admitted.

    Attributes
    ----------
    admitted : ndarray of bool
        One flag per request, in input order.
    admitted_count : int
        Requests admitted.
    rejected_count : int
        Requests refused (HTTP 429 in practice).
    admitted_share : float
        ``admitted_count / requests``.
    per_client : pandas.DataFrame
        ``client``, ``requests``, ``admitted``, ``rejected``, ``admitted_share`` (one row
        per client; a single row ``"all"`` without clients).

    See Also
    --------
    token_bucket : returns it.
    """

    admitted: np.ndarray
    admitted_count: int
    rejected_count: int
    admitted_share: float
    per_client: pd.DataFrame


def _bucket(times: np.ndarray, rate: float, burst: int) -> np.ndarray:
    # Sequential by nature: each decision depends on the tokens the previous ones left.
    admitted = np.zeros(times.size, dtype=bool)
    tokens, last = float(burst), times[0] if times.size else 0.0
    for i, t in enumerate(times):
        tokens = min(float(burst), tokens + rate * (t - last))
        last = t
        if tokens >= 1.0:
            tokens -= 1.0
            admitted[i] = True
    return admitted


def token_bucket(arrival_times_s, refill_rate_per_s, burst, clients=None) -> RateLimitResult:
    r"""Admit or refuse each request with a token bucket (one bucket per client).

    .. math:: \tau_k = \min(b, \tau_{k-1} + r (t_k - t_{k-1})),\quad
              admit_k \iff \tau_k \ge 1\ (\text{then } \tau_k \leftarrow \tau_k - 1);
              \quad A(t, t + \Delta) \le b + r \Delta

    The bucket starts full.

    Parameters
    ----------
    arrival_times_s : array_like
        Request times, seconds, non-decreasing; at least one.
    refill_rate_per_s : float
        Tokens added per second r (the sustained request rate allowed); > 0.
    burst : int
        Bucket capacity b (the largest burst admitted at once), ≥ 1.
    clients : array_like or None, default None
        A client label per request (same length); each client gets its own bucket.

    Returns
    -------
    RateLimitResult

    See Also
    --------
    poisoning_screen : the other abuse control of this module.

    References
    ----------
    Tanenbaum & Wetherall, *Computer Networks*, 5th ed., 2011, §5.4.2 "Traffic Shaping"
    (the token bucket). Heinanen & Guerin, RFC 2697 "A Single Rate Three Color Marker",
    1999, §3 (metering with a committed rate and burst size).

    Examples
    --------
    Ten requests at once against a bucket of 3 that refills 1 per second: 3 pass, then one
    per second:

    >>> res = token_bucket([0] * 10 + [1.0, 2.0], refill_rate_per_s=1.0, burst=3)
    >>> res.admitted_count, res.rejected_count
    (5, 7)
    """
    t = data_array("arrival_times_s", arrival_times_s)
    require(np.all(np.diff(t) >= 0), "arrival_times_s", arrival_times_s, "must be sorted (non-decreasing)")
    rate = float(positive("refill_rate_per_s", refill_rate_per_s))
    b = int(count("burst", burst, minimum=1))
    if clients is None:
        labels = np.array(["all"] * t.size, dtype=object)
    else:
        if isinstance(clients, (str, bytes)) or np.ndim(clients) != 1:
            raise TypeError(f"clients={clients!r:.60}: must be a 1-D array of client labels or None")
        labels = np.asarray(clients, dtype=object)
        require(labels.size == t.size, "clients", labels.size, f"must have one label per request ({t.size})")
        require(not pd.isna(pd.Series(labels)).any(), "clients", "missing", "must not contain missing labels")
    admitted = np.zeros(t.size, dtype=bool)
    rows = []
    # sort=False: labels of mixed types (3 and "a") cannot be ordered, and need not be.
    for client, idx in pd.Series(np.arange(t.size)).groupby(labels, sort=False):
        positions = idx.to_numpy()
        ok = _bucket(t[positions], rate, b)
        admitted[positions] = ok
        rows.append({"client": client, "requests": ok.size, "admitted": int(ok.sum()),
                     "rejected": int(ok.size - ok.sum()), "admitted_share": float(ok.mean())})
    n_ok = int(admitted.sum())
    return RateLimitResult(admitted, n_ok, int(t.size - n_ok), n_ok / t.size, pd.DataFrame(rows))


@dataclass(frozen=True)
class PoisoningScreen(Result):
    """Outlier and label-share evidence that a candidate batch differs from the reference.

    Attributes
    ----------
    reference_outlier_share : float
        Share of reference values with modified z-score above the threshold.
    candidate_outlier_share : float
        The same share in the candidate batch (scored against the reference).
    outlier_pvalue : float
        One-sided Fisher exact test: does the candidate have more outliers?
    reference_positive_share : float
        Share of label 1 in the reference.
    candidate_positive_share : float
        Share of label 1 in the candidate.
    label_pvalue : float
        Two-sided Fisher exact test of equal label shares (a label flip moves it either way).
    flagged : bool
        Either p-value below ``alpha``.

    See Also
    --------
    poisoning_screen : returns it.
    """

    reference_outlier_share: float
    candidate_outlier_share: float
    outlier_pvalue: float
    reference_positive_share: float
    candidate_positive_share: float
    label_pvalue: float
    flagged: bool


def _labels(name: str, values) -> np.ndarray:
    y = data_array(name, values, low=0.0, high=1.0)
    require(np.all((y == 0) | (y == 1)), name, values, "must be binary labels (0 or 1)")
    return y


def poisoning_screen(reference_values, candidate_values, reference_labels, candidate_labels,
                     z_threshold=3.5, alpha=0.01) -> PoisoningScreen:
    r"""Screen a candidate training batch for poisoning against a trusted reference.

    .. math:: M_i = \frac{0.6745\,(x_i - \tilde x_{ref})}{MAD_{ref}},\quad outlier \iff |M_i| > z

    Outlier shares and positive-label shares of the two batches are compared with Fisher's
    exact test; the batch is flagged when either p-value is below ``alpha``. A screen, not a
    proof: a careful attacker stays inside the reference's range.

    Parameters
    ----------
    reference_values : array_like
        A feature's values in the trusted reference; at least 3, with MAD > 0.
    candidate_values : array_like
        The same feature in the candidate batch; at least 1.
    reference_labels : array_like
        Binary labels (0/1) of the reference; at least 1.
    candidate_labels : array_like
        Binary labels (0/1) of the candidate; at least 1.
    z_threshold : float, default 3.5
        Modified z-score above which a value is an outlier; > 0.
    alpha : float, default 0.01
        Significance level of each test, in (0, 1).

    Returns
    -------
    PoisoningScreen

    See Also
    --------
    token_bucket : abuse at inference time rather than training time.
    infra_lab.quality.population_stability_index : drift of a whole distribution.

    References
    ----------
    NIST/SEMATECH *e-Handbook of Statistical Methods*, §1.3.5.17 "Detection of Outliers"
    (Iglewicz & Hoaglin's modified z-score, threshold 3.5). Agresti, *Categorical Data
    Analysis*, 3rd ed., ch. 3 (Fisher's exact test).

    Examples
    --------
    A batch with 10 % of labels flipped to 1 and a few extreme values is flagged:

    >>> rng = np.random.default_rng(0)
    >>> ref_x, ref_y = rng.normal(size=2000), (rng.random(2000) < 0.2).astype(int)
    >>> cand_x = np.r_[rng.normal(size=980), np.full(20, 9.0)]
    >>> cand_y = (rng.random(1000) < 0.3).astype(int)
    >>> poisoning_screen(ref_x, cand_x, ref_y, cand_y).flagged
    True
    """
    ref = data_array("reference_values", reference_values, min_size=3)
    cand = data_array("candidate_values", candidate_values)
    ref_y = _labels("reference_labels", reference_labels)
    cand_y = _labels("candidate_labels", candidate_labels)
    z = float(positive("z_threshold", z_threshold))
    a = float(fraction("alpha", alpha, low_open=True, high_open=True))
    median = np.median(ref)
    mad = np.median(np.abs(ref - median))
    require(mad > 0, "reference_values", reference_values,
            "has a median absolute deviation of 0 (over half the values are equal); the modified z-score is undefined")
    with np.errstate(over="ignore"):
        ref_out = np.abs(0.6745 * (ref - median) / mad) > z
        cand_out = np.abs(0.6745 * (cand - median) / mad) > z
    k_ref, k_cand = int(ref_out.sum()), int(cand_out.sum())
    p_out = stats.fisher_exact([[k_cand, cand.size - k_cand], [k_ref, ref.size - k_ref]], alternative="greater").pvalue
    pos_ref, pos_cand = int(ref_y.sum()), int(cand_y.sum())
    p_lab = stats.fisher_exact([[pos_cand, cand_y.size - pos_cand], [pos_ref, ref_y.size - pos_ref]]).pvalue
    return PoisoningScreen(k_ref / ref.size, k_cand / cand.size, float(p_out), pos_ref / ref_y.size,
                           pos_cand / cand_y.size, float(p_lab), bool(p_out < a or p_lab < a))
