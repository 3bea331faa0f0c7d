r"""Deny-by-default role-based access control, every decision written to an audit log.

:math:`Access(u, r) = Allowed \iff Role(u) \in Permissions(r)` — and nothing else is allowed:
an unknown user, resource or action is denied. The audit log is an interface, not a store:
any object with ``.append(record)`` or any callable taking the record. The default is the
in-memory :data:`AUDIT_LOG`; a SQL store's append-only table can be passed instead. If the
log refuses a record, the error propagates and no decision is returned (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

import pandas as pd

from infra_lab._checks import require, text
from infra_lab._results import Result

__all__ = ["AuditLog", "AUDIT_LOG", "AccessDecision", "check_access", "access_matrix"]

#: Fields of every audit record, in order.
RECORD_FIELDS = ("time_utc", "user", "resource", "action", "allowed", "role", "reason")


class AuditLog:
    """An append-only, in-memory audit log: records can be added and read, never changed.

    Each record is stored as a read-only mapping. There is no method that removes or edits a
    record; ``len``, iteration, indexing and :meth:`to_frame` read it.

    See Also
    --------
    check_access : writes one record per decision.

    Examples
    --------
    >>> log = AuditLog()
    >>> log.append({"user": "ana", "allowed": False})
    >>> len(log), log[0]["user"]
    (1, 'ana')
    """

    def __init__(self) -> None:
        self._records: list[Mapping[str, Any]] = []

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one record (a mapping); it is copied and frozen."""
        if not isinstance(record, Mapping):
            raise TypeError(f"record={record!r}: must be a mapping (a dict of field → value)")
        self._records.append(MappingProxyType(dict(record)))

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(list(self._records))

    def __getitem__(self, index: int) -> Mapping[str, Any]:
        return self._records[index]

    def to_frame(self) -> pd.DataFrame:
        """The records as a DataFrame, one row per decision."""
        return pd.DataFrame([dict(r) for r in self._records])


#: The default audit log of this Python process (in memory).
AUDIT_LOG = AuditLog()


@dataclass(frozen=True)
class AccessDecision(Result):
    """One access decision, as written to the audit log.

    Attributes
    ----------
    user : str
    resource : str
    action : str
    allowed : bool
        ``True`` only when one of the user's roles is permitted the action on the resource.
    role : str
        The role that granted access ('' when denied).
    reason : str
        Why, in words (which rule allowed it, or why it was denied).

    See Also
    --------
    check_access : returns it.
    """

    user: str
    resource: str
    action: str
    allowed: bool
    role: str
    reason: str


def _sink(audit_log: Any) -> Callable[[Mapping[str, Any]], Any]:
    if audit_log is None:
        return AUDIT_LOG.append
    append = getattr(audit_log, "append", None)
    if callable(append):
        return append
    if callable(audit_log):
        return audit_log
    raise TypeError(f"audit_log={audit_log!r}: must be None, an object with .append(record) or a callable")


def _roles(name: str, value: Any) -> frozenset[str]:
    # A single role may be written as a string; several as any iterable of strings.
    if isinstance(value, str):
        return frozenset([text(name, value)])
    if not isinstance(value, Iterable):
        raise TypeError(f"{name}={value!r}: must be a role name or a list of role names")
    return frozenset(text(name, v) for v in value)


def _check_user_roles(user_roles: Any) -> Mapping[str, frozenset[str]]:
    if not isinstance(user_roles, Mapping):
        raise TypeError(f"user_roles={user_roles!r}: must be a mapping user → role(s)")
    return {text("user_roles", u): _roles("user_roles", r) for u, r in user_roles.items()}


def _check_permissions(permissions: Any) -> Mapping[str, Mapping[str, frozenset[str]]]:
    if not isinstance(permissions, Mapping):
        raise TypeError(f"permissions={permissions!r}: must be a mapping resource → {{action → role(s)}}")
    out = {}
    for resource, actions in permissions.items():
        if not isinstance(actions, Mapping):
            raise TypeError(f"permissions={permissions!r}: the value of {resource!r} must map action → role(s)")
        out[text("permissions", resource)] = {text("permissions", a): _roles("permissions", r)
                                              for a, r in actions.items()}
    return out


def _decide(user, resource, action, roles, perms) -> tuple[bool, str, str]:
    if user not in roles:
        return False, "", f"unknown user {user!r}: denied by default"
    if resource not in perms:
        return False, "", f"no permissions defined for resource {resource!r}: denied by default"
    if action not in perms[resource]:
        return False, "", f"action {action!r} is not defined on {resource!r}: denied by default"
    granted = sorted(roles[user] & perms[resource][action])
    if granted:
        return True, granted[0], f"role {granted[0]!r} may {action} {resource}"
    return False, "", (f"roles {sorted(roles[user])} of {user!r} are not among {sorted(perms[resource][action])} "
                       f"permitted to {action} {resource}")


