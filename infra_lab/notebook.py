"""Helpers the notebooks share: check their own parameters, write outputs atomically.

Every notebook starts with::

    from infra_lab.notebook import check_parameters, save_figure, save_table
    out = check_parameters("07_serving_capacity", globals())

``check_parameters`` re-reads the notebook's own ``parameters`` cell (the single grammar in
``infra_lab.params``), checks the values now in the namespace — defaults, or what papermill
injected — and raises a message naming the parameter, its value and what is allowed.
It returns ``output_dir`` as a created ``Path``.

Outputs are written to a temporary file and renamed into place, so a notebook that
crashes mid-write never leaves a half-written file that looks complete.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Mapping

from .params import ParameterError, coerce_value, notebook_parameters, validate_overrides
from .syllabus import notebook_path, notebooks_dir

__all__ = ["check_parameters", "at_defaults", "notebook_file", "show", "figure_description", "save_figure", "save_table", "save_text",
           "atomic_write_bytes"]


def check_parameters(stem: str, namespace: Mapping[str, Any]) -> Path:
    """Validate a notebook's parameters as they are now bound in ``namespace``.

    Parameters
    ----------
    stem : str
        The notebook's syllabus stem, e.g. ``"02_data_pipelines_dags"``.
    namespace : mapping
        Usually ``globals()`` of the notebook.

    Returns
    -------
    pathlib.Path
        ``output_dir``, created if missing.

    Raises
    ------
    ParameterError
        A declared parameter is missing or its value breaks its declared type or range.
    """
    specs = notebook_parameters(notebook_path(stem))
    # papermill injects a misspelt parameter as a new variable and carries on; refuse it here,
    # with the message the runner gives, before any cell uses the default by mistake.
    unknown = {name: namespace.get(name) for name in _injected_names(namespace) if name not in specs}
    if unknown:
        validate_overrides(specs, unknown, notebook=stem)
    for name, spec in specs.items():
        if name not in namespace:
            raise ParameterError(f"{stem}: parameter {name} is declared but not defined")
        coerce_value(spec, namespace[name])
    if "output_dir" not in specs:
        raise ParameterError(f"{stem}: every notebook declares an output_dir parameter")
    out = Path(namespace["output_dir"])
    out.mkdir(parents=True, exist_ok=True)
    return out


def _injected_names(namespace: Mapping[str, Any]) -> list[str]:
    """Names assigned by papermill's injected cell (IPython keeps every executed source in ``In``)."""
    import ast

    names: list[str] = []
    for source in namespace.get("In", []) or []:
        if isinstance(source, str) and source.lstrip().startswith("# Parameters"):
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue
            names += [t.id for node in tree.body if isinstance(node, ast.Assign)
                      for t in node.targets if isinstance(t, ast.Name)]
    return names


def notebook_file(relative: str | Path) -> Path:
    """A file that ships beside the notebooks, found from the notebooks' folder, not the cwd.

    A notebook re-run from its executed copy elsewhere (``outputs/executed/``) still finds
    ``contracts/flights.yaml``.

    >>> notebook_file("contracts/flights.yaml").name
    'flights.yaml'
    >>> notebook_file("contracts/no_such.yaml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: contracts/no_such.yaml is not in the course's notebooks folder (...)
    """
    path = notebooks_dir() / relative
    if not path.exists():
        raise FileNotFoundError(f"{relative} is not in the course's notebooks folder ({notebooks_dir()})")
    return path


