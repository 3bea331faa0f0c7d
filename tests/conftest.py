"""Fixtures for tests that execute notebooks: every run writes into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from infra_lab.runner import execute_notebook
from infra_lab.syllabus import notebook_path


@pytest.fixture
def run_notebook(tmp_path: Path):
    """Execute a notebook with papermill into ``tmp_path``; return its output folder.

    Usage: ``out = run_notebook("07_serving_capacity", required_qps=2400.0)``. The notebook's
    ``output_dir`` is ``tmp_path/<stem>``; the executed copy is ``tmp_path/executed/<stem>.ipynb``.
    A failing cell raises ``papermill.PapermillExecutionError`` with the cell's traceback.
    """

    def _run(stem: str, **parameters) -> Path:
        result = execute_notebook(notebook_path(stem), tmp_path, parameters)
        if result.error:
            raise AssertionError(f"{stem} failed:\n{result.error}")
        return result.output_dir

    return _run
