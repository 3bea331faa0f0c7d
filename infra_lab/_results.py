"""The base class of every result object: read by name, unpack like a tuple.

scipy's convention: ``res = ks_test(a, b)`` reads ``res.statistic`` and ``res.pvalue``, and
``statistic, pvalue = ks_test(a, b)`` unpacks in field order. Every public result class of
``infra_lab`` is a frozen dataclass that subclasses :class:`Result`.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Pair(Result):
...     statistic: float
...     pvalue: float
>>> statistic, pvalue = Pair(0.2, 0.01)
>>> (statistic, pvalue, Pair(0.2, 0.01)[1], len(Pair(0.2, 0.01)))
(0.2, 0.01, 0.01, 2)
>>> Pair(0.2, 0.01)._asdict()
{'statistic': 0.2, 'pvalue': 0.01}
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterator

__all__ = ["Result"]


class Result:
    """Mixin for frozen dataclasses: iteration, indexing, ``len`` and ``_asdict`` by field order."""

    __slots__ = ()

    def _values(self) -> tuple:
        return tuple(getattr(self, f.name) for f in dataclasses.fields(self))  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values())

    def __len__(self) -> int:
        return len(dataclasses.fields(self))  # type: ignore[arg-type]

    def __getitem__(self, index: int | slice) -> Any:
        return self._values()[index]

    def _asdict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]
