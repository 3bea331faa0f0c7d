"""Strip outputs and execution counts from notebooks (the course commits them clean).

Usage: ``python tools/strip_outputs.py [NOTEBOOK ...]`` (default: every ``notebooks/*.ipynb``);
``--check`` only reports notebooks that have outputs and exits 1 if any do.
``make hooks`` installs ``tools/pre-commit`` as the git pre-commit hook, which runs
``--check`` on the staged notebooks so outputs are never committed by accident.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def has_outputs(nb) -> bool:
    return any(c.cell_type == "code" and (c.outputs or c.execution_count is not None) for c in nb.cells)


def strip(nb) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--check", action="store_true", help="report, do not change; exit 1 if any has outputs")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    dirty = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if has_outputs(nb):
            dirty.append(path)
            if not args.check:
                strip(nb)
                nbformat.write(nb, path)
    for path in dirty:
        print(f"{'has outputs' if args.check else 'stripped'}: {path}")
    return 1 if (args.check and dirty) else 0


if __name__ == "__main__":
    sys.exit(main())
