"""Bad-input matrix of infra_lab.stats: every parameter of every public function."""

from __future__ import annotations

import numpy as np

from contract_matrix import Call, Count, Data, Num, Seed

# Wikipedia, "Logistic regression", Section "Example": hours of study vs passing an exam.
HOURS = np.array([0.50, 0.75, 1.00, 1.25, 1.50, 1.75, 1.75, 2.00, 2.25, 2.50,
                  2.75, 3.00, 3.25, 3.50, 4.00, 4.25, 4.50, 4.75, 5.00, 5.50])[:, None]
PASSED = [0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1]
Y = [0, 0, 1, 1, 0, 1, 0, 1]

CASES = [
    Call("infra_lab.stats.fit_logistic",
         X=Data(HOURS),
         y=Data(PASSED, low=0, high=1),
         l2=Num(0.0, low=0),
         max_iter=Count(100, minimum=1),
         tol=Num(1e-10, low=0)),
    Call("infra_lab.stats.roc_auc",
         y_true=Data(Y, low=0, high=1),
         score=Data([0.1, 0.2, 0.6, 0.7, 0.3, 0.8, 0.4, 0.5])),
    Call("infra_lab.stats.paired_bootstrap_auc",
         y_true=Data(Y, low=0, high=1),
         score_a=Data([1.0, 2, 3, 4, 5, 6, 7, 8]),
         score_b=Data([1.0, 2, 6, 7, 3, 8, 4, 5]),
         n_boot=Count(20, minimum=10, maximum=1_000_000),
         seed=Seed(1),
         level=Num(0.9, low=0, high=1, low_open=True, high_open=True)),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
NO_SEE_ALSO: dict[str, str] = {}

CASES += [
    Call("infra_lab.stats.bootstrap_auc",
         y_true=Data(Y, low=0, high=1),
         score=Data([1.0, 2, 3, 4, 5, 6, 7, 8]),
         n_boot=Count(20, minimum=10, maximum=1_000_000),
         seed=Seed(1),
         level=Num(0.9, low=0, high=1, low_open=True, high_open=True)),
]
