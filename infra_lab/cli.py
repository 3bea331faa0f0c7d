"""Command line: ``infra-lab run`` executes the course (see ``infra_lab.runner``)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Sequence

from .params import ParameterError
from .runner import OutputDirError, format_table, run_course

__all__ = ["main"]


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``infra-lab`` command; returns the process exit code."""
    args = _parser().parse_args(argv)
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
