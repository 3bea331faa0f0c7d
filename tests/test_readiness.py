"""Tests for infra_lab.readiness: the article's readiness formula, bound and debt-risk rule.

References:
* the article, *Mathematical Lens*: Readiness = f(Data, Compute, Storage, Serving,
  Reliability, Governance) and Deployment ≤ min(Data, ..., Governance);
* the article's R workflow (components table): weighted risk = technical debt × criticality,
  priority "high" if risk ≥ 0.35, "medium" if risk ≥ 0.25, else "low"; its summary (R's
  round(x, 3)) prints mean readiness 0.77 and mean weighted risk 0.289;
* the article's Python workflow: the readiness lens's seven dimensions (Data, Compute,
  Storage, Serving, Observability, Security, Governance), mean readiness 0.78.
The weighted mean is the course's reading of f; it is checked against numpy.average (an
independent implementation of the same definition), never against values copied from
infra_lab's own output.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infra_lab import readiness as rd
from infra_lab.article import infrastructure_components, readiness_table
from infra_lab.readiness import (
    HIGH_RISK_THRESHOLD,
    LAYERS,
    LENS_DIMENSIONS,
    ReadinessBound,
    ReadinessLens,
    readiness_lens,
    MEDIUM_RISK_THRESHOLD,
    deployment_readiness_bound,
    normalized_weights,
    readiness_memo,
    readiness_score,
    risk_priority,
    risk_table,
    weighted_risk,
)
from infra_lab.syllabus import FORMULAS, resolve

PROFILE = {"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85, "Reliability": 0.6, "Governance": 0.75}

unit = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
profiles = st.lists(unit, min_size=6, max_size=6)
weight_lists = st.lists(st.floats(min_value=0.0, max_value=100.0, allow_nan=False), min_size=6, max_size=6).filter(
    lambda w: sum(w) > 1e-6)


# --- the article's statements ----------------------------------------------------------------

def test_layers_are_the_articles_six_in_its_order():
    # Mathematical Lens: Readiness = f(Data, Compute, Storage, Serving, Reliability, Governance).
    assert LAYERS == ("Data", "Compute", "Storage", "Serving", "Reliability", "Governance")


def test_thresholds_are_the_articles():
    # The article's technical-debt table: high if risk ≥ 0.35, medium if ≥ 0.25.
    assert (HIGH_RISK_THRESHOLD, MEDIUM_RISK_THRESHOLD) == (0.35, 0.25)


def test_registry_names_resolve_to_this_module():
    keys = {f.key: f for f in FORMULAS}
    for key, name in [("readiness_score", "readiness_score"), ("deployment_bound", "deployment_readiness_bound"),
                      ("weighted_risk", "weighted_risk")]:
        assert resolve(keys[key].function) is getattr(rd, name)


def test_weighted_risk_is_debt_times_criticality():
    # The article's technical-debt table: weighted risk = technical debt × criticality.
    assert weighted_risk(0.8, 0.5) == pytest.approx(0.4)
    assert weighted_risk(0.0, 1.0) == 0.0
    assert weighted_risk(1.0, 1.0) == 1.0
    np.testing.assert_allclose(weighted_risk([0.2, 0.6], [[1.0], [0.5]]), [[0.2, 0.6], [0.1, 0.3]])


@pytest.mark.parametrize("debt, criticality, expected", [
    (0.7, 0.5, "high"),     # exactly the 0.35 threshold of the article's table → high
    (0.5, 0.7, "high"),
    (0.4, 0.875, "high"),   # 0.35 in exact arithmetic (float gives 0.35000000000000003)
    (0.5, 0.5, "medium"),   # exactly the 0.25 threshold → medium
    (0.625, 0.4, "medium"),
    (0.6, 0.5, "medium"),   # 0.30
    (0.4, 0.6, "low"),      # 0.24
    (0.0, 0.9, "low"),
    (1.0, 1.0, "high"),
])
def test_priority_follows_the_articles_thresholds(debt, criticality, expected):
    assert risk_priority(weighted_risk(debt, criticality)) == expected


def test_priority_is_robust_to_floating_point_just_below_a_threshold():
    # A risk one ulp below 0.35 (or 0.25) is the threshold value blurred by rounding, not a
    # lower priority; a risk clearly below it is.
    assert risk_priority(np.nextafter(0.35, 0.0)) == "high"
    assert risk_priority(np.nextafter(0.25, 0.0)) == "medium"
    assert risk_priority(0.3499) == "medium"
    assert risk_priority(0.2499) == "low"
    assert risk_priority(0.1 * 3.5) == "high"  # 0.35000000000000003


def test_priority_broadcasts_and_returns_plain_strings():
    out = risk_priority(np.array([[0.35, 0.25], [0.1, 1.0]]))
    assert out.tolist() == [["high", "medium"], ["low", "high"]]
    assert type(risk_priority(0.3)) is str


def test_equal_weights_give_the_arithmetic_mean():
    values = list(PROFILE.values())
    assert readiness_score(PROFILE) == pytest.approx(np.average(values), abs=1e-15)
    assert readiness_score(values) == pytest.approx(np.mean(values), abs=1e-15)


def test_weights_are_normalised_and_follow_numpy_average():
    w = [1, 2, 3, 4, 5, 6]
    expected = np.average(list(PROFILE.values()), weights=w)
    assert readiness_score(PROFILE, weights=w) == pytest.approx(expected, abs=1e-15)
    assert readiness_score(PROFILE, weights=[10 * x for x in w]) == pytest.approx(expected, abs=1e-15)
    as_map = dict(zip(LAYERS, w))
    assert readiness_score(PROFILE, weights=as_map) == pytest.approx(expected, abs=1e-15)


def test_normalized_weights_divide_by_their_sum():
    # Computed here: w / Σw, in the article's layer order; None means equal weights.
    w = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert list(normalized_weights(w)) == list(LAYERS)
    np.testing.assert_allclose(list(normalized_weights(w).values()), np.array(w) / 21.0)
    np.testing.assert_allclose(list(normalized_weights(None).values()), [1 / 6] * 6)
    assert normalized_weights(dict(zip(LAYERS, w))) == normalized_weights(w)
    with pytest.raises(ValueError, match="weights"):
        normalized_weights([0, 0, 0, 0, 0, 0])


def test_a_zero_weight_hides_a_layer_from_the_mean_but_not_from_the_bound():
    # Why the course reports both: the bound (Mathematical Lens) still sees the weak layer.
    scores = {**PROFILE, "Governance": 0.1}
    w = {layer: (0.0 if layer == "Governance" else 1.0) for layer in LAYERS}
    others = [v for k, v in scores.items() if k != "Governance"]
    assert readiness_score(scores, w) == pytest.approx(np.mean(others))
    b = deployment_readiness_bound(scores)
    assert (b.bound, b.weakest_layer) == (0.1, "Governance")


def test_mapping_keys_are_case_insensitive_and_series_work():
    lower = {k.lower(): v for k, v in PROFILE.items()}
    assert readiness_score(lower) == readiness_score(PROFILE)
    assert readiness_score(pd.Series(PROFILE)) == readiness_score(PROFILE)
    shuffled = dict(reversed(list(PROFILE.items())))
    assert readiness_score(shuffled) == readiness_score(PROFILE)


def test_scores_broadcast_over_arrays():
    sweep = np.linspace(0, 1, 5)
    scores = {**PROFILE, "Reliability": sweep}
    out = readiness_score(scores)
    assert out.shape == (5,)
    expected = [np.mean([*[v for k, v in PROFILE.items() if k != "Reliability"], r]) for r in sweep]
    np.testing.assert_allclose(out, expected)
    b = deployment_readiness_bound(scores)
    np.testing.assert_allclose(b.bound, np.minimum(sweep, 0.7))
    assert b.weakest_layer.tolist() == ["Reliability", "Reliability", "Reliability", "Storage", "Storage"]


def test_bound_is_the_minimum_and_names_the_weakest_layer():
    # Mathematical Lens: Deployment ≤ min(Data, Compute, Storage, Serving, Reliability, Governance).
    b = deployment_readiness_bound(PROFILE)
    assert b.bound == 0.6
    assert b.weakest_layer == "Reliability"
    assert list(b.scores) == list(LAYERS)
    with pytest.raises(AttributeError):
        b.bound = 1.0  # frozen


def test_bound_ties_go_to_the_first_layer_in_the_articles_order():
    tie = {**PROFILE, "Storage": 0.6, "Governance": 0.6}
    assert deployment_readiness_bound(tie).weakest_layer == "Storage"


def test_scalar_results_are_python_scalars():
    assert type(readiness_score(PROFILE)) is float
    assert type(deployment_readiness_bound(PROFILE).bound) is float
    assert type(weighted_risk(0.5, 0.5)) is float


# --- risk table and memo ---------------------------------------------------------------------

DEBT = pd.DataFrame({
    "item": ["glue code", "undeclared consumers", "manual deploys", "unversioned data"],
    "technical_debt": [0.7, 0.5, 0.4, 0.6],
    "criticality": [0.5, 0.5, 0.5, 0.8],
})


def test_risk_table_adds_columns_and_sorts_riskiest_first():
    t = risk_table(DEBT)
    assert t["item"].tolist() == ["unversioned data", "glue code", "undeclared consumers", "manual deploys"]
    np.testing.assert_allclose(t["weighted_risk"], [0.48, 0.35, 0.25, 0.20])
    assert t["priority"].tolist() == ["high", "high", "medium", "low"]
    assert "weighted_risk" not in DEBT.columns  # input untouched


def test_risk_table_keeps_input_order_on_ties():
    df = pd.DataFrame({"item": ["x", "y", "z"], "debt": [0.5, 1.0, 0.25], "crit": [1.0, 0.5, 1.0]})
    assert risk_table(df, "debt", "crit")["item"].tolist() == ["x", "y", "z"]


def test_risk_table_names_a_missing_column():
    with pytest.raises(ValueError, match="criticality"):
        risk_table(DEBT.drop(columns="criticality"))
    with pytest.raises(TypeError, match="DataFrame"):
        risk_table(DEBT.to_dict())


def test_memo_names_the_weakest_layer_and_says_no_go_below_threshold():
    memo = readiness_memo(PROFILE, DEBT, title="Fraud model review")
    assert memo.startswith("# Fraud model review\n")
    assert "**Decision: NO-GO**" in memo
    assert "**Reliability** at 0.6 " in memo
    assert "glue code" in memo and "unversioned data" in memo
    assert "Raise **Reliability** from 0.6 to at least 0.7" in memo
    # deterministic: same input, same text
    assert memo == readiness_memo(PROFILE, DEBT, title="Fraud model review")


def test_memo_says_go_only_without_weak_layers_and_high_risks():
    strong = {k: 0.9 for k in LAYERS}
    assert "**Decision: GO**" in readiness_memo(strong)
    assert "**Decision: GO**" in readiness_memo(strong, DEBT[DEBT["item"] == "manual deploys"])
    blocked = readiness_memo(strong, DEBT)
    assert "**Decision: NO-GO**" in blocked and "high-priority" in blocked
    # A layer exactly at the threshold meets it.
    assert "**Decision: GO**" in readiness_memo({**strong, "Serving": 0.7}, go_threshold=0.7)
    assert "**Decision: NO-GO**" in readiness_memo({**strong, "Serving": 0.69}, go_threshold=0.7)


def test_memo_lists_at_most_top_risks():
    memo = readiness_memo(PROFILE, DEBT, top_risks=2)
    assert "manual deploys |" not in memo and "2 more item(s)" in memo


def test_memo_refuses_bad_arguments_by_name():
    with pytest.raises(ValueError, match="go_threshold"):
        readiness_memo(PROFILE, go_threshold=1.5)
    with pytest.raises(ValueError, match="top_risks"):
        readiness_memo(PROFILE, DEBT, top_risks=0)
    with pytest.raises(ValueError, match="risks is missing"):
        readiness_memo(PROFILE, DEBT.rename(columns={"item": "name"}))
    with pytest.raises(ValueError, match="layer_scores"):
        readiness_memo({**PROFILE, "Data": [0.1, 0.2]})
    with pytest.raises(ValueError, match="title"):
        readiness_memo(PROFILE, title=" ")


# --- invalid input ---------------------------------------------------------------------------

@pytest.mark.parametrize("scores, match", [
    ({**PROFILE, "Security": 0.5}, r"Security.*unknown layer"),
    ({k: v for k, v in PROFILE.items() if k != "Serving"}, r"missing layer.*Serving"),
    ({**PROFILE, "Data": 1.2}, r"layer_scores\['Data'\]=1.2"),
    ({**PROFILE, "Compute": -0.1}, r"Compute"),
    ({**PROFILE, "data": 0.5}, r"given twice"),
    ([0.5] * 5, r"layer_scores.*last axis of 6"),
    ([0.5, 0.5, 0.5, 0.5, 0.5, 2.0], r"layer_scores.*\[0, 1\]"),
    ([0.5, 0.5, 0.5, 0.5, 0.5, float("nan")], r"layer_scores.*NaN"),
])
def test_bad_scores_are_refused_by_name(scores, match):
    with pytest.raises(ValueError, match=match):
        readiness_score(scores)
    with pytest.raises(ValueError, match=match):
        deployment_readiness_bound(scores)


def test_non_numeric_scores_are_type_errors():
    with pytest.raises(TypeError, match="layer_scores"):
        readiness_score("Data=0.5")
    with pytest.raises(TypeError, match="Governance"):
        readiness_score({**PROFILE, "Governance": "high"})


@pytest.mark.parametrize("weights, match", [
    ([1, 1, 1, 1, 1, -1], r"weights.*≥ 0"),
    ([0, 0, 0, 0, 0, 0], r"weights.*> 0"),
    ([1, 1, 1], r"weights.*one weight per layer"),
    ({"Data": 1}, r"weights.*missing"),
    ({**dict.fromkeys(LAYERS, 1), "Cost": 1}, r"weights.*Cost.*unknown layer"),
    ([1, 1, 1, 1, 1, float("inf")], r"weights.*finite"),
])
def test_bad_weights_are_refused_by_name(weights, match):
    with pytest.raises(ValueError, match=match):
        readiness_score(PROFILE, weights)


@pytest.mark.parametrize("debt, crit, name", [(1.5, 0.5, "technical_debt"), (0.5, -0.1, "criticality"),
                                              ([0.1, 2.0], 0.5, "technical_debt")])
def test_bad_risk_inputs_are_refused_by_name(debt, crit, name):
    with pytest.raises(ValueError, match=name):
        weighted_risk(debt, crit)


def test_bad_risk_values_are_refused():
    with pytest.raises(ValueError, match="risk"):
        risk_priority(1.2)
    with pytest.raises(ValueError, match="broadcast"):
        weighted_risk([0.1, 0.2], [0.1, 0.2, 0.3])


# --- properties --------------------------------------------------------------------------------

@settings(max_examples=200, deadline=None)
@given(profiles, weight_lists)
def test_bound_le_weighted_mean_le_max(scores, weights):
    # A weighted mean with non-negative weights lies between the smallest and largest value.
    score = readiness_score(scores, weights)
    assert deployment_readiness_bound(scores).bound - 1e-12 <= score <= max(scores) + 1e-12


@settings(max_examples=200, deadline=None)
@given(profiles, weight_lists, st.integers(0, 5), unit)
def test_raising_a_layer_never_lowers_score_or_bound(scores, weights, layer, new):
    higher = list(scores)
    higher[layer] = max(scores[layer], new)
    assert readiness_score(higher, weights) >= readiness_score(scores, weights)
    assert deployment_readiness_bound(higher).bound >= deployment_readiness_bound(scores).bound


@settings(max_examples=200, deadline=None)
@given(unit, unit)
def test_risk_is_a_score_below_both_factors(debt, crit):
    risk = weighted_risk(debt, crit)
    assert 0.0 <= risk <= min(debt, crit) <= 1.0
    assert weighted_risk(crit, debt) == risk


_RANK = {"low": 0, "medium": 1, "high": 2}


@settings(max_examples=200, deadline=None)
@given(unit, unit)
def test_priority_never_falls_as_risk_rises(a, b):
    lo, hi = sorted((a, b))
    assert _RANK[risk_priority(lo)] <= _RANK[risk_priority(hi)]


def test_memo_prints_inputs_without_rounding_them_across_a_threshold():
    # 0.875 must not print as 0.88, and 0.3499 (medium) must not print as 0.35 (the high threshold).
    items = pd.DataFrame({"item": ["p", "q"], "technical_debt": [0.875, 0.3499], "criticality": [0.4, 1.0]})
    memo = readiness_memo(PROFILE, items)
    assert "| p | 0.875 | 0.4 | 0.35 | high |" in memo
    assert "| q | 0.3499 | 1 | 0.3499 | medium |" in memo


def test_memo_treats_a_score_one_ulp_below_the_threshold_as_meeting_it():
    strong = {k: 0.9 for k in LAYERS}
    assert "**Decision: GO**" in readiness_memo({**strong, "Data": float(np.nextafter(0.7, 0.0))}, go_threshold=0.7)


# --- the article's workflows: published numbers ----------------------------------------------

def test_the_lens_has_seven_inputs_distinct_from_the_six_layers():
    # Issue 11: the readiness lens (seven inputs) is not the six-layer bound.
    assert LENS_DIMENSIONS == ("Data", "Compute", "Storage", "Serving", "Observability", "Security", "Governance")
    assert set(LENS_DIMENSIONS) - set(LAYERS) == {"Observability", "Security"}
    assert set(LAYERS) - set(LENS_DIMENSIONS) == {"Reliability"}
    with pytest.raises(ValueError, match="scores"):
        readiness_lens(dict.fromkeys(LAYERS, 1.0))  # the six layers are not the lens's inputs
    with pytest.raises(ValueError, match="layer_scores"):
        readiness_score(dict.fromkeys(LENS_DIMENSIONS, 1.0))


def test_the_lens_reproduces_the_python_workflows_mean_0_78_and_lowest_three():
    # The article's Python workflow: infrastructure_readiness_score = mean score = 0.78;
    # the memo's lowest three: governance_controls 0.72, security_controls 0.74, compute_capacity 0.76.
    lens = readiness_lens(readiness_table())
    assert isinstance(lens, ReadinessLens)
    assert lens.score == pytest.approx(0.78, abs=1e-12)
    assert lens.lowest == ("governance_controls", "security_controls", "compute_capacity")
    assert lens.weakest_dimension == "Governance"
    assert lens.scores == {"data_pipeline": 0.82, "compute_capacity": 0.76, "storage_throughput": 0.80,
                           "serving_reliability": 0.84, "observability": 0.78, "security_controls": 0.74,
                           "governance_controls": 0.72}
    score, scores, lowest, weakest = lens  # unpacks like a tuple, in field order
    assert (score, lowest, weakest) == (lens.score, lens.lowest, "Governance")


def test_the_lens_accepts_lens_names_and_seven_numbers_and_breaks_ties_in_lens_order():
    by_name = readiness_lens({"data": 0.5, "Compute": 0.5, "Storage": 0.9, "Serving": 0.9, "Observability": 0.9,
                              "Security": 0.9, "Governance": 0.9}, lowest=2)
    assert by_name.lowest == ("data", "Compute") and by_name.weakest_dimension == "Data"
    assert by_name.score == pytest.approx((0.5 * 2 + 0.9 * 5) / 7)
    assert readiness_lens([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], lowest=1).lowest == ("Data",)


def test_components_reproduce_the_r_workflows_risk_priorities_and_summary():
    # The article's R workflow: observability 0.42 × 0.88 = 0.3696 (≈ 0.37) and governance_controls
    # 0.40 × 0.92 = 0.368 are high; security_controls 0.36 × 0.90 = 0.324 is medium;
    # mean readiness 0.77, mean weighted risk 0.289 (round(x, 3)).
    t = risk_table(infrastructure_components(), sort=False)
    assert t["component"].tolist() == infrastructure_components()["component"].tolist()  # R keeps input order
    risk = dict(zip(t["component"], t["weighted_risk"]))
    assert risk["observability"] == pytest.approx(0.3696) and risk["governance_controls"] == pytest.approx(0.368)
    priority = dict(zip(t["component"], t["priority"]))
    assert [c for c, p in priority.items() if p == "high"] == ["observability", "governance_controls"]
    assert priority["security_controls"] == "medium" and priority["model_registry"] == "low"
    assert priority == {"data_pipeline": "medium", "feature_store": "medium", "training_cluster": "medium",
                        "model_registry": "low", "serving_layer": "low", "observability": "high",
                        "security_controls": "medium", "governance_controls": "high"}
    assert round(t["readiness_score"].mean(), 3) == 0.77
    assert round(t["weighted_risk"].mean(), 3) == 0.289


def test_readiness_bound_unpacks_and_reads_by_name():
    b = deployment_readiness_bound(PROFILE)
    assert isinstance(b, ReadinessBound)
    bound, weakest, scores = b
    assert (bound, weakest) == (0.6, "Reliability")
    assert scores == PROFILE
    assert b._asdict()["weakest_layer"] == "Reliability"


@pytest.mark.parametrize("bad", [[True, 0.9, 0.7, 0.85, 0.6, 0.75], "0.8", float("nan")])
def test_layer_scores_refuse_bools_strings_and_nan_by_name(bad):
    with pytest.raises((ValueError, TypeError), match="layer_scores"):
        readiness_score(bad)


def test_risk_table_refuses_missing_values_by_name_and_row():
    df = infrastructure_components()
    df.loc[3, "criticality"] = None
    with pytest.raises(ValueError, match=r"df has 1 missing value\(s\) in column 'criticality' \(first at row index 3\)"):
        risk_table(df)


@settings(max_examples=200, deadline=None)
@given(st.lists(unit, min_size=7, max_size=7), st.integers(1, 7))
def test_lens_score_is_the_mean_and_lowest_are_sorted(scores, k):
    # Oracle: numpy's mean and a sort written here; laws: min ≤ mean ≤ max, lowest ascending.
    lens = readiness_lens(scores, lowest=k)
    assert lens.score == pytest.approx(np.mean(scores), abs=1e-12)
    assert min(scores) - 1e-12 <= lens.score <= max(scores) + 1e-12
    picked = [lens.scores[name] for name in lens.lowest]
    assert len(picked) == k and picked == sorted(picked)
    assert picked == sorted(scores)[:k]
    assert lens.scores[lens.weakest_dimension] == min(scores)


def test_a_no_go_memo_never_says_the_layers_meet_the_threshold_in_its_decision_line():
    # Issue 12: at go_threshold=0.5 every layer of the notebook's default profile clears the
    # threshold, high-priority debt blocks, and the memo read "NO-GO … meets the go threshold".
    profile = {"Data": 0.8, "Compute": 0.75, "Storage": 0.7, "Serving": 0.85, "Reliability": 0.6,
               "Governance": 0.65}
    debt = pd.DataFrame({"item": ["glue", "data"], "technical_debt": [0.875, 0.8], "criticality": [0.4, 0.7]})
    memo = readiness_memo(profile, debt, go_threshold=0.5)
    decision = next(line for line in memo.splitlines() if line.startswith("**Decision"))
    assert decision.startswith("**Decision: NO-GO**")
    assert "meets" not in decision and "below" not in decision
    assert "2 high-priority debt item(s): data, glue" in decision  # riskiest first
    assert "Every layer is at or above the go threshold 0.5" in memo
    assert "Raise **" not in memo  # no layer needs raising
    # Below the threshold, the decision names the layer and nothing says it meets it.
    low = readiness_memo(profile, debt, go_threshold=0.7)
    assert "meets" not in low and "is below the go threshold 0.7" in low
