"""The UI in headless Chromium: a person signs in and does the 3 AM things, page by page.

Each page is photographed at desktop and phone width (see SHOTS below).
"""

from __future__ import annotations

import os
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from oncall.settings import ROOT
from tests.conftest import need_component
from tests.ui.conftest import PASSWORD, fire

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Screenshots go to tests/_artifacts/screenshots (ignored by git) unless ONCALL_SCREENSHOTS names a
# folder: `make screenshots` refreshes the ones in docs/screenshots that the README shows.
SHOTS = Path(os.environ.get("ONCALL_SCREENSHOTS") or ROOT / "tests" / "_artifacts" / "screenshots")
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture
def server(app):
    """The real app on 127.0.0.1 in a thread; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=5)


@pytest.fixture
def browser():
    if not os.path.exists(CHROMIUM):
        need_component("Chromium", "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def csp_violations(page) -> list[str]:
    """Collects what Chromium reports as blocked by the Content-Security-Policy on `page`."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def shoot(page, name: str) -> None:
    """Save the current page at desktop and phone width (full page), then go back to desktop."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
        if label == "phone":
            # Usable at 375 px: nothing wider than the screen forces sideways scrolling.
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, f"{name} is {width}px wide on a phone"
    page.set_viewport_size(WIDTHS["desktop"])


def test_a_night_on_call_in_the_browser(server, browser, client, auth, logins, runtime, clock):
    noisy = fire(client, auth, "DiskFull", severity="page", summary="disk 91% on db-2")
    down = fire(client, auth, "PaymentsDown", severity="critical", summary="checkout 5xx above 5%")
    runtime.engine.tick()
    clock.advance(timedelta(minutes=7))
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.set_default_timeout(10_000)
    blocked = csp_violations(page)

    # Anonymous: who is on call, with the number masked and nothing to dial.
    page.goto(f"{server}/")
    assert "+82 10-****-5601" in page.inner_text("[data-testid=phone-kim]")
    assert page.locator("a[href^='tel:'], a[href^='sms:']").count() == 0

    # Sign in (keyboard only: labels lead to the fields).
    page.goto(f"{server}/login")
    shoot(page, "login")
    page.get_by_label("Who are you").select_option("kim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{server}/")
    assert "Signed in as Kim" in page.inner_text("main")

    # Now: Kim on call, Choi and Jung at levels 2 and 3, with call links.
    assert "Kim" in page.inner_text("[data-testid=oncall-payments]")
    assert "Choi" in page.inner_text("[data-testid=level-payments-2]")
    assert "Jung" in page.inner_text("[data-testid=level-payments-3]")
    assert page.get_by_role("link", name="Call Kim").first.get_attribute("href") == "tel:+821012345601"
    shoot(page, "now")

    # Create an override and see it on the schedule.
    page.get_by_role("link", name="Schedule", exact=True).first.click()
    page.get_by_label("Who takes over").select_option("park")
    page.get_by_label("From (Asia/Seoul)").fill("2026-03-04T09:00")
    page.get_by_label("Until (Asia/Seoul)").fill("2026-03-04T18:00")
    page.get_by_label("Reason").fill("dentist")
    page.get_by_role("button", name="Create override").click()
    assert "Override created." in page.inner_text("main")
    wednesday = page.locator('[data-day="2026-03-04"] .piece.override')
    assert "Park" in wednesday.inner_text() and "09:00–18:00" in wednesday.inner_text()
    assert "dentist" in page.inner_text("[data-testid=overrides]")
    shoot(page, "schedule")

    # Acknowledge from the list, then read the timeline.
    page.get_by_role("link", name="Alerts").first.click()
    shoot(page, "alerts")
    page.get_by_role("button", name=f"Acknowledge alert {down}").click()
    assert f"#{down}: acknowledged." in page.inner_text("main")
    page.get_by_role("link", name=f"#{down} PaymentsDown").click()
    assert page.inner_text("[data-testid=status]") == "acknowledged"
    timeline = page.inner_text("[data-testid=timeline]")
    assert "acknowledged by Kim via web" in timeline
    shoot(page, "alert")

    # Vote the disk alert as noise.
    page.goto(f"{server}/alerts/{noisy}")
    page.get_by_role("button", name=f"Vote alert {noisy} noise").click()
    assert "voted noise" in page.inner_text("main")
    assert "vote by Kim via web — noise" in page.inner_text("[data-testid=timeline]")

    # The noise report, with its charts, and a pin.
    page.get_by_role("link", name="Noise").click()
    assert page.locator("section.audit svg").count() >= 1
    assert "DiskFull" in page.inner_text("section.audit")
    page.get_by_role("button", name="Pin DiskFull").click()
    assert "DiskFull: pin done." in page.inner_text("main")
    shoot(page, "audit")

    page.get_by_role("link", name="Outbox").click()
    assert "Kim" in page.inner_text("table")
    shoot(page, "outbox")
    page.get_by_role("link", name="Config").click()
    assert "valid and in force" in page.inner_text("main")
    shoot(page, "config")
    page.close()
    assert blocked == [], "the pages broke their own Content-Security-Policy"


def test_reading_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/")
    assert "Kim" in page.inner_text("[data-testid=oncall-payments]")
    page.goto(f"{server}/schedule/payments")
    assert page.locator(".piece").count() >= 28
    context.close()
