"""Deprecated aliases of renamed public functions (kept for one release, not in ``__all__``)."""

from __future__ import annotations

import warnings
from typing import Any, Callable


def deprecated_alias(old_name: str, new: Callable[..., Any]) -> Callable[..., Any]:
    """A thin wrapper named ``old_name`` that warns and forwards to ``new``.

    The wrapper carries a one-line docstring (not ``new``'s), so doctests run once.
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
