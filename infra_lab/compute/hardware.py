r"""The course's accelerator: the measured NVIDIA H200 and its datasheet peaks, in one place.

Notebooks ask :func:`h200_specs` rather than typing the constants: what was measured comes
from the measured machine's files (``data/measured_h200/machine.json`` and
``memory_bandwidth.csv``, described in ``data/measured_h200/README.md``), what a vendor
publishes (peak FLOP/s per number format, HBM bandwidth, capacity, TDP) from the NVIDIA
H200 datasheet.

>>> h200_specs().peak_bf16_flop_per_s / 1e12
989.4
"""

from __future__ import annotations

from dataclasses import dataclass

from .._results import Result

__all__ = ["H200Specs", "h200_specs"]

# NVIDIA H200 Tensor Core GPU datasheet, "Technical Specifications", H200 SXM column. The
# datasheet prints tensor-core rates with 2:4 sparsity; these are the dense rates (half of
# them), as quoted in data/measured_h200/README.md. FP32 is a non-tensor rate (no sparsity).
_PEAK_FLOP_PER_S = {"fp32": 67.0e12, "tf32": 494.7e12, "bf16": 989.4e12, "fp16": 989.4e12, "fp8": 1979.0e12}
_HBM_BANDWIDTH_BYTES_PER_S = 4.8e12   # "GPU Memory Bandwidth 4.8TB/s"
_HBM_GB = 141.0                       # "GPU Memory 141GB"
_TDP_W = 700.0                        # "Max Thermal Design Power (TDP) Up to 700W"


@dataclass(frozen=True)
class H200Specs(Result):
    """The H200 of the course data: measured facts and datasheet peaks.

    Attributes
    ----------
    gpu : str
        Device name as the driver reports it (``machine.json``).
    sm_count : int
        Streaming multiprocessors (measured machine: 132).
    measured_memory_bytes : float
        Device memory the driver reports (bytes; 150.1e9 — the datasheet's 141 GB is
        usable HBM capacity in its own rounding).
    memory_gb : float
        Datasheet HBM3e capacity (GB): 141.
    peak_fp32_flop_per_s : float
        Datasheet FP32 peak (FLOP/s, non-tensor): 67e12.
    peak_tf32_flop_per_s : float
        Datasheet TF32 tensor-core peak, dense (FLOP/s): 494.7e12.
    peak_bf16_flop_per_s : float
        Datasheet BF16 tensor-core peak, dense (FLOP/s): 989.4e12.
    peak_fp16_flop_per_s : float
        Datasheet FP16 tensor-core peak, dense (FLOP/s): 989.4e12.
    peak_fp8_flop_per_s : float
        Datasheet FP8 tensor-core peak, dense (FLOP/s): 1979e12.
    bandwidth_bytes_per_s : float
        Datasheet HBM bandwidth (bytes/s): 4.8e12.
    measured_bandwidth_bytes_per_s : float
        Largest device-to-device copy bandwidth measured (bytes/s, ``memory_bandwidth.csv``).
    tdp_w : float
        Datasheet maximum TDP (W): 700; the board power limit of the measured runs.

    See Also
    --------
    h200_specs : returns it.
    """

    gpu: str
    sm_count: int
    measured_memory_bytes: float
    memory_gb: float
    peak_fp32_flop_per_s: float
    peak_tf32_flop_per_s: float
    peak_bf16_flop_per_s: float
    peak_fp16_flop_per_s: float
    peak_fp8_flop_per_s: float
    bandwidth_bytes_per_s: float
    measured_bandwidth_bytes_per_s: float
    tdp_w: float

    @property
    def peak_flop_per_s_by_dtype(self) -> dict[str, float]:
        """Datasheet dense peaks keyed by the ``dtype`` names of ``matmul_roofline.csv``."""
        return {"fp32": self.peak_fp32_flop_per_s, "tf32": self.peak_tf32_flop_per_s,
                "bf16": self.peak_bf16_flop_per_s, "fp16": self.peak_fp16_flop_per_s,
                "fp8": self.peak_fp8_flop_per_s}


def h200_specs() -> H200Specs:
    r"""The measured H200's facts (from its machine files) and its datasheet peaks.

    Nothing is computed: measured values are read from ``data/measured_h200/machine.json``
    (name, SM count, reported memory) and ``memory_bandwidth.csv`` (the largest copy
    bandwidth, bytes read + written ÷ median time); vendor values are the datasheet's.

    Parameters
    ----------
    None.

    Returns
    -------
    H200Specs

    See Also
    --------
    roofline_attainable_flop_per_s : uses the peaks and a bandwidth.
    model_flops_utilization : uses the BF16 peak.

    References
    ----------
    NVIDIA H200 Tensor Core GPU datasheet, Table "Technical Specifications", H200 SXM column
    (141 GB HBM3e, 4.8 TB/s, up to 700 W; tensor rates printed with sparsity, dense = half),
    as quoted in data/measured_h200/README.md. Measured values: data/measured_h200/README.md,
    the Table of files (``machine.json`` and ``memory_bandwidth.csv`` rows).

    Examples
    --------
    >>> s = h200_specs()
    >>> s.gpu, s.sm_count, s.memory_gb, s.bandwidth_bytes_per_s / 1e12
    ('NVIDIA H200', 132, 141.0, 4.8)
    >>> round(s.measured_bandwidth_bytes_per_s / 1e12, 2)     # copy reaches ~88 % of 4.8 TB/s
    4.22
    """
    from .. import datasets   # imported here: datasets is infrastructure, loaded on demand

    machine = datasets.load_h200_machine()
    copies = datasets.load_h200_memory_bandwidth()
    return H200Specs(
        gpu=str(machine["gpu"]),
        sm_count=int(machine["sm_count"]),
        measured_memory_bytes=float(machine["gpu_memory_gb"]) * 1e9,
        memory_gb=_HBM_GB,
        peak_fp32_flop_per_s=_PEAK_FLOP_PER_S["fp32"],
        peak_tf32_flop_per_s=_PEAK_FLOP_PER_S["tf32"],
        peak_bf16_flop_per_s=_PEAK_FLOP_PER_S["bf16"],
        peak_fp16_flop_per_s=_PEAK_FLOP_PER_S["fp16"],
        peak_fp8_flop_per_s=_PEAK_FLOP_PER_S["fp8"],
        bandwidth_bytes_per_s=_HBM_BANDWIDTH_BYTES_PER_S,
        measured_bandwidth_bytes_per_s=float(copies["gb_per_s"].max()) * 1e9,
        tdp_w=_TDP_W,
    )
