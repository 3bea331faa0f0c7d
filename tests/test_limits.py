"""infra_lab.limits: the weakest-layer analysis against brute force, and the Mathematical Lens
table against the list of formulas in the article's Mathematical Lens (issue 11, COURSE_DESIGN.md)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.limits import LENS_FORMULAS, bound_analysis, mathematical_lens
from infra_lab.syllabus import FORMULAS, SYLLABUS, resolve

# The article's Mathematical Lens, as issue 11 and COURSE_DESIGN.md list it, with the module that
# must own each formula (COURSE_DESIGN.md: "Every formula in the article's Mathematical Lens has
# exactly one home in the library").
ARTICLE_LENS = {
    "C≈kND": "compute",
    "g_t = 1/n Σ g_{t,i}": "parallel",
    "T1/(n·Tn)": "parallel",
    "Capacity = Replicas × Throughput": "serving",
    "P_train ≠ P_serve": "quality",
    "Reliability = 1 − P(Failure)": "reliability",
    "G=(V,E)": "pipelines",
    "Readiness = f(...)": "readiness",
    "Deployment ≤ min(...)": "readiness",
    "Access(u,r)": "security",
}
# how each appears in a registry entry's LaTeX (independent of LENS_FORMULAS)
LATEX_MARK = {
    "C≈kND": r"C \approx k N D", "g_t = 1/n Σ g_{t,i}": r"g_t = \frac{1}{n}", "T1/(n·Tn)": r"T_1 / (n \cdot T_n)",
    "Capacity = Replicas × Throughput": "Capacity = Replicas", "P_train ≠ P_serve": r"P_{train}(X, Y) \ne P_{serve}",
    "Reliability = 1 − P(Failure)": "Reliability = 1 - P(Failure)", "G=(V,E)": "G = (V, E)",
    "Readiness = f(...)": "Readiness = f(", "Deployment ≤ min(...)": r"Deployment \le \min(", "Access(u,r)": "Access(u, r)",
}


@pytest.mark.parametrize("formula", list(ARTICLE_LENS))
def test_the_registry_covers_every_formula_of_the_articles_mathematical_lens(formula):
    entries = [f for f in FORMULAS if LATEX_MARK[formula] in f.latex]
    assert entries, f"no registry entry for the article's {formula!r}"
    f = entries[0]
    assert f.function.startswith(f"infra_lab.{ARTICLE_LENS[formula]}."), f.function
    assert callable(resolve(f.function))
    assert f.notebook in {c.stem for c in SYLLABUS}
    lens = mathematical_lens()
    assert f.function in set(lens["function"]), f"mathematical_lens() leaves out {formula!r}"


def test_the_lens_table_is_the_registry_verbatim_in_the_articles_order():
    lens = mathematical_lens()
    assert lens["key"].tolist() == [k for _, k in LENS_FORMULAS]
    by_key = {f.key: f for f in FORMULAS}
    for row in lens.itertuples():
        f = by_key[row.key]
        assert (row.latex, row.function, row.notebook, row.source) == (f.latex, f.function, f.notebook, f.source)


PROFILES = st.lists(st.floats(0, 1), min_size=6, max_size=6)


@settings(max_examples=80, deadline=None)
@given(PROFILES, st.floats(0, 1), st.floats(0, 1))
def test_bound_analysis_matches_brute_force(scores, target, step):
    a = bound_analysis(scores, target=target, improvement=step)
    assert a.bound == min(scores)
    assert a.mean_score == pytest.approx(np.mean(scores))
    for i, layer in enumerate(["Data", "Compute", "Storage", "Serving", "Reliability", "Governance"]):
        raised = list(scores)
        raised[i] = min(raised[i] + step, 1.0)
        assert a.gain_per_layer[layer] == pytest.approx(min(raised) - min(scores), abs=1e-12)
    # raising each layer by its shortfall lifts the bound to at least the target, and no less total works
    lifted = [max(s, target) for s in scores]
    assert min(lifted) >= target - 1e-12
    assert a.total_shortfall == pytest.approx(sum(l - s for l, s in zip(lifted, scores)))


def test_only_the_weakest_layer_moves_the_bound():
    a = bound_analysis([0.8, 0.9, 0.7, 0.85, 0.6, 0.75], improvement=0.05)
    assert {k for k, v in a.gain_per_layer.items() if v > 0} == {"Reliability"}
