"""Loaders for the real data bundled in ``data/`` — offline, checksummed, cited.

Every file in ``data/`` is a verbatim copy of the course's shared data folder, listed with
its sha256 in ``data/MANIFEST.sha256``. Each loader checks the file against the manifest
before reading it, so a missing or damaged file fails loudly with the file's name and how
to restore it instead of producing a subtly wrong lab. Provenance, licences and quirks of
every file: ``data/SOURCES.md``; the H200 measurements: ``data/measured_h200/README.md``.

Each ``load_*`` function returns a ``pandas.DataFrame`` (or a dict for the JSON machine
descriptions) and carries its metadata in ``info(name)``: file, columns and units, licence,
citation.

>>> flights = load_flights()
>>> len(flights), info("flights").licence
(33678, 'CC0')
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from ._paths import course_root

__all__ = [
    "DataFileError",
    "DatasetInfo",
    "DATASETS",
    "data_dir",
    "info",
    "verify",
    "verify_all",
    "load",
    "load_azure_llm_conv",
    "load_azure_llm_code",
    "load_mooncake_trace",
    "load_epoch_models",
    "load_epoch_hardware",
    "load_epoch_hardware_prices",
    "load_pai_minibatch_time",
    "load_pai_minibatch_cov",
    "load_zeus_power",
    "load_zeus_train",
    "load_acme_cluster_summary",
    "load_lingjun_topology",
    "load_flights",
    "load_weather",
    "load_airlines",
    "load_vm_noise",
    "load_h200_matmul_roofline",
    "load_h200_memory_bandwidth",
    "load_h200_training_flops",
    "load_h200_serving_batching",
    "load_h200_cpu_scaling",
    "load_h200_llm_prefill",
    "load_h200_llm_decode",
    "load_h200_power_energy",
    "load_h200_power_samples",
    "load_h200_machine",
    "load_h200_llm_machine",
]

_CC_BY = "CC BY 4.0"
_APACHE = "Apache-2.0"
_H200 = "measured on an NVIDIA H200, 2026-11-27 (data/measured_h200/README.md)"
_H200_LICENCE = "made for this course; free to use with that citation"


class DataFileError(RuntimeError):
    """A bundled data file is missing or does not match its recorded checksum."""


@dataclass(frozen=True)
class DatasetInfo:
    """What a bundled file is: where it lives, what its columns mean, who to credit."""

    name: str
    path: str  # relative to data/
    description: str
    columns: str  # columns and units, as a reader needs them
    licence: str
    citation: str


DATASETS: dict[str, DatasetInfo] = {d.name: d for d in [
    DatasetInfo("azure_llm_conv", "azure_llm_inference_2023_conv.csv",
                "Azure LLM inference trace 2023, conversation service: 19,366 requests over one hour",
                "TIMESTAMP (arrival, naive datetime, 100 ns resolution), ContextTokens (input tokens), "
                "GeneratedTokens (output tokens)", _CC_BY,
                "Patel et al., 'Splitwise', ISCA 2024; Azure Public Dataset (Microsoft)"),
    DatasetInfo("azure_llm_code", "azure_llm_inference_2023_code.csv",
                "Azure LLM inference trace 2023, code service: 8,819 requests over one hour",
                "TIMESTAMP (arrival, naive datetime), ContextTokens, GeneratedTokens", _CC_BY,
                "Patel et al., 'Splitwise', ISCA 2024; Azure Public Dataset (Microsoft)"),
    DatasetInfo("mooncake_trace", "mooncake_conversation_trace.csv",
                "Mooncake (Kimi) conversation trace: 12,031 requests with KV prefix-block hashes",
                "timestamp_ms (ms since trace start), input_tokens, output_tokens, n_prefix_blocks "
                "(512-token KV blocks), hash_ids (space-separated block ids)", _APACHE,
                "Qin et al., 'Mooncake', USENIX FAST 2025 (kvcache-ai/Mooncake)"),
    DatasetInfo("epoch_models", "epoch_ai_models.csv",
                "Epoch AI notable models: parameters, training compute, dataset size, hardware",
                "Parameters (count), Training compute (FLOP), Training dataset size (datapoints; "
                "mostly tokens for language), Training time (hours), Hardware quantity (chips), "
                "Hardware utilization (MFU) (fraction), Training compute estimation method, ...",
                _CC_BY + " (Epoch AI data statement)",
                "Epoch AI, 'Data on AI Models', epoch.ai/data/ai-models (snapshot via "
                "epoch-research/training-cost-trends)"),
    DatasetInfo("epoch_hardware", "epoch_ml_hardware.csv",
                "Epoch AI ML hardware: peak FLOP/s per precision, memory, bandwidth, TDP (161 chips)",
                "peak throughput columns in FLOP/s, Memory size per board (Byte), Memory bandwidth "
                "(byte/s), TDP (W)", _CC_BY + " (Epoch AI data statement)",
                "Epoch AI, 'Data on Machine Learning Hardware'"),
    DatasetInfo("epoch_hardware_prices", "epoch_hardware_prices.csv",
                "Epoch AI hardware prices: cloud USD per chip-hour and purchase prices",
                "Price date, Hardware model, Price per chip-hour (on-demand|1-year CUD|3-year CUD) "
                "in USD, Price (hardware purchase) in USD", _CC_BY + " (Epoch AI data statement)",
                "Epoch AI, 'Data on Machine Learning Hardware'"),
    DatasetInfo("pai_minibatch_time", "alibaba_pai2020_minibatch_time.csv",
                "Alibaba PAI 2020: per-worker mini-batch times of 4 distributed jobs (10 workers)",
                "job, worker (0-9), gpu_percent (%), iteration (every 10th step), "
                "batch_time_norm (normalised to 0-1000 per job; relative, not seconds)", _CC_BY,
                "Weng et al., 'MLaaS in the Wild', NSDI 2022 (alibaba/clusterdata)"),
    DatasetInfo("pai_minibatch_cov", "alibaba_pai2020_minibatch_cov_wide.csv",
                "Alibaba PAI 2020: coefficient of variation of mini-batch time across 10 workers, "
                "100 jobs × up to 2,000 iterations",
                "index job_00..job_99; columns '0'..'1999' iteration; values CoV (-); empty after "
                "a job ended", _CC_BY,
                "Weng et al., 'MLaaS in the Wild', NSDI 2022 (alibaba/clusterdata)"),
    DatasetInfo("zeus_power", "zeus_gpu_power_trace.csv",
                "Zeus: time per epoch and average power vs GPU power limit, 4 GPUs × 6 workloads",
                "gpu, dataset, network, batch_size, optimizer, power_limit (W), time_per_epoch (s), "
                "average_power (W)", _APACHE,
                "You, Chung, Chowdhury, 'Zeus', NSDI 2023 (ml-energy/zeus)"),
    DatasetInfo("zeus_train", "zeus_train_trace.csv",
                "Zeus: epochs to reach the target metric vs batch size and learning rate (10 seeds)",
                "dataset, network, batch_size, optimizer, learning_rate (text), run, target_metric, "
                "target_epoch (empty: target not reached, our reading)", _APACHE,
                "You, Chung, Chowdhury, 'Zeus', NSDI 2023 (ml-energy/zeus)"),
    DatasetInfo("acme_cluster_summary", "acme_cluster_summary.csv",
                "AcmeTrace: job, queueing and failure statistics of five GPU clusters",
                "id (cluster), job counts, *_time_* in s, *_rate_* fractions, *_gpu_time in "
                "GPU-seconds", _CC_BY,
                "Hu et al., 'Characterization of LLM Development in the Datacenter', NSDI 2024"),
    DatasetInfo("lingjun_topology", "alibaba_lingjun2023_topology.csv",
                "Alibaba Lingjun 2023: 847 hosts in a 3-tier Clos (core, aggregation, ToR)",
                "ip (hashed host), DSW (core switch), PSW (aggregation), ASW (ToR)", _APACHE,
                "Cao et al., 'Crux', ACM SIGCOMM 2024"),
    DatasetInfo("flights", "nycflights13_flights_sample10.csv",
                "NYC flights 2013, a 10 % sample (33,678 flights) in original order",
                "year, month, day; dep_time, arr_time, sched_* (HHMM local); dep_delay, arr_delay "
                "(min); air_time (min); distance (miles); time_hour (scheduled hour, UTC 'Z')",
                "CC0", "Wickham, nycflights13; US Bureau of Transportation Statistics"),
    DatasetInfo("weather", "nycflights13_weather.csv",
                "Hourly weather at EWR, JFK and LGA in 2013",
                "temp, dewp (°F), humid (%), wind_dir (deg), wind_speed, wind_gust (mph), precip "
                "(inches), pressure (mbar), visib (miles), time_hour (UTC 'Z')", "CC0",
                "Wickham, nycflights13; US Bureau of Transportation Statistics"),
    DatasetInfo("airlines", "nycflights13_airlines.csv", "Carrier codes and names",
                "carrier (code), name", "CC0", "Wickham, nycflights13"),
    DatasetInfo("vm_noise", "azure_vm_noise_pgbench_rw25.csv.gz",
                "Azure VM noise: pgbench TPC-B-like runs (scale 25, 25 clients) on B8ms and D8s_v5",
                "vm_lifespan, vm_region, vm_sku, vm_id, starttime (naive), runtime_s (s), tps "
                "(transactions/s), avg_latency_ms (ms, per-run mean)", _CC_BY,
                "Freischuetz et al., 'TUNA', EuroSys 2025; Azure Public Dataset (Microsoft)"),
    DatasetInfo("h200_matmul_roofline", "measured_h200/matmul_roofline.csv",
                "Matrix products A(m×k)@B(k×n) on an H200, four number formats",
                "dtype, m, k, n, flops (=2mkn), bytes, arithmetic_intensity (FLOP/byte), median_s, "
                "min_s (s), tflops (TFLOP/s achieved)", _H200_LICENCE, _H200),
    DatasetInfo("h200_memory_bandwidth", "measured_h200/memory_bandwidth.csv",
                "Device-to-device copy bandwidth on an H200 vs buffer size",
                "megabytes, bytes_read_plus_written, median_s (s), gb_per_s (GB/s)", _H200_LICENCE, _H200),
    DatasetInfo("h200_training_flops", "measured_h200/training_flops.csv",
                "GPT-style training steps on an H200 with counted FLOPs, 3M-2.5B parameters",
                "model, layers, d_model, heads, ctx, batch, tokens_per_step, params_* (count), "
                "counted_flops_per_step (FLOP), six_n_d_*, kaplan_with_attention (FLOP), "
                "step_median_s (s), achieved_tflops, tokens_per_s, peak_mem_gb", _H200_LICENCE, _H200),
    DatasetInfo("h200_serving_batching", "measured_h200/serving_batching.csv",
                "Inference latency vs batch size on an H200: an MLP scorer and a 350M transformer",
                "model, batch, seq_len, p50_ms, p99_ms (ms), requests_per_s", _H200_LICENCE, _H200),
    DatasetInfo("h200_cpu_scaling", "measured_h200/cpu_scaling.csv",
                "16-core host: feature build with 1-16 processes and a BLAS matmul with 1-16 threads",
                "workload, workers, rep, chunks, rows_per_chunk, seconds (s)", _H200_LICENCE, _H200),
    DatasetInfo("h200_llm_prefill", "measured_h200/llm_prefill.csv",
                "Prefill time of a Llama-7B-shaped model on an H200, prompts of 128-8192 tokens",
                "model, params, prompt_tokens, batch, median_ms, p90_ms (ms), tokens_per_s, "
                "approx_tflops", _H200_LICENCE, _H200),
    DatasetInfo("h200_llm_decode", "measured_h200/llm_decode.csv",
                "Decode-step time of a Llama-7B-shaped model on an H200 by batch and context",
                "model, params, batch, context_tokens, median_ms_eager, p90_ms_eager, "
                "median_ms_cuda_graph (ms), tokens_per_s_*, bytes_read_floor_gb (GB per step)",
                _H200_LICENCE, _H200),
    DatasetInfo("h200_power_energy", "measured_h200/power_energy.csv",
                "H200 board power and energy efficiency for idle, matmul, copy and LLM decode",
                "workload (unit in brackets), seconds, calls, units_per_s, mean_watts (W), "
                "units_per_joule", _H200_LICENCE, _H200),
    DatasetInfo("h200_power_samples", "measured_h200/power_samples.csv",
                "Every 50 ms NVML power sample behind power_energy.csv",
                "phase, t_s (s), watts (W)", _H200_LICENCE, _H200),
    DatasetInfo("h200_machine", "measured_h200/machine.json",
                "Software and hardware of the H200 runs", "JSON object", _H200_LICENCE, _H200),
    DatasetInfo("h200_llm_machine", "measured_h200/llm_machine.json",
                "Model shape and software of the LLM prefill/decode runs", "JSON object",
                _H200_LICENCE, _H200),
]}


def data_dir() -> Path:
    """The folder holding the bundled data: ``$INFRA_LAB_DATA`` if set, else the course's ``data/``.

    That is ``<repo>/data`` in a checkout and the copy inside the package in an installed wheel.
    """
    return Path(os.environ.get("INFRA_LAB_DATA", course_root() / "data"))


def info(name: str) -> DatasetInfo:
    """Metadata of a bundled data set (see ``DATASETS`` for the names)."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"no bundled data set {name!r}; choose one of {sorted(DATASETS)}") from None


