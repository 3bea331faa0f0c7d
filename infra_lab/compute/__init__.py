r"""Compute: training FLOPs, compute-optimal sizing, time, utilisation, memory, energy and cost.

The article's section "Compute Systems: CPUs, GPUs, TPUs, and Accelerators" says a training
run needs compute C ≈ k·N·D and that pools should run near, but not above, a utilisation
target. Each statement gets a formula with a published source, in four parts and a data
sheet:

* ``flops`` — training FLOPs (C ≈ 6·N·D, per token with attention) and Chinchilla sizing;
* ``utilization`` — training time, device-hours, devices for a deadline, MFU, the cluster table;
* ``memory`` — model-state bytes under ZeRO, the roofline and its ridge point;
* ``energy`` — energy of a phase, and energy, cost and CO₂ of a run;
* ``hardware`` — the measured H200's facts and datasheet peaks (:func:`h200_specs`).

Units are in the names: ``_flops`` is a count of floating-point operations, ``_flop_per_s``
a rate, ``_bytes`` bytes (GB = 1e9 bytes, as in the ZeRO paper), ``_w`` watts, ``_j``
joules, ``_kwh`` kilowatt-hours, ``_usd`` US dollars. ``from infra_lab.compute import
training_flops`` keeps working; the old names ``training_time_seconds``,
``roofline_attainable_flops`` and ``energy_joules`` are deprecated aliases for one release.

>>> training_flops(175e9, 300e9) / 1e23     # GPT-3: 6·N·D
3.15
>>> round(training_time_s(3.15e23, 1024, 312e12, 0.5) / 86400, 1)
22.8
"""

from __future__ import annotations

from . import energy, flops, hardware, memory, utilization
from .energy import *  # noqa: F401,F403 - the package re-exports its parts' public API
from .energy import energy_joules  # noqa: F401 - deprecated alias, not in __all__
from .flops import *  # noqa: F401,F403
from .hardware import *  # noqa: F401,F403
from .memory import *  # noqa: F401,F403
from .memory import roofline_attainable_flops  # noqa: F401 - deprecated alias
from .utilization import *  # noqa: F401,F403
from .utilization import SECONDS_PER_HOUR, training_time_seconds  # noqa: F401 - deprecated alias

__all__ = [*flops.__all__, *utilization.__all__, *memory.__all__, *energy.__all__, *hardware.__all__]
