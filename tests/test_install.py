"""The installed package, not the checkout: a wheel carries the notebooks and data and runs the course.

Builds the wheel (pip, isolated build), installs it into a fresh virtual environment outside
the repository whose only link to this one is a .pth line to the pinned dependencies (the
checkout's editable install is not seen there), then loads every data set, runs one notebook
with the runner and copies the course with ``infra-lab init``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    base = tmp_path_factory.mktemp("wheel")
    wheel_dir = base / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheel_dir), str(ROOT)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = wheel_dir.glob("infra_lab-*.whl")
    venv = base / "venv"
    subprocess.run([getattr(sys, "_base_executable", sys.executable), "-m", "venv", "--without-pip", str(venv)],
                   check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    # The pinned dependencies come from this environment; infra_lab itself only from the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    work = base / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "INFRA_LAB_DATA", "VIRTUAL_ENV"}}
    return python, work, env, wheel


def _py(installed, code: str) -> str:
    python, work, env, _ = installed
    proc = subprocess.run([str(python), "-c", code], cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_the_wheel_carries_the_notebooks_contracts_and_data(installed):
    import zipfile

    names = zipfile.ZipFile(installed[3]).namelist()
    assert "infra_lab/_course/data/MANIFEST.sha256" in names
    assert "infra_lab/_course/notebooks/07_serving_capacity.ipynb" in names
    assert "infra_lab/_course/notebooks/contracts/flights.yaml" in names


def test_the_installed_library_is_not_the_checkout_and_loads_every_data_set(installed):
    out = _py(installed, (
        "import json, infra_lab, infra_lab.datasets as d\n"
        "loaded = {n: len(d.load(n)) for n in d.DATASETS}\n"
        "print(json.dumps({'file': infra_lab.__file__, 'data': str(d.data_dir()), 'loaded': loaded}))\n"))
    report = json.loads(out)
    assert str(ROOT) not in report["file"] and "_course" in report["data"]
    from infra_lab import datasets

    assert set(report["loaded"]) == set(datasets.DATASETS)
    assert all(n > 0 for n in report["loaded"].values())


def test_the_installed_runner_runs_a_notebook_outside_the_repository(installed):
    python, work, env, _ = installed
    proc = subprocess.run([str(python), "-m", "infra_lab.cli", "run", "02", "--output-dir", "out", "--no-progress"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (work / "out" / "02_data_pipelines_dags").is_dir()
    assert (work / "out" / "executed" / "02_data_pipelines_dags.ipynb").exists()


def test_init_copies_the_course_into_a_working_folder(installed):
    python, work, env, _ = installed
    proc = subprocess.run([str(python), "-m", "infra_lab.cli", "init", "course"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (work / "course" / "notebooks" / "contracts" / "flights.yaml").exists()
    assert (work / "course" / "data" / "MANIFEST.sha256").exists()
    again = subprocess.run([str(python), "-m", "infra_lab.cli", "init", "course"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "not an empty folder" in again.stderr