@lru_cache(maxsize=4)
def _manifest(folder: Path) -> dict[str, str]:
    path = folder / "MANIFEST.sha256"
    if not path.exists():
        raise DataFileError(f"{path} is missing; restore it with `git checkout -- data/MANIFEST.sha256`")
    entries = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            entries[rel.strip()] = digest
    return entries


@lru_cache(maxsize=None)
def _verified(folder: Path, rel: str, size: int, mtime_ns: int) -> bool:
    # Keyed by folder, size and mtime, so a file replaced during a session is checked again.
    digest = hashlib.sha256((folder / rel).read_bytes()).hexdigest()
    expected = _manifest(folder).get(rel)
    if expected is None:
        raise DataFileError(f"data/{rel} is not listed in data/MANIFEST.sha256")
    if digest != expected:
        raise DataFileError(
            f"data/{rel} is damaged: sha256 {digest[:12]}… does not match the manifest's "
            f"{expected[:12]}…. Restore it with `git checkout -- data/{rel}` (or copy it again "
            "from the shared data folder)."
        )
    return True


def verify(name: str) -> Path:
    """Check one bundled file against the manifest and return its path.

    Raises
    ------
    DataFileError
        If the file is missing or its sha256 differs from ``data/MANIFEST.sha256``; the
        message names the file and how to restore it.
    """
    rel = info(name).path
    folder = data_dir()
    path = folder / rel
    if not path.exists():
        raise DataFileError(
            f"data/{rel} is missing. Restore it with `git checkout -- data/{rel}` "
            "(the course ships all data in the repository; nothing is downloaded)."
        )
    stat = path.stat()
    _verified(folder, rel, stat.st_size, stat.st_mtime_ns)
    return path


