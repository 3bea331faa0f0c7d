"""Static checks of the course as a whole: notebooks, syllabus, formula registry, environment."""

import importlib
import inspect
import json
import re
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from infra_lab import datasets
from infra_lab.params import notebook_language, notebook_parameters, parameters_cell_source
from infra_lab.syllabus import FORMULAS, SYLLABUS, notebooks_dir, resolve

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(notebooks_dir().glob("*.ipynb"))
STEMS = [c.stem for c in SYLLABUS]


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def is_r(path):
    return notebook_language(path) == "R"


def code_sources(nb):
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_every_syllabus_chapter_has_its_notebook_and_every_notebook_is_in_the_syllabus():
    assert [p.stem for p in NOTEBOOKS] == sorted(STEMS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
class TestNotebook:
    def test_name_is_NN_topic(self, path):
        assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name)

    def test_committed_without_outputs(self, path):
        for cell in load(path)["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, "strip outputs before committing"

    def test_has_one_valid_parameters_cell_with_output_dir(self, path):
        specs = notebook_parameters(path)  # the Python or the R grammar, by the notebook's kernel
        assert specs["output_dir"].default == f"../outputs/{path.stem}"
        assert specs["output_dir"].type == "str"

    def test_parameter_bounds_are_written_so_papermill_can_parse_them(self, path):
        # papermill reads a second '=' on a line ('# -; >= 0') as an assignment and logs
        # "Unable to parse line"; the course's grammar accepts '≥' and '≤' instead.
        source = parameters_cell_source(path)
        comments = [line.partition("#")[2] for line in source.splitlines() if "#" in line]
        bad = [c for c in comments if "=" in c]
        assert not bad, f"no '=' in parameter comments (write bounds as ≥ / ≤): {bad}"

    def test_checks_its_own_parameters_right_after_the_parameters_cell(self, path):
        nb = load(path)
        codes = [c for c in nb["cells"] if c["cell_type"] == "code"]
        tags = [c.get("metadata", {}).get("tags", []) for c in codes]
        first = tags.index(["parameters"]) if ["parameters"] in tags else [i for i, t in enumerate(tags) if "parameters" in t][0]
        call = f'check_parameters("{path.stem}")' if is_r(path) else f'check_parameters("{path.stem}", globals())'
        assert call in "".join(codes[first + 1]["source"])

    def test_has_exercises_solutions_answers_and_self_checks(self, path):
        nb = load(path)
        tags = {t for c in nb["cells"] for t in c.get("metadata", {}).get("tags", [])}
        assert {"exercise", "solution", "answer"} <= tags
        check = r"^\s*(if \(.*\) )?stopifnot\(" if is_r(path) else r"^\s*assert "
        assert any(re.search(check, s, re.M) for s in code_sources(nb)), "no self-check assert"

    def test_runs_offline_with_the_inline_backend(self, path):
        text = "\n".join(code_sources(load(path)))
        for banned in ["load_dataset(", "matplotlib.use(", "urlopen(", "requests.get(", "read_csv(\"http"]:
            assert banned not in text, banned

    def test_uses_the_kernel_the_runner_starts(self, path):
        # The runner starts the kernel the notebook names: python3, or ir for the R edition of 14.
        expected = "ir" if path.stem.endswith("_r") else "python3"
        assert load(path)["metadata"]["kernelspec"]["name"] == expected
        assert notebook_language(path) == ("R" if expected == "ir" else "python")


@pytest.mark.parametrize("entry", FORMULAS, ids=lambda f: f.key)
def test_each_registered_formula_resolves_and_its_notebook_calls_it(entry):
    fn = resolve(entry.function)
    assert callable(fn) and fn.__doc__, f"{entry.function} needs a docstring"
    assert entry.notebook in STEMS
    source = "\n".join(code_sources(load(notebooks_dir() / f"{entry.notebook}.ipynb")))
    assert re.search(rf"\b{fn.__name__}\(", source), f"{entry.notebook} never calls {fn.__name__}"


def test_formula_keys_are_unique():
    keys = [f.key for f in FORMULAS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("chapter", SYLLABUS, ids=lambda c: c.stem)
def test_chapter_modules_import_and_data_names_exist(chapter):
    for module in chapter.modules:
        importlib.import_module(f"infra_lab.{module}")
    for name in chapter.data:
        assert name in datasets.DATASETS, name


@pytest.mark.parametrize("chapter", [c for c in SYLLABUS if c.data], ids=lambda c: c.stem)
def test_chapter_notebook_reads_the_data_the_syllabus_lists(chapter):
    source = "\n".join(code_sources(load(notebooks_dir() / f"{chapter.stem}.ipynb")))
    missing = [n for n in chapter.data if f"load_{n}(" not in source]
    assert not missing, f"{chapter.stem} lists {missing} in the syllabus but never loads them"


def _public_modules() -> list[str]:
    # Top-level modules and the parts of sub-packages (infra_lab/serving/queueing.py → serving.queueing).
    pkg = ROOT / "infra_lab"
    names = []
    for path in sorted(pkg.rglob("*.py")):
        rel = path.relative_to(pkg).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts and not any(p.startswith("_") for p in parts):
            names.append(".".join(parts))
    return names


PUBLIC_MODULES = _public_modules()


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_public_api_is_declared_and_documented(module):
    mod = importlib.import_module(f"infra_lab.{module}")
    assert mod.__doc__, f"infra_lab.{module} needs a module docstring"
    if module == "cli":
        return
    assert hasattr(mod, "__all__"), f"infra_lab.{module} needs __all__"
    for name in mod.__all__:
        obj = getattr(mod, name)
        if inspect.isfunction(obj) or inspect.isclass(obj):
            assert obj.__doc__, f"infra_lab.{module}.{name} needs a docstring"


def _pins(lines):
    pins = {}
    for line in lines:
        line = line.split("#")[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", f"{line}: pin exactly"
            pins[req.name.lower().replace("_", "-")] = spec.version
    return pins


def test_requirements_and_environment_yml_pin_the_same_versions():
    runtime = _pins((ROOT / "requirements.txt").read_text().splitlines())
    dev = _pins((ROOT / "requirements-dev.txt").read_text().splitlines())
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = re.split(r"==?", dep, maxsplit=1)  # conda accepts "=" and "=="
            conda[name.lower()] = version
    conda.pop("python")
    assert conda == runtime
    pip_section = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_section == [{"pip": ["-r requirements-dev.txt"]}], "test extras come from requirements-dev.txt"
    assert dev, "requirements-dev.txt pins the test-only extras"
    assert env["channels"] == ["conda-forge"]


def test_the_project_says_how_it_may_be_used_cited_and_what_changed():
    licence = (ROOT / "LICENSE").read_text()
    assert "MIT License" in licence and "data/SOURCES.md" in licence, "MIT for code; the data keep their licences"
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0" and citation["license"] == "MIT"
    changelog = (ROOT / "CHANGELOG.md").read_text()
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert f"## {version}" in changelog and str(citation["version"]) == version


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_whole_number_parameter_has_an_upper_bound(path):
    # A count without an upper bound lets one typo (n_runs 1e11) exhaust memory.
    from infra_lab.params import notebook_parameters

    specs = notebook_parameters(path).values()
    unbounded = [s.name for s in specs if s.type in ("int", "list[int]") and not re.search(r"[\])]\s*$|^<|^≤", s.allowed)]
    assert not unbounded, f"declare an upper bound for {unbounded} (e.g. seed [0, 4294967295])"
