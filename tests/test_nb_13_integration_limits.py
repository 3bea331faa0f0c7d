"""Notebook 13_integration_limits run with non-default parameters; its outputs are checked against
values computed here independently: Π(1 − p^{r+1}) over the article's nine pipeline tasks, min and
brute-force raises for the weakest-layer bound, the α-β ring all-reduce 2(n−1)/n · M/B (Patarasuk &
Yuan 2009), C = 6ND (Kaplan et al. 2020) for the energy row, and the formula registry for the lens."""

from __future__ import annotations

import numpy as np
import pandas as pd

from infra_lab.article import pipeline_tasks
from infra_lab.limits import LENS_FORMULAS
from infra_lab.syllabus import FORMULAS

PARAMS = dict(data_score=0.9, compute_score=0.85, storage_score=0.95, serving_score=0.88, governance_score=0.93,
              pipeline_retries=0, target_bound=0.9, improvement=0.1, monitored_signals=["metrics"],
              model_parameters_billion=70.0, allreduce_workers=16, link_bandwidth_gb_per_s=100.0, mfu=0.5, pue=1.1)
LAYERS = ["Data", "Compute", "Storage", "Serving", "Reliability", "Governance"]


def test_notebook_outputs_match_independent_computation(run_notebook):
    out = run_notebook("13_integration_limits", **PARAMS)

    p = pipeline_tasks()["failure_probability"].to_numpy()
    reliability = float(np.prod(1 - p))                       # ≈ 0.7516, the article's pipeline summary
    scores = [0.9, 0.85, 0.95, 0.88, reliability, 0.93]
    t = pd.read_csv(out / "layer_bound_analysis.csv")
    assert t["layer"].tolist() == LAYERS
    np.testing.assert_allclose(t["score"], scores)
    for i, layer in enumerate(LAYERS):
        raised = list(scores)
        raised[i] = min(raised[i] + 0.1, 1.0)
        assert abs(t.loc[i, "bound_gain_if_raised"] - (min(raised) - min(scores))) < 1e-12
        assert abs(t.loc[i, "shortfall_to_target"] - max(0.0, 0.9 - scores[i])) < 1e-12

    ch = pd.read_csv(out / "challenges.csv").set_index("challenge")["value"]
    assert ch["compute scarcity"] == "1 of 4"                # gpu_pool_b: 14/16 = 0.875 > 0.85
    m = 2 * 70e9
    assert abs(float(ch["data movement"]) - 2 * 15 / 16 * m / 100e9) < 1e-3
    assert abs(float(ch["pipeline brittleness"]) - (1 - reliability)) < 1e-3
    assert ch["observability gaps"] == "4 of 5"
    flops = 6 * 70e9 * 20 * 70e9
    mwh = flops / (989.4e12 * 0.5) / 3600 * 700 * 1.1 / 1e6   # H200 bf16 dense peak, 700 W TDP
    assert abs(float(ch["energy and cooling"].replace(",", "")) - mwh) < 0.06
    assert ch["governance lag"] == "governance_controls = 0.72"

    lens = pd.read_csv(out / "mathematical_lens.csv")
    by_key = {f.key: f for f in FORMULAS}
    assert lens["key"].tolist() == [k for _, k in LENS_FORMULAS]
    assert lens["function"].tolist() == [by_key[k].function for _, k in LENS_FORMULAS]
    assert (out / "weakest_layer_bound.png").stat().st_size > 10_000