def verify_all() -> list[str]:
    """Verify every bundled file; return their names (raises on the first bad one)."""
    for name in DATASETS:
        verify(name)
    return list(DATASETS)


def load(name: str, **read_csv_kwargs: Any) -> pd.DataFrame | dict:
    """Load a bundled data set by name after verifying it (CSV → DataFrame, JSON → dict)."""
    path = verify(name)
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    df = pd.read_csv(path, **read_csv_kwargs)
    df.attrs["source"] = info(name).citation
    df.attrs["licence"] = info(name).licence
    return df


# One documented loader per file. Each converts only what every lab needs converted
# (timestamps to datetimes); everything else is as published.

def load_azure_llm_conv() -> pd.DataFrame:
    """Azure LLM inference trace 2023, conversation (CC BY 4.0; Patel et al., ISCA 2024).

    Columns: ``TIMESTAMP`` (datetime64, naive; all on 2023-11-16), ``ContextTokens``,
    ``GeneratedTokens``. 19,366 rows, ~5.5 requests/s; outputs are capped at 1,000 tokens.
    """
    df = load("azure_llm_conv")
    df["TIMESTAMP"] = pd.to_datetime(df["TIMESTAMP"])
    return df


def load_azure_llm_code() -> pd.DataFrame:
    """Azure LLM inference trace 2023, code (CC BY 4.0; Patel et al., ISCA 2024).

    Columns as ``load_azure_llm_conv``. 8,819 rows, ~2.6 requests/s, one 217 s arrival gap.
    """
    df = load("azure_llm_code")
    df["TIMESTAMP"] = pd.to_datetime(df["TIMESTAMP"])
    return df


