"""Tests for the notebook helpers: ``at_defaults`` reads the parameters cell, ``show`` writes the PNG."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # tests only: no display here

import matplotlib.pyplot as plt
import pytest

from infra_lab.notebook import at_defaults, show
from infra_lab.params import ParameterError, notebook_parameters
from infra_lab.syllabus import notebook_path

STEM = "07_serving_capacity"


def _defaults() -> dict:
    return {n: s.default for n, s in notebook_parameters(notebook_path(STEM)).items()}


def test_at_defaults_is_true_for_the_cells_own_defaults_and_false_after_any_change():
    ns = _defaults()
    assert at_defaults(STEM, ns)
    for name, value in ns.items():
        if name == "output_dir":
            continue
        changed = dict(ns)
        changed[name] = (not value) if isinstance(value, bool) else (
            value + 1 if isinstance(value, (int, float)) else f"{value}x")
        assert not at_defaults(STEM, changed), name
        assert not at_defaults(STEM, changed, name), name


def test_at_defaults_checks_only_the_named_parameters():
    ns = dict(_defaults(), seed=7)
    assert at_defaults(STEM, ns, "required_qps", "throughput_per_replica")
    assert not at_defaults(STEM, ns, "seed")


def test_at_defaults_accepts_an_int_where_papermill_passed_one_for_a_float():
    ns = dict(_defaults(), required_qps=1200)
    assert at_defaults(STEM, ns, "required_qps")


def test_at_defaults_refuses_a_parameter_the_notebook_does_not_declare():
    with pytest.raises(ParameterError, match="no_such"):
        at_defaults(STEM, _defaults(), "no_such")


def test_show_writes_the_png_and_closes_the_figure(tmp_path):
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    path = show(fig, tmp_path, "line")
    assert path == tmp_path / "line.png"
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not plt.fignum_exists(fig.number)
