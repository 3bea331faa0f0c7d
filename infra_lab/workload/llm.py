r"""LLM serving capacity on a real trace, from measured prefill and decode times.

* :func:`normalize_trace` — arrivals and token counts of the Azure and Mooncake traces in
  one schema;
* :func:`llm_service_demand` — GPU time per request under continuous batching
  (:class:`LLMDemand`);
* :func:`llm_replicas_for_slo` — fewest replicas meeting TTFT and TPOT SLOs
  (:class:`LLMPlan`).

The step times come from :mod:`infra_lab.workload.steps`.

>>> from infra_lab.datasets import load_h200_llm_prefill, load_h200_llm_decode
>>> d = llm_service_demand([1024], [100], load_h200_llm_prefill(), load_h200_llm_decode(), batch=1)
>>> round(d.capacity_rps, 2)
1.76
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np
import pandas as pd

from .. import serving
from .._checks import (count, data_array, finite_result, fraction, frame, no_missing, nonnegative, number,
                       option, positive, require)
from .._results import Result
from .steps import DECODE_COLUMNS, KV_BYTES_PER_TOKEN_7B, decode_step_ms, prefill_ms

__all__ = ["LLMDemand", "LLMPlan", "normalize_trace", "llm_service_demand", "llm_replicas_for_slo"]

# Trace schemas: (time column, input-token column, output-token column).
_SCHEMAS = {
    "azure": ("TIMESTAMP", "ContextTokens", "GeneratedTokens"),
    "mooncake": ("timestamp_ms", "input_tokens", "output_tokens"),
    "course": ("arrival_s", "input_tokens", "output_tokens"),
}


# ---------------------------------------------------------------------------------- traces
def _schema(trace: pd.DataFrame) -> tuple[str, str, str, str]:
    for kind, cols in _SCHEMAS.items():
        if set(cols) <= set(trace.columns):
            return (kind, *cols)
    raise ValueError(f"trace has columns {list(trace.columns)}; expected the Azure (TIMESTAMP, "
                     "ContextTokens, GeneratedTokens), Mooncake (timestamp_ms, input_tokens, "
                     "output_tokens) or (arrival_s, input_tokens, output_tokens) schema")


def normalize_trace(trace: pd.DataFrame) -> pd.DataFrame:
    r"""Arrivals and token counts of an LLM trace in one schema.

    .. math:: t_i = \tau_i - \min_j \tau_j \quad (\text{seconds; sorted by } t_i)

    Recognises the Azure LLM traces (``TIMESTAMP``, ``ContextTokens``,
    ``GeneratedTokens``), the Mooncake trace (``timestamp_ms``, ``input_tokens``,
    ``output_tokens``) and the course's own schema (``arrival_s``, ``input_tokens``,
    ``output_tokens``). A missing value anywhere in those columns is **refused** with its
    row (a single NaN would otherwise shift every arrival or poison every sum): drop or
    fill such rows first.

    Parameters
    ----------
    trace : DataFrame
        At least one request, in one of the three schemas; times finite, input tokens
        whole numbers ≥ 0, output tokens whole numbers ≥ 1, no missing values.

    Returns
    -------
    DataFrame
        ``arrival_s`` (s from the first arrival, sorted), ``input_tokens``,
        ``output_tokens`` (floats).

    See Also
    --------
    llm_replicas_for_slo : sizes a fleet for a normalised trace.
    arrival_times_s : the same time conversion for a bare column of timestamps.

    References
    ----------
    Azure LLM inference traces 2023: Patel et al., "Splitwise: Efficient generative LLM
    inference using phase splitting", ISCA 2024 (data/SOURCES.md, §1). Mooncake trace: Qin
    et al., "Mooncake: A KVCache-centric Disaggregated Architecture for LLM Serving", 2024,
    published as "Mooncake: Trading More Storage for Less Computation — A KVCache-centric
    Architecture for Serving LLM Chatbot", USENIX FAST 2025 (data/SOURCES.md, §2).

    Examples
    --------
    >>> normalize_trace(pd.DataFrame({"timestamp_ms": [1500, 500], "input_tokens": [10, 20],
    ...                               "output_tokens": [1, 2]})).values.tolist()
    [[0.0, 20.0, 2.0], [1.0, 10.0, 1.0]]
    """
    frame("trace", trace)
    kind, t_col, in_col, out_col = _schema(trace)
    no_missing("trace", trace, [t_col, in_col, out_col])
    if kind == "azure":
        try:
            t = pd.to_datetime(trace[t_col])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"trace[{t_col!r}]: must hold date-times ({exc})") from None
        sec = (t - t.min()).dt.total_seconds().to_numpy()
    else:
        sec = data_array(f"trace[{t_col!r}]", trace[t_col])
        sec = sec / 1000.0 if kind == "mooncake" else sec
    inp = data_array(f"trace[{in_col!r}]", trace[in_col], low=0)
    out = data_array(f"trace[{out_col!r}]", trace[out_col], low=1)
    count(f"trace[{in_col!r}]", inp)
    count(f"trace[{out_col!r}]", out, minimum=1)
    df = pd.DataFrame({"arrival_s": sec - np.min(sec), "input_tokens": inp, "output_tokens": out})
    return df.sort_values("arrival_s", kind="stable").reset_index(drop=True)


# -------------------------------------------------------------------------------- demand
@dataclass(frozen=True)
class LLMDemand(Result):
    """Per-request service demand of an LLM trace on one replica.

    Attributes
    ----------
    batch : int
        Concurrent sequences per replica (B).
    mode : str
        Decode timing mode (``cuda_graph`` or ``eager``).
    mean_context_tokens : float
        Token-weighted mean context a decode step sees (tokens).
    decode_step_ms : float
        Step time at batch B and that context (ms).
    prefill_s : numpy.ndarray
        Per request: prefill time (s).
    decode_s : numpy.ndarray
        Per request: output tokens × step time (s).
    gpu_s : numpy.ndarray
        GPU time a request costs: prefill + output × step / B (s).
    capacity_rps : float
        Requests/s one replica sustains: 1 / mean(gpu_s).

    See Also
    --------
    llm_service_demand : returns it.
    """

    batch: int
    mode: str
    mean_context_tokens: float
    decode_step_ms: float
    prefill_s: np.ndarray
    decode_s: np.ndarray
    gpu_s: np.ndarray
    capacity_rps: float


def llm_service_demand(input_tokens: Any, output_tokens: Any, prefill_table: pd.DataFrame,
                       decode_table: pd.DataFrame, batch: int, mode: str = "cuda_graph",
                       context_tokens: float | None = None) -> LLMDemand:
    r"""Service demand of LLM requests on one replica under continuous batching.

    The approximation (iteration-level scheduling as in Orca and vLLM):

    * a replica keeps up to :math:`B` sequences in flight; each decode step emits one
      token for each of them and takes :math:`s(B, \bar L)` from :func:`decode_step_ms`
      at batch :math:`B` and the mean context :math:`\bar L` (the batch is assumed full);
    * :math:`\bar L = \sum_i o_i (p_i + o_i/2) / \sum_i o_i` — a sequence stays for
      :math:`o_i` steps while its context grows from :math:`p_i` to :math:`p_i + o_i`, so
      this is the context averaged over all decode steps;
    * prefill runs one prompt at a time and pauses decoding (no chunked prefill; the
      interference Splitwise removes by splitting phases): time :math:`P(p_i)` from
      :func:`prefill_ms`;
    * a request costs GPU time :math:`g_i = P(p_i) + o_i\,s/B`; a replica sustains

    .. math:: \mu = 1 / \overline{g} \quad \text{requests/s}.

    Parameters
    ----------
    input_tokens : array_like
        Prompt tokens :math:`p_i` per request; ≥ 0 and finite, at least one request.
    output_tokens : array_like
        Generated tokens :math:`o_i` per request; ≥ 1 and finite, as many as
        ``input_tokens``.
    prefill_table : DataFrame
        ``load_h200_llm_prefill()`` (see :func:`prefill_ms`).
    decode_table : DataFrame
        ``load_h200_llm_decode()`` (see :func:`decode_step_ms`).
    batch : int
        B, a whole number ≥ 1.
    mode : {"cuda_graph", "eager"}, default "cuda_graph"
        Decode timing mode.
    context_tokens : float, optional
        Override :math:`\bar L` (tokens, ≥ 1 and finite).

    Returns
    -------
    LLMDemand

    See Also
    --------
    llm_replicas_for_slo : sizes a fleet from this demand.
    decode_step_ms : the step time it uses.
    prefill_ms : the prefill time it uses.

    References
    ----------
    Yu et al., "Orca: A Distributed Serving System for Transformer-Based Generative
    Models", OSDI 2022 (iteration-level scheduling); Kwon et al., "Efficient Memory
    Management for Large Language Model Serving with PagedAttention" (vLLM), SOSP 2023,
    Section 2 (autoregressive generation and batching); Patel et al., Splitwise, ISCA 2024,
    Section II (prefill and decode phases).

    Examples
    --------
    >>> from infra_lab.datasets import load_h200_llm_prefill, load_h200_llm_decode
    >>> d = llm_service_demand([1024], [100], load_h200_llm_prefill(), load_h200_llm_decode(), batch=1)
    >>> round(d.mean_context_tokens), round(d.capacity_rps, 2)
    (1074, 1.76)
    """
    p = data_array("input_tokens", input_tokens, low=0, ndim=None).ravel()
    o = data_array("output_tokens", output_tokens, low=1, ndim=None).ravel()
    require(p.size == o.size, "output_tokens", output_tokens,
            f"must have as many values as input_tokens ({p.size}); got {o.size}")
    b = int(count("batch", batch, minimum=1))
    mode = option("mode", mode, list(DECODE_COLUMNS))
    if context_tokens is None:
        ctx = float(np.sum(o * (p + o / 2.0)) / np.sum(o))
    else:
        ctx = float(number("context_tokens", context_tokens, low=1, unit="tokens"))
    step_ms = float(decode_step_ms(b, ctx, decode_table, mode))
    pre = np.asarray(prefill_ms(p, prefill_table), dtype=float) / 1e3
    dec = o * step_ms / 1e3
    gpu = pre + dec / b
    return LLMDemand(batch=b, mode=mode, mean_context_tokens=ctx, decode_step_ms=step_ms,
                     prefill_s=pre, decode_s=dec, gpu_s=gpu,
                     capacity_rps=float(finite_result("capacity_rps", 1.0 / gpu.mean(),
                                                      "every request takes no GPU time")))


# ---------------------------------------------------------------------------------- plan
@dataclass(frozen=True)
class LLMPlan(Result):
    """Replicas an LLM trace needs for TTFT and TPOT SLOs.

    Attributes
    ----------
    feasible : bool
        Whether some replica count up to ``max_replicas`` meets both SLOs.
    replicas : int or None
        Fewest replicas meeting both SLOs (None if infeasible).
    batch : int or None
        Batch (concurrent sequences per replica) at that count (None if infeasible).
    decode_step_ms : float
        Decode step at that batch (ms; NaN if infeasible).
    tpot_ms : float
        Time per output token, the step stretched by prefills (ms; NaN if infeasible).
    ttft_quantile_s : float
        The ``percentile`` of time to first token (s; NaN if infeasible).
    utilization : float
        Arrival rate / (replicas × μ) (NaN if infeasible).
    percentile : float
        The TTFT quantile held to the SLO.
    arrival_rate_rps : float
        Mean arrival rate of the trace (requests/s).
    search : DataFrame
        Every (replicas, batch) evaluated: ``decode_step_ms``, ``tpot_ms``,
        ``ttft_quantile_s`` (inf where the configuration is overloaded: its queue grows
        without bound), ``utilization``, ``meets``.

    See Also
    --------
    llm_replicas_for_slo : returns it.
    """

    feasible: bool
    replicas: int | None
    batch: int | None
    decode_step_ms: float
    tpot_ms: float
    ttft_quantile_s: float
    utilization: float
    percentile: float
    arrival_rate_rps: float
    search: pd.DataFrame


def _batches(batches: Any) -> list[int]:
    if isinstance(batches, (str, bytes)) or not hasattr(batches, "__len__"):
        raise TypeError(f"batches={batches!r}: must be a sequence of whole numbers ≥ 1, e.g. (1, 8, 64)")
    require(len(batches) > 0, "batches", batches, "must list at least one batch size")
    arr = count("batches", list(batches), minimum=1)
    return sorted({int(b) for b in np.ravel(arr)}, reverse=True)


def llm_replicas_for_slo(
    trace: pd.DataFrame,
    ttft_slo_s: float,
    tpot_slo_s: float,
    prefill_table: pd.DataFrame,
    decode_table: pd.DataFrame,
    percentile: float = 0.99,
    mode: str = "cuda_graph",
    batches: Sequence[int] = (1, 2, 4, 8, 16, 32, 64, 128),
    max_replicas: int = 64,
    memory_bytes: float | None = 141e9,
    bytes_per_param: float = 2.0,
    kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B,
) -> LLMPlan:
    r"""Fewest H200 replicas that serve a real trace within TTFT and TPOT SLOs.

    For :math:`n = 1, 2, \dots` replicas (each with arrival rate :math:`\lambda/n`):

    1. **TPOT** (time per output token) of a batch :math:`B` is the decode step stretched
       by the prefills that pause it:

       .. math:: TPOT = s(B, \bar L) / (1 - \lambda \bar P / n)

       (:func:`llm_service_demand`). TPOT ≤ SLO caps the batch; the largest feasible
       :math:`B` in ``batches`` is used (more slots, less queueing).
    2. **TTFT** (time to first token) = wait for a free slot + prefill. The wait comes
       from ``infra_lab.serving.simulate_queue`` replaying the trace's **real arrival
       times** on :math:`n B` slots (one shared queue: an ideal load balancer) with
       service time :math:`P(p_i) + o_i \cdot TPOT`.
    3. The plan meets the SLO when the ``percentile`` of TTFT ≤ ``ttft_slo_s``.

    Memory caps the batch too: weights plus the KV cache of :math:`B` sequences at the
    mean context (``decode_step_bytes``) must fit in ``memory_bytes`` (an H200 has
    141 GB of HBM3e; real servers also keep activations and fragmentation headroom, so
    this is optimistic). The model size comes from the ``params`` column of
    ``decode_table``.

    Configurations whose GPU time exceeds capacity (:math:`\lambda \bar g / n \ge 1`) or
    whose slots are overloaded (:math:`\lambda\,\overline{R} / (nB) \ge 1`) are skipped.
    Replica counts too small for any batch to meet the TPOT SLO are skipped without a row.

    Parameters
    ----------
    trace : DataFrame
        Any schema :func:`normalize_trace` reads (Azure, Mooncake, course), at least 2
        requests spanning a positive time.
    ttft_slo_s : float
        TTFT SLO (s); > 0 and finite.
    tpot_slo_s : float
        TPOT SLO (s per output token); > 0 and finite.
    prefill_table : DataFrame
        ``load_h200_llm_prefill()``.
    decode_table : DataFrame
        ``load_h200_llm_decode()``; needs a ``params`` column when ``memory_bytes`` is set.
    percentile : float, default 0.99
        TTFT quantile held to the SLO, in (0, 1).
    mode : {"cuda_graph", "eager"}, default "cuda_graph"
        Decode timing mode.
    batches : sequence of int, default (1, 2, 4, 8, 16, 32, 64, 128)
        Candidate batch sizes, whole numbers ≥ 1, at least one.
    max_replicas : int, default 64
        Search limit, a whole number ≥ 1.
    memory_bytes : float or None, default 141e9
        Accelerator memory (bytes), > 0 and finite; None disables the memory cap.
    bytes_per_param : float, default 2.0
        Bytes per weight; > 0 and finite.
    kv_bytes_per_token : float, default 524288
        KV-cache bytes per token; ≥ 0 and finite.

    Returns
    -------
    LLMPlan

    See Also
    --------
    llm_service_demand : the per-request GPU time behind the plan.
    infra_lab.serving.replicas_for_slo : the same question for an M/M/c model.

    References
    ----------
    TTFT/TPOT as serving objectives and the phase interference: Patel et al., Splitwise,
    ISCA 2024, Section II; Zhong et al., "DistServe: Disaggregating Prefill and Decoding
    for Goodput-optimized Large Language Model Serving", OSDI 2024. Trace-driven
    multi-server queue: Gross et al., *Fundamentals of Queueing Theory*, 4th ed., §2.3
    (the M/M/c model it generalises).

    Examples
    --------
    >>> from infra_lab.datasets import load_h200_llm_prefill, load_h200_llm_decode
    >>> tr = pd.DataFrame({"arrival_s": np.arange(200) * 0.5, "input_tokens": 1000,
    ...                    "output_tokens": 100})
    >>> plan = llm_replicas_for_slo(tr, 1.0, 0.050, load_h200_llm_prefill(), load_h200_llm_decode())
    >>> plan.replicas, plan.batch
    (1, 128)
    """
    req = normalize_trace(trace)
    ttft = float(positive("ttft_slo_s", ttft_slo_s, unit="s"))
    tpot_slo_ms = 1e3 * float(positive("tpot_slo_s", tpot_slo_s, unit="s"))
    q = float(fraction("percentile", percentile, low_open=True, high_open=True))
    mode = option("mode", mode, list(DECODE_COLUMNS))
    cand = _batches(batches)
    n_max = int(count("max_replicas", max_replicas, minimum=1))
    bp = float(positive("bytes_per_param", bytes_per_param, unit="bytes"))
    kv = float(nonnegative("kv_bytes_per_token", kv_bytes_per_token, unit="bytes"))
    mem = None if memory_bytes is None else float(positive("memory_bytes", memory_bytes, unit="bytes"))
    if mem is not None:
        frame("decode_table", decode_table, ["params"])
        params = float(data_array("decode_table['params']", decode_table["params"], low=0, low_open=True)[0])
    arrivals = req["arrival_s"].to_numpy()
    duration = arrivals[-1] - arrivals[0]
    require(duration > 0, "trace", trace, "arrivals must span a positive time (≥ 2 distinct times)")
    lam = (arrivals.size - 1) / duration
    p = req["input_tokens"].to_numpy()
    o = req["output_tokens"].to_numpy()
    demands = {b: llm_service_demand(p, o, prefill_table, decode_table, b, mode) for b in cand}
    if mem is not None:
        ctx = demands[cand[0]].mean_context_tokens
        with np.errstate(over="ignore"):
            fits = [b for b in cand if params * bp + b * ctx * kv <= mem]
        require(len(fits) > 0, "memory_bytes", memory_bytes,
                f"too small: not even batch {cand[-1]} fits the weights (params × bytes_per_param = "
                f"{params * bp:.3g} bytes) and KV cache (kv_bytes_per_token × batch × {ctx:.0f} tokens)")
        cand = fits
    pre = demands[cand[0]].prefill_s
    rows = []
    plan = None
    # Even with no wait at all, TTFT is at least the prefill time.
    floor_q = float(np.quantile(pre, q))
    # Fewer replicas than n_tpot cannot meet the TPOT SLO with any batch (the prefill share
    # stretches every step), so the search starts there (those counts add no rows).
    step_min = min(demands[b].decode_step_ms for b in cand)
    share = lam * pre.mean()
    if floor_q <= ttft and step_min <= tpot_slo_ms:
        if share == 0:
            n_tpot = 1.0
        elif step_min < tpot_slo_ms:
            n_tpot = share / (1.0 - step_min / tpot_slo_ms)
        else:
            n_tpot = np.inf
        # Beyond n_tpot the loop ends: once every request has its own slot and nothing is
        # overloaded, the wait is 0 and TTFT is the prefill floor, which meets the SLO.
        n_first = max(1, int(min(np.floor(n_tpot * (1 - 1e-9)), n_max + 1)))
        for n in range(n_first, n_max + 1):
            prefill_share = share / n
            if prefill_share >= 1:
                continue
            for b in cand:
                d = demands[b]
                tpot = d.decode_step_ms / (1.0 - prefill_share)
                if tpot > tpot_slo_ms:
                    continue
                util = lam / n / d.capacity_rps
                service = pre + o * tpot / 1e3
                slot_load = lam * service.mean() / (n * b)
                if util >= 1 or slot_load >= 1:
                    rows.append((n, b, d.decode_step_ms, tpot, np.inf, util, False))
                    break
                sim = serving.simulate_queue(arrivals, service, n * b)
                ttft_q = float(np.quantile(np.asarray(sim.wait_s) + pre, q))
                meets = ttft_q <= ttft
                rows.append((n, b, d.decode_step_ms, tpot, ttft_q, util, meets))
                if meets:
                    plan = (n, b, d.decode_step_ms, tpot, ttft_q, util)
                break  # the largest TPOT-feasible batch is the best for this n
            if plan is not None:
                break
    search = pd.DataFrame(rows, columns=["replicas", "batch", "decode_step_ms", "tpot_ms",
                                         "ttft_quantile_s", "utilization", "meets"])
    if plan is None:
        nan = float("nan")
        return LLMPlan(False, None, None, nan, nan, nan, nan, q, float(lam), search)
    n, b, step, tpot, ttft_q, util = plan
    return LLMPlan(True, int(n), int(b), float(step), float(tpot), float(ttft_q), float(util),
                   q, float(lam), search)
