r"""Compute: training FLOPs, compute-optimal sizing, time, utilisation, memory, energy and cost.

The article's section "Compute Systems: CPUs, GPUs, TPUs, and Accelerators" says a training
run needs compute C ≈ k·N·D and that pools should run near, but not above, a utilisation
target. This module gives each of those statements a formula with a published source:

* training compute C ≈ 6·N·D and the forward pass per token (Kaplan et al. 2020, Table 1);
* compute-optimal model and data size (Hoffmann et al. 2022, "Chinchilla", Table 3);
* wall-clock time from peak FLOP/s and model FLOPs utilisation (Narayanan et al. 2021 §5.1;
  Chowdhery et al. 2022, "PaLM", App. B);
* model-state memory per device under ZeRO (Rajbhandari et al. 2020, §3 and Fig. 1);
* the roofline model (Williams, Waterman and Patterson 2009);
* GPU-hours, energy, cost and CO₂ of a run;
* the article's compute-cluster utilisation table.

Units are in the parameter names: FLOPs are floating-point operations (a count), FLOP/s a
rate, bytes are bytes (GB = 1e9 bytes, as in the ZeRO paper), power in W, energy in kWh.

>>> training_flops(175e9, 300e9) / 1e23     # GPT-3: 6·N·D
3.15
>>> round(training_time_seconds(3.15e23, 1024, 312e12, 0.5) / 86400, 1)
22.8
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ._checks import as_float_array, require, require_columns, scalar_or_array

__all__ = [
    "training_flops",
    "forward_flops_per_token",
    "training_flops_per_token",
    "ChinchillaAllocation",
    "chinchilla_optimal",
    "training_time_seconds",
    "gpu_hours",
    "model_flops_utilization",
    "flops_utilization",
    "model_state_memory_bytes",
    "roofline_attainable_flops",
    "ridge_point",
    "energy_joules",
    "RunEnergyCost",
    "run_energy_cost",
    "utilization_table",
    "UtilizationSummary",
    "utilization_summary",
]

SECONDS_PER_HOUR = 3600.0


# --------------------------------------------------------------------------- FLOPs

def training_flops(params: Any, tokens: Any, k: float = 6.0) -> Any:
    r"""Training compute of a dense transformer, :math:`C \approx k\,N\,D`.

    .. math:: C = k \cdot N \cdot D, \qquad k = 6

    The forward pass costs about 2 FLOPs per parameter per token (one multiply, one add)
    and the backward pass about twice that, so k = 6 (Kaplan et al. 2020, arXiv:2001.08361,
    §2.1 and Table 1). Activation recomputation adds another forward pass (k = 8, as in
    Narayanan et al. 2021 §5.1). The approximation ignores the attention term (see
    :func:`training_flops_per_token`), so it undercounts small models with long contexts.

    Parameters
    ----------
    params : float or array
        N, parameters (count; Kaplan excludes embeddings).
    tokens : float or array
        D, training tokens (count).
    k : float, default 6.0
        FLOPs per parameter per token; > 0.

    Returns
    -------
    float or ndarray
        C in FLOPs.

    Examples
    --------
    GPT-3 (Brown et al. 2020, Table D.1: 174.6B parameters, 300B tokens, 3.14e23 FLOPs):

    >>> round(training_flops(174.6e9, 300e9) / 1e23, 2)
    3.14
    >>> training_flops([1e9, 10e9], 20e9).tolist()
    [1.2e+20, 1.2e+21]
    """
    n = as_float_array(params, "params")
    d = as_float_array(tokens, "tokens")
    require(n >= 0, "params", params, "must be ≥ 0 parameters")
    require(d >= 0, "tokens", tokens, "must be ≥ 0 tokens")
    require(np.isfinite(k) and k > 0, "k", k, "must be > 0 FLOPs per parameter per token")
    return scalar_or_array(k * n * d)


def forward_flops_per_token(params: Any, n_layer: Any, n_ctx: Any, d_attn: Any) -> Any:
    r"""Forward-pass FLOPs per token of a decoder-only transformer (Kaplan et al. 2020, Table 1).

    .. math:: C_{forward} \approx 2N + 2\,n_{layer}\,n_{ctx}\,d_{attn}

    N is the non-embedding parameter count; the second term is the attention scores and the
    weighted sum over the context (QKᵀ and AV), which do not involve parameters.
    Convention: this is Kaplan's count. PaLM (Chowdhery et al. 2022, App. B) counts the
    attention term of a training step as 12·L·H·Q·T = 6·(2·n_layer·n_ctx·d_attn), twice
    Kaplan's 3·(2·n_layer·n_ctx·d_attn): PaLM counts both QKᵀ and AV over all T positions
    (4·L·T·d_attn forward), Kaplan's term is half of that, as if each token attended to
    n_ctx/2 positions on average (causal mask). :func:`training_flops_per_token` offers both.

    Parameters
    ----------
    params : float or array
        N, non-embedding parameters (count), ≥ 0.
    n_layer, n_ctx, d_attn : int, float or array
        Layers, context length (tokens) and attention width (= heads × head dimension); ≥ 0.

    Returns
    -------
    float or ndarray
        FLOPs per token, forward only.

    Examples
    --------
    GPT-3 175B shape (96 layers, 2048-token context, d_attn = 12288):

    >>> f = forward_flops_per_token(175e9, 96, 2048, 12288)
    >>> round(f / 1e9, 1), round(f / (2 * 175e9), 4)     # attention adds ~1.4 %
    (354.8, 1.0138)
    """
    n = as_float_array(params, "params")
    layers = as_float_array(n_layer, "n_layer")
    ctx = as_float_array(n_ctx, "n_ctx")
    width = as_float_array(d_attn, "d_attn")
    require(n >= 0, "params", params, "must be ≥ 0 parameters")
    require(layers >= 0, "n_layer", n_layer, "must be ≥ 0 layers")
    require(ctx >= 0, "n_ctx", n_ctx, "must be ≥ 0 tokens")
    require(width >= 0, "d_attn", d_attn, "must be ≥ 0")
    return scalar_or_array(2.0 * n + 2.0 * layers * ctx * width)


def training_flops_per_token(
    params: Any, n_layer: Any = 0, n_ctx: Any = 0, d_attn: Any = 0, convention: str = "kaplan"
) -> Any:
    r"""Training (forward + backward) FLOPs per token, with the attention term.

    .. math::
        \text{kaplan: } 6N + 6\,n_{layer} n_{ctx} d_{attn} \qquad
        \text{palm: } 6N + 12\,n_{layer} n_{ctx} d_{attn}

    ``"kaplan"`` is 3 × :func:`forward_flops_per_token` (backward ≈ 2 × forward; Kaplan et
    al. 2020, Table 1). ``"palm"`` is PaLM's model-FLOPs count 6N + 12·L·H·Q·T (Chowdhery et
    al. 2022, App. B), with H·Q = d_attn and T = n_ctx. Neither counts recomputation.
    With the default shape (all zero) both reduce to 6N.

    Parameters
    ----------
    params : float or array
        N (count), ≥ 0.
    n_layer, n_ctx, d_attn : float or array, default 0
        Model shape; ≥ 0.
    convention : {"kaplan", "palm"}

    Returns
    -------
    float or ndarray
        FLOPs per training token.

    Examples
    --------
    PaLM 540B (App. B: 540.35B parameters, 118 layers, 48 heads × 256, T = 2048):

    >>> round(training_flops_per_token(540.35e9, 118, 2048, 48 * 256, "palm") / 1e12, 3)
    3.278
    >>> training_flops_per_token(1e9)
    6000000000.0
    """
    require(convention in ("kaplan", "palm"), "convention", convention, "must be one of kaplan, palm")
    forward = forward_flops_per_token(params, n_layer, n_ctx, d_attn)
    attention = np.asarray(forward) - 2.0 * as_float_array(params, "params")
    factor = 3.0 if convention == "kaplan" else 6.0  # palm: twice Kaplan's attention term
    return scalar_or_array(6.0 * as_float_array(params, "params") + factor * attention)


# --------------------------------------------------------------------------- Chinchilla

@dataclass(frozen=True)
class ChinchillaAllocation:
    """A compute-optimal model size and token count for a compute budget.

    Attributes
    ----------
    params : float or ndarray
        N_opt, parameters (count).
    tokens : float or ndarray
        D_opt, training tokens (count).
    compute_flops : float or ndarray
        The budget C (FLOPs); equals k·N·D by construction.
    tokens_per_param : float
        D/N used.
    """

    params: Any
    tokens: Any
    compute_flops: Any
    tokens_per_param: float


def chinchilla_optimal(compute_flops: Any, tokens_per_param: float = 20.0, k: float = 6.0) -> ChinchillaAllocation:
    r"""Compute-optimal parameters and tokens for a budget (Hoffmann et al. 2022, "Chinchilla").

    .. math::
        C = k N D,\ D = r N \;\Rightarrow\; N_{opt} = \sqrt{C / (k r)},\ D_{opt} = r N_{opt}
        \quad (k = 6,\ r = 20:\ N_{opt} = \sqrt{C/120})

    Chinchilla's Approach 1 finds N_opt ∝ C^0.50 and D_opt ∝ C^0.50 (Table 2), i.e. a fixed
    ratio of tokens to parameters; Table 3 lists ratios of 20.2 (1B) to ~21 (175B), so r = 20
    is the usual rounding. Choice documented: we size from C = 6ND with D = 20N, which
    reproduces Table 3 within a few per cent (1B → 1.21e20 FLOPs, 20.2B tokens; 10B →
    1.23e22, 205.1B; 175B → 3.85e24, 3.7T). We do **not** minimise the paper's fitted loss
    L(N, D) = E + A/N^α + B/D^β (Eq. 10): with the rounded published constants that fit
    does not reproduce Table 3 (Besiroglu et al. 2024, arXiv:2404.10102, "Chinchilla
    Scaling: A replication attempt").

    Parameters
    ----------
    compute_flops : float or array
        Budget C (FLOPs), > 0.
    tokens_per_param : float, default 20.0
        r = D/N, > 0.
    k : float, default 6.0
        FLOPs per parameter per token, > 0.

    Returns
    -------
    ChinchillaAllocation

    Examples
    --------
    >>> a = chinchilla_optimal(1.21e20)      # Table 3, first row: 1B params, 20.2B tokens
    >>> round(a.params / 1e9, 2), round(a.tokens / 1e9, 1)
    (1.0, 20.1)
    >>> chinchilla_optimal([1.2e20, 1.2e22]).params.tolist()
    [1000000000.0, 10000000000.0]
    """
    c = as_float_array(compute_flops, "compute_flops")
    require(c > 0, "compute_flops", compute_flops, "must be > 0 FLOPs")
    require(np.isfinite(tokens_per_param) and tokens_per_param > 0, "tokens_per_param", tokens_per_param,
            "must be > 0 tokens per parameter")
    require(np.isfinite(k) and k > 0, "k", k, "must be > 0 FLOPs per parameter per token")
    n = np.sqrt(c / (k * tokens_per_param))
    return ChinchillaAllocation(scalar_or_array(n), scalar_or_array(tokens_per_param * n),
                                scalar_or_array(c), float(tokens_per_param))


# --------------------------------------------------------------------------- time and MFU

def _devices(devices: Any) -> np.ndarray:
    n = as_float_array(devices, "devices")
    require((n >= 1) & (n == np.floor(n)), "devices", devices, "must be a whole number ≥ 1")
    return n


def _positive_flops(value: Any, name: str) -> np.ndarray:
    p = as_float_array(value, name)
    require((p > 0) & np.isfinite(p), name, value, "must be > 0 FLOP/s")
    return p


def _check_devices_peak_mfu(devices: Any, peak: Any, mfu: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = _devices(devices)
    p = _positive_flops(peak, "peak_flops_per_device")
    u = as_float_array(mfu, "mfu")
    require((u > 0) & (u <= 1), "mfu", mfu, "must be in (0, 1] (a fraction of peak, not a percent)")
    return n, p, u


def training_time_seconds(flops: Any, devices: Any, peak_flops_per_device: Any, mfu: Any) -> Any:
    r"""Wall-clock training time from compute, device count, peak FLOP/s and utilisation.

    .. math:: T = \frac{C}{n \cdot P_{peak} \cdot MFU}

    Narayanan et al. 2021 (arXiv:2104.04473, §5.1) estimate end-to-end time as
    8·T·P/(n·X), with X the *achieved* FLOP/s per GPU (= P_peak · MFU here) and 8 = 6 + 2
    for activation recomputation. PaLM (Chowdhery et al. 2022, App. B) defines MFU as observed
    throughput over the throughput at peak FLOP/s.

    Parameters
    ----------
    flops : float or array
        C, FLOPs to execute, ≥ 0.
    devices : int or array
        n, accelerators, whole number ≥ 1.
    peak_flops_per_device : float or array
        P_peak, FLOP/s per device for the number format used, > 0.
    mfu : float or array
        Model FLOPs utilisation, a fraction in (0, 1].

    Returns
    -------
    float or ndarray
        Seconds.

    Examples
    --------
    Megatron-LM 2021 §5.1: GPT-3 175B on 300B tokens, 1024 GPUs at X = 140 TFLOP/s → ~34 days:

    >>> c = training_flops(175e9, 300e9, k=8)     # 6 + 2 for recomputation
    >>> round(training_time_seconds(c, 1024, 140e12, 1.0) / 86400, 1)
    33.9
    """
    c = as_float_array(flops, "flops")
    require(c >= 0, "flops", flops, "must be ≥ 0 FLOPs")
    n, p, u = _check_devices_peak_mfu(devices, peak_flops_per_device, mfu)
    return scalar_or_array(c / (n * p * u))


def gpu_hours(flops: Any, peak_flops_per_device: Any, mfu: Any) -> Any:
    r"""Device-hours a computation needs: :math:`C / (P_{peak} \cdot MFU) / 3600`.

    Independent of how many devices share the work (n devices × T hours = n·T device-hours),
    which is what clouds bill. Same assumptions and sources as :func:`training_time_seconds`
    (Narayanan et al. 2021 §5.1; PaLM App. B for MFU).

    Parameters
    ----------
    flops : float or array
        C, FLOPs to execute, ≥ 0.
    peak_flops_per_device : float or array
        FLOP/s per device, > 0.
    mfu : float or array
        Model FLOPs utilisation, a fraction in (0, 1].

    Returns
    -------
    float or ndarray
        Device-hours (h).

    Examples
    --------
    >>> round(gpu_hours(3.15e23, 989.4e12, 0.4))     # GPT-3-sized run on H200s at 40 % MFU
    221094
    """
    return scalar_or_array(np.asarray(training_time_seconds(flops, 1, peak_flops_per_device, mfu)) / SECONDS_PER_HOUR)


def model_flops_utilization(
    tokens_per_second: Any,
    params: Any,
    devices: Any,
    peak_flops_per_device: Any,
    flops_per_token: Any = None,
    *,
    n_layer: Any = None,
    n_ctx: Any = None,
    d_attn: Any = None,
    convention: str = "palm",
) -> Any:
    r"""Model FLOPs utilisation: observed throughput ÷ throughput at peak (PaLM, App. B).

    .. math:: MFU = \frac{\text{tokens/s} \cdot F_{token}}{n \cdot P_{peak}}, \qquad F_{token} = 6N
              \ (+\ 12\,n_{layer} n_{ctx} d_{attn})

    By default F_token = 6N, which excludes recomputation (counting it gives the hardware
    FLOPs utilisation, HFU) and the attention term. Pass the model shape (``n_layer``,
    ``n_ctx``, ``d_attn``) to add the attention term in PaLM's convention (or
    ``convention="kaplan"``, half of it; see :func:`training_flops_per_token`), or an
    explicit ``flops_per_token`` (e.g. counted FLOPs ÷ tokens), which then overrides both.

    Parameters
    ----------
    tokens_per_second : float or array
        Observed training throughput (tokens/s over all devices), ≥ 0.
    params : float or array
        N, parameters (count), ≥ 0.
    devices : int or array
        n, whole number ≥ 1.
    peak_flops_per_device : float or array
        FLOP/s, > 0.
    flops_per_token : float or array, optional
        Model FLOPs per token; > 0.
    n_layer, n_ctx, d_attn : float, optional
        Model shape for the attention term; give all three or none.
    convention : {"palm", "kaplan"}

    Returns
    -------
    float or ndarray
        MFU, a fraction (can exceed 1 only if the inputs are inconsistent).

    Examples
    --------
    PaLM 540B (App. B): 238.3K tokens/s on 6144 TPU v4 chips at 275 TFLOP/s → 45.7 %
    without the attention term, 46.2 % with it:

    >>> round(model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12), 3)
    0.457
    >>> round(model_flops_utilization(238.3e3, 540.35e9, 6144, 275e12,
    ...                               n_layer=118, n_ctx=2048, d_attn=48 * 256), 3)
    0.462
    """
    t = as_float_array(tokens_per_second, "tokens_per_second")
    require(t >= 0, "tokens_per_second", tokens_per_second, "must be ≥ 0 tokens/s")
    n = as_float_array(params, "params")
    require(n >= 0, "params", params, "must be ≥ 0 parameters")
    devs = _devices(devices)
    p = _positive_flops(peak_flops_per_device, "peak_flops_per_device")
    require(convention in ("kaplan", "palm"), "convention", convention, "must be one of palm, kaplan")
    shape = (n_layer, n_ctx, d_attn)
    given = [s is not None for s in shape]
    require(all(given) or not any(given), "n_layer/n_ctx/d_attn", shape, "give all three or none")
    if flops_per_token is not None:
        f = as_float_array(flops_per_token, "flops_per_token")
        require(f > 0, "flops_per_token", flops_per_token, "must be > 0 FLOPs per token")
    elif all(given):
        f = np.asarray(training_flops_per_token(n, n_layer, n_ctx, d_attn, convention))
    else:
        f = 6.0 * n
    return scalar_or_array(t * f / (devs * p))


def flops_utilization(achieved_flops_per_s: Any, reference_flops_per_s: Any) -> Any:
    r"""Fraction of a reference throughput a kernel or job achieves: :math:`U = X / P`.

    .. math:: U = \frac{X_{achieved}}{P_{reference}}

    With the datasheet peak as the reference this is the utilisation that MFU (PaLM,
    Chowdhery et al. 2022, App. B) and HFU report — MFU when X counts only the model's FLOPs,
    HFU when it also counts recomputation; :func:`model_flops_utilization` derives X from
    tokens/s. With the roofline bound (:func:`roofline_attainable_flops`) as the reference it
    is the fraction of the roofline a kernel reaches. Narayanan et al. 2021
    (arXiv:2104.04473, abstract) report 502 PFLOP/s on 3072 A100s, "52 % of theoretical
    peak" (312 TFLOP/s per GPU).

    Parameters
    ----------
    achieved_flops_per_s : float or array
        X, measured FLOP/s, ≥ 0.
    reference_flops_per_s : float or array
        P, the peak (or attainable) FLOP/s it is compared with, > 0.

    Returns
    -------
    float or ndarray
        A fraction (dimensionless); above 1 only if the reference is not an upper bound.

    Examples
    --------
    >>> round(flops_utilization(502e15 / 3072, 312e12), 2)     # Megatron-LM 2021: 52 % of peak
    0.52
    >>> flops_utilization([494.7e12, 989.4e12], 989.4e12).tolist()
    [0.5, 1.0]
    """
    x = as_float_array(achieved_flops_per_s, "achieved_flops_per_s")
    require((x >= 0) & np.isfinite(x), "achieved_flops_per_s", achieved_flops_per_s, "must be ≥ 0 FLOP/s")
    p = _positive_flops(reference_flops_per_s, "reference_flops_per_s")
    return scalar_or_array(x / p)


# --------------------------------------------------------------------------- memory

def model_state_memory_bytes(params: Any, zero_stage: int = 0, devices: Any = 1, k_optimizer_bytes: float = 12) -> Any:
    r"""Per-device memory of model states with mixed-precision Adam, under ZeRO (Rajbhandari et al. 2020).

    .. math::
        \text{stage 0 (baseline DP): } (2+2+K)\Psi \quad
        \text{stage 1 } (P_{os})\text{: } 4\Psi + \frac{K\Psi}{N_d} \quad
        \text{stage 2 } (P_{os+g})\text{: } 2\Psi + \frac{(2+K)\Psi}{N_d} \quad
        \text{stage 3 } (P_{os+g+p})\text{: } \frac{(2+2+K)\Psi}{N_d}

    Ψ parameters, N_d data-parallel devices, 2 bytes each for fp16 weights and gradients and
    K = 12 bytes of optimizer state per parameter (fp32 master weights, momentum, variance)
    — 16 bytes per parameter in total (arXiv:1910.02054, §3 and Figure 1). Activations,
    buffers and fragmentation are **not** included (the H200 training steps in the course
    data peak well above 16 bytes per parameter for small models for that reason).

    Parameters
    ----------
    params : float or array
        Ψ, parameters (count), ≥ 0.
    zero_stage : {0, 1, 2, 3}
        0 is plain data parallelism (everything replicated).
    devices : int or array
        N_d, data-parallel devices, whole number ≥ 1.
    k_optimizer_bytes : float, default 12
        K, optimizer-state bytes per parameter (12 for mixed-precision Adam), ≥ 0.

    Returns
    -------
    float or ndarray
        Bytes per device (GB = 1e9 bytes in the paper).

    Examples
    --------
    The paper's Figure 1: Ψ = 7.5B, N_d = 64 → 120 GB, 31.4 GB, 16.6 GB, 1.9 GB:

    >>> [round(model_state_memory_bytes(7.5e9, s, 64) / 1e9, 1) for s in range(4)]
    [120.0, 31.4, 16.6, 1.9]
    """
    psi = as_float_array(params, "params")
    require(psi >= 0, "params", params, "must be ≥ 0 parameters")
    require(isinstance(zero_stage, (int, np.integer)) and not isinstance(zero_stage, bool)
            and zero_stage in (0, 1, 2, 3), "zero_stage", zero_stage, "must be one of 0, 1, 2, 3")
    nd = _devices(devices)
    kk = as_float_array(k_optimizer_bytes, "k_optimizer_bytes")
    require((kk >= 0) & np.isfinite(kk), "k_optimizer_bytes", k_optimizer_bytes, "must be ≥ 0 bytes per parameter")
    # (replicated bytes per parameter, sharded bytes per parameter) for each stage
    replicated, sharded = {0: (4.0 + kk, 0.0), 1: (4.0, kk), 2: (2.0, 2.0 + kk), 3: (0.0, 4.0 + kk)}[int(zero_stage)]
    return scalar_or_array(psi * (replicated + np.asarray(sharded) / nd))


# --------------------------------------------------------------------------- roofline

def roofline_attainable_flops(arithmetic_intensity: Any, peak_flops: Any, bandwidth_bytes_per_s: Any) -> Any:
    r"""Attainable FLOP/s under the roofline model (Williams, Waterman, Patterson 2009, CACM 52(4)).

    .. math:: P = \min(P_{peak},\ B \cdot I)

    I is the arithmetic intensity (FLOPs per byte moved to/from memory), B the memory
    bandwidth (bytes/s). Left of the ridge point (:func:`ridge_point`) a kernel is
    memory-bound, right of it compute-bound.

    Parameters
    ----------
    arithmetic_intensity : float or array
        I, FLOPs/byte, ≥ 0.
    peak_flops : float or array
        P_peak, FLOP/s, > 0.
    bandwidth_bytes_per_s : float or array
        B, bytes/s, > 0.

    Returns
    -------
    float or ndarray
        FLOP/s.

    Examples
    --------
    H200 BF16 (989.4 TFLOP/s dense, 4.8 TB/s): 100 FLOP/byte is memory-bound:

    >>> roofline_attainable_flops(100, 989.4e12, 4.8e12) / 1e12
    480.0
    >>> (roofline_attainable_flops([10, 1000], 989.4e12, 4.8e12) / 1e12).tolist()
    [48.0, 989.4]
    """
    i = as_float_array(arithmetic_intensity, "arithmetic_intensity")
    p = _positive_flops(peak_flops, "peak_flops")
    b = as_float_array(bandwidth_bytes_per_s, "bandwidth_bytes_per_s")
    require(i >= 0, "arithmetic_intensity", arithmetic_intensity, "must be ≥ 0 FLOPs/byte")
    require((b > 0) & np.isfinite(b), "bandwidth_bytes_per_s", bandwidth_bytes_per_s, "must be > 0 bytes/s")
    return scalar_or_array(np.minimum(p, b * i))


def ridge_point(peak_flops: Any, bandwidth_bytes_per_s: Any) -> Any:
    r"""Arithmetic intensity where the roofline bends: :math:`I^* = P_{peak} / B` (FLOPs/byte).

    Where the two roofs of :func:`roofline_attainable_flops` meet, :math:`B \cdot I^* = P_{peak}`
    (Williams, Waterman, Patterson 2009, CACM 52(4)): kernels with lower intensity are
    memory-bound, kernels with higher intensity compute-bound.

    Parameters
    ----------
    peak_flops : float or array
        P_peak, FLOP/s, > 0.
    bandwidth_bytes_per_s : float or array
        B, bytes/s, > 0.

    Returns
    -------
    float or ndarray
        I*, FLOPs per byte.

    Examples
    --------
    H200 BF16 (989.4 TFLOP/s dense, 4.8 TB/s):

    >>> round(ridge_point(989.4e12, 4.8e12), 1)
    206.1
    """
    p = _positive_flops(peak_flops, "peak_flops")
    b = as_float_array(bandwidth_bytes_per_s, "bandwidth_bytes_per_s")
    require((b > 0) & np.isfinite(b), "bandwidth_bytes_per_s", bandwidth_bytes_per_s, "must be > 0 bytes/s")
    return scalar_or_array(p / b)


# --------------------------------------------------------------------------- energy and cost

def energy_joules(seconds: Any, power_watts: Any) -> Any:
    r"""Energy of a phase at a mean power: :math:`E = P \cdot t` (J = W·s).

    Used for the Zeus traces: energy per epoch = time_per_epoch × average_power
    (You, Chung, Chowdhury, NSDI 2023).

    Parameters
    ----------
    seconds : float or array
        t, duration (s), ≥ 0.
    power_watts : float or array
        P, mean power over that duration (W), ≥ 0.

    Returns
    -------
    float or ndarray
        E in joules (divide by 3.6e6 for kWh).

    Examples
    --------
    >>> energy_joules([10.0, 20.0], 250.0).tolist()
    [2500.0, 5000.0]
    """
    t = as_float_array(seconds, "seconds")
    p = as_float_array(power_watts, "power_watts")
    require(t >= 0, "seconds", seconds, "must be ≥ 0 s")
    require(p >= 0, "power_watts", power_watts, "must be ≥ 0 W")
    return scalar_or_array(t * p)


@dataclass(frozen=True)
class RunEnergyCost:
    """Energy, cost and emissions of a run.

    Attributes
    ----------
    gpu_hours : float or ndarray
        Device-hours.
    it_energy_kwh : float or ndarray
        Energy drawn by the devices (kWh) = GPU-hours × W / 1000.
    energy_kwh : float or ndarray
        Facility energy (kWh) = IT energy × PUE.
    cost_usd : float, ndarray or None
        GPU-hours × price per GPU-hour (None without a price). A cloud price already
        includes power and cooling, so it is not added to the energy.
    co2_kg : float, ndarray or None
        Facility energy × carbon intensity (None without an intensity).
    """

    gpu_hours: Any
    it_energy_kwh: Any
    energy_kwh: Any
    cost_usd: Any
    co2_kg: Any


def run_energy_cost(
    gpu_hours: Any,
    power_watts: Any,
    pue: Any = 1.0,
    price_per_gpu_hour: Any = None,
    carbon_kg_per_kwh: Any = None,
) -> RunEnergyCost:
    r"""Energy, cost and CO₂ of a run from its device-hours.

    .. math::
        E_{IT} = h \cdot P / 1000\ \text{kWh},\quad E = PUE \cdot E_{IT},\quad
        \$ = h \cdot price,\quad CO_2 = E \cdot CI

    PUE (power usage effectiveness, The Green Grid) is facility energy ÷ IT energy, ≥ 1.
    ``power_watts`` should be the mean measured board power under the workload (e.g. the
    H200's ~690 W during bf16 matrix products), not the TDP. The same accounting is in
    Patterson et al. 2021 (arXiv:2104.10350) and LaMDA §10 (Thoppilan et al. 2022).

    Parameters
    ----------
    gpu_hours : float or array
        Device-hours, ≥ 0 (see :func:`gpu_hours`).
    power_watts : float or array
        Mean power per device (W), ≥ 0.
    pue : float or array, default 1.0
        ≥ 1.
    price_per_gpu_hour : float or array, optional
        USD per device-hour, ≥ 0.
    carbon_kg_per_kwh : float or array, optional
        Grid carbon intensity (kg CO₂e per kWh), ≥ 0.

    Returns
    -------
    RunEnergyCost

    Examples
    --------
    1000 GPU-hours at 690 W, PUE 1.1, $10.60 per GPU-hour, 0.4 kg CO₂e/kWh:

    >>> r = run_energy_cost(1000, 690, pue=1.1, price_per_gpu_hour=10.6, carbon_kg_per_kwh=0.4)
    >>> r.it_energy_kwh, round(r.energy_kwh, 1), round(r.cost_usd, 2), round(r.co2_kg, 2)
    (690.0, 759.0, 10600.0, 303.6)
    """
    h = as_float_array(gpu_hours, "gpu_hours")
    w = as_float_array(power_watts, "power_watts")
    e = as_float_array(pue, "pue")
    require(h >= 0, "gpu_hours", gpu_hours, "must be ≥ 0 device-hours")
    require(w >= 0, "power_watts", power_watts, "must be ≥ 0 W")
    require((e >= 1) & np.isfinite(e), "pue", pue, "must be ≥ 1 (facility energy ÷ IT energy)")
    it_kwh = h * w / 1000.0
    facility = it_kwh * e
    cost = None
    if price_per_gpu_hour is not None:
        price = as_float_array(price_per_gpu_hour, "price_per_gpu_hour")
        require(price >= 0, "price_per_gpu_hour", price_per_gpu_hour, "must be ≥ 0 USD per device-hour")
        cost = scalar_or_array(h * price)
    co2 = None
    if carbon_kg_per_kwh is not None:
        ci = as_float_array(carbon_kg_per_kwh, "carbon_kg_per_kwh")
        require(ci >= 0, "carbon_kg_per_kwh", carbon_kg_per_kwh, "must be ≥ 0 kg CO2e per kWh")
        co2 = scalar_or_array(facility * ci)
    return RunEnergyCost(scalar_or_array(h), scalar_or_array(it_kwh), scalar_or_array(facility), cost, co2)


# --------------------------------------------------------------------------- cluster utilisation

_CLUSTER_COLUMNS = ["resource", "available_units", "allocated_units", "utilization_target"]


def utilization_table(table: pd.DataFrame | None = None) -> pd.DataFrame:
    r"""The compute-cluster table with utilisation and over-target columns.

    .. math:: u = \frac{allocated}{available}, \qquad \text{over target} \iff u > u_{target}

    "Over" is strict: a pool exactly at its target is not over it (the article's
    model_serving_pool: 9/12 = 0.75 = target). A relative tolerance of 1e-12 keeps
    a ratio that equals its target up to rounding from counting as over.

    Parameters
    ----------
    table : DataFrame, optional
        Columns ``resource``, ``available_units`` (> 0), ``allocated_units`` (0 ≤ … ≤
        available) and ``utilization_target`` (fraction in (0, 1]). Defaults to the
        article's table, :func:`infra_lab.article.compute_cluster`.

    Returns
    -------
    DataFrame
        The input columns plus ``utilization`` (fraction), ``over_target`` (bool) and
        ``free_units`` (available − allocated).

    Examples
    --------
    >>> t = utilization_table()
    >>> t["utilization"].tolist()
    [0.8125, 0.875, 0.65, 0.75]
    >>> t.loc[t["over_target"], "resource"].tolist()
    ['gpu_pool_b']
    """
    if table is None:
        from .article import compute_cluster

        table = compute_cluster()
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table={type(table).__name__}: must be a pandas DataFrame with columns {_CLUSTER_COLUMNS}")
    require_columns(table, _CLUSTER_COLUMNS, "table")
    available = as_float_array(table["available_units"], "available_units")
    allocated = as_float_array(table["allocated_units"], "allocated_units")
    target = as_float_array(table["utilization_target"], "utilization_target")
    require(available > 0, "available_units", available, "must be > 0 units")
    require((allocated >= 0) & (allocated <= available), "allocated_units", allocated,
            "must be between 0 and available_units")
    require((target > 0) & (target <= 1), "utilization_target", target, "must be a fraction in (0, 1]")
    out = table.copy()
    u = allocated / available
    out["utilization"] = u
    out["over_target"] = u > target * (1.0 + 1e-12)
    out["free_units"] = available - allocated
    return out


@dataclass(frozen=True)
class UtilizationSummary:
    """Summary of a cluster table.

    Attributes
    ----------
    mean_utilization : float
        Unweighted mean of the pools' utilisations (each pool counts once).
    pooled_utilization : float
        Σ allocated / Σ available (each unit counts once).
    over_target : tuple of str
        Pools whose utilisation exceeds their target.
    allocated_units, available_units : float
        Totals.
    """

    mean_utilization: float
    pooled_utilization: float
    over_target: tuple[str, ...]
    allocated_units: float
    available_units: float


def utilization_summary(table: pd.DataFrame | None = None) -> UtilizationSummary:
    r"""Mean and pooled utilisation of a cluster table and the pools over target.

    .. math:: \bar u = \frac{1}{k}\sum_i \frac{a_i}{c_i}, \qquad
              u_{pooled} = \frac{\sum_i a_i}{\sum_i c_i}

    The mean treats every pool alike; the pooled ratio weights pools by size. They differ
    when big pools run at different utilisation than small ones — in the article's table the
    large, lightly used CPU pool (52/80) pulls the pooled ratio (101/140 ≈ 0.721) below the
    mean (0.771875). Adding GPUs and CPUs as "units" is only meaningful as an illustration.

    Parameters
    ----------
    table : DataFrame, optional
        As for :func:`utilization_table` (defaults to the article's compute-cluster table).

    Returns
    -------
    UtilizationSummary
        Both utilisations as fractions, the pools over target and the unit totals.

    Examples
    --------
    >>> s = utilization_summary()
    >>> s.mean_utilization, round(s.pooled_utilization, 4), s.over_target
    (0.771875, 0.7214, ('gpu_pool_b',))
    """
    t = utilization_table(table)
    alloc = float(t["allocated_units"].sum())
    avail = float(t["available_units"].sum())
    return UtilizationSummary(
        mean_utilization=float(t["utilization"].mean()),
        pooled_utilization=alloc / avail,
        over_target=tuple(t.loc[t["over_target"], "resource"].astype(str)),
        allocated_units=alloc,
        available_units=avail,
    )
