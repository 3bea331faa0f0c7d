r"""The capstone readiness review: the article's Python and R workflows as library calls.

The article ends with two computational workflows. Both are reproduced here from the
course's own building blocks (``pipelines``, ``compute``, ``serving``, ``readiness``):

* :func:`python_workflow` — pipeline tasks and edges, compute-cluster utilisation, serving
  capacity and latency, the seven-dimension readiness lens, an eight-row summary and a memo
  (the article's ``python_ai_*`` files);
* :func:`r_workflow` — a Python port of the article's base-R workflow: component readiness,
  weighted technical-debt risk and priority, pipeline and serving summaries and a governance
  memo (the article's ``r_ai_*`` files), with R's ``round(x, 3)`` and number printing;
* :func:`write_workflow` — writes a workflow's files into a folder;
* :func:`summary_sweep` — the Python workflow's summary for many student variants at once
  (one numpy pass, no loop), the capstone's parameter sweep;
* :func:`deployment_layers`, :func:`readiness_sensitivity`, :func:`queueing_margin` — the
  notebook's extensions: the six-layer weakest-layer bound, one-at-a-time sensitivity and
  capacity with an M/M/c queueing margin.

>>> wf = python_workflow()
>>> wf.summary["value"].round(4).tolist()
[203.0, 0.7516, 0.7719, 0.25, 8.0, 180.0, 20.0, 0.78]
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import pandas as pd

from infra_lab._checks import number, count, data_array, fraction, frame, no_missing, positive, require, nonnegative
from infra_lab._results import Result

__all__ = [
    "PYTHON_SUMMARY_METRICS", "R_SUMMARY_METRICS", "SERVING_COLUMNS",
    "Workflow", "python_workflow", "r_workflow", "write_workflow",
    "summary_sweep", "deployment_layers", "readiness_sensitivity", "queueing_margin",
]

#: The eight rows of the Python workflow's summary file, in the article's order.
PYTHON_SUMMARY_METRICS: tuple[str, ...] = (
    "pipeline_total_duration_minutes", "pipeline_reliability", "mean_compute_utilization",
    "share_compute_pools_over_target", "serving_required_replicas", "serving_total_latency_ms",
    "serving_latency_margin_ms", "infrastructure_readiness_score",
)
#: The eight rows of the R workflow's summary file, in the article's order.
R_SUMMARY_METRICS: tuple[str, ...] = (
    "mean_readiness_score", "mean_weighted_risk", "pipeline_total_duration_minutes", "pipeline_reliability",
    "serving_required_replicas", "serving_total_latency_ms", "serving_latency_margin_ms",
    "serving_meets_latency_budget",
)
#: The serving file's columns (both workflows), in the article's order.
SERVING_COLUMNS: tuple[str, ...] = (
    "service", "required_qps", "throughput_per_replica", "feature_latency_ms", "model_latency_ms",
    "network_latency_ms", "postprocess_latency_ms", "latency_budget_ms", "required_replicas",
    "total_latency_ms", "latency_margin_ms", "meets_latency_budget",
)
# infra_lab.article.serving_services() names → the workflow files' names.
_SERVING_RENAME = {"feature_lookup_ms": "feature_latency_ms", "model_inference_ms": "model_latency_ms",
                   "network_ms": "network_latency_ms", "postprocessing_ms": "postprocess_latency_ms"}
_COMPONENT_COLUMNS = ("feature_latency_ms", "model_latency_ms", "network_latency_ms", "postprocess_latency_ms")
_LENS_ORDER = ("data_pipeline", "compute_capacity", "storage_throughput", "serving_reliability",
               "observability", "security_controls", "governance_controls")


@dataclass(frozen=True)
class Workflow(Result):
    """The files of one of the article's workflows, as tables and text.

    Attributes
    ----------
    name : str
        ``"python"`` or ``"r"``.
    tables : dict
        File name (``python_ai_….csv`` / ``r_ai_….csv``) → DataFrame, in the article's order.
    memo_name : str
        The memo's file name.
    memo : str
        The memo, Markdown.
    summary : pandas.DataFrame
        The summary table (columns ``metric``, ``value``) — also in ``tables``.

    See Also
    --------
    python_workflow, r_workflow : build it.
    write_workflow : writes it to a folder.
    """

    name: str
    tables: dict
    memo_name: str
    memo: str
    summary: pd.DataFrame


# ------------------------------------------------------------------------------ inputs
def _named(name: str, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Call a building block; an error it raises names this function's public parameter."""
    try:
        return fn(*args, **kwargs)
    except (ValueError, TypeError) as exc:
        if name in str(exc):
            raise
        raise type(exc)(f"{name}: {exc}") from None


