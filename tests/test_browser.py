"""The course in a real browser: the static site offline, and JupyterLab running notebook 07.

Playwright drives Debian's Chromium (``apt-get install chromium``; Playwright's own browser
download is not reachable here). Without Chromium these tests skip and say how to install it
— except under ``CI=true``, where ``.ci/run`` installs it and they must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from infra_lab.runner import run_course
from infra_lab.site import build_site
from infra_lab.syllabus import notebooks_dir

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
INSTALL = "sudo apt-get update && sudo apt-get install -y chromium"

if CHROMIUM is None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Chromium is missing under CI=true; .ci/run must install it ({INSTALL})", pytrace=False)
    pytest.skip(f"Chromium is not installed; install it with: {INSTALL}", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    results = run_course(["02", "07"], {}, root / "outputs", jobs=2, progress=False)
    assert all(r.status == "ok" for r in results), [r.error for r in results]
    build_site(root / "outputs" / "executed", root / "site")
    return root / "site"


def test_every_page_works_offline_maths_typeset_images_with_alt_and_links_resolving(browser, site):
    context = browser.new_context(offline=True)
    page = context.new_page()
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    pages = sorted(site.glob("*.html"))
    assert {p.name for p in pages} >= {"index.html", "02_data_pipelines_dags.html", "07_serving_capacity.html"}
    for html_file in pages:
        page.goto(html_file.as_uri())
        if html_file.name != "index.html":
            typeset = page.evaluate("() => document.querySelectorAll('math').length")
            assert typeset > 0, f"{html_file.name}: no typeset maths"
            # The browser lays MathML out itself: a rendered formula has a real size.
            sized = page.evaluate("() => [...document.querySelectorAll('math')].every(m => m.getBoundingClientRect().width > 0)")
            assert sized, f"{html_file.name}: a formula was not laid out"
            text = page.evaluate("() => document.body.innerText")
            assert "$$" not in text and "\\(" not in text and "\\frac" not in text, f"{html_file.name}: raw TeX left"
        images = page.evaluate("""() => [...document.images].map(i => ({ok: i.complete && i.naturalWidth > 0,
                                                                       alt: (i.getAttribute('alt') || '').trim()}))""")
        assert all(i["ok"] for i in images), f"{html_file.name}: an image did not load"
        assert all(i["alt"] for i in images), f"{html_file.name}: an image has no alt text"
        hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
        for href in hrefs:
            url = urlparse(href)
            if url.scheme == "file":
                assert Path(unquote(url.path)).exists(), f"{html_file.name}: broken link {href}"
    assert not failed, f"requests that needed the network: {failed[:5]}"
    context.close()


def test_the_07_page_typesets_all_its_formulas(browser, site):
    import json

    page = browser.new_context(offline=True).new_page()
    page.goto((site / "07_serving_capacity.html").as_uri())
    rendered = page.evaluate("() => document.querySelectorAll('math').length")
    # Count the notebook's own formulas independently: $$…$$ and $…$ in its Markdown cells.
    nb = json.loads((notebooks_dir() / "07_serving_capacity.ipynb").read_text())
    markdown = "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    display = markdown.count("$$") // 2
    assert display >= 5 and rendered >= display, (display, rendered)
    assert page.evaluate("() => document.body.innerText").count("$$") == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(notebooks_dir(), root / "notebooks")
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    # Render every cell (no windowing), so the test can read every prompt and output.
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    port, token = _free_port(), "infra-lab-browser-test"
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / "settings"))
    proc = subprocess.Popen(
        [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", "--ServerApp.allow_root=True",
         f"--ServerApp.root_dir={root / 'notebooks'}"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield base, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_jupyterlab_runs_notebook_07_through_the_ui_without_an_error(browser, jupyterlab):
    base, token, root = jupyterlab
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    page.goto(f"{base}/lab/tree/07_serving_capacity.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-CodeCell", timeout=60_000)
    # Let the kernel finish starting: a Run All sent while it starts can be dropped.
    page.wait_for_function("() => /Idle/i.test(document.body.innerText)", timeout=60_000)
    page.wait_for_timeout(3_000)
    page.click("text=Run >> nth=0")
    page.click("text=Run All Cells")
    # Done when every cell has its execution number — or a cell failed (Run All stops there).
    page.wait_for_function(
        """() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
                   const failed = [...document.querySelectorAll('.jp-OutputArea-output')]
                                  .some(o => /Traceback/.test(o.innerText));
                   return failed || (p.length > 0 && p.every(x => /\\[\\d+\\]/.test(x.textContent))); }""",
        timeout=240_000)
    errors = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
                                   .map(o => o.innerText).filter(t => /Traceback|Error:/.test(t))""")
    assert not errors, errors[0][:500]
    cells = page.evaluate("() => document.querySelectorAll('.jp-CodeCell').length")
    assert cells > 20
    assert (root / "outputs" / "07_serving_capacity").is_dir(), "the notebook wrote its outputs beside it"
