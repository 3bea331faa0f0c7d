"""infra_lab.vectors against independent implementations: a per-query loop with
``np.linalg.norm`` + ``np.argsort`` for the exact neighbours, set intersection for recall,
and textbook facts (an IVF that probes every cell is exact; more probes never lower recall)."""

from __future__ import annotations

import numpy as np
import pytest

from infra_lab import vectors as vx


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(11)
    centres = rng.normal(scale=5, size=(8, 5))
    v = centres[rng.integers(0, 8, 1500)] + rng.normal(size=(1500, 5))
    q = centres[rng.integers(0, 8, 60)] + rng.normal(size=(60, 5))
    return v, q


def test_exact_knn_matches_a_per_query_loop(data):
    v, q = data
    r = vx.exact_knn(v, q, k=7)
    for i, x in enumerate(q):
        d = np.linalg.norm(v - x, axis=1)
        want = np.argsort(d, kind="stable")[:7]
        assert r.ids[i].tolist() == want.tolist()
        np.testing.assert_allclose(r.distances[i], d[want], rtol=1e-9, atol=1e-9)
    assert r.comparisons == 60 * 1500


def test_ivf_probing_every_cell_is_exact_and_recall_grows_with_probes(data):
    v, q = data
    exact = vx.exact_knn(v, q, k=5)
    idx = vx.build_ivf(v, n_lists=16, n_iter=10, seed=2)
    assert sorted(idx.order.tolist()) == list(range(1500)) and idx.offsets[-1] == 1500
    full = vx.ivf_search(idx, q, k=5, n_probe=16)
    assert full.ids.tolist() == exact.ids.tolist()
    recalls = [vx.recall_at_k(vx.ivf_search(idx, q, k=5, n_probe=p).ids, exact.ids) for p in (1, 2, 4, 8, 16)]
    assert all(a <= b + 1e-12 for a, b in zip(recalls, recalls[1:])) and recalls[-1] == 1.0
    one = vx.ivf_search(idx, q, k=5, n_probe=1)
    sizes = np.diff(idx.offsets)
    # cost: every centroid, plus the vectors of the probed cell
    c = ((q[:, None, :] - idx.centroids[None]) ** 2).sum(axis=2).argmin(axis=1)
    assert one.comparisons == 60 * 16 + sizes[c].sum()


def test_kmeans_assigns_each_vector_to_its_nearest_centroid(data):
    v, _ = data
    idx = vx.build_ivf(v, n_lists=8, n_iter=15, seed=0)
    nearest = np.linalg.norm(v[:, None, :] - idx.centroids[None], axis=2).argmin(axis=1)
    for j in range(8):
        assert set(idx.order[idx.offsets[j]:idx.offsets[j + 1]].tolist()) == set(np.flatnonzero(nearest == j).tolist())
    assert idx.inertia == pytest.approx((np.min(np.linalg.norm(v[:, None] - idx.centroids[None], axis=2), axis=1) ** 2).sum())


def test_recall_is_the_mean_overlap_of_the_sets():
    found = np.array([[1, 2, 9], [4, 5, -1], [7, 8, 0]])
    true = np.array([[1, 2, 3], [4, 5, 6], [0, 7, 8]])
    want = np.mean([len(set(f) & set(t)) / 3 for f, t in zip(found.tolist(), true.tolist())])
    assert vx.recall_at_k(found, true) == pytest.approx(want)


def test_standardize_gives_zero_mean_unit_sd_and_refuses_a_constant_column():
    x = np.array([[60.0, 10.0], [70.0, 5.0], [80.0, 0.0]])
    z = vx.standardize(x)
    np.testing.assert_allclose(z.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1)
    with pytest.raises(ValueError, match="constant"):
        vx.standardize([[1.0, 2.0], [1.0, 3.0]])
