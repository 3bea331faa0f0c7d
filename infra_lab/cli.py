"""Command line: ``infra-lab run`` executes the course (see ``infra_lab.runner``); ``infra-lab init DIR``
copies the course into a working folder."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence

from .params import ParameterError
from .runner import OutputDirError, format_table, run_course

__all__ = ["main", "init_course"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="infra-lab", description="Run the infra-lab course notebooks.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="execute notebooks with papermill into an output folder")
    run.add_argument("notebooks", nargs="*", metavar="NOTEBOOK",
                     help="stems (02_data_pipelines_dags), numbers (02) or paths; default: the whole syllabus")
    run.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="override a notebook parameter (repeatable); checked before execution")
    run.add_argument("--output-dir", default="outputs", metavar="DIR",
                     help="outputs go to DIR/<stem>, executed copies to DIR/executed (default: outputs)")
    run.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="notebooks run at once (default 1)")
    run.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    site = sub.add_parser("site", help="build the offline HTML edition from executed notebooks")
    site.add_argument("--executed", default="outputs/executed", metavar="DIR",
                      help="executed notebooks (default: outputs/executed, written by `infra-lab run`)")
    site.add_argument("--output-dir", default="outputs/site", metavar="DIR", help="where the site goes")
    init = sub.add_parser("init", help="copy the course (notebooks, data, README) into a working folder")
    init.add_argument("directory", metavar="DIR", help="a new or empty folder")
    return parser


def init_course(directory: str | Path) -> Path:
    """Copy the course's notebooks, data and README into ``directory`` (new or empty); return it.

    For students who installed the package rather than cloning the repository: after
    ``infra-lab init course``, ``cd course && jupyter lab`` opens the notebooks, which write
    to ``course/outputs/``.
    """
    from ._paths import course_root

    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise FileExistsError(f"{target} exists and is not an empty folder; choose a new one")
    source = course_root()
    staging = Path(tempfile.mkdtemp(prefix=".infra-lab-init-", dir=target.parent if target.parent.exists() else None))
    try:
        for rel in ("notebooks", "data"):
            shutil.copytree(source / rel, staging / rel,
                            ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        for rel in ("README.md", "LICENSE", "outputs/README.md"):
            if (source / rel).exists():
                (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source / rel, staging / rel)
        (staging / "outputs").mkdir(exist_ok=True)
        if target.exists():
            target.rmdir()
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging, target)  # all or nothing
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``infra-lab`` command; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "init":
        try:
            target = init_course(args.directory)
        except (FileExistsError, OSError) as exc:
            print(f"infra-lab: {exc}", file=sys.stderr)
            return 1
        print(f"The course is in {target}/. Next: cd {target}/notebooks && jupyter lab   "
              f"(or: infra-lab run --output-dir {target}/outputs)")
        return 0
    if args.command == "site":
        from .site import build_site

        try:
            pages = build_site(args.executed, args.output_dir)
        except (FileNotFoundError, ValueError) as exc:
            print(f"infra-lab: {exc}", file=sys.stderr)
            return 1
        print(f"{len(pages) - 1} chapter pages and the index in {args.output_dir}/ — open {pages[0]}")
        return 0
    if args.jobs < 1:
        print(f"infra-lab: --jobs={args.jobs}: must be ≥ 1", file=sys.stderr)
        return 2
    names = [name for name, _ in args.parameter]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        print(f"infra-lab: parameter(s) {', '.join(twice)} given more than once with -p; give each once",
              file=sys.stderr)
        return 2
    overrides = dict(args.parameter)
    start = time.perf_counter()
    try:
        results = run_course(args.notebooks, overrides, args.output_dir, args.jobs, progress=not args.no_progress)
    except ParameterError as exc:
        print(f"infra-lab: {exc}", file=sys.stderr)
        return 2
    except OutputDirError as exc:
        print(f"infra-lab: {exc.strerror}", file=sys.stderr)
        return 1
    print(format_table(results))
    failed = [r for r in results if r.status != "ok"]
    print(f"\n{len(results) - len(failed)} of {len(results)} notebooks succeeded "
          f"in {time.perf_counter() - start:.1f} s; outputs in {args.output_dir}/")
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
