"""Metadata-store benchmark: 10⁶ prediction inserts, one prediction's lineage, one version's impact.

    python benchmarks/bench_governance.py [--predictions 1000000] [--repeats 50]

Targets (issue 10): 10⁶ inserts ≤ 5 s (one transaction, ``executemany``), lineage ≤ 10 ms,
impact ≤ 1 s, with ``EXPLAIN QUERY PLAN`` showing that the lookups along foreign keys use their
indexes. The store is a file in a temporary folder (WAL, synchronous=NORMAL), as the notebooks
use it; the provenance graph is the example lifecycle of ``mlops.build_example_store``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from infra_lab import governance as gov  # noqa: E402
from infra_lab.governance.queries import _DOWNSTREAM, _UPSTREAM  # noqa: E402
from infra_lab.mlops import build_example_store  # noqa: E402

TARGETS = {"insert_s": 5.0, "lineage_ms": 10.0, "impact_s": 1.0}


def _plan(store, sql, params):
    return [row[3] for row in store.query("EXPLAIN QUERY PLAN " + sql, params)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--predictions", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=50)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = build_example_store(str(Path(tmp) / "bench.db"))
        scores = np.random.default_rng(0).uniform(0, 1, args.predictions)
        load_before = os.getloadavg()[0]
        t0, c0 = time.perf_counter(), time.process_time()
        ids = gov.record_predictions(store, 1, scores)
        insert_s, insert_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        size_mb = sum(p.stat().st_size for p in Path(tmp).iterdir()) / 1e6

        pid = int(ids[len(ids) // 2])
        lineage_times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            lineage = gov.prediction_lineage(store, pid)
            lineage_times.append(time.perf_counter() - t0)
        impact_times = []
        for _ in range(max(3, args.repeats // 10)):
            t0 = time.perf_counter()
            impact = gov.dataset_impact(store, 2)
            impact_times.append(time.perf_counter() - t0)
        lineage_ms = 1e3 * float(np.median(lineage_times))
        impact_s = float(np.median(impact_times))

        print(f"store: {store.path} ({size_mb:.0f} MB with WAL), SQLite {__import__('sqlite3').sqlite_version}")
        print(f"machine: {os.cpu_count()} cores, load average {load_before:.1f} when the insert started "
              "(wall times above the CPU time mean the process waited for a core)")
        print(f"insert {len(ids):,} predictions (one transaction, executemany): {insert_s:.2f} s wall, "
              f"{insert_cpu_s:.2f} s CPU ({len(ids) / insert_s:,.0f} rows/s; target ≤ {TARGETS['insert_s']:g} s)")
        print(f"lineage of prediction {pid} ({len(lineage)} nodes): median {lineage_ms:.2f} ms over {args.repeats} "
              f"(target ≤ {TARGETS['lineage_ms']:g} ms)")
        print(f"impact of dataset version 2 ({impact.predictions:,} predictions, "
              f"{len(impact.model_version_ids)} model versions): median {impact_s * 1e3:.1f} ms "
              f"(target ≤ {TARGETS['impact_s']:g} s)")
        print("\nEXPLAIN QUERY PLAN")
        deps = ",".join("?" * len(impact.deployment_ids))
        plans = {
            "lineage (recursive, upstream)": (_UPSTREAM, (pid,)),
            "impact (recursive, downstream)": (_DOWNSTREAM, (2,)),
            "impact: predictions of the affected deployments":
                (f"SELECT COUNT(*) FROM predictions WHERE deployment_id IN ({deps})", impact.deployment_ids),
        }
        for name, (sql, params) in plans.items():
            print(f"  {name}:")
            for line in _plan(store, sql, params):
                print(f"    {line}")
        count_plan = " ".join(_plan(store, *plans["impact: predictions of the affected deployments"]))
        uses_index = "ix_predictions_deployment" in count_plan
        print(f"\nprediction count uses ix_predictions_deployment: {uses_index}")
        store.close()
    ok = (insert_s <= TARGETS["insert_s"] and lineage_ms <= TARGETS["lineage_ms"]
          and impact_s <= TARGETS["impact_s"] and uses_index)
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
