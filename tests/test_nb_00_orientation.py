"""Notebook 00_orientation run with non-default parameters; its outputs are checked against
values computed here independently (numpy.average for the weighted mean, min for the article's
bound, debt × criticality and the article's 0.35 / 0.25 thresholds for the debt table)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from infra_lab.datasets import DATASETS
from infra_lab.syllabus import FORMULAS, SYLLABUS

LAYERS = ["Data", "Compute", "Storage", "Serving", "Reliability", "Governance"]
PARAMS = dict(data_score=0.9, compute_score=0.85, storage_score=0.8, serving_score=0.75,
              reliability_score=0.95, governance_score=0.3, layer_weights=[1.0, 2.0, 1.0, 1.0, 3.0, 2.0],
              go_threshold=0.5)


def test_notebook_outputs_match_independent_computation(run_notebook):
    # One execution (seconds each) checked by every helper below.
    outputs = run_notebook("00_orientation", **PARAMS)
    check_scores_table(outputs)
    check_summary(outputs)
    check_memo(outputs)
    check_debt_table(outputs)
    check_syllabus_and_catalogue(outputs)
    check_exercise_output(outputs)
    for name in ("readiness_profile", "debt_risk_map"):
        assert (outputs / f"{name}.png").stat().st_size > 10_000


def check_scores_table(outputs):
    t = pd.read_csv(outputs / "readiness_scores.csv")
    assert t["layer"].tolist() == LAYERS
    expected = [PARAMS[f"{layer.lower()}_score"] for layer in LAYERS]
    np.testing.assert_allclose(t["score"], expected)
    w = np.array(PARAMS["layer_weights"])
    np.testing.assert_allclose(t["weight"], w / w.sum())


def check_summary(outputs):
    s = pd.read_csv(outputs / "readiness_summary.csv").iloc[0]
    scores = [PARAMS[f"{layer.lower()}_score"] for layer in LAYERS]
    # Course reading of f: weighted mean; Mathematical Lens: Deployment ≤ min(layers).
    assert s["readiness_score"] == pytest.approx(np.average(scores, weights=PARAMS["layer_weights"]), abs=1e-12)
    assert s["deployment_bound"] == pytest.approx(min(scores))
    assert s["weakest_layer"] == "Governance"
    assert s["go_threshold"] == 0.5


def check_memo(outputs):
    memo = (outputs / "readiness_memo.md").read_text(encoding="utf-8")
    assert "**Decision: NO-GO**" in memo
    assert "weakest layer **Governance** at 0.3 is below the go threshold 0.5" in memo
    assert "Raise **Governance** from 0.3 to at least 0.5" in memo
    assert "Raise **Reliability**" not in memo  # 0.95 ≥ 0.5


def check_debt_table(outputs):
    t = pd.read_csv(outputs / "debt_risks.csv")
    risk = t["technical_debt"] * t["criticality"]  # the article's technical-debt table
    np.testing.assert_allclose(t["weighted_risk"], risk)
    r = risk.round(12)
    expected = np.where(r >= 0.35, "high", np.where(r >= 0.25, "medium", "low"))
    assert t["priority"].tolist() == expected.tolist()
    assert t["weighted_risk"].is_monotonic_decreasing


def check_syllabus_and_catalogue(outputs):
    syl = pd.read_csv(outputs / "syllabus.csv")
    assert syl["notebook"].tolist() == [c.stem for c in SYLLABUS]
    counts = {c.stem: sum(f.notebook == c.stem for f in FORMULAS) for c in SYLLABUS}
    assert dict(zip(syl["notebook"], syl["formulas"])) == counts
    cat = pd.read_csv(outputs / "datasets.csv")
    assert cat["data set"].tolist() == list(DATASETS)
    assert cat["licence"].tolist() == [d.licence for d in DATASETS.values()]
    assert (cat["size (KB)"] >= 0).all()



def check_exercise_output(outputs):
    # Exercise 1 raises every layer below go_threshold to it: the bound becomes the threshold.
    import nbformat

    nb = nbformat.read(outputs.parent / "executed" / "00_orientation.ipynb", as_version=4)
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    scores = [PARAMS[f"{layer.lower()}_score"] for layer in LAYERS]
    raised = [max(x, PARAMS["go_threshold"]) for x in scores]
    before = np.average(scores, weights=PARAMS["layer_weights"])
    after = np.average(raised, weights=PARAMS["layer_weights"])
    assert f"bound 0.30 → 0.50; readiness {before:.3f} → {after:.3f}" in text


def test_at_a_lenient_threshold_the_memo_blocks_on_debt_alone_and_the_article_tables_hold(run_notebook):
    # Issue 12: go_threshold=0.5 at the default profile gave "NO-GO … meets the go threshold".
    outputs = run_notebook("00_orientation", go_threshold=0.5)
    memo = (outputs / "readiness_memo.md").read_text(encoding="utf-8")
    decision = next(line for line in memo.splitlines() if line.startswith("**Decision"))
    assert decision.startswith("**Decision: NO-GO**") and "meets" not in decision and "below" not in decision
    assert "high-priority debt" in decision and "Raise **" not in memo
    # The article's Python workflow: seven-input readiness table, mean 0.78 (computed here with pandas).
    lens = pd.read_csv(outputs / "article_readiness_lens.csv")
    assert lens["lens dimension"].tolist() == ["Data", "Compute", "Storage", "Serving", "Observability",
                                               "Security", "Governance"]
    assert round(lens["score"].mean(), 2) == 0.78
    # The article's R workflow: weighted_risk = debt × criticality, high ≥ 0.35 → observability 0.37
    # (0.42 × 0.88) and governance_controls 0.368 (0.40 × 0.92) are the two high items.
    comp = pd.read_csv(outputs / "article_component_risks.csv").set_index("component")
    np.testing.assert_allclose(comp["weighted_risk"], comp["technical_debt"] * comp["criticality"])
    assert round(comp.loc["observability", "weighted_risk"], 2) == 0.37
    assert round(comp.loc["governance_controls", "weighted_risk"], 3) == 0.368
    assert sorted(comp.index[comp["priority"] == "high"]) == ["governance_controls", "observability"]
    for name in ("article_readiness_lens", "readiness_profile", "debt_risk_map"):
        assert (outputs / f"{name}.alt.txt").read_text(encoding="utf-8").strip()


def test_all_zero_layer_weights_are_refused_with_a_message_that_says_why(run_notebook):
    with pytest.raises(AssertionError, match="every weight is 0"):
        run_notebook("00_orientation", layer_weights=[0.0] * 6)