def load_mooncake_trace() -> pd.DataFrame:
    """Mooncake conversation trace (Apache-2.0; Qin et al., FAST 2025).

    Columns: ``timestamp_ms`` (ms), ``input_tokens``, ``output_tokens``, ``n_prefix_blocks``,
    ``hash_ids`` (space-separated 512-token block ids; ``s.split()`` parses them).
    Timestamps are coarse (71 % whole seconds).
    """
    return load("mooncake_trace")


def load_epoch_models() -> pd.DataFrame:
    """Epoch AI notable-models table (CC BY 4.0 per Epoch's data statement).

    ``Publication date`` is parsed to datetime. Caveat (data/SOURCES.md): most compute values
    estimated by 'Operation counting' were computed as 6·N·D, so they cannot test C ≈ 6ND.
    """
    df = load("epoch_models")
    df["Publication date"] = pd.to_datetime(df["Publication date"], errors="coerce")
    return df


def load_epoch_hardware() -> pd.DataFrame:
    """Epoch AI ML hardware table: peak FLOP/s by precision, memory bytes, bandwidth byte/s, TDP W."""
    df = load("epoch_hardware")
    df["Release date"] = pd.to_datetime(df["Release date"], errors="coerce")
    return df


def load_epoch_hardware_prices() -> pd.DataFrame:
    """Epoch AI hardware prices: USD per chip-hour (on-demand / 1-year / 3-year) and purchase USD."""
    df = load("epoch_hardware_prices")
    df["Price date"] = pd.to_datetime(df["Price date"], errors="coerce")
    return df


