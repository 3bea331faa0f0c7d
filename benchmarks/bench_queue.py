"""Benchmark: infra_lab.serving.simulate_queue vs ciw and SimPy on the same M/M/c workload.

Run with the peer-library venv (ciw 3.2.x, SimPy 4.1.x)::

    benchmarks/.venv/bin/python benchmarks/bench_queue.py [--n 1000000] [--seeds 3] [--servers 8]

Workload: per seed, ``n`` Poisson arrivals at λ = ρ·c·μ and exponential service times
with μ = 1/s, c = 8 servers, ρ = 0.9 (a queue that is busy but stable). All three
simulators get the *same* interarrival gaps and service times: ciw through
``ciw.dists.Sequential`` (sampled in arrival order, which FIFO keeps), SimPy through a
source process that sleeps each gap and a FIFO ``simpy.Resource`` of capacity c. A few
hundred extra requests are appended so ciw can run until the first ``n`` have completed;
waits are compared for those ``n``.

Checks, per tool: the mean wait pooled over seeds with a 95 % confidence interval (batch
means, 30 batches per seed after a 10⁴-request warm-up; seeds independent) must contain
Erlang C's W_q = C(c, a)/(cμ − λ) within sampling error (|z| ≤ 4), and the per-request
waits must match infra_lab's to 1e-6 s (same input → same FIFO schedule).

Times: seconds from (gaps, services) to an array of per-request waits, one run per seed
(the peers take tens of seconds each, so repeats would dominate the budget). Both the
wall-clock time and the process CPU time are recorded; speed-ups use CPU time, which stays
meaningful on a machine shared with other jobs (all three tools are single-threaded).
Goals: ≥ 50× faster than ciw, ≥ 25× faster than SimPy; single-server Lindley throughput of
the order of 10⁷ requests/s (best of 3 runs on 10⁷ requests).

``main()`` returns the result rows and prints a table.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd
from scipy import stats

from infra_lab.serving import mm1, mmc, simulate_queue

EXTRA = 500          # requests appended so the first n all complete in ciw
WARMUP = 10_000      # dropped from each run's mean (the queue starts empty)
BATCHES = 30


def make_workload(n: int, lam: float, mu: float, seed: int) -> tuple[list[float], list[float]]:
    """Interarrival gaps and service times (Python lists, the form every tool accepts)."""
    rng = np.random.default_rng(seed)
    return rng.exponential(1 / lam, n + EXTRA).tolist(), rng.exponential(1 / mu, n + EXTRA).tolist()


def run_infra_lab(gaps: list[float], services: list[float], servers: int, n: int) -> np.ndarray:
    arrivals = np.cumsum(gaps)  # sequential sums, bit-identical to a DES clock advancing by gaps
    return simulate_queue(arrivals[:n], np.asarray(services[:n]), servers).wait_s


def run_ciw(gaps: list[float], services: list[float], servers: int, n: int) -> np.ndarray:
    import ciw

    network = ciw.create_network(arrival_distributions=[ciw.dists.Sequential(gaps)],
                                 service_distributions=[ciw.dists.Sequential(services)],
                                 number_of_servers=[servers])
    sim = ciw.Simulation(network)
    sim.simulate_until_max_customers(n + EXTRA // 2, method="Complete")
    waits = np.full(n, np.nan)
    for r in sim.get_all_records():
        if r.id_number <= n:
            waits[r.id_number - 1] = r.waiting_time
    if np.isnan(waits).any():
        raise RuntimeError("ciw did not complete the first n requests; raise EXTRA")
    return waits


def run_simpy(gaps: list[float], services: list[float], servers: int, n: int) -> np.ndarray:
    import simpy

    env = simpy.Environment()
    pool = simpy.Resource(env, capacity=servers)
    waits = [0.0] * n

    def request(i: int, service: float):
        arrived = env.now
        with pool.request() as req:
            yield req
            waits[i] = env.now - arrived
            yield env.timeout(service)

    def source():
        for i in range(n):
            yield env.timeout(gaps[i])
            env.process(request(i, services[i]))

    env.process(source())
    env.run()
    return np.asarray(waits)


def seed_estimate(waits: np.ndarray) -> tuple[float, float]:
    """Mean wait and its standard error from batch means (after the warm-up)."""
    x = waits[WARMUP:]
    m = x.size // BATCHES
    means = x[: m * BATCHES].reshape(BATCHES, m).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(BATCHES))


def pooled(estimates: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Pool independent seeds: mean of means, SE = √Σse²/S; 95 % t interval."""
    s = len(estimates)
    mean = sum(e for e, _ in estimates) / s
    se = math.sqrt(sum(v * v for _, v in estimates)) / s
    half = stats.t.ppf(0.975, s * BATCHES - s) * se
    return mean, se, half


