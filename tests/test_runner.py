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
    runs = out / ".infra-lab-runs"
    assert not [p for p in runs.iterdir() if p.is_dir()], "no run folder (staging, partial notebook) is left"
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and ".infra-lab-runs" not in p.parts]


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


# --------------------------------------------------------------------------------------------
# Runs that survive real use (issue 13): kills, two runs at once, unwritable folders, typos.
# --------------------------------------------------------------------------------------------
SLOW = "import time\ntime.sleep(30)\n"


def _cli(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "infra_lab.cli", "run", *args, "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)


def test_a_run_killed_with_sigkill_leaves_nothing_a_later_run_does_not_clean(tmp_path):
    import os
    import signal
    import time

    slow = make_notebook(tmp_path, "94_slow", SLOW)
    quick = make_notebook(tmp_path, "95_quick", WRITE_X)
    out = tmp_path / "out"
    proc = _cli(str(slow), "--output-dir", str(out))
    runs = out / ".infra-lab-runs"
    deadline = time.time() + 60
    while time.time() < deadline and not list(runs.glob("*/94_slow.sockets")):
        time.sleep(0.2)
    sockets = Path(next(runs.glob("*/94_slow.sockets")).read_text())
    time.sleep(2)  # the kernel is running the slow cell now
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    stale = [p for p in runs.iterdir() if p.is_dir()]
    assert stale, "SIGKILL leaves the run folder behind (the next run must clean it)"
    (ok,) = run_course([str(quick)], {}, out, progress=False)
    assert ok.status == "ok"
    assert not [p for p in runs.iterdir() if p.is_dir()], "the stale run folder was removed"
    assert not sockets.exists(), "the killed kernel's socket folder was removed"
    assert not (out / "94_slow").exists(), "a killed run never publishes outputs"


def test_two_runs_into_one_folder_at_once_both_succeed_with_outputs_intact(tmp_path):
    a = make_notebook(tmp_path, "96_a", WRITE_X + "import time\ntime.sleep(1)\n")
    out = tmp_path / "out"
    procs = [_cli(str(a), "-p", "x", str(v), "--output-dir", str(out)) for v in (2, 3)]
    codes = [p.wait(timeout=120) for p in procs]
    assert codes == [0, 0], [p.stderr.read() for p in procs]
    assert (out / "96_a" / "x.txt").read_text() in {"2.0", "3.0"}
    assert json.loads((out / "executed" / "96_a.ipynb").read_text())["cells"]
    assert not [p for p in (out / ".infra-lab-runs").iterdir() if p.is_dir()]


def test_an_unwritable_output_folder_is_one_line_naming_the_path_and_exit_1(tmp_path, capsys):
    nb = make_notebook(tmp_path, "97_demo", WRITE_X)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    code = main(["run", str(nb), "--output-dir", str(blocker / "out"), "--no-progress"])
    err = capsys.readouterr().err.strip()
    assert code == 1
    assert len(err.splitlines()) == 1 and str(blocker / "out") in err and "cannot write" in err


def test_a_read_only_output_folder_is_reported_the_same_way(tmp_path, capsys, monkeypatch):
    # As root (CI) a chmod 0555 folder is still writable, so the refusal is simulated at the probe.
    import errno

    from infra_lab import runner

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    nb = make_notebook(tmp_path, "97_demo", WRITE_X)
    monkeypatch.setattr(runner.tempfile, "NamedTemporaryFile", read_only)
    code = main(["run", str(nb), "--output-dir", str(tmp_path / "ro"), "--no-progress"])
    assert code == 1
    assert "Permission denied" in capsys.readouterr().err


def test_a_parameter_given_twice_is_refused(tmp_path, capsys):
    nb = make_notebook(tmp_path, "97_demo", WRITE_X)
    code = main(["run", str(nb), "-p", "x", "2", "-p", "x", "3", "--output-dir", str(tmp_path / "o"), "--no-progress"])
    assert code == 2
    assert "x given more than once" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf", "nan"])
def test_non_finite_numbers_are_refused(tmp_path, value):
    nb = make_notebook(tmp_path, "97_demo", WRITE_X)
    with pytest.raises(ParameterError, match="parameter x"):
        plan_runs([str(nb)], {"x": value})


def test_a_failing_cell_is_named_by_the_number_the_student_sees_and_its_first_line(tmp_path):
    body_ok = "y = 1\n"
    nb = make_notebook(tmp_path, "98_demo", body_ok)
    book = nbformat.read(nb, as_version=4)
    book.cells.append(nbformat.v4.new_code_cell("# third code cell\nraise RuntimeError('boom')"))
    nbformat.write(book, nb)
    (bad,) = run_course([str(nb)], {"x": "2"}, tmp_path / "out", progress=False)
    assert bad.status == "failed"
    assert "code cell 3 (# third code cell)" in bad.error, bad.error


def test_the_executed_copy_records_the_final_output_dir_and_reruns(tmp_path):
    nb = make_notebook(tmp_path, "99_demo", WRITE_X)
    out = tmp_path / "out"
    (ok,) = run_course([str(nb)], {"x": "2"}, out, progress=False)
    text = (out / "executed" / "99_demo.ipynb").read_text()
    assert ".infra-lab-runs" not in text and json.dumps(str(out.resolve() / "99_demo"))[1:-1] in text
    import papermill as pm

    pm.execute_notebook(str(out / "executed" / "99_demo.ipynb"), str(tmp_path / "again.ipynb"),
                        kernel_name="python3", progress_bar=False)
    assert (out / "99_demo" / "x.txt").read_text() == "2.0"


def test_outputs_are_readable_by_others_as_the_umask_allows(tmp_path):
    import os
    import stat

    from infra_lab.notebook import save_text

    old = os.umask(0o022)
    try:
        path = save_text("memo", tmp_path / "o", "memo.md")
        nb = make_notebook(tmp_path, "99_demo", WRITE_X)
        (ok,) = run_course([str(nb)], {}, tmp_path / "out", progress=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "out" / "99_demo").stat().st_mode) == 0o755


