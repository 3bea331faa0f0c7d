"""A SQLite metadata store for ML governance: provenance, registry records, audit log.

One file, created on first use, no server. The provenance chain
Dataset → Features → Model → Deployment → Predictions is stored as linked tables with foreign
keys (``infra_lab/sql/schema.sql``), queried with recursive SQL, and every write is one
transaction with an entry in an append-only audit log that the database itself protects.

Parts:

- ``store``   — open (create, migrate or refuse) a store; WAL, busy timeout, transactions.
- ``records`` — writers of data versions (content hashes), feature sets and training runs.
- ``registry`` — writers of model versions, evaluations, approvals, deployments, stage changes.
- ``operations`` — writers of prediction samples, monitoring reports, incidents, access decisions.
- ``queries`` — lineage of a prediction, impact of a dataset version, audit completeness,
  the audit log, table counts and the schema's foreign keys.
"""

from infra_lab.governance import operations, queries, records, registry, store
from infra_lab.governance.operations import *  # noqa: F401,F403
from infra_lab.governance.queries import *  # noqa: F401,F403
from infra_lab.governance.records import *  # noqa: F401,F403
from infra_lab.governance.registry import *  # noqa: F401,F403
from infra_lab.governance.store import *  # noqa: F401,F403

__all__ = [*store.__all__, *records.__all__, *registry.__all__, *operations.__all__, *queries.__all__]
