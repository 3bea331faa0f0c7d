r"""The notebooks' ``parameters`` cell: one grammar, parsed once, used everywhere.

Every line of a notebook's cell tagged ``parameters`` declares one input::

    name: type = default  # unit; allowed

* ``type`` is ``int``, ``float``, ``bool``, ``str`` or ``list[int]`` / ``list[float]`` /
  ``list[str]``.
* ``unit`` is free text (``requests/s``, ``minutes``, ``-`` for dimensionless, ``path``).
* ``allowed`` (optional) is one of

  - a bound: ``> 0``, ``>= 0`` (or ``≥ 0``), ``< 1``, ``<= 1`` (or ``≤ 1``);
  - an interval: ``[0, 1]``, ``(0, 1]``, ``[1, 64)``, ``(0, 1)``;
  - a choice: ``one of quantile, evidently``;
  - nothing, for no constraint.

  For lists the rule applies to every element.

Blank lines and whole-line comments are allowed.

A notebook in R (kernelspec language ``R``, the IRkernel ``ir``) declares its parameters in
R, with the type first in the comment::

    name <- default  # type; unit; allowed

(``TRUE``/``FALSE`` for a ``bool``, ``c(1, 2)`` for a list, ``"text"`` for a ``str``); papermill
injects R assignments for it, and the runner validates them with the same rules. The course runner reads the declared
parameters before it executes anything, so an unknown name, a value of the wrong type or a
value out of range is refused with a message that lists what the notebook accepts.

>>> specs = parse_parameters_source('''
... required_qps: float = 1200.0  # requests/s; > 0
... percentile: float = 0.99      # -; (0, 1)
... binning: str = "quantile"     # -; one of quantile, evidently
... ''')
>>> [s.name for s in specs]
['required_qps', 'percentile', 'binning']
>>> coerce_value(specs[0], "2400")
2400.0
>>> coerce_value(specs[1], 1.5)
Traceback (most recent call last):
...
infra_lab.params.ParameterError: parameter percentile=1.5: must be in (0, 1) (-)
"""

from __future__ import annotations

import ast
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

__all__ = [
    "ParameterSpec",
    "parse_parameters_source",
    "notebook_parameters",
    "parameters_cell_source",
    "notebook_language",
    "coerce_value",
    "validate_overrides",
    "ParameterError",
]

#: The largest whole number a parameter may hold (numpy's int64).
MAX_INT = 2**63 - 1
_TYPES = {"int", "float", "bool", "str", "list[int]", "list[float]", "list[str]"}
_LINE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>[A-Za-z_\[\]]+)\s*=\s*(?P<default>.*?)\s*"
    r"(?:#\s*(?P<comment>.*))?$"
)
_R_LINE = re.compile(
    r"^(?P<name>[A-Za-z_.][A-Za-z0-9_.]*)\s*(?:<-|=)\s*(?P<default>.*?)\s*#\s*(?P<type>[A-Za-z_\[\]]+)\s*"
    r"(?:;\s*(?P<comment>.*))?$"
)
_BOUND = re.compile(r"^(?P<op>>=|<=|≥|≤|>|<)\s*(?P<x>[-+0-9.eE_]+|inf)$")
_INTERVAL = re.compile(r"^(?P<lo_br>[\[(])\s*(?P<lo>[^,]+?)\s*,\s*(?P<hi>[^\])]+?)\s*(?P<hi_br>[\])])$")


class ParameterError(ValueError):
    """A parameters cell that does not follow the grammar, or a value it does not accept."""


@dataclass(frozen=True)
class ParameterSpec:
    """One declared notebook parameter.

    Attributes
    ----------
    name, type : str
        As declared (``type`` is one of ``int``, ``float``, ``bool``, ``str``, ``list[...]``).
    default : Any
        The literal default, evaluated safely.
    unit : str
        Free text after ``#`` and before ``;``.
    allowed : str
        The rule after ``;`` (empty for none).
    """

    name: str
    type: str
    default: Any
    unit: str
    allowed: str

    def describe(self) -> str:
        """One line for error messages and lab sheets, e.g. ``q: float = 1200.0 (requests/s; > 0)``."""
        detail = "; ".join(x for x in (self.unit, self.allowed) if x)
        return f"{self.name}: {self.type} = {self.default!r}" + (f" ({detail})" if detail else "")


