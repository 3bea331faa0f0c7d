r"""The six layers of the article's limits bound, and the course's weighted mean of them.

.. math::

    Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)

The article's *Mathematical Lens* bounds deployment by these **six** layers. Its readiness
function has **seven** inputs — Data, Compute, Storage, Serving, Observability, Security,
Governance — and is scored by :mod:`infra_lab.readiness.lens` (the mean of its readiness
table). Over the six layers of the bound the course adds its own summary, a **weighted mean**
of layer scores in [0, 1] (:func:`readiness_score`, not an article formula), always reported
*next to* the weakest-layer bound (:func:`deployment_readiness_bound`): a weighted mean can
hide a weak layer behind strong ones, the bound cannot.

>>> profile = {"Data": 0.8, "Compute": 0.9, "Storage": 0.7, "Serving": 0.85,
...            "Reliability": 0.6, "Governance": 0.75}
>>> round(readiness_score(profile), 4)
0.7667
>>> b = deployment_readiness_bound(profile)
>>> b.bound, b.weakest_layer
(0.6, 'Reliability')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from infra_lab._checks import as_float_array, require, scalar_or_array
from infra_lab._results import Result

__all__ = ["LAYERS", "ReadinessBound", "normalized_weights", "readiness_score", "deployment_readiness_bound"]

#: The six layers of the article's readiness function, in the article's order.
LAYERS: tuple[str, ...] = ("Data", "Compute", "Storage", "Serving", "Reliability", "Governance")


@dataclass(frozen=True)
class ReadinessBound(Result):
    """The weakest-layer bound on deployment readiness.

    Attributes
    ----------
    bound : float or numpy.ndarray
        :math:`\\min` of the layer scores (dimensionless, in [0, 1]); an array when the
        scores are arrays.
    weakest_layer : str or numpy.ndarray
        The layer that attains the minimum (the first in ``LAYERS`` order on a tie); an array
        of names when the scores are arrays.
    scores : dict
        Layer → score, in ``LAYERS`` order, as checked.

    See Also
    --------
    deployment_readiness_bound : returns it.
    """

    bound: Any
    weakest_layer: Any
    scores: dict


def _refuse_bools(name: str, value: Any) -> None:
    """numpy reads [True, 0.9] as [1.0, 0.9]: refuse a bool hidden inside a list or tuple."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}={value!r}: must be numbers, not booleans")
    if isinstance(value, (list, tuple)):
        for item in value:
            _refuse_bools(name, item)


def _layer_matrix(layer_scores: Any, name: str = "layer_scores") -> np.ndarray:
    """Scores as a float array whose last axis is ``LAYERS`` (6 long), checked to be in [0, 1].

    Accepts a mapping layer → score (scalars or arrays that broadcast together; names are
    matched case-insensitively and all six layers are required) or an array-like whose last
    axis holds the six layers in ``LAYERS`` order.
    """
    if hasattr(layer_scores, "keys"):  # dict, pandas Series, any mapping
        given = {str(k): layer_scores[k] for k in layer_scores.keys()}
        canon = {layer.lower(): layer for layer in LAYERS}
        unknown = [k for k in given if k.strip().lower() not in canon]
        require(not unknown, name, sorted(unknown), f"unknown layer(s); the layers are {list(LAYERS)}")
        by_layer: dict[str, Any] = {}
        for key, value in given.items():
            layer = canon[key.strip().lower()]
            require(layer not in by_layer, name, key, f"layer {layer} is given twice")
            by_layer[layer] = value
        missing = [layer for layer in LAYERS if layer not in by_layer]
        require(not missing, name, missing, f"missing layer(s); give a score for each of {list(LAYERS)}")
        columns = [as_float_array(by_layer[layer], f"{name}[{layer!r}]") for layer in LAYERS]
        try:
            columns = np.broadcast_arrays(*columns)
        except ValueError:
            raise ValueError(f"{name}: the layers' score arrays have shapes "
                             f"{[c.shape for c in columns]} that do not broadcast together") from None
        scores = np.stack(columns, axis=-1)
        for layer, col in zip(LAYERS, columns):
            require((col >= 0) & (col <= 1), f"{name}[{layer!r}]", col, "must be a score in [0, 1]")
        return scores
    if isinstance(layer_scores, (str, bytes)):
        raise TypeError(f"{name}={layer_scores!r}: must be a mapping layer → score or an array of "
                        f"{len(LAYERS)} scores in the order {list(LAYERS)}")
    _refuse_bools(name, layer_scores)
    scores = as_float_array(layer_scores, name)
    require(scores.ndim >= 1 and scores.shape[-1] == len(LAYERS), name, layer_scores,
            f"an array of scores needs a last axis of {len(LAYERS)} in the order {list(LAYERS)}")
    require((scores >= 0) & (scores <= 1), name, layer_scores, "every score must be in [0, 1]")
    return scores


