"""Where the course's files are: a git checkout, or the copy an installed wheel carries.

In a checkout (``git clone``, ``pip install -e .``) the notebooks and data are the folders
beside ``infra_lab/``. A wheel carries the same files inside the package, under
``infra_lab/_course/`` (copied there at build time by ``setup.py``), so an instructor's
grading server or a student who ran ``pip install infra-lab`` has the whole course too;
``infra-lab init DIR`` copies it into a working folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["course_root", "checkout_root", "packaged_root"]

_PACKAGE = Path(__file__).resolve().parent


def checkout_root() -> Path | None:
    """The repository root when ``infra_lab`` runs from a checkout, else ``None``."""
    root = _PACKAGE.parent
    if (root / "data" / "MANIFEST.sha256").exists() and (root / "notebooks").is_dir():
        return root
    return None


def packaged_root() -> Path:
    """The course files inside an installed wheel (``infra_lab/_course``)."""
    return _PACKAGE / "_course"


def course_root() -> Path:
    """The checkout when there is one, else the wheel's packaged copy."""
    return checkout_root() or packaged_root()
