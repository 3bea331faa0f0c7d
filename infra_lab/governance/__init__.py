"""A SQLite metadata store for ML governance: provenance, registry records, audit log.

One file, created on first use, no server. The provenance chain
Dataset → Features → Model → Deployment → Predictions is stored as linked tables with foreign
keys (``infra_lab/sql/schema.sql``), queried with recursive SQL, and every write is one
transaction with an entry in an append-only audit log that the database itself protects.

Parts:

- ``store``   — open (create, migrate or refuse) a store; WAL, busy timeout, transactions.
- ``records`` — the writers: dataset versions, feature sets, runs, model versions, evaluations,
  approvals, deployments, predictions, monitoring reports, incidents, access decisions.
- ``queries`` — lineage of a prediction, impact of a dataset version, audit completeness,
  the audit log, table counts and the schema's foreign keys.
"""

from infra_lab.governance import queries, records, store
from infra_lab.governance.queries import *  # noqa: F401,F403
from infra_lab.governance.records import *  # noqa: F401,F403
from infra_lab.governance.store import *  # noqa: F401,F403

__all__ = [*store.__all__, *records.__all__, *queries.__all__]