def _weights_vector(weights: Any) -> np.ndarray:
    """Non-negative weights in ``LAYERS`` order, normalised to sum 1."""
    if weights is None:
        return np.full(len(LAYERS), 1.0 / len(LAYERS))
    if hasattr(weights, "keys"):
        canon = {layer.lower(): layer for layer in LAYERS}
        unknown = sorted(str(k) for k in weights.keys() if str(k).strip().lower() not in canon)
        given = {str(k).strip().lower(): weights[k] for k in weights.keys()}
        require(not unknown, "weights", unknown, f"unknown layer(s); the layers are {list(LAYERS)}")
        missing = [layer for layer in LAYERS if layer.lower() not in given]
        require(not missing, "weights", missing, f"missing layer(s); give a weight for each of {list(LAYERS)}")
        w = as_float_array([given[layer.lower()] for layer in LAYERS], "weights")
    else:
        _refuse_bools("weights", weights)
        w = as_float_array(weights, "weights")
    require(w.shape == (len(LAYERS),), "weights", weights,
            f"needs one weight per layer, {len(LAYERS)} in the order {list(LAYERS)}")
    require(np.isfinite(w) & (w >= 0), "weights", weights, "every weight must be finite and ≥ 0")
    total = w.sum()
    require(total > 0, "weights", weights, "at least one weight must be > 0")
    return w / total


def normalized_weights(weights: Mapping[str, float] | Sequence[float] | None = None) -> dict:
    r"""The layer weights as :func:`readiness_score` uses them: non-negative, summing to 1.

    .. math:: \tilde w_l = w_l \Big/ \sum_{k} w_k

    The denominator of the course's weighted mean over the six layers of the article's
    limits bound (*Mathematical Lens*); weights are dimensionless relative importances.

    Parameters
    ----------
    weights : mapping, sequence of 6 floats, or None
        As for :func:`readiness_score`; ``None`` weighs the six layers equally.

    Returns
    -------
    dict
        Layer → normalised weight, in ``LAYERS`` order.

    See Also
    --------
    readiness_score : the weighted mean these weights enter.

    References
    ----------
    The article, *Mathematical Lens* (the six layers of ``Deployment ≤ min(Data, Compute,
    Storage, Serving, Reliability, Governance)``; the weighted mean is the course's summary).

    Examples
    --------
    >>> normalized_weights([1, 1, 1, 1, 4, 2])["Reliability"]
    0.4
    >>> sum(normalized_weights().values())
    1.0
    """
    w = _weights_vector(weights)
    return {layer: float(x) for layer, x in zip(LAYERS, w)}


