r"""Reliability: the article's :math:`Reliability = 1 - P(Failure)`, composed, repaired and budgeted.

Parts
-----
- ``composition`` — series, parallel (redundancy), k-of-n, retries and retry amplification.
- ``repair`` — availability from MTBF and MTTR, MTBF from observed failures, nines, downtime.
- ``slo`` — error budgets, burn rate, time to exhaustion, multiwindow burn-rate alert rules.

Every probability is a share in [0, 1]; times carry their unit in the name (``_hours``,
``_days``, ``_s``). Formula functions broadcast over numpy arrays.

Sources
-------
- Beyer, Jones, Petoff, Murphy (eds.), *Site Reliability Engineering*, O'Reilly 2016:
  ch. 3 "Embracing Risk" (error budgets), ch. 22 "Addressing Cascading Failures" (retry
  amplification), Appendix A "Availability Table".
- Beyer, Murphy, Rensin, Kawahara, Thorne (eds.), *The Site Reliability Workbook*,
  O'Reilly 2018, ch. 5 "Alerting on SLOs".
- Trivedi, *Probability and Statistics with Reliability, Queuing, and Computer Science
  Applications*, 2nd ed., Wiley 2002, ch. 3 (series, parallel and k-of-n systems) and ch. 8
  (the two-state availability model).
"""

from infra_lab.reliability.composition import (
    k_of_n_reliability, parallel_reliability, retries_for_target, retry_amplification, retry_success_probability,
    series_reliability,
)
from infra_lab.reliability.composition import __all__ as _composition_all
from infra_lab.reliability.repair import (
    allowed_downtime_s, availability_from_mtbf, availability_from_nines, mtbf_hours, nines,
)
from infra_lab.reliability.repair import __all__ as _repair_all
from infra_lab.reliability.slo import (
    ErrorBudget, burn_rate, burn_rate_threshold, error_budget, multiwindow_alert_rules, time_to_exhaustion_hours,
)
from infra_lab.reliability.slo import __all__ as _slo_all

__all__ = [*_composition_all, *_repair_all, *_slo_all]