def _serving(services: pd.DataFrame | None) -> pd.DataFrame:
    from infra_lab.article import serving_services
    from infra_lab.serving import service_table

    raw = serving_services() if services is None else frame("services", services, ("service",))
    raw = raw.rename(columns=_SERVING_RENAME)
    missing = [c for c in SERVING_COLUMNS[:8] if c not in raw.columns]
    require(not missing, "services", list(raw.columns), f"needs the columns {list(SERVING_COLUMNS[:8])} "
            f"(or infra_lab.article.serving_services()'s names); missing {missing}")
    inputs = raw[list(SERVING_COLUMNS[:8])].copy()
    table = _named("services", service_table, inputs)
    return table[list(SERVING_COLUMNS)].reset_index(drop=True)


def _tasks(tasks: pd.DataFrame | None, gate: bool) -> pd.DataFrame:
    from infra_lab.article import pipeline_tasks

    cols = ["task", "duration_minutes", "failure_probability"] + (["governance_gate"] if gate else [])
    t = pipeline_tasks() if tasks is None else frame("tasks", tasks, cols)
    if not gate:
        t = t[[c for c in t.columns if c in cols]]
    return t[cols].reset_index(drop=True)


# ----------------------------------------------------------------------------- Python
def python_workflow(tasks: pd.DataFrame | None = None, edges: pd.DataFrame | None = None,
                    cluster: pd.DataFrame | None = None, services: pd.DataFrame | None = None,
                    readiness: pd.DataFrame | None = None) -> Workflow:
    r"""The article's Python workflow: five tables, the eight-row summary and the readiness memo.

    .. math:: T_{total} = \sum_i t_i,\quad R = \prod_i (1 - p_i),\quad \bar u = \tfrac1k \sum_j a_j/c_j,
              \quad Replicas = \lceil Q / Throughput \rceil,\quad margin = budget - \sum_i t_i,
              \quad Readiness = \tfrac17 \sum_d s_d

    Every number comes from the library function that owns it:
    :func:`~infra_lab.pipelines.build_dag` (edges ``source``/``target``),
    :func:`~infra_lab.pipelines.total_duration_minutes`,
    :func:`~infra_lab.pipelines.pipeline_reliability`,
    :func:`~infra_lab.compute.utilization_table` / ``utilization_summary``,
    :func:`~infra_lab.serving.service_table` and :func:`~infra_lab.readiness.readiness_lens`.

    Parameters
    ----------
    tasks : pandas.DataFrame, optional
        ``task``, ``duration_minutes``, ``failure_probability``, ``governance_gate``; default
        the article's nine tasks.
    edges : pandas.DataFrame, optional
        ``source``, ``target``; default the article's chain.
    cluster : pandas.DataFrame, optional
        ``resource``, ``available_units``, ``allocated_units``, ``utilization_target``;
        default the article's compute-cluster table.
    services : pandas.DataFrame, optional
        The serving table, in the workflow's column names or those of
        :func:`infra_lab.article.serving_services` (the default). The summary reads its
        first service.
    readiness : pandas.DataFrame, optional
        ``dimension``, ``score`` for the seven lens dimensions; default the article's table.

    Returns
    -------
    Workflow
        ``tables`` for the six ``python_ai_*`` CSV files, ``memo`` for the readiness memo.

    See Also
    --------
    r_workflow : the article's R workflow, ported.
    write_workflow : writes the files.
    summary_sweep : the summary for many variants at once.

    References
    ----------
    The article, "Python workflow" (its six files and memo; summary 203 minutes, reliability
    0.7516, 8 replicas, 180 ms, margin 20 ms, readiness 0.78) and its Worked Example:
    Serving Capacity and Latency Budget.

    Examples
    --------
    >>> wf = python_workflow()
    >>> len(wf.tables), wf.summary.set_index("metric").loc["serving_required_replicas", "value"]
    (6, 8.0)
    >>> wf.memo.splitlines()[0]
    '# AI Infrastructure Readiness Memo'
    """
    from infra_lab.article import pipeline_edges, readiness_table
    from infra_lab.compute import utilization_summary, utilization_table
    from infra_lab.pipelines import build_dag, pipeline_reliability, total_duration_minutes
    from infra_lab.readiness import readiness_lens

    task_table = _tasks(tasks, gate=True)
    edge_table = pipeline_edges() if edges is None else frame("edges", edges, ("source", "target"))
    edge_table = edge_table[["source", "target"]].reset_index(drop=True)
    if tasks is not None:
        no_missing("tasks", task_table, list(task_table.columns))
    dag = _named("tasks", build_dag, task_table, edge_table) if edges is None else build_dag(task_table, edge_table)
    cl = _named("cluster", utilization_table, cluster)
    util = _named("cluster", utilization_summary, cluster)
    cl = cl[["resource", "available_units", "allocated_units", "utilization_target", "utilization", "over_target"]]
    serving = _serving(services)
    ready = readiness_table() if readiness is None else frame("readiness", readiness, ("dimension", "score"))
    ready = ready[["dimension", "score"]].reset_index(drop=True)
    lens = _named("readiness", readiness_lens, ready)
    first = serving.iloc[0]
    values = [
        float(total_duration_minutes(dag)),
        float(pipeline_reliability(task_table["failure_probability"].to_numpy(dtype=float))),
        util.mean_utilization,
        float(cl["over_target"].mean()),
        float(first["required_replicas"]),
        float(first["total_latency_ms"]),
        float(first["latency_margin_ms"]),
        lens.score,
    ]
    summary = pd.DataFrame({"metric": list(PYTHON_SUMMARY_METRICS), "value": values})
    tables = {
        "python_ai_pipeline_tasks.csv": task_table,
        "python_ai_pipeline_edges.csv": edge_table,
        "python_ai_compute_cluster.csv": cl.reset_index(drop=True),
        "python_ai_serving_capacity.csv": serving,
        "python_ai_infrastructure_readiness.csv": ready,
        "python_ai_infrastructure_summary.csv": summary,
    }
    memo = _python_memo(summary, cl, serving, ready, lens.lowest, task_table)
    return Workflow("python", tables, "python_ai_infrastructure_readiness_memo.md", memo, summary)


