"""Benchmark: infra_lab.parallel / infra_lab.compute vs mlsysim 0.3.0 where their formulas overlap.

Run with the peer-library venv::

    benchmarks/.venv/bin/python benchmarks/bench_mlsysim.py [--points 1000000] [--subsample 10000]

Part 1 — agreement. The same inputs go to both libraries and both values are printed with
their relative difference. Where the two use different conventions the row says so and,
where one converts into the other, a second row compares after the conversion:

* training time  C / (n · peak · MFU): ``compute.training_time_s`` vs
  ``mlsysim.calc_training_time`` (Megatron-LM 2021 §5.1's GPT-3 example among the inputs);
* ring all-reduce  2(n−1)α + 2(n−1)/n · M/B: ``parallel.ring_allreduce_s`` vs
  ``mlsysim.calc_ring_allreduce_time``;
* Amdahl: ``parallel.amdahl_speedup(s, n)`` takes the *serial* fraction and a worker count;
  ``mlsysim.calc_amdahls_speedup(p, s)`` takes the *improved (parallel)* fraction ``p`` and the
  speedup ``s`` of that part — compared with p = 1 − s_serial and s = n. mlsysim's
  ``calc_strong_scaling_speedup(n, c) = n / (1 + (n−1)c)`` is Amdahl's law again, with c = s;
* pipeline bubble: mlsysim's ``calc_pipeline_bubble(p, m, v)`` returns (p−1)/(v·m + p−1), the
  GPipe share of total time (with v·m effective micro-batches); ``parallel.pipeline_bubble_fraction``
  returns that for ``"gpipe"`` and Megatron-LM's ratio to ideal time (p−1)/(v·m) for
  ``"megatron"`` — they differ, and agree after x ↦ x/(1+x);
* model-state memory (ZeRO, Rajbhandari et al. 2020): ``compute.model_state_memory_bytes`` vs
  the weights + gradients + optimizer-state terms of mlsysim's ``TrainingMemoryModel`` (which also
  adds activations and buffers — left out of the comparison, and said so) and
  ``mlsysim.calc_training_state``;
* stragglers: ``parallel.expected_max_step_time`` on a fine quantile grid of N(0, 1) (shifted
  to be non-negative, then shifted back) vs ``mlsysim.calc_expected_max_std_normal``.

Part 2 — speed of a 10⁶-point sweep, in one run: Amdahl over 10⁶ (serial fraction, workers) points
and the ring all-reduce over 10⁶ (workers, message size) points. infra_lab evaluates each sweep in
one vectorised call (best of 3); mlsysim's functions are scalar, so they are called in a Python loop.
The Amdahl loop runs all 10⁶ calls. mlsysim's all-reduce carries pint units (~250 µs a call), so 10⁶
calls would take minutes: a random subsample of ``--subsample`` points is timed and the time is
**extrapolated** linearly to 10⁶ (the row says so). Times are process CPU time (both sides are
single-threaded; CPU time stays meaningful on a shared machine) and wall time is shown too.
The subsample's values are also compared with infra_lab's for the same points.
(The Amdahl sweep's serial fractions come from ``Generator.uniform``, multiples of 2⁻⁵³, for which
1 − (1 − s) == s exactly; that is why its maximum relative difference prints as 0 although single
decimal inputs such as s = 0.05 differ in the last bit.)

``main()`` returns the rows (a list of dicts) and prints two tables.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np

from infra_lab.compute import model_state_memory_bytes, training_time_s
from infra_lab.parallel import (amdahl_speedup, expected_max_step_time, pipeline_bubble_fraction,
                                ring_allreduce_s)

RTOL = 1e-9  # "agree": equal to floating-point rounding


def _row(check: str, inputs: str, infra_lab: float, mlsysim: float, note: str = "",
         rtol: float = RTOL) -> dict[str, Any]:
    rel = abs(infra_lab - mlsysim) / max(abs(mlsysim), 1e-300)
    return {"check": check, "inputs": inputs, "infra_lab": infra_lab, "mlsysim": mlsysim,
            "rel_diff": rel, "agree": bool(rel <= rtol), "note": note}


def agreement_rows() -> list[dict[str, Any]]:
    import mlsysim
    from mlsysim import Q_

    rows: list[dict[str, Any]] = []

    # training time — Megatron-LM 2021 §5.1: 8·T·P FLOPs, T = 300B tokens, P = 175B, 1024 GPUs at 140 TFLOP/s
    h100_peak = mlsysim.Hardware.Cloud.H100.compute.peak_flops.to("flop/second").magnitude  # 989 TFLOP/s datasheet
    for flops, n, peak, mfu in [(8 * 175e9 * 300e9, 1024, 140e12, 1.0), (6 * 70e9 * 2e12, 2048, h100_peak, 0.4),
                                (1e21, 8, h100_peak, 0.55)]:
        ours = training_time_s(flops, n, peak, mfu)
        theirs = mlsysim.calc_training_time(Q_(flops, "flop"), n, Q_(peak, "flop/second"), mfu).to("second").magnitude
        rows.append(_row("training time (s)", f"C={flops:.3g}, n={n}, peak={peak:.3g}, MFU={mfu}", ours, theirs))

    # ring all-reduce
    for m, n, bw, lat in [(1e9, 8, 450e9, 5e-6), (14e9, 64, 12.5e9, 5e-6), (4096.0, 512, 450e9, 5e-7),
                          (1e9, 1, 450e9, 5e-6)]:
        ours = ring_allreduce_s(m, n, bw, lat)
        theirs = mlsysim.calc_ring_allreduce_time(Q_(m, "byte"), n, Q_(bw, "byte/second"),
                                                  Q_(lat, "second")).to("second").magnitude
        rows.append(_row("ring all-reduce (s)", f"M={m:.3g} B, n={n}, B={bw:.3g} B/s, α={lat:g} s", ours, theirs))

    # Amdahl — convention: mlsysim takes the parallel fraction p and the speedup of that part
    for s, n in [(0.05, 16), (0.1, 8), (0.4, 4), (0.0, 1024), (1.0, 64)]:
        ours = amdahl_speedup(s, n)
        theirs = mlsysim.calc_amdahls_speedup(1 - s, n)
        rows.append(_row("Amdahl speedup", f"serial s={s}, n={n} (mlsysim p={1 - s:g}, s={n})", ours, theirs,
                         "mlsysim's p is the parallel fraction, its s the part's speedup"))
        theirs2 = mlsysim.calc_strong_scaling_speedup(n, s)
        rows.append(_row("Amdahl = strong scaling", f"s={s}, n={n}", ours, theirs2,
                         "mlsysim calc_strong_scaling_speedup(n, c) = n/(1+(n-1)c), c = s"))

    # pipeline bubble — two conventions
    for p, m, v in [(4, 12, 1), (8, 32, 1), (8, 32, 4), (16, 8, 2)]:
        theirs = mlsysim.calc_pipeline_bubble(p, m, v)
        if v == 1:
            rows.append(_row("pipeline bubble (GPipe share)", f"p={p}, m={m}",
                             pipeline_bubble_fraction(p, m, "gpipe"), theirs))
        x = pipeline_bubble_fraction(p, m, "megatron", interleave=v)
        rows.append(_row("pipeline bubble (Megatron ratio, raw)", f"p={p}, m={m}, v={v}", x, theirs,
                         "DIFFERENT CONVENTION: (p-1)/(v m) relative to ideal time vs (p-1)/(v m + p - 1) "
                         "share of total time"))
        rows.append(_row("pipeline bubble (Megatron → share x/(1+x))", f"p={p}, m={m}, v={v}", x / (1 + x), theirs,
                         "same schedule once converted"))

    # model-state memory — ZeRO stages 0–3 (weights + gradients + optimizer state only)
    from mlsysim.engine.solvers.training import TrainingMemoryModel

    model = mlsysim.Models.Language.Llama2_7B
    psi = model.parameters.to("count").magnitude
    hw = mlsysim.Hardware.Cloud.H100
    for stage in range(4):
        r = TrainingMemoryModel().solve(model, hw, batch_size=64, precision="fp16", optimizer="adam",
                                        dp_size=64, zero_stage=stage)
        theirs = sum(q.to("byte").magnitude for q in (r.weights, r.gradients, r.optimizer_state))
        rows.append(_row("model-state memory per GPU (bytes)", f"Llama2-7B Ψ={psi:.3g}, ZeRO-{stage}, N_d=64",
                         model_state_memory_bytes(psi, stage, 64), theirs,
                         "mlsysim's total also adds activations + buffers; compared: weights+grads+optimizer"))
    w, g, o = mlsysim.calc_training_state(7.5e9, 2, 12)
    rows.append(_row("model-state memory (bytes)", "Ψ=7.5e9, no ZeRO (Rajbhandari et al. Fig. 1: 120 GB)",
                     model_state_memory_bytes(7.5e9, 0, 1), float(w + g + o)))

    # stragglers — expected maximum of n standard normals
    k = 400_000
    from scipy.stats import norm

    grid = norm.ppf((np.arange(k) + 0.5) / k) + 10.0  # ≥ 0, as step times must be
    for n in (2, 10, 64):
        ours = expected_max_step_time(grid, n) - 10.0
        rows.append(_row("E[max of n N(0,1)]", f"n={n}; infra_lab on a {k}-point quantile grid", ours,
                         mlsysim.calc_expected_max_std_normal(n),
                         "infra_lab: exact for the empirical grid; mlsysim: trapezoid integral", rtol=1e-3))
    return rows


def _timed(fn, repeats: int = 1) -> tuple[float, float, Any]:
    best_cpu, best_wall, out = float("inf"), float("inf"), None
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        out = fn()
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return best_cpu, best_wall, out


def speed_rows(points: int = 1_000_000, subsample: int = 10_000, seed: int = 0) -> list[dict[str, Any]]:
    import mlsysim
    from mlsysim import Q_

    rng = np.random.default_rng(seed)
    rows: list[dict[str, Any]] = []

    # Amdahl sweep: 10^6 (serial fraction, workers) points, all evaluated by both
    s = rng.uniform(0.0, 1.0, points)
    n = rng.integers(1, 4097, points).astype(float)
    cpu_i, wall_i, ours = _timed(lambda: amdahl_speedup(s, n), repeats=3)
    s_l, n_l = s.tolist(), n.tolist()
    f = mlsysim.calc_amdahls_speedup
    cpu_m, wall_m, theirs = _timed(lambda: [f(1.0 - a, b) for a, b in zip(s_l, n_l)])
    rows.append({"sweep": "Amdahl", "points": points, "mlsysim_calls_timed": points,
                 "infra_lab_cpu_s": cpu_i, "infra_lab_wall_s": wall_i,
                 "mlsysim_cpu_s": cpu_m, "mlsysim_wall_s": wall_m, "extrapolated": False,
                 "ratio_cpu": cpu_m / cpu_i,
                 "max_rel_diff": float(np.max(np.abs(ours - np.array(theirs)) / np.array(theirs)))})

    # ring all-reduce sweep: 10^6 (workers, message size) points; mlsysim on a subsample
    nw = rng.integers(1, 1025, points).astype(float)
    size = 10 ** rng.uniform(3, 11, points)  # 1 kB … 100 GB
    bw, lat = 450e9, 5e-6
    cpu_i, wall_i, ours = _timed(lambda: ring_allreduce_s(size, nw, bw, lat), repeats=3)
    idx = rng.choice(points, subsample, replace=False)
    g = mlsysim.calc_ring_allreduce_time
    bw_q, lat_q = Q_(bw, "byte/second"), Q_(lat, "second")
    sub_m, sub_n = size[idx].tolist(), nw[idx].astype(int).tolist()
    cpu_m, wall_m, theirs = _timed(lambda: [g(Q_(m, "byte"), k, bw_q, lat_q).to("second").magnitude
                                            for m, k in zip(sub_m, sub_n)])
    scale = points / subsample
    theirs = np.array(theirs)
    ours_sub = ours[idx]
    nz = theirs > 0
    rows.append({"sweep": "ring all-reduce", "points": points, "mlsysim_calls_timed": subsample,
                 "infra_lab_cpu_s": cpu_i, "infra_lab_wall_s": wall_i,
                 "mlsysim_cpu_s": cpu_m * scale, "mlsysim_wall_s": wall_m * scale, "extrapolated": True,
                 "ratio_cpu": cpu_m * scale / cpu_i,
                 "max_rel_diff": float(np.max(np.abs(ours_sub[nz] - theirs[nz]) / theirs[nz]))})
    return rows


def main(argv: list[str] | None = None) -> list[dict[str, Any]]:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--subsample", type=int, default=10_000)
    args = ap.parse_args(argv)

    import mlsysim

    agree = agreement_rows()
    print(f"infra_lab vs mlsysim {mlsysim.__version__}: agreement where the formulas overlap\n")
    print(f"{'check':45s} {'inputs':62s} {'infra_lab':>14s} {'mlsysim':>14s} {'rel diff':>9s} agree  note")
    for r in agree:
        print(f"{r['check']:45s} {r['inputs']:62s} {r['infra_lab']:14.6g} {r['mlsysim']:14.6g} "
              f"{r['rel_diff']:9.1e} {'yes' if r['agree'] else 'NO ':5s}  {r['note']}")

    speed = speed_rows(args.points, args.subsample)
    print(f"\n{args.points:,}-point parameter sweeps (CPU seconds; wall in brackets)\n")
    for r in speed:
        extra = (f"  [mlsysim: {r['mlsysim_calls_timed']:,} calls timed, extrapolated ×"
                 f"{r['points'] / r['mlsysim_calls_timed']:.0f}]" if r["extrapolated"] else "")
        print(f"{r['sweep']:16s} infra_lab {r['infra_lab_cpu_s']:.4f} s ({r['infra_lab_wall_s']:.4f})  "
              f"mlsysim {r['mlsysim_cpu_s']:.2f} s ({r['mlsysim_wall_s']:.2f})  "
              f"ratio {r['ratio_cpu']:,.0f}x  max rel diff {r['max_rel_diff']:.1e}{extra}")
    return agree + speed


if __name__ == "__main__":
    main()
