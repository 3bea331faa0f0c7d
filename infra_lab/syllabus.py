"""The syllabus as data: notebooks ↔ article sections ↔ library modules ↔ real data, and
the registry of the article's formulas (formula → library function → notebook).

Every chapter extends these two tables; the course runner, the static tests and the
integration notebook read them. A formula has exactly one home in the library, and the
notebook named here must call it.

>>> [c.stem for c in SYLLABUS][:3]
['00_orientation', '01_foundations_lifecycle', '02_data_pipelines_dags']
>>> formula("pipeline_reliability").function
'infra_lab.pipelines.pipeline_reliability'
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

__all__ = [
    "Chapter", "Formula", "SYLLABUS", "FORMULAS",
    "chapter", "formula", "notebook_path", "resolve", "notebooks_dir",
]


@dataclass(frozen=True)
class Chapter:
    """One notebook of the course.

    Attributes
    ----------
    stem : str
        ``NN_topic`` — the notebook is ``notebooks/<stem>.ipynb``.
    title : str
    sections : tuple of str
        The article sections it covers.
    modules : tuple of str
        ``infra_lab`` modules it teaches.
    data : tuple of str
        Names of bundled data sets it reads (keys of ``infra_lab.datasets.DATASETS``).
    """

    stem: str
    title: str
    sections: tuple[str, ...]
    modules: tuple[str, ...]
    data: tuple[str, ...] = ()


@dataclass(frozen=True)
class Formula:
    """One formula of the article (or a formula the course adds to make it correct).

    Attributes
    ----------
    key : str
        Short unique name.
    latex : str
        The formula as the notebook shows it.
    function : str
        Dotted path of the one library function that computes it.
    notebook : str
        Stem of the notebook that teaches it (and calls ``function``).
    source : str
        Where the formula comes from.
    """

    key: str
    latex: str
    function: str
    notebook: str
    source: str


SYLLABUS: tuple[Chapter, ...] = (
    Chapter("00_orientation", "Orientation: why AI infrastructure matters",
            ("Introduction", "Why AI Infrastructure Matters"), ("readiness", "datasets", "article")),
    Chapter("01_foundations_lifecycle", "Foundations: the production-AI lifecycle",
            ("Foundations of AI Infrastructure",), ("pipelines", "article"), ("epoch_models",)),
    Chapter("02_data_pipelines_dags", "Data pipelines as DAGs: critical path, reliability, lineage",
            ("Data Pipelines and DAG Systems",), ("pipelines", "article"), ("acme_cluster_summary",)),
    Chapter("03_data_quality_skew", "Data quality, validation and training-serving skew",
            ("Data Quality, Validation, and Training-Serving Skew",), ("quality",),
            ("flights", "weather", "airlines")),
    Chapter("04_compute_accelerators", "Compute: FLOPs, accelerators, utilisation, energy and cost",
            ("Compute Systems: CPUs, GPUs, TPUs, and Accelerators",), ("compute", "article"),
            ("h200_training_flops", "h200_matmul_roofline", "h200_memory_bandwidth",
             "h200_power_energy", "epoch_models", "epoch_hardware", "epoch_hardware_prices",
             "zeus_power")),
    Chapter("05_distributed_parallel", "Distributed training and parallel computation",
            ("Distributed Systems and Parallel Computation",), ("parallel",),
            ("h200_cpu_scaling", "pai_minibatch_time", "pai_minibatch_cov")),
    Chapter("06_storage_feature_stores", "Storage, feature stores and point-in-time correctness",
            ("Storage, Feature Stores, and Data Management",), ("storage", "quality"),
            ("flights", "weather")),
    Chapter("07_serving_capacity", "Serving capacity, queueing and deployment strategies",
            ("Deployment, Serving, and Edge-Cloud Systems", "Worked Example: Serving Capacity and Latency Budget"),
            ("serving", "workload", "article"),
            ("azure_llm_conv", "azure_llm_code", "mooncake_trace", "h200_serving_batching",
             "h200_llm_prefill", "h200_llm_decode", "h200_memory_bandwidth", "h200_llm_machine")),
    Chapter("08_mlops_lifecycle", "MLOps: a real model through gates, canary, drift, retraining and rollback",
            ("MLOps and Lifecycle Orchestration",), ("mlops", "governance", "quality", "storage"),
            ("flights", "weather")),
    Chapter("12_governance_provenance", "Governance, provenance and auditability on a SQL metadata store",
            ("Governance, Provenance, and Auditability",), ("governance", "mlops")),
)

_P = "infra_lab.pipelines."
_R = "infra_lab.readiness."
_C = "infra_lab.compute."
_PAR = "infra_lab.parallel."
_Q = "infra_lab.quality."
_S = "infra_lab.storage."
_SV = "infra_lab.serving."
_W = "infra_lab.workload."

FORMULAS: tuple[Formula, ...] = (
    # 00 / 01 / 02 — foundations and pipelines
    Formula("readiness_score", r"Readiness = f(Data, Compute, Storage, Serving, Reliability, Governance)",
            _R + "readiness_score", "00_orientation", "the article, Mathematical Lens"),
    Formula("deployment_bound", r"Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)",
            _R + "deployment_readiness_bound", "00_orientation", "the article, Mathematical Lens"),
    Formula("weighted_risk", r"risk = debt \times criticality;\ high \ge 0.35,\ medium \ge 0.25",
            _R + "weighted_risk", "00_orientation", "the article, technical-debt table"),
    Formula("lifecycle", r"Data \to Features \to Training \to Evaluation \to Deployment \to Monitoring \to Feedback",
            _P + "lifecycle_graph", "01_foundations_lifecycle", "the article, Foundations"),
    Formula("dag", r"G = (V, E),\ \text{acyclic}", _P + "build_dag", "02_data_pipelines_dags",
            "the article, Mathematical Lens"),
    Formula("total_duration", r"T_{total} = \sum_i t_i", _P + "total_duration", "02_data_pipelines_dags",
            "the article's pipeline summary"),
    Formula("critical_path", r"ES_j = \max_{i \to j} EF_i,\ LF_i = \min_{i \to j} LS_j,\ slack = LS - ES",
            _P + "critical_path", "02_data_pipelines_dags",
            "Taylor, Introduction to Management Science, ch. 8 (CPM)"),
    Formula("pipeline_reliability", r"R = \prod_i (1 - p_i^{\,r+1})", _P + "pipeline_reliability",
            "02_data_pipelines_dags", "the article's pipeline summary; retries as independent attempts"),
    # 03 / 06 — data quality, skew, storage
    Formula("training_serving_skew", r"P_{train}(X, Y) \ne P_{serve}(X, Y)", _Q + "drift_report",
            "03_data_quality_skew", "the article, Data Quality section"),
    Formula("psi", r"PSI = \sum_i (c_i - r_i) \ln(c_i / r_i)", _Q + "population_stability_index",
            "03_data_quality_skew", "Yurdakul 2018; Evidently stattests/psi.py"),
    Formula("ks", r"D = \sup_x |F_{ref}(x) - F_{cur}(x)|", _Q + "ks_test", "03_data_quality_skew",
            "Kolmogorov-Smirnov; scipy.stats.ks_2samp"),
    Formula("jensen_shannon", r"JS = \sqrt{\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)}", _Q + "jensen_shannon_distance",
            "03_data_quality_skew", "scipy.spatial.distance.jensenshannon"),
    Formula("wasserstein", r"W_1 = \int |F_{ref}(x) - F_{cur}(x)|\,dx", _Q + "wasserstein",
            "03_data_quality_skew", "scipy.stats.wasserstein_distance"),
    Formula("chi_square", r"\chi^2 = \sum (O - E)^2 / E", _Q + "chi_square_test", "03_data_quality_skew",
            "Pearson; scipy.stats.chi2_contingency"),
    Formula("feature_consistency", r"F_{train}(D) = F_{serve}(D)", _Q + "feature_consistency",
            "03_data_quality_skew", "the article, Data Quality section"),
    Formula("point_in_time_join", r"x(e, t) = v(e, \max\{s \le t\}),\ t - s \le \Delta_{max}",
            _S + "point_in_time_join", "06_storage_feature_stores",
            "pandas.merge_asof docs (trades/quotes example); Feast docs, point-in-time joins"),
    Formula("feature_availability", r"Availability = f(Freshness, Consistency, Latency, Completeness)",
            _S + "feature_availability", "06_storage_feature_stores", "the article, Storage section"),
    # 04 — compute
    Formula("training_flops", r"C \approx k N D,\ k = 6", _C + "training_flops", "04_compute_accelerators",
            "Kaplan et al. 2020, Table 1; the article, Mathematical Lens"),
    Formula("forward_flops", r"C_{fwd} \approx 2N + 2 n_{layer} n_{ctx} d_{attn}", _C + "forward_flops_per_token",
            "04_compute_accelerators", "Kaplan et al. 2020, Table 1"),
    Formula("chinchilla", r"N_{opt} \propto C^{0.5},\ D_{opt} \approx 20 N_{opt}", _C + "chinchilla_optimal",
            "04_compute_accelerators", "Hoffmann et al. 2022, Tables 2-3"),
    Formula("training_time", r"T = C / (n \cdot peak \cdot MFU)", _C + "training_time_seconds",
            "04_compute_accelerators", "Narayanan et al. 2021 §5.1; PaLM App. B"),
    Formula("mfu", r"MFU = \frac{6N \cdot tokens/s}{n \cdot peak}", _C + "model_flops_utilization",
            "04_compute_accelerators", "Chowdhery et al. 2022 (PaLM), App. B"),
    Formula("zero_memory", r"M_0 = (4 + K)\Psi,\ M_1 = 4\Psi + \frac{K\Psi}{N_d},\ M_2 = 2\Psi + \frac{(2 + K)\Psi}{N_d},\ M_3 = \frac{(4 + K)\Psi}{N_d},\ K = 12", _C + "model_state_memory_bytes",
            "04_compute_accelerators", "Rajbhandari et al. 2020 (ZeRO), §3, Fig. 1"),
    Formula("roofline", r"P = \min(P_{peak}, B \cdot I)", _C + "roofline_attainable_flops",
            "04_compute_accelerators", "Williams, Waterman, Patterson 2009"),
    Formula("cluster_utilization", r"u = allocated / available", _C + "utilization_table",
            "04_compute_accelerators", "the article's compute-cluster table"),
    # 05 — parallel
    Formula("parallel_efficiency", r"E = T_1 / (n \cdot T_n)", _PAR + "parallel_efficiency",
            "05_distributed_parallel", "the article, Mathematical Lens"),
    Formula("gradient_average", r"g_t = \frac{1}{n} \sum_i g_{t,i}", _PAR + "average_gradients",
            "05_distributed_parallel", "the article, Mathematical Lens"),
    Formula("speedup", r"S = T_1 / T_n", _PAR + "speedup", "05_distributed_parallel", "definition of speedup"),
    Formula("straggler_expected_max", r"E[\max_n] = \int_0^\infty (1 - F(x)^n)\,dx",
            _PAR + "expected_max_step_time", "05_distributed_parallel",
            "order statistics (David & Nagaraja, Order Statistics, 2003)"),
    Formula("observed_step_slowdown", r"\frac{1}{I}\sum_i \max_w t_{i,w} / \bar t_i", _PAR + "observed_step_slowdown",
            "05_distributed_parallel", "definition (measured synchronous slowdown)"),
    Formula("amdahl", r"S = 1 / (s + (1 - s)/n)", _PAR + "amdahl_speedup", "05_distributed_parallel",
            "Amdahl 1967"),
    Formula("gustafson", r"S = n + (1 - n) s", _PAR + "gustafson_speedup", "05_distributed_parallel",
            "Gustafson, CACM 1988"),
    Formula("karp_flatt", r"e = (1/S - 1/n) / (1 - 1/n)", _PAR + "karp_flatt", "05_distributed_parallel",
            "Karp & Flatt, CACM 33(5), 1990"),
    Formula("ring_allreduce", r"T = 2(n-1)\alpha + 2\frac{n-1}{n}\frac{M}{B}", _PAR + "ring_allreduce_seconds",
            "05_distributed_parallel", "Patarasuk & Yuan 2009; Thakur et al. 2005"),
    Formula("bus_bandwidth", r"busbw = algbw \cdot 2(n-1)/n", _PAR + "bus_bandwidth", "05_distributed_parallel",
            "nccl-tests doc/PERFORMANCE.md"),
    Formula("pipeline_bubble", r"GPipe: (p-1)/(m+p-1);\ Megatron: (p-1)/(v m)", _PAR + "pipeline_bubble_fraction",
            "05_distributed_parallel", "Huang et al. 2019 (GPipe); Narayanan et al. 2021 §2.2"),
    # 07 — serving
    Formula("replicas", r"Replicas = \lceil Q / (Throughput_{replica} \cdot u) \rceil", _SV + "required_replicas",
            "07_serving_capacity", "the article's worked example"),
    Formula("capacity", r"Capacity = Replicas \times Throughput_{replica}", _SV + "serving_capacity_rps",
            "07_serving_capacity", "the article, Mathematical Lens"),
    Formula("latency_budget", r"T = \sum_i t_i,\ margin = budget - T", _SV + "latency_budget",
            "07_serving_capacity", "the article's worked example"),
    Formula("littles_law", r"L = \lambda W", _SV + "littles_law", "07_serving_capacity", "Little 1961"),
    Formula("erlang_c", r"C(c, a) = \frac{c B(c, a)}{c - a(1 - B(c, a))}", _SV + "erlang_c",
            "07_serving_capacity", "Erlang; Gross & Harris, Fundamentals of Queueing Theory"),
    Formula("mmc", r"W_q = C / (c\mu - \lambda),\ P(W_q > t) = C e^{-(c\mu - \lambda)t}", _SV + "mmc",
            "07_serving_capacity", "Gross & Harris; Bronson, Schaum's Operations Research ch. 23-24"),
    Formula("index_of_dispersion", r"D = \mathrm{Var}(N_k)/\mathrm{E}[N_k]", _W + "index_of_dispersion",
            "07_serving_capacity", "Cox & Lewis, The Statistical Analysis of Series of Events, 1966"),
    Formula("hpa_rule", r"desired = \lceil \hat\lambda / (\mu\, u_{target}) \rceil", _W + "simulate_autoscaler",
            "07_serving_capacity", "Kubernetes Horizontal Pod Autoscaler algorithm"),
    Formula("best_batch", r"B^* = \arg\max_{B:\,L_p(B) \le budget} X(B)", _W + "best_batch_under_latency",
            "07_serving_capacity", "measured H200 batching (data/measured_h200)"),
    Formula("llm_capacity", r"\mu = 1/\overline{P + o\,s(B,\bar L)/B}", _W + "llm_service_demand",
            "07_serving_capacity", "continuous batching: Yu et al., Orca, OSDI 2022; Kwon et al., vLLM, SOSP 2023"),
    Formula("decode_floor", r"t_{floor} = (N b_{param} + B L b_{KV}) / BW", _W + "decode_floor_ms",
            "07_serving_capacity", "data/measured_h200/README.md; Williams, Waterman, Patterson 2009"),
    Formula("pollaczek_khinchine", r"L_q = \lambda^2 E[S^2] / (2(1 - \rho))", _SV + "mg1",
            "07_serving_capacity", "Pollaczek-Khinchine formula"),
    # 08 / 12 — MLOps, governance
    Formula("dataset_content_hash", r"h = \mathrm{SHA256}(dtypes \,\|\, \mathrm{hash}(row_1) \,\|\, \dots)",
            "infra_lab.governance.records.dataset_content_hash", "08_mlops_lifecycle", "NIST FIPS 180-4, Section 6.2"),
    Formula("promotion_gate", r"staging \Leftarrow AUC \ge AUC_{min};\ production \Leftarrow AUC \ge AUC_{min} \wedge approved",
            "infra_lab.mlops.workflow.evaluate_candidate", "08_mlops_lifecycle",
            "Breck et al., The ML Test Score, IEEE Big Data 2017, Table 2; MLflow Model Registry"),
    Formula("canary", r"traffic_{canary} = s,\ traffic_{stable} = 1 - s", "infra_lab.mlops.workflow.deploy",
            "08_mlops_lifecycle", "Google SRE Workbook, ch. 16 (Canarying Releases)"),
    Formula("retraining_trigger", r"retrain = (\max_j PSI_j \ge \tau) \lor (AUC_{ref} - AUC_{cur} \ge \delta)",
            "infra_lab.mlops.monitoring.retraining_decision", "08_mlops_lifecycle",
            "Yurdakul 2018 (PSI reading); Breck et al. 2017, Table 4"),
    Formula("drift_monitor", r"PSI_j = \sum_i (c_{ij} - r_{ij}) \ln(c_{ij} / r_{ij})", "infra_lab.mlops.monitoring.monitor_deployment",
            "08_mlops_lifecycle", "Yurdakul 2018; the article, MLOps section"),
    Formula("lineage", r"L(p) = \{v : p \to^{+} v\}", "infra_lab.governance.queries.prediction_lineage",
            "12_governance_provenance", "SQLite lang_with, Section 3 (recursive CTEs); W3C PROV-DM"),
    Formula("impact", r"I(d) = \{v : v \to^{+} d\}", "infra_lab.governance.queries.dataset_impact",
            "12_governance_provenance", "SQLite lang_with, Section 3 (recursive CTEs)"),
    Formula("audit_completeness", r"completeness = |present| / (|M_{deployed}| \cdot |E|)",
            "infra_lab.governance.queries.audit_completeness", "12_governance_provenance",
            "the article, Governance section (evidence artifacts)"),
)


def notebooks_dir() -> Path:
    """``<repo>/notebooks`` — the instructor source of the course."""
    return Path(__file__).resolve().parents[1] / "notebooks"


def chapter(stem: str) -> Chapter:
    """The chapter with this stem; a clear ``KeyError`` listing the stems otherwise."""
    for c in SYLLABUS:
        if c.stem == stem:
            return c
    raise KeyError(f"no chapter {stem!r} in the syllabus; chapters are {[c.stem for c in SYLLABUS]}")


def formula(key: str) -> Formula:
    """The registry entry for ``key``."""
    for f in FORMULAS:
        if f.key == key:
            return f
    raise KeyError(f"no formula {key!r}; registered: {[f.key for f in FORMULAS]}")


def notebook_path(stem: str) -> Path:
    """Path of a chapter's notebook (the chapter must be in the syllabus)."""
    return notebooks_dir() / f"{chapter(stem).stem}.ipynb"


def resolve(function: str) -> Callable:
    """Import and return the function at a dotted path such as ``infra_lab.compute.training_flops``."""
    module, _, name = function.rpartition(".")
    return getattr(importlib.import_module(module), name)