def readiness_score(layer_scores: Mapping[str, Any] | Sequence[float] | np.ndarray,
                    weights: Mapping[str, float] | Sequence[float] | None = None) -> Any:
    r"""Readiness as the weighted mean of the six layer scores.

    .. math:: Readiness = \sum_{l} w_l\, s_l \Big/ \sum_{l} w_l,
              \qquad l \in \{Data, Compute, Storage, Serving, Reliability, Governance\}

    Source: the six layers are those of the article's limits bound (*Mathematical Lens*,
    ``Deployment ≤ min(Data, Compute, Storage, Serving, Reliability, Governance)``); the
    weighted mean over them is **the course's** summary, not the article's readiness
    function (that has seven inputs: :func:`infra_lab.readiness.lens.readiness_lens`). Report it together with
    :func:`deployment_readiness_bound` — the article's
    ``Deployment ≤ min(...)`` — because a high mean can hide one weak layer.

    Parameters
    ----------
    layer_scores : mapping or array-like
        Scores in [0, 1] (dimensionless). Either a mapping layer → score with all six
        ``LAYERS`` (case-insensitive; values may be arrays that broadcast), or an array whose
        last axis holds the six scores in ``LAYERS`` order.
    weights : mapping, sequence of 6 floats, or None
        Non-negative importance of each layer; normalised to sum 1. ``None`` weighs the
        layers equally.

    Returns
    -------
    float or numpy.ndarray
        The weighted mean, in [0, 1] (up to rounding); an array for array scores.

    Raises
    ------
    ValueError
        A missing or unknown layer, a score outside [0, 1], a negative weight or all-zero
        weights (the message names the parameter and the offending value).

    See Also
    --------
    deployment_readiness_bound : the weakest-layer bound, reported next to the mean.
    normalized_weights : the weights as used here.
    infra_lab.readiness.lens.readiness_lens : the article's seven-input lens (a different set).

    References
    ----------
    The article, *Mathematical Lens* (the six inputs of the readiness function).

    Examples
    --------
    >>> readiness_score([0.8, 0.9, 0.7, 0.85, 0.6, 0.75])
    0.7666666666666666
    >>> w = {"Data": 1, "Compute": 1, "Storage": 1, "Serving": 1, "Reliability": 4, "Governance": 1}
    >>> round(readiness_score({"Data": 1, "Compute": 1, "Storage": 1, "Serving": 1,
    ...                        "Reliability": 0.5, "Governance": 1}, weights=w), 4)
    0.7778
    >>> readiness_score([[1, 1, 1, 1, 1, 1], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]).tolist()
    [1.0, 0.5]
    """
    scores = _layer_matrix(layer_scores)
    w = _weights_vector(weights)
    # Elementwise product then sum (not a BLAS dot): the same summation order for every
    # call keeps the score exactly monotone in each layer.
    return scalar_or_array((scores * w).sum(axis=-1))


def deployment_readiness_bound(layer_scores: Mapping[str, Any] | Sequence[float] | np.ndarray) -> ReadinessBound:
    r"""The weakest-layer bound: deployment readiness cannot exceed the weakest layer.

    .. math:: Deployment \le \min(Data, Compute, Storage, Serving, Reliability, Governance)

    Source: the article, *Mathematical Lens*. Scores are dimensionless, in [0, 1].

    Parameters
    ----------
    layer_scores : mapping or array-like
        As for :func:`readiness_score`.

    Returns
    -------
    ReadinessBound
        ``bound`` (the minimum), ``weakest_layer`` (first in ``LAYERS`` order on a tie) and
        ``scores`` (layer → score).

    See Also
    --------
    readiness_score : the weighted mean of the same layers.

    References
    ----------
    The article, *Mathematical Lens* (``Deployment ≤ min(Data, Compute, Storage, Serving,
    Reliability, Governance)``).

    Examples
    --------
    >>> b = deployment_readiness_bound({"Data": 0.8, "Compute": 0.9, "Storage": 0.7,
    ...                                 "Serving": 0.85, "Reliability": 0.6, "Governance": 0.75})
    >>> b.bound, b.weakest_layer
    (0.6, 'Reliability')
    >>> deployment_readiness_bound([[0.9, 0.5, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0.2]]).weakest_layer.tolist()
    ['Compute', 'Governance']
    """
    scores = _layer_matrix(layer_scores)
    idx = np.argmin(scores, axis=-1)  # argmin returns the first minimum: LAYERS order breaks ties
    bound = scalar_or_array(np.min(scores, axis=-1))
    names = np.asarray(LAYERS)[idx]
    weakest = str(names) if np.ndim(names) == 0 else names
    by_layer = {layer: scalar_or_array(scores[..., i]) for i, layer in enumerate(LAYERS)}
    return ReadinessBound(bound=bound, weakest_layer=weakest, scores=by_layer)
