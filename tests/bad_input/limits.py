"""Bad-input cases for infra_lab.limits."""

from contract_matrix import Call, Custom, Prob, WRONG_TYPE

NAN, INF = float("nan"), float("inf")
PROFILE = [0.8, 0.9, 0.7, 0.85, 0.6, 0.75]

CASES = [
    Call("infra_lab.limits.bound_analysis",
         layer_scores=Custom(PROFILE, bad_values=[
             ("empty", []), ("wrong-length", PROFILE[:5]), ("nan-inside", [NAN] + PROFILE[1:]),
             ("inf-inside", [INF] + PROFILE[1:]), ("above", [1.5] + PROFILE[1:]), ("below", [-0.1] + PROFILE[1:]),
             ("numeric-string", "8"), ("bool", True), ("none", None), ("wrong-type", WRONG_TYPE),
             ("mapping-missing-layer", {"Data": 0.5})]),
         target=Prob(0.8), improvement=Prob(0.05)),
]
EXEMPT: dict[str, str] = {}
NOT_A_FORMULA = {"mathematical_lens": "a table read from the formula registry, not a formula"}