def _r_literal(text: str) -> Any:
    """An R literal as Python: ``TRUE``, ``10L``, ``"a"``, ``c(1, 2)``; ValueError otherwise."""
    text = text.strip()
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    if text.startswith("c(") and text.endswith(")"):
        inner = text[2:-1].strip()
        return [_r_literal(x) for x in inner.split(",")] if inner else []
    if re.fullmatch(r"[-+]?\d+L", text):
        return int(text[:-1])
    value = ast.literal_eval(text)
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(text)
    return value


def parse_parameters_source(source: str, language: str = "python") -> list[ParameterSpec]:
    """Parse the text of a ``parameters`` cell into specs (grammar in the module docstring).

    ``language`` is ``"python"`` (``name: type = default  # unit; allowed``) or ``"R"``
    (``name <- default  # type; unit; allowed``).

    Raises
    ------
    ParameterError
        For a line that does not follow ``name: type = default  # unit; allowed``, an
        unknown type, a default that is not a literal of that type, a default outside its
        own allowed range, or a name declared twice.
    """
    specs: list[ParameterSpec] = []
    seen: set[str] = set()
    for lineno, raw in enumerate(source.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        is_r = language.lower() == "r"
        m = (_R_LINE if is_r else _LINE).match(line)
        if not m:
            grammar = "name <- default  # type; unit; allowed" if is_r else "name: type = default  # unit; allowed"
            raise ParameterError(f"parameters cell line {lineno} {raw!r} does not read '{grammar}'")
        name, typ = m["name"], m["type"]
        if typ not in _TYPES:
            raise ParameterError(f"parameter {name}: type {typ!r} is not one of {sorted(_TYPES)}")
        if name in seen:
            raise ParameterError(f"parameter {name} is declared twice")
        seen.add(name)
        try:
            default = _r_literal(m["default"]) if is_r else ast.literal_eval(m["default"])
        except (ValueError, SyntaxError):
            kind = "an R" if is_r else "a Python"
            raise ParameterError(f"parameter {name}: default {m['default']!r} is not {kind} literal") from None
        if is_r and typ == "float" and isinstance(default, int):
            default = float(default)
        unit, _, allowed = (m["comment"] or "").partition(";")
        spec = ParameterSpec(name, typ, default, unit.strip(), allowed.strip())
        _check_rule_syntax(spec)
        coerce_value(spec, default)  # the default must satisfy its own rule
        specs.append(spec)
    return specs


def parameters_cell_source(notebook: Mapping[str, Any] | str | Path) -> str:
    """Return the source of the cell tagged ``parameters`` (a notebook dict or a path)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8")) if isinstance(notebook, (str, Path)) else notebook
    cells = [c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(cells) != 1:
        raise ParameterError(f"expected exactly one cell tagged 'parameters', found {len(cells)}")
    src = cells[0]["source"]
    return "".join(src) if isinstance(src, list) else src


def notebook_language(notebook: Mapping[str, Any] | str | Path) -> str:
    """``"R"`` for a notebook whose kernelspec is R (IRkernel), ``"python"`` otherwise."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8")) if isinstance(notebook, (str, Path)) else notebook
    meta = nb.get("metadata", {})
    language = meta.get("kernelspec", {}).get("language") or meta.get("language_info", {}).get("name") or "python"
    return "R" if str(language).lower() == "r" else "python"