def at_defaults(stem: str, namespace: Mapping[str, Any], *names: str) -> bool:
    """Whether the named parameters (all but ``output_dir`` when none are named) hold their defaults.

    A self-check that reproduces the article's numbers only holds at the article's inputs;
    this asks the notebook's own ``parameters`` cell for them, so no notebook hand-copies a
    tuple of defaults that can drift from the cell. Floats compare with a relative tolerance
    of 1e-12 (papermill may pass ``1200`` for ``1200.0``).

    Parameters
    ----------
    stem : str
        The notebook's syllabus stem.
    namespace : mapping
        Usually ``globals()`` of the notebook.
    *names : str
        The parameters the check depends on; none means every parameter except ``output_dir``.

    Returns
    -------
    bool

    Examples
    --------
    >>> ns = {"required_qps": 1200.0, "throughput_per_replica": 150.0}
    >>> at_defaults("07_serving_capacity", ns, "required_qps", "throughput_per_replica")
    True
    >>> at_defaults("07_serving_capacity", dict(ns, required_qps=2400.0), "required_qps")
    False
    >>> at_defaults("07_serving_capacity", ns, "no_such_parameter")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    infra_lab.params.ParameterError: 07_serving_capacity declares no parameter 'no_such_parameter'; it declares ...
    """
    specs = notebook_parameters(notebook_path(stem))
    wanted = names or tuple(n for n in specs if n != "output_dir")
    for name in wanted:
        if name not in specs:
            raise ParameterError(f"{stem} declares no parameter {name!r}; it declares {', '.join(specs)}")
        if not _same(namespace.get(name), specs[name].default):
            return False
    return True


def _same(value: Any, default: Any) -> bool:
    if isinstance(default, float) and isinstance(value, (int, float)) and not isinstance(value, bool):
        return abs(value - default) <= 1e-12 * max(1.0, abs(default))
    if isinstance(default, (list, tuple)) and isinstance(value, (list, tuple)):
        return len(value) == len(default) and all(_same(v, d) for v, d in zip(value, default))
    return value == default


def show(fig: Any, output_dir: str | Path, name: str, alt: str | None = None) -> Path:
    """Save ``fig`` as ``<output_dir>/<name>.png``, show that PNG inline and close the figure.

    Showing the saved PNG (rather than letting the inline backend render the figure again)
    means the student sees exactly the file that was written, and each figure renders once.
    The figure's description — ``alt``, or else its title(s), which the course writes as the
    finding — is saved beside it as ``<name>.alt.txt`` and travels with the image as its alt
    text (the course site shows it to screen readers).

    Returns
    -------
    pathlib.Path
        The PNG's path.
    """
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    alt = alt or figure_description(fig)
    path = save_figure(fig, output_dir, name)
    save_text(alt + "\n", output_dir, f"{name}.alt.txt")
    plt.close(fig)
    display(Image(filename=str(path), alt=alt))
    return path


def figure_description(fig: Any) -> str:
    """A one-sentence description of a figure from its titles (suptitle, then each panel's)."""
    titles = []
    suptitle = getattr(fig, "_suptitle", None)
    if suptitle is not None and suptitle.get_text().strip():
        titles.append(suptitle.get_text().strip())
    titles += [ax.get_title().strip() for ax in fig.get_axes() if ax.get_title().strip()]
    text = "; ".join(t.replace("\n", " ") for t in titles)
    return text or "Figure without a title"


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); outputs are for the class: 0666 & ~umask.
        mask = os.umask(0)
        os.umask(mask)
        os.fchmod(fd, 0o666 & ~mask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def save_figure(fig: Any, output_dir: str | Path, name: str, dpi: int = 110) -> Path:
    """Save a matplotlib figure as ``<output_dir>/<name>.png`` atomically; return the path."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return atomic_write_bytes(Path(output_dir) / f"{name}.png", buf.getvalue())


def save_table(df: Any, output_dir: str | Path, name: str, index: bool = False) -> Path:
    """Save a DataFrame as ``<output_dir>/<name>.csv`` atomically; return the path."""
    return atomic_write_bytes(Path(output_dir) / f"{name}.csv", df.to_csv(index=index).encode("utf-8"))


def save_text(text: str, output_dir: str | Path, name: str) -> Path:
    """Save text (a memo, a report) as ``<output_dir>/<name>`` atomically; return the path."""
    return atomic_write_bytes(Path(output_dir) / name, text.encode("utf-8"))
