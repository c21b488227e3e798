"""Browser tests: Playwright driving Debian's Chromium against a live server.

They are marked `e2e`; they are skipped when /usr/bin/chromium is absent (./test says so), and
.ci/run installs it. No browser is ever downloaded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

CHROMIUM = os.environ.get("MAILLAGE_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = os.environ.get("MAILLAGE_SCREENSHOTS")  # a folder: tests save their screens there


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            if not Path(CHROMIUM).exists():
                item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))


@pytest.fixture(scope="session", autouse=True)
def _orm_beside_playwright() -> Iterator[None]:
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between browser steps are synchronous and safe here. Set while browser tests run only.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if before is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture(scope="session")
def browser(_orm_beside_playwright) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator:
    # bypass_csp: axe-core is injected as an inline script, which our strict policy blocks;
    # test_strict_csp_flow.py checks the policy in a context without it.
    context = browser.new_context(
        locale="fr-CA", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    """A page on a phone's screen (390 × 844), in French."""
    context = browser.new_context(locale="fr-CA", viewport=PHONE, bypass_csp=True)  # axe-core
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base = live_server.url
    yield page
    context.close()


@pytest.fixture
def reference_data(transactional_db) -> None:
    # Transactional tests flush the tables between tests, data migrations included.
    from maillage.core.reference import load_reference_data

    load_reference_data()


@pytest.fixture
def demo(reference_data):
    from maillage.demo.editions import build_demo

    return build_demo()


def sign_in(page, email: str, password: str) -> None:
    page.goto(page.base + "/comptes/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state("networkidle")


def shoot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def page_widths(page) -> tuple[int, int]:
    """The shown page's full width and the screen's, in CSS pixels.

    A click that navigates returns before the next page exists: its document can be there
    before its body (CI read `null.scrollWidth` once). Wait for the page, retry once if a
    navigation replaced the document under us.
    """
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.wait_for_function("document.body !== null")
            width, screen = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            return width, screen
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def fits_the_screen(page) -> bool:
    """Nothing wider than the screen: no sideways scroll."""
    width, screen = page_widths(page)
    return width <= screen


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.1 A/AA violations found by axe-core on the current page."""
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci)")
    # A click that navigates returns before the next page has loaded: injecting then can
    # hit the old document as it is torn down. Wait for the page, and try again once if a
    # navigation still replaced the document under us.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                """async () => await axe.run(document, {runOnly: {type: 'tag',
                     values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
            )
            break
        except PlaywrightError:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
