"""Plotting helpers: the pipeline DAG and the CPM schedule as a Gantt chart.

Each helper draws on a matplotlib ``Axes`` (a new figure when ``ax`` is omitted) and returns
it, so a notebook can add to the drawing and a test can read back what was drawn: the
nodes and edges (``ax.collections``, ``ax.patches``), the bars, the tick labels, the legend
and the axis labels with their units. The numbers come from the library's formula functions
(:func:`infra_lab.pipelines.critical_path`); the helpers only draw.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from infra_lab.article import pipeline_tasks, pipeline_edges
>>> from infra_lab.pipelines import build_dag, critical_path
>>> ax = plot_gantt(critical_path(build_dag(pipeline_tasks(), pipeline_edges())))
>>> ax.get_xlabel()
'time (minutes)'
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

from infra_lab._checks import data_array, frame, no_missing, text

__all__ = ["plot_dag", "plot_gantt"]

_SCHEDULE_COLUMNS = ("task", "earliest_start", "earliest_finish", "slack")


def _check_axes(ax: Any) -> None:
    if ax is not None and not hasattr(ax, "add_patch"):
        raise TypeError(f"ax={ax!r}: must be a matplotlib Axes or None")


def _optional_text(name: str, value: Any) -> str | None:
    return None if value is None else text(name, value)


def _highlight(dag: nx.DiGraph, highlight: Any, highlight_label: str | None, back: list) -> tuple[list, set, str]:
    """The tasks to mark, the path edges to draw red and the legend entry."""
    from infra_lab.pipelines.dag import CriticalPath, critical_path

    label = highlight_label or "highlighted"
    if highlight is None:
        has_durations = all("duration_minutes" in d for _, d in dag.nodes(data=True))
        highlight = critical_path(dag).path if (not back and has_durations) else []
        label = highlight_label or "critical path"
    elif isinstance(highlight, CriticalPath):
        highlight = highlight.path
        label = highlight_label or "critical path"
    elif isinstance(highlight, (str, bytes)) or not isinstance(highlight, (list, tuple, set, frozenset)):
        raise TypeError(f"highlight={highlight!r}: must be a list of tasks (a path), a set of tasks, "
                        "a CriticalPath or None")
    unknown = [u for u in highlight if u not in dag]
    if unknown:
        raise ValueError(f"highlight={unknown!r}: not tasks of the graph; its tasks are {list(dag.nodes)}")
    if isinstance(highlight, (set, frozenset)):
        return [u for u in dag.nodes if u in highlight], set(), label
    highlight = list(highlight)
    return highlight, set(zip(highlight[:-1], highlight[1:])), label


def _schedule_frame(schedule: Any) -> pd.DataFrame:
    """A CPM schedule sorted by start: every time finite, ≥ 0, finish ≥ start, slack ≥ 0."""
    from infra_lab.pipelines.dag import CriticalPath

    if isinstance(schedule, CriticalPath):
        schedule = schedule.schedule
    frame("schedule", schedule, _SCHEDULE_COLUMNS)
    no_missing("schedule", schedule, _SCHEDULE_COLUMNS)
    for col in _SCHEDULE_COLUMNS[1:]:
        data_array(f"schedule[{col!r}]", schedule[col], low=0.0)
    if (schedule["earliest_finish"] < schedule["earliest_start"]).any():
        raise ValueError("schedule has a task whose earliest_finish is before its earliest_start; "
                         "pass critical_path(...).schedule")
    return schedule.sort_values(["earliest_start", "earliest_finish"], kind="stable").reset_index(drop=True)


def _split_back_edges(g: nx.DiGraph) -> tuple[nx.DiGraph, list]:
    """The graph without the edges that close cycles (flagged ``feedback``, else DFS back edges)."""
    back = [(u, v) for u, v, d in g.edges(data=True) if d.get("feedback")]
    h = g.copy()
    h.remove_edges_from(back)
    while not nx.is_directed_acyclic_graph(h):
        u, v = nx.find_cycle(h)[-1]  # the edge that returns to the cycle's start
        back.append((u, v))
        h.remove_edge(u, v)
    return h, back


def _layered_positions(h: nx.DiGraph) -> dict:
    pos = {}
    for x, generation in enumerate(nx.topological_generations(h)):
        members = set(generation)
        order = [u for u in h.nodes if u in members]  # keep table order within a layer
        for k, u in enumerate(order):
            pos[u] = (float(x), (len(order) - 1) / 2.0 - k)
    return pos


def plot_dag(dag: nx.DiGraph, ax: Any = None, highlight: Any = None, title: str | None = None,
             highlight_label: str | None = None) -> Any:
    """Draw a pipeline left to right by topological generation; gates and critical path marked.

    Tasks are blue circles, governance gates orange diamonds (a legend says which); the x
    axis counts topological generations (tasks in one column can run in parallel).

    Parameters
    ----------
    dag : networkx.DiGraph
        A pipeline (``build_dag``) or the lifecycle (``lifecycle_graph``), at least one
        node. Edges that close a cycle (flagged ``feedback``, or found by search) are left
        out of the layout and drawn as dashed curves, so the lifecycle's loop is shown, not
        refused.
    ax : matplotlib.axes.Axes or None
        Drawn on a new figure when omitted.
    highlight : list of tasks, CriticalPath, set of tasks or None
        A list (a path) or a CriticalPath: its tasks and the edges between consecutive
        tasks are drawn in red. A set: only those tasks are outlined (e.g. what a failure
        blocks). By default the critical path is highlighted when the graph is acyclic and
        every node has a duration; pass ``[]`` to highlight nothing. Every task must be in
        ``dag``.
    title : str or None
        Axes title (default: the numbers of tasks and dependencies).
    highlight_label : str or None
        Legend entry for the highlight (default "critical path" for the default highlight,
        else "highlighted").

    Returns
    -------
    matplotlib.axes.Axes
        Node markers in ``ax.collections``, edges as arrow patches, the task names as
        ``ax.texts`` and the legend naming tasks, gates, the highlight and feedback.

    See Also
    --------
    plot_gantt : the schedule of the same pipeline over time.
    infra_lab.pipelines.dag.critical_path : the default highlight.

    References
    ----------
    The article, Section "Data Pipelines and DAG Systems" (the pipeline DAG and its
    governance gates). Layering by topological generation: Cormen et al., *Introduction to
    Algorithms*, 3rd ed., §22.4 "Topological sort".

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> from infra_lab.pipelines import build_dag
    >>> ax = plot_dag(build_dag(pipeline_tasks(), pipeline_edges()))
    >>> ax.get_title(), len(ax.texts)
    ('Pipeline DAG: 9 tasks, 8 dependencies', 9)
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path

    from infra_lab.pipelines.dag import _require_digraph

    _require_digraph(dag)
    _check_axes(ax)
    title = _optional_text("title", title)
    highlight_label = _optional_text("highlight_label", highlight_label)
    h, back = _split_back_edges(dag)
    highlight, hl_edges, label = _highlight(dag, highlight, highlight_label, back)
    pos = _layered_positions(h)
    n_layers = int(max(x for x, _ in pos.values())) + 1 if pos else 1
    height = max((sum(1 for x, _ in pos.values() if x == k) for k in range(n_layers)), default=1)
    if ax is None:
        _, ax = plt.subplots(figsize=(max(6.0, 1.9 * n_layers), max(2.6, 1.3 * height + 1.0)))

    for long in (False, True):  # edges that skip a generation curve, so they miss the labels
        chosen = [(u, v) for u, v in h.edges if (pos[v][0] - pos[u][0] > 1) == long]
        style = "arc3,rad=0.18" if long else "arc3"
        nx.draw_networkx_edges(h, pos, edgelist=[e for e in chosen if e not in hl_edges], ax=ax,
                               edge_color="0.55", width=1.2, arrows=True, arrowsize=12, node_size=700,
                               connectionstyle=style)
        nx.draw_networkx_edges(h, pos, edgelist=[e for e in chosen if e in hl_edges], ax=ax,
                               edge_color="tab:red", width=2.6, arrows=True, arrowsize=14, node_size=700,
                               connectionstyle=style)
    top = max((y for _, y in pos.values()), default=0.0) + 0.9
    for u, v in back:  # a cubic Bézier in data coordinates, over the top of the layout
        (xu, yu), (xv, yv) = pos[u], pos[v]
        arc = Path([(xu, yu + 0.12), (xu, top), (xv, top), (xv, yv + 0.12)],
                   [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4])
        ax.add_patch(FancyArrowPatch(path=arc, arrowstyle="-|>", mutation_scale=16, color="tab:purple",
                                     lw=1.6, linestyle="--", zorder=0.5))
    gates = [u for u, d in dag.nodes(data=True) if d.get("governance_gate")]
    gate_set = set(gates)
    steps = [u for u in dag.nodes if u not in gate_set]
    on_path = set(highlight)
    for nodelist, shape, color in ((steps, "o", "tab:blue"), (gates, "D", "tab:orange")):
        if nodelist:
            nx.draw_networkx_nodes(dag, pos, nodelist=nodelist, node_shape=shape, node_color=color,
                                   node_size=520, ax=ax,
                                   edgecolors=["tab:red" if u in on_path else "white" for u in nodelist],
                                   linewidths=[2.8 if u in on_path else 1.0 for u in nodelist])
    labels = {u: str(u).replace("_", "\n", 1) for u in dag.nodes}
    label_pos = {u: (x, y - 0.30) for u, (x, y) in pos.items()}
    nx.draw_networkx_labels(dag, label_pos, labels=labels, font_size=7.5, ax=ax, verticalalignment="top")

    # A graph with a loop is a lifecycle of stages, not one run's tasks.
    node_word = "stage" if back else "task"
    handles = [Line2D([], [], marker="o", ls="", color="tab:blue", markersize=9, label=node_word)]
    if gates:
        handles.append(Line2D([], [], marker="D", ls="", color="tab:orange", markersize=8, label="governance gate"))
    if hl_edges:
        handles.append(Line2D([], [], color="tab:red", lw=2.6, label=label))
    elif highlight:
        handles.append(Line2D([], [], marker="o", ls="", markerfacecolor="none", markeredgecolor="tab:red",
                              markeredgewidth=2.4, markersize=10, label=label))
    if back:
        handles.append(Line2D([], [], color="tab:purple", lw=1.6, ls="--", label="feedback (next run)"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ys = [y for _, y in pos.values()] or [0.0]
    ax.set_xlim(-0.6, n_layers - 0.4)
    ax.set_ylim(min(ys) - 0.9, max(ys) + (1.0 if back else 0.6))
    ax.set_xlabel("order within one run (the dashed edge starts the next run)" if back
                  else "topological generation (tasks in a column can run in parallel)")
    ax.tick_params(axis="x", bottom=True, labelbottom=True)  # networkx switches tick labels off
    ax.set_xticks(range(n_layers), [str(k + 1) for k in range(n_layers)])
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_title(title or f"Pipeline DAG: {dag.number_of_nodes()} tasks, {dag.number_of_edges()} dependencies")
    return ax


def plot_gantt(schedule: pd.DataFrame | Any, ax: Any = None, title: str | None = None) -> Any:
    """Gantt chart of a CPM schedule: bars from earliest start to earliest finish, slack after.

    Parameters
    ----------
    schedule : pandas.DataFrame or CriticalPath
        ``critical_path(...).schedule`` (or the result itself): columns ``task``,
        ``earliest_start``, ``earliest_finish`` and ``slack`` (minutes, ≥ 0 and finite,
        finish ≥ start), at least one row, no missing values.
    ax : matplotlib.axes.Axes or None
        Drawn on a new figure when omitted.
    title : str or None
        Axes title (default: "Schedule at earliest start (critical path method)").

    Returns
    -------
    matplotlib.axes.Axes
        x axis "time (minutes)"; one bar per task (critical tasks red, others blue) in
        ``ax.patches`` followed by one hatched slack bar per task from EF to LF (how long a
        task may slip without delaying the run); task names as y tick labels, earliest
        start at the top.

    See Also
    --------
    plot_dag : the same pipeline as a graph.
    infra_lab.pipelines.dag.critical_path : computes the schedule.

    References
    ----------
    Taylor, B. W., *Introduction to Management Science*, ch. 8 "Project Management" (the
    Gantt chart and the CPM schedule with earliest times and slack).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from infra_lab.article import pipeline_tasks, pipeline_edges
    >>> from infra_lab.pipelines import build_dag, critical_path
    >>> ax = plot_gantt(critical_path(build_dag(pipeline_tasks(), pipeline_edges())))
    >>> ax.get_yticklabels()[0].get_text(), ax.get_xlabel()
    ('ingest_raw_data', 'time (minutes)')
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    s = _schedule_frame(schedule)
    _check_axes(ax)
    title = _optional_text("title", title)
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 0.38 * len(s) + 1.4))
    y = np.arange(len(s))[::-1]
    critical = s["slack"].to_numpy() == 0
    ax.barh(y, s["earliest_finish"] - s["earliest_start"], left=s["earliest_start"], height=0.6,
            color=np.where(critical, "tab:red", "tab:blue"), edgecolor="white")
    ax.barh(y, s["slack"], left=s["earliest_finish"], height=0.6, color="none",
            edgecolor="0.5", hatch="///", linewidth=0.6)
    ax.set_yticks(y, [str(t) for t in s["task"]], fontsize=8)
    ax.set_xlabel("time (minutes)")
    ax.set_xlim(0, float((s["earliest_finish"] + s["slack"]).max()) * 1.02 or 1.0)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(handles=[Patch(color="tab:red", label="critical task (slack 0)"),
                       Patch(color="tab:blue", label="task with slack"),
                       Patch(facecolor="none", edgecolor="0.5", hatch="///", label="slack (may slip)")],
              loc="upper right", fontsize=8)
    ax.set_title(title or "Schedule at earliest start (critical path method)")
    return ax
