r"""Parallel and distributed computation: speedup laws, communication, stragglers.

The article's *Mathematical Lens* gives two formulas for this chapter: data-parallel
training averages the workers' gradients, :math:`g_t = \frac{1}{n}\sum_i g_{t,i}`, and
parallel efficiency is :math:`E = T_1 / (n \cdot T_n)`. Around them, in three parts:

* ``scaling`` — speedup, efficiency, Amdahl, Gustafson, Karp–Flatt and a fit of Amdahl's law;
* ``communication`` — gradients and their average, ring all-reduce, nccl-tests bandwidths,
  pipeline bubbles;
* ``stragglers`` — the expected slowest worker, the slowdown it causes and the one observed;
* ``strategies`` — two-level all-reduce, tensor/ZeRO traffic, parameter servers, overlap,
  checkpoint intervals (Young/Daly) and activation memory.

Every formula function broadcasts over numpy arrays; scalars in give Python scalars out.
``from infra_lab.parallel import speedup`` keeps working; the old names
``ring_allreduce_seconds``, ``algorithm_bandwidth`` and ``bus_bandwidth`` are deprecated
aliases for one release.

>>> speedup(10.0, [10.0, 5.0, 2.5]).tolist()
[1.0, 2.0, 4.0]
"""

from __future__ import annotations

from . import communication, scaling, strategies, stragglers
from .communication import *  # noqa: F401,F403 - the package re-exports its parts' public API
from .communication import algorithm_bandwidth, bus_bandwidth, ring_allreduce_seconds  # noqa: F401 - deprecated
from .scaling import *  # noqa: F401,F403
from .stragglers import *  # noqa: F401,F403
from .strategies import *  # noqa: F401,F403

__all__ = [*scaling.__all__, *communication.__all__, *stragglers.__all__, *strategies.__all__]
