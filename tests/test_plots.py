"""What infra_lab.plots draws, read back from the returned Axes: nodes, edges, bars, labels, units.

Expected values come from the article's example pipeline table (Section "Data Pipelines and
DAG Systems": nine tasks in a chain, 18, 7, 24, 16, 95, 20, 6, 12, 5 minutes, five governance
gates) and from Taylor, *Introduction to Management Science*, ch. 8, solved problem 5 (printed
slacks 2, 0, 2, 0, 4, 0, 0) — not from the library's own output.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

from infra_lab.article import pipeline_edges, pipeline_tasks  # noqa: E402
from infra_lab.pipelines import build_dag, critical_path, lifecycle_graph  # noqa: E402
from infra_lab.plots import plot_dag, plot_gantt  # noqa: E402

# The article's table, written out here (not read from infra_lab).
ARTICLE_TASKS = ["ingest_raw_data", "validate_schema", "transform_records", "build_features", "train_model",
                 "evaluate_model", "register_model", "deploy_model", "monitor_predictions"]
ARTICLE_MINUTES = [18, 7, 24, 16, 95, 20, 6, 12, 5]
ARTICLE_GATES = {"validate_schema", "build_features", "evaluate_model", "register_model", "deploy_model"}
RED = mcolors.to_rgba("tab:red")
BLUE = mcolors.to_rgba("tab:blue")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def article_dag():
    return build_dag(pipeline_tasks(), pipeline_edges())


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_plot_dag_draws_every_task_gate_and_dependency_of_the_articles_chain(article_dag):
    ax = plot_dag(article_dag)
    steps, gates = ax.collections  # circles for tasks, diamonds for governance gates
    assert len(steps.get_offsets()) == len(ARTICLE_TASKS) - len(ARTICLE_GATES) == 4
    assert len(gates.get_offsets()) == len(ARTICLE_GATES) == 5
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert len(arrows) == 8  # a chain of nine tasks has eight dependencies
    labels = [t.get_text().replace("\n", "_") for t in ax.texts]
    assert labels == ARTICLE_TASKS
    assert legend_texts(ax) == ["task", "governance gate", "critical path"]
    assert ax.get_title() == "Pipeline DAG: 9 tasks, 8 dependencies"
    assert "topological generation" in ax.get_xlabel()
    # A chain: task k sits in generation k (x = k - 1), ticks 1..9.
    xs = sorted(x for x, _ in np.vstack([steps.get_offsets(), gates.get_offsets()]))
    assert xs == list(range(9))
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(k) for k in range(1, 10)]


def test_plot_dag_draws_the_whole_chain_red_because_every_task_is_critical(article_dag):
    ax = plot_dag(article_dag)
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert all(mcolors.to_rgba(a.get_edgecolor()) == RED for a in arrows)


def test_plot_dag_highlight_set_outlines_tasks_without_red_edges(article_dag):
    ax = plot_dag(article_dag, highlight={"train_model"}, highlight_label="blocked")
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    assert not any(mcolors.to_rgba(a.get_edgecolor()) == RED for a in arrows)
    steps = ax.collections[0]  # train_model is a plain task (not a gate): the third circle
    edge_colours = [mcolors.to_rgba(c) for c in steps.get_edgecolor()]
    assert edge_colours.count(RED) == 1
    assert legend_texts(ax)[-1] == "blocked"


def test_plot_dag_with_no_highlight_has_no_highlight_legend(article_dag):
    ax = plot_dag(article_dag, highlight=[], title="mine")
    assert legend_texts(ax) == ["task", "governance gate"]
    assert ax.get_title() == "mine"


def test_plot_dag_draws_the_lifecycle_loop_as_one_dashed_feedback_arc():
    ax = plot_dag(lifecycle_graph())
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    dashed = [a for a in arrows if a.get_linestyle() == "--"]
    assert len(arrows) == 7 and len(dashed) == 1  # six forward edges, Feedback → Data dashed
    assert legend_texts(ax) == ["stage", "feedback (next run)"]
    assert "next run" in ax.get_xlabel()


def test_plot_dag_draws_on_the_axes_it_is_given(article_dag):
    fig, ax = plt.subplots()
    assert plot_dag(article_dag, ax=ax) is ax


def test_plot_gantt_bars_are_the_articles_durations_back_to_back(article_dag):
    ax = plot_gantt(critical_path(article_dag))
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    work, slack = bars[:9], bars[9:]
    assert [b.get_width() for b in work] == ARTICLE_MINUTES
    assert [b.get_x() for b in work] == list(np.cumsum([0] + ARTICLE_MINUTES[:-1]))  # 0, 18, 25, ...
    assert work[-1].get_x() + work[-1].get_width() == 203  # the article's total
    assert all(mcolors.to_rgba(b.get_facecolor()) == RED for b in work)  # a chain: all critical
    assert [b.get_width() for b in slack] == [0] * 9
    assert ax.get_xlabel() == "time (minutes)"
    assert [t.get_text() for t in ax.get_yticklabels()] == ARTICLE_TASKS
    assert legend_texts(ax) == ["critical task (slack 0)", "task with slack", "slack (may slip)"]


def test_plot_gantt_draws_taylors_published_slack():
    # Taylor ch. 8, solved problem 5, as activity-on-node; printed slacks 2, 0, 2, 0, 4, 0, 0.
    times = {"1-2": 7, "1-3": 10, "2-4": 6, "3-4": 5, "3-5": 4, "4-5": 3, "5-6": 2}
    slack = {"1-2": 2, "1-3": 0, "2-4": 2, "3-4": 0, "3-5": 4, "4-5": 0, "5-6": 0}
    tasks = pd.DataFrame({"task": list(times), "duration_minutes": list(times.values()), "failure_probability": 0.0})
    edges = [(a, b) for a in times for b in times if a.split("-")[1] == b.split("-")[0]]
    ax = plot_gantt(critical_path(build_dag(tasks, edges)).schedule, title="Taylor P5")
    names = [t.get_text() for t in ax.get_yticklabels()]
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    work, hatched = bars[:7], bars[7:]
    assert {n: b.get_width() for n, b in zip(names, hatched)} == slack
    colours = {n: mcolors.to_rgba(b.get_facecolor()) for n, b in zip(names, work)}
    assert {n for n, c in colours.items() if c == RED} == {"1-3", "3-4", "4-5", "5-6"}
    assert {n for n, c in colours.items() if c == BLUE} == {"1-2", "2-4", "3-5"}
    assert ax.get_title() == "Taylor P5"
    assert ax.get_xlim()[1] >= 20  # the project's 20 time units fit


def test_plots_refuse_bad_input_by_public_name(article_dag):
    with pytest.raises(ValueError, match="highlight"):
        plot_dag(article_dag, highlight=["no_such_task"])
    with pytest.raises(TypeError, match="highlight"):
        plot_dag(article_dag, highlight="train_model")
    with pytest.raises(TypeError, match="ax"):
        plot_dag(article_dag, ax="axes")
    schedule = critical_path(article_dag).schedule
    with pytest.raises(ValueError, match="schedule"):
        plot_gantt(schedule.assign(slack=-1.0))
    with pytest.raises(ValueError, match="schedule is missing column"):
        plot_gantt(schedule.drop(columns=["slack"]))
