"""The course runner: execute notebooks with papermill, safely, in parallel, and side by side.

``infra-lab run [NOTEBOOK ...] [-p NAME VALUE ...] [--output-dir DIR] [--jobs N]``

* Without a name, every notebook of the syllabus runs.
* Parameters are checked against each notebook's ``parameters`` cell *before* anything
  executes: an unknown name or a value of the wrong type or range is refused with the list
  of parameters the notebook accepts.
* Notebook ``<stem>`` gets ``output_dir = <DIR>/<stem>``; its executed copy is written to
  ``<DIR>/executed/<stem>.ipynb`` and records that final ``output_dir``, so it can be re-run.
* Nothing half-written ever looks complete. Each run works in its own folder,
  ``<DIR>/.infra-lab-runs/<run>/`` (its ``run.json`` records the owner's pid and start time):
  the notebook writes into a staging folder there that replaces ``<DIR>/<stem>`` only when
  every cell succeeded, and the executed copy is renamed into place at the end, under a lock,
  so two runs into one folder both finish intact. A failing notebook leaves the previous good
  outputs in place and its own executed copy as ``<DIR>/executed/<stem>.failed.ipynb``; the
  others run on. A run killed outright (SIGKILL) leaves its run folder behind; the next run
  removes every run folder whose process is gone.
* Python kernels talk to the runner over IPC sockets inside the run folder (not TCP), so nothing
  travels unencrypted over the network and the kernel's connection files are cleaned with it.
* Files are written with the usual permissions (``0666 & ~umask``, ``0644`` by default), so a
  classmate or a web server can read them.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .params import ParameterError, notebook_language, notebook_parameters, validate_overrides
from .syllabus import SYLLABUS, notebook_path, notebooks_dir

__all__ = ["RunResult", "OutputDirError", "execute_notebook", "format_table", "plan_runs", "run_course",
           "resolve_notebook", "remove_stale_runs", "kernel_name", "kernel_available"]

#: Where each run keeps its staging folders, partial notebooks and kernel sockets.
RUNS_DIR = ".infra-lab-runs"


def kernel_available(name: str) -> bool:
    """Whether a Jupyter kernel of this name is installed (e.g. ``ir`` for the R notebook)."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
        return True
    except NoSuchKernel:
        return False


class OutputDirError(OSError):
    """The output folder cannot be written (read-only, full, or not a folder)."""


@dataclass(frozen=True)
class RunResult:
    """Outcome of one notebook run (``duration_s``: wall-clock seconds)."""

    stem: str
    status: str  # "ok" or "failed"
    duration_s: float
    output_dir: Path
    executed_path: Path
    error: str = ""


def resolve_notebook(name: str) -> Path:
    """Find a notebook by stem (``02_data_pipelines_dags``), number prefix (``02``) or path."""
    candidate = Path(name)
    if candidate.suffix == ".ipynb" and candidate.exists():
        return candidate.resolve()
    stems = [c.stem for c in SYLLABUS]
    exact = [s for s in stems if s == name.removesuffix(".ipynb")]
    matches = exact or [s for s in stems if s.split("_", 1)[0] == name]
    if len(matches) > 1:  # "14": the Python notebook; its R edition by its full stem
        python = [s for s in matches if notebook_path(s).exists() and notebook_language(notebook_path(s)) == "python"]
        matches = python if len(python) == 1 else matches
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


# ------------------------------------------------------------------------- run folders
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _process_start(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).create_time()
    except Exception:  # noqa: BLE001 - no such process, or psutil missing
        return None


def _alive(record: Mapping[str, Any]) -> bool:
    pid, started = record.get("pid"), record.get("started")
    if not isinstance(pid, int):
        return False
    now = _process_start(pid)
    # A recycled pid belongs to a process that started later than the recorded owner.
    return now is not None and (started is None or abs(now - started) < 1.0)


