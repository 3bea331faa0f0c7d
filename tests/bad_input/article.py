"""infra_lab.article: the article's tables; its functions take no input, so no bad input exists."""

EXEMPT = {}  # every function takes no parameters (the matrix skips parameterless functions)

NOT_A_FORMULA = {
    "pipeline_tasks": "the article's table, as data",
    "pipeline_edges": "the article's table, as data",
    "example_branching_pipeline": "the course's illustrative table, as data",
    "readiness_table": "the article's table, as data",
    "infrastructure_components": "the article's table, as data",
    "compute_cluster": "the article's table, as data",
    "serving_services": "the article's table, as data",
}
