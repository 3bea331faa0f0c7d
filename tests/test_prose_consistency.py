"""Prose consistency (issue 12, item 3): no static Markdown cell repeats a number the code computes.

Each notebook is executed twice — at its defaults and at one non-default parameter set inside its
declared ranges (``ALTERNATIVES`` below, one documented dict per notebook, checked against the
``parameters`` cell by :func:`infra_lab.params.validate_overrides`). The numbers in the defaults
run's output tables (every CSV under its ``output_dir``) that are **not** found in the same table
of the other run are the parameter-dependent numbers. A static Markdown cell of the notebook
source that states one of them, to the precision it is written with, is prose typed by hand for
the defaults: it contradicts the table above it as soon as an instructor changes a parameter.
Such a number must come from code (``IPython.display.Markdown`` f-string or ``print``), or sit in
a Markdown cell tagged ``at-defaults`` (a cell that says it holds at the article's defaults and
is followed by a guarded self-check).

What counts as a number: a decimal written with a point (``0.72``, ``41.5``, with an optional
``%`` read as a percentage), or a whole number ≥ 10 with no point (``216``), written with at least
two significant digits. Skipped as too ambiguous to match: small whole numbers (section numbers,
"3 stages"), four-digit years, one-significant-digit round values (thresholds such as 0.05, 0.1,
100, 10 %), headings, display maths (``$$…$$``, a formula's constants), fenced code blocks
(example commands), section/table numbers, clock times, ratio denominators, and exact rounding
halves. Inline maths (``$… \approx 0.7516$``) is prose and
is read.

Cost: two executions per notebook (~5–12 s each), one test per notebook, so ``pytest-xdist``
spreads the notebooks over its workers (``--dist load``; under ``--dist loadfile`` the module runs
on one worker while the other files run on the rest).
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from infra_lab.params import notebook_parameters, validate_overrides
from infra_lab.runner import execute_notebook
from infra_lab.syllabus import SYLLABUS, notebook_path

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

#: One non-default parameter set per notebook, inside the declared ranges, chosen to move the
#: numbers a chapter's prose is most tempted to quote (scores, rates, the cheapest option…).
ALTERNATIVES: dict[str, dict] = {
    "00_orientation": dict(reliability_score=0.9, governance_score=0.4, serving_score=0.75,
                           layer_weights=[1.0, 2.0, 1.0, 1.0, 3.0, 2.0], go_threshold=0.6),
    "01_foundations_lifecycle": dict(changed_stage="Training", runs=4, first_year=2012, last_year=2022),
    "02_data_pipelines_dags": dict(retries=1, n_runs=5000, seed=11, failed_task="ingest_events", max_retries=2),
    "03_data_quality_skew": dict(reference_month=2, current_month=8, psi_bins=20, seed=7),
    "04_compute_accelerators": dict(compute_budget_flops=3e23, n_gpus=2048, mfu=0.5, zeus_gpu="A40"),
    "05_distributed_parallel": dict(seed=11, n_shards=3, gradient_gb=28.0, pipeline_stages=4, straggler_job="job_2"),
    "06_storage_feature_stores": dict(max_staleness_hours=2.0, weather_lag_minutes=30.0, delay_threshold_min=30.0),
    "07_serving_capacity": dict(required_qps=2400.0, throughput_per_replica=200.0, model_inference_ms=60.0),
    "08_mlops_lifecycle": dict(train_last_month=5, monitor_month=9, min_auc=0.6, canary_share=0.2),
    "09_monitoring_reliability": dict(region="eastus", vm_sku="D8s_v5", latency_threshold_ms=3.0, slo=0.995),
    "11_security_supply_chain": dict(abusive_rps=20.0, normal_clients=5, burst=4, seed=7),
    "10_technical_debt": dict(feedback_strength=0.8, feedback_rounds=20, changed_artifact="events_clean", seed=7),
    "12_governance_provenance": dict(seed=7),
    "13_integration_limits": dict(data_score=0.7, governance_score=0.9, pipeline_retries=1, mfu=0.5, pue=1.1),
    "14_capstone_readiness_review": dict(required_qps=2000.0, throughput_per_replica=180.0, model_latency_ms=70.0,
                                         observability_score=0.6, n_runs=5000, n_variants=1000, seed=3),
    "14_capstone_readiness_review_r": dict(required_qps=2000.0),
}

#: Numbers a notebook's prose may state although some parameter-dependent table happens to hold
#: the same value: constants of the article, of the bundled data or of physics, each with why.
#: A number listed here is still caught in every other notebook.
CONSTANTS: dict[str, dict[str, str]] = {
    "02_data_pipelines_dags": {
        "0.7516": "the article's published reliability of its nine-task table (checked at defaults in §2)",
        "99 %": "Exercise 1's fixed target, not a result", "0.99": "Exercise 1's fixed target, not a result",
    },
    "03_data_quality_skew": {"0.025": "KS D of the fixed 0.02-std shift on the bundled weather data"},
    "04_compute_accelerators": {
        "3.2": "measured FLOPs ratio of the bundled H200 training steps", "12": "Adam's 12 fp32 bytes per parameter",
        "690": "the H200's measured mean board power (data/measured_h200)",
    },
    "05_distributed_parallel": {
        "33 %": "one extra forward pass of recomputation (Korthikanti et al. 2022)",
        "47 %": "share of PAI jobs with CoV above 0.1 (bundled trace, all jobs)",
    },
    "07_serving_capacity": {
        "1.1": "CoV of the conv trace's gaps (bundled data)", "13": "CoV of the code trace's gaps (bundled data)",
        "2.0": "a citation's version number",
    },
    "14_capstone_readiness_review": {
        "1200": "the article's worked example (Q = 1200 req/s)", "150": "the article's worked example (150 req/s)",
    },
}

STEMS = [c.stem for c in SYLLABUS]
_NUMBER = re.compile(r"(?<![\w.])(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+|-?\d+)(\s?%)?(?![\w.]*\d)")
EXEMPT_TAG = "at-defaults"
_FENCE = re.compile(r"```.*?```", re.S)
_DISPLAY_MATH = re.compile(r"\$\$.*?\$\$", re.S)
_HEADING = re.compile(r"^#.*$", re.M)


def _markdown_numbers(text: str) -> list[tuple[str, float, int, bool]]:
    """(as written, value, decimals, is_percent) for each number worth matching in ``text``."""
    found = []
    for m in _NUMBER.finditer(text):
        raw, pct = m.group(1), bool(m.group(2))
        before, after = text[max(0, m.start() - 9): m.start()], text[m.end(): m.end() + 2]
        if (before.rstrip().endswith(("§", "Section", "section", "Table", "Fig.", "Eq.")) or before.endswith("/")
                or after.startswith("(") or re.match(r":\d", after)):
            continue  # a section, table or figure number, a ratio's denominator, a volume(issue), a clock time
        plain = raw.replace(",", "")
        value = float(plain)
        decimals = len(plain.split(".")[1]) if "." in plain else 0
        if decimals == 0 and (abs(value) < 10 or (1900 <= value <= 2100 and "," not in raw)):
            continue
        digits = plain.lstrip("-").replace(".", "").lstrip("0")
        significant = len(digits) if decimals else len(digits.rstrip("0"))  # "0.70" has two, "100" one
        if significant < 2:  # 0.05, 0.1, 100, 10 %: round constants and thresholds
            continue
        found.append((raw + (m.group(2) or ""), value, decimals, pct))
    return found


def _table_numbers(folder: Path) -> dict[str, np.ndarray]:
    """Finite numeric cells of every CSV under ``folder``, per relative path."""
    tables = {}
    for path in sorted(folder.rglob("*.csv")):
        try:
            df = pd.read_csv(path)
        except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError):
            continue
        values = df.select_dtypes("number").to_numpy(dtype=float).ravel()
        tables[str(path.relative_to(folder))] = values[np.isfinite(values)]
    return tables


def _changed(defaults: dict[str, np.ndarray], other: dict[str, np.ndarray]) -> np.ndarray:
    """Values of the defaults' tables not found (to 1e-9 relative) in the same table of the other run."""
    out = []
    for name, values in defaults.items():
        alt = np.unique(other.get(name, np.array([])))
        for v in np.unique(values):
            if alt.size == 0 or not np.isclose(alt, v, rtol=1e-9, atol=1e-12).any():
                out.append(v)
    return np.array(out)


