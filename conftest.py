"""Root pytest configuration: shared by the doctests in infra_lab/ and the tests in tests/."""

import numpy as np

# Doctests show numbers the way a reader writes them (8, 0.85), not numpy 2's
# np.int64(8) / np.float64(0.85).
np.set_printoptions(legacy="1.25")
