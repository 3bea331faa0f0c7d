r"""Observability: the article's :math:`O = \{Metrics, Logs, Traces, Model\ signals, Data\ signals\}`.

Parts
-----
- Coverage of the five signal kinds the article lists.
- Service-level indicators computed from a request log: latency percentiles, error ratio,
  availability, share of requests under a latency threshold.
- Time series: events counted per bucket, the error ratio over a trailing window, and the
  SRE Workbook's multiwindow, multi-burn-rate alerts evaluated bucket by bucket.

The SLO arithmetic itself (error budgets, burn-rate thresholds) lives in
:mod:`infra_lab.reliability`; this module measures and alerts.

Sources
-------
- Beyer et al. (eds.), *Site Reliability Engineering*, O'Reilly 2016, ch. 4 "Service Level
  Objectives" (SLIs: latency percentiles, error rate, availability) and ch. 6 "Monitoring
  Distributed Systems" (the four golden signals).
- Beyer et al. (eds.), *The Site Reliability Workbook*, O'Reilly 2018, ch. 2 "Implementing
  SLOs" (SLI = good events / valid events) and ch. 5 "Alerting on SLOs".
- Hyndman, Fan, "Sample Quantiles in Statistical Packages", *The American Statistician*
  50(4), 1996 (definition 7 — numpy's default linear interpolation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from infra_lab._checks import count, data_array, positive, require, text
from infra_lab._results import Result
from infra_lab.reliability import burn_rate, multiwindow_alert_rules

__all__ = [
    "SIGNAL_KINDS", "ObservabilityCoverage", "observability_coverage",
    "latency_percentiles_ms", "RequestSLIs", "request_slis",
    "bucket_events", "rolling_error_ratio", "BurnRateAlerts", "evaluate_burn_rate_alerts",
]

#: The article's five kinds of signal, in its order.
SIGNAL_KINDS = ("metrics", "logs", "traces", "model_signals", "data_signals")


# ------------------------------------------------------------------ coverage
@dataclass(frozen=True)
class ObservabilityCoverage(Result):
    """Which of the article's five signal kinds a system collects.

    Attributes
    ----------
    covered : tuple of str
        Signal kinds present, in the article's order.
    missing : tuple of str
        Signal kinds absent.
    share : float
        ``len(covered) / 5``.

    See Also
    --------
    observability_coverage : returns it.
    """

    covered: tuple
    missing: tuple
    share: float


def observability_coverage(signals) -> ObservabilityCoverage:
    r"""Which of the article's five observability signal kinds are collected.

    .. math:: O = \{Metrics, Logs, Traces, Model\ signals, Data\ signals\},\quad
              coverage = |S \cap O| / |O|

    Parameters
    ----------
    signals : iterable of str
        Signal kinds collected, each one of ``metrics``, ``logs``, ``traces``,
        ``model_signals``, ``data_signals`` (repeats are ignored; may be empty).

    Returns
    -------
    ObservabilityCoverage

    See Also
    --------
    request_slis : the metrics a request log yields.

    References
    ----------
    The article, section "Monitoring, Observability, and Reliability" (Mathematical Lens:
    O = {Metrics, Logs, Traces, Model signals, Data signals}).

    Examples
    --------
    >>> cov = observability_coverage(["metrics", "logs"])
    >>> cov.missing, cov.share
    (('traces', 'model_signals', 'data_signals'), 0.4)
    """
    if isinstance(signals, (str, bytes)) or not hasattr(signals, "__iter__"):
        raise TypeError(f"signals={signals!r}: must be a list of signal kinds such as ['metrics', 'logs']")
    given = set()
    for item in signals:
        name = text("signals", item)
        require(name in SIGNAL_KINDS, "signals", item, f"each must be one of {', '.join(SIGNAL_KINDS)}")
        given.add(name)
    covered = tuple(k for k in SIGNAL_KINDS if k in given)
    missing = tuple(k for k in SIGNAL_KINDS if k not in given)
    return ObservabilityCoverage(covered, missing, len(covered) / len(SIGNAL_KINDS))


# ----------------------------------------------------------------------- SLIs
def latency_percentiles_ms(latencies_ms, percentiles=(50.0, 95.0, 99.0)) -> np.ndarray:
    r"""Latency percentiles of a request log, by linear interpolation between order statistics.

    .. math:: Q(p) = x_{(\lfloor h \rfloor)} + (h - \lfloor h \rfloor)(x_{(\lfloor h \rfloor + 1)} - x_{(\lfloor h \rfloor)}),
              \quad h = (n - 1)\,p/100 + 1

    Parameters
    ----------
    latencies_ms : array_like
        Latency of each request, ms; ≥ 0, at least one.
    percentiles : array_like, default (50, 95, 99)
        Percentiles to report, each in [0, 100].

    Returns
    -------
    ndarray
        One latency (ms) per percentile.

    See Also
    --------
    request_slis : percentiles together with error ratio and availability.

    References
    ----------
    Hyndman & Fan, "Sample Quantiles in Statistical Packages", *The American Statistician*
    50(4), 1996, Definition 7. Beyer et al., *Site Reliability Engineering*, 2016, ch. 4
    (report percentiles, not means).

    Examples
    --------
    >>> latency_percentiles_ms([10, 20, 30, 40, 50], [50, 90]).tolist()
    [30.0, 46.0]
    """
    x = data_array("latencies_ms", latencies_ms, low=0.0)
    p = data_array("percentiles", percentiles, low=0.0, high=100.0)
    return np.percentile(x, p)


@dataclass(frozen=True)
class RequestSLIs(Result):
    """Service-level indicators of a request log.

    Attributes
    ----------
    requests : int
        Requests in the log.
    errors : int
        Requests that failed.
    error_ratio : float
        ``errors / requests``.
    availability : float
        ``1 − error_ratio`` (the share of good requests).
    fast_request_share : float
        Share of *all* requests that succeeded within ``latency_threshold_ms``.
    p50_ms, p95_ms, p99_ms : float
        Latency percentiles of all requests, ms.

    See Also
    --------
    request_slis : returns it.
    """

    requests: int
    errors: int
    error_ratio: float
    availability: float
    fast_request_share: float
    p50_ms: float
    p95_ms: float
    p99_ms: float


def _errors_mask(errors, size: int, name: str = "errors") -> np.ndarray:
    if errors is None or isinstance(errors, (str, bytes, bool, np.bool_)):
        raise TypeError(f"{name}={errors!r}: must be an array of True/False, one per event")
    arr = np.asarray(errors)
    if arr.dtype.kind != "b":
        raise TypeError(f"{name}={errors!r:.80}: must be booleans (True marks a bad event), not {arr.dtype}")
    require(arr.shape == (size,), name, arr.shape, f"must have one value per event ({size})")
    return arr


def request_slis(latencies_ms, errors, latency_threshold_ms) -> RequestSLIs:
    r"""SLIs of a request log: error ratio, availability, latency SLI and percentiles.

    .. math:: availability = \frac{good}{valid},\quad
              fast = \frac{|\{i : ok_i \wedge t_i \le T\}|}{n}

    Parameters
    ----------
    latencies_ms : array_like
        Latency of each request, ms; ≥ 0, at least one.
    errors : array_like of bool
        ``True`` where the request failed; same length as ``latencies_ms``.
    latency_threshold_ms : float
        Latency SLO threshold T, ms; > 0.

    Returns
    -------
    RequestSLIs

    See Also
    --------
    latency_percentiles_ms : the percentiles alone.
    bucket_events : the same log counted per time bucket.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 2 "Implementing SLOs" (an SLI
    is the ratio of good events to valid events). Beyer et al., *Site Reliability
    Engineering*, 2016, ch. 4 "Service Level Objectives".

    Examples
    --------
    >>> s = request_slis([100, 120, 300, 90], [False, False, False, True], 200.0)
    >>> s.error_ratio, s.availability, s.fast_request_share
    (0.25, 0.75, 0.5)
    """
    x = data_array("latencies_ms", latencies_ms, low=0.0)
    bad = _errors_mask(errors, x.size)
    threshold = float(positive("latency_threshold_ms", latency_threshold_ms))
    n, k = int(x.size), int(bad.sum())
    fast_and_ok = int(np.sum(~bad & (x <= threshold)))
    p50, p95, p99 = np.percentile(x, [50.0, 95.0, 99.0])
    return RequestSLIs(n, k, k / n, 1.0 - k / n, fast_and_ok / n, float(p50), float(p95), float(p99))


# ---------------------------------------------------------------- time series
def bucket_events(times_s, bad, bucket_s) -> pd.DataFrame:
    r"""Count events and bad events per time bucket (the input of burn-rate alerting).

    .. math:: N_k = |\{i : \lfloor (t_i - t_0)/\Delta \rfloor = k\}|,\quad
              B_k = |\{i \in N_k : bad_i\}|

    Parameters
    ----------
    times_s : array_like
        Event times, seconds from any origin; finite, at least one.
    bad : array_like of bool
        ``True`` for a bad event; same length as ``times_s``.
    bucket_s : float
        Bucket width Δ, seconds; > 0.

    Returns
    -------
    pandas.DataFrame
        ``bucket_start_s`` (from the first event), ``total_events``, ``bad_events`` — every
        bucket from the first to the last event, empty ones included.

    See Also
    --------
    rolling_error_ratio : the error ratio over a trailing window of buckets.
    evaluate_burn_rate_alerts : alerts on the bucketed series.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs" (alerts
    evaluate good and total event counts over windows).

    Examples
    --------
    >>> bucket_events([0, 10, 65, 70], [False, True, False, False], 60.0)["bad_events"].tolist()
    [1, 0]
    """
    t = data_array("times_s", times_s)
    mask = _errors_mask(bad, t.size, "bad")
    width = float(positive("bucket_s", bucket_s))
    index = np.floor((t - t.min()) / width)
    require(index.max() < 1e7, "bucket_s", bucket_s, "makes more than 10 million buckets; use a wider bucket")
    idx = index.astype(np.int64)
    n_buckets = int(idx.max()) + 1
    total = np.bincount(idx, minlength=n_buckets)
    bad_counts = np.bincount(idx, weights=mask.astype(float), minlength=n_buckets).astype(np.int64)
    return pd.DataFrame({"bucket_start_s": np.arange(n_buckets) * width, "total_events": total,
                         "bad_events": bad_counts})


def rolling_error_ratio(bad_events, total_events, window_buckets) -> np.ndarray:
    r"""Error ratio over a trailing window of buckets (the current bucket included).

    .. math:: e_k = \frac{\sum_{j=k-w+1}^{k} B_j}{\sum_{j=k-w+1}^{k} N_j}

    A window with no events has no errors: its ratio is 0. The first ``w − 1`` buckets use
    the shorter history that exists.

    Parameters
    ----------
    bad_events : array_like
        Bad events per bucket, ≥ 0.
    total_events : array_like
        All events per bucket, ≥ ``bad_events``; same length.
    window_buckets : int
        Window length w in buckets, ≥ 1.

    Returns
    -------
    ndarray

    See Also
    --------
    bucket_events : makes the per-bucket counts.
    evaluate_burn_rate_alerts : burn rates of two windows at once.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs"
    (error ratio over the alert window).

    Examples
    --------
    >>> rolling_error_ratio([0, 2, 0, 0], [10, 10, 10, 10], 2).tolist()
    [0.0, 0.1, 0.1, 0.0]
    """
    b = data_array("bad_events", bad_events, low=0.0)
    n = data_array("total_events", total_events, low=0.0)
    require(b.shape == n.shape, "bad_events", b.shape, f"must have the same length as total_events ({n.size})")
    require(b <= n, "bad_events", bad_events, "must be ≤ total_events in every bucket")
    w = int(count("window_buckets", window_buckets, minimum=1))
    cb = np.concatenate([[0.0], np.cumsum(b)])
    cn = np.concatenate([[0.0], np.cumsum(n)])
    k = np.arange(1, b.size + 1)
    start = np.maximum(k - w, 0)
    bad_w, tot_w = cb[k] - cb[start], cn[k] - cn[start]
    return np.divide(bad_w, tot_w, out=np.zeros_like(bad_w), where=tot_w > 0)


@dataclass(frozen=True)
class BurnRateAlerts(Result):
    """Multiwindow, multi-burn-rate alerts evaluated over a bucketed series.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per bucket: ``bucket``, ``error_ratio``, and for each rule *i* (0-based,
        rows of ``rules``) ``long_burn_i``, ``short_burn_i`` and ``firing_i``; then ``page``
        and ``ticket`` (any rule of that severity firing).
    rules : pandas.DataFrame
        The rules evaluated (:func:`infra_lab.reliability.multiwindow_alert_rules`).
    page_buckets : int
        Buckets in which a page fires.
    ticket_buckets : int
        Buckets in which a ticket fires.
    budget_consumed_fraction : float
        Bad events over the whole series divided by the error budget of its events.

    See Also
    --------
    evaluate_burn_rate_alerts : returns it.
    """

    table: pd.DataFrame
    rules: pd.DataFrame
    page_buckets: int
    ticket_buckets: int
    budget_consumed_fraction: float


def evaluate_burn_rate_alerts(bad_events, total_events, bucket_minutes, slo, period_days=30.0) -> BurnRateAlerts:
    r"""Evaluate the SRE Workbook's multiwindow, multi-burn-rate alerts on a bucketed series.

    .. math:: fire_k = burn_{long}(k) > b^* \wedge burn_{short}(k) > b^*,\quad
              burn(k) = e_k / (1 - SLO)

    For each rule of :func:`infra_lab.reliability.multiwindow_alert_rules`, the long and
    short windows are rounded to whole buckets (at least one). Before a window has filled,
    its error ratio uses the history there is (as a query over the last *w* hours of a
    series that started later does), so a short series can trip the slow ticket rule.

    Parameters
    ----------
    bad_events : array_like
        Bad events per bucket, ≥ 0.
    total_events : array_like
        All events per bucket, ≥ ``bad_events``; same length.
    bucket_minutes : float
        Bucket width, minutes; > 0 and ≤ 300 (the short windows are 5 and 30 minutes).
    slo : float
        Target share of good events, in [0, 1).
    period_days : float, default 30.0
        SLO period, days; ≥ 3.

    Returns
    -------
    BurnRateAlerts

    See Also
    --------
    rolling_error_ratio : the window error ratio.
    infra_lab.reliability.burn_rate : burn from an error ratio.

    References
    ----------
    Beyer et al., *The Site Reliability Workbook*, 2018, ch. 5 "Alerting on SLOs", section
    "Multiwindow, Multi-Burn-Rate Alerts".

    Examples
    --------
    A 2 % error ratio (burn rate 20) starting at bucket 24, against a 99.9 % SLO, in
    5-minute buckets: the 1-hour window crosses 14.4 after 60 × 14.4 / 20 = 43.2 minutes,
    so the page fires in the ninth bad bucket (bucket 32):

    >>> bad = [0] * 24 + [20] * 24 + [0] * 24
    >>> alerts = evaluate_burn_rate_alerts(bad, [1000] * 72, 5.0, 0.999)
    >>> int(alerts.table["page"].to_numpy().argmax())
    32
    """
    b = data_array("bad_events", bad_events, low=0.0)
    n = data_array("total_events", total_events, low=0.0)
    width = float(positive("bucket_minutes", bucket_minutes))
    require(width <= 300.0, "bucket_minutes", bucket_minutes, "must be ≤ 300 (the short windows are 5 and 30 min)")
    rules = multiwindow_alert_rules(slo, period_days)
    s = float(slo)
    require(b.shape == n.shape, "bad_events", b.shape, f"must have the same length as total_events ({n.size})")
    table = pd.DataFrame({"bucket": np.arange(b.size), "error_ratio": rolling_error_ratio(b, n, 1)})
    page = np.zeros(b.size, dtype=bool)
    ticket = np.zeros(b.size, dtype=bool)
    for i, rule in rules.iterrows():
        burns = []
        for col in ("long_window_hours", "short_window_hours"):
            w = max(1, int(round(rule[col] * 60.0 / width)))
            burns.append(np.asarray(burn_rate(rolling_error_ratio(b, n, w), s), dtype=float))
        firing = (burns[0] > rule["burn_rate_threshold"]) & (burns[1] > rule["burn_rate_threshold"])
        table[f"long_burn_{i}"], table[f"short_burn_{i}"], table[f"firing_{i}"] = burns[0], burns[1], firing
        if rule["severity"] == "page":
            page |= firing
        else:
            ticket |= firing
    table["page"], table["ticket"] = page, ticket
    total = n.sum()
    consumed = float(b.sum() / ((1.0 - s) * total)) if total > 0 else 0.0
    return BurnRateAlerts(table, rules, int(page.sum()), int(ticket.sum()), consumed)
