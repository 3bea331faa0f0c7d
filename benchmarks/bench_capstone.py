"""Benchmark: the capstone's class sweep — 10⁴ student variants of the Python workflow's summary.

Run in the course's environment::

    .venv/bin/python benchmarks/bench_capstone.py [--variants 10000] [--loop-variants 1000] [--repeats 3] [--seed 0]

Workload: ``--variants`` students, each with their own seven readiness scores (the article's
scores + N(0, 0.05), clipped to [0, 1]), offered load Q (the article's 1200 req/s × U(0.5, 2)),
per-replica throughput (150 × U(0.8, 1.2)), four latency stages (the article's ± 20 %) and
budget (200 × U(0.9, 1.1) ms). The article's pipeline and compute cluster are shared.

What is timed:

* vectorised — ``infra_lab.capstone.summary_sweep``: all eight summary metrics for every
  variant in one numpy pass (validation included).
* one at a time — the article's Python workflow as a student would write it with pandas,
  once per variant: build the tasks, cluster, serving and readiness DataFrames, then
  ``sum``, ``prod(1 − p)``, allocated/available, ``ceil(Q/throughput)``, the latency sum
  and margin, the mean score, and the eight-row summary DataFrame. Because it is slow, only
  ``--loop-variants`` of the variants are run this way and the time is scaled to all of them
  (the per-variant cost is constant); pass ``--loop-variants 10000`` to time them all.

Check: for every looped variant, the two give the same eight numbers (within 1e-9).
Times are the best of ``--repeats`` (the loop: one run) in wall-clock seconds, with process
CPU seconds beside them. ``main()`` returns the result row and prints it.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd

from infra_lab.article import compute_cluster, pipeline_tasks, readiness_table
from infra_lab.capstone import PYTHON_SUMMARY_METRICS, summary_sweep


def variants(n: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    base = readiness_table()["score"].to_numpy()
    return {
        "scores": np.clip(base + rng.normal(0, 0.05, (n, 7)), 0, 1),
        "q": 1200 * rng.uniform(0.5, 2.0, n),
        "t": 150 * rng.uniform(0.8, 1.2, n),
        "comps": np.array([45.0, 80.0, 35.0, 20.0]) * rng.uniform(0.8, 1.2, (n, 4)),
        "budget": 200 * rng.uniform(0.9, 1.1, n),
    }


def one_variant_with_pandas(scores, q, t, comps, budget) -> list[float]:
    """The article's Python workflow for one student, in plain pandas (no infra_lab formulas)."""
    tasks = pipeline_tasks()
    cluster = compute_cluster()
    cluster["utilization"] = cluster["allocated_units"] / cluster["available_units"]
    cluster["over_target"] = cluster["utilization"] > cluster["utilization_target"]
    serving = pd.DataFrame([{"service": "student_api", "required_qps": q, "throughput_per_replica": t,
                             "feature_latency_ms": comps[0], "model_latency_ms": comps[1],
                             "network_latency_ms": comps[2], "postprocess_latency_ms": comps[3],
                             "latency_budget_ms": budget}])
    serving["required_replicas"] = np.ceil(serving["required_qps"] / serving["throughput_per_replica"] - 1e-12)
    serving["total_latency_ms"] = serving[["feature_latency_ms", "model_latency_ms", "network_latency_ms",
                                           "postprocess_latency_ms"]].sum(axis=1)
    serving["latency_margin_ms"] = serving["latency_budget_ms"] - serving["total_latency_ms"]
    readiness = pd.DataFrame({"dimension": readiness_table()["dimension"], "score": scores})
    summary = pd.DataFrame({"metric": list(PYTHON_SUMMARY_METRICS), "value": [
        tasks["duration_minutes"].sum(), (1 - tasks["failure_probability"]).prod(), cluster["utilization"].mean(),
        cluster["over_target"].mean(), serving.loc[0, "required_replicas"], serving.loc[0, "total_latency_ms"],
        serving.loc[0, "latency_margin_ms"], readiness["score"].mean()]})
    return summary["value"].tolist()


def _timed(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w0, time.process_time() - c0


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variants", type=int, default=10_000)
    parser.add_argument("--loop-variants", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    v = variants(args.variants, args.seed)

    def vectorised():
        return summary_sweep(v["scores"], v["q"], v["t"], v["comps"], v["budget"])

    summary_sweep(v["scores"][:10], v["q"][:10], v["t"][:10], v["comps"][:10], v["budget"][:10])  # warm-up: imports
    best = None
    for _ in range(args.repeats):
        sweep, wall, cpu = _timed(vectorised)
        best = (wall, cpu) if best is None or wall < best[0] else best
    k = min(args.loop_variants, args.variants)
    rows, loop_wall, loop_cpu = _timed(lambda: [one_variant_with_pandas(v["scores"][i], v["q"][i], v["t"][i],
                                                                        v["comps"][i], v["budget"][i])
                                                for i in range(k)])
    np.testing.assert_allclose(np.array(rows, dtype=float), sweep.iloc[:k].to_numpy(float), rtol=0, atol=1e-9)
    scale = args.variants / k
    result = {"variants": args.variants, "vectorised_s": best[0], "vectorised_cpu_s": best[1],
              "loop_variants_timed": k, "loop_s_scaled": loop_wall * scale, "loop_cpu_s_scaled": loop_cpu * scale,
              "per_variant_loop_ms": 1e3 * loop_wall / k}
    result["ratio"] = result["loop_s_scaled"] / result["vectorised_s"]
    result["cpu_ratio"] = result["loop_cpu_s_scaled"] / max(result["vectorised_cpu_s"], 1e-9)
    print(f"{args.variants:,} variants of the Python workflow's summary (eight metrics each)")
    print(f"  vectorised (summary_sweep)      {best[0]:8.4f} s wall  {best[1]:8.4f} s CPU  (best of {args.repeats})")
    print(f"  one at a time with pandas       {result['loop_s_scaled']:8.2f} s wall  "
          f"{result['loop_cpu_s_scaled']:8.2f} s CPU  ({k:,} timed, {result['per_variant_loop_ms']:.2f} ms each, "
          f"scaled ×{scale:g})")
    print(f"  ratio                           {result['ratio']:8.0f}× wall, {result['cpu_ratio']:.0f}× CPU  "
          f"(agree within 1e-9 on the {k:,} looped)")
    return result


if __name__ == "__main__":
    main()
