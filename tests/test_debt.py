"""infra_lab.debt against the published rubric and against independent implementations
(plain set algebra, a hand-written breadth-first search, the closed form of a linear recursion)."""

from __future__ import annotations

from collections import deque

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab.debt import change_impact, hidden_dependencies, ml_test_score, simulate_feedback_loop


# --------------------------------------------------------------------------- ML Test Score
@pytest.mark.parametrize("monitoring, reading", [
    ([0] * 7, "more of a research project"),             # Breck et al. 2017: score 0
    ([0.5, 0.5], "not totally untested"),                # (0, 1]
    ([1, 0.5], "first pass at basic productionization"),  # (1, 2]
    ([1, 1, 1], "reasonably tested"),                    # (2, 3]
    ([1] * 5, "strong automated testing"),               # (3, 5]
    ([1] * 6, "exceptional"),                            # > 5
])
def test_ml_test_score_uses_the_minimum_section_and_the_papers_readings(monitoring, reading):
    # Breck et al., "The ML Test Score", IEEE Big Data 2017, "Computing an ML Test Score":
    # ½ point manual, 1 point automated; final score = min of the four section sums.
    r = ml_test_score({"data": [1] * 7, "model": [1] * 7, "infrastructure": [1] * 7, "monitoring": monitoring})
    assert r.score == sum(monitoring) and r.weakest_section == "monitoring"
    assert reading in r.reading


def test_a_tie_names_the_first_section_in_rubric_order():
    r = ml_test_score({"data": [1], "model": [0.5, 0.5], "infrastructure": [1], "monitoring": []})
    assert (r.score, r.weakest_section) == (0.0, "monitoring")
    r = ml_test_score({"data": [0.5], "model": [0.5], "infrastructure": [1], "monitoring": [1]})
    assert r.weakest_section == "data"


# --------------------------------------------------------------------------- lineage
EDGE = st.tuples(st.sampled_from("abcdefg"), st.sampled_from("abcdefg"))


@settings(max_examples=60, deadline=None)
@given(st.lists(EDGE, max_size=15), st.lists(EDGE, max_size=15))
def test_hidden_and_unused_are_the_set_differences(declared, observed):
    h = hidden_dependencies(declared, observed)
    assert set(map(tuple, h.hidden.values.tolist())) == set(observed) - set(declared)
    assert set(map(tuple, h.unused.values.tolist())) == set(declared) - set(observed)
    n_obs = len(set(observed))
    assert h.hidden_share == pytest.approx(len(set(observed) - set(declared)) / n_obs if n_obs else 0.0)


def _bfs(edges, start):
    adj = {}
    for s, t in edges:
        adj.setdefault(s, []).append(t)
    dist, queue = {start: 0}, deque([start])
    while queue:
        u = queue.popleft()
        for v in adj.get(u, []):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


@settings(max_examples=60, deadline=None)
@given(st.lists(EDGE, max_size=15), st.lists(EDGE, max_size=15), st.sampled_from("abcdefg"))
def test_change_impact_matches_a_hand_written_breadth_first_search(declared, extra, changed):
    observed = declared + extra
    imp = change_impact(declared, observed, changed)
    want = {v: d for v, d in _bfs(observed, changed).items() if v != changed}
    known = set(_bfs(declared, changed)) - {changed}
    got = dict(zip(imp.affected["node"], imp.affected["hops"]))
    assert got == want and imp.n_affected == len(want)
    assert imp.n_unknown == sum(1 for v in want if v not in known)


def test_a_feedback_loop_is_a_cycle_of_the_observed_lineage():
    # Sculley et al. 2015, Section 4: predictions that reach the model's own training data.
    declared = [("events", "features"), ("features", "model"), ("model", "ranking")]
    observed = declared + [("ranking", "events")]
    h = hidden_dependencies(declared, observed)
    assert h.cycles == (("events", "features", "model", "ranking"),)
    assert hidden_dependencies(declared, declared).cycles == ()


def test_edges_accept_the_articles_source_target_frame():
    import pandas as pd

    df = pd.DataFrame({"source": ["a", "b"], "target": ["b", "c"]})
    assert change_impact(df, df, "a").affected["node"].tolist() == ["b", "c"]


# --------------------------------------------------------------------------- feedback loop
@pytest.mark.parametrize("alpha", [0.0, 0.3, 0.5, 0.9, 1.0, 1.5])
def test_noise_free_loop_follows_the_closed_form_of_its_recursion(alpha):
    # β_t = β + α β_{t-1}, β_0 = β  ⇒  β_t = β Σ_{k≤t} α^k (summed here term by term).
    loop = simulate_feedback_loop(rounds=12, feedback_strength=alpha, true_slope=2.0, noise_sd=0.0, seed=5)
    want = [2.0 * sum(alpha ** k for k in range(t + 1)) for t in range(12)]
    np.testing.assert_allclose(loop.fitted_slope, want, rtol=1e-9)
    np.testing.assert_allclose(loop.expected_slope, want, rtol=1e-12)
    np.testing.assert_allclose(loop.drift, np.array(want) / 2.0 - 1, rtol=1e-9)


def test_noisy_loop_settles_at_the_fixed_point_and_no_feedback_means_no_drift():
    loop = simulate_feedback_loop(rounds=40, feedback_strength=0.6, true_slope=1.0,
                                  samples_per_round=20_000, noise_sd=1.0, seed=7)
    assert loop.fixed_point == pytest.approx(2.5)
    assert abs(loop.fitted_slope[-10:].mean() - 2.5) < 0.05   # SE of one slope ≈ 1/√20000 · 1/(1 - α)
    flat = simulate_feedback_loop(rounds=20, feedback_strength=0.0, samples_per_round=20_000, seed=7)
    assert np.all(np.abs(flat.drift) < 0.05)
    assert simulate_feedback_loop(rounds=3, feedback_strength=1.0).fixed_point == float("inf")


def test_the_loop_is_reproducible_from_its_seed():
    a = simulate_feedback_loop(seed=11).fitted_slope
    b = simulate_feedback_loop(seed=11).fitted_slope
    assert np.array_equal(a, b)