def test_papermill_run_directly_with_a_misspelt_parameter_fails_in_the_check_cell(tmp_path):
    import papermill as pm

    from infra_lab.syllabus import notebook_path, notebooks_dir

    with pytest.raises(pm.PapermillExecutionError) as info:
        pm.execute_notebook(str(notebook_path("05_distributed_parallel")), str(tmp_path / "x.ipynb"),
                            parameters={"seeed": 3, "output_dir": str(tmp_path / "o")},
                            cwd=str(notebooks_dir()), kernel_name="python3", progress_bar=False)
    assert "05_distributed_parallel has no parameter 'seeed'; it accepts:" in str(info.value)


def test_kernels_run_without_the_unencrypted_tcp_warning(tmp_path):
    # The runner's kernels use IPC sockets: the warning is gone at its source, not filtered.
    nb = make_notebook(tmp_path, "99_demo", WRITE_X)
    proc = subprocess.run([sys.executable, "-m", "infra_lab.cli", "run", str(nb), "--output-dir", str(tmp_path / "o"),
                           "--no-progress"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "without encryption" not in proc.stdout + proc.stderr


def test_make_lab_runs_as_root_and_reuses_the_environment():
    root = Path(__file__).resolve().parents[1]
    dry = subprocess.run(["make", "-n", "lab"], cwd=root, capture_output=True, text=True, timeout=60).stdout
    import os

    assert ("--allow-root" in dry) == (os.geteuid() == 0)
    assert "pip install" not in dry, "make lab must not reinstall an existing environment"


# ---------------------------------------------------------------- the R edition of notebook 14
def test_the_r_grammar_is_parsed_and_validated_like_the_python_one():
    from infra_lab.params import ParameterSpec, parse_parameters_source

    specs = parse_parameters_source(
        'q <- 1200  # float; requests/s; [1, 1e6]\n'
        'n <- 10L  # int; runs; [1, 100]\n'
        'on <- TRUE  # bool; -\n'
        'xs <- c(1, 2)  # list[int]; -; ≥ 0\n'
        'name <- "a"  # str; -; one of a, b\n', language="R")
    assert specs == [ParameterSpec("q", "float", 1200.0, "requests/s", "[1, 1e6]"),
                     ParameterSpec("n", "int", 10, "runs", "[1, 100]"),
                     ParameterSpec("on", "bool", True, "-", ""),
                     ParameterSpec("xs", "list[int]", [1, 2], "-", "≥ 0"),
                     ParameterSpec("name", "str", "a", "-", "one of a, b")]
    with pytest.raises(ParameterError, match="name <- default  # type; unit; allowed"):
        parse_parameters_source("q: float = 1.0  # -", language="R")


def test_the_r_notebook_is_found_by_stem_and_14_means_the_python_one():
    from infra_lab.runner import kernel_name

    assert resolve_notebook("14").stem == "14_capstone_readiness_review"
    r = resolve_notebook("14_capstone_readiness_review_r")
    assert r.stem == "14_capstone_readiness_review_r" and kernel_name(r) == "ir"
    assert kernel_name(resolve_notebook("14")) == "python3"


def test_a_bad_r_parameter_is_refused_before_any_kernel_starts():
    with pytest.raises(ParameterError, match="required_qps"):
        plan_runs(["14_capstone_readiness_review_r"], {"required_qps": "-5"})
    plan = plan_runs(["14_capstone_readiness_review_r"], {"required_qps": "2400"})
    assert plan[0][1] == {"required_qps": 2400.0}
