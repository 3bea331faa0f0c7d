"""Benchmark: infra_lab.pipelines.critical_path vs networkx.dag_longest_path on random DAGs.

Run in the course's environment::

    .venv/bin/python benchmarks/bench_critical_path.py [--sizes 10000 100000] [--repeats 5] [--seed 0]

Workload: a random DAG of n tasks (fixed seed). Every task i < n − 1 gets 3 edges to tasks
drawn uniformly from i + 1 … n − 1 (edges always go from a lower to a higher index, so the
graph is acyclic; the few duplicate draws collapse, leaving just under 3 edges per task).
Durations are whole minutes drawn uniformly from 1–59, stored as the node attribute
``duration_minutes`` — the form ``infra_lab.pipelines.build_dag`` produces.

What is timed:

* infra_lab — ``critical_path(dag)`` end to end from the DiGraph: reading the graph into
  arrays, topological generations, forward and backward passes, the path and the full
  schedule table (ES, EF, LS, LF, slack for every task).
* networkx — ``nx.dag_longest_path(g, weight="weight")`` only. networkx's longest path
  weighs *edges*, so node durations are first mapped onto edges the standard way: every edge
  u → v weighs t_u, and a virtual ``finish`` node receives an edge from every task weighing
  that task's duration, so the longest path to ``finish`` has the length of the critical path.
  Building that weighted copy is *not* timed (it favours networkx), and networkx computes only
  the path, no slack.

Check: the two must agree on the project duration (the sum of durations along networkx's
path equals ``critical_path(dag).duration_minutes``); whether the two paths are identical is reported
too (ties may legitimately differ).

Times are the best of ``--repeats`` runs (networkx: at most 3) in wall-clock seconds, with
process CPU seconds beside them, which stay meaningful on a shared machine. Goal from the
course's issue: 10⁵ tasks in ≤ 0.3 s end to end.

``main()`` returns the result rows and prints a table.
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
import pandas as pd

from infra_lab.pipelines import critical_path

EDGES_PER_TASK = 3


def random_dag(n: int, seed: int) -> nx.DiGraph:
    """n tasks, ~3 edges per task from lower to higher index, durations 1–59 minutes."""
    rng = np.random.default_rng(seed)
    src = np.repeat(np.arange(n - 1), EDGES_PER_TASK)
    dst = src + 1 + (rng.random(src.size) * (n - 1 - src)).astype(np.int64)
    g = nx.DiGraph()
    g.add_nodes_from((i, {"duration_minutes": float(d)}) for i, d in enumerate(rng.integers(1, 60, n)))
    g.add_edges_from(zip(src.tolist(), dst.tolist()))
    return g


def networkx_view(dag: nx.DiGraph) -> nx.DiGraph:
    """Node durations on edges: u → v weighs t_u; every task → 'finish' weighs its duration."""
    t = dag.nodes(data="duration_minutes")
    g = nx.DiGraph()
    g.add_weighted_edges_from((u, v, t[u]) for u, v in dag.edges)
    g.add_weighted_edges_from((u, "finish", d) for u, d in t)
    return g


def best_time(fn, repeats: int) -> tuple[float, float, object]:
    wall, cpu, result = np.inf, np.inf, None
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        result = fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu, result


def main(sizes: tuple[int, ...] = (10_000, 100_000), repeats: int = 5, seed: int = 0) -> list[dict]:
    rows = []
    for n in sizes:
        dag = random_dag(n, seed)
        ours_s, ours_cpu, cp = best_time(lambda: critical_path(dag), repeats)
        g = networkx_view(dag)
        nx_s, nx_cpu, nx_path = best_time(lambda: nx.dag_longest_path(g, weight="weight"), min(repeats, 3))
        nx_tasks = [u for u in nx_path if u != "finish"]
        nx_duration = float(sum(dag.nodes[u]["duration_minutes"] for u in nx_tasks))
        if nx_duration != cp.duration_minutes:
            raise AssertionError(f"n={n}: networkx longest path {nx_duration} ≠ critical path {cp.duration_minutes}")
        rows.append({
            "tasks": n, "edges": dag.number_of_edges(), "duration_minutes": cp.duration_minutes,
            "path_tasks": len(cp.path), "same_path": nx_tasks == cp.path,
            "infra_lab_s": ours_s, "networkx_s": nx_s, "ratio": nx_s / ours_s,
            "infra_lab_cpu_s": ours_cpu, "networkx_cpu_s": nx_cpu, "cpu_ratio": nx_cpu / ours_cpu,
        })
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 160, "display.float_format", "{:.3f}".format):
        print(table.to_string(index=False))
    print("ratio = networkx seconds / infra_lab seconds (best of repeats); durations agree on every size")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    main(tuple(args.sizes), args.repeats, args.seed)
