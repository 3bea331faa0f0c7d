"""The parameters-cell grammar (infra_lab.params): parsing, coercion, refusal messages."""

import pytest
from hypothesis import given, strategies as st

from infra_lab.params import (
    ParameterError, coerce_value, parse_parameters_source, validate_overrides,
)

CELL = """
# a comment line is ignored
required_qps: float = 1200.0           # requests/s; > 0
servers: int = 8                       # replicas; [1, 10000]
percentile: float = 0.99               # -; (0, 1)
binning: str = "quantile"              # -; one of quantile, evidently
fast: bool = True                      # -
sizes: list[int] = [1, 2, 4]           # tokens; >= 1
output_dir: str = "../outputs/99_demo"  # path
"""


def specs():
    return {s.name: s for s in parse_parameters_source(CELL)}


def test_every_line_is_parsed_with_type_default_unit_and_rule():
    s = specs()
    assert list(s) == ["required_qps", "servers", "percentile", "binning", "fast", "sizes", "output_dir"]
    assert (s["required_qps"].type, s["required_qps"].default, s["required_qps"].unit, s["required_qps"].allowed) == (
        "float", 1200.0, "requests/s", "> 0")
    assert s["sizes"].default == [1, 2, 4]
    assert s["output_dir"].allowed == ""


@pytest.mark.parametrize("name, text, expected", [
    ("required_qps", "2400", 2400.0),
    ("required_qps", "1e3", 1000.0),
    ("servers", "16", 16),
    ("fast", "false", False),
    ("sizes", "[8, 16]", [8, 16]),
    ("sizes", "8,16", [8, 16]),
    ("binning", "evidently", "evidently"),
])
def test_command_line_text_is_converted_to_the_declared_type(name, text, expected):
    assert coerce_value(specs()[name], text) == expected


@pytest.mark.parametrize("name, value, fragment", [
    ("required_qps", 0, "must be > 0"),
    ("servers", 0, "must be in [1, 10000]"),
    ("servers", "eight", "must be of type int"),
    ("servers", 2.5, "must be of type int"),
    ("servers", True, "must be of type int"),
    ("percentile", 1.0, "must be in (0, 1)"),
    ("binning", "deciles", "one of ['quantile', 'evidently']"),
    ("sizes", "[1, 0]", "must be >= 1"),
    ("fast", "maybe", "must be of type bool"),
])
def test_bad_values_are_refused_naming_parameter_value_and_rule(name, value, fragment):
    with pytest.raises(ParameterError) as err:
        coerce_value(specs()[name], value)
    assert name in str(err.value) and fragment in str(err.value)


def test_unknown_override_lists_what_the_notebook_accepts():
    with pytest.raises(ParameterError) as err:
        validate_overrides(specs(), {"no_such_param": "1"}, notebook="99_demo")
    message = str(err.value)
    assert "99_demo has no parameter 'no_such_param'" in message
    assert "required_qps: float = 1200.0 (requests/s; > 0)" in message


@pytest.mark.parametrize("cell, fragment", [
    ("x = 1  # no type", "does not read"),
    ("x: complex = 1j  # -", "is not one of"),
    ("x: int = 1  # -\nx: int = 2  # -", "declared twice"),
    ("x: int = foo  # -", "not a Python literal"),
    ("x: int = 0  # -; > 0", "must be > 0"),
    ("x: int = 1  # -; between 0 and 2", "allowed rule"),
])
def test_malformed_cells_are_rejected_clearly(cell, fragment):
    with pytest.raises(ParameterError, match=None) as err:
        parse_parameters_source(cell)
    assert fragment in str(err.value)


@given(lo=st.floats(-1e6, 1e6), width=st.floats(1e-3, 1e6), t=st.floats(0, 1))
def test_interval_rule_accepts_inside_and_refuses_outside(lo, width, t):
    hi = lo + width
    (spec,) = parse_parameters_source(f"x: float = {lo!r}  # -; [{lo!r}, {hi!r}]")
    inside = lo + t * width
    if lo <= inside <= hi:
        assert coerce_value(spec, inside) == inside
    with pytest.raises(ParameterError):
        coerce_value(spec, hi + width + 1.0)
