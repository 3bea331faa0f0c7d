"""MLOps workflow on the metadata store: gated promotion, canary, rollback, retraining triggers.

Develop → Test → Deploy → Monitor → Retrain → Govern, with every step recorded in the store of
:mod:`infra_lab.governance`:

- a model version moves ``registered → staging → production → archived``; ``staging`` needs a
  passing evaluation, ``production`` a passing evaluation **and** an approval (the latest
  decision), each checked inside the same transaction that moves it;
- :func:`deploy` records a deployment (a canary is a traffic share below 1) with the current
  production version as its rollback target; :func:`rollback` returns to that target in one
  recorded call;
- :func:`retraining_decision` turns drift (PSI per feature, from :mod:`infra_lab.quality`) and a
  performance drop (AUC, from :mod:`infra_lab.storage`) into a retrain/keep decision;
- :func:`model_card` writes the card from the store's records.

Parts:

- ``workflow``   — evaluation gate, promotion, deployment (canary), rollback, retirement.
- ``monitoring`` — retraining decision from drift and performance; a recorded monitoring report.
- ``reports``    — the model card from the store's records; an example store.
"""

from infra_lab.mlops import monitoring, reports, workflow
from infra_lab.mlops.monitoring import *  # noqa: F401,F403
from infra_lab.mlops.reports import *  # noqa: F401,F403
from infra_lab.mlops.workflow import *  # noqa: F401,F403

__all__ = [*workflow.__all__, *monitoring.__all__, *reports.__all__]
