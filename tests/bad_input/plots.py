"""Bad-input cases for infra_lab.plots."""

import matplotlib

matplotlib.use("Agg")

import networkx as nx  # noqa: E402

from contract_matrix import Call, Custom, Fixed, Frame, WRONG_TYPE  # noqa: E402
from infra_lab.article import pipeline_edges, pipeline_tasks  # noqa: E402
from infra_lab.pipelines.dag import build_dag, critical_path  # noqa: E402

DAG = build_dag(pipeline_tasks(), pipeline_edges())
SCHEDULE = critical_path(DAG).schedule
OPTIONAL_TEXT = [("wrong-type", 3), ("bytes", b"title")]


def _schedule_with(col, value):
    s = SCHEDULE.copy()
    s[col] = s[col].astype(object)
    s.loc[2, col] = value
    return s


CASES = [
    Call("infra_lab.plots.plot_dag",
         dag=Custom(DAG, bad_values=[("wrong-type", "graph"), ("none", None), ("empty", nx.DiGraph()),
                                     ("undirected", nx.Graph([(1, 2)]))]),
         ax=Custom(None, bad_values=[("wrong-type", "axes")]),
         highlight=Custom(None, bad_values=[("unknown-task", ["nope"]), ("string", "train_model"),
                                            ("wrong-type", 3), ("unknown-in-set", {"nope"})]),
         title=Custom("t", bad_values=OPTIONAL_TEXT + [("empty", "")]),
         highlight_label=Custom(None, bad_values=OPTIONAL_TEXT + [("empty", "")])),
    Call("infra_lab.plots.plot_gantt",
         schedule=Custom(SCHEDULE, bad_values=Frame(SCHEDULE, columns=("task", "earliest_start", "earliest_finish", "slack"),
                                                    nan_columns=("task", "earliest_start", "earliest_finish", "slack")).bad()
                         + [("negative-slack", _schedule_with("slack", -1.0)),
                            ("string-start", _schedule_with("earliest_start", "8")),
                            ("inf-finish", _schedule_with("earliest_finish", float("inf"))),
                            ("finish-before-start", _schedule_with("earliest_finish", 0.0)),
                            ("wrong-object", WRONG_TYPE)]),
         ax=Custom(None, bad_values=[("wrong-type", "axes")]),
         title=Custom(None, bad_values=OPTIONAL_TEXT + [("empty", "")])),
]

NOT_A_FORMULA = {"plot_dag": "a drawing; the numbers come from critical_path",
                 "plot_gantt": "a drawing of critical_path's schedule"}
