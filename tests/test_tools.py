"""The repository's own tools: the output stripper behind `make strip` and the pre-commit hook."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def _executed(tmp_path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    cell.execution_count = 1
    nb.cells = [cell]
    path = tmp_path / "00_demo.ipynb"
    nbformat.write(nb, path)
    return path


def test_check_reports_outputs_and_strip_removes_them(tmp_path):
    path = _executed(tmp_path)
    tool = [sys.executable, str(ROOT / "tools" / "strip_outputs.py")]
    check = subprocess.run([*tool, "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 1 and "has outputs" in check.stdout
    subprocess.run([*tool, str(path)], check=True, capture_output=True)
    cell = nbformat.read(path, as_version=4).cells[0]
    assert cell.outputs == [] and cell.execution_count is None
    assert subprocess.run([*tool, "--check", str(path)]).returncode == 0


def test_the_pre_commit_hook_refuses_a_staged_notebook_with_outputs(tmp_path):
    repo = tmp_path / "repo"
    (repo / "tools").mkdir(parents=True)
    for name in ("strip_outputs.py", "pre-commit"):
        (repo / "tools" / name).write_bytes((ROOT / "tools" / name).read_bytes())
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    nb = _executed(repo)
    subprocess.run(["git", "-C", str(repo), "add", nb.name], check=True)
    env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"}
    hook = subprocess.run(["bash", "tools/pre-commit"], cwd=repo, capture_output=True, text=True, env=env)
    assert hook.returncode == 1 and "Strip them first" in hook.stderr
