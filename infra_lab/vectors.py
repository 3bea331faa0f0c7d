r"""Vector search: exact k-nearest neighbours, an inverted-file (IVF) index, and recall@k.

The article's storage layers include a *vector database*: nearest-neighbour search over
embeddings. This module is the smallest honest version of one, in numpy:

* :func:`standardize` — z-scores per column, so no feature dominates the distance by its unit.
* :func:`exact_knn` — brute force: every query against every vector (the reference answer).
* :func:`build_ivf` / :func:`ivf_search` — an inverted file: k-means cells, and a search that
  scans only the ``n_probe`` cells nearest the query (approximate; faster).
* :func:`recall_at_k` — the share of the true k nearest neighbours an approximate search found.

Distances are Euclidean. Every search result counts its comparisons (distance evaluations), a cost measure
that does not depend on the machine (wall-clock latency does).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ._checks import count, count_result, data_array, seed as _seed
from ._results import Result

__all__ = ["standardize", "Neighbours", "exact_knn", "IvfIndex", "build_ivf", "ivf_search", "recall_at_k"]

#: Largest query × vector distance matrix held at once (float64: 800 MB); searches chunk below it.
_CHUNK_CELLS = 20_000_000


def _matrix(name: str, values: Any, columns: int | None = None) -> np.ndarray:
    x = data_array(name, values, ndim=2)
    if columns is not None and x.shape[1] != columns:
        raise ValueError(f"{name}: has {x.shape[1]} columns; the vectors have {columns}")
    return x


def standardize(X: Any) -> np.ndarray:
    r"""Z-scores per column: subtract the column mean, divide by its standard deviation.

    .. math:: z_{ij} = \frac{x_{ij} - \bar x_j}{s_j}, \qquad
              s_j = \sqrt{\tfrac{1}{n}\textstyle\sum_i (x_{ij} - \bar x_j)^2}

    Without it a Euclidean distance over (°F, %, miles, mph) is dominated by whichever
    column has the largest numbers.

    Parameters
    ----------
    X : array_like, shape (n, d)
        Finite values, no NaN, at least 2 rows; no constant column.

    Returns
    -------
    ndarray, shape (n, d)

    See Also
    --------
    exact_knn : the distance this prepares the vectors for.

    References
    ----------
    Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed., Springer,
    2009, §14.3.3 (standardising variables before computing dissimilarities).

    Examples
    --------
    >>> standardize([[1.0, 10.0], [3.0, 30.0]]).tolist()
    [[-1.0, -1.0], [1.0, 1.0]]
    """
    x = _matrix("X", X)
    if x.shape[0] < 2:
        raise ValueError(f"X: needs at least 2 rows to standardise; got {x.shape[0]}")
    sd = x.std(axis=0)
    if np.any(sd == 0):
        raise ValueError(f"X: column(s) {np.flatnonzero(sd == 0).tolist()} are constant; a z-score is undefined")
    return (x - x.mean(axis=0)) / sd


@dataclass(frozen=True)
class Neighbours(Result):
    """The k nearest vectors of each query.

    Attributes
    ----------
    ids : ndarray of int, shape (n_queries, k)
        Row numbers of the neighbours in the searched vectors, nearest first; -1 where an
        approximate search found fewer than k candidates.
    distances : ndarray, shape (n_queries, k)
        Euclidean distances (same unit as the vectors); inf where ``ids`` is -1.
    comparisons : int
        Query–vector (and query–centroid) distances computed: the search's cost.

    See Also
    --------
    exact_knn, ivf_search : return it.
    recall_at_k : compares two of them.
    """

    ids: np.ndarray
    distances: np.ndarray
    comparisons: int


def _sq_distances(q: np.ndarray, b: np.ndarray, b_sq: np.ndarray) -> np.ndarray:
    d = (q * q).sum(axis=1)[:, None] - 2.0 * (q @ b.T) + b_sq[None, :]
    return np.maximum(d, 0.0)  # rounding can make a tiny distance negative


def _top_k(d: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    kk = min(k, d.shape[1])
    part = np.argpartition(d, kk - 1, axis=1)[:, :kk] if kk < d.shape[1] else np.tile(np.arange(d.shape[1]), (d.shape[0], 1))
    dp = np.take_along_axis(d, part, axis=1)
    order = np.lexsort((part, dp), axis=1)  # nearest first; ties by row number
    return np.take_along_axis(part, order, axis=1), np.take_along_axis(dp, order, axis=1)


def exact_knn(vectors: Any, queries: Any, k: int = 10) -> Neighbours:
    r"""The exact k nearest neighbours of each query (brute force, Euclidean).

    .. math:: N_k(q) = \operatorname*{arg\,min}_{S \subset V,\ |S| = k} \sum_{v \in S} \lVert q - v \rVert_2,
              \qquad \lVert q - v \rVert^2 = \lVert q\rVert^2 - 2\,q\cdot v + \lVert v\rVert^2

    Computes all :math:`n_q \times n` distances (in chunks, through one matrix product each)
    — the reference answer an approximate index is measured against. Ties are broken by row
    number.

    Parameters
    ----------
    vectors : array_like, shape (n, d)
        The searched vectors; finite, no NaN.
    queries : array_like, shape (n_queries, d)
        Query vectors with the same d.
    k : int
        Neighbours per query, 1 ≤ k ≤ n.

    Returns
    -------
    Neighbours
        ``comparisons`` = n_queries × n.

    See Also
    --------
    ivf_search : the approximate search.
    recall_at_k : how much of this answer an approximate search recovers.

    References
    ----------
    Jégou, Douze & Schmid, "Product quantization for nearest neighbor search", IEEE TPAMI
    33(1):117–128, 2011, §I (exhaustive search as the baseline that does not scale).

    Examples
    --------
    >>> r = exact_knn([[0.0, 0.0], [1.0, 0.0], [5.0, 5.0]], [[0.9, 0.1]], k=2)
    >>> r.ids.tolist(), r.comparisons
    ([[1, 0]], 3)
    """
    v = _matrix("vectors", vectors)
    q = _matrix("queries", queries, v.shape[1])
    kk = int(count("k", k, minimum=1, maximum=v.shape[0]))
    v_sq = (v * v).sum(axis=1)
    step = max(1, _CHUNK_CELLS // v.shape[0])
    ids, dist = [], []
    for start in range(0, q.shape[0], step):
        i, d = _top_k(_sq_distances(q[start:start + step], v, v_sq), kk)
        ids.append(i)
        dist.append(np.sqrt(d))
    return Neighbours(np.vstack(ids), np.vstack(dist), count_result("comparisons", q.shape[0] * v.shape[0]))


@dataclass(frozen=True)
class IvfIndex(Result):
    """An inverted-file index: k-means centroids and, per centroid, the vectors in its cell.

    Attributes
    ----------
    vectors : ndarray, shape (n, d)
        The indexed vectors (a copy).
    centroids : ndarray, shape (n_lists, d)
        Cell centres from k-means.
    order : ndarray of int, shape (n,)
        Row numbers sorted by cell: cell j holds ``order[offsets[j]:offsets[j + 1]]``.
    offsets : ndarray of int, shape (n_lists + 1,)
        Where each cell starts in ``order``.
    inertia : float
        Sum of squared distances of the vectors to their centroids (the k-means objective).

    See Also
    --------
    build_ivf : builds it.
    ivf_search : searches it.
    """

    vectors: np.ndarray
    centroids: np.ndarray
    order: np.ndarray
    offsets: np.ndarray
    inertia: float

    @property
    def n_lists(self) -> int:
        """Number of cells."""
        return int(self.centroids.shape[0])


def build_ivf(vectors: Any, n_lists: int = 64, n_iter: int = 20, seed: int = 0) -> IvfIndex:
    r"""Build an inverted-file index: k-means (Lloyd's algorithm) cells over the vectors.

    .. math:: \min_{c_1..c_L} \sum_i \min_j \lVert v_i - c_j \rVert^2

    Starts from ``n_lists`` distinct vectors drawn at random and runs ``n_iter`` Lloyd
    steps (assign each vector to its nearest centroid, move each centroid to its cell's
    mean; an empty cell keeps its centroid). Each vector is then listed under its nearest
    centroid — the inverted file.

    Parameters
    ----------
    vectors : array_like, shape (n, d)
        Vectors to index; finite, no NaN.
    n_lists : int
        Cells L, 1 ≤ L ≤ n. A common rule of thumb is about √n.
    n_iter : int
        Lloyd iterations, 1–1000.
    seed : int
        Seed of ``numpy.random.default_rng`` for the initial centroids.

    Returns
    -------
    IvfIndex

    See Also
    --------
    ivf_search : searches the index.
    exact_knn : the exhaustive search it approximates.

    References
    ----------
    Lloyd, "Least squares quantization in PCM", IEEE Trans. Information Theory 28(2):129–137,
    1982 (the k-means iteration). Jégou, Douze & Schmid, IEEE TPAMI 33(1), 2011, §IV (the
    inverted file with a coarse k-means quantizer).

    Examples
    --------
    >>> idx = build_ivf([[0.0], [0.1], [10.0], [10.1]], n_lists=2, seed=0)
    >>> sorted(np.round(idx.centroids.ravel(), 2).tolist())
    [0.05, 10.05]
    """
    v = _matrix("vectors", vectors)
    n_l = int(count("n_lists", n_lists, minimum=1, maximum=v.shape[0]))
    n_it = int(count("n_iter", n_iter, minimum=1, maximum=1000))
    rng = np.random.default_rng(_seed("seed", seed))
    uniq = np.unique(v, axis=0)
    if uniq.shape[0] < n_l:
        raise ValueError(f"n_lists={n_lists!r}: more cells than distinct vectors ({uniq.shape[0]})")
    c = uniq[rng.choice(uniq.shape[0], n_l, replace=False)].copy()
    v_sq = (v * v).sum(axis=1)
    step = max(1, _CHUNK_CELLS // n_l)

    def assign(cent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lab, dist = [], []
        c_sq = (cent * cent).sum(axis=1)
        for s in range(0, v.shape[0], step):
            d = np.maximum(v_sq[s:s + step, None] - 2.0 * v[s:s + step] @ cent.T + c_sq[None, :], 0.0)
            j = d.argmin(axis=1)
            lab.append(j)
            dist.append(d[np.arange(j.size), j])
        return np.concatenate(lab), np.concatenate(dist)

    for _ in range(n_it):
        lab, _d = assign(c)
        sums = np.stack([np.bincount(lab, weights=v[:, j], minlength=n_l) for j in range(v.shape[1])], axis=1)
        sizes = np.bincount(lab, minlength=n_l)
        filled = sizes > 0
        c[filled] = sums[filled] / sizes[filled, None]
    lab, d = assign(c)
    order = np.argsort(lab, kind="stable")
    offsets = np.concatenate([[0], np.cumsum(np.bincount(lab, minlength=n_l))])
    return IvfIndex(v.copy(), c, order, offsets, float(d.sum()))


def ivf_search(index: IvfIndex, queries: Any, k: int = 10, n_probe: int = 1) -> Neighbours:
    r"""Approximate k nearest neighbours: scan only the ``n_probe`` cells nearest each query.

    .. math:: \hat N_k(q) = N_k\bigl(q;\ \textstyle\bigcup_{j \in P(q)} V_j\bigr), \qquad
              P(q) = \text{the } n_{probe} \text{ centroids nearest } q

    A true neighbour in an unprobed cell is missed — that is the approximation, measured by
    :func:`recall_at_k`. With ``n_probe = n_lists`` the search is exact. Cost per query:
    ``n_lists`` centroid distances plus one per vector in the probed cells.

    Parameters
    ----------
    index : IvfIndex
        From :func:`build_ivf`.
    queries : array_like, shape (n_queries, d)
        Query vectors with the index's d.
    k : int
        Neighbours per query, 1 ≤ k ≤ n.
    n_probe : int
        Cells scanned per query, 1 ≤ n_probe ≤ n_lists.

    Returns
    -------
    Neighbours
        ids −1 and distance inf where the probed cells held fewer than k vectors.

    See Also
    --------
    build_ivf : builds the index.
    exact_knn : the exact answer.
    recall_at_k : the share of the exact answer found.

    References
    ----------
    Jégou, Douze & Schmid, "Product quantization for nearest neighbor search", IEEE TPAMI
    33(1):117–128, 2011, §IV (non-exhaustive search: visit the ``w`` nearest inverted lists).

    Examples
    --------
    >>> idx = build_ivf([[0.0], [0.1], [10.0], [10.1]], n_lists=2, seed=0)
    >>> r = ivf_search(idx, [[0.2]], k=2, n_probe=1)
    >>> r.ids.tolist(), r.comparisons
    ([[1, 0]], 4)
    """
    if not isinstance(index, IvfIndex):
        raise TypeError(f"index: must be an IvfIndex from build_ivf; got {type(index).__name__}")
    v = index.vectors
    q = _matrix("queries", queries, v.shape[1])
    kk = int(count("k", k, minimum=1, maximum=v.shape[0]))
    n_p = int(count("n_probe", n_probe, minimum=1, maximum=index.n_lists))
    c_sq = (index.centroids ** 2).sum(axis=1)
    cells = _top_k(_sq_distances(q, index.centroids, c_sq), n_p)[0]
    ids = np.full((q.shape[0], kk), -1, dtype=np.int64)
    dist = np.full((q.shape[0], kk), np.inf)
    evaluations = q.shape[0] * index.n_lists
    sorted_v = v[index.order]                      # each cell a contiguous block: scanned without copies
    sorted_sq = (sorted_v * sorted_v).sum(axis=1)
    # Group the queries by their probed set of cells so each cell block is one matrix product per group.
    key = np.sort(cells, axis=1)
    _, group = np.unique(key, axis=0, return_inverse=True)
    group = np.asarray(group).ravel()
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        qs = q[rows]
        blocks = [(index.offsets[j], index.offsets[j + 1]) for j in key[rows[0]] if index.offsets[j + 1] > index.offsets[j]]
        if not blocks:
            continue
        d = np.hstack([_sq_distances(qs, sorted_v[a:b], sorted_sq[a:b]) for a, b in blocks])
        cand = np.concatenate([index.order[a:b] for a, b in blocks])
        evaluations += rows.size * cand.size
        i, dd = _top_k(d, kk)
        found = cand[i]
        order = np.lexsort((found, dd), axis=1)  # nearest first; ties by row number, as in exact_knn
        found, dd = np.take_along_axis(found, order, axis=1), np.take_along_axis(dd, order, axis=1)
        ids[rows, :found.shape[1]] = found
        dist[rows, :found.shape[1]] = np.sqrt(dd)
    return Neighbours(ids, dist, count_result("comparisons", evaluations))


def recall_at_k(found_ids: Any, true_ids: Any) -> float:
    r"""Share of the true k nearest neighbours that a search returned (k-NN recall).

    .. math:: recall@k = \frac{1}{n_q} \sum_q \frac{|\hat N_k(q) \cap N_k(q)|}{k}

    Recall in the information-retrieval sense (relevant items retrieved ÷ relevant items),
    with the exact k nearest neighbours as the relevant set. Not to be confused with
    Jégou et al.'s "recall@R" (the share of queries whose single nearest neighbour is among
    the first R results). −1 entries (no candidate) count as misses.

    Parameters
    ----------
    found_ids : array_like of int, shape (n_queries, k)
        Ids returned by the approximate search (−1 for none).
    true_ids : array_like of int, shape (n_queries, k)
        Ids of the exact k nearest neighbours (from :func:`exact_knn`).

    Returns
    -------
    float
        In [0, 1] (-).

    See Also
    --------
    exact_knn : the true neighbours.
    ivf_search : an approximate search to score.

    References
    ----------
    Manning, Raghavan & Schütze, *Introduction to Information Retrieval*, Cambridge UP, 2008,
    §8.3 (recall = relevant items retrieved / relevant items).

    Examples
    --------
    >>> recall_at_k([[1, 2, 9], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]])
    0.8333333333333334
    """
    f = data_array("found_ids", found_ids, low=-1, ndim=2)
    t = data_array("true_ids", true_ids, low=0, ndim=2)
    if f.shape != t.shape:
        raise ValueError(f"found_ids: shape {f.shape} differs from true_ids' {t.shape}")
    for name, a in (("found_ids", f), ("true_ids", t)):
        if np.any(a != np.round(a)):
            raise ValueError(f"{name}: ids must be whole numbers")
    hits = (f[:, :, None] == t[:, None, :]).any(axis=2) & (f >= 0)
    return float(hits.sum() / t.size)
