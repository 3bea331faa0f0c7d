"""Bad-input cases for infra_lab.trends (compute growth over the Epoch AI models)."""

import numpy as np

from contract_matrix import Call, Data, Num

YEARS = np.array([2012.0, 2014.5, 2016.0, 2018.25, 2020.0, 2022.5])
FLOP = 1e18 * 10.0 ** (0.55 * (YEARS - 2012.0)) * np.array([1.0, 3.0, 0.5, 2.0, 0.7, 1.2])

CASES = [
    Call("infra_lab.trends.compute_growth",
         decimal_year=Data(YEARS, low=1900, high=2100, min_size=3),
         training_compute_flops=Data(FLOP, low=0, low_open=True, min_size=3),
         confidence=Num(0.95, low=0, high=1, low_open=True, high_open=True)),
]
EXEMPT: dict[str, str] = {}
