"""Deprecated aliases of renamed public functions (kept for one release, not in ``__all__``)."""

from __future__ import annotations

import warnings
from typing import Any, Callable

__all__ = ["deprecated_alias"]


def deprecated_alias(old_name: str, new: Callable[..., Any]) -> Callable[..., Any]:
    """A thin wrapper named ``old_name`` that warns and forwards to ``new``.

    The wrapper carries a one-line docstring (not ``new``'s), so doctests run once.

    >>> import warnings
    >>> def speed_s(x): return x
    >>> old = deprecated_alias("speed_seconds", speed_s)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     value = old(3)
    >>> value, caught[0].category.__name__
    (3, 'DeprecationWarning')
    """
    target = f"{new.__module__}.{new.__name__}"

    def alias(*args: Any, **kwargs: Any) -> Any:
        warnings.warn(f"{old_name} is deprecated and will be removed in the next release; "
                      f"use {target} (positional arguments unchanged; keyword names now end in their unit)",
                      DeprecationWarning, stacklevel=2)
        return new(*args, **kwargs)

    alias.__name__ = alias.__qualname__ = old_name
    alias.__module__ = new.__module__
    alias.__doc__ = f"Deprecated alias of :func:`{target}`; it warns and forwards."
    return alias
