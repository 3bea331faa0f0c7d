"""The course runner: refuses bad parameters before running, writes atomically, isolates failures."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from infra_lab.cli import main
from infra_lab.params import ParameterError
from infra_lab.runner import plan_runs, resolve_notebook, run_course


def make_notebook(folder: Path, stem: str, body: str) -> Path:
    """A tiny notebook following the course's parameters-cell convention."""
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        "x: float = 1.0  # -; > 0\n"
        f'output_dir: str = "../outputs/{stem}"  # path'
    )
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / f"{stem}.ipynb"
    nbformat.write(nb, path)
    return path


WRITE_X = (
    "from pathlib import Path\n"
    "Path(output_dir).mkdir(parents=True, exist_ok=True)\n"
    "(Path(output_dir) / 'x.txt').write_text(repr(x))\n"
    "assert x < 5, 'x must stay below 5 in this test notebook'\n"
)


def test_unknown_parameter_is_refused_before_anything_runs(tmp_path):
    nb = make_notebook(tmp_path, "90_demo", WRITE_X)
    out = tmp_path / "out"
    code = main(["run", str(nb), "-p", "no_such_param", "1", "--output-dir", str(out), "--no-progress"])
    assert code == 2
    assert not (out / "executed").exists(), "nothing may execute when a parameter is refused"


def test_refusal_message_names_the_parameter_and_lists_the_accepted_ones(tmp_path, capsys):
    nb = make_notebook(tmp_path, "90_demo", WRITE_X)
    main(["run", str(nb), "-p", "x", "abc", "--output-dir", str(tmp_path / "o"), "--no-progress"])
    assert "parameter x='abc': must be of type float" in capsys.readouterr().err
    with pytest.raises(ParameterError, match="x: float = 1.0"):
        plan_runs([str(nb)], {"y": "1"})
    with pytest.raises(ParameterError, match="--output-dir"):
        plan_runs([str(nb)], {"output_dir": "/tmp/elsewhere"})


def test_success_writes_outputs_and_executed_copy_failure_keeps_the_previous_outputs(tmp_path):
    nb = make_notebook(tmp_path, "91_demo", WRITE_X)
    out = tmp_path / "out"
    (ok,) = run_course([str(nb)], {"x": "3"}, out, progress=False)
    assert ok.status == "ok"
    assert (out / "91_demo" / "x.txt").read_text() == "3.0"
    executed = json.loads((out / "executed" / "91_demo.ipynb").read_text())
    assert any("x = 3.0" in "".join(c["source"]) for c in executed["cells"]), "papermill injects the override"

    (bad,) = run_course([str(nb)], {"x": "7"}, out, progress=False)
    assert bad.status == "failed" and "x must stay below 5" in bad.error
    assert (out / "91_demo" / "x.txt").read_text() == "3.0", "a failed run must not replace good outputs"
    assert (out / "executed" / "91_demo.failed.ipynb").exists()
    assert (out / "executed" / "91_demo.ipynb").exists()
    assert not [p for p in out.rglob("*") if p.name.startswith(".")], "no staging or partial files are left"


def test_one_failing_notebook_does_not_stop_or_corrupt_the_others(tmp_path):
    good = make_notebook(tmp_path, "92_good", WRITE_X)
    bad = make_notebook(tmp_path, "93_bad", "raise RuntimeError('boom')")
    out = tmp_path / "out"
    code = main(["run", str(bad), str(good), "--output-dir", str(out), "--jobs", "2", "--no-progress"])
    assert code == 1
    assert (out / "92_good" / "x.txt").read_text() == "1.0"
    assert not (out / "93_bad").exists()
    assert (out / "executed" / "93_bad.failed.ipynb").exists()


def test_notebooks_are_found_by_stem_or_number():
    assert resolve_notebook("02").name == "02_data_pipelines_dags.ipynb"
    with pytest.raises(ParameterError, match="the syllabus has"):
        resolve_notebook("99_missing")


def test_the_issue_example_fails_fast_with_a_clear_message(tmp_path):
    # Issue: `infra-lab run 02_data_pipelines_dags -p no_such_param 1` fails fast, clearly.
    proc = subprocess.run(
        [sys.executable, "-m", "infra_lab.cli", "run", "02_data_pipelines_dags", "-p", "no_such_param", "1",
         "--output-dir", str(tmp_path), "--no-progress"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "02_data_pipelines_dags has no parameter 'no_such_param'; it accepts:" in proc.stderr
    assert "output_dir" in proc.stderr
