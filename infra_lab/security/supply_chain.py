r"""Supply-chain hygiene: a pinning audit of a pip requirements file.

An unpinned (``numpy``) or loosely pinned (``numpy>=2``) dependency lets a new upstream
release — or a hijacked one — change what is installed without a code change. Duplicate
entries make the result depend on which line pip reads last. The audit classifies every
line; it does not contact a package index.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from infra_lab._checks import text
from infra_lab._results import Result

__all__ = ["RequirementsAudit", "audit_requirements"]

STATUSES = ("pinned", "loose", "unpinned", "duplicate", "invalid", "option")


@dataclass(frozen=True)
class RequirementsAudit(Result):
    """A requirements file, line by line, classified by how tightly it pins.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per requirement or option line: ``line_number``, ``text``, ``name``
        (canonical), ``specifier``, ``hashed`` (has ``--hash``), ``status`` (one of
        pinned, loose, unpinned, duplicate, invalid, option) and ``reason``.
    pinned, loose, unpinned, duplicate, invalid : int
        Lines of each status (option lines are listed but not counted).
    pinned_share : float
        ``pinned / (pinned + loose + unpinned + duplicate + invalid)``.

    See Also
    --------
    audit_requirements : returns it.
    """

    table: pd.DataFrame
    pinned: int
    loose: int
    unpinned: int
    duplicate: int
    invalid: int
    pinned_share: float


def _logical_lines(source: str):
    """(first line number, text) with comments removed and backslash continuations joined."""
    buffer, start = "", None
    for number, raw in enumerate(source.splitlines(), start=1):
        line = raw
        # pip: '#' starts a comment at the line start or after whitespace.
        if line.lstrip().startswith("#"):
            line = ""
        elif " #" in line or "\t#" in line:
            line = line[: min(i for i in (line.find(" #"), line.find("\t#")) if i >= 0)]
        if start is None:
            start = number
        if line.rstrip().endswith("\\"):
            buffer += line.rstrip()[:-1] + " "
            continue
        buffer += line
        if buffer.strip():
            yield start, buffer.strip()
        buffer, start = "", None
    if buffer.strip():
        yield start, buffer.strip()


def _classify(req: Requirement) -> tuple[str, str]:
    if req.url:
        return "loose", "direct URL reference: pin a version (and a hash) instead"
    specs = list(req.specifier)
    if not specs:
        return "unpinned", "no version: any release can be installed"
    if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
        return "pinned", f"exact version {specs[0].version}"
    return "loose", f"range {req.specifier}: a new release inside it changes the install"


def audit_requirements(requirements_text) -> RequirementsAudit:
    r"""Classify every line of a requirements file as pinned, loose, unpinned, duplicate or invalid.

    .. math:: pinned\ share = \frac{|\{\text{lines with exactly one } ==\ \text{version, no wildcard}\}|}
              {|\{\text{requirement lines}\}|}

    A requirement is *pinned* by ``==X`` or ``===X`` without a wildcard; any other specifier
    (``>=``, ``~=``, ``==2.*``, a range) or a direct URL is *loose*; no specifier is
    *unpinned*; a second line for the same canonical name is a *duplicate* (pip's result then
    depends on line order); a bare URL (``git+https://…``) is *loose*; an unparseable line is
    *invalid*. Lines starting with ``-``
    (``-r``, ``--index-url``) are listed as *option* and not counted.

    Parameters
    ----------
    requirements_text : str
        The file's content (read it with ``Path(...).read_text()``); may be empty of
        requirements but must be a string.

    Returns
    -------
    RequirementsAudit

    See Also
    --------
    infra_lab.security.signing.verify_artifact : integrity of what was installed.

    References
    ----------
    PEP 440, § "Version matching" (``==`` exact, ``==X.*`` prefix, ``===``
    arbitrary equality); PEP 508 (dependency specifiers); pip documentation, "Repeatable
    Installs" and "Secure Installs" (hash-checking mode).

    Examples
    --------
    >>> audit = audit_requirements("numpy==2.4.6\npandas>=2\nscipy\nNumPy==2.0  # again\n")
    >>> audit.table["status"].tolist()
    ['pinned', 'loose', 'unpinned', 'duplicate']
    >>> audit.pinned_share
    0.25
    """
    source = text("requirements_text", requirements_text, allow_empty=True)
    if "\x00" in source:
        raise ValueError("requirements_text contains a NUL byte: it is not a text requirements file")
    rows, seen = [], {}
    for number, line in _logical_lines(source):
        hashed = "--hash" in line
        spec_text = line.split(" --hash")[0].split("\t--hash")[0].strip()
        if spec_text.startswith("-"):
            rows.append((number, line, "", "", hashed, "option", "pip option: not audited"))
            continue
        if "://" in spec_text.split("@")[0] or spec_text.startswith(("git+", "hg+", "svn+", "bzr+")):
            # pip accepts a bare URL (a VCS checkout or an archive): no name, no version to pin.
            rows.append((number, line, "", "", hashed, "loose", "bare URL: whatever it points at today is installed"))
            continue
        try:
            req = Requirement(spec_text)
        except InvalidRequirement as err:
            rows.append((number, line, "", "", hashed, "invalid", f"not a PEP 508 requirement: {err}"))
            continue
        name = canonicalize_name(req.name)
        if name in seen:
            status, reason = "duplicate", f"{name} is already listed on line {seen[name]}"
        else:
            seen[name] = number
            status, reason = _classify(req)
        rows.append((number, line, name, str(req.specifier), hashed, status, reason))
    table = pd.DataFrame(rows, columns=["line_number", "text", "name", "specifier", "hashed", "status", "reason"])
    counts = {s: int((table["status"] == s).sum()) for s in STATUSES}
    counted = sum(counts[s] for s in STATUSES if s != "option")
    share = counts["pinned"] / counted if counted else 0.0
    return RequirementsAudit(table, counts["pinned"], counts["loose"], counts["unpinned"], counts["duplicate"],
                             counts["invalid"], share)
