r"""Beyond the flat ring: two-level all-reduce, tensor and sharded data parallelism, parameter
servers, overlap, checkpoints and activation memory.

* ``hierarchical_allreduce_s`` — NVLink inside a node, the NIC across nodes;
* ``tensor_parallel_bytes_per_step`` and ``data_parallel_bytes_per_step`` — what Megatron
  tensor parallelism and ZeRO/FSDP send per GPU;
* ``parameter_server_s`` — push and pull through k servers;
* ``overlapped_step_s`` — a step whose communication hides behind compute;
* ``young_daly_interval_s``, ``checkpoint_waste_fraction``, ``system_mtbf_s`` — how often to
  checkpoint a job whose machines fail;
* ``activation_memory_bytes`` — Korthikanti et al.'s activation memory, with recomputation.

>>> round(young_daly_interval_s(60.0, 86400.0) / 60, 1)      # 1-min checkpoint, 1-day MTBF
53.7
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .._checks import count, finite_result, flag, fraction, nonnegative, option, positive, scalar_or_array

__all__ = [
    "hierarchical_allreduce_s",
    "tensor_parallel_bytes_per_step",
    "data_parallel_bytes_per_step",
    "parameter_server_s",
    "overlapped_step_s",
    "system_mtbf_s",
    "young_daly_interval_s",
    "checkpoint_waste_fraction",
    "activation_memory_bytes",
    "RECOMPUTE_MODES",
]

#: The recomputation modes :func:`activation_memory_bytes` knows (Korthikanti et al. 2022, Table 2).
RECOMPUTE_MODES: tuple[str, ...] = ("none", "selective", "full")


def hierarchical_allreduce_s(message_bytes: Any, gpus_per_node: Any, nodes: Any,
                             intra_bandwidth_bytes_per_s: Any, inter_bandwidth_bytes_per_s: Any,
                             intra_latency_s: Any = 0.0, inter_latency_s: Any = 0.0) -> Any:
    r"""Time of a two-level all-reduce: reduce-scatter in the node, all-reduce across nodes, all-gather.

    .. math::
        T = 2(g-1)\,\alpha_i + 2\,\frac{g-1}{g}\,\frac{M}{B_i}
            + 2(N-1)\,\alpha_e + 2\,\frac{N-1}{N}\,\frac{M/g}{B_e}

    Inside each node the ``g`` GPUs reduce-scatter over NVLink, so each holds a 1/g shard of
    the sum; the g shards are all-reduced across the ``N`` nodes in ``g`` parallel rings, each
    GPU through its own NIC (bandwidth :math:`B_e` per GPU); an all-gather over NVLink
    completes the result. Only M/g bytes per GPU cross the network, against M for a flat ring
    whose slowest link is a NIC (:func:`ring_allreduce_s` with :math:`B_e`): the two-level
    scheme is up to g× faster when the network dominates, and identical on one node.

    Parameters
    ----------
    message_bytes : float or array_like
        M, bytes per GPU (the gradient), ≥ 0 and finite.
    gpus_per_node : int or array_like of int
        g, GPUs per node, ≥ 1.
    nodes : int or array_like of int
        N, nodes, ≥ 1.
    intra_bandwidth_bytes_per_s : float or array_like
        :math:`B_i`, per-GPU bandwidth inside a node (NVLink, one direction), bytes/s, > 0.
    inter_bandwidth_bytes_per_s : float or array_like
        :math:`B_e`, per-GPU network bandwidth (its NIC), bytes/s, > 0.
    intra_latency_s : float or array_like, default 0.0
        :math:`\alpha_i`, latency per ring step inside a node (s), ≥ 0.
    inter_latency_s : float or array_like, default 0.0
        :math:`\alpha_e`, latency per ring step across nodes (s), ≥ 0.

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    ring_allreduce_s : the flat ring this improves on.

    References
    ----------
    NVIDIA nccl-tests documentation, "Performance reported by NCCL tests" (doc/PERFORMANCE),
    Section "Bus bandwidth" (ring reduce-scatter and all-gather move (n−1)/n · S each).
    Jia et al., "Highly Scalable Deep Learning Training System with Mixed-Precision: Training
    ImageNet in Four Minutes", arXiv:1807.11205, 2018, §3.3 (hierarchical all-reduce: reduce
    inside groups, all-reduce across groups, broadcast back).

    Examples
    --------
    14 GB over 8 nodes × 8 GPUs, 450 GB/s NVLink and a 12.5 GB/s NIC per GPU (no latency):

    >>> round(hierarchical_allreduce_s(14e9, 8, 8, 450e9, 12.5e9), 3)
    0.299
    >>> round(hierarchical_allreduce_s(14e9, 8, 1, 450e9, 12.5e9), 4)   # one node: NVLink only
    0.0544
    """
    m = nonnegative("message_bytes", message_bytes)
    g = count("gpus_per_node", gpus_per_node, minimum=1).astype(float)
    n = count("nodes", nodes, minimum=1).astype(float)
    bi = positive("intra_bandwidth_bytes_per_s", intra_bandwidth_bytes_per_s)
    be = positive("inter_bandwidth_bytes_per_s", inter_bandwidth_bytes_per_s)
    ai = nonnegative("intra_latency_s", intra_latency_s)
    ae = nonnegative("inter_latency_s", inter_latency_s)
    t = (2 * (g - 1) * ai + 2 * (g - 1) / g * m / bi
         + 2 * (n - 1) * ae + 2 * (n - 1) / n * (m / g) / be)
    return scalar_or_array(finite_result("hierarchical_allreduce_s", t, "the time is too large for a float"))


def tensor_parallel_bytes_per_step(batch: Any, seq_len: Any, hidden: Any, layers: Any,
                                   tensor_parallel: Any, bytes_per_value: Any = 2.0) -> Any:
    r"""Bytes each GPU sends for Megatron tensor parallelism in one forward + backward pass.

    .. math:: V = L \cdot 8\,b\,s\,h\,\frac{t-1}{t} \cdot \text{bytes per value}

    Each transformer layer split over t GPUs all-reduces its b·s·h activations twice in the
    forward pass (after attention and after the MLP) and twice in the backward pass; a ring
    all-reduce sends 2(t−1)/t of the message per GPU, so 4 · 2(t−1)/t · bsh per layer.
    Unlike data parallelism the volume grows with the batch and sequence, not with the
    parameters — and it happens on the critical path, which is why t stays within a node.

    Parameters
    ----------
    batch : int or array_like of int
        b, sequences per micro-batch, ≥ 1.
    seq_len : int or array_like of int
        s, tokens per sequence, ≥ 1.
    hidden : int or array_like of int
        h, hidden size, ≥ 1.
    layers : int or array_like of int
        L, transformer layers on this GPU, ≥ 1.
    tensor_parallel : int or array_like of int
        t, tensor-parallel degree, ≥ 1 (t = 1 sends nothing).
    bytes_per_value : float or array_like, default 2.0
        Bytes per activation value (2 for bf16/fp16), > 0.

    Returns
    -------
    float or ndarray
        Bytes sent per GPU per micro-batch (forward + backward).

    See Also
    --------
    data_parallel_bytes_per_step : the gradient traffic of data parallelism and ZeRO.

    References
    ----------
    Shoeybi et al., "Megatron-LM: Training Multi-Billion Parameter Language Models Using Model
    Parallelism", arXiv:1909.08053, 2019, Figure 4 (four all-reduces per layer, two forward,
    two backward). Narayanan et al., "Efficient Large-Scale Language Model Training on GPU
    Clusters Using Megatron-LM", SC 2021, §3.3 (8bsh(t−1)/t per layer per micro-batch).

    Examples
    --------
    GPT-3-like layer (h = 12288), one 2048-token sequence, t = 8, bf16, 12 layers per GPU:

    >>> round(tensor_parallel_bytes_per_step(1, 2048, 12288, 12, 8) / 1e9, 2)
    4.23
    """
    b = count("batch", batch, minimum=1).astype(float)
    s = count("seq_len", seq_len, minimum=1).astype(float)
    h = count("hidden", hidden, minimum=1).astype(float)
    n_layers = count("layers", layers, minimum=1).astype(float)
    t = count("tensor_parallel", tensor_parallel, minimum=1).astype(float)
    v = positive("bytes_per_value", bytes_per_value)
    with np.errstate(over="ignore"):  # an overflow becomes inf, refused by name just below
        out = n_layers * 8 * b * s * h * (t - 1) / t * v
    return scalar_or_array(finite_result("tensor_parallel_bytes_per_step", out, "the volume is too large"))


def data_parallel_bytes_per_step(params: Any, workers: Any, zero_stage: Any = 0, bytes_per_value: Any = 2.0) -> Any:
    r"""Bytes each GPU sends per step for data parallelism with ZeRO stage 0–3 (FSDP = stage 3).

    .. math::
        V = k\,\frac{n-1}{n}\,\Psi \cdot \text{bytes per value},\qquad
        k = 2\ \text{(stages 0, 1, 2)},\quad k = 3\ \text{(stage 3)}

    Plain data parallelism all-reduces the Ψ gradients: a reduce-scatter and an all-gather,
    (n−1)/n · Ψ each. ZeRO stages 1 and 2 keep that volume (reduce-scatter the gradients,
    all-gather the updated parameters). Stage 3 (FSDP) also gathers the parameters again for
    the backward pass: 1.5× the traffic, in exchange for 1/n of the model-state memory.

    Parameters
    ----------
    params : float or array_like
        Ψ, parameters, ≥ 0 and finite.
    workers : int or array_like of int
        n, data-parallel GPUs, ≥ 1.
    zero_stage : int or array_like of int, default 0
        ZeRO stage, 0–3.
    bytes_per_value : float or array_like, default 2.0
        Bytes per communicated value (2 for bf16/fp16 gradients), > 0.

    Returns
    -------
    float or ndarray
        Bytes sent per GPU per step.

    See Also
    --------
    tensor_parallel_bytes_per_step : activation traffic of tensor parallelism.
    ring_allreduce_s : the time to move it.

    References
    ----------
    Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
    Models", SC 2020, arXiv:1910.02054, §7 (communication analysis: 2Ψ for data parallelism
    and for P_os+g, 3Ψ, i.e. 1.5×, for P_os+g+p).

    Examples
    --------
    A 7B model in bf16 on 64 GPUs: stage 0 sends ~27.6 GB per GPU per step, stage 3 ~41.3 GB.

    >>> [round(data_parallel_bytes_per_step(7e9, 64, s) / 1e9, 1) for s in (0, 3)]
    [27.6, 41.3]
    """
    p = nonnegative("params", params)
    n = count("workers", workers, minimum=1).astype(float)
    stage = count("zero_stage", zero_stage, minimum=0, maximum=3)
    v = positive("bytes_per_value", bytes_per_value)
    k = np.where(stage == 3, 3.0, 2.0)
    with np.errstate(over="ignore"):
        out = k * (n - 1) / n * p * v
    return scalar_or_array(finite_result("data_parallel_bytes_per_step", out, "the volume is too large"))


def parameter_server_s(message_bytes: Any, workers: Any, servers: Any, worker_bandwidth_bytes_per_s: Any,
                       server_bandwidth_bytes_per_s: Any) -> Any:
    r"""Time to push gradients to, and pull parameters from, k parameter servers.

    .. math:: T = 2\,\max\!\left(\frac{M}{B_w},\ \frac{n\,M}{k\,B_s}\right)

    Each of the n workers pushes its M bytes (sharded over the k servers) and pulls M bytes
    back; each server receives n·M/k bytes and sends as many. Whichever link is slower — a
    worker's or a server's — sets the time. With k ≥ n servers of the workers' bandwidth it
    is 2M/B, as fast as a ring all-reduce (2(n−1)/n · M/B); with one server it is n times slower.

    Parameters
    ----------
    message_bytes : float or array_like
        M, bytes per worker, ≥ 0 and finite.
    workers : int or array_like of int
        n, workers, ≥ 1.
    servers : int or array_like of int
        k, parameter servers, ≥ 1.
    worker_bandwidth_bytes_per_s : float or array_like
        :math:`B_w`, a worker's link bandwidth (bytes/s), > 0.
    server_bandwidth_bytes_per_s : float or array_like
        :math:`B_s`, a server's link bandwidth (bytes/s), > 0.

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    ring_allreduce_s : the all-reduce alternative.

    References
    ----------
    Li et al., "Scaling Distributed Machine Learning with the Parameter Server", OSDI 2014, §3
    (push and pull of key ranges sharded over servers). Jiang et al., "A Unified Architecture for
    Accelerating Distributed DNN Training in Heterogeneous GPU/CPU Clusters" (BytePS), OSDI
    2020, §3 (communication time of all-reduce and of parameter servers).

    Examples
    --------
    1 GB from 16 workers over 12.5 GB/s links: one server takes 16× longer than 16 servers.

    >>> round(parameter_server_s(1e9, 16, 1, 12.5e9, 12.5e9), 2), round(parameter_server_s(1e9, 16, 16, 12.5e9, 12.5e9), 2)
    (2.56, 0.16)
    """
    m = nonnegative("message_bytes", message_bytes)
    n = count("workers", workers, minimum=1).astype(float)
    k = count("servers", servers, minimum=1).astype(float)
    bw = positive("worker_bandwidth_bytes_per_s", worker_bandwidth_bytes_per_s)
    bs = positive("server_bandwidth_bytes_per_s", server_bandwidth_bytes_per_s)
    t = 2 * np.maximum(m / bw, n * m / (k * bs))
    return scalar_or_array(finite_result("parameter_server_s", t, "the time is too large for a float"))


def overlapped_step_s(compute_s: Any, communication_s: Any, overlap: Any = 1.0) -> Any:
    r"""Step time when a fraction of the communication runs concurrently with compute.

    .. math:: T = T_{comp} + T_{comm} - \phi\,\min(T_{comp}, T_{comm})

    φ = 0 serialises them (T = sum); φ = 1 overlaps perfectly (T = max). Gradient bucketing
    starts all-reducing the last layers' gradients while the backward pass still computes
    the earlier ones, so part of the all-reduce hides — but never more than the compute
    that is left to hide it behind.

    Parameters
    ----------
    compute_s : float or array_like
        Compute time per step (s), ≥ 0 and finite.
    communication_s : float or array_like
        Communication time per step (s), ≥ 0 and finite.
    overlap : float or array_like, default 1.0
        φ, fraction of the shorter of the two that is hidden, in [0, 1].

    Returns
    -------
    float or ndarray
        Seconds per step.

    See Also
    --------
    ring_allreduce_s : a communication time to overlap.

    References
    ----------
    Li et al., "PyTorch Distributed: Experiences on Accelerating Data Parallel Training",
    PVLDB 13(12), 2020, §3.2.3 (overlapping computation with communication through gradient
    buckets), pp. 3005–3018.

    Examples
    --------
    >>> overlapped_step_s(1.0, 0.4, [0.0, 0.5, 1.0]).tolist()
    [1.4, 1.2, 1.0]
    """
    c = nonnegative("compute_s", compute_s)
    m = nonnegative("communication_s", communication_s)
    phi = fraction("overlap", overlap)
    return scalar_or_array(c + m - phi * np.minimum(c, m))


def system_mtbf_s(component_mtbf_s: Any, components: Any) -> Any:
    r"""Mean time between failures of a job that stops when any of its components fails.

    .. math:: M_{job} = M_{component} / n

    With independent, exponentially distributed failures the failure rates add, so a
    1,000-node job fails 1,000 times as often as one node.

    Parameters
    ----------
    component_mtbf_s : float or array_like
        MTBF of one component (node or GPU), seconds, > 0 and finite.
    components : int or array_like of int
        n, components the job needs, ≥ 1.

    Returns
    -------
    float or ndarray
        Seconds.

    See Also
    --------
    young_daly_interval_s : the checkpoint interval for that MTBF.

    References
    ----------
    Daly, "A higher order estimate of the optimum checkpoint interval for restart dumps",
    Future Generation Computer Systems 22(3), 2006, pp. 303–312 (exponential failures, the
    job's MTBF as the input M).

    Examples
    --------
    >>> system_mtbf_s(5 * 365 * 86400.0, 1000) / 3600     # a 5-year node MTBF, 1,000 nodes
    43.8
    """
    m = positive("component_mtbf_s", component_mtbf_s)
    n = count("components", components, minimum=1).astype(float)
    return scalar_or_array(m / n)


def young_daly_interval_s(checkpoint_s: Any, mtbf_s: Any, method: str = "young") -> Any:
    r"""Optimal compute time between checkpoints (Young 1974; Daly 2006).

    .. math::
        \tau_{Young} = \sqrt{2\,\delta\,M}, \qquad
        \tau_{Daly} = \sqrt{2\delta M}\left[1 + \tfrac13\sqrt{\tfrac{\delta}{2M}}
                      + \tfrac19\,\tfrac{\delta}{2M}\right] - \delta \quad (\delta < 2M),
        \quad \tau_{Daly} = M \ (\delta \ge 2M)

    δ is the time to write one checkpoint and M the job's mean time between failures.
    Checkpointing more often wastes time writing; less often loses more work per failure.

    Parameters
    ----------
    checkpoint_s : float or array_like
        δ, time to write one checkpoint (s), ≥ 0 and finite.
    mtbf_s : float or array_like
        M, the job's mean time between failures (s), > 0 and finite.
    method : {"young", "daly"}, default "young"
        Young's first-order or Daly's higher-order estimate.

    Returns
    -------
    float or ndarray
        Seconds of compute between checkpoints.

    See Also
    --------
    checkpoint_waste_fraction : the time lost at a given interval.
    system_mtbf_s : the job's MTBF from its components'.

    References
    ----------
    Young, "A first order approximation to the optimum checkpoint interval", Communications of
    the ACM 17(9), 1974, pp. 530–531. Daly, "A higher order estimate of the optimum checkpoint
    interval for restart dumps", Future Generation Computer Systems 22(3), 2006, pp. 303–312.

    Examples
    --------
    >>> round(young_daly_interval_s(300.0, 43.8 * 3600), 0)
    9727.0
    >>> round(young_daly_interval_s(300.0, 43.8 * 3600, method="daly"), 0)
    9528.0
    """
    d = nonnegative("checkpoint_s", checkpoint_s)
    m = positive("mtbf_s", mtbf_s)
    how = option("method", method, ("young", "daly"))
    with np.errstate(over="ignore", invalid="ignore"):
        young = finite_result("young_daly_interval_s", np.sqrt(2 * d * m), "checkpoint_s × mtbf_s is too large")
        if how == "young":
            return scalar_or_array(young)
        x = d / (2 * m)
        daly = np.where(d < 2 * m, young * (1 + np.sqrt(x) / 3 + x / 9) - d, m)
    return scalar_or_array(finite_result("young_daly_interval_s", daly, "checkpoint_s × mtbf_s is too large"))


def checkpoint_waste_fraction(interval_s: Any, checkpoint_s: Any, mtbf_s: Any, restart_s: Any = 0.0) -> Any:
    r"""Fraction of wall-clock time lost to checkpoints and failures (first order).

    .. math:: W(\tau) = \frac{\delta}{\tau + \delta} + \frac{R + (\tau + \delta)/2}{M}

    Per segment of τ compute + δ writing, δ is overhead; each failure (rate 1/M) costs a
    restart R plus, on average, half a segment of lost work. Minimising W over τ gives
    Young's :math:`\tau \approx \sqrt{2\delta M}` when δ ≪ τ ≪ M. Valid while W is small.

    Parameters
    ----------
    interval_s : float or array_like
        τ, compute time between checkpoints (s), > 0 and finite.
    checkpoint_s : float or array_like
        δ, time to write one checkpoint (s), ≥ 0 and finite.
    mtbf_s : float or array_like
        M, the job's mean time between failures (s), > 0 and finite.
    restart_s : float or array_like, default 0.0
        R, time to restart after a failure (s), ≥ 0 and finite.

    Returns
    -------
    float or ndarray
        Fraction of time lost (can exceed 1 where the first-order model no longer holds).

    See Also
    --------
    young_daly_interval_s : the interval that minimises it.

    References
    ----------
    Young, "A first order approximation to the optimum checkpoint interval", Communications of
    the ACM 17(9), 1974, pp. 530–531 (expected lost time per failure: half an interval).

    Examples
    --------
    >>> round(checkpoint_waste_fraction(9727.0, 300.0, 43.8 * 3600), 4)
    0.0617
    """
    tau = positive("interval_s", interval_s)
    d = nonnegative("checkpoint_s", checkpoint_s)
    m = positive("mtbf_s", mtbf_s)
    r = nonnegative("restart_s", restart_s)
    return scalar_or_array(d / (tau + d) + (r + (tau + d) / 2) / m)


def activation_memory_bytes(seq_len: Any, batch: Any, hidden: Any, heads: Any, layers: Any,
                            tensor_parallel: Any = 1, sequence_parallel: bool = False,
                            recompute: str = "none") -> Any:
    r"""Activation memory of a transformer's layers (Korthikanti et al. 2022, Table 2).

    .. math::
        A_{layer} = s\,b\,h\left(34 + \frac{5\,a\,s}{h}\right) \quad (t = 1,\ \text{no recomputation; Eq. 1})

    with t-way tensor parallelism (and optionally sequence parallelism) and recomputation:

    =====================  ====================================  ============================
    recompute              tensor parallel                       + sequence parallel
    =====================  ====================================  ============================
    none                   :math:`sbh(10 + 24/t + 5as/(ht))`     :math:`sbh(34/t + 5as/(ht))`
    selective              :math:`sbh(10 + 24/t)`                :math:`sbh \cdot 34/t`
    full                   :math:`2\,sbh`                        :math:`2\,sbh`
    =====================  ====================================  ============================

    In bytes, for 16-bit activations; times L layers. Selective recomputation drops the
    attention scores and softmax (the 5as/h term) and recomputes them in the backward pass.

    Parameters
    ----------
    seq_len : int or array_like of int
        s, tokens per sequence, ≥ 1.
    batch : int or array_like of int
        b, micro-batch size, ≥ 1.
    hidden : int or array_like of int
        h, hidden size, ≥ 1.
    heads : int or array_like of int
        a, attention heads, ≥ 1.
    layers : int or array_like of int
        L, layers held by this GPU, ≥ 1.
    tensor_parallel : int or array_like of int, default 1
        t, tensor-parallel degree, ≥ 1.
    sequence_parallel : bool, default False
        Shard the LayerNorm and dropout activations along the sequence too.
    recompute : {"none", "selective", "full"}, default "none"
        Which activations are recomputed in the backward pass.

    Returns
    -------
    float or ndarray
        Bytes of activations per GPU.

    See Also
    --------
    infra_lab.compute.model_state_memory_bytes : the other part of training memory.

    References
    ----------
    Korthikanti et al., "Reducing Activation Recomputation in Large Transformer Models",
    arXiv:2205.05198, 2022, Eq. 1 (sbh(34 + 5as/h) per layer) and Table 2 (the six cases).

    Examples
    --------
    GPT-3 175B (a = 96, h = 12288, s = 2048, 96 layers), b = 1: the attention term 5as/h is
    80, larger than the 34 of everything else; selective recomputation with t = 8 and
    sequence parallelism keeps 34/t:

    >>> round(activation_memory_bytes(2048, 1, 12288, 96, 96) / 1e9, 1)
    275.4
    >>> round(activation_memory_bytes(2048, 1, 12288, 96, 96, 8, True, "selective") / 1e9, 2)
    10.27
    """
    s = count("seq_len", seq_len, minimum=1).astype(float)
    b = count("batch", batch, minimum=1).astype(float)
    h = count("hidden", hidden, minimum=1).astype(float)
    a = count("heads", heads, minimum=1).astype(float)
    n_layers = count("layers", layers, minimum=1).astype(float)
    t = count("tensor_parallel", tensor_parallel, minimum=1).astype(float)
    sp = flag("sequence_parallel", sequence_parallel)
    how = option("recompute", recompute, RECOMPUTE_MODES)
    attention = 5 * a * s / (h * t)
    if how == "full":
        per = 2.0 + 0 * t
    elif sp:
        per = 34 / t + (attention if how == "none" else 0.0)
    else:
        per = 10 + 24 / t + (attention if how == "none" else 0.0)
    out = s * b * h * per * n_layers
    return scalar_or_array(finite_result("activation_memory_bytes", out, "the memory is too large for a float"))
