r"""Technical debt and production-ML failure modes, made measurable.

Parts
-----
- :func:`ml_test_score` — the ML Test Score of Breck et al. (2017): the minimum over four
  sections of the points awarded for each test (½ manual, 1 automated).
- :func:`hidden_dependencies` — observed lineage edges that nobody declared, declared edges
  nobody uses, and the feedback cycles (a model's output reaching its own training data).
- :func:`change_impact` — the consumer registry read as a graph: who is affected by a change
  to one artifact, and how many of them the owner would not know about.
- :func:`simulate_feedback_loop` — a model retrained on outcomes that its own predictions shaped.

>>> r = ml_test_score({"data": [1, 1, 0.5], "model": [1, 0.5], "infrastructure": [1, 1], "monitoring": [0.5]})
>>> r.score, r.weakest_section
(0.5, 'monitoring')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import networkx as nx
import numpy as np
import pandas as pd

from infra_lab._checks import count, fraction, frame, nonnegative, number, require, seed as check_seed, text
from infra_lab._results import Result

__all__ = [
    "ML_TEST_SECTIONS", "MLTestScore", "ml_test_score",
    "HiddenDependencies", "hidden_dependencies",
    "ChangeImpact", "change_impact",
    "FeedbackLoop", "simulate_feedback_loop",
]

#: The four sections of the ML Test Score rubric, in the paper's order.
ML_TEST_SECTIONS = ("data", "model", "infrastructure", "monitoring")

# Breck et al. 2017, "Computing an ML Test Score": score → reading (upper bounds, inclusive).
_READINGS = ((0.0, "more of a research project than a productionized system"),
             (1.0, "not totally untested, but serious holes in reliability are possible"),
             (2.0, "a first pass at basic productionization; more investment may be needed"),
             (3.0, "reasonably tested; more tests and procedures may be automated"),
             (5.0, "strong automated testing and monitoring, appropriate for mission-critical systems"),
             (np.inf, "exceptional levels of automated testing and monitoring"))


@dataclass(frozen=True)
class MLTestScore(Result):
    """The ML Test Score of a system.

    Attributes
    ----------
    section_scores : dict
        Section → sum of its test points.
    score : float
        The minimum of the section scores: the score of the weakest section.
    weakest_section : str
        The section that sets the score (the first, in rubric order, on a tie).
    reading : str
        The paper's interpretation of the score.

    See Also
    --------
    ml_test_score : computes it.
    infra_lab.readiness.deployment_readiness_bound : the same "weakest part bounds the whole" rule.
    """

    section_scores: dict
    score: float
    weakest_section: str
    reading: str


def ml_test_score(points: Mapping[str, Any]) -> MLTestScore:
    r"""The ML Test Score: the weakest of four sections of production-readiness tests.

    Each test earns 0 points (not done), ½ (run manually, results documented and shared) or 1
    (run automatically and repeatedly). A section's score is the sum of its tests' points;
    the system's score is the minimum over the four sections, so a well-tested model cannot
    hide an unmonitored deployment.

    .. math:: Score = \min_{s \in \{data,\,model,\,infra,\,monitoring\}} \sum_{i \in s} p_i,
              \qquad p_i \in \{0, \tfrac12, 1\}

    Parameters
    ----------
    points : mapping of str to sequence of float
        For each of the sections ``data``, ``model``, ``infrastructure``, ``monitoring`` (all
        four, no others), the points of its tests, each 0, 0.5 or 1; a section may list no tests.

    Returns
    -------
    MLTestScore

    See Also
    --------
    hidden_dependencies : evidence for the data section (declared versus observed lineage).
    infra_lab.readiness.risk_table : debt × criticality ranking of individual items.

    References
    ----------
    E. Breck, S. Cai, E. Nielsen, M. Salib, D. Sculley, "The ML Test Score: A Rubric for ML
    Production Readiness and Technical Debt Reduction", IEEE Big Data 2017, Section "Computing
    an ML Test Score" (half a point manual, one point automated; the final score is the minimum
    of the four section sums; the table of readings).

    Examples
    --------
    Seven tests per section (the paper's 28); monitoring only half done by hand:

    >>> r = ml_test_score({"data": [1] * 7, "model": [1] * 5 + [0.5] * 2,
    ...                    "infrastructure": [1] * 4 + [0] * 3, "monitoring": [0.5] * 4 + [0] * 3})
    >>> r.section_scores["model"], r.score, r.weakest_section
    (6.0, 2.0, 'monitoring')
    >>> r.reading
    'a first pass at basic productionization; more investment may be needed'
    """
    if not isinstance(points, Mapping):
        raise TypeError(f"points={points!r:.80}: must be a mapping section → list of points, "
                        f"with the sections {list(ML_TEST_SECTIONS)}")
    keys = set(points)
    require(keys == set(ML_TEST_SECTIONS), "points", sorted(map(str, keys)),
            f"must have exactly the sections {list(ML_TEST_SECTIONS)}")
    sums = {}
    for s in ML_TEST_SECTIONS:
        values = points[s]
        if isinstance(values, (str, bytes)) or not hasattr(values, "__len__"):
            raise TypeError(f"points[{s!r}]={values!r:.80}: must be a list of test points (0, 0.5 or 1)")
        arr = number("points", list(values)) if len(values) else np.zeros(0)
        arr = np.atleast_1d(arr)
        require(np.all(np.isin(arr, (0.0, 0.5, 1.0))), "points", list(values),
                f"section {s!r}: each test earns 0, 0.5 (manual) or 1 (automated)")
        sums[s] = float(arr.sum())
    score = min(sums.values())
    weakest = next(s for s in ML_TEST_SECTIONS if sums[s] == score)
    reading = next(r for upper, r in _READINGS if score <= upper)
    return MLTestScore(sums, score, weakest, reading)


def _edge_frame(name: str, edges: Any) -> pd.DataFrame:
    """Accept a frame with source/target columns or a list of (source, target) pairs."""
    if isinstance(edges, pd.DataFrame):
        frame(name, edges, ["source", "target"], allow_empty=True)
        df = edges[["source", "target"]]
        require(not df.isna().any().any(), name, "a missing value", "source and target must be filled in")
        return df.astype(str).reset_index(drop=True)
    if isinstance(edges, (str, bytes)) or not hasattr(edges, "__iter__"):
        raise TypeError(f"{name}={edges!r:.80}: must be a DataFrame with columns source, target "
                        "or a list of (source, target) pairs")
    pairs = list(edges)
    for p in pairs:
        ok = isinstance(p, (tuple, list)) and len(p) == 2 and all(isinstance(v, str) and v for v in p)
        if not ok:
            raise TypeError(f"{name}: each edge must be a (source, target) pair of non-empty strings, got {p!r:.80}")
    return pd.DataFrame(pairs, columns=["source", "target"], dtype=object)


@dataclass(frozen=True)
class HiddenDependencies(Result):
    """Declared versus observed lineage.

    Attributes
    ----------
    hidden : pandas.DataFrame
        Observed edges (``source``, ``target``) that the registry does not declare.
    unused : pandas.DataFrame
        Declared edges never observed (stale declarations, dead code paths).
    hidden_share : float
        Hidden edges / observed edges (0 when nothing was observed).
    cycles : tuple of tuple of str
        Directed cycles of the observed graph — feedback loops, each listed from its
        alphabetically smallest node.

    See Also
    --------
    hidden_dependencies : computes it.
    change_impact : what a change reaches through these edges.
    """

    hidden: pd.DataFrame
    unused: pd.DataFrame
    hidden_share: float
    cycles: tuple


def hidden_dependencies(declared_edges: Any, observed_edges: Any) -> HiddenDependencies:
    r"""Hidden data dependencies: what the lineage shows but nobody declared.

    The declared graph is the consumer registry (who said they read what); the observed graph
    comes from lineage (access logs, query history). Their set difference is the debt:

    .. math:: E_{hidden} = E_{obs} \setminus E_{decl}, \qquad
              E_{unused} = E_{decl} \setminus E_{obs}, \qquad
              share = |E_{hidden}| / |E_{obs}|

    Cycles of :math:`G_{obs} = (V, E_{obs})` are feedback loops: an artifact that, through
    some path, feeds itself (a model whose predictions end up in its training data).

    Parameters
    ----------
    declared_edges : DataFrame or list of (str, str)
        The registry: columns ``source`` (the artifact read or produced from) and ``target``
        (the reader), or a list of such pairs; may be empty.
    observed_edges : DataFrame or list of (str, str)
        The lineage actually observed, in the same form; may be empty.

    Returns
    -------
    HiddenDependencies

    See Also
    --------
    change_impact : impact analysis over the observed graph.
    infra_lab.pipelines.downstream_impact : descendants in a declared pipeline DAG.

    References
    ----------
    D. Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015,
    Section 2 ("Undeclared Consumers"), Section 3 (data dependencies) and Section 4
    ("Feedback Loops", hidden feedback loops).

    Examples
    --------
    >>> declared = [("raw", "features"), ("features", "model"), ("model", "api")]
    >>> observed = [("raw", "features"), ("features", "model"), ("model", "api"),
    ...             ("api", "pricing_job"), ("pricing_job", "raw")]
    >>> h = hidden_dependencies(declared, observed)
    >>> h.hidden.values.tolist(), h.hidden_share
    ([['api', 'pricing_job'], ['pricing_job', 'raw']], 0.4)
    >>> h.cycles
    (('api', 'pricing_job', 'raw', 'features', 'model'),)
    """
    decl = _edge_frame("declared_edges", declared_edges)
    obs = _edge_frame("observed_edges", observed_edges)
    d_set = set(map(tuple, decl.values.tolist()))
    o_list = list(dict.fromkeys(map(tuple, obs.values.tolist())))
    o_set = set(o_list)
    hidden = pd.DataFrame([e for e in o_list if e not in d_set], columns=["source", "target"], dtype=object)
    unused_list = list(dict.fromkeys(e for e in map(tuple, decl.values.tolist()) if e not in o_set))
    unused = pd.DataFrame(unused_list, columns=["source", "target"], dtype=object)
    share = len(hidden) / len(o_list) if o_list else 0.0
    g = nx.DiGraph(o_list)
    cycles = []
    for c in nx.simple_cycles(g):
        i = c.index(min(c))
        cycles.append(tuple(c[i:] + c[:i]))
    return HiddenDependencies(hidden, unused, float(share), tuple(sorted(cycles)))


@dataclass(frozen=True)
class ChangeImpact(Result):
    """Who a change to one artifact reaches.

    Attributes
    ----------
    affected : pandas.DataFrame
        One row per reached node: ``node``, ``hops`` (shortest distance from the change) and
        ``declared`` (True when the registry alone also reaches it), sorted by hops then name.
    n_affected : int
        Number of nodes reached (the changed artifact excluded).
    n_unknown : int
        Reached nodes the owner would not find in the registry — they learn of the change
        when it breaks them.
    unknown_share : float
        ``n_unknown / n_affected`` (0 when nothing is affected).

    See Also
    --------
    change_impact : computes it.
    hidden_dependencies : the undeclared edges that create unknown consumers.
    """

    affected: pd.DataFrame
    n_affected: int
    n_unknown: int
    unknown_share: float


def change_impact(declared_edges: Any, observed_edges: Any, changed: str) -> ChangeImpact:
    r"""Impact analysis of a change: every consumer reachable from the changed artifact.

    .. math:: I(a) = \{v : a \to^{+} v \text{ in } G_{obs}\}, \qquad
              U(a) = I(a) \setminus \{v : a \to^{+} v \text{ in } G_{decl}\}, \qquad
              share = |U(a)| / |I(a)|

    Parameters
    ----------
    declared_edges : DataFrame or list of (str, str)
        The consumer registry (columns ``source``, ``target``); may be empty.
    observed_edges : DataFrame or list of (str, str)
        The observed lineage, same form; may be empty.
    changed : str
        The artifact being changed (a schema change, a new model version); it need not appear
        in either graph (then nothing is affected).

    Returns
    -------
    ChangeImpact

    See Also
    --------
    hidden_dependencies : the undeclared edges behind ``n_unknown``.
    infra_lab.governance.dataset_impact : the same question asked of the SQL metadata store.

    References
    ----------
    D. Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015,
    Section 2 ("Undeclared Consumers": access controls and service-level agreements as the remedy).

    Examples
    --------
    >>> declared = [("features", "model"), ("model", "api")]
    >>> observed = declared + [("features", "fraud_rules"), ("fraud_rules", "alerts")]
    >>> imp = change_impact(declared, observed, "features")
    >>> imp.affected.values.tolist()
    [['fraud_rules', 1, False], ['model', 1, True], ['alerts', 2, False], ['api', 2, True]]
    >>> imp.n_affected, imp.n_unknown, imp.unknown_share
    (4, 2, 0.5)
    """
    decl = _edge_frame("declared_edges", declared_edges)
    obs = _edge_frame("observed_edges", observed_edges)
    node = text("changed", changed)
    g_obs = nx.DiGraph(obs.values.tolist())
    g_decl = nx.DiGraph(decl.values.tolist())
    hops = nx.single_source_shortest_path_length(g_obs, node) if node in g_obs else {node: 0}
    known = nx.descendants(g_decl, node) if node in g_decl else set()
    rows = sorted(((v, h, v in known) for v, h in hops.items() if v != node), key=lambda r: (r[1], r[0]))
    affected = pd.DataFrame(rows, columns=["node", "hops", "declared"])
    affected["hops"] = affected["hops"].astype(int)
    affected["declared"] = affected["declared"].astype(bool)
    unknown = int((~affected["declared"]).sum())
    return ChangeImpact(affected, len(rows), unknown, unknown / len(rows) if rows else 0.0)


@dataclass(frozen=True)
class FeedbackLoop(Result):
    r"""A simulated feedback loop.

    Attributes
    ----------
    rounds : ndarray of int
        0, 1, …, ``rounds`` − 1 (round 0 is trained on outcomes no model influenced).
    fitted_slope : ndarray of float
        The slope each round's model learned.
    expected_slope : ndarray of float
        The noise-free recursion :math:`\beta_t = \beta (1 - \alpha^{t+1}) / (1 - \alpha)`.
    drift : ndarray of float
        ``fitted_slope / true_slope − 1``: how far the model has moved from the world it
        would see without itself.
    fixed_point : float
        :math:`\beta / (1 - \alpha)`, where the loop settles for :math:`\alpha < 1`;
        ``inf`` for :math:`\alpha \ge 1` (it never settles).

    See Also
    --------
    simulate_feedback_loop : produces it.
    """

    rounds: np.ndarray
    fitted_slope: np.ndarray
    expected_slope: np.ndarray
    drift: np.ndarray
    fixed_point: float


def simulate_feedback_loop(rounds: int = 10, feedback_strength: float = 0.5, true_slope: float = 1.0,
                           samples_per_round: int = 1000, noise_sd: float = 0.5, seed: Any = 0) -> FeedbackLoop:
    r"""A model retrained each round on outcomes that its previous predictions shaped.

    Each round draws :math:`x \sim N(0, 1)`; the observed outcome mixes the world's response
    with the deployed model's prediction (a price that customers anchor on, a ranking that
    decides what gets clicked); the next model is the least-squares slope through the origin:

    .. math:: y = \beta x + \alpha\,\hat y_{t-1}(x) + \varepsilon, \qquad
              \hat y_{t-1}(x) = \hat\beta_{t-1} x, \qquad
              \hat\beta_t = \frac{\sum x y}{\sum x^2} \approx \beta + \alpha \hat\beta_{t-1}

    so, without noise, :math:`\beta_t = \beta (1 - \alpha^{t+1})/(1 - \alpha)`, settling at
    :math:`\beta/(1-\alpha)` when :math:`\alpha < 1` and growing without bound otherwise.
    Round 0 has no deployed model (:math:`\hat y_{-1} = 0`).

    Parameters
    ----------
    rounds : int, default 10
        Training rounds, in [1, 500] (at α = 2 the slope doubles each round).
    feedback_strength : float, default 0.5
        :math:`\alpha`, the weight of the model's own prediction in the next outcome; in [0, 2].
    true_slope : float, default 1.0
        :math:`\beta`, the world's response to x; non-zero, in [-1e6, 1e6].
    samples_per_round : int, default 1000
        Training rows per round, in [2, 1000000].
    noise_sd : float, default 0.5
        Standard deviation of :math:`\varepsilon`; ≥ 0 and ≤ 1e6.
    seed : int or numpy.random.Generator, default 0
        Random seed.

    Returns
    -------
    FeedbackLoop

    See Also
    --------
    hidden_dependencies : finds such loops as cycles in the lineage graph.
    infra_lab.mlops.retraining_decision : the retraining trigger that closes the loop in practice.

    References
    ----------
    D. Sculley et al., "Hidden Technical Debt in Machine Learning Systems", NeurIPS 2015,
    Section 4 ("Feedback Loops"); J. Perdomo, T. Zrnic, C. Mendler-Dünner, M. Hardt,
    "Performative Prediction", ICML 2020, Section 3 (repeated risk minimization).

    Examples
    --------
    Without noise the fitted slopes follow the recursion exactly: 1, 1.5, 1.75, 1.875 → 2.

    >>> loop = simulate_feedback_loop(rounds=4, feedback_strength=0.5, noise_sd=0.0, seed=1)
    >>> loop.fitted_slope.round(6).tolist(), loop.fixed_point
    ([1.0, 1.5, 1.75, 1.875], 2.0)
    """
    t = int(count("rounds", rounds, minimum=1, maximum=500))
    a = float(number("feedback_strength", feedback_strength, low=0.0, high=2.0))
    b = float(number("true_slope", true_slope, low=-1e6, high=1e6))
    require(b != 0, "true_slope", b, "must be non-zero (drift is measured relative to it)")
    n = int(count("samples_per_round", samples_per_round, minimum=2, maximum=1_000_000))
    sd = float(nonnegative("noise_sd", noise_sd))
    require(sd <= 1e6, "noise_sd", sd, "must be ≤ 1e6")
    rng = check_seed("seed", seed)
    rng = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    fitted = np.empty(t)
    previous = 0.0
    for i in range(t):
        x = rng.standard_normal(n)
        y = b * x + a * previous * x + sd * rng.standard_normal(n)
        previous = float(x @ y / (x @ x))
        fitted[i] = previous
    k = np.arange(t)
    expected = b * (k + 1.0) if a == 1.0 else b * (1 - a ** (k + 1)) / (1 - a)
    drift = fitted / b - 1
    fixed = b / (1 - a) if a < 1 else float("inf")
    return FeedbackLoop(k, fitted, expected, drift, float(fixed))