def _python_memo(summary: pd.DataFrame, cl: pd.DataFrame, serving: pd.DataFrame, ready: pd.DataFrame,
                 lowest: tuple, tasks: pd.DataFrame) -> str:
    lines = ["# AI Infrastructure Readiness Memo", "", "## Key summary metrics", ""]
    lines += [f"- {m}: {v:.3f}" for m, v in zip(summary["metric"], summary["value"])]
    lines += ["", "## Compute pools over utilization target", ""]
    over = cl[cl["over_target"]]
    lines += ([f"- {r.resource}: utilization {r.utilization:.3f}, target {r.utilization_target:.3f}"
               for r in over.itertuples()] or ["None"])
    lines += ["", "## Serving interpretation", ""]
    lines += [f"- {r.service}: {int(r.required_replicas)} required replicas, latency margin "
              f"{r.latency_margin_ms:.1f} ms ({'within' if r.meets_latency_budget else 'over'} its "
              f"{r.latency_budget_ms:g} ms budget)" for r in serving.itertuples()]
    lines += ["", "## Lowest readiness dimensions", ""]
    scores = dict(zip(ready["dimension"], ready["score"]))
    lines += [f"- {d}: {scores[d]:.3f}" for d in lowest]
    gates = int(tasks["governance_gate"].astype(bool).sum())
    weakest = lowest[0]
    lines += ["", "## Governance interpretation", "",
              f"The review averages {len(ready)} readiness dimensions to {summary['value'].iloc[-1]:.3f}, "
              f"but a deployment is only as ready as its weakest part: {weakest} ({scores[weakest]:.3f}). "
              f"{gates} of the {len(tasks)} pipeline tasks are governance gates; they hold only if their "
              "evidence (approvals, lineage, audit records) is produced on every run, so close the gaps in "
              "the lowest dimensions before adding capacity.", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------- R
def _r_num(x: float) -> str:
    """A number as R's ``paste``/``cat`` prints it (15 significant digits, no trailing zeros)."""
    text = f"{float(x):.15g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp):+03d}"
    return text


def _r_round(x: float, digits: int = 3) -> float:
    """R's ``round(x, digits)`` for the values a memo prints (ties to even, as R ≥ 4.0 does)."""
    return float(np.round(float(x), digits))


def r_workflow(components: pd.DataFrame | None = None, tasks: pd.DataFrame | None = None,
               services: pd.DataFrame | None = None) -> Workflow:
    r"""A Python port of the article's base-R workflow: components, risk, summary and governance memo.

    .. math:: risk_i = debt_i \times criticality_i,\quad priority_i = \begin{cases} high & risk_i \ge 0.35
              \\ medium & risk_i \ge 0.25 \\ low & \text{otherwise} \end{cases},\quad
              R = \prod_j (1 - p_j)

    The numbers come from :func:`~infra_lab.readiness.risk_table`,
    :func:`~infra_lab.pipelines.total_duration_minutes`,
    :func:`~infra_lab.pipelines.pipeline_reliability` and
    :func:`~infra_lab.serving.service_table`; the memo rounds as R's ``round(x, 3)`` and prints
    numbers as R's ``paste`` does, so it matches the R notebook's memo character for character.

    Parameters
    ----------
    components : pandas.DataFrame, optional
        ``component``, ``readiness_score``, ``technical_debt``, ``criticality``; default
        :func:`infra_lab.article.infrastructure_components`.
    tasks : pandas.DataFrame, optional
        ``task``, ``duration_minutes``, ``failure_probability`` (a ``governance_gate`` column is
        dropped, as the R workflow does); default the article's nine tasks.
    services : pandas.DataFrame, optional
        The serving table, as for :func:`python_workflow`.

    Returns
    -------
    Workflow
        ``tables`` for the four ``r_ai_*`` CSV files, ``memo`` for the governance memo.

    See Also
    --------
    python_workflow : the article's Python workflow.

    References
    ----------
    The article, "R workflow" (components table, weighted risk and priority thresholds
    0.35/0.25; its memo prints mean readiness 0.77, mean weighted risk 0.289, pipeline
    reliability 0.752).

    Examples
    --------
    >>> wf = r_workflow()
    >>> wf.summary["value"].round(3).tolist()
    [0.77, 0.289, 203.0, 0.752, 8.0, 180.0, 20.0, 1.0]
    >>> list(wf.tables.values())[0]["priority"].tolist()[-3:]
    ['high', 'medium', 'high']
    """
    from infra_lab.article import infrastructure_components
    from infra_lab.pipelines import pipeline_reliability, total_duration_minutes
    from infra_lab.readiness import risk_table

    comp = infrastructure_components() if components is None else frame(
        "components", components, ("component", "readiness_score", "technical_debt", "criticality"))
    comp = comp[["component", "readiness_score", "technical_debt", "criticality"]]
    no_missing("components", comp, list(comp.columns))
    readiness = data_array("components['readiness_score']", comp["readiness_score"], low=0.0, high=1.0)
    risk = _named("components", risk_table, comp, sort=False)
    task_table = _tasks(tasks, gate=False)
    durations = data_array("tasks['duration_minutes']", task_table["duration_minutes"], low=0.0)
    p = data_array("tasks['failure_probability']", task_table["failure_probability"], low=0.0, high=1.0)
    serving = _serving(services)
    first = serving.iloc[0]
    values = [float(readiness.mean()), float(risk["weighted_risk"].mean()), float(total_duration_minutes(durations)),
              float(pipeline_reliability(p)), float(first["required_replicas"]), float(first["total_latency_ms"]),
              float(first["latency_margin_ms"]), float(bool(first["meets_latency_budget"]))]
    summary = pd.DataFrame({"metric": list(R_SUMMARY_METRICS), "value": values})
    tables = {
        "r_ai_infrastructure_components.csv": risk,
        "r_ai_pipeline_tasks.csv": task_table,
        "r_ai_serving_capacity.csv": serving,
        "r_ai_infrastructure_summary.csv": summary,
    }
    high = risk.loc[risk["priority"] == "high", "component"].tolist()
    lines = [
        "# AI Infrastructure Governance Memo", "",
        f"Mean readiness score: {_r_num(_r_round(values[0]))}",
        f"Mean weighted risk: {_r_num(_r_round(values[1]))}",
        f"Pipeline reliability: {_r_num(_r_round(values[3]))}",
        f"Required serving replicas: {_r_num(values[4])}",
        f"Total serving latency: {_r_num(values[5])} ms",
        f"Latency margin: {_r_num(values[6])} ms",
        f"Meets latency budget: {'TRUE' if values[7] else 'FALSE'}", "",
        "Interpretation: " + (
            f"high-priority technical debt in {', '.join(high)} should be reduced before the next release; "
            if high else "no component carries high-priority technical debt; ")
        + ("the serving path fits its latency budget." if values[7]
           else "the serving path breaks its latency budget."), "",
    ]
    return Workflow("r", tables, "r_ai_infrastructure_governance_memo.md", "\n".join(lines), summary)


def write_workflow(workflow: Workflow, output_dir: str | os.PathLike) -> list[Path]:
    r"""Write a workflow's CSV files and memo into a folder, each atomically.

    .. math:: \text{files} = \{\text{tables}\} \cup \{\text{memo}\}

    CSVs are written without the index, as the article's ``to_csv(index=False)`` and R's
    CSV writer with ``row.names = FALSE`` do; each file is written to a temporary name and renamed,
    so a crash never leaves a half-written file.

    Parameters
    ----------
    workflow : Workflow
        From :func:`python_workflow` or :func:`r_workflow`.
    output_dir : str or path
        The folder (created if missing).

    Returns
    -------
    list of pathlib.Path
        The files written, tables first, then the memo.

    See Also
    --------
    python_workflow, r_workflow : build the workflow.

    References
    ----------
    The article, "Python workflow" and "R workflow" (the file names written).

    Examples
    --------
    >>> import tempfile
    >>> [p.suffix for p in write_workflow(r_workflow(), tempfile.mkdtemp())]
    ['.csv', '.csv', '.csv', '.csv', '.md']
    """
    if not isinstance(workflow, Workflow):
        raise TypeError(f"workflow={workflow!r}: must be a Workflow from python_workflow() or r_workflow()")
    if not isinstance(output_dir, (str, os.PathLike)) or isinstance(output_dir, bool) or str(output_dir) == "":
        raise TypeError(f"output_dir={output_dir!r}: must be a folder path (str or pathlib.Path)")
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in workflow.tables.items():
        written.append(_atomic(folder / name, table.to_csv(index=False)))
    written.append(_atomic(folder / workflow.memo_name, workflow.memo))
    return written


def _atomic(path: Path, text: str) -> Path:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ----------------------------------------------------------------------------- sweep
def summary_sweep(readiness_scores: Any, required_rps: Any = 1200.0, throughput_per_replica_rps: Any = 150.0,
                  latency_components_ms: Any = (45.0, 80.0, 35.0, 20.0), latency_budget_ms: Any = 200.0,
                  failure_probabilities: Any = None, durations_minutes: Any = None) -> pd.DataFrame:
    r"""The Python workflow's eight summary metrics for many variants at once (vectorised).

    .. math:: Replicas_v = \lceil Q_v / Throughput_v \rceil,\quad T_v = \sum_i t_{v,i},\quad
              margin_v = budget_v - T_v,\quad R_v = \prod_j (1 - p_{v,j}),\quad
              Readiness_v = \tfrac17 \sum_d s_{v,d}

    One numpy pass through :func:`~infra_lab.serving.required_replicas`,
    :func:`~infra_lab.serving.latency_budget` and :func:`~infra_lab.pipelines.pipeline_reliability`:
    10⁴ student variants take milliseconds. The compute metrics come from the article's
    cluster table (the same for every variant).

    Parameters
    ----------
    readiness_scores : array_like, shape (n, 7) or (7,)
        Seven lens scores per variant, in [0, 1], in the article's order (data_pipeline …
        governance_controls).
    required_rps : float or array_like, shape (n,)
        Offered load Q per variant, requests/s; ≥ 0.
    throughput_per_replica_rps : float or array_like, shape (n,)
        Throughput of one replica, requests/s; > 0.
    latency_components_ms : array_like, shape (4,) or (n, 4)
        Feature, model, network and post-processing latency, ms; ≥ 0.
    latency_budget_ms : float or array_like, shape (n,)
        End-to-end budget, ms; > 0.
    failure_probabilities : array_like, shape (tasks,) or (n, tasks), optional
        Per-task failure probability in [0, 1]; default the article's nine tasks.
    durations_minutes : array_like, shape (tasks,) or (n, tasks), optional
        Task durations, minutes, ≥ 0; default the article's nine tasks.

    Returns
    -------
    pandas.DataFrame
        One row per variant, one column per metric of :data:`PYTHON_SUMMARY_METRICS`.

    See Also
    --------
    python_workflow : one variant with its files and memo.

    References
    ----------
    The article, "Python workflow" (summary file) and Worked Example: Serving Capacity and
    Latency Budget.

    Examples
    --------
    >>> s = summary_sweep([[0.82, 0.76, 0.80, 0.84, 0.78, 0.74, 0.72]] * 2, required_rps=[1200, 2400])
    >>> s["serving_required_replicas"].tolist(), round(s["infrastructure_readiness_score"][0], 2)
    ([8, 16], 0.78)
    """
    from infra_lab.article import pipeline_tasks
    from infra_lab.compute import utilization_table
    from infra_lab.pipelines import pipeline_reliability
    from infra_lab.serving import latency_budget, required_replicas

    scores = data_array("readiness_scores", readiness_scores, low=0.0, high=1.0, ndim=None)
    scores = np.atleast_2d(scores)
    require(scores.ndim == 2 and scores.shape[1] == 7, "readiness_scores", readiness_scores,
            "needs shape (n, 7): seven lens scores per variant")
    n = scores.shape[0]
    q = nonnegative("required_rps", required_rps)
    t = positive("throughput_per_replica_rps", throughput_per_replica_rps)
    comps = nonnegative("latency_components_ms", latency_components_ms, unit="ms")
    require(comps.ndim in (1, 2) and comps.shape[-1] == 4, "latency_components_ms", latency_components_ms,
            "needs shape (4,) or (n, 4): feature, model, network, post-processing")
    budget = positive("latency_budget_ms", latency_budget_ms, unit="ms")
    tasks = pipeline_tasks()
    p = tasks["failure_probability"].to_numpy(float) if failure_probabilities is None else data_array(
        "failure_probabilities", failure_probabilities, low=0.0, high=1.0, ndim=None)
    d = tasks["duration_minutes"].to_numpy(float) if durations_minutes is None else data_array(
        "durations_minutes", durations_minutes, low=0.0, ndim=None)
    try:
        shape = (n,)
        for arr, name in ((q, "required_rps"), (t, "throughput_per_replica_rps"), (budget, "latency_budget_ms")):
            np.broadcast_to(arr, shape) if arr.ndim else None
        comps_b = np.broadcast_to(comps, (n, 4))
        p_b = np.broadcast_to(np.atleast_2d(p), (n, np.atleast_2d(p).shape[-1]))
        d_b = np.broadcast_to(np.atleast_2d(d), (n, np.atleast_2d(d).shape[-1]))
    except ValueError:
        raise ValueError(f"required_rps, throughput_per_replica_rps, latency_budget_ms, latency_components_ms, "
                         f"failure_probabilities and durations_minutes must broadcast to the {n} variants of "
                         "readiness_scores") from None
    replicas = np.broadcast_to(np.asarray(required_replicas(q, t)), shape)
    lat = latency_budget(list(comps_b.T), np.broadcast_to(budget, shape))
    with np.errstate(over="ignore"):
        total_minutes = d_b.sum(axis=-1)
    require(np.all(np.isfinite(total_minutes)), "durations_minutes", durations_minutes, "sums beyond float range")
    cl = utilization_table()
    return pd.DataFrame({
        "pipeline_total_duration_minutes": total_minutes,
        "pipeline_reliability": np.broadcast_to(pipeline_reliability(p_b), shape),
        "mean_compute_utilization": np.full(n, float(cl["utilization"].mean())),
        "share_compute_pools_over_target": np.full(n, float(cl["over_target"].mean())),
        "serving_required_replicas": replicas,
        "serving_total_latency_ms": np.broadcast_to(lat.total_ms, shape),
        "serving_latency_margin_ms": np.broadcast_to(lat.margin_ms, shape),
        "infrastructure_readiness_score": scores.mean(axis=1),
    })


# ------------------------------------------------------------------------ extensions
def deployment_layers(readiness: pd.DataFrame | None = None, pipeline_reliability: Any = None) -> dict:
    r"""The six layers of the weakest-layer bound, read from the capstone's own measurements.

    .. math:: Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)

    The course's mapping (the article gives the bound, not a mapping from its readiness
    table): Data ← data_pipeline, Compute ← compute_capacity, Storage ← storage_throughput,
    Serving ← serving_reliability, Reliability ← the pipeline's probability of a clean run
    :math:`\prod_i (1 - p_i)`, Governance ← min(security_controls, governance_controls) — a
    control that fails either way blocks a release. Observability stays in the lens only.

    Parameters
    ----------
    readiness : pandas.DataFrame, optional
        ``dimension``, ``score`` with the seven lens dimensions; default the article's table.
    pipeline_reliability : float, optional
        Probability in [0, 1]; default the article's pipeline, 0.7516.

    Returns
    -------
    dict
        Layer name (``infra_lab.readiness.LAYERS``) → score, ready for
        :func:`~infra_lab.readiness.deployment_readiness_bound`.

    See Also
    --------
    infra_lab.readiness.deployment_readiness_bound : the bound over these layers.

    References
    ----------
    The article, Mathematical Lens (Deployment ≤ min(Data, Compute, Storage, Serving,
    Reliability, Governance)).

    Examples
    --------
    >>> layers = deployment_layers()
    >>> min(layers, key=layers.get), round(min(layers.values()), 4)
    ('Governance', 0.72)
    """
    from infra_lab.article import pipeline_tasks, readiness_table
    from infra_lab.pipelines import pipeline_reliability as reliability_of
    from infra_lab.readiness import readiness_lens

    lens = _named("readiness", readiness_lens, readiness_table() if readiness is None else readiness)
    s = dict(zip([k for k in lens.scores], lens.scores.values()))
    vals = list(s.values())  # lens order: Data, Compute, Storage, Serving, Observability, Security, Governance
    r = (float(reliability_of(pipeline_tasks()["failure_probability"])) if pipeline_reliability is None
         else float(fraction("pipeline_reliability", pipeline_reliability)))
    return {"Data": vals[0], "Compute": vals[1], "Storage": vals[2], "Serving": vals[3], "Reliability": r,
            "Governance": min(vals[5], vals[6])}


def readiness_sensitivity(readiness: pd.DataFrame | None = None, components: pd.DataFrame | None = None,
                          step: float = 0.05) -> pd.DataFrame:
    r"""One-at-a-time sensitivity of mean readiness, mean weighted risk and the weakest-layer bound.

    .. math:: \Delta_k = f(x + h e_k) - f(x),\quad
              \frac{\partial \bar s}{\partial s_d} = \frac1{n},\quad
              \frac{\partial \overline{risk}}{\partial debt_i} = \frac{criticality_i}{n}

    Each input is raised by ``step`` (capped at 1) while the others stay put; the table says
    what each summary gains. Lens scores move the lens mean and, where they feed a layer, the
    weakest-layer bound (:func:`deployment_layers`); component debts and criticalities move
    the mean weighted risk.

    Parameters
    ----------
    readiness : pandas.DataFrame, optional
        The lens table (``dimension``, ``score``); default the article's.
    components : pandas.DataFrame, optional
        The R workflow's components; default the article's.
    step : float, default 0.05
        The increase h applied to one input at a time, in (0, 1].

    Returns
    -------
    pandas.DataFrame
        Columns ``input``, ``kind`` (``lens``, ``component readiness``, ``technical_debt`` or
        ``criticality``), ``base``, ``delta_lens_mean``, ``delta_bound``, ``delta_mean_weighted_risk``.

    See Also
    --------
    deployment_layers : the layers the bound reads.

    References
    ----------
    Saltelli et al., *Global Sensitivity Analysis: The Primer* (Wiley, 2008), ch. 1
    (one-at-a-time designs); the article, "Python workflow" and "R workflow" (the inputs).

    Examples
    --------
    >>> t = readiness_sensitivity(step=0.07)
    >>> t.loc[(t["kind"] == "lens") & (t["input"] == "governance_controls"), ["delta_lens_mean", "delta_bound"]].round(3).values.tolist()
    [[0.01, 0.02]]
    """
    from infra_lab.article import infrastructure_components, readiness_table
    from infra_lab.readiness import deployment_readiness_bound, risk_table

    h = float(fraction("step", step, low_open=True))
    ready = (readiness_table() if readiness is None else frame("readiness", readiness, ("dimension", "score")))
    ready = ready[["dimension", "score"]].reset_index(drop=True)
    comp = infrastructure_components() if components is None else frame(
        "components", components, ("component", "readiness_score", "technical_debt", "criticality"))
    base_layers = deployment_layers(ready)
    base_bound = deployment_readiness_bound(base_layers).bound
    base_mean = float(ready["score"].astype(float).mean())
    base_risk = float(_named("components", risk_table, comp, sort=False)["weighted_risk"].mean())
    data_array("components['readiness_score']", comp["readiness_score"], low=0.0, high=1.0)
    rows = []
    for i, dim in enumerate(ready["dimension"]):
        bumped = ready.copy()
        bumped.loc[i, "score"] = min(1.0, float(bumped.loc[i, "score"]) + h)
        bound = deployment_readiness_bound(deployment_layers(bumped, base_layers["Reliability"])).bound
        rows.append((dim, "lens", float(ready.loc[i, "score"]), float(bumped["score"].mean()) - base_mean,
                     bound - base_bound, 0.0))
    for col, kind in (("technical_debt", "technical_debt"), ("criticality", "criticality")):
        for i, name in enumerate(comp["component"]):
            bumped = comp.copy()
            bumped[col] = bumped[col].astype(float)
            bumped.loc[bumped.index[i], col] = min(1.0, float(bumped[col].iloc[i]) + h)
            risk = float(risk_table(bumped, sort=False)["weighted_risk"].mean())
            rows.append((name, kind, float(comp[col].iloc[i]), 0.0, 0.0, risk - base_risk))
    return pd.DataFrame(rows, columns=["input", "kind", "base", "delta_lens_mean", "delta_bound",
                                       "delta_mean_weighted_risk"])


def queueing_margin(required_rps: Any, throughput_per_replica_rps: Any, total_latency_ms: Any,
                    latency_budget_ms: Any, percentile: Any = 0.99, extra_replicas: Any = 8) -> pd.DataFrame:
    r"""Latency margin once queueing is counted: M/M/c wait quantile added to the fixed path.

    .. math:: \rho = \frac{Q}{c\,\mu},\quad W_q^{(p)} = \max\!\Big(0, \frac{\ln(C(c, Q/\mu)/(1-p))}{c\mu - Q}\Big),
              \quad margin_q = budget - T - W_q^{(p)}

    The article's replica rule :math:`\lceil Q/\mu \rceil` runs the fleet at ρ = 1 when Q is a
    multiple of μ (1200 / 150 = 8): an M/M/c queue at ρ = 1 never settles. This table starts at
    the first stable fleet and adds replicas until the p-quantile of the queueing wait
    (:func:`~infra_lab.serving.mmc`) fits in the budget left by the fixed latency path.

    Parameters
    ----------
    required_rps : float
        Offered load Q, requests/s; > 0.
    throughput_per_replica_rps : float
        Service rate μ of one replica, requests/s; > 0.
    total_latency_ms : float
        The fixed latency path T (sum of the stages), ms; in [0, 1e12].
    latency_budget_ms : float
        The budget, ms; > 0.
    percentile : float, default 0.99
        The wait quantile p, in (0, 1).
    extra_replicas : int, default 8
        How many fleets beyond the first stable one to list, 0 to 1000.

    Returns
    -------
    pandas.DataFrame
        ``replicas``, ``utilization``, ``prob_queued``, ``wait_quantile_ms``,
        ``latency_margin_ms`` (budget − T − wait), ``meets_latency_budget``.

    See Also
    --------
    infra_lab.serving.mmc : the queueing model.
    infra_lab.serving.required_replicas : the article's utilisation-only rule.

    References
    ----------
    Gross, Shortle, Thompson & Harris, *Fundamentals of Queueing Theory*, 4th ed., §2.3
    (M/M/c: Erlang C and the waiting-time distribution); the article's Worked Example:
    Serving Capacity and Latency Budget (Q = 1200, 150 per replica, T = 180 ms, budget 200 ms).

    Examples
    --------
    >>> t = queueing_margin(1200, 150, 180, 200)
    >>> int(t["replicas"].iloc[0]), int(t.loc[t["meets_latency_budget"], "replicas"].min())
    (9, 10)
    """
    from infra_lab.serving import mmc

    q = float(positive("required_rps", required_rps))
    mu = float(positive("throughput_per_replica_rps", throughput_per_replica_rps))
    total = float(number("total_latency_ms", total_latency_ms, low=0.0, high=1e12))
    budget = float(positive("latency_budget_ms", latency_budget_ms, unit="ms"))
    p = float(fraction("percentile", percentile, low_open=True, high_open=True))
    extra = int(count("extra_replicas", extra_replicas, maximum=1000))
    first = int(np.floor(q / mu * (1 + 1e-12))) + 1
    require(first < 2**31, "required_rps", required_rps, "needs more replicas than this table can list")
    c = np.arange(first, first + extra + 1)
    res = mmc(q, mu, c)
    wait_ms = 1e3 * np.asarray(res.wait_quantile(p), dtype=float)
    margin = budget - total - wait_ms
    return pd.DataFrame({"replicas": c, "utilization": np.asarray(res.utilization, dtype=float),
                         "prob_queued": np.asarray(res.prob_queued, dtype=float), "wait_quantile_ms": wait_ms,
                         "latency_margin_ms": margin, "meets_latency_budget": margin >= 0})
