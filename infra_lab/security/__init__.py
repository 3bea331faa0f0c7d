r"""Security: the article's :math:`Access(u, r) = Allowed \iff Role(u) \in Permissions(r)`, and the
supply chain around a model.

Parts
-----
- ``access`` — deny-by-default role-based access control; every decision is written to an
  audit log (any object with ``.append(record)`` or a callable; in memory by default).
- ``signing`` — SHA-256 content hashes, Ed25519 artifact signatures checked at deploy time,
  and HMAC tags as the contrast (a shared secret: whoever can verify can forge).
- ``supply_chain`` — a pinning audit of a requirements file (unpinned, loose, duplicate).
- ``abuse`` — a token-bucket rate limiter for inference abuse and a data-poisoning screen.

Old and new import paths both work: ``from infra_lab.security import check_access``.
"""

from infra_lab.security.abuse import (
    PoisoningScreen, RateLimitResult, poisoning_screen, token_bucket,
)
from infra_lab.security.abuse import __all__ as _abuse_all
from infra_lab.security.access import (
    AUDIT_LOG, AccessDecision, AuditLog, access_matrix, check_access,
)
from infra_lab.security.access import __all__ as _access_all
from infra_lab.security.signing import (
    ArtifactSignature, ArtifactVerificationError, SignatureCheck, content_sha256, generate_signing_key,
    hmac_tag, hmac_verify, public_key_hex, require_verified_artifact, sign_artifact, verify_artifact,
)
from infra_lab.security.signing import __all__ as _signing_all
from infra_lab.security.supply_chain import RequirementsAudit, audit_requirements
from infra_lab.security.supply_chain import __all__ as _supply_all

__all__ = [*_access_all, *_signing_all, *_supply_all, *_abuse_all]
