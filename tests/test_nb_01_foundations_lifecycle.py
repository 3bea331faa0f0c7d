"""Notebook 01_foundations_lifecycle run with non-default parameters; its outputs are checked
against values derived here independently: the article's lifecycle (seven stages in a chain,
Feedback → Data closing the loop), its AI_prod factors and Production-AI components, and the
bundled Epoch AI models table read through infra_lab.datasets."""

from __future__ import annotations

import numpy as np
import pandas as pd

from infra_lab.article import AI_PROD_FACTORS, LIFECYCLE_STAGES, PRODUCTION_AI
from infra_lab.datasets import load_epoch_models
from infra_lab.syllabus import SYLLABUS

PARAMS = dict(changed_stage="Training", runs=4, first_year=2012, last_year=2022)


def test_notebook_outputs_match_independent_computation(run_notebook):
    out = run_notebook("01_foundations_lifecycle", **PARAMS)
    check_unrolled_runs(out)
    check_impact_printed(out)
    check_compute_by_year(out)
    check_compute_growth(out)
    check_factor_and_component_tables(out)
    check_no_warning_reaches_the_student(out)
    for name in ("lifecycle_graph", "lifecycle_loop", "change_impact", "factor_stage_matrix",
                 "training_compute_by_year"):
        assert (out / f"{name}.png").stat().st_size > 10_000
        assert (out / f"{name}.alt.txt").read_text(encoding="utf-8").strip()


def check_unrolled_runs(out):
    # k runs of the article's 7-stage chain joined Feedback #k → Data #k+1: one path of 7k stages.
    t = pd.read_csv(out / "unrolled_runs.csv").iloc[0]
    n = len(LIFECYCLE_STAGES) * PARAMS["runs"]
    assert (t["runs"], t["stages"], t["edges"], t["longest_path_stages"]) == (PARAMS["runs"], n, n - 1, n)
    assert bool(t["is_dag"]) is True
    assert (t["first"], t["last"]) == ("Data #1", f"Feedback #{PARAMS['runs']}")


def check_impact_printed(out):
    import nbformat

    nb = nbformat.read(out.parent / "executed" / "01_foundations_lifecycle.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    later = list(LIFECYCLE_STAGES[LIFECYCLE_STAGES.index(PARAMS["changed_stage"]) + 1:])
    assert f"changing Training re-runs {len(later)} later stage(s) in the same run: {later}" in text
    assert "lifecycle graph is a DAG? False" in text
    assert "one run is a DAG?        True" in text
    assert f"across runs: {len(LIFECYCLE_STAGES) - 1} stage(s)" in text


def check_compute_by_year(out):
    got = pd.read_csv(out / "compute_by_year.csv")
    df = load_epoch_models()
    flop = df["Training compute (FLOP)"]
    year = df["Publication date"].dt.year
    keep = flop.gt(0) & year.between(PARAMS["first_year"], PARAMS["last_year"])
    logs = np.log10(flop[keep])
    expected = logs.groupby(year[keep]).agg(["count", "median", "max"])
    assert got["year"].tolist() == expected.index.astype(int).tolist()
    assert got["n_models"].tolist() == expected["count"].tolist()
    np.testing.assert_allclose(got["median_log10_flop"], expected["median"])
    np.testing.assert_allclose(got["max_log10_flop"], expected["max"])


def check_compute_growth(out):
    # Issue 12: a regression over every model with its CI (as Epoch AI reports trends), checked
    # against numpy's polyfit and the closed-form standard error of the slope.
    from scipy import stats

    got = pd.read_csv(out / "compute_growth.csv").iloc[0]
    df = load_epoch_models().dropna(subset=["Training compute (FLOP)", "Publication date"])
    d = df["Publication date"]
    keep = df["Training compute (FLOP)"].gt(0) & d.dt.year.between(PARAMS["first_year"], PARAMS["last_year"])
    t = (d.dt.year + (d.dt.day_of_year - 1) / 365.25)[keep].to_numpy()
    y = np.log10(df.loc[keep, "Training compute (FLOP)"].to_numpy())
    slope, intercept = np.polyfit(t, y, 1)
    resid = y - (intercept + slope * t)
    se = np.sqrt((resid ** 2).sum() / (len(t) - 2) / ((t - t.mean()) ** 2).sum())
    q = stats.t.ppf(0.975, len(t) - 2)
    assert got["n_models"] == len(t)
    np.testing.assert_allclose([got["slope_log10_per_year"], got["slope_ci_low"], got["slope_ci_high"]],
                               [slope, slope - q * se, slope + q * se], rtol=1e-8)
    np.testing.assert_allclose(got["doubling_time_months"], np.log10(2) / slope * 12, rtol=1e-8)
    np.testing.assert_allclose([got["doubling_ci_low_months"], got["doubling_ci_high_months"]],
                               np.log10(2) / np.array([slope + q * se, slope - q * se]) * 12, rtol=1e-8)


def check_no_warning_reaches_the_student(out):
    import nbformat

    nb = nbformat.read(out.parent / "executed" / "01_foundations_lifecycle.ipynb", as_version=4)
    stderr = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                     if o.get("name") == "stderr")
    assert "Warning" not in stderr, stderr


def check_factor_and_component_tables(out):
    fm = pd.read_csv(out / "factor_map.csv")
    assert fm["factor"].tolist() == list(AI_PROD_FACTORS)
    stems = {c.stem for c in SYLLABUS}
    for cell in fm["chapters"]:
        assert {s.strip() for s in cell.split(",")} <= stems  # only chapters that exist
    import importlib

    for table, col in ((fm, "modules"), (pd.read_csv(out / "lifecycle_stages.csv"), "modules")):
        for cell in table[col]:
            for module in cell.split(","):  # issue 12: name only modules that exist
                importlib.import_module(f"infra_lab.{module.strip()}")
    for cell in fm["lifecycle stages"]:
        assert {s.strip() for s in cell.split(",")} <= set(LIFECYCLE_STAGES)
    comp = pd.read_csv(out / "production_ai_components.csv")
    assert comp["component"].tolist() == list(PRODUCTION_AI)
    factors = [f.strip() for cell in comp["factors of AI_prod"] for f in cell.split(",")]
    # Every factor of AI_prod belongs to exactly one component.
    assert sorted(factors) == sorted(AI_PROD_FACTORS)
    assert comp["n_factors"].sum() == len(AI_PROD_FACTORS)