def remove_stale_runs(output_root: str | Path) -> list[Path]:
    """Remove run folders under ``<output_root>/.infra-lab-runs`` whose process is gone.

    Returns the folders removed. A folder without a readable ``run.json`` older than a
    minute counts as stale (its owner died before writing it).
    """
    runs = Path(output_root) / RUNS_DIR
    removed = []
    if not runs.is_dir():
        return removed
    for folder in runs.iterdir():
        if not folder.is_dir():
            continue
        try:
            record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = None
        stale = (not _alive(record)) if record is not None else (time.time() - folder.stat().st_mtime > 60)
        if stale:
            for pointer in folder.glob("*.sockets"):  # the kernels' IPC socket folders
                with contextlib.suppress(OSError):
                    shutil.rmtree(pointer.read_text(encoding="utf-8").strip(), ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _new_run_folder(root: Path) -> Path:
    runs = root / RUNS_DIR
    runs.mkdir(parents=True, exist_ok=True)
    remove_stale_runs(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-", dir=runs))
    record = {"pid": os.getpid(), "started": _process_start(os.getpid()), "created": time.time()}
    (folder / "run.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


@contextlib.contextmanager
def _root_lock(root: Path) -> Iterator[None]:
    # Serialises only the final renames of concurrent runs into one output folder.
    with open(root / RUNS_DIR / ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _writable_root(output_root: str | Path) -> Path:
    root = Path(output_root).resolve()
    try:
        root.mkdir(parents=True, exist_ok=True)
        (root / "executed").mkdir(exist_ok=True)
        (root / RUNS_DIR).mkdir(exist_ok=True)
        probe = tempfile.NamedTemporaryFile(dir=root / RUNS_DIR, prefix=".probe-")
        probe.close()
    except OSError as exc:
        raise OutputDirError(exc.errno, f"cannot write to the output folder {root}: {exc.strerror}") from None
    return root


# ------------------------------------------------------------------------------ execute
def execute_notebook(notebook: str | Path, output_root: str | Path, parameters: Mapping[str, Any] | None = None,
                     timeout_s: int = 600, run_folder: str | Path | None = None) -> RunResult:
    """Execute one notebook; outputs to ``<output_root>/<stem>``, executed copy to ``<output_root>/executed``.

    Parameters are validated first (``ParameterError`` on a bad one); an output folder that
    cannot be written raises :class:`OutputDirError`. Execution errors do not raise: they
    come back in ``RunResult.error`` with ``status == "failed"``, naming the cell as the
    student numbers it (code cells counted from 1, papermill's injected cell not counted)
    with its first line.
    """
    notebook = Path(notebook).resolve()
    stem = notebook.stem
    params = validate_overrides(notebook_parameters(notebook), dict(parameters or {}), notebook=stem)
    root = _writable_root(output_root)
    own_run = run_folder is None
    run = _new_run_folder(root) if own_run else Path(run_folder)
    try:
        return _execute(notebook, stem, params, root, run, timeout_s)
    finally:
        if own_run:
            shutil.rmtree(run, ignore_errors=True)


def kernel_name(notebook: str | Path) -> str:
    """The Jupyter kernel a notebook asks for in its kernelspec (``python3`` when it names none)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    return nb.get("metadata", {}).get("kernelspec", {}).get("name") or "python3"


def _execute(notebook: Path, stem: str, params: dict[str, Any], root: Path, run: Path, timeout_s: int) -> RunResult:
    import papermill as pm
    from traitlets.config import Config

    final_dir = root / stem
    executed_dir = root / "executed"
    staging = run / stem
    staging.mkdir(mode=0o777 & ~_umask())
    partial = run / f"{stem}.ipynb"
    # IPC socket paths must stay under ~100 characters (AF_UNIX), so the sockets live in a
    # short private temp folder that the run folder points to (and stale-run cleanup removes).
    sockets = Path(tempfile.mkdtemp(prefix="ilab-"))
    (run / f"{stem}.sockets").write_text(str(sockets), encoding="utf-8")
    kernel = kernel_name(notebook)
    if kernel == "python3":
        kernel_config = Config({"KernelManager": {
            "transport": "ipc", "ip": str(sockets / "k"), "connection_file": str(run / f"{stem}.kernel.json"),
        }})
    else:  # IRkernel builds tcp-style addresses only: loopback TCP, connection file in the run folder
        kernel_config = Config({"KernelManager": {"connection_file": str(run / f"{stem}.kernel.json")}})
    start = time.perf_counter()
    error = ""
    quiet = _UnknownParameterFilter() if kernel != "python3" else None
    if quiet is not None:  # papermill cannot read R parameter cells; the runner has validated them already
        logging.getLogger("papermill").addFilter(quiet)
    try:
        pm.execute_notebook(
            str(notebook), str(partial), parameters={**params, "output_dir": str(staging)},
            cwd=str(notebooks_dir()), kernel_name=kernel, progress_bar=False,
            request_save_on_cell_execute=False, execution_timeout=timeout_s,
            shutdown_kernel="immediate",  # graceful shutdown stalls ~3 s in ~1 run in 8 here
            config=kernel_config,
        )
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never fatal to the others
        error = _describe(exc, partial)
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        if quiet is not None:
            logging.getLogger("papermill").removeFilter(quiet)
    duration_s = time.perf_counter() - start
    if partial.exists():
        _record_final_output_dir(partial, staging, final_dir)
    with _root_lock(root):
        if error:
            failed = executed_dir / f"{stem}.failed.ipynb"
            if partial.exists():
                os.replace(partial, failed)
            return RunResult(stem, "failed", duration_s, final_dir, failed, error)
        _swap_dir(staging, final_dir, run)
        os.replace(partial, executed_dir / f"{stem}.ipynb")
        (executed_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    return RunResult(stem, "ok", duration_s, final_dir, executed_dir / f"{stem}.ipynb")


class _UnknownParameterFilter(logging.Filter):
    """Drops papermill's two notes for kernels whose parameter cells it cannot parse (R): "Passed
    unknown parameter" and "does not support parameter introspection"."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Passed unknown parameter") or "parameter introspection" in message)


def _record_final_output_dir(path: Path, staging: Path, final_dir: Path) -> None:
    # The executed copy must say where its outputs are now, not the staging folder that is gone.
    text = path.read_text(encoding="utf-8")
    text = text.replace(json.dumps(str(staging))[1:-1], json.dumps(str(final_dir))[1:-1])
    path.write_text(text, encoding="utf-8")


def run_course(names: Sequence[str] = (), overrides: Mapping[str, Any] | None = None,
               output_root: str | Path = "outputs", jobs: int = 1, progress: bool = True) -> list[RunResult]:
    """Validate everything, then execute the notebooks (``jobs`` at a time); results in plan order.

    Raises :class:`OutputDirError` before running anything when ``output_root`` cannot be written.
    """
    plan = plan_runs(names, overrides or {})
    root = _writable_root(output_root)
    run = _new_run_folder(root)
    results: dict[str, RunResult] = {}
    bar = _progress(len(plan), progress)
    try:
        if jobs <= 1 or len(plan) == 1:
            for path, params in plan:
                bar.set_postfix_str(path.stem)
                results[path.stem] = execute_notebook(path, root, params, run_folder=run)
                bar.update(1)
        else:
            with ProcessPoolExecutor(max_workers=min(jobs, len(plan))) as pool:
                futures = {pool.submit(execute_notebook, path, root, params, run_folder=run): path.stem
                           for path, params in plan}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    bar.set_postfix_str(futures[fut])
                    bar.update(1)
    finally:
        bar.close()
        shutil.rmtree(run, ignore_errors=True)
    return [results[path.stem] for path, _ in plan]


def _swap_dir(staging: Path, final_dir: Path, run: Path) -> None:
    # Move the previous outputs aside (into this run's folder) first, so a crash between the
    # two renames leaves either the old or the new complete folder, never a mix.
    old = None
    if final_dir.exists():
        old = run / f"{final_dir.name}.old"
        os.replace(final_dir, old)
    os.replace(staging, final_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _student_cell(partial: Path) -> tuple[int | None, str]:
    """(number among the notebook's own code cells, first line) of the cell that raised.

    The cell is found by its error output in the executed copy: papermill adds an error
    banner and its injected-parameters cell, so its own cell index is not what a student sees.
    """
    try:
        cells = json.loads(partial.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None, ""
    number = 0
    for cell in cells:
        if cell["cell_type"] != "code" or "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        number += 1
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            first = next((line for line in source.splitlines() if line.strip()), "")
            return number, first.strip()
    return None, ""


def _describe(exc: Exception, partial: Path | None = None) -> str:
    name = getattr(exc, "ename", type(exc).__name__)
    value = getattr(exc, "evalue", str(exc))
    number, first = _student_cell(partial) if partial is not None and partial.exists() else (None, "")
    where = f" in code cell {number} ({first[:80]})" if number else ""
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
        lines.append(f"{r.stem:<{width}}  {r.status:<6}  {r.duration_s:7.1f}")
    for r in results:
        if r.error:
            lines.append(f"\n{r.stem} failed: {r.error}\n  executed copy: {r.executed_path}")
    return "\n".join(lines)
