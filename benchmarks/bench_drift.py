"""Benchmark: infra_lab.quality.drift_report vs Evidently's DataDriftPreset.

Run with the peer-library venv (Evidently 0.7.x, pandas 2.3)::

    benchmarks/.venv/bin/python benchmarks/bench_drift.py [--rows 1000000]

Data: a seeded synthetic table, ``rows`` reference rows and ``rows`` current rows × 20
columns (12 numeric, 8 categorical), some shifted, a few with missing values, two
low-cardinality numeric columns (≤ 5 values, which Evidently tests with Jensen–Shannon).
Both libraries see the same DataFrames; ``drift_report(method="evidently")`` uses
Evidently's default test choice, so per-column verdicts and statistics should agree.
``main()`` returns the result rows and prints a table. Times are wall-clock seconds of one
run each (Evidently's run is minutes long, so repeats would dominate the budget).
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from infra_lab.quality import drift_report

N_COLUMNS = 20


def make_data(rows: int, seed: int = 2013) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[str]]:
    """Seeded reference/current tables; returns (reference, current, numeric, categorical)."""
    rng = np.random.default_rng(seed)
    ref, cur = {}, {}
    numeric, categorical = [], []
    # (distribution, shift of the current mean in reference std units, NaN share)
    num_specs = [("normal", 0.0, 0.0), ("normal", 0.02, 0.0), ("normal", 0.2, 0.0), ("normal", 0.5, 0.01),
                 ("lognormal", 0.0, 0.0), ("lognormal", 0.3, 0.05), ("exponential", 0.0, 0.0),
                 ("exponential", 0.15, 0.0), ("uniform", 0.0, 0.0), ("uniform", 1.0, 0.0)]
    for i, (dist, shift, nan_share) in enumerate(num_specs):
        name = f"num_{i:02d}_{dist}"
        draw = {"normal": lambda n: rng.normal(50, 10, n), "lognormal": lambda n: rng.lognormal(3, 0.5, n),
                "exponential": lambda n: rng.exponential(20, n), "uniform": lambda n: rng.uniform(0, 100, n)}[dist]
        r, c = draw(rows), draw(rows)
        c = c + shift * np.std(r)
        if nan_share:
            c[rng.random(rows) < nan_share] = np.nan
        ref[name], cur[name] = r, c
        numeric.append(name)
    # two low-cardinality numeric columns (≤ 5 distinct values)
    ref["num_10_small"] = rng.integers(0, 4, rows).astype(float)
    cur["num_10_small"] = rng.integers(0, 4, rows).astype(float)
    ref["num_11_small_shift"] = rng.choice([0.0, 1.0, 2.0], rows, p=[0.5, 0.3, 0.2])
    cur["num_11_small_shift"] = rng.choice([0.0, 1.0, 2.0], rows, p=[0.3, 0.3, 0.4])
    numeric += ["num_10_small", "num_11_small_shift"]
    for j in range(N_COLUMNS - len(numeric)):
        name = f"cat_{j:02d}"
        k = [3, 5, 8, 12, 20, 4, 6, 10][j]
        cats = np.array([f"c{m}" for m in range(k)], dtype=object)
        p = rng.dirichlet(np.ones(k) * 5)
        q = p if j % 2 == 0 else rng.dirichlet(np.ones(k) * 5) * (0.2 + 0.1 * j) + p * (0.8 - 0.1 * j)
        q = np.clip(q, 1e-6, None)
        ref[name] = cats[rng.choice(k, rows, p=p)]
        cur[name] = cats[rng.choice(k, rows, p=q / q.sum())]
        categorical.append(name)
    return pd.DataFrame(ref), pd.DataFrame(cur), numeric, categorical


def run_evidently(ref: pd.DataFrame, cur: pd.DataFrame, numeric: list[str], categorical: list[str]) -> pd.DataFrame:
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    dd = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    snap = Report([DataDriftPreset()]).run(Dataset.from_pandas(cur, data_definition=dd),
                                           Dataset.from_pandas(ref, data_definition=dd))
    rows = []
    for m in snap.dict()["metrics"]:
        cfg = m["config"]
        if not cfg["type"].endswith("ValueDrift"):
            continue
        method, th, value = cfg["method"], cfg["threshold"], float(m["value"])
        # Evidently: p-value tests drift when p < threshold (K-S: p <= threshold); distances when >=
        if "p_value" in method:
            drifted = value <= th if method.startswith("K-S") else value < th
        else:
            drifted = value >= th
        rows.append({"column": cfg["column"], "ev_method": method, "ev_value": value, "ev_drifted": drifted})
    return pd.DataFrame(rows)


def main(rows: int = 1_000_000, seed: int = 2013) -> list[dict]:
    ref, cur, numeric, categorical = make_data(rows, seed)
    # wall-clock and process CPU seconds: on a shared machine CPU time is the steadier number
    t0, c0 = time.perf_counter(), time.process_time()
    ours = drift_report(ref, cur, method="evidently").table
    t_ours, cpu_ours = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    ev = run_evidently(ref, cur, numeric, categorical)
    t_ev, cpu_ev = time.perf_counter() - t0, time.process_time() - c0
    both = ours.merge(ev, on="column")
    # our table carries the statistic for distances and the p-value for tests
    ours_value = np.where(both["test"].isin(["ks", "chisquare", "z"]), both["p_value"], both["statistic"])
    rel = np.abs(ours_value - both["ev_value"]) / np.maximum(np.abs(both["ev_value"]), 1e-300)
    same = bool((both["drifted"] == both["ev_drifted"]).all()) and len(both) == N_COLUMNS
    result = [{"library": "infra_lab.drift_report(method='evidently')", "rows": rows, "columns": N_COLUMNS,
               "seconds": round(t_ours, 3), "cpu_seconds": round(cpu_ours, 3), "drifted_columns": int(ours["drifted"].sum())},
              {"library": "evidently DataDriftPreset", "rows": rows, "columns": N_COLUMNS,
               "seconds": round(t_ev, 3), "cpu_seconds": round(cpu_ev, 3), "drifted_columns": int(ev["ev_drifted"].sum())},
              {"library": "ratio evidently / infra_lab", "rows": rows, "columns": N_COLUMNS,
               "seconds": round(t_ev / t_ours, 1), "cpu_seconds": round(cpu_ev / cpu_ours, 1),
               "drifted_columns": None,
               "verdicts_identical": same, "max_rel_diff_statistic": float(rel.max())}]
    pd.set_option("display.width", 200)
    print(both[["column", "test", "statistic", "p_value", "drifted", "ev_method", "ev_value", "ev_drifted"]]
          .to_string(index=False))
    print()
    print(pd.DataFrame(result).to_string(index=False))
    return result


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=2013)
    a = ap.parse_args()
    main(a.rows, a.seed)
