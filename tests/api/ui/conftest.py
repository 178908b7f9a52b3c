"""Headless Chromium (Debian's, driven by Playwright) with networking off apart from loopback.

Skips with the reason when Playwright or Chromium is missing, except under CI=true, where it fails: CI installs
both (tools/install-system-deps, the test extras). Screenshots go to tests/artifacts/ui/ (gitignored).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("IMRI_KG_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "ui"
LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (run tools/install-system-deps as root)"
    return None


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    reason = _unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI must run the browser tests: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True,
            args=FLAGS, accept_downloads=True, viewport=DESKTOP, service_workers="block")
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser_context) -> Iterator:
    """A fresh tab; any request to a host other than loopback is aborted, and the test fails if one was tried."""
    outbound: list[str] = []

    def guard(route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            route.continue_()
        else:
            outbound.append(route.request.url)
            route.abort()

    tab = browser_context.new_page()
    tab.route("**/*", guard)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.set_default_timeout(15_000)
    yield tab
    tab.close()
    assert outbound == [], f"requests to the network were attempted: {outbound}"
    assert errors == [], f"JavaScript errors on the page: {errors}"


def screenshot(tab, name: str) -> None:
    """Keep what a person sees, at desktop width and at 360 px, as test artefacts; the page must fit 360 px."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    tab.set_viewport_size(DESKTOP)
    tab.screenshot(path=str(ARTIFACTS / f"{name}-desktop.png"), full_page=True)
    tab.set_viewport_size(PHONE)
    tab.screenshot(path=str(ARTIFACTS / f"{name}-360.png"), full_page=True)
    width = tab.evaluate("document.documentElement.scrollWidth")
    tab.set_viewport_size(DESKTOP)
    assert width <= PHONE["width"], f"{name}: the page is {width} px wide at 360 px (it must scroll inside tables)"


CM = "document.querySelector('.editor .CodeMirror').CodeMirror"


def set_query(tab, text: str) -> None:
    """Put a query in the SPARQL editor through its CodeMirror instance, the cursor at its end, focused."""
    tab.locator(".editor .CodeMirror").wait_for()
    tab.evaluate(f"(text) => {{ const cm = {CM}; cm.setValue(text); cm.focus(); cm.setCursor(cm.lineCount(), 0); }}",
                 text)


def query_of(tab) -> str:
    """The text in the SPARQL editor's CodeMirror instance."""
    tab.locator(".editor .CodeMirror").wait_for()
    return tab.evaluate(f"() => {CM}.getValue()")
