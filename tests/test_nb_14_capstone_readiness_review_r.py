"""Notebook 14 (R edition) run under IRkernel with non-default parameters; its r_ai_* files must
equal the Python port's (infra_lab.capstone.r_workflow) value by value, within 1e-9.

Needs R and the ``ir`` Jupyter kernel (Debian: ``apt-get install r-base-core r-cran-irkernel``).
Without them the test is skipped — except under ``CI=true``, where it fails.
"""

import os

import numpy as np
import pandas as pd
import pytest

from infra_lab.capstone import r_workflow, write_workflow
from infra_lab.runner import kernel_available

PARAMS = dict(service_name="fraud_scoring_api", required_qps=2250.0, throughput_per_replica=180.0,
              feature_latency_ms=30.0, model_latency_ms=95.0, network_latency_ms=25.0,
              postprocess_latency_ms=15.0, latency_budget_ms=160.0)
INSTALL = ("the R notebook needs R and the 'ir' Jupyter kernel: "
           "sudo apt-get install r-base-core r-cran-irkernel (kernel spec in /usr/share/jupyter/kernels/ir)")


def require_ir(available=None):
    """Skip without the ir kernel (saying how to install it) — but fail under CI=true."""
    if not (kernel_available("ir") if available is None else available):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but no 'ir' kernel: {INSTALL}", pytrace=False)
        pytest.skip(INSTALL)


@pytest.fixture
def ir_kernel():
    require_ir()


def test_a_missing_kernel_skips_with_the_install_command_but_fails_under_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install r-base-core r-cran-irkernel"):
        require_ir(available=False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        require_ir(available=False)


def _services(p):
    return pd.DataFrame([{"service": p["service_name"], **{k: v for k, v in p.items() if k != "service_name"}}])


def assert_same_files(r_dir, py_dir, names):
    for name in names:
        r, py = pd.read_csv(r_dir / name), pd.read_csv(py_dir / name)
        assert r.columns.tolist() == py.columns.tolist(), name
        assert len(r) == len(py), name
        for col in r.columns:
            if py[col].dtype.kind in "ifb" and r[col].dtype.kind in "ifb":
                np.testing.assert_allclose(r[col].astype(float), py[col].astype(float), rtol=0, atol=1e-9,
                                           err_msg=f"{name}:{col}")
            else:
                assert r[col].astype(str).tolist() == py[col].astype(str).tolist(), f"{name}:{col}"


def test_r_notebook_writes_the_python_ports_files(ir_kernel, run_notebook, tmp_path):
    r_dir = run_notebook("14_capstone_readiness_review_r", **PARAMS)
    py = r_workflow(services=_services(PARAMS))
    py_dir = tmp_path / "python_port"
    write_workflow(py, py_dir)
    assert sorted(p.name for p in r_dir.iterdir()) == sorted([*py.tables, py.memo_name])
    assert_same_files(r_dir, py_dir, py.tables)
    assert (r_dir / py.memo_name).read_text(encoding="utf-8") == py.memo
    summary = pd.read_csv(r_dir / "r_ai_infrastructure_summary.csv").set_index("metric")["value"]
    # independent arithmetic: ⌈2250/180⌉ = 13, 30 + 95 + 25 + 15 = 165 ms > 160 ms
    assert summary["serving_required_replicas"] == 13 and summary["serving_total_latency_ms"] == 165
    assert summary["serving_latency_margin_ms"] == -5 and summary["serving_meets_latency_budget"] == 0