def check_access(user, resource, action, user_roles, permissions, audit_log=None) -> AccessDecision:
    r"""Decide whether a user may perform an action on a resource, and audit the decision.

    .. math:: Access(u, r, a) = Allowed \iff Roles(u) \cap Permissions(r, a) \neq \emptyset

    Deny by default: a user, resource or action the policy does not name is denied. The
    decision is written to ``audit_log`` *before* it is returned; if the log refuses it, the
    error propagates and no decision is returned.

    Parameters
    ----------
    user : str
        Who asks (non-empty).
    resource : str
        What is asked for, e.g. ``"model_registry"`` (non-empty).
    action : str
        What they want to do, e.g. ``"promote"`` (non-empty).
    user_roles : mapping of str to str or iterable of str
        Each user's role(s).
    permissions : mapping of str to mapping of str to iterable of str
        ``resource → action → roles allowed``.
    audit_log : object with ``append(record)``, callable, or None
        Where the decision is written; ``None`` writes to the in-memory :data:`AUDIT_LOG`.

    Returns
    -------
    AccessDecision

    See Also
    --------
    access_matrix : every user × resource × action decision at once.
    AuditLog : the default, append-only log.

    References
    ----------
    The article, Mathematical Lens (:math:`Access(u, r) = Allowed \iff Role(u) \in
    Permissions(r)`). Saltzer & Schroeder, "The Protection of Information in Computer
    Systems", *Proc. IEEE* 63(9), 1975, §I.A.3 (design principles: fail-safe defaults,
    complete mediation).

    Examples
    --------
    >>> log = AuditLog()
    >>> perms = {"model_registry": {"promote": ["ml_engineer"], "read": ["ml_engineer", "analyst"]}}
    >>> roles = {"ana": "analyst", "eli": ["ml_engineer"]}
    >>> check_access("ana", "model_registry", "promote", roles, perms, log).allowed
    False
    >>> check_access("eli", "model_registry", "promote", roles, perms, log).role
    'ml_engineer'
    >>> len(log)
    2
    """
    u, r, a = text("user", user), text("resource", resource), text("action", action)
    roles, perms = _check_user_roles(user_roles), _check_permissions(permissions)
    write = _sink(audit_log)
    allowed, role, reason = _decide(u, r, a, roles, perms)
    record = dict(zip(RECORD_FIELDS, (datetime.now(timezone.utc).isoformat(), u, r, a, allowed, role, reason)))
    write(record)  # fail closed: no record, no decision
    return AccessDecision(u, r, a, allowed, role, reason)


def access_matrix(user_roles, permissions, audit_log=None) -> pd.DataFrame:
    r"""Every user's decision on every (resource, action) of the policy, each one audited.

    .. math:: M_{u,(r,a)} = Access(u, r, a)

    Parameters
    ----------
    user_roles : mapping of str to str or iterable of str
        Each user's role(s); at least one user.
    permissions : mapping of str to mapping of str to iterable of str
        ``resource → action → roles allowed``; at least one action.
    audit_log : object with ``append(record)``, callable, or None
        Where each decision is written (``None``: :data:`AUDIT_LOG`).

    Returns
    -------
    pandas.DataFrame
        Booleans; index: users, columns: ``"resource:action"``.

    See Also
    --------
    check_access : one decision.

    References
    ----------
    Lampson, "Protection", 1971, reprinted in *ACM SIGOPS Operating Systems Review* 8(1), 1974
    (the access matrix);
    the article, Mathematical Lens.

    Examples
    --------
    >>> m = access_matrix({"ana": "analyst"}, {"features": {"read": ["analyst"], "write": []}}, AuditLog())
    >>> m.loc["ana"].tolist()
    [True, False]
    """
    roles, perms = _check_user_roles(user_roles), _check_permissions(permissions)
    require(len(roles) > 0, "user_roles", user_roles, "must name at least one user")
    pairs = [(r, a) for r, actions in perms.items() for a in actions]
    require(len(pairs) > 0, "permissions", permissions, "must define at least one resource action")
    write = _sink(audit_log)
    rows = {}
    for u in roles:
        rows[u] = [check_access(u, r, a, roles, perms, write).allowed for r, a in pairs]
    return pd.DataFrame.from_dict(rows, orient="index", columns=[f"{r}:{a}" for r, a in pairs])
