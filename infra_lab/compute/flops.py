r"""Training FLOPs of a dense transformer and compute-optimal (Chinchilla) sizing.

* training compute C ≈ 6·N·D and the forward pass per token (Kaplan et al. 2020, Table 1);
* compute-optimal model and data size (Hoffmann et al. 2022, "Chinchilla", Table 3).

>>> training_flops(175e9, 300e9) / 1e23     # GPT-3: 6·N·D
3.15
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._checks import count, finite_result, nonnegative, option, positive, scalar_or_array
from .._results import Result

__all__ = [
    "training_flops",
    "forward_flops_per_token",
    "training_flops_per_token",
    "ChinchillaAllocation",
    "chinchilla_optimal",
]

_CONVENTIONS = ("kaplan", "palm")
_TOO_LARGE = "the inputs are too large for a float (FLOPs beyond 1.8e308)"


def training_flops(params: Any, tokens: Any, k: float = 6.0) -> Any:
    r"""Training compute of a dense transformer, :math:`C \approx k\,N\,D`.

    .. math:: C = k \cdot N \cdot D, \qquad k = 6

    The forward pass costs about 2 FLOPs per parameter per token (one multiply, one add)
    and the backward pass about twice that, so k = 6. Activation recomputation adds another
    forward pass (k = 8). The approximation ignores the attention term (see
    :func:`training_flops_per_token`), so it undercounts small models with long contexts.

    Parameters
    ----------
    params : float or array_like
        N, parameters (count; Kaplan excludes embeddings); ≥ 0 and finite.
    tokens : float or array_like
        D, training tokens (count); ≥ 0 and finite.
    k : float, default 6.0
        FLOPs per parameter per token; > 0 and finite.

    Returns
    -------
    float or ndarray
        C in FLOPs (a count).

    See Also
    --------
    training_flops_per_token : the per-token count with the attention term.
    chinchilla_optimal : the inverse, N and D for a budget C.
    training_time_s : how long C takes on a given fleet.

    References
    ----------
    Kaplan et al., "Scaling Laws for Neural Language Models", arXiv:2001.08361, 2020, §2.1 and
    Table 1. Brown et al., "Language Models are Few-Shot Learners", arXiv:2005.14165, 2020,
    Table D.1 (GPT-3 175B: 174.6B parameters, 300B tokens, 3.14E+23 FLOPs). Narayanan et al.,
    "Efficient Large-Scale Language Model Training on GPU Clusters Using Megatron-LM",
    arXiv:2104.04473, 2021, §5.1 (k = 8 with recomputation).

    Examples
    --------
    GPT-3 (Brown et al. 2020, Table D.1: 174.6B parameters, 300B tokens, 3.14e23 FLOPs):

    >>> round(training_flops(174.6e9, 300e9) / 1e23, 2)
    3.14
    >>> training_flops([1e9, 10e9], 20e9).tolist()
    [1.2e+20, 1.2e+21]
    """
    n = nonnegative("params", params)
    d = nonnegative("tokens", tokens)
    kk = positive("k", k)
    with np.errstate(over="ignore"):   # an overflow becomes inf, refused by name below
        c = kk * n * d
    return finite_result("training_flops", scalar_or_array(c), _TOO_LARGE)


def _shape(n_layer: Any, n_ctx: Any, d_attn: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Layers, context length and attention width are whole numbers (a 2.5-layer model is a typo).
    return (count("n_layer", n_layer), count("n_ctx", n_ctx), count("d_attn", d_attn))


def forward_flops_per_token(params: Any, n_layer: Any, n_ctx: Any, d_attn: Any) -> Any:
    r"""Forward-pass FLOPs per token of a decoder-only transformer.

    .. math:: C_{forward} \approx 2N + 2\,n_{layer}\,n_{ctx}\,d_{attn}

    N is the non-embedding parameter count; the second term is the attention scores and the
    weighted sum over the context (QKᵀ and AV), which do not involve parameters.
    Convention: this is Kaplan's count. PaLM counts the attention term of a training step as
    12·L·H·Q·T = 6·(2·n_layer·n_ctx·d_attn), twice Kaplan's 3·(2·n_layer·n_ctx·d_attn):
    Kaplan's term is as if each token attended to n_ctx/2 positions on average (causal
    mask). :func:`training_flops_per_token` offers both.

    Parameters
    ----------
    params : float or array_like
        N, non-embedding parameters (count), ≥ 0.
    n_layer : int or array_like
        Layers, a whole number ≥ 0.
    n_ctx : int or array_like
        Context length (tokens), a whole number ≥ 0.
    d_attn : int or array_like
        Attention width (= heads × head dimension), a whole number ≥ 0.

    Returns
    -------
    float or ndarray
        FLOPs per token, forward only.

    See Also
    --------
    training_flops_per_token : forward + backward, in Kaplan's or PaLM's convention.
    training_flops : the 6·N·D total without the attention term.

    References
    ----------
    Kaplan et al., "Scaling Laws for Neural Language Models", arXiv:2001.08361, 2020, §2.1,
    Table 1 ("Forward pass: 2N + 2·n_layer·n_ctx·d_attn"). Chowdhery et al., "PaLM",
    arXiv:2204.02311, 2022, Appendix B (the 12·L·H·Q·T attention term).

    Examples
    --------
    GPT-3 175B shape (96 layers, 2048-token context, d_attn = 12288):

    >>> f = forward_flops_per_token(175e9, 96, 2048, 12288)
    >>> round(f / 1e9, 1), round(f / (2 * 175e9), 4)     # attention adds ~1.4 %
    (354.8, 1.0138)
    """
    n = nonnegative("params", params)
    layers, ctx, width = _shape(n_layer, n_ctx, d_attn)
    # float products: int64 would wrap around silently for absurd shapes
    attention = 2.0 * layers.astype(float) * ctx.astype(float) * width.astype(float)
    return finite_result("forward_flops_per_token", scalar_or_array(2.0 * n + attention), _TOO_LARGE)


def training_flops_per_token(
    params: Any, n_layer: Any = 0, n_ctx: Any = 0, d_attn: Any = 0, convention: str = "kaplan"
) -> Any:
    r"""Training (forward + backward) FLOPs per token, with the attention term.

    .. math::
        \text{kaplan: } 6N + 6\,n_{layer} n_{ctx} d_{attn} \qquad
        \text{palm: } 6N + 12\,n_{layer} n_{ctx} d_{attn}

    ``"kaplan"`` is 3 × :func:`forward_flops_per_token` (backward ≈ 2 × forward).
    ``"palm"`` is PaLM's model-FLOPs count 6N + 12·L·H·Q·T, with H·Q = d_attn and T = n_ctx.
    Neither counts recomputation. With the default shape (all zero) both reduce to 6N.

    Parameters
    ----------
    params : float or array_like
        N (count), ≥ 0.
    n_layer : int or array_like, default 0
        Layers, a whole number ≥ 0.
    n_ctx : int or array_like, default 0
        Context length (tokens), a whole number ≥ 0.
    d_attn : int or array_like, default 0
        Attention width, a whole number ≥ 0.
    convention : {"kaplan", "palm"}, default "kaplan"
        Which attention term to add.

    Returns
    -------
    float or ndarray
        FLOPs per training token.

    See Also
    --------
    forward_flops_per_token : the forward pass alone.
    model_flops_utilization : uses this count for MFU.

    References
    ----------
    Kaplan et al. 2020, arXiv:2001.08361, Table 1. Chowdhery et al., "PaLM: Scaling Language
    Modeling with Pathways", arXiv:2204.02311, 2022, Appendix B (6N + 12·L·H·Q·T).

    Examples
    --------
    PaLM 540B (App. B: 540.35B parameters, 118 layers, 48 heads × 256, T = 2048):

    >>> round(training_flops_per_token(540.35e9, 118, 2048, 48 * 256, "palm") / 1e12, 3)
    3.278
    >>> training_flops_per_token(1e9)
    6000000000.0
    """
    conv = option("convention", convention, _CONVENTIONS)
    n = nonnegative("params", params)
    forward = np.asarray(forward_flops_per_token(n, n_layer, n_ctx, d_attn))
    attention = forward - 2.0 * n
    factor = 3.0 if conv == "kaplan" else 6.0  # palm: twice Kaplan's attention term
    return finite_result("training_flops_per_token", scalar_or_array(6.0 * n + factor * attention), _TOO_LARGE)


@dataclass(frozen=True)
class ChinchillaAllocation(Result):
    """A compute-optimal model size and token count for a compute budget.

    Unpacks like a tuple: ``params, tokens, compute_flops, tokens_per_param = ...``.

    Attributes
    ----------
    params : float or ndarray
        N_opt, parameters (count).
    tokens : float or ndarray
        D_opt, training tokens (count).
    compute_flops : float or ndarray
        The budget C (FLOPs); equals k·N·D by construction.
    tokens_per_param : float
        D/N used.

    See Also
    --------
    chinchilla_optimal : returns it.
    """

    params: Any
    tokens: Any
    compute_flops: Any
    tokens_per_param: float


def chinchilla_optimal(compute_flops: Any, tokens_per_param: float = 20.0, k: float = 6.0) -> ChinchillaAllocation:
    r"""Compute-optimal parameters and tokens for a budget (Hoffmann et al. 2022, "Chinchilla").

    .. math::
        C = k N D,\ D = r N \;\Rightarrow\; N_{opt} = \sqrt{C / (k r)},\ D_{opt} = r N_{opt}
        \quad (k = 6,\ r = 20:\ N_{opt} = \sqrt{C/120})

    Chinchilla's Approach 1 finds N_opt ∝ C^0.50 and D_opt ∝ C^0.50 (Table 2), i.e. a fixed
    ratio of tokens to parameters; Table 3 lists ratios of 20.2 (1B) to ~21 (175B), so r = 20
    is the usual rounding. Choice documented: we size from C = 6ND with D = 20N, which
    reproduces Table 3 within a few per cent (1B → 1.21e20 FLOPs, 20.2B tokens; 10B →
    1.23e22, 205.1B; 175B → 3.85e24, 3.7T). We do **not** minimise the paper's fitted loss
    L(N, D) = E + A/N^α + B/D^β: with the rounded published constants that fit does not
    reproduce Table 3 (Besiroglu et al. 2024, arXiv:2404.10102).

    Parameters
    ----------
    compute_flops : float or array_like
        Budget C (FLOPs), > 0 and finite.
    tokens_per_param : float, default 20.0
        r = D/N, > 0 and finite.
    k : float, default 6.0
        FLOPs per parameter per token, > 0 and finite.

    Returns
    -------
    ChinchillaAllocation

    See Also
    --------
    training_flops : C = k·N·D, the forward direction.

    References
    ----------
    Hoffmann et al., "Training Compute-Optimal Large Language Models", arXiv:2203.15556, 2022,
    Table 2 (exponents a = b = 0.50, Approach 1) and Table 3 (compute-optimal rows).
    Besiroglu et al., "Chinchilla Scaling: A replication attempt", arXiv:2404.10102, 2024.

    Examples
    --------
    >>> a = chinchilla_optimal(1.21e20)      # Table 3, first row: 1B params, 20.2B tokens
    >>> round(a.params / 1e9, 2), round(a.tokens / 1e9, 1)
    (1.0, 20.1)
    >>> chinchilla_optimal([1.2e20, 1.2e22]).params.tolist()
    [1000000000.0, 10000000000.0]
    """
    c = positive("compute_flops", compute_flops)
    r = positive("tokens_per_param", tokens_per_param)
    kk = positive("k", k)
    n = np.sqrt(c / (kk * r))
    tokens = finite_result("chinchilla_optimal", r * n, "tokens_per_param is too large")
    return ChinchillaAllocation(scalar_or_array(n), scalar_or_array(tokens), scalar_or_array(c), scalar_or_array(r))
