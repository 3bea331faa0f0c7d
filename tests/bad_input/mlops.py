"""Bad-input matrix of infra_lab.mlops. Each stateful call gets its own example store, so one
function's baseline call (a rollback, a retirement) cannot change another's starting state."""

import numpy as np
import pandas as pd

from contract_matrix import Call, Count, Custom, Data, Frame, Fresh, Num, Option, Prob, Seed, Text
from infra_lab.mlops import build_example_store

M = "infra_lab.mlops."


def store():
    # A new store for every call: a rollback or a retirement changes the store it is given.
    return Custom(Fresh(lambda: build_example_store(":memory:")), bad_values=[("wrong-type", "store.db"), ("none", None)])


def version(valid=2):
    return Custom(valid, bad_values=[("fraction", 1.5), ("bool", True), ("zero", 0), ("missing-row", 10**9),
                                     ("numeric-string", "2"), ("none", None), ("huge", 2**70)])


def name(valid):
    return Custom(valid, bad_values=[("wrong-type", 3), ("none", None), ("empty", ""), ("non-utf8", "\udcff")])


_rng = np.random.default_rng(0)
REF = pd.DataFrame({"x": _rng.normal(size=200)})
CUR = pd.DataFrame({"x": _rng.normal(0.5, 1, 200)})

CASES = [
    Call(M + "workflow.evaluate_candidate", store=store(), model_version_id=version(),
         y_true=Data(np.array([0, 0, 1, 1]), low=0, high=1),
         score=Custom(np.array([0.1, 0.4, 0.35, 0.8]), bad_values=[("empty", []), ("nan-inside", [np.nan, 0.4, 0.3, 0.8]),
                                                                   ("wrong-length", [0.1, 0.2]), ("bool", True),
                                                                   ("numeric-string", "8")]),
         min_auc=Prob(0.6), dataset_version_id=Count(None, minimum=1, none_ok=True)),
    Call(M + "workflow.promote", store=store(), model_version_id=version(), stage=Option("production"), reason=Custom(
        "", bad_values=[("wrong-type", 3), ("non-utf8", "\udcff")])),
    Call(M + "workflow.deploy", store=store(), model_version_id=version(), traffic_share=Prob(0.05), environment=name("production")),
    Call(M + "workflow.rollback", store=store(), model_name=name("flight-delay"), reason=name("canary failed"),
         environment=name("production")),
    Call(M + "workflow.retire", store=store(), model_version_id=version(1), reason=name("superseded")),
    Call(M + "monitoring.retraining_decision", psi=Data(np.array([0.02, 0.31]), low=0.0), auc_reference=Prob(0.64),
         auc_current=Prob(0.63), psi_threshold=Num(0.25, low=0.0, low_open=True), max_auc_drop=Prob(0.05)),
    Call(M + "monitoring.monitor_deployment", store=store(), deployment_id=version(3), reference_df=Frame(REF, columns=("x",)),
         current_df=Frame(CUR, columns=("x",)),
         columns=Custom(["x"], bad_values=[("empty", []), ("wrong-type", "x"), ("missing", ["nope"]), ("non-string", [3])]),
         auc_reference=Prob(0.64), auc_current=Prob(0.63), psi_threshold=Num(0.25, low=0.0, low_open=True),
         max_auc_drop=Prob(0.05)),
    Call(M + "reports.model_card", store=store(), model_version_id=version(1)),
    Call(M + "reports.build_example_store", path=Text(":memory:"), seed=Seed(2013)),
]

NOT_A_FORMULA = {
    "promote": "a workflow step with gates, no formula", "rollback": "a workflow step, no formula",
    "retire": "a workflow step, no formula", "model_card": "a report generator",
    "build_example_store": "builds example records",
}