def _matches(value: float, decimals: int, pct: bool, candidates: np.ndarray) -> bool:
    """Whether ``value``, written with ``decimals`` decimals, is a rounding of a candidate (or of 100×
    a candidate fraction when written as a percentage)."""
    half = 0.5 * 10.0 ** (-decimals) * (1 - 1e-9)  # an exact half (0.85 → "0.9"?) is too ambiguous to flag
    if np.any(np.abs(candidates - value) < half):
        return True
    return bool(pct and np.any(np.abs(100.0 * candidates - value) < half))


def _static_markdown(stem: str) -> list[tuple[int, str]]:
    nb = nbformat.read(notebook_path(stem), as_version=4)
    # Fenced code blocks are example commands (``infra-lab run … -p x 0.9``), display maths holds a
    # formula's constants, and headings number sections: none of them is a claim about a result.
    return [(i, _HEADING.sub("", _DISPLAY_MATH.sub("", _FENCE.sub("", c.source)))) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and EXEMPT_TAG not in c.metadata.get("tags", [])]


def stale_numbers(stem: str, defaults_dir: Path, other_dir: Path) -> list[str]:
    """Descriptions of the static Markdown numbers that equal a parameter-dependent table value."""
    changed = _changed(_table_numbers(defaults_dir), _table_numbers(other_dir))
    if changed.size == 0:
        return []
    problems = []
    for index, source in _static_markdown(stem):
        for raw, value, decimals, pct in _markdown_numbers(source):
            if raw.strip() in CONSTANTS.get(stem, {}):
                continue
            if _matches(value, decimals, pct, changed):
                line = next((l for l in source.splitlines() if raw.split("%")[0].strip() in l), "").strip()
                problems.append(f"cell {index}: {raw!r} in {line[:110]!r}")
    return problems


