"""Numerical kernels of the queueing models: the Erlang B recursion and a stable hypoexponential tail.

Private: :mod:`infra_lab.serving.queueing` validates the inputs and calls these.
"""

from __future__ import annotations

import numpy as np


def erlang_b_table(c: np.ndarray, a: np.ndarray) -> np.ndarray:
    """Erlang B for broadcast integer ``c`` and float ``a`` (both already validated)."""
    c, a = np.broadcast_arrays(c, a)
    out = np.empty(c.shape, dtype=float)
    cf, af, of = c.ravel(), a.ravel(), out.reshape(-1)
    if cf.size == 0:
        return out
    ua, inv = np.unique(af, return_inverse=True)
    kmax = int(cf.max())
    if ua.size == 1:
        # One load: a scalar Python loop is ~10x faster than numpy on length-1 arrays.
        x = float(ua[0])
        table = [1.0] * (kmax + 1)
        b = 1.0
        for k in range(1, kmax + 1):
            b = x * b / (k + x * b)
            table[k] = b
        of[:] = np.asarray(table)[cf]
        return out
    if ua.size * (kmax + 1) <= 2_000_000:  # table of at most 16 MB
        # One recursion over k, vectorised over the distinct loads; then index.
        table = np.empty((kmax + 1, ua.size))
        b = np.ones(ua.size)
        table[0] = b
        for k in range(1, kmax + 1):
            b = ua * b / (k + ua * b)
            table[k] = b
        of[:] = table[cf, inv.ravel()]
        return out
    # Many loads and many servers: carry one state per element, record when k reaches c.
    order = np.argsort(cf, kind="stable")
    cs = cf[order]
    b = np.ones(cf.size)
    pos = np.searchsorted(cs, np.arange(kmax + 2))
    for k in range(1, kmax + 1):
        b = af * b / (k + af * b)
        idx = order[pos[k]:pos[k + 1]]
        of[idx] = b[idx]
    return out


def hypoexp_tail(t: np.ndarray, r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """P(X + Y > t) for independent X ~ Exp(r1), Y ~ Exp(r2), stable when r1 ≈ r2.

    (r2 e^{−r1 t} − r1 e^{−r2 t})/(r2 − r1) rewritten with m = min, δ = |r2 − r1|:
    e^{−m t}(1 + m t · (1 − e^{−δ t})/(δ t)), whose last factor → 1 as δ → 0 (Erlang-2).
    """
    m = np.minimum(r1, r2)
    d = np.abs(r2 - r1)
    y = d * t
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(y > 0, -np.expm1(-y) / np.where(y > 0, y, 1.0), 1.0)
    return np.exp(-m * t) * (1.0 + m * t * f)
