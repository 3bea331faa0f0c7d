"""The course runner: execute notebooks with papermill, safely and in parallel.

``infra-lab run [NOTEBOOK ...] [-p NAME VALUE ...] [--output-dir DIR] [--jobs N]``

* Without a name, every notebook of the syllabus runs.
* Parameters are checked against each notebook's ``parameters`` cell *before* anything
  executes: an unknown name or a value of the wrong type or range is refused with the list
  of parameters the notebook accepts.
* Notebook ``<stem>`` gets ``output_dir = <DIR>/<stem>``; its executed copy is written to
  ``<DIR>/executed/<stem>.ipynb``.
* Nothing half-written ever looks complete: the notebook writes into a hidden staging
  folder that replaces ``<DIR>/<stem>`` only when every cell succeeded, and the executed copy
  is renamed into place at the end. A failing notebook leaves the previous good outputs in
  place and its own executed copy as ``<DIR>/executed/<stem>.failed.ipynb``; the others
  run on.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from .params import ParameterError, notebook_parameters, validate_overrides
from .syllabus import SYLLABUS, notebook_path, notebooks_dir

__all__ = ["RunResult", "execute_notebook", "format_table", "plan_runs", "run_course", "resolve_notebook"]


@dataclass(frozen=True)
class RunResult:
    """Outcome of one notebook run."""

    stem: str
    status: str  # "ok" or "failed"
    seconds: float
    output_dir: Path
    executed_path: Path
    error: str = ""


def resolve_notebook(name: str) -> Path:
    """Find a notebook by stem (``02_data_pipelines_dags``), number prefix (``02``) or path."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.exists():
        return candidate.resolve()
    stems = [c.stem for c in SYLLABUS]
    matches = [s for s in stems if s == name.removesuffix(".ipynb") or s.split("_", 1)[0] == name]
    if len(matches) == 1:
        return notebook_path(matches[0])
    raise ParameterError(f"no notebook {name!r}; the syllabus has: {', '.join(stems)}")


def plan_runs(names: Sequence[str], overrides: Mapping[str, Any]) -> list[tuple[Path, dict[str, Any]]]:
    """Resolve notebooks and type-check the overrides against each one, before running any.

    A parameter must be declared by every notebook it is given to; ``output_dir`` is set by
    the runner and cannot be overridden here.
    """
    if "output_dir" in overrides:
        raise ParameterError("output_dir is set by the runner; use --output-dir DIR instead of -p output_dir")
    paths = [resolve_notebook(n) for n in names] if names else [notebook_path(c.stem) for c in SYLLABUS]
    plan = []
    for path in paths:
        if not path.exists():
            raise ParameterError(f"notebook {path} does not exist")
        specs = notebook_parameters(path)
        plan.append((path, validate_overrides(specs, overrides, notebook=path.stem)))
    return plan


def execute_notebook(notebook: str | Path, output_root: str | Path, parameters: Mapping[str, Any] | None = None,
                     timeout_s: int = 600) -> RunResult:
    """Execute one notebook; outputs to ``<output_root>/<stem>``, executed copy to ``<output_root>/executed``.

    Parameters are validated first (``ParameterError`` on a bad one). Execution errors do
    not raise: they come back in ``RunResult.error`` with ``status == "failed"``.
    """
    import papermill as pm

    notebook = Path(notebook).resolve()
    stem = notebook.stem
    root = Path(output_root).resolve()
    params = validate_overrides(notebook_parameters(notebook), dict(parameters or {}), notebook=stem)
    final_dir = root / stem
    executed_dir = root / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{stem}.staging-", dir=root))
    staging.chmod(0o755)  # mkdtemp makes it private; outputs are for the whole class
    partial = executed_dir / f".{stem}.partial.ipynb"
    start = time.perf_counter()
    error = ""
    try:
        pm.execute_notebook(
            str(notebook), str(partial), parameters={**params, "output_dir": str(staging)},
            cwd=str(notebooks_dir()), kernel_name="python3", progress_bar=False,
            request_save_on_cell_execute=False, execution_timeout=timeout_s,
            shutdown_kernel="immediate",  # graceful shutdown stalls ~3 s in ~1 run in 8 here
        )
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never fatal to the others
        error = _describe(exc)
    seconds = time.perf_counter() - start
    if error:
        if partial.exists():
            os.replace(partial, executed_dir / f"{stem}.failed.ipynb")
        shutil.rmtree(staging, ignore_errors=True)
        return RunResult(stem, "failed", seconds, final_dir, executed_dir / f"{stem}.failed.ipynb", error)
    _swap_dir(staging, final_dir)
    os.replace(partial, executed_dir / f"{stem}.ipynb")
    (executed_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    return RunResult(stem, "ok", seconds, final_dir, executed_dir / f"{stem}.ipynb")


def run_course(names: Sequence[str] = (), overrides: Mapping[str, Any] | None = None,
               output_root: str | Path = "outputs", jobs: int = 1, progress: bool = True) -> list[RunResult]:
    """Validate everything, then execute the notebooks (``jobs`` at a time); results in plan order."""
    plan = plan_runs(names, overrides or {})
    root = Path(output_root)
    root.mkdir(parents=True, exist_ok=True)
    results: dict[str, RunResult] = {}
    bar = _progress(len(plan), progress)
    if jobs <= 1 or len(plan) == 1:
        for path, params in plan:
            bar.set_postfix_str(path.stem)
            results[path.stem] = execute_notebook(path, root, params)
            bar.update(1)
    else:
        with ProcessPoolExecutor(max_workers=min(jobs, len(plan))) as pool:
            futures = {pool.submit(execute_notebook, path, root, params): path.stem for path, params in plan}
            for fut in as_completed(futures):
                results[futures[fut]] = fut.result()
                bar.set_postfix_str(futures[fut])
                bar.update(1)
    bar.close()
    return [results[path.stem] for path, _ in plan]


def _swap_dir(staging: Path, final_dir: Path) -> None:
    # Move the previous outputs aside first, so a crash between the two renames leaves
    # either the old or the new complete folder, never a mix.
    old = None
    if final_dir.exists():
        old = final_dir.with_name(f".{final_dir.name}.old-{os.getpid()}")
        os.replace(final_dir, old)
    os.replace(staging, final_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _describe(exc: Exception) -> str:
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    cell = getattr(exc, "exec_count", None)
    where = f" in cell [{cell}]" if cell else ""
    return f"{name}{where}: {value}"


def _progress(total: int, enabled: bool):
    from tqdm import tqdm

    return tqdm(total=total, desc="notebooks", unit="nb", disable=not enabled, leave=False)


def format_table(results: Iterable[RunResult]) -> str:
    """A plain-text table of notebook, status and seconds (errors on their own lines)."""
    results = list(results)
    width = max([len(r.stem) for r in results] + [8])
    lines = [f"{'notebook':<{width}}  status  seconds", f"{'-' * width}  ------  -------"]
    for r in results:
        lines.append(f"{r.stem:<{width}}  {r.status:<6}  {r.seconds:7.1f}")
    for r in results:
        if r.error:
            lines.append(f"\n{r.stem} failed: {r.error}\n  executed copy: {r.executed_path}")
    return "\n".join(lines)