def load_pai_minibatch_time() -> pd.DataFrame:
    """Alibaba PAI 2020 per-worker mini-batch times (CC BY 4.0; Weng et al., NSDI 2022).

    ``batch_time_norm`` is normalised to 0-1000 per job: compare workers within a job only.
    """
    return load("pai_minibatch_time")


def load_pai_minibatch_cov() -> pd.DataFrame:
    """Alibaba PAI 2020 CoV of mini-batch time across 10 workers: 100 jobs × iterations (wide).

    Index: job id; columns: iteration ('0'..'1999'); NaN after a job ended. ``.stack()``
    gives the long form.
    """
    return load("pai_minibatch_cov", index_col=0)


def load_zeus_power() -> pd.DataFrame:
    """Zeus GPU power trace (Apache-2.0; You et al., NSDI 2023): power_limit W, time_per_epoch s, average_power W."""
    return load("zeus_power")


def load_zeus_train() -> pd.DataFrame:
    """Zeus training trace (Apache-2.0): epochs to target vs batch size and learning rate, 10 seeds."""
    return load("zeus_train")


def load_acme_cluster_summary() -> pd.DataFrame:
    """AcmeTrace cluster summary (CC BY 4.0; Hu et al., NSDI 2024): times in s, rates as fractions."""
    return load("acme_cluster_summary")


