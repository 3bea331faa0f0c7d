"""The course runner against the floor of executing each notebook in one bare kernel.

Floor: for every notebook, start a bare kernel with jupyter_client, run the notebook's code
cells (the same parameter values injected as the first cell) with nbclient, and shut the
kernel down immediately — what executing the course costs with no runner at all. Runner:
`infra_lab.runner.run_course` over the same notebooks (parameter checks, papermill, staged
outputs, atomic renames). Both use the same number of parallel jobs. Goal: runner ≤ 1.5×
the floor, and no notebook stalling at kernel shutdown (papermill's graceful shutdown stalls
~3-4 s in about one run in eight here; the runner asks for an immediate shutdown).

    python benchmarks/bench_runner.py [--jobs 2] [--repeat 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from infra_lab.runner import run_course
from infra_lab.syllabus import SYLLABUS, notebook_path, notebooks_dir


def _bare_execute(path: Path, output_dir: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(f"output_dir = {str(output_dir)!r}"))
    start = time.perf_counter()
    NotebookClient(nb, kernel_name="python3", resources={"metadata": {"path": str(notebooks_dir())}},
                   shutdown_kernel="immediate", timeout=600).execute()
    return time.perf_counter() - start


def floor_seconds(paths: list[Path], root: Path, jobs: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        per = list(pool.map(_bare_execute, paths, [root / p.stem for p in paths]))
    return time.perf_counter() - start, per


def runner_seconds(stems: list[str], root: Path, jobs: int) -> tuple[float, list[float]]:
    start = time.perf_counter()
    results = run_course(stems, {}, root, jobs=jobs, progress=False)
    bad = [r for r in results if r.status != "ok"]
    if bad:
        raise SystemExit(f"runner failed on {[r.stem for r in bad]}: {bad[0].error}")
    return time.perf_counter() - start, [r.duration_s for r in results]


def main(jobs: int = 2, repeat: int = 2) -> list[dict]:
    stems = [c.stem for c in SYLLABUS if notebook_path(c.stem).exists()]
    paths = [notebook_path(s) for s in stems]
    rows = []
    for rep in range(repeat):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            floor, floor_per = floor_seconds(paths, Path(a), jobs)
            runner, runner_per = runner_seconds(stems, Path(b), jobs)
        stall = max(r - f for r, f in zip(runner_per, floor_per))
        rows.append({"repeat": rep + 1, "notebooks": len(stems), "jobs": jobs, "floor_s": floor,
                     "runner_s": runner, "ratio": runner / floor, "worst_per_notebook_overhead_s": stall})
    print(f"{'rep':>3} {'notebooks':>9} {'jobs':>4} {'floor s':>8} {'runner s':>9} {'ratio':>6} {'worst nb overhead s':>20}")
    for r in rows:
        print(f"{r['repeat']:>3} {r['notebooks']:>9} {r['jobs']:>4} {r['floor_s']:>8.1f} {r['runner_s']:>9.1f} "
              f"{r['ratio']:>6.2f} {r['worst_per_notebook_overhead_s']:>20.1f}")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    main(args.jobs, args.repeat)
