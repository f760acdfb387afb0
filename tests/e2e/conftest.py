"""A live server on a free port and Debian's Chromium driven by Playwright."""

import json
import os
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from tests.conftest import ROOT, close_app, make_app

CHROMIUM = os.environ.get("STUDYAPP_CHROMIUM", "/usr/bin/chromium")
# Without these flags Chromium keeps trying to reach Google, which this network refuses.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(tmp_path, request):
    """(base URL, app): the app on the shipped content; indirect parametrization passes extra config."""
    extra = getattr(request, "param", {})
    app = make_app(tmp_path, syllabus=ROOT / "syllabus", bank=ROOT / "question_bank", **extra)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    thread.join()
    close_app(app)


@pytest.fixture
def live_app(live_server):
    """The base URL alone; parametrize `live_server` indirectly to pass extra config."""
    return live_server[0]


AXE_DIR = ROOT / ".cache" / "axe"
AXE_VERSION = "4.10.2"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed from npm once into .cache/ (CI installs it the same way)."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        npm = shutil.which("npm")
        if npm is None:
            if os.environ.get("CI"):
                pytest.fail("npm is missing: the accessibility check needs axe-core from the npm registry")
            pytest.skip("npm is not installed; CI always runs the accessibility check")
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(AXE_DIR),
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True, timeout=300)
    return script.read_text(encoding="utf-8")


def with_axe(page, axe_source: str):
    """Load axe-core into every document this page opens. An init script is injected by the
    browser itself, so the app's Content-Security-Policy stays exactly as served."""
    page.add_init_script(script=axe_source)
    return page


def axe_violations(page, axe_source: str) -> list[str]:
    """WCAG 2.x A and AA violations axe-core finds on the page as it is now, one line each."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the app's CSP (rightly) blocks an inline <script> tag.
        page.evaluate(f"() => {{ {axe_source}\n; window.axe = window.axe || axe; }}")
    # Let layout settle after a resize or colour-scheme switch: on a loaded machine axe could
    # otherwise measure targets mid-reflow (a false "target-size" on the header's links).
    page.wait_for_load_state("load")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
    }""")
    return [f"{v['id']}: {json.dumps(v['nodes'])}" for v in result]


@pytest.fixture
def page():
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI always runs this test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context()
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        context.close()
        browser.close()
