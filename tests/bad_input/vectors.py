"""Bad-input matrix of infra_lab.vectors: every parameter of every public function."""

from __future__ import annotations

import numpy as np

from contract_matrix import WRONG_TYPE, Call, Count, Custom, Data, Seed

V = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0], [5.0, 6.0]])
Q = np.array([[0.9, 0.1], [5.5, 5.5]])


def _index():
    from infra_lab.vectors import build_ivf
    return build_ivf(V, n_lists=2, seed=0)


_WRONG_COLUMNS = [("wrong-column-count", np.zeros((2, 3)))]

CASES = [
    Call("infra_lab.vectors.standardize",
         X=Data(V)),
    Call("infra_lab.vectors.exact_knn",
         vectors=Data(V),
         queries=Custom(Q, bad_values=[("empty", []), ("nan-inside", [[np.nan, 0.0]]), ("bool", True),
                                       ("wrong-type", WRONG_TYPE), ("none", None)] + _WRONG_COLUMNS),
         k=Count(2, minimum=1, maximum=6)),
    Call("infra_lab.vectors.build_ivf",
         vectors=Data(V),
         n_lists=Count(2, minimum=1, maximum=6),
         n_iter=Count(5, minimum=1, maximum=1000),
         seed=Seed(0)),
    Call("infra_lab.vectors.ivf_search",
         index=Custom(_index(), bad_values=[("wrong-type", WRONG_TYPE), ("array", V), ("none", None)]),
         queries=Custom(Q, bad_values=[("empty", []), ("nan-inside", [[np.nan, 0.0]]), ("bool", True),
                                       ("wrong-type", WRONG_TYPE), ("none", None)] + _WRONG_COLUMNS),
         k=Count(2, minimum=1, maximum=6),
         n_probe=Count(1, minimum=1, maximum=2)),
    Call("infra_lab.vectors.recall_at_k",
         found_ids=Custom([[1, 0], [3, 4]], bad_values=[("empty", []), ("nan-inside", [[np.nan, 0], [3, 4]]),
                                                        ("below", [[-2, 0], [3, 4]]), ("fraction", [[0.5, 0], [3, 4]]),
                                                        ("wrong-shape", [[1, 0, 2], [3, 4, 5]]),
                                                        ("wrong-type", WRONG_TYPE), ("none", None), ("bool", True)]),
         true_ids=Custom([[1, 0], [3, 5]], bad_values=[("empty", []), ("nan-inside", [[np.nan, 0], [3, 5]]),
                                                       ("below", [[-1, 0], [3, 5]]), ("fraction", [[0.5, 0], [3, 5]]),
                                                       ("wrong-type", WRONG_TYPE), ("none", None), ("bool", True)])),
]

EXEMPT: dict[str, str] = {}
NOT_A_FORMULA: dict[str, str] = {}
NO_SEE_ALSO: dict[str, str] = {}
