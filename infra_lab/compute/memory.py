r"""Memory: model-state bytes per device under ZeRO, and the roofline model.

* model-state memory per device with mixed-precision Adam under ZeRO (Rajbhandari et al.
  2020, §3 and Fig. 1);
* the roofline model: attainable FLOP/s from arithmetic intensity, and its ridge point
  (Williams, Waterman and Patterson 2009).

>>> round(model_state_memory_bytes(7.5e9) / 1e9)
120
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import count, finite_result, nonnegative, positive, scalar_or_array
from infra_lab._deprecation import deprecated_alias

__all__ = ["model_state_memory_bytes", "roofline_attainable_flop_per_s", "ridge_point"]


def model_state_memory_bytes(params: Any, zero_stage: int = 0, devices: Any = 1, k_optimizer_bytes: float = 12) -> Any:
    r"""Per-device memory of model states with mixed-precision Adam, under ZeRO.

    .. math::
        \text{stage 0 (baseline DP): } (2+2+K)\Psi \quad
        \text{stage 1 } (P_{os})\text{: } 4\Psi + \frac{K\Psi}{N_d} \quad
        \text{stage 2 } (P_{os+g})\text{: } 2\Psi + \frac{(2+K)\Psi}{N_d} \quad
        \text{stage 3 } (P_{os+g+p})\text{: } \frac{(2+2+K)\Psi}{N_d}

    Ψ parameters, N_d data-parallel devices, 2 bytes each for fp16 weights and gradients and
    K = 12 bytes of optimizer state per parameter (fp32 master weights, momentum, variance)
    — 16 bytes per parameter in total. Activations, buffers and fragmentation are **not**
    included (the H200 training steps in the course data peak well above 16 bytes per
    parameter for small models for that reason).

    Parameters
    ----------
    params : float or array_like
        Ψ, parameters (count), ≥ 0 and finite.
    zero_stage : {0, 1, 2, 3}, default 0
        0 is plain data parallelism (everything replicated).
    devices : int or array_like, default 1
        N_d, data-parallel devices, a whole number ≥ 1.
    k_optimizer_bytes : float, default 12
        K, optimizer-state bytes per parameter (12 for mixed-precision Adam), ≥ 0 and finite.

    Returns
    -------
    float or ndarray
        Bytes per device (GB = 1e9 bytes in the paper).

    See Also
    --------
    chinchilla_optimal : a model size to put in.
    h200_specs : the HBM one device has.

    References
    ----------
    Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
    Models", arXiv:1910.02054, 2020, §3.1 (16Ψ bytes for mixed-precision Adam) and Figure 1
    (Ψ = 7.5B, N_d = 64: 120 GB, 31.4 GB, 16.6 GB, 1.9 GB).

    Examples
    --------
    The paper's Figure 1: Ψ = 7.5B, N_d = 64 → 120 GB, 31.4 GB, 16.6 GB, 1.9 GB:

    >>> [round(model_state_memory_bytes(7.5e9, s, 64) / 1e9, 1) for s in range(4)]
    [120.0, 31.4, 16.6, 1.9]
    """
    psi = nonnegative("params", params)
    stage = int(count("zero_stage", zero_stage, minimum=0, maximum=3))
    nd = count("devices", devices, minimum=1).astype(float)
    kk = nonnegative("k_optimizer_bytes", k_optimizer_bytes)
    # (replicated bytes per parameter, sharded bytes per parameter) for each stage
    replicated, sharded = {0: (4.0 + kk, 0.0), 1: (4.0, kk), 2: (2.0, 2.0 + kk), 3: (0.0, 4.0 + kk)}[stage]
    return finite_result("model_state_memory_bytes", scalar_or_array(psi * (replicated + np.asarray(sharded) / nd)),
                         "params × k_optimizer_bytes is too large for a float")


def roofline_attainable_flop_per_s(arithmetic_intensity: Any, peak_flop_per_s: Any, bandwidth_bytes_per_s: Any) -> Any:
    r"""Attainable FLOP/s under the roofline model.

    .. math:: P = \min(P_{peak},\ B \cdot I)

    I is the arithmetic intensity (FLOPs per byte moved to/from memory), B the memory
    bandwidth (bytes/s). Left of the ridge point (:func:`ridge_point`) a kernel is
    memory-bound, right of it compute-bound.

    Parameters
    ----------
    arithmetic_intensity : float or array_like
        I, FLOPs/byte, ≥ 0 and finite.
    peak_flop_per_s : float or array_like
        P_peak, FLOP/s, > 0 and finite.
    bandwidth_bytes_per_s : float or array_like
        B, bytes/s, > 0 and finite.

    Returns
    -------
    float or ndarray
        FLOP/s.

    See Also
    --------
    ridge_point : the intensity where the two roofs meet.
    flops_utilization : the fraction of this bound a kernel reaches.

    References
    ----------
    Williams, Waterman and Patterson, "Roofline: An Insightful Visual Performance Model for
    Multicore Architectures", Communications of the ACM 52(4), 2009, pp. 65–76, Figure 1
    (attainable GFlop/s = min(peak floating-point performance, peak memory bandwidth ×
    operational intensity)).

    Examples
    --------
    H200 BF16 (989.4 TFLOP/s dense, 4.8 TB/s): 100 FLOP/byte is memory-bound:

    >>> roofline_attainable_flop_per_s(100, 989.4e12, 4.8e12) / 1e12
    480.0
    >>> (roofline_attainable_flop_per_s([10, 1000], 989.4e12, 4.8e12) / 1e12).tolist()
    [48.0, 989.4]
    """
    i = nonnegative("arithmetic_intensity", arithmetic_intensity)
    p = positive("peak_flop_per_s", peak_flop_per_s)
    b = positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    with np.errstate(over="ignore"):   # B·I beyond float range is simply above the peak
        return scalar_or_array(np.minimum(p, b * i))


def ridge_point(peak_flop_per_s: Any, bandwidth_bytes_per_s: Any) -> Any:
    r"""Arithmetic intensity where the roofline bends (FLOPs/byte).

    .. math:: I^* = \frac{P_{peak}}{B}

    Where the two roofs of :func:`roofline_attainable_flop_per_s` meet, :math:`B \cdot I^* =
    P_{peak}`: kernels with lower intensity are memory-bound, kernels with higher intensity
    compute-bound.

    Parameters
    ----------
    peak_flop_per_s : float or array_like
        P_peak, FLOP/s, > 0 and finite.
    bandwidth_bytes_per_s : float or array_like
        B, bytes/s, > 0 and finite.

    Returns
    -------
    float or ndarray
        I*, FLOPs per byte.

    See Also
    --------
    roofline_attainable_flop_per_s : the roofline itself.

    References
    ----------
    Williams, Waterman and Patterson, "Roofline", Communications of the ACM 52(4), 2009,
    pp. 65–76, Figure 1 (the ridge point, where the diagonal and flat roofs meet).

    Examples
    --------
    H200 BF16 (989.4 TFLOP/s dense, 4.8 TB/s):

    >>> round(ridge_point(989.4e12, 4.8e12), 1)
    206.1
    """
    p = positive("peak_flop_per_s", peak_flop_per_s)
    b = positive("bandwidth_bytes_per_s", bandwidth_bytes_per_s)
    return finite_result("ridge_point", scalar_or_array(p / b),
                         "peak_flop_per_s is too large for bandwidth_bytes_per_s")


roofline_attainable_flops = deprecated_alias("roofline_attainable_flops", roofline_attainable_flop_per_s)
