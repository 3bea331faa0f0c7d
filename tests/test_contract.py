"""The library's contract, checked over every public signature, docstring and result class.

1. Naming: a public parameter or result field that carries a unit ends in that unit, one
   spelling per unit (README, "Naming rule"); a family keeps one argument order.
2. Results: every public result class is a frozen dataclass that unpacks like a tuple
   (``infra_lab._results.Result``); no two public classes share a name.
3. Docstrings: every public function of a topic module has Parameters (each parameter),
   Returns, Examples with a doctest, References naming a table/figure/equation/section,
   See Also, and the formula (``.. math::``) unless its case file says why it has none; no
   docstring cites a file that is not in the repository.
4. Bad input: the matrix of ``tests/contract_matrix.py`` over ``tests/bad_input/*.py`` —
   every bad value raises ValueError/TypeError naming the public parameter; no silent
   wrong answer.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import numpy as np
import pytest

import infra_lab
from infra_lab._results import Result
from contract_matrix import HUGE, Call, case_id, is_finite_result, load_cases

ROOT = Path(__file__).resolve().parents[1]
CASES = load_cases(Path(__file__).parent / "bad_input")

#: Modules that are course infrastructure, not topics: no bad-input matrix or formula
#: docstrings (the runner, the parameter grammar, the syllabus, the data loaders).
INFRASTRUCTURE = {
    "infra_lab", "infra_lab.cli", "infra_lab.runner", "infra_lab.params", "infra_lab.notebook",
    "infra_lab.syllabus", "infra_lab.datasets", "infra_lab.site", "infra_lab._checks", "infra_lab._results",
    "infra_lab._paths", "infra_lab._deprecation",
}


def _all_modules() -> list[str]:
    names = ["infra_lab"]
    for info in pkgutil.walk_packages(infra_lab.__path__, "infra_lab."):
        names.append(info.name)
    return sorted(names)


MODULES = _all_modules()
TOPIC_MODULES = [m for m in MODULES if m not in INFRASTRUCTURE and not m.rpartition(".")[2].startswith("_")]


def _public(module_name: str):
    """(name, object) for each public function/class *defined* in the module (not re-exported)."""
    mod = importlib.import_module(module_name)
    out = []
    for name in getattr(mod, "__all__", []):
        obj = getattr(mod, name)
        if (inspect.isfunction(obj) or inspect.isclass(obj)) and obj.__module__ == module_name:
            out.append((name, obj))
    return out


PUBLIC = [(m, n, o) for m in MODULES for n, o in _public(m)]
TOPIC_FUNCTIONS = [(m, n, o) for m, n, o in PUBLIC if m in TOPIC_MODULES and inspect.isfunction(o)]
TOPIC_CLASSES = [(m, n, o) for m, n, o in PUBLIC if m in TOPIC_MODULES and inspect.isclass(o)]


def _ids(items):
    return [f"{m}.{n}" for m, n, _ in items]


# --------------------------------------------------------------------------- 1. naming
#: The one spelling of each unit (README, "Naming rule").
TIME_UNITS = ("_s", "_ms", "_us", "_minutes", "_hours", "_days")
UNIT_SUFFIXES = TIME_UNITS + (
    "_bytes", "_gb", "_bytes_per_s", "_gb_per_s", "_flops", "_flop_per_s", "_rps", "_per_s",
    "_per_hour", "_per_day", "_usd", "_usd_per_hour", "_j", "_kwh", "_w", "_km", "_tokens",
    "_kg", "_kg_per_kwh",
)
#: Spellings the rule replaces: a name containing one of these is refused outright.
FORBIDDEN_SPELLINGS = {
    "seconds": "_s", "secs": "_s", "sec": "_s", "msec": "_ms", "millis": "_ms", "milliseconds": "_ms",
    "mins": "_minutes", "hrs": "_hours", "joules": "_j", "watts": "_w", "dollars": "_usd",
    "qps": "_rps", "gbps": "_gb_per_s", "flops_per_s": "_flop_per_s", "flops_per_second": "_flop_per_s",
}
#: Words that name a quantity with a unit: the name must end in one of the listed suffixes.
QUANTITY_WORDS = {
    "latency": TIME_UNITS, "duration": TIME_UNITS, "delay": TIME_UNITS, "timeout": TIME_UNITS,
    "interval": TIME_UNITS, "staleness": TIME_UNITS, "ttft": TIME_UNITS, "tpot": TIME_UNITS,
    "mtbf": TIME_UNITS, "mttr": TIME_UNITS, "downtime": TIME_UNITS, "wait": TIME_UNITS,
    "bandwidth": ("_bytes_per_s", "_gb_per_s"), "memory": ("_bytes", "_gb"),
    "power": ("_w",), "energy": ("_j", "_kwh"), "price": ("_usd", "_usd_per_hour"),
    "cost": ("_usd", "_usd_per_hour"), "distance": ("_km",),
}
#: Ratios whose name says "rate" but carry no unit (a share of requests or runs).
DIMENSIONLESS_RATES = {"error_rate", "success_rate", "failure_rate", "burn_rate", "drop_rate",
                       "hit_rate", "miss_rate", "learning_rate", "baseline_error_rate",
                       "regressed_error_rate", "label_flip_rate", "arrival_rate_ratio"}
#: Suffixes that mark a name as a *label* of a quantity, not the quantity (a column name).
LABEL_SUFFIXES = ("_col", "_cols", "_column", "_columns", "_attr", "_key", "_name", "_label",
                  "_fn", "_table", "_field", "_kind", "_unit", "_units")


def _unit_problem(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(LABEL_SUFFIXES) or lowered.startswith(("n_", "max_n_")):
        return None
    tokens = lowered.split("_")
    for bad, good in FORBIDDEN_SPELLINGS.items():
        if bad in tokens or lowered.endswith("_" + bad) or lowered == bad:
            return f"spells a unit {bad!r}; the rule's spelling is {good!r}"
    if "flops" in tokens and tokens[0] in ("peak", "achieved", "reference") and not lowered.endswith("_flop_per_s"):
        return "a FLOP *rate* ends in '_flop_per_s' ('_flops' is a count)"
    if "rate" in tokens and not lowered.endswith(UNIT_SUFFIXES) and lowered not in DIMENSIONLESS_RATES:
        return "a rate ends in '_rps' or '_per_s' (or is a listed dimensionless ratio)"
    for word, suffixes in QUANTITY_WORDS.items():
        if word in tokens and not lowered.endswith(suffixes):
            return f"a {word} ends in one of {', '.join(suffixes)}"
    return None


def _signature_names(obj) -> list[str]:
    if inspect.isclass(obj):
        if dataclasses.is_dataclass(obj):
            return [f.name for f in dataclasses.fields(obj)]
        return []
    try:
        params = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return []
    return [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


@pytest.mark.parametrize("module,name,obj", PUBLIC, ids=_ids(PUBLIC))
def test_unit_bearing_names_end_in_their_one_spelling(module, name, obj):
    problems = {p: why for p in _signature_names(obj) if (why := _unit_problem(p))}
    assert not problems, f"{module}.{name}: {problems}"


def test_the_naming_rule_catches_the_spellings_it_replaces():
    # The rule itself must be able to fail: each old spelling from the contract issue.
    for old in ["t1_seconds", "arrival_rate", "rate", "peak_flops", "latency", "power_watts",
                "energy_joules", "timeout", "required_qps", "cost_dollars"]:
        assert _unit_problem(old), old
    for new in ["t1_s", "arrival_rate_rps", "service_rate_rps", "peak_flop_per_s", "latency_ms",
                "power_w", "energy_j", "timeout_s", "required_rps", "cost_usd", "error_rate",
                "flops", "time_col"]:
        assert _unit_problem(new) is None, new


#: Families that share one argument order (README, "Naming rule").
FAMILIES = {
    "queueing models": (("arrival_rate_rps", "service_rate_rps"),
                        ["mmc", "mm1", "mg1", "replicas_for_slo"]),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_a_family_takes_its_arguments_in_one_order(family):
    prefix, members = FAMILIES[family]
    found = {n: o for _, n, o in PUBLIC if n in members and inspect.isfunction(o)}
    assert set(found) == set(members), f"missing members: {set(members) - set(found)}"
    for n, fn in found.items():
        assert tuple(_signature_names(fn)[: len(prefix)]) == prefix, f"{n} starts {_signature_names(fn)[:3]}"


# --------------------------------------------------------------------------- 2. results
RESULT_CLASSES = [(m, n, o) for m, n, o in TOPIC_CLASSES if dataclasses.is_dataclass(o)]


@pytest.mark.parametrize("module,name,cls", RESULT_CLASSES, ids=_ids(RESULT_CLASSES))
def test_result_classes_are_frozen_and_unpack_like_tuples(module, name, cls):
    assert cls.__dataclass_params__.frozen, f"{name} must be frozen"
    assert issubclass(cls, Result), f"{name} must subclass infra_lab._results.Result (unpacks like a tuple)"
    names = [f.name for f in dataclasses.fields(cls)]
    assert "p_value" not in names, "scipy's spelling is 'pvalue'"


def test_no_two_public_classes_share_a_name():
    seen: dict[str, str] = {}
    clashes = []
    for module, name, obj in PUBLIC:
        if inspect.isclass(obj):
            if name in seen and seen[name] != module:
                clashes.append(f"{name}: {seen[name]} and {module}")
            seen.setdefault(name, module)
    assert not clashes, clashes


# ------------------------------------------------------------------------ 3. docstrings
_SECTION = re.compile(r"^\s*([A-Z][A-Za-z ]+)\n\s*-{3,}\s*$", re.M)
_LOCATOR = re.compile(
    r"(Table|Tab\.|Fig\.|Figure|Eq\.|Eqs\.|Equation|§|Section|Sect\.|ch\.|Chapter|Appendix|App\.|"
    r"Algorithm|Theorem|Definition|p\.\s*\d|pp\.\s*\d|Listing|worked example|Worked Example|"
    r"Mathematical Lens|workflow|Problem|Example \d)")


def _sections(doc: str) -> dict[str, str]:
    doc = inspect.cleandoc(doc or "")
    matches = list(_SECTION.finditer(doc))
    out = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        out[m.group(1).strip()] = doc[m.end(): end]
    return out


def _exemptions(kind: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for mod in CASES.values():
        out.update(getattr(mod, kind, {}))
    return out


NOT_A_FORMULA = _exemptions("NOT_A_FORMULA")     # public name → why it has no formula
NO_SEE_ALSO = _exemptions("NO_SEE_ALSO")         # public name → why it has no siblings


@pytest.mark.parametrize("module,name,fn", TOPIC_FUNCTIONS, ids=_ids(TOPIC_FUNCTIONS))
def test_public_functions_document_formula_units_example_source_and_siblings(module, name, fn):
    doc = fn.__doc__ or ""
    sections = _sections(doc)
    missing = [s for s in ("Parameters", "Returns", "Examples", "References") if s not in sections]
    if name not in NO_SEE_ALSO and "See Also" not in sections:
        missing.append("See Also")
    if name not in NOT_A_FORMULA and ".. math::" not in doc:
        missing.append(".. math:: (or list it in NOT_A_FORMULA with the reason)")
    params = _signature_names(fn)
    if params and "Parameters" in sections:
        documented = {n.strip().lstrip("*") for line in re.findall(r"^([\w*][\w*, ]*?)\s*:", sections["Parameters"], re.M)
                      for n in line.split(",")}
        undocumented = [p for p in params if p not in documented]
        if undocumented:
            missing.append(f"Parameters entries for {undocumented}")
    if "Examples" in sections and ">>>" not in sections["Examples"]:
        missing.append("a doctest (>>>) in Examples")
    if "References" in sections and not _LOCATOR.search(sections["References"]):
        missing.append("References naming a table, figure, equation, section or chapter")
    assert not missing, f"{module}.{name} lacks: {missing}"


@pytest.mark.parametrize("module,name,cls", TOPIC_CLASSES, ids=_ids(TOPIC_CLASSES))
def test_public_classes_document_their_fields_and_where_they_come_from(module, name, cls):
    sections = _sections(cls.__doc__ or "")
    missing = [s for s in ("See Also",) if s not in sections and name not in NO_SEE_ALSO]
    if dataclasses.is_dataclass(cls) and "Attributes" not in sections:
        missing.append("Attributes")
    assert not missing, f"{module}.{name} lacks: {missing}"


_FILE_MENTION = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.(?:csv|csv\.gz|json|md|yaml|yml|ipynb|sql|txt|py))\b")


@pytest.mark.parametrize("module", TOPIC_MODULES)
def test_no_docstring_cites_a_file_outside_the_repository(module):
    # Topic modules cite sources; the runner's docstrings name files it generates (run.json).
    mod = importlib.import_module(module)
    texts = [mod.__doc__ or ""] + [(o.__doc__ or "") for n, o in _public(module)]
    known = {p.name for p in ROOT.rglob("*") if ".venv" not in p.parts and ".git" not in p.parts}
    cited = {m for t in texts for m in _FILE_MENTION.findall(t)}
    missing = sorted(c for c in cited if Path(c).name not in known)
    assert not missing, f"{module} cites files that are not in the repository: {missing}"


# ------------------------------------------------------------------------ 4. bad input
ALL_CALLS: list[Call] = [c for mod in CASES.values() for c in getattr(mod, "CASES", [])]
EXEMPT = _exemptions("EXEMPT")
BAD_CASES = [(call, param, label, value)
             for call in ALL_CALLS for param, arg in call.args.items() for label, value in arg.bad()]


@pytest.mark.parametrize("module,name,fn", TOPIC_FUNCTIONS, ids=_ids(TOPIC_FUNCTIONS))
def test_every_public_function_is_in_the_bad_input_matrix_with_every_parameter(module, name, fn):
    calls = [c for c in ALL_CALLS if c.function.rpartition(".")[2] == name
             and c.resolve() is fn]
    params = _signature_names(fn)
    if not params:
        return
    if name in EXEMPT:
        assert EXEMPT[name], f"{name}: say why it is exempt"
        return
    assert calls, f"{module}.{name} has no Call in tests/bad_input/ (or an EXEMPT reason)"
    described = set().union(*(c.args for c in calls))
    assert set(params) <= described, f"{name}: parameters not described: {sorted(set(params) - described)}"


@pytest.mark.parametrize("call", ALL_CALLS, ids=[c.function for c in ALL_CALLS])
def test_each_matrix_baseline_call_is_valid(call):
    call.resolve()(**call.kwargs())


@pytest.mark.parametrize("call,param,label,value", BAD_CASES,
                         ids=[case_id(c, p, lab) for c, p, lab, _ in BAD_CASES])
def test_bad_input_raises_a_named_error(call, param, label, value):
    fn = call.resolve()
    kwargs = call.kwargs(**{param: value})
    if label.startswith(HUGE):
        try:
            result = fn(**kwargs)
        except (ValueError, TypeError) as exc:
            assert param in str(exc) or "result" in str(exc), f"unnamed error: {exc}"
            return
        except (OverflowError, MemoryError, FloatingPointError) as exc:  # pragma: no cover
            pytest.fail(f"{call.function}({param}={value!r}) raised {type(exc).__name__}, not a named error")
        assert is_finite_result(result), (
            f"{call.function}({param}={value!r}) returned NaN, inf or a wrapped integer silently")
        return
    with np.errstate(all="ignore"):
        with pytest.raises((ValueError, TypeError)) as info:
            fn(**kwargs)
    assert param in str(info.value), (
        f"{call.function}({param}={value!r}): the message does not name {param!r}: {info.value}")


def test_the_matrix_is_large_enough_to_mean_something():
    # The contract issue expects well over 1,000 cases once every topic module is listed.
    assert len(BAD_CASES) >= len(ALL_CALLS) * 5