def notebook_parameters(notebook: Mapping[str, Any] | str | Path) -> dict[str, ParameterSpec]:
    """Parameters a notebook declares, by name, in cell order (R or Python grammar by its kernel)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8")) if isinstance(notebook, (str, Path)) else notebook
    return {s.name: s for s in parse_parameters_source(parameters_cell_source(nb), notebook_language(nb))}


def coerce_value(spec: ParameterSpec, value: Any) -> Any:
    """Convert ``value`` (a Python value or command-line text) to ``spec.type`` and check it.

    Command-line text is converted the way a student would expect: ``"3"`` for an ``int``,
    ``"1e-3"`` for a ``float``, ``true``/``false`` for a ``bool``, ``"[1, 2]"`` or ``"1,2"``
    for a list.

    Raises
    ------
    ParameterError
        Naming the parameter, the value and the type or range it must have.
    """
    typed = _convert(spec, value)
    items = typed if isinstance(typed, list) else [typed]
    for item in items:
        ok, rule = _satisfies(item, spec.allowed)
        if not ok:
            unit = f" ({spec.unit})" if spec.unit else ""
            raise ParameterError(f"parameter {spec.name}={value!r}: must be {rule}{unit}")
    return typed


def validate_overrides(specs: Mapping[str, ParameterSpec], overrides: Mapping[str, Any], notebook: str = "notebook") -> dict[str, Any]:
    """Check every override against a notebook's declared parameters; return typed values.

    Raises
    ------
    ParameterError
        For a name the notebook does not declare (the message lists the ones it does) or a
        value ``coerce_value`` refuses.
    """
    typed: dict[str, Any] = {}
    for name, value in overrides.items():
        if name not in specs:
            accepted = "\n  ".join(s.describe() for s in specs.values())
            raise ParameterError(f"{notebook} has no parameter {name!r}; it accepts:\n  {accepted}")
        typed[name] = coerce_value(specs[name], value)
    return typed


# --- helpers -------------------------------------------------------------------------------

def _convert(spec: ParameterSpec, value: Any) -> Any:
    base = spec.type[5:-1] if spec.type.startswith("list[") else spec.type
    if spec.type.startswith("list["):
        if isinstance(value, str):
            text = value.strip()
            try:
                value = ast.literal_eval(text) if text.startswith("[") else [v.strip() for v in text.split(",") if v.strip()]
            except (ValueError, SyntaxError):
                raise ParameterError(f"parameter {spec.name}={value!r}: must be a list of {base}, e.g. [1, 2, 3]") from None
        if not isinstance(value, (list, tuple)):
            raise ParameterError(f"parameter {spec.name}={value!r}: must be a list of {base}")
        return [_convert_scalar(spec.name, base, v) for v in value]
    return _convert_scalar(spec.name, base, value)


def _convert_scalar(name: str, base: str, value: Any) -> Any:
    bad = ParameterError(f"parameter {name}={value!r}: must be of type {base}")
    if base == "str":
        if not isinstance(value, str):
            raise bad
        return value
    if base == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "false", "1", "0", "yes", "no"}:
            return value.strip().lower() in {"true", "1", "yes"}
        raise bad
    if isinstance(value, bool):
        raise bad  # True is an int in Python, never a count or a rate here
    if base == "int":
        if isinstance(value, int):
            out_int = value
        elif isinstance(value, float) and value.is_integer():
            out_int = int(value)
        elif isinstance(value, str):
            try:
                out_int = int(value.strip().replace("_", ""))
            except ValueError:
                raise bad from None
        else:
            raise bad
        if abs(out_int) > MAX_INT:
            raise ParameterError(f"parameter {name}={value!r}: must be a whole number within ±{MAX_INT} "
                                 "(a 64-bit integer)")
        return out_int
    # float
    if isinstance(value, (int, float)):
        out = float(value)
    elif isinstance(value, str):
        try:
            out = float(value.strip().replace("_", ""))
        except ValueError:
            raise bad from None
    else:
        raise bad
    if math.isnan(out):
        raise ParameterError(f"parameter {name}={value!r}: NaN is not a number a notebook can use")
    if math.isinf(out):
        raise ParameterError(f"parameter {name}={value!r}: must be a finite number (inf, or a literal "
                             "beyond ±1.8e308 such as 1e400, is not)")
    return out


def _number(text: str) -> float:
    return float(text.replace("_", ""))


def _check_rule_syntax(spec: ParameterSpec) -> None:
    rule = spec.allowed
    if not rule or rule.startswith("one of ") or _BOUND.match(rule) or _INTERVAL.match(rule):
        return
    raise ParameterError(
        f"parameter {spec.name}: allowed rule {rule!r} is not '> x', '>= x', '< x', '<= x', "
        "'[a, b]' (any brackets) or 'one of a, b, c'"
    )


def _satisfies(value: Any, rule: str) -> tuple[bool, str]:
    if not rule:
        return True, ""
    if rule.startswith("one of "):
        choices = [c.strip() for c in rule[len("one of "):].split(",")]
        return str(value) in choices, f"one of {choices}"
    m = _BOUND.match(rule)
    if m:
        op, x = m["op"], _number(m["x"])
        ok = {">": value > x, "<": value < x, ">=": value >= x, "≥": value >= x, "<=": value <= x, "≤": value <= x}[op]
        return ok, rule
    m = _INTERVAL.match(rule)
    lo, hi = _number(m["lo"]), _number(m["hi"])
    ok_lo = value >= lo if m["lo_br"] == "[" else value > lo
    ok_hi = value <= hi if m["hi_br"] == "]" else value < hi
    return ok_lo and ok_hi, f"in {rule}"


