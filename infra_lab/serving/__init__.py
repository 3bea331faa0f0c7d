"""Serving: capacity, queueing theory, queue simulation and deployment.

Parts, one topic each:

- :mod:`~infra_lab.serving.capacity` — the article's worked example: replicas, capacity, latency budget, service table.
- :mod:`~infra_lab.serving.queueing` — Little's law, Erlang B/C, M/M/c, M/M/1, M/G/1 and replicas for a latency SLO.
- :mod:`~infra_lab.serving.simulation` — the FIFO queue simulator, Poisson/exponential inputs, batch-means intervals.
- :mod:`~infra_lab.serving.deployment` — canary detection power and network (fibre) latency.

Every name of the parts is importable from here, as before the split
(``from infra_lab.serving import erlang_c``). The article's table of deployment strategies
lives in :mod:`infra_lab.article` and is re-exported here for old imports.
"""

from __future__ import annotations

import warnings
from typing import Any

from infra_lab.article import deployment_strategies  # noqa: F401  (re-export for old imports)

from . import capacity, deployment, queueing, simulation
from .capacity import LatencyBudget, latency_budget, required_replicas, service_table, serving_capacity_rps
from .deployment import FIBRE_US_PER_KM, canary_detection_probability, network_latency_ms
from .queueing import (
    MG1Result, MMcResult, ReplicaSlots, erlang_b, erlang_c, littles_law, mg1, mm1, mmc, replica_slots,
    replicas_for_slo, slot_replicas_for_slo,
)
from .simulation import (
    ConfidenceInterval, QueueSimulation, batch_means_ci, exponential_service, poisson_arrivals, simulate_queue,
)

__all__ = [*capacity.__all__, *queueing.__all__, *simulation.__all__, *deployment.__all__]


def __getattr__(name: str) -> Any:
    # The simulator's result class was called SimulationResult, like pipelines' class of that
    # name; the old name stays readable for one release.
    if name == "SimulationResult":
        warnings.warn("SimulationResult is deprecated; use QueueSimulation", DeprecationWarning, stacklevel=2)
        return QueueSimulation
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
