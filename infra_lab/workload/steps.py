r"""Prefill and decode steps of an LLM on one accelerator, from measurements and the memory floor.

* :func:`prefill_ms` — prefill time of a prompt, interpolated from the H200 measurements;
* :func:`decode_step_ms` — one decode step's time at a batch and context, interpolated;
* :func:`decode_step_bytes` — bytes one decode step reads (weights + KV cache);
* :func:`decode_floor_ms` — the memory-bandwidth floor of a decode step.

>>> round(decode_floor_ms(6738415616, 1, 0, bandwidth_bytes_per_s=4.2e12), 2)
3.21
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .._checks import (count, data_array, finite_result, frame, no_missing, nonnegative, number, option,
                       positive, require, scalar_or_array, text)
from .._results import Result

__all__ = ["prefill_ms", "decode_step_ms", "decode_step_bytes", "decode_floor_ms"]

# A KV-cache entry of the Llama-7B shape measured in data/measured_h200 (llm_machine.json):
# 2 (K and V) × 32 layers × 4096 × 2 bytes (bf16) = 524,288 bytes per token.
KV_BYTES_PER_TOKEN_7B = 524_288

#: Decode timing mode → its column in ``load_h200_llm_decode()``.
DECODE_COLUMNS = {"cuda_graph": "median_ms_cuda_graph", "eager": "median_ms_eager"}

def _prefill_points(prefill_table: pd.DataFrame, column: str) -> tuple[np.ndarray, np.ndarray]:
    frame("prefill_table", prefill_table, ["prompt_tokens", column])
    no_missing("prefill_table", prefill_table, ["prompt_tokens", column])
    tab = prefill_table.sort_values("prompt_tokens")
    x = data_array("prefill_table['prompt_tokens']", tab["prompt_tokens"], low=0)
    y = data_array(f"prefill_table[{column!r}]", tab[column], low=0)
    require(np.unique(x).size == x.size and x.size >= 2, "prefill_table", prefill_table,
            f"needs at least 2 distinct prompt lengths; got {x.tolist()}")
    return x, y


def prefill_ms(prompt_tokens: Any, prefill_table: pd.DataFrame, column: str = "median_ms") -> Any:
    r"""Prefill time of a prompt, interpolated in prompt length from measurements.

    .. math::

        P(p) = y_j + \frac{y_{j+1} - y_j}{x_{j+1} - x_j}(p - x_j), \quad x_j \le p \le x_{j+1}

    Piecewise-linear interpolation of ``prefill_table`` (``load_h200_llm_prefill``: a
    Llama-7B-shaped model on an H200, prompts of 128–8192 tokens, batch 1). Below the
    shortest measured prompt the time is held constant (short prompts cost a near-constant
    ~16 ms: launch- and weight-read-bound). Beyond the longest it is extrapolated
    **linearly** with the slope of the last segment — an underestimate for very long
    prompts, where attention grows quadratically.

    Parameters
    ----------
    prompt_tokens : float or array_like
        Prompt lengths (tokens); ≥ 0 and finite. Broadcasts.
    prefill_table : DataFrame
        Columns ``prompt_tokens`` (≥ 2 distinct values ≥ 0) and ``column`` (ms, ≥ 0), no
        missing values.
    column : str, default "median_ms"
        Name of the time column to interpolate (``median_ms`` or ``p90_ms``).

    Returns
    -------
    float or numpy.ndarray
        Prefill time (ms).

    See Also
    --------
    decode_step_ms : the other phase of a request.
    llm_service_demand : combines both into GPU time per request.

    References
    ----------
    The measurements: data/measured_h200/README.md, Table of files, row ``llm_prefill.csv``
    ("Prefill of 8192 tokens takes 235 ms ... short prompts cost a near-constant ~16 ms").
    The prefill/decode split: Patel et al., Splitwise, ISCA 2024, Section II (background on
    the prompt and token phases).

    Examples
    --------
    >>> table = pd.DataFrame({"prompt_tokens": [128, 1024, 2048], "median_ms": [16.0, 28.0, 55.0]})
    >>> prefill_ms([64, 1536, 4096], table).tolist()
    [16.0, 41.5, 109.0]
    """
    col = text("column", column)
    p = nonnegative("prompt_tokens", prompt_tokens, unit="tokens")
    x, y = _prefill_points(prefill_table, col)
    out = np.interp(p, x, y)
    slope = (y[-1] - y[-2]) / (x[-1] - x[-2])
    out = np.where(p > x[-1], y[-1] + slope * (p - x[-1]), out)
    return scalar_or_array(finite_result("prefill_ms", out, "prompt_tokens is too large"))


@lru_cache(maxsize=8)
def _decode_model(tb: tuple, tc: tuple, ty: tuple) -> tuple[Any, np.ndarray]:
    # Cached per table: building the triangulation and its first evaluation are slow.
    from scipy.interpolate import LinearNDInterpolator

    x_b, x_c, y = np.array(tb), np.array(tc), np.array(ty)
    try:
        interp = LinearNDInterpolator(np.column_stack([np.log2(x_b), np.log2(x_c)]), y)
    except Exception as exc:  # scipy's QhullError: too few or collinear points
        raise ValueError(f"decode_table: needs measurements at ≥ 3 (batch, context_tokens) points "
                         f"not on one line; got {len(tb)} ({type(exc).__name__})") from None
    interp(np.log2(x_b[:1]), np.log2(x_c[:1]))  # warm it up once
    # t = a + b·B + c·B·L: weights read once per step, a per-sequence cost, KV bytes read.
    design = np.column_stack([np.ones_like(x_b), x_b, x_b * x_c])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return interp, coef


def _decode_points(decode_table: pd.DataFrame, col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame("decode_table", decode_table, ["batch", "context_tokens", col])
    no_missing("decode_table", decode_table, ["batch", "context_tokens", col])
    tb = data_array("decode_table['batch']", decode_table["batch"], low=1)
    tc = data_array("decode_table['context_tokens']", decode_table["context_tokens"], low=1)
    ty = data_array(f"decode_table[{col!r}]", decode_table[col], low=0, low_open=True)
    return tb, tc, ty


def decode_step_ms(batch: Any, context_tokens: Any, decode_table: pd.DataFrame,
                   mode: str = "cuda_graph") -> Any:
    r"""Time of one decode step (one token for each of ``batch`` sequences), from measurements.

    Inside the measured region (``load_h200_llm_decode``: batch 1–128, context 512–4096,
    batch × context ≤ 65,536) the median step time is interpolated **piecewise-linearly on
    a Delaunay triangulation of the grid in (log2 batch, log2 context)** (scipy's
    ``LinearNDInterpolator``). Outside it, the point is projected onto the region
    (context clamped to the measured range, then batch capped so batch × context stays
    measured), interpolated there, and the change from the projection to the point is
    added from a least-squares fit of the memory-bound form

    .. math:: t = a + b\,B + c\,B\,L

    (weights read once per step, a small per-sequence cost, KV cache of :math:`B L` tokens
    read) to the same table — exact on the measurements, continuous across the boundary.
    For the CUDA-graph column the fit gives
    :math:`c` ≈ 1.2e-4 ms per token, i.e. 524,288 KV bytes per token read at ≈ 4.4 TB/s —
    the copy bandwidth the H200 measured.

    Parameters
    ----------
    batch : float or array_like
        Concurrent sequences B; ≥ 1 and finite (fractional values are allowed, to draw a
        smooth curve).
    context_tokens : float or array_like
        Tokens in each sequence's KV cache L; ≥ 1 and finite. Broadcasts with ``batch``.
    decode_table : DataFrame
        Columns ``batch`` (≥ 1), ``context_tokens`` (≥ 1) and the time column of ``mode``
        (``median_ms_cuda_graph`` / ``median_ms_eager``, ms, > 0), no missing values, at
        least 3 points not on one line.
    mode : {"cuda_graph", "eager"}, default "cuda_graph"
        Which measured column: captured CUDA graph or eager PyTorch.

    Returns
    -------
    float or numpy.ndarray
        Step time (ms).

    See Also
    --------
    decode_floor_ms : the memory-bandwidth floor of the same step.
    prefill_ms : the prompt phase.

    References
    ----------
    The measurements: data/measured_h200/README.md, Table of files, row ``llm_decode.csv``
    ("measured 5.3 ms at batch 1 as a CUDA graph ... 14.3 ms at 128 × 512"). Memory-bound
    decode: Williams, Waterman & Patterson, "Roofline: an insightful visual performance
    model for multicore architectures", CACM 52(4), 2009, Fig. 1 (attainable performance
    under the bandwidth roof).

    Examples
    --------
    >>> from infra_lab.datasets import load_h200_llm_decode
    >>> round(decode_step_ms(1, 512, load_h200_llm_decode()), 2)  # a measured point
    5.31
    """
    col = DECODE_COLUMNS[option("mode", mode, list(DECODE_COLUMNS))]
    b = number("batch", batch, low=1)
    c = number("context_tokens", context_tokens, low=1, unit="tokens")
    try:
        b, c = np.broadcast_arrays(b, c)
    except ValueError:
        raise ValueError(f"context_tokens: shape {np.shape(c)} does not broadcast with batch's "
                         f"shape {np.shape(b)}") from None
    tb, tc, ty = _decode_points(decode_table, col)
    interp, (a0, a1, a2) = _decode_model(tuple(tb), tuple(tc), tuple(ty))

    def fit(bb, cc):
        return a0 + a1 * bb + a2 * bb * cc

    # Project onto the measured region (clamp context, then cap batch × context), interpolate
    # there and add the fitted change from the projection to the point: exact inside,
    # continuous across the boundary.
    c_in = np.clip(c, tc.min(), tc.max())
    b_in = np.clip(b, tb.min(), np.minimum(tb.max(), (tb * tc).max() / c_in * (1 - 1e-12)))
    base = interp(np.log2(b_in), np.log2(c_in))
    with np.errstate(over="ignore", invalid="ignore"):
        out = np.where(np.isnan(base), fit(b, c), base + fit(b, c) - fit(b_in, c_in))
    return scalar_or_array(finite_result("decode_step_ms", out, "batch × context_tokens is too large"))


def decode_step_bytes(params: Any, batch: Any, context_tokens: Any, bytes_per_param: float = 2.0,
                      kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B) -> Any:
    r"""Bytes one decode step must read: all weights once plus every sequence's KV cache.

    .. math:: bytes = N \cdot b_{param} + B \cdot L \cdot b_{KV}

    This is the definition behind ``bytes_read_floor_gb`` in ``llm_decode.csv``
    ("weights + KV cache read per step"). For the Llama-7B shape :math:`b_{KV}` = 2·32
    layers·4096·2 bytes = 524,288 (llm_machine.json). Broadcasts.

    Parameters
    ----------
    params : float or array_like
        Model parameters N (a count, e.g. 6.74e9); > 0 and finite.
    batch : int or array_like of int
        Sequences in the batch B; whole numbers ≥ 0.
    context_tokens : float or array_like
        Tokens in each sequence's KV cache L (may be a mean); ≥ 0 and finite.
    bytes_per_param : float, default 2.0
        Bytes per weight :math:`b_{param}` (2 for bf16); > 0 and finite.
    kv_bytes_per_token : float, default 524288
        KV-cache bytes per token :math:`b_{KV}` (all layers, K and V); ≥ 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Bytes read per decode step.

    See Also
    --------
    decode_floor_ms : these bytes divided by the memory bandwidth.
    llm_replicas_for_slo : uses them as the memory cap on the batch.

    References
    ----------
    Kwon et al., "Efficient Memory Management for Large Language Model Serving with
    PagedAttention", SOSP 2023, Section 2 (the KV cache grows with batch × context and is
    read at every decoding step). The measurements' definition: data/measured_h200/README.md,
    Table of files, row ``llm_decode.csv``.

    Examples
    --------
    >>> decode_step_bytes(6738415616, 1, 512) / 1e9  # first row of llm_decode.csv
    13.745266688
    """
    n = positive("params", params)
    b = count("batch", batch, minimum=0).astype(float)
    c = nonnegative("context_tokens", context_tokens, unit="tokens")
    bp = positive("bytes_per_param", bytes_per_param, unit="bytes")
    kv = nonnegative("kv_bytes_per_token", kv_bytes_per_token, unit="bytes")
    with np.errstate(over="ignore", invalid="ignore"):
        total = n * bp + b * c * kv
    return scalar_or_array(finite_result("decode_step_bytes", total, "the inputs are too large"))


def decode_bytes_per_step(*args: Any, **kwargs: Any) -> Any:
    """Deprecated name of :func:`decode_step_bytes` (kept for one release)."""
    warnings.warn("infra_lab.workload.decode_bytes_per_step is deprecated; use decode_step_bytes",
                  DeprecationWarning, stacklevel=2)
    return decode_step_bytes(*args, **kwargs)


def decode_floor_ms(params: Any, batch: Any, context_tokens: Any, *, bandwidth_bytes_per_s: Any,
                    bytes_per_param: float = 2.0, kv_bytes_per_token: float = KV_BYTES_PER_TOKEN_7B) -> Any:
    r"""Memory-bound floor of one decode step: bytes read ÷ memory bandwidth.

    .. math:: t_{floor} = 1000 \cdot \frac{N \cdot b_{param} + B \cdot L \cdot b_{KV}}{BW}

    At small batch a decode step does about 2 FLOPs per bf16 parameter read (1 FLOP per
    byte), far left of the roofline ridge, so it cannot run faster than the time to stream
    the weights and KV cache from HBM: 13.5 GB of weights at 4.2 TB/s → ≈ 3.2 ms; measured
    5.3 ms at batch 1 (CUDA graph).

    Parameters
    ----------
    params : float or array_like
        Model parameters N; > 0 and finite.
    batch : int or array_like of int
        Sequences in the batch B; whole numbers ≥ 0.
    context_tokens : float or array_like
        Tokens in each sequence's KV cache L; ≥ 0 and finite.
    bandwidth_bytes_per_s : float or array_like
        Memory bandwidth BW (bytes/s); > 0 and finite.
    bytes_per_param : float, default 2.0
        Bytes per weight; > 0 and finite.
    kv_bytes_per_token : float, default 524288
        KV-cache bytes per token; ≥ 0 and finite.

    Returns
    -------
    float or numpy.ndarray
        Floor of the step time (ms).

    See Also
    --------
    decode_step_bytes : the numerator.
    decode_step_ms : the measured step time, never below this floor.

    References
    ----------
    Williams, Waterman & Patterson, "Roofline: an insightful visual performance model for
    multicore architectures", CACM 52(4), 2009, Fig. 1: attainable FLOP/s = min(peak,
    bandwidth × operational intensity), so at low intensity time = bytes / bandwidth. The
    numbers: data/measured_h200/README.md ("one step reads the 13.5 GB of weights (floor
    ≈ 3.2 ms at 4.2 TB/s)").

    Examples
    --------
    >>> round(decode_floor_ms(6738415616, 1, 0, bandwidth_bytes_per_s=4.2e12), 2)
    3.21
    """
    bw = positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s, unit="bytes/s")
    nbytes = np.asarray(decode_step_bytes(params, batch, context_tokens, bytes_per_param, kv_bytes_per_token))
    with np.errstate(over="ignore"):
        out = nbytes / bw * 1e3
    return scalar_or_array(finite_result("decode_floor_ms", out, "bandwidth_bytes_per_s is too small"))


def decode_in_measured_range(batch: Any, context_tokens: Any, decode_table: pd.DataFrame) -> Any:
    r"""Whether a decode step (B, L) lies inside the measured grid, where :func:`decode_step_ms` interpolates.

    .. math:: L_{min} \le L \le L_{max},\quad 1 \le B \le B_{max},\quad B \cdot L \le \max_{measured}(B \cdot L)

    The H200 grid (``load_h200_llm_decode``) stops where the KV cache of B × L tokens reaches
    65,536 tokens; outside it :func:`decode_step_ms` extrapolates, and a plan built on such a
    step should say so. Broadcasts.

    Parameters
    ----------
    batch : float or array_like
        B, sequences per step; ≥ 1, finite.
    context_tokens : float or array_like
        L, mean context per sequence, tokens; ≥ 1, finite.
    decode_table : DataFrame
        Measured steps with ``batch`` and ``context_tokens`` (``load_h200_llm_decode()``).

    Returns
    -------
    bool or numpy.ndarray of bool

    See Also
    --------
    decode_step_ms : the step time, interpolated inside and extrapolated outside.

    References
    ----------
    The measurements: data/measured_h200/README.md, Table of files, row ``llm_decode.csv``
    (batch 1–128, context 512–4096, up to 65,536 KV tokens per step).

    Examples
    --------
    >>> from infra_lab.datasets import load_h200_llm_decode
    >>> decode_in_measured_range([128, 128, 16], [512, 1024, 4096], load_h200_llm_decode()).tolist()
    [True, False, True]
    """
    b = np.asarray(nonnegative("batch", batch), float)
    require(bool(np.all(b >= 1)), "batch", batch, "must be ≥ 1")
    ctx = np.asarray(nonnegative("context_tokens", context_tokens), float)
    require(bool(np.all(ctx >= 1)), "context_tokens", context_tokens, "must be ≥ 1")
    frame("decode_table", decode_table, ["batch", "context_tokens"])
    no_missing("decode_table", decode_table, ["batch", "context_tokens"])
    tb = data_array("decode_table['batch']", decode_table["batch"], low=1)
    tc = data_array("decode_table['context_tokens']", decode_table["context_tokens"], low=1)
    inside = ((ctx >= tc.min()) & (ctx <= tc.max()) & (b <= tb.max())
              & (b * ctx <= (tb * tc).max() * (1 + 1e-9)))
    return scalar_or_array(inside)


@dataclass(frozen=True)
class PrefillTurn(Result):
    """Where measured prefill time stops being flat (overhead-bound) and starts to grow with the prompt.

    Attributes
    ----------
    flat_ms : float
        Prefill time of the shortest measured prompt, ms: the fixed cost.
    last_flat_tokens : int
        Longest measured prompt still within ``rise`` × flat_ms.
    first_rising_tokens : int or None
        Shortest measured prompt beyond it (None: flat over the whole table).
    tokens_per_s_rising : float
        Prompt tokens per second from first_rising_tokens on (a slope fit), or NaN.

    See Also
    --------
    prefill_turn : returns it.
    """

    flat_ms: float
    last_flat_tokens: int
    first_rising_tokens: int | None
    tokens_per_s_rising: float


def prefill_turn(prefill_table: pd.DataFrame, column: str = "median_ms", rise: Any = 1.25) -> PrefillTurn:
    r"""Find where a measured prefill curve turns from flat (fixed overhead) to proportional (compute).

    .. math:: L_{turn} = \min\{L : t(L) > rise \cdot t(L_{min})\}

    Below the turn, doubling the prompt costs (almost) nothing: the time is a fixed cost
    (kernel launches, weight reads), not arithmetic. Above it, time grows ∝ L — compute-bound.
    The rate beyond the turn is the least-squares slope of t against L there.

    Parameters
    ----------
    prefill_table : DataFrame
        ``prompt_tokens`` and ``column`` (``load_h200_llm_prefill()``), at least two rows.
    column : str, default "median_ms"
        The time column, ms.
    rise : float, default 1.25
        How far above the flat level counts as rising; in (1, 10].

    Returns
    -------
    PrefillTurn

    See Also
    --------
    prefill_ms : prefill time interpolated from the same table.

    References
    ----------
    The measurements: data/measured_h200/README.md, Table of files, row ``llm_prefill.csv``;
    S. Williams, A. Waterman, D. Patterson, "Roofline", *CACM* 52(4), 2009 (compute-bound:
    time ∝ work).

    Examples
    --------
    >>> from infra_lab.datasets import load_h200_llm_prefill
    >>> t = prefill_turn(load_h200_llm_prefill())
    >>> round(t.flat_ms, 1), t.last_flat_tokens, t.first_rising_tokens
    (15.7, 512, 1024)
    """
    col = text("column", column)
    r = float(positive("rise", rise))
    require(1 < r <= 10, "rise", rise, "must be in (1, 10]")
    frame("prefill_table", prefill_table, ["prompt_tokens", col])
    no_missing("prefill_table", prefill_table, ["prompt_tokens", col])
    require(len(prefill_table) >= 2, "prefill_table", len(prefill_table), "needs at least two rows")
    df = prefill_table.sort_values("prompt_tokens")
    tok = data_array("prefill_table['prompt_tokens']", df["prompt_tokens"], low=1)
    ms = data_array(f"prefill_table[{col!r}]", df[col], low=0, low_open=True)
    flat = float(ms[0])
    rising = ms > r * flat
    if not rising.any():
        return PrefillTurn(flat_ms=flat, last_flat_tokens=int(tok[-1]), first_rising_tokens=None,
                           tokens_per_s_rising=float("nan"))
    i = int(np.argmax(rising))
    tail_tok, tail_ms = tok[i:], ms[i:]
    slope = (np.polyfit(tail_tok, tail_ms, 1)[0] if len(tail_tok) >= 2 else tail_ms[0] / tail_tok[0])
    return PrefillTurn(flat_ms=flat, last_flat_tokens=int(tok[i - 1]), first_rising_tokens=int(tok[i]),
                       tokens_per_s_rising=float(1e3 / slope))


__all__ += ["decode_in_measured_range", "PrefillTurn", "prefill_turn"]
