r"""Storage throughput and checkpoint write time.

A training checkpoint is the model state written to storage; how long it takes decides how
often a job can afford one. Two steps, one line each:

* :func:`checkpoint_size_bytes` — bytes of model state: parameters × bytes per parameter.
* :func:`checkpoint_write_time_s` — size ÷ the slowest of the writers' combined bandwidth and
  the storage system's.
* :func:`pcie_bandwidth_bytes_per_s` — the ceiling of a PCI Express link (an SSD's or a GPU's)
  from its transfer rate and lane count.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import count, finite_result, nonnegative, positive

__all__ = ["checkpoint_size_bytes", "checkpoint_write_time_s", "pcie_bandwidth_bytes_per_s"]


def _plain(x: Any) -> Any:
    """A 0-d result as a Python float, an array as it is."""
    return float(x) if np.ndim(x) == 0 else x


def _product(*factors: Any) -> Any:
    """Product without a RuntimeWarning on overflow: ``finite_result`` names the error instead."""
    with np.errstate(over="ignore", invalid="ignore"):
        out = factors[0]
        for f in factors[1:]:
            out = out * f
        return out


def checkpoint_size_bytes(params: Any, bytes_per_param: Any = 14.0) -> Any:
    r"""Bytes of model state in a checkpoint.

    .. math:: S = \Psi \cdot b

    With mixed-precision Adam a model holds 16 bytes per parameter Ψ (ZeRO §3.1): 2 for the
    fp16/bf16 weights, 2 for their gradients and K = 12 for the fp32 master weights, momentum
    and variance. A checkpoint needs no gradients: b = 14 to resume training exactly, b = 2
    for the half-precision weights alone (what inference loads).

    Parameters
    ----------
    params : float or array_like
        Parameters Ψ (a count; float so 175e9 can be written), > 0 and finite.
    bytes_per_param : float or array_like, default 14.0
        Bytes stored per parameter, > 0.

    Returns
    -------
    float or ndarray
        Bytes.

    See Also
    --------
    checkpoint_write_time_s : how long writing it takes.

    References
    ----------
    Rajbhandari, Rasley, Ruwase & He, "ZeRO: Memory Optimizations Toward Training Trillion
    Parameter Models", SC 2020 (arXiv:1910.02054), §3.1: mixed-precision Adam holds 16Ψ
    bytes — "a GPT-2 model with 1.5B parameters requires at least 24GB".

    Examples
    --------
    ZeRO's 24 GB for 1.5 billion parameters at 16 bytes each; without gradients, 21 GB:

    >>> checkpoint_size_bytes(1.5e9, 16) / 1e9, checkpoint_size_bytes(1.5e9) / 1e9
    (24.0, 21.0)
    """
    n = positive("params", params)
    b = positive("bytes_per_param", bytes_per_param)
    return _plain(finite_result("checkpoint_size_bytes", _product(n, b)))


def checkpoint_write_time_s(size_bytes: Any, writers: Any, per_writer_bytes_per_s: Any,
                            storage_bytes_per_s: Any = np.inf) -> Any:
    r"""Time to write a checkpoint spread evenly over parallel writers.

    .. math:: T = \frac{S}{\min(W \cdot b_{writer},\ B_{storage})}

    Each of W writers (GPUs or nodes, each saving its shard) pushes ``per_writer`` bytes per
    second until the storage system's aggregate bandwidth caps them: adding writers helps
    only up to :math:`W^* = B_{storage} / b_{writer}`. A bandwidth model — it ignores
    metadata and file-open costs, which dominate only for small shards.

    Parameters
    ----------
    size_bytes : float or array_like
        Checkpoint size S, bytes; ≥ 0.
    writers : int or array_like of int
        Parallel writers W, ≥ 1.
    per_writer_bytes_per_s : float or array_like
        Sustained write bandwidth of one writer, bytes/s; > 0.
    storage_bytes_per_s : float or array_like, default inf
        Aggregate bandwidth of the storage system, bytes/s; > 0 (inf: no shared limit).

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    checkpoint_size_bytes : the size S.
    pcie_bandwidth_bytes_per_s : the ceiling of one writer's link.

    References
    ----------
    Mohan, Phanishayee & Chidambaram, "CheckFreq: Frequent, Fine-Grained DNN
    Checkpointing", USENIX FAST 2021, §2 (checkpoint cost is the time to write model and
    optimizer state to storage; it bounds how often one can checkpoint).

    Examples
    --------
    A 94.4 GB checkpoint by 8 writers at 2 GB/s each, storage capped at 10 GB/s:

    >>> round(float(checkpoint_write_time_s(94.4e9, 8, 2e9, 10e9)), 2)
    9.44
    """
    s = nonnegative("size_bytes", size_bytes)
    w = count("writers", writers, minimum=1)
    b = positive("per_writer_bytes_per_s", per_writer_bytes_per_s)
    cap = positive("storage_bytes_per_s", storage_bytes_per_s, finite=False)
    return _plain(finite_result("checkpoint_write_time_s", s / np.minimum(w * b, cap)))


def pcie_bandwidth_bytes_per_s(transfer_rate_gt_per_s: Any, lanes: Any) -> Any:
    r"""Ceiling of a PCI Express link in one direction, from its transfer rate and lanes.

    .. math:: B = r \cdot L \cdot \tfrac{128}{130} \cdot \tfrac{1}{8}\ \text{bytes/s}

    Each lane carries r gigatransfers (bits) per second; generations 3.0 and later encode
    128 payload bits in 130 (8.0, 16.0, 32.0 GT/s for PCIe 3.0, 4.0, 5.0). Packet headers
    lower the usable rate further, so real devices stay below this ceiling.

    Parameters
    ----------
    transfer_rate_gt_per_s : float or array_like
        Transfer rate per lane, gigatransfers per second (1e9 per second), > 0.
    lanes : int or array_like of int
        Lanes, ≥ 1 (x4 for an NVMe SSD, x16 for a GPU).

    Returns
    -------
    float or ndarray
        Bytes per second.

    See Also
    --------
    checkpoint_write_time_s : uses a writer's bandwidth.

    References
    ----------
    PCI-SIG, *PCI Express Base Specification*, Revision 5.0, 2019, Chapter 4 (Physical Layer:
    data rates 2.5–32.0 GT/s; 128b/130b encoding at 8.0 GT/s and above).

    Examples
    --------
    A PCIe 4.0 x4 SSD link and a PCIe 5.0 x16 GPU link, in GB/s:

    >>> round(pcie_bandwidth_bytes_per_s(16, 4) / 1e9, 2), round(pcie_bandwidth_bytes_per_s(32, 16) / 1e9, 2)
    (7.88, 63.02)
    """
    r = positive("transfer_rate_gt_per_s", transfer_rate_gt_per_s)
    n = count("lanes", lanes, minimum=1)
    return _plain(finite_result("pcie_bandwidth_bytes_per_s", _product(r, 1e9 * 128 / 130 / 8, n)))
