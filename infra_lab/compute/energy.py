r"""Energy, cost and CO₂ of a computation.

* energy of a phase at a mean power, E = P·t (the Zeus traces);
* facility energy, cost and emissions of a run from its device-hours (PUE, price per
  device-hour, grid carbon intensity).

>>> energy_j(3600.0, 700.0) / 3.6e6        # one hour at 700 W is 0.7 kWh
0.7
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import count, finite_result, fraction, nonnegative, number, positive, scalar_or_array
from .._results import Result
from infra_lab._deprecation import deprecated_alias

__all__ = ["energy_j", "RunEnergyCost", "run_energy_cost"]


def energy_j(duration_s: Any, power_w: Any) -> Any:
    r"""Energy of a phase at a mean power (J = W·s).

    .. math:: E = P \cdot t

    Used for the Zeus traces: energy per epoch = time per epoch × average power.

    Parameters
    ----------
    duration_s : float or array_like
        t, duration (s), ≥ 0 and finite.
    power_w : float or array_like
        P, mean power over that duration (W), ≥ 0 and finite.

    Returns
    -------
    float or ndarray
        E in joules (divide by 3.6e6 for kWh).

    See Also
    --------
    run_energy_cost : energy of a whole run from device-hours, with PUE, cost and CO₂.

    References
    ----------
    You, Chung and Chowdhury, "Zeus: Understanding and Optimizing GPU Energy Consumption of
    DNN Training", NSDI 2023 (energy = time × average power; the trace's ``time_per_epoch``
    and ``average_power`` columns). BIPM, *The International System of Units* (SI Brochure),
    9th ed., 2019, Table 4 (W = J/s).

    Examples
    --------
    >>> energy_j([10.0, 20.0], 250.0).tolist()
    [2500.0, 5000.0]
    """
    t = nonnegative("duration_s", duration_s)
    p = nonnegative("power_w", power_w)
    return finite_result("energy_j", scalar_or_array(t * p), "duration_s × power_w is too large for a float")


@dataclass(frozen=True)
class RunEnergyCost(Result):
    """Energy, cost and emissions of a run.

    Attributes
    ----------
    gpu_hours : float or ndarray
        Device-hours.
    it_energy_kwh : float or ndarray
        Energy drawn by the devices (kWh) = GPU-hours × W / 1000.
    energy_kwh : float or ndarray
        Facility energy (kWh) = IT energy × PUE.
    cost_usd : float, ndarray or None
        GPU-hours × price per GPU-hour (None without a price). A cloud price already
        includes power and cooling, so it is not added to the energy.
    co2_kg : float, ndarray or None
        Facility energy × carbon intensity (None without an intensity).

    See Also
    --------
    run_energy_cost : returns it.
    """

    gpu_hours: Any
    it_energy_kwh: Any
    energy_kwh: Any
    cost_usd: Any
    co2_kg: Any


def run_energy_cost(
    gpu_hours: Any,
    power_w: Any,
    pue: Any = 1.0,
    price_usd_per_hour: Any = None,
    carbon_kg_per_kwh: Any = None,
) -> RunEnergyCost:
    r"""Energy, cost and CO₂ of a run from its device-hours.

    .. math::
        E_{IT} = h \cdot P / 1000\ \text{kWh},\quad E = PUE \cdot E_{IT},\quad
        \$ = h \cdot price,\quad CO_2 = E \cdot CI

    PUE (power usage effectiveness) is facility energy ÷ IT energy, ≥ 1. ``power_w`` should
    be the mean measured board power under the workload (e.g. the H200's ~690 W during bf16
    matrix products), not the TDP.

    Parameters
    ----------
    gpu_hours : float or array_like
        Device-hours, ≥ 0 and finite (see :func:`gpu_hours`).
    power_w : float or array_like
        Mean power per device (W), ≥ 0 and finite.
    pue : float or array_like, default 1.0
        Power usage effectiveness, ≥ 1 and finite.
    price_usd_per_hour : float or array_like, optional
        USD per device-hour, ≥ 0 and finite.
    carbon_kg_per_kwh : float or array_like, optional
        Grid carbon intensity (kg CO₂e per kWh), ≥ 0 and finite.

    Returns
    -------
    RunEnergyCost

    See Also
    --------
    gpu_hours : the device-hours of a computation.
    energy_j : energy of one phase.

    References
    ----------
    Thoppilan et al., "LaMDA: Language Models for Dialog Applications", arXiv:2201.08239, 2022,
    §10 (57.7 days × 1024 chips × 289 W × PUE 1.10 = 451 MWh; 0.056 kg CO₂e/kWh → 25.2 t).
    Patterson et al., "Carbon Emissions and Large Neural Network Training", arXiv:2104.10350,
    2021 (energy × PUE × carbon intensity). The Green Grid, White Paper #49, "PUE: A
    Comprehensive Examination of the Metric", 2012 (PUE = facility ÷ IT energy).

    Examples
    --------
    1000 GPU-hours at 690 W, PUE 1.1, $10.60 per GPU-hour, 0.4 kg CO₂e/kWh:

    >>> r = run_energy_cost(1000, 690, pue=1.1, price_usd_per_hour=10.6, carbon_kg_per_kwh=0.4)
    >>> r.it_energy_kwh, round(r.energy_kwh, 1), round(r.cost_usd, 2), round(r.co2_kg, 2)
    (690.0, 759.0, 10600.0, 303.6)
    """
    h = nonnegative("gpu_hours", gpu_hours)
    w = nonnegative("power_w", power_w)
    e = number("pue", pue, low=1.0)   # facility energy ÷ IT energy
    it_kwh = finite_result("run_energy_cost", h * w / 1000.0, "gpu_hours × power_w is too large")
    facility = finite_result("run_energy_cost", it_kwh * e, "gpu_hours × power_w × pue is too large")
    cost = None
    if price_usd_per_hour is not None:
        price = nonnegative("price_usd_per_hour", price_usd_per_hour)
        cost = scalar_or_array(finite_result("run_energy_cost", h * price,
                                             "gpu_hours × price_usd_per_hour is too large"))
    co2 = None
    if carbon_kg_per_kwh is not None:
        ci = nonnegative("carbon_kg_per_kwh", carbon_kg_per_kwh)
        co2 = scalar_or_array(finite_result("run_energy_cost", facility * ci,
                                            "energy × carbon_kg_per_kwh is too large"))
    return RunEnergyCost(scalar_or_array(h), scalar_or_array(it_kwh), scalar_or_array(facility), cost, co2)


energy_joules = deprecated_alias("energy_joules", energy_j)


@dataclass(frozen=True)
class ReservedRunCost(Result):
    """Time, energy and cost of a run on a block of GPUs reserved for a fixed window.

    Attributes
    ----------
    training_s : float or ndarray
        Wall-clock time of the computation on the reserved GPUs (s).
    meets_deadline : bool or ndarray of bool
        Whether ``training_s`` ≤ the reserved window.
    billed_s : float or ndarray
        Time the reservation is billed: max(training time, window) (s).
    busy_gpu_hours : float or ndarray
        GPU-hours spent computing, C / (P_peak · MFU · 3600) — independent of the GPU count.
    idle_gpu_hours : float or ndarray
        GPU-hours reserved but idle, n · billed / 3600 − busy.
    energy_kwh : float or ndarray
        Facility energy (kWh): (busy · P_busy + idle · P_idle) · PUE / 1000.
    cost_usd : float or ndarray
        n · billed hours · price per GPU-hour.
    co2_kg : float or ndarray
        Facility energy × carbon intensity.

    See Also
    --------
    reserved_run_cost : returns it.
    run_energy_cost : the pay-per-use case, where only busy GPU-hours are billed.
    """

    training_s: Any
    meets_deadline: Any
    billed_s: Any
    busy_gpu_hours: Any
    idle_gpu_hours: Any
    energy_kwh: Any
    cost_usd: Any
    co2_kg: Any


def reserved_run_cost(
    compute_flops: Any,
    gpus: Any,
    peak_flop_per_s: Any,
    mfu: Any,
    window_s: Any,
    busy_power_w: Any,
    idle_power_w: Any,
    price_usd_per_hour: Any,
    pue: Any = 1.0,
    carbon_kg_per_kwh: Any = 0.0,
) -> ReservedRunCost:
    r"""Cost and energy of training on ``gpus`` GPUs reserved for a window (a deadline).

    .. math::
        T = \frac{C}{n\,P_{peak}\,MFU},\quad T_{bill} = \max(T, W),\quad
        h_{busy} = \frac{C}{P_{peak}\,MFU\,3600},\quad h_{idle} = \frac{n\,T_{bill}}{3600} - h_{busy}

    .. math::
        E = PUE\,(h_{busy} P_{busy} + h_{idle} P_{idle}) / 1000,\quad
        \$ = n\,\frac{T_{bill}}{3600}\,price

    With pay-per-use billing the GPU count changes only the time (:func:`run_energy_cost`).
    A reservation is paid for the whole window, and its GPUs draw idle power once the run
    is done, so here cost and energy grow with ``gpus`` beyond the smallest count that meets
    the deadline, and too few GPUs miss it (the run then bills until it ends).

    Parameters
    ----------
    compute_flops : float or array_like
        C, training compute (FLOPs), ≥ 0 and finite.
    gpus : int or array_like of int
        n, GPUs reserved, ≥ 1.
    peak_flop_per_s : float or array_like
        Peak throughput per GPU (FLOP/s), > 0 and finite.
    mfu : float or array_like
        Model FLOPs utilisation, in (0, 1].
    window_s : float or array_like
        W, the reserved window (the deadline), seconds, > 0 and finite.
    busy_power_w : float or array_like
        Mean board power while computing (W), ≥ 0 and finite.
    idle_power_w : float or array_like
        Mean board power while idle (W), ≥ 0 and finite (the H200 measured ~80 W).
    price_usd_per_hour : float or array_like
        USD per reserved GPU-hour, ≥ 0 and finite.
    pue : float or array_like, default 1.0
        Power usage effectiveness, ≥ 1 and finite.
    carbon_kg_per_kwh : float or array_like, default 0.0
        Grid carbon intensity (kg CO₂e per kWh), ≥ 0 and finite.

    Returns
    -------
    ReservedRunCost

    See Also
    --------
    run_energy_cost : pay-per-use energy and cost from busy GPU-hours.
    devices_for_deadline : the smallest GPU count that meets a deadline.

    References
    ----------
    Narayanan et al., "Efficient Large-Scale Language Model Training on GPU Clusters Using
    Megatron-LM", SC 2021, §5.1 (Eq. 4: end-to-end training time ≈ 8TP/(nX), the T = C/(n·X)
    relation used here). Patterson et al., "Carbon Emissions and Large Neural Network
    Training", arXiv:2104.10350, 2021 (energy = hours × power × PUE; CO₂ = energy × intensity).

    Examples
    --------
    1e21 FLOPs at 40 % of 989.4 TFLOP/s on 8 GPUs reserved for one day, 690 W busy, 80 W idle,
    $10 per GPU-hour: 702 busy GPU-hours take 87.7 h on 8 GPUs and miss the day; 32 GPUs meet
    it (21.9 h) and pay for 32 × 24 h; 64 GPUs meet it too and pay twice as much:

    >>> r = reserved_run_cost(1e21, 8, 989.4e12, 0.4, 86400, 690, 80, 10.0)
    >>> round(r.training_s / 3600, 1), bool(r.meets_deadline), round(r.cost_usd)
    (87.7, False, 7019)
    >>> r = reserved_run_cost(1e21, [32, 64], 989.4e12, 0.4, 86400, 690, 80, 10.0)
    >>> r.meets_deadline.tolist(), r.cost_usd.round().tolist()
    ([True, True], [7680.0, 15360.0])
    """
    c = nonnegative("compute_flops", compute_flops)
    n = count("gpus", gpus, minimum=1).astype(float)
    p = positive("peak_flop_per_s", peak_flop_per_s)
    u = fraction("mfu", mfu, low_open=True)
    w = positive("window_s", window_s)
    pb = nonnegative("busy_power_w", busy_power_w)
    pi = nonnegative("idle_power_w", idle_power_w)
    price = nonnegative("price_usd_per_hour", price_usd_per_hour)
    e = number("pue", pue, low=1.0)
    ci = nonnegative("carbon_kg_per_kwh", carbon_kg_per_kwh)
    busy_h = finite_result("reserved_run_cost", c / (p * u) / 3600.0, "compute_flops / (peak × mfu) is too large")
    t = busy_h * 3600.0 / n
    billed = np.maximum(t, w)
    idle_h = np.maximum(n * billed / 3600.0 - busy_h, 0.0)
    energy = finite_result("reserved_run_cost", e * (busy_h * pb + idle_h * pi) / 1000.0, "energy is too large")
    cost = finite_result("reserved_run_cost", n * billed / 3600.0 * price, "cost is too large")
    return ReservedRunCost(scalar_or_array(t), scalar_or_array(t <= w * (1 + 1e-12)), scalar_or_array(billed),
                           scalar_or_array(busy_h), scalar_or_array(idle_h), scalar_or_array(energy),
                           scalar_or_array(cost), scalar_or_array(energy * ci))


__all__ += ["ReservedRunCost", "reserved_run_cost"]