# ---------------------------------------------------------------------------------- cheap checks
def test_every_notebook_has_a_declared_alternative_inside_its_ranges():
    assert set(ALTERNATIVES) == set(STEMS), (
        f"add a non-default parameter set for {sorted(set(STEMS) - set(ALTERNATIVES))}; "
        f"drop {sorted(set(ALTERNATIVES) - set(STEMS))}")
    for stem, params in ALTERNATIVES.items():
        specs = notebook_parameters(notebook_path(stem))
        validate_overrides(specs, params, notebook=stem)  # raises ParameterError outside a range
        assert any(specs[name].default != value for name, value in params.items()), f"{stem}: all defaults"


def test_the_number_reader_finds_typed_numbers_and_skips_section_numbers_and_years():
    text = ("In 2024, p99 is 41.5 ms at 97.6 % utilisation with 216 requests, 8 replicas, p < 0.05, 0.70 "
            "reliability (§2.3, JPDC 69(2), 1/12 of it, 18:00).")
    assert [raw for raw, *_ in _markdown_numbers(text)] == ["41.5", "97.6 %", "216", "0.70"]


def test_a_typed_number_that_moves_with_the_parameters_is_caught(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    pd.DataFrame({"p99_ms": [41.5123], "replicas": [8], "constant": [0.35]}).to_csv(a / "t.csv", index=False)
    pd.DataFrame({"p99_ms": [55.0], "replicas": [16], "constant": [0.35]}).to_csv(b / "t.csv", index=False)
    changed = _changed(_table_numbers(a), _table_numbers(b))
    assert _matches(41.5, 1, False, changed) and not _matches(0.35, 2, False, changed)
    assert _matches(97.6, 1, True, np.array([0.9761])) and not _matches(97.6, 1, False, np.array([0.9761]))


# ------------------------------------------------------------------------------- the notebooks
@pytest.mark.parametrize("stem", STEMS)
def test_static_markdown_does_not_repeat_a_number_that_changes_with_the_parameters(stem, tmp_path):
    runs = {}
    for label, params in (("defaults", {}), ("other", ALTERNATIVES[stem])):
        result = execute_notebook(notebook_path(stem), tmp_path / label, params)
        if result.error:
            pytest.fail(f"{stem} failed with {params or 'its defaults'}:\n{result.error}")
        runs[label] = result.output_dir
    problems = stale_numbers(stem, runs["defaults"], runs["other"])
    assert not problems, (
        f"{stem}: static Markdown states numbers that change under {ALTERNATIVES[stem]} — print them from "
        "code (Markdown f-string) or tag the cell 'at-defaults' with a guarded self-check:\n  "
        + "\n  ".join(problems))