def load_lingjun_topology() -> pd.DataFrame:
    """Alibaba Lingjun 2023 host → switch topology (Apache-2.0; Cao et al., SIGCOMM 2024)."""
    return load("lingjun_topology")


def load_flights() -> pd.DataFrame:
    """NYC flights 2013, 10 % sample (CC0). ``time_hour`` is parsed as a UTC datetime.

    Cancelled flights have empty ``dep_time``/``dep_delay``; delays are in minutes, distance
    in miles, clock times are HHMM integers in local time.
    """
    df = load("flights")
    df["time_hour"] = pd.to_datetime(df["time_hour"], utc=True)
    return df


def load_weather() -> pd.DataFrame:
    """Hourly weather at the three NYC airports, 2013 (CC0). ``time_hour`` parsed as UTC.

    Contains a real defect for validation labs: one ``wind_speed`` of ~1048 mph.
    """
    df = load("weather")
    df["time_hour"] = pd.to_datetime(df["time_hour"], utc=True)
    return df


def load_airlines() -> pd.DataFrame:
    """Carrier code → airline name (CC0)."""
    return load("airlines")


def load_vm_noise() -> pd.DataFrame:
    """Azure VM noise, pgbench read-write runs (CC BY 4.0; Freischuetz et al., EuroSys 2025).

    ``starttime`` parsed (naive); ``avg_latency_ms`` is a per-run mean in ms.
    """
    df = load("vm_noise")
    df["starttime"] = pd.to_datetime(df["starttime"])
    return df


def load_h200_matmul_roofline() -> pd.DataFrame:
    """H200 matrix-product timings: flops, bytes, arithmetic_intensity (FLOP/byte), tflops achieved."""
    return load("h200_matmul_roofline")


def load_h200_memory_bandwidth() -> pd.DataFrame:
    """H200 device copy bandwidth: bytes_read_plus_written, median_s, gb_per_s."""
    return load("h200_memory_bandwidth")


def load_h200_training_flops() -> pd.DataFrame:
    """H200 GPT-style training steps with counted FLOPs (FlopCounterMode) and step times."""
    return load("h200_training_flops")


def load_h200_serving_batching() -> pd.DataFrame:
    """H200 inference latency (p50_ms, p99_ms) and requests_per_s vs batch size, two models."""
    return load("h200_serving_batching")


def load_h200_cpu_scaling() -> pd.DataFrame:
    """16-core host scaling: seconds per run by workload, workers and repetition."""
    return load("h200_cpu_scaling")


def load_h200_llm_prefill() -> pd.DataFrame:
    """Llama-7B-shaped prefill on an H200: median_ms by prompt_tokens (batch 1)."""
    return load("h200_llm_prefill")


def load_h200_llm_decode() -> pd.DataFrame:
    """Llama-7B-shaped decode step on an H200: median ms (eager, CUDA graph) by batch × context."""
    return load("h200_llm_decode")


def load_h200_power_energy() -> pd.DataFrame:
    """H200 board power (mean_watts) and units_per_joule per workload (unit in the name's brackets)."""
    return load("h200_power_energy")


def load_h200_power_samples() -> pd.DataFrame:
    """Every NVML power sample (50 ms) of the H200 power run: phase, t_s, watts."""
    return load("h200_power_samples")


def load_h200_machine() -> dict:
    """Software and hardware of the H200 runs (GPU, SM count, CUDA, PyTorch)."""
    return load("h200_machine")


def load_h200_llm_machine() -> dict:
    """Model configuration of the LLM runs (layers, d, heads, ffn, vocab, params, KV bytes/token)."""
    return load("h200_llm_machine")
