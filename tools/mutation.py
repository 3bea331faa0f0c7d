"""Mutation testing of the formula modules: run mutmut, then score each module.

``make mutation`` runs this (it is not part of ``make test``: it takes minutes). mutmut copies
the project into ``mutants/``, changes one operator, constant or argument at a time in the
modules listed under ``[tool.mutmut] source_paths`` in ``pyproject.toml``, and runs the tests
that cover the changed function. A mutant the tests do not notice has *survived*: a bug of
that shape would go unnoticed too.

The bar (issue 9): at least 90 % of mutants killed in every module outside plotting. The
per-module table is printed and written to ``build/mutation.md``; the exit code is 1 when a
module is under the bar.

Usage: ``python tools/mutation.py [--max-children N] [--report-only]``.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BAR = 0.90
#: Modules scored but held to no bar: what a plot helper draws is checked by tests of the
#: returned Axes, and most of its mutants (colours, font sizes, offsets) change no fact.
NO_BAR = {"infra_lab.plots"}
KILLED = {"killed", "timeout"}
COUNTED = KILLED | {"survived", "no tests", "suspicious", "not checked"}


def _mutmut() -> str:
    return str(Path(sys.executable).with_name("mutmut"))


def run(max_children: int) -> None:
    subprocess.run([_mutmut(), "run", "--max-children", str(max_children)], cwd=ROOT, check=False,
                   stdout=subprocess.DEVNULL)


def results() -> dict[str, Counter]:
    out = subprocess.run([_mutmut(), "results", "--all", "true"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    per_module: dict[str, Counter] = defaultdict(Counter)
    for line in out.splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        # mutmut names a mutant <module>.x_<function>__mutmut_<n> (methods: <module>.xǁClassǁmethod…)
        module = re.split(r"\.xǁ|\.x_", name, maxsplit=1)[0]
        per_module[module][status] += 1
    return per_module


def report(per_module: dict[str, Counter]) -> tuple[str, bool]:
    rows = ["| module | mutants | killed | survived | score | bar |", "|---|---|---|---|---|---|"]
    ok = True
    for module in sorted(per_module):
        c = per_module[module]
        total = sum(v for k, v in c.items() if k in COUNTED)
        killed = sum(v for k, v in c.items() if k in KILLED)
        score = killed / total if total else 1.0
        bar = "—" if module in NO_BAR else ("✓" if score >= BAR else "✗")
        ok &= module in NO_BAR or score >= BAR
        rows.append(f"| `{module}` | {total} | {killed} | {total - killed} | {score:.1%} | {bar} |")
    return "\n".join(rows) + "\n", ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--report-only", action="store_true", help="score the last run without running")
    args = parser.parse_args(argv)
    if not args.report_only:
        run(args.max_children)
    per_module = results()
    statuses = {k for c in per_module.values() for k, v in c.items() if v}
    if not per_module or statuses <= {"not checked", "skipped"}:
        print("mutmut checked no mutant: run `mutmut run` by hand to see why (the selected tests must pass first)")
        return 2
    table, ok = report(per_module)
    (ROOT / "build").mkdir(exist_ok=True)
    (ROOT / "build" / "mutation.md").write_text(table, encoding="utf-8")
    print(table)
    print(f"bar: ≥ {BAR:.0%} killed in every module outside plotting — {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