def lindley_throughput(n: int = 10_000_000, rho: float = 0.9, repeats: int = 3) -> dict:
    rng = np.random.default_rng(7)
    arrivals = np.cumsum(rng.exponential(1 / rho, n))
    services = rng.exponential(1.0, n)
    best = best_cpu = math.inf
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        res = simulate_queue(arrivals, services, 1)
        best = min(best, time.perf_counter() - t0)
        best_cpu = min(best_cpu, time.process_time() - c0)
    est, se = seed_estimate(res.wait_s)
    theory = mm1(rho, 1.0).mean_wait_s
    return {"tool": "infra_lab (Lindley, c=1)", "servers": 1, "requests": n, "seeds": 1, "seconds": best,
            "cpu_seconds": best_cpu, "requests_per_s": n / best_cpu, "mean_wait_s": est, "ci95_half_s": stats.t.ppf(0.975, BATCHES - 1) * se,
            "theory_wait_s": theory, "z": (est - theory) / se, "agrees": abs(est - theory) <= 4 * se,
            "max_abs_diff_s": float("nan"), "speedup_vs_tool": float("nan")}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1_000_000, help="requests per seed (default 10^6)")
    parser.add_argument("--seeds", type=int, default=3, help="independent seeds pooled (default 3)")
    parser.add_argument("--servers", type=int, default=8)
    parser.add_argument("--rho", type=float, default=0.9)
    parser.add_argument("--skip-peers", action="store_true", help="time infra_lab only")
    args = parser.parse_args(argv)

    c, mu = args.servers, 1.0
    lam = args.rho * c * mu
    theory = mmc(lam, mu, c)
    print(f"M/M/{c}: λ = {lam:g}/s, μ = {mu:g}/s, ρ = {theory.utilization:.3f}; Erlang C = "
          f"{theory.prob_queued:.5f}, W_q = {theory.mean_wait_s:.5f} s; {args.n:,} requests × {args.seeds} seeds",
          flush=True)

    tools = {"infra_lab": run_infra_lab}
    if not args.skip_peers:
        tools.update({"ciw": run_ciw, "simpy": run_simpy})
    seconds = {k: 0.0 for k in tools}
    cpu = {k: 0.0 for k in tools}
    estimates: dict[str, list[tuple[float, float]]] = {k: [] for k in tools}
    max_diff = {k: 0.0 for k in tools}
    for seed in range(args.seeds):
        gaps, services = make_workload(args.n, lam, mu, seed)
        reference = None
        for name, fn in tools.items():
            t0, c0 = time.perf_counter(), time.process_time()
            waits = fn(gaps, services, c, args.n)
            dt, dc = time.perf_counter() - t0, time.process_time() - c0
            seconds[name] += dt
            cpu[name] += dc
            estimates[name].append(seed_estimate(waits))
            if reference is None:
                reference = waits
            max_diff[name] = max(max_diff[name], float(np.max(np.abs(waits - reference))))
            print(f"  seed {seed}: {name:<9} {dt:8.2f} s wall {dc:8.2f} s CPU  mean wait {estimates[name][-1][0]:.5f} s", flush=True)

    rows = []
    for name in tools:
        est, se, half = pooled(estimates[name])
        rows.append({"tool": name, "servers": c, "requests": args.n, "seeds": args.seeds,
                     "seconds": seconds[name], "cpu_seconds": cpu[name],
                     "requests_per_s": args.n * args.seeds / cpu[name],
                     "mean_wait_s": est, "ci95_half_s": half, "theory_wait_s": theory.mean_wait_s,
                     "z": (est - theory.mean_wait_s) / se, "agrees": abs(est - theory.mean_wait_s) <= 4 * se,
                     "max_abs_diff_s": max_diff[name],
                     "speedup_vs_tool": cpu[name] / cpu["infra_lab"]})
    rows.append(lindley_throughput())

    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.float_format", "{:.4g}".format):
        print()
        print(table.to_string(index=False))
    print()
    for r in rows:
        print(f"{r['tool']}: mean wait {r['mean_wait_s']:.5f} ± {r['ci95_half_s']:.5f} s (95 % CI) vs theory "
              f"{r['theory_wait_s']:.5f} s — {'agrees' if r['agrees'] else 'DISAGREES'} (z = {r['z']:+.2f})")
    goals = {"ciw": 50, "simpy": 25}
    for name, goal in goals.items():
        if name in seconds:
            ratio = cpu[name] / cpu["infra_lab"]
            wall = seconds[name] / seconds["infra_lab"]
            print(f"infra_lab vs {name}: {ratio:.1f}× faster in CPU time, {wall:.1f}× in wall time "
                  f"(goal ≥ {goal}×: {'met' if ratio >= goal else 'NOT met'});"
                  f" max |wait difference| {max_diff[name]:.2e} s")
    print(f"single-server Lindley: {rows[-1]['requests_per_s']:.3g} requests/s of CPU time, "
          f"{rows[-1]['requests'] / rows[-1]['seconds']:.3g} requests/s wall (goal ~1e7)")
    return rows


if __name__ == "__main__":
    main()
