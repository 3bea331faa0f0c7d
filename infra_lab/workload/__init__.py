r"""Real workloads: arrival bursts, autoscaling replay, batching and LLM serving capacity.

The article sizes a service from averages — :math:`Replicas = \lceil Q / Throughput \rceil`
(``infra_lab.serving.required_replicas``). Real traffic is not an average. This package
measures real request traces and turns measured accelerator numbers into capacity. Its parts:

* :mod:`~infra_lab.workload.arrivals` — arrival times, per-interval rates, index of dispersion and burstiness.
* :mod:`~infra_lab.workload.autoscaling` — a Kubernetes-HPA-like autoscaler replayed on a trace, with cold starts.
* :mod:`~infra_lab.workload.batching` — the best batch under a latency budget and the wait for a batch to fill.
* :mod:`~infra_lab.workload.steps` — prefill and decode step times from measurements, bytes per step and the memory floor.
* :mod:`~infra_lab.workload.llm` — LLM traces in one schema, service demand and replicas for TTFT/TPOT SLOs.

Queueing formulas are never re-derived here: they come from :mod:`infra_lab.serving`.
Every name of the old single module ``infra_lab.workload`` still imports from here.

>>> import numpy as np
>>> t = np.array([0.1, 0.2, 0.3, 1.5, 3.2])
>>> arrival_rates(t, interval_s=1.0)["count"].tolist()
[3, 1, 0, 1]
"""

from __future__ import annotations

from . import arrivals, autoscaling, batching, llm, steps
from .arrivals import *  # noqa: F401,F403
from .arrivals import arrival_seconds  # noqa: F401  (deprecated alias, not in __all__)
from .autoscaling import *  # noqa: F401,F403
from .batching import *  # noqa: F401,F403
from .llm import *  # noqa: F401,F403
from .steps import *  # noqa: F401,F403
from .steps import KV_BYTES_PER_TOKEN_7B, decode_bytes_per_step  # noqa: F401  (constant; deprecated alias)

__all__ = [*arrivals.__all__, *autoscaling.__all__, *batching.__all__, *steps.__all__, *llm.__all__]
