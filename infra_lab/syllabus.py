"""The syllabus as data: notebooks ↔ article sections ↔ library modules ↔ real data, and
the registry of the article's formulas (formula → library function → notebook).

Every chapter extends these two tables; the course runner, the static tests and the
integration notebook read them. A formula has exactly one home in the library, and the
notebook named here must call it.

>>> [c.stem for c in SYLLABUS][:3]
['00_orientation', '01_foundations_lifecycle', '02_data_pipelines_dags']
>>> formula("pipeline_reliability").function
'infra_lab.pipelines.reliability.pipeline_reliability'
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
            ("Foundations of AI Infrastructure",), ("pipelines", "plots", "article", "trends"), ("epoch_models",)),
    Chapter("02_data_pipelines_dags", "Data pipelines as DAGs: critical path, reliability, lineage",
            ("Data Pipelines and DAG Systems",), ("pipelines", "plots", "article"), ("acme_cluster_summary",)),
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
            ("Storage, Feature Stores, and Data Management",), ("storage", "stats", "quality", "vectors"),
            ("flights", "weather", "h200_memory_bandwidth")),
    Chapter("07_serving_capacity", "Serving capacity, queueing and deployment strategies",
            ("Deployment, Serving, and Edge-Cloud Systems", "Worked Example: Serving Capacity and Latency Budget"),
            ("serving", "workload", "article"),
            ("azure_llm_conv", "azure_llm_code", "mooncake_trace", "h200_serving_batching",
             "h200_llm_prefill", "h200_llm_decode", "h200_memory_bandwidth", "h200_llm_machine")),
    Chapter("08_mlops_lifecycle", "MLOps: a real model through gates, canary, drift, retraining and rollback",
            ("MLOps and Lifecycle Orchestration",), ("mlops", "governance", "quality", "storage"),
            ("flights", "weather")),
    Chapter("09_monitoring_reliability", "Monitoring, observability, SLOs and reliability",
            ("Monitoring, Observability, and Reliability",), ("observability", "reliability"),
            ("vm_noise", "acme_cluster_summary")),
    Chapter("10_technical_debt", "Technical debt and production-ML failure modes, made measurable",
            ("Technical Debt and Production ML Failure Modes",), ("debt", "readiness", "observability")),
    Chapter("11_security_supply_chain", "Security, access control and supply-chain risk",
            ("Security, Access Control, and Supply-Chain Risk",), ("security",), ("flights",)),
    Chapter("12_governance_provenance", "Governance, provenance and auditability on a SQL metadata store",
            ("Governance, Provenance, and Auditability",), ("governance", "mlops")),
    Chapter("13_integration_limits", "Integration and limits: the weakest layer, the hard problems, the Mathematical Lens",
            ("Integration", "Limits and Open Challenges", "Mathematical Lens"),
            ("limits", "readiness", "compute", "parallel", "pipelines", "observability", "security", "article")),
    # r11-capstone (issue 11)
    Chapter("14_capstone_readiness_review", "Capstone: the readiness review, reproduced and extended",
            ("Python workflow", "R workflow", "Worked Example: Serving Capacity and Latency Budget",
             "Mathematical Lens"),
            ("capstone", "readiness", "pipelines", "compute", "serving", "article")),
    Chapter("14_capstone_readiness_review_r", "Capstone in R: the article's R workflow in base R",
            ("R workflow",), ("capstone",)),
)


FORMULAS: tuple[Formula, ...] = (
    # 00 / 01 / 02 — foundations and pipelines
    Formula("readiness_score", r"\bar s_w = \sum_l w_l s_l / \sum_l w_l,\ l \in (Data, Compute, Storage, Serving, Reliability, Governance)",
            "infra_lab.readiness.layers.readiness_score", "00_orientation",
            "the course's weighted mean over the layers of the article's Mathematical Lens bound"),
    Formula("deployment_bound", r"Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)",
            "infra_lab.readiness.layers.deployment_readiness_bound", "00_orientation", "the article, Mathematical Lens"),
    Formula("weighted_risk", r"risk = debt \times criticality;\ high \ge 0.35,\ medium \ge 0.25",
            "infra_lab.readiness.risk.weighted_risk", "00_orientation", "the article, R workflow (components table)"),
    Formula("lifecycle", r"Data \to Features \to Training \to Evaluation \to Deployment \to Monitoring \to Feedback",
            "infra_lab.pipelines.dag.lifecycle_graph", "01_foundations_lifecycle", "the article, Foundations"),
    Formula("dag", r"G = (V, E),\ \text{acyclic}", "infra_lab.pipelines.dag.build_dag", "02_data_pipelines_dags",
            "the article, Mathematical Lens"),
    Formula("total_duration", r"T_{total} = \sum_i t_i", "infra_lab.pipelines.dag.total_duration_minutes", "02_data_pipelines_dags",
            "the article's pipeline summary"),
    Formula("critical_path", r"ES_j = \max_{i \to j} EF_i,\ LF_i = \min_{i \to j} LS_j,\ slack = LS - ES",
            "infra_lab.pipelines.dag.critical_path", "02_data_pipelines_dags",
            "Taylor, Introduction to Management Science, ch. 8 (CPM)"),
    Formula("pipeline_reliability", r"R = \prod_i (1 - p_i^{\,r+1})", "infra_lab.pipelines.reliability.pipeline_reliability",
            "02_data_pipelines_dags", "the article's pipeline summary; retries as independent attempts"),
    # 03 / 06 — data quality, skew, storage
    Formula("training_serving_skew", r"P_{train}(X, Y) \ne P_{serve}(X, Y)", "infra_lab.quality.drift.drift_report",
            "03_data_quality_skew", "the article, Data Quality section"),
    Formula("psi", r"PSI = \sum_i (c_i - r_i) \ln(c_i / r_i)", "infra_lab.quality.statistics.population_stability_index",
            "03_data_quality_skew", "Yurdakul 2018, PhD diss., Western Michigan Univ.; Jeffreys 1946, Proc. R. Soc. A 186"),
    Formula("ks", r"D = \sup_x |F_{ref}(x) - F_{cur}(x)|", "infra_lab.quality.statistics.ks_test", "03_data_quality_skew",
            "Hodges 1958, Arkiv för Matematik 3; scipy.stats.ks_2samp"),
    Formula("jensen_shannon", r"JS = \sqrt{\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)}", "infra_lab.quality.statistics.jensen_shannon_distance",
            "03_data_quality_skew", "Lin 1991, IEEE Trans. Inf. Theory 37(1); Endres & Schindelin 2003"),
    Formula("wasserstein", r"W_1 = \int |F_{ref}(x) - F_{cur}(x)|\,dx", "infra_lab.quality.statistics.wasserstein",
            "03_data_quality_skew", "Vallender 1974, Theory Probab. Appl. 18(4); scipy.stats.wasserstein_distance"),
    Formula("chi_square", r"\chi^2 = \sum (O - E)^2 / E", "infra_lab.quality.statistics.chi_square_test", "03_data_quality_skew",
            "Pearson 1900, Phil. Mag. 50; Agresti 2007 §2.4; scipy.stats.chi2_contingency"),
    Formula("feature_consistency", r"F_{train}(D) = F_{serve}(D)", "infra_lab.quality.leakage.feature_consistency",
            "03_data_quality_skew", "the article, Data Quality section"),
    Formula("point_in_time_join", r"x(e, t) = v(e, \max\{s \le t\}),\ t - s \le \Delta_{max}",
            "infra_lab.storage.joins.point_in_time_join", "06_storage_feature_stores",
            "pandas.merge_asof docs (trades/quotes example); Feast docs, point-in-time joins"),
    Formula("feature_availability", r"Availability = f(Freshness, Consistency, Latency, Completeness)",
            "infra_lab.storage.freshness.feature_availability", "06_storage_feature_stores", "the article, Storage section"),
    # 04 — compute
    Formula("training_flops", r"C \approx k N D,\ k = 6", "infra_lab.compute.flops.training_flops", "04_compute_accelerators",
            "Kaplan et al. 2020, Table 1; the article, Mathematical Lens"),
    Formula("forward_flops", r"C_{fwd} \approx 2N + 2 n_{layer} n_{ctx} d_{attn}", "infra_lab.compute.flops.forward_flops_per_token",
            "04_compute_accelerators", "Kaplan et al. 2020, Table 1"),
    Formula("chinchilla", r"N_{opt} \propto C^{0.5},\ D_{opt} \approx 20 N_{opt}", "infra_lab.compute.flops.chinchilla_optimal",
            "04_compute_accelerators", "Hoffmann et al. 2022, Tables 2-3"),
    Formula("training_time", r"T = C / (n \cdot peak \cdot MFU)", "infra_lab.compute.utilization.training_time_s",
            "04_compute_accelerators", "Narayanan et al. 2021 §5.1; PaLM App. B"),
    Formula("mfu", r"MFU = \frac{6N \cdot tokens/s}{n \cdot peak}", "infra_lab.compute.utilization.model_flops_utilization",
            "04_compute_accelerators", "Chowdhery et al. 2022 (PaLM), App. B"),
    Formula("zero_memory", r"M_0 = (4 + K)\Psi,\ M_1 = 4\Psi + \frac{K\Psi}{N_d},\ M_2 = 2\Psi + \frac{(2 + K)\Psi}{N_d},\ M_3 = \frac{(4 + K)\Psi}{N_d},\ K = 12", "infra_lab.compute.memory.model_state_memory_bytes",
            "04_compute_accelerators", "Rajbhandari et al. 2020 (ZeRO), §3, Fig. 1"),
    Formula("roofline", r"P = \min(P_{peak}, B \cdot I)", "infra_lab.compute.memory.roofline_attainable_flop_per_s",
            "04_compute_accelerators", "Williams, Waterman, Patterson 2009"),
    Formula("cluster_utilization", r"u = allocated / available", "infra_lab.compute.utilization.utilization_table",
            "04_compute_accelerators", "the article's compute-cluster table"),
    # 05 — parallel
    Formula("parallel_efficiency", r"E = T_1 / (n \cdot T_n)", "infra_lab.parallel.scaling.parallel_efficiency",
            "05_distributed_parallel", "the article, Mathematical Lens"),
    Formula("gradient_average", r"g_t = \frac{1}{n} \sum_i g_{t,i}", "infra_lab.parallel.communication.average_gradients",
            "05_distributed_parallel", "the article, Mathematical Lens"),
    Formula("speedup", r"S = T_1 / T_n", "infra_lab.parallel.scaling.speedup", "05_distributed_parallel", "definition of speedup"),
    Formula("straggler_expected_max", r"E[\max_n] = \int_0^\infty (1 - F(x)^n)\,dx",
            "infra_lab.parallel.stragglers.expected_max_step_time", "05_distributed_parallel",
            "order statistics (David & Nagaraja, Order Statistics, 2003)"),
    Formula("observed_step_slowdown", r"\frac{1}{I}\sum_i \max_w t_{i,w} / \bar t_i", "infra_lab.parallel.stragglers.observed_step_slowdown",
            "05_distributed_parallel", "definition (measured synchronous slowdown)"),
    Formula("amdahl", r"S = 1 / (s + (1 - s)/n)", "infra_lab.parallel.scaling.amdahl_speedup", "05_distributed_parallel",
            "Amdahl 1967"),
    Formula("gustafson", r"S = n + (1 - n) s", "infra_lab.parallel.scaling.gustafson_speedup", "05_distributed_parallel",
            "Gustafson, CACM 1988"),
    Formula("karp_flatt", r"e = (1/S - 1/n) / (1 - 1/n)", "infra_lab.parallel.scaling.karp_flatt", "05_distributed_parallel",
            "Karp & Flatt, CACM 33(5), 1990"),
    Formula("ring_allreduce", r"T = 2(n-1)\alpha + 2\frac{n-1}{n}\frac{M}{B}", "infra_lab.parallel.communication.ring_allreduce_s",
            "05_distributed_parallel", "Patarasuk & Yuan 2009; Thakur et al. 2005"),
    Formula("bus_bandwidth", r"busbw = algbw \cdot 2(n-1)/n", "infra_lab.parallel.communication.bus_bandwidth_bytes_per_s", "05_distributed_parallel",
            "nccl-tests doc/PERFORMANCE.md"),
    Formula("pipeline_bubble", r"GPipe: (p-1)/(m+p-1);\ Megatron: (p-1)/(v m)", "infra_lab.parallel.communication.pipeline_bubble_fraction",
            "05_distributed_parallel", "Huang et al. 2019 (GPipe); Narayanan et al. 2021 §2.2"),
    # 07 — serving
    Formula("replicas", r"Replicas = \lceil Q / (Throughput_{replica} \cdot u) \rceil", "infra_lab.serving.capacity.required_replicas",
            "07_serving_capacity", "the article's worked example"),
    Formula("capacity", r"Capacity = Replicas \times Throughput_{replica}", "infra_lab.serving.capacity.serving_capacity_rps",
            "07_serving_capacity", "the article, Mathematical Lens"),
    Formula("latency_budget", r"T = \sum_i t_i,\ margin = budget - T", "infra_lab.serving.capacity.latency_budget",
            "07_serving_capacity", "the article's worked example"),
    Formula("littles_law", r"L = \lambda W", "infra_lab.serving.queueing.littles_law", "07_serving_capacity",
            "Little 1961; Gross et al., Fundamentals of Queueing Theory, 4th ed., §1.5"),
    Formula("erlang_c", r"C(a, c) = \frac{c B(a, c)}{c - a(1 - B(a, c))}", "infra_lab.serving.queueing.erlang_c",
            "07_serving_capacity", "Erlang 1917; Gross et al., Fundamentals of Queueing Theory, 4th ed., §2.3"),
    Formula("mmc", r"W_q = C / (c\mu - \lambda),\ P(W_q > t) = C e^{-(c\mu - \lambda)t}", "infra_lab.serving.queueing.mmc",
            "07_serving_capacity", "Gross et al. 4th ed. §2.3; Bronson, Schaum's Operations Research ch. 23-24"),
    Formula("index_of_dispersion", r"D = \mathrm{Var}(N_k)/\mathrm{E}[N_k]", "infra_lab.workload.arrivals.index_of_dispersion",
            "07_serving_capacity", "Cox & Lewis, The Statistical Analysis of Series of Events, 1966"),
    Formula("hpa_rule", r"desired = \lceil \hat\lambda / (\mu\, u_{target}) \rceil", "infra_lab.workload.autoscaling.simulate_autoscaler",
            "07_serving_capacity", "Kubernetes Horizontal Pod Autoscaler algorithm"),
    Formula("best_batch", r"B^* = \arg\max_{B:\,L_p(B) \le budget} X(B)", "infra_lab.workload.batching.best_batch_under_latency",
            "07_serving_capacity", "measured H200 batching (data/measured_h200)"),
    Formula("llm_capacity", r"\mu = 1/\overline{P + o\,s(B,\bar L)/B}", "infra_lab.workload.llm.llm_service_demand",
            "07_serving_capacity", "continuous batching: Yu et al., Orca, OSDI 2022; Kwon et al., vLLM, SOSP 2023"),
    Formula("decode_floor", r"t_{floor} = (N b_{param} + B L b_{KV}) / BW", "infra_lab.workload.steps.decode_floor_ms",
            "07_serving_capacity", "data/measured_h200/README.md; Williams, Waterman, Patterson 2009"),
    Formula("pollaczek_khinchine", r"L_q = \lambda^2 E[S^2] / (2(1 - \rho))", "infra_lab.serving.queueing.mg1",
            "07_serving_capacity", "Pollaczek-Khinchine formula"),
    # 09 / 11 — reliability, observability, security
    Formula("reliability", r"Reliability = 1 - P(Failure) = \prod_i r_i", "infra_lab.reliability.series_reliability",
            "09_monitoring_reliability", "the article, Mathematical Lens; Trivedi 2002, ch. 3"),
    Formula("parallel_reliability", r"R = 1 - \prod_i (1 - r_i)", "infra_lab.reliability.parallel_reliability",
            "09_monitoring_reliability", "Trivedi 2002, ch. 3"),
    Formula("k_of_n", r"R_{k/n} = \sum_{i \ge k} \binom{n}{i} r^i (1 - r)^{n-i}",
            "infra_lab.reliability.k_of_n_reliability", "09_monitoring_reliability", "Trivedi 2002, ch. 3"),
    Formula("retry_success", r"P = 1 - p^{\,r+1}", "infra_lab.reliability.retry_success_probability",
            "09_monitoring_reliability", "independent attempts; SRE book ch. 22 on retry amplification"),
    Formula("retries_for_target", r"r = \lceil \ln(1 - target) / \ln p \rceil - 1",
            "infra_lab.reliability.retries_for_target", "09_monitoring_reliability", "inverse of 1 - p^{r+1}"),
    Formula("availability_mtbf", r"A = MTBF / (MTBF + MTTR)", "infra_lab.reliability.availability_from_mtbf",
            "09_monitoring_reliability", "Trivedi 2002, ch. 8 (two-state availability model)"),
    Formula("mtbf_estimate", r"\widehat{MTBF} = T / r", "infra_lab.reliability.mtbf_hours",
            "09_monitoring_reliability", "NIST/SEMATECH e-Handbook, ch. 8"),
    Formula("nines", r"A = 1 - 10^{-n}", "infra_lab.reliability.availability_from_nines",
            "09_monitoring_reliability", "SRE book, Appendix A"),
    Formula("allowed_downtime", r"D = (1 - A) \times period", "infra_lab.reliability.allowed_downtime_s",
            "09_monitoring_reliability", "SRE book, Appendix A, Table A-1"),
    Formula("error_budget", r"budget = (1 - SLO) \times N", "infra_lab.reliability.error_budget",
            "09_monitoring_reliability", "SRE book, ch. 3"),
    Formula("burn_rate", r"burn = error\ ratio / (1 - SLO)", "infra_lab.reliability.burn_rate",
            "09_monitoring_reliability", "SRE Workbook, ch. 5"),
    Formula("burn_rate_threshold", r"burn_{alert} = f \times period / window", "infra_lab.reliability.burn_rate_threshold",
            "09_monitoring_reliability", "SRE Workbook, ch. 5 (14.4 / 6 / 1)"),
    Formula("time_to_exhaustion", r"T = period / burn", "infra_lab.reliability.time_to_exhaustion_hours",
            "09_monitoring_reliability", "SRE Workbook, ch. 5"),
    Formula("multiwindow_alert", r"fire \iff burn_{long} > b^* \wedge burn_{short} > b^*",
            "infra_lab.observability.evaluate_burn_rate_alerts", "09_monitoring_reliability", "SRE Workbook, ch. 5"),
    Formula("observability_signals", r"O = \{Metrics, Logs, Traces, Model\ signals, Data\ signals\}",
            "infra_lab.observability.observability_coverage", "09_monitoring_reliability", "the article, Mathematical Lens"),
    Formula("sli", r"SLI = good\ events / valid\ events", "infra_lab.observability.request_slis",
            "09_monitoring_reliability", "SRE Workbook, ch. 2"),
    Formula("latency_percentile", r"Q(p),\ \text{Hyndman-Fan definition 7}", "infra_lab.observability.latency_percentiles_ms",
            "09_monitoring_reliability", "Hyndman & Fan 1996"),
    Formula("access", r"Access(u, r) = Allowed \iff Role(u) \in Permissions(r)", "infra_lab.security.access.check_access",
            "11_security_supply_chain", "the article, Mathematical Lens; Saltzer & Schroeder 1975 (fail-safe defaults)"),
    Formula("content_hash", r"h = SHA256(artifact)", "infra_lab.security.signing.content_sha256",
            "11_security_supply_chain", "NIST FIPS 180-4"),
    Formula("artifact_signature", r"\sigma = Sign_{sk}(h),\ Verify_{pk}(h, \sigma)", "infra_lab.security.signing.verify_artifact",
            "11_security_supply_chain", "RFC 8032 (Ed25519)"),
    Formula("hmac", r"tag = HMAC_K(m)", "infra_lab.security.signing.hmac_tag", "11_security_supply_chain", "RFC 2104"),
    Formula("pinned_share", r"pinned\ share = |pinned| / |requirements|", "infra_lab.security.supply_chain.audit_requirements",
            "11_security_supply_chain", "PEP 440, Version matching"),
    Formula("token_bucket", r"A(t, t + \Delta) \le b + r \Delta", "infra_lab.security.abuse.token_bucket",
            "11_security_supply_chain", "Tanenbaum & Wetherall, Computer Networks, 5th ed., §5.4.2"),
    Formula("modified_z_score", r"M_i = 0.6745 (x_i - \tilde x) / MAD", "infra_lab.security.abuse.poisoning_screen",
            "11_security_supply_chain", "NIST/SEMATECH e-Handbook §1.3.5.17 (Iglewicz & Hoaglin)"),
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
    # r11-10-13 — 10 technical debt, 13 integration and limits
    Formula("ml_test_score", r"Score = \min_s \sum_{i \in s} p_i,\ p_i \in \{0, \tfrac12, 1\}",
            "infra_lab.debt.ml_test_score", "10_technical_debt",
            "Breck et al., The ML Test Score, IEEE Big Data 2017, Section 'Computing an ML Test Score'"),
    Formula("hidden_dependencies", r"E_{hidden} = E_{obs} \setminus E_{decl}",
            "infra_lab.debt.hidden_dependencies", "10_technical_debt",
            "Sculley et al., Hidden Technical Debt in ML Systems, NeurIPS 2015, Sections 2-4"),
    Formula("change_impact", r"U(a) = I_{obs}(a) \setminus I_{decl}(a)",
            "infra_lab.debt.change_impact", "10_technical_debt",
            "Sculley et al. 2015, Section 2 (Undeclared Consumers)"),
    Formula("feedback_loop", r"\hat\beta_t = \beta + \alpha \hat\beta_{t-1} \to \beta / (1 - \alpha)",
            "infra_lab.debt.simulate_feedback_loop", "10_technical_debt",
            "Sculley et al. 2015, Section 4 (Feedback Loops); Perdomo et al., Performative Prediction, ICML 2020"),
    Formula("bound_gain", r"\Delta_l = \min(\min(s_l + \delta, 1), \min_{k \ne l} s_k) - \min_k s_k,\ S(T) = \sum_l \max(0, T - s_l)",
            "infra_lab.limits.bound_analysis", "13_integration_limits",
            "the article, Mathematical Lens (Deployment bound), read as a planning tool"),
    # r11-capstone (issue 11)
    Formula("python_workflow_summary",
            r"T = \sum_i t_i,\ R = \prod_i (1 - p_i),\ \bar u,\ \lceil Q/\mu \rceil,\ margin,\ \tfrac17 \sum_d s_d",
            "infra_lab.capstone.python_workflow", "14_capstone_readiness_review", "the article, Python workflow"),
    Formula("r_workflow_summary", r"risk_i = debt_i \times criticality_i;\ \overline{readiness},\ \overline{risk}",
            "infra_lab.capstone.r_workflow", "14_capstone_readiness_review", "the article, R workflow"),
    Formula("one_at_a_time_sensitivity", r"\Delta_k = f(x + h e_k) - f(x)",
            "infra_lab.capstone.readiness_sensitivity", "14_capstone_readiness_review",
            "Saltelli et al., Global Sensitivity Analysis: The Primer (2008), ch. 1"),
    Formula("queueing_margin", r"margin_q = budget - T - W_q^{(p)}", "infra_lab.capstone.queueing_margin",
            "14_capstone_readiness_review", "Gross et al., Fundamentals of Queueing Theory, 4th ed., §2.3"),
    # --- r12-00-01 (issue 12, chapters 00 and 01) ---
    Formula("readiness_lens", r"Readiness = f(Data, Compute, Storage, Serving, Observability, Security, Governance) = \tfrac{1}{7} \sum_d s_d",
            "infra_lab.readiness.lens.readiness_lens", "00_orientation", "the article, Python workflow (readiness table, mean 0.78)"),
    Formula("compute_growth", r"\log_{10} C = a + b\,t,\ T_{double} = \log_{10} 2 / b",
            "infra_lab.trends.compute_growth", "01_foundations_lifecycle",
            "Sevilla et al. 2022, arXiv:2202.05924 (log-linear trends over individual models)"),
    # --- r12-02-03 (issue 12): chapters 02 and 03 ---
    Formula("pipeline_freshness", r"staleness_{worst} = \Delta + t_{proc}, \quad staleness_{mean} = \Delta/2 + t_{proc}",
            "infra_lab.pipelines.operations.pipeline_freshness", "02_data_pipelines_dags",
            "Kleppmann, Designing Data-Intensive Applications (2017), ch. 10 and 11 (batch, micro-batch, stream)"),
    Formula("backfill_duration", r"T_{backfill} = \lceil n / c \rceil \cdot t_{run}",
            "infra_lab.pipelines.operations.backfill_duration", "02_data_pipelines_dags",
            "Apache Airflow documentation, DAG Runs, Section Backfill (max_active_runs)"),
    Formula("shift_components", r"PSI(x),\ \bar y_{cur} - \bar y_{ref},\ \sum_b w_b |\bar y_{cur,b} - \bar y_{ref,b}|",
            "infra_lab.quality.shift.shift_components", "03_data_quality_skew",
            "Moreno-Torres et al., Pattern Recognition 45(1), 2012 (covariate, prior probability, concept shift)"),
    # ---- r12-04-05 (issue 12, chapters 04 and 05)
    Formula("reserved_run_cost", r"\$ = n \max(C/(n P_{peak} MFU), W)\, price,\ E = PUE(h_{busy}P_{busy} + h_{idle}P_{idle})",
            "infra_lab.compute.energy.reserved_run_cost", "04_compute_accelerators",
            "Narayanan et al. 2021, §5.1 (T = C/(nX)); Patterson et al. 2021 (energy × PUE)"),
    Formula("hierarchical_allreduce", r"T = 2(g-1)\alpha_i + 2\frac{g-1}{g}\frac{M}{B_i} + 2(N-1)\alpha_e + 2\frac{N-1}{N}\frac{M/g}{B_e}",
            "infra_lab.parallel.strategies.hierarchical_allreduce_s", "05_distributed_parallel",
            "nccl-tests doc/PERFORMANCE.md, Section Bus bandwidth; Jia et al. 2018, §3.3"),
    Formula("tensor_parallel_volume", r"V = L \cdot 8bsh(t-1)/t",
            "infra_lab.parallel.strategies.tensor_parallel_bytes_per_step", "05_distributed_parallel",
            "Narayanan et al. 2021, §3.3; Shoeybi et al. 2019, Fig. 4"),
    Formula("zero_volume", r"V = k\frac{n-1}{n}\Psi,\ k = 2\ (stage \le 2),\ 3\ (stage 3)",
            "infra_lab.parallel.strategies.data_parallel_bytes_per_step", "05_distributed_parallel",
            "Rajbhandari et al. 2020 (ZeRO), §7"),
    Formula("parameter_server", r"T = 2\max(M/B_w,\ nM/(kB_s))", "infra_lab.parallel.strategies.parameter_server_s",
            "05_distributed_parallel", "Li et al. 2014 (OSDI), §3; Jiang et al. 2020 (BytePS), §3"),
    Formula("overlap", r"T = T_{comp} + T_{comm} - \phi \min(T_{comp}, T_{comm})",
            "infra_lab.parallel.strategies.overlapped_step_s", "05_distributed_parallel",
            "Li et al. 2020 (PyTorch Distributed), §3.2.3"),
    Formula("young_daly", r"\tau = \sqrt{2\delta M}", "infra_lab.parallel.strategies.young_daly_interval_s",
            "05_distributed_parallel", "Young 1974, CACM 17(9) pp. 530–531; Daly 2006, FGCS 22(3)"),
    Formula("activation_memory", r"A = sbh(34 + 5as/h)\ per\ layer",
            "infra_lab.parallel.strategies.activation_memory_bytes", "05_distributed_parallel",
            "Korthikanti et al. 2022, Eq. 1 and Table 2"),
    # r12-07 (issue 12, chapter 07): a replica as slots, batches that pay their fill, warm-up reported apart
    Formula("replica_slots", r"k = \max(1, \mathrm{round}(X t)),\ \mu_{slot} = X / k",
            "infra_lab.serving.queueing.replica_slots", "07_serving_capacity", "Little 1961 (L = λW inside one replica)"),
    Formula("slot_fleet_slo", r"c^* = \min\{c : t + \ln(C(ck, \lambda/\mu)/(1-p))^+ / (ck\mu - \lambda) \le SLO\}",
            "infra_lab.serving.queueing.slot_replicas_for_slo", "07_serving_capacity",
            "Gross, Shortle, Thompson & Harris 2008, §2.3"),
    Formula("batch_plan", r"n(B) = \lceil Q / (X(B) u) \rceil,\ (B-1)/(Q/n) + p99(B) \le budget",
            "infra_lab.workload.batching.batch_plan", "07_serving_capacity",
            "Crankshaw et al. 2017 (Clipper, §4.3); Ross, Introduction to Probability Models, ch. 5"),
    Formula("prefill_turn", r"L_{turn} = \min\{L : t(L) > rise \cdot t(L_{min})\}",
            "infra_lab.workload.steps.prefill_turn", "07_serving_capacity", "data/measured_h200/README.md"),
    # r12-06 (issue 12, chapter 06): leak-free aggregate, usable share, checkpoint, vector index, AUC interval
    Formula("period_to_date_join", r"x(e, t) = agg\{v(e, s) : \lfloor s \rfloor_P = \lfloor t \rfloor_P,\ s \le t\}",
            "infra_lab.storage.joins.period_to_date_join", "06_storage_feature_stores",
            "Kaufman et al., ACM TKDD 6(4), 2012, §1"),
    Formula("usable_share", r"A = \frac{1}{n}\sum_i 1[age_i \le age_{max}]\,1[present_i]\,1[consistent_i]\,1[latency_i \le budget]",
            "infra_lab.storage.freshness.usable_share", "06_storage_feature_stores",
            "Beyer et al., Site Reliability Engineering, 2016, ch. 3"),
    Formula("checkpoint_size", r"S = \Psi \cdot b", "infra_lab.storage.checkpoint.checkpoint_size_bytes",
            "06_storage_feature_stores", "Rajbhandari et al. 2020 (ZeRO), §3.1"),
    Formula("checkpoint_write_time", r"T = S / \min(W b_{writer}, B_{storage})",
            "infra_lab.storage.checkpoint.checkpoint_write_time_s", "06_storage_feature_stores",
            "Mohan et al., CheckFreq, FAST 2021, §2"),
    Formula("pcie_bandwidth", r"B = r \cdot L \cdot 128/130 / 8", "infra_lab.storage.checkpoint.pcie_bandwidth_bytes_per_s",
            "06_storage_feature_stores", "PCI Express Base Specification 5.0, ch. 4"),
    Formula("knn_recall", r"recall@k = \frac{1}{n_q}\sum_q |\hat N_k(q) \cap N_k(q)| / k", "infra_lab.vectors.recall_at_k",
            "06_storage_feature_stores", "Manning, Raghavan & Schütze 2008, §8.3"),
    Formula("ivf_search", r"\hat N_k(q) = N_k(q; \cup_{j \in P(q)} V_j)", "infra_lab.vectors.ivf_search",
            "06_storage_feature_stores", "Jégou, Douze & Schmid, IEEE TPAMI 33(1), 2011, §IV"),
    Formula("bootstrap_auc", r"CI = [\hat G^{-1}((1-\ell)/2), \hat G^{-1}((1+\ell)/2)]", "infra_lab.stats.bootstrap_auc",
            "06_storage_feature_stores", "Efron & Tibshirani 1993, ch. 13"),
)


def notebooks_dir() -> Path:
    """The course's ``notebooks/`` (the instructor source): in the checkout, or inside an installed wheel."""
    from ._paths import course_root

    return course_root() / "notebooks"


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
