r"""Operating a pipeline: how fresh its output is, and how long a backfill takes.

* :func:`pipeline_freshness` — staleness of a batch, micro-batch or streaming pipeline's
  output: data wait for the next run, then for its processing.
* :func:`backfill_duration` — wall-clock time to re-run many past partitions when an
  orchestrator runs at most a fixed number of runs at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from infra_lab._checks import count, nonnegative, positive, scalar_or_array
from infra_lab._results import Result

__all__ = ["Freshness", "pipeline_freshness", "Backfill", "backfill_duration"]


@dataclass(frozen=True)
class Freshness(Result):
    """Staleness of a pipeline's output at the moment it is read.

    Attributes
    ----------
    worst_minutes : float or ndarray
        Age of the oldest unpublished record just before a run's results land, minutes:
        ``interval_minutes + processing_minutes``.
    mean_minutes : float or ndarray
        Average age over records arriving uniformly in time, minutes:
        ``interval_minutes / 2 + processing_minutes``.

    See Also
    --------
    pipeline_freshness : computes it.
    """

    worst_minutes: Any
    mean_minutes: Any


def pipeline_freshness(interval_minutes: Any, processing_minutes: Any) -> Freshness:
    r"""Worst-case and mean staleness of a pipeline that runs every ``interval_minutes``.

    A record that arrives just after a run starts waits a whole interval for the next run,
    then that run's processing time; one arriving just before waits only the processing:

    .. math::
        staleness_{worst} = \Delta + t_{proc}, \qquad
        staleness_{mean} = \Delta / 2 + t_{proc}

    (records arriving uniformly in time). A daily batch has :math:`\Delta` = 1440 minutes,
    a micro-batch minutes or seconds, a streaming pipeline :math:`\Delta \to 0`, which leaves
    only the per-record processing latency. A freshness SLA of *S* minutes holds for every
    record when :math:`\Delta + t_{proc} \le S`. Broadcasts over arrays.

    Parameters
    ----------
    interval_minutes : float or array_like
        Time between run starts :math:`\Delta`, minutes; ≥ 0 (0 for record-at-a-time streaming).
    processing_minutes : float or array_like
        Time from a run's start until its results are readable :math:`t_{proc}`, minutes; ≥ 0.

    Returns
    -------
    Freshness

    See Also
    --------
    backfill_duration : re-running past intervals.

    References
    ----------
    M. Kleppmann, *Designing Data-Intensive Applications* (O'Reilly, 2017), Chapter 10
    (batch processing) and Chapter 11 (stream processing, "Microbatching and checkpointing":
    a micro-batch's size trades latency for overhead).

    Examples
    --------
    An hourly batch that takes 20 minutes, and a 5-minute micro-batch that takes 2:

    >>> f = pipeline_freshness([60, 5], [20, 2])
    >>> f.worst_minutes.tolist(), f.mean_minutes.tolist()
    ([80.0, 7.0], [50.0, 4.5])
    """
    interval = nonnegative("interval_minutes", interval_minutes)
    processing = nonnegative("processing_minutes", processing_minutes)
    worst = interval + processing
    mean = interval / 2 + processing
    return Freshness(worst_minutes=scalar_or_array(np.asarray(worst, dtype=float)),
                     mean_minutes=scalar_or_array(np.asarray(mean, dtype=float)))


@dataclass(frozen=True)
class Backfill(Result):
    """How long a backfill takes.

    Attributes
    ----------
    waves : int or ndarray of int
        Rounds of concurrent runs, :math:`\\lceil n / c \\rceil`.
    duration_minutes : float or ndarray
        Wall-clock time, minutes: ``waves * run_minutes``.

    See Also
    --------
    backfill_duration : computes it.
    """

    waves: Any
    duration_minutes: Any


def backfill_duration(partitions: Any, run_minutes: Any, max_active_runs: Any) -> Backfill:
    r"""Wall-clock time to re-run ``partitions`` past intervals, at most ``max_active_runs`` at once.

    A backfill creates one run per past interval (a *partition*: a day, an hour). With runs
    of equal length and a cap *c* on concurrent runs, they go in waves:

    .. math:: T_{backfill} = \lceil n / c \rceil \cdot t_{run}

    This is a lower bound: it assumes the cap, not the cluster, is the bottleneck (shared
    databases, API quotas and worker slots usually bind first) and that the backfill does
    not compete with the regular schedule.

    Parameters
    ----------
    partitions : int or array_like of int
        Past intervals to re-run *n*; ≥ 0.
    run_minutes : float or array_like
        Wall-clock time of one run :math:`t_{run}` (its critical path), minutes; > 0.
    max_active_runs : int or array_like of int
        Runs the orchestrator lets run at once *c* (Airflow's ``max_active_runs``); ≥ 1.

    Returns
    -------
    Backfill

    See Also
    --------
    pipeline_freshness : the staleness a backfill repairs.
    critical_path : the wall-clock time of one run.

    References
    ----------
    Apache Airflow documentation, "DAG Runs", Section "Backfill" (one DAG run per past
    logical date; ``max_active_runs`` caps how many run at once).

    Examples
    --------
    Ninety daily partitions of a 231-minute run, eight at a time: 12 waves, 46.2 hours.

    >>> b = backfill_duration(90, 231, 8)
    >>> int(b.waves), float(b.duration_minutes) / 60
    (12, 46.2)
    """
    n = count("partitions", partitions)
    t = positive("run_minutes", run_minutes)
    c = count("max_active_runs", max_active_runs, minimum=1)
    waves = -(-n // c)
    duration = waves * t
    return Backfill(waves=scalar_or_array(np.asarray(waves)), duration_minutes=scalar_or_array(np.asarray(duration, dtype=float)))
