"""Run every benchmark in one go and print its results.

    python benchmarks/run.py              # all
    python benchmarks/run.py runner queue # some: runner, critical_path, governance, capstone, drift, queue, mlsysim

`runner`, `critical_path`, `governance` and `capstone` (the class sweep of notebook 14) compare infra_lab with what the course's own environment has
(papermill/nbclient, networkx) and run in the current interpreter. `drift`, `queue` and
`mlsysim` compare against peer libraries (Evidently, ciw, simpy, mlsysim) that live in their
own virtual environment, benchmarks/.venv, created here from benchmarks/requirements.txt
(Evidently needs pandas < 3; the course runs pandas 3).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEER_VENV = HERE / ".venv"
LOCAL = {"runner": "bench_runner.py", "critical_path": "bench_critical_path.py", "governance": "bench_governance.py",
         "capstone": "bench_capstone.py"}
PEER = {"drift": "bench_drift.py", "queue": "bench_queue.py", "mlsysim": "bench_mlsysim.py"}


def peer_python() -> Path:
    """benchmarks/.venv/bin/python, (re)installed when benchmarks/requirements.txt changes."""
    python = PEER_VENV / "bin" / "python"
    requirements = HERE / "requirements.txt"
    digest = hashlib.sha256(requirements.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = PEER_VENV / ".installed"
    if python.exists() and stamp.exists() and stamp.read_text() == digest:
        return python
    print(f"setting up {PEER_VENV} from {requirements.name} (a few minutes, once)", flush=True)
    if not python.exists():
        venv.create(PEER_VENV, with_pip=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-r", requirements], check=True)
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--no-deps", "-e", ROOT], check=True)
    stamp.write_text(digest)
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default all): {', '.join([*LOCAL, *PEER])}")
    args = parser.parse_args(argv)
    unknown = [n for n in args.names if n not in LOCAL and n not in PEER]
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {', '.join([*LOCAL, *PEER])}")
    names = args.names or [*LOCAL, *PEER]
    failed = []
    for name in names:
        script = HERE / (LOCAL.get(name) or PEER[name])
        python = Path(sys.executable) if name in LOCAL else peer_python()
        print(f"\n=== {name}: {script.name} ({'course env' if name in LOCAL else 'peer env'}) ===", flush=True)
        if subprocess.run([python, script], cwd=ROOT).returncode != 0:
            failed.append(name)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
