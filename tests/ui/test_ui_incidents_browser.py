"""The incident pages in headless Chromium: declare from an alert and by hand, post a status
update, add a note and an action item, download the postmortem and read it.

Reuses the browser fixtures of test_ui_browser.py; each page is photographed at desktop and
phone width, and a page wider than the phone's screen or a CSP violation fails the test.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.ui.conftest import PASSWORD, fire
from tests.ui.test_ui_browser import WIDTHS, browser, csp_violations, server, shoot  # noqa: F401


def sign_in_as_kim(page, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Who are you").select_option("kim")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    page.wait_for_url(f"{base}/")


def test_an_incident_from_page_to_postmortem_in_the_browser(
    server,  # noqa: F811
    browser,  # noqa: F811
    client,
    auth,
    logins,
    clock,
):
    down = fire(client, auth, "PaymentsDown", severity="critical", summary="checkout 5xx above 5%")
    clock.advance(timedelta(minutes=4))
    context = browser.new_context(viewport=WIDTHS["desktop"], accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    blocked = csp_violations(page)
    sign_in_as_kim(page, server)

    # From the alert: declare, with Kim as Commander.
    page.goto(f"{server}/alerts/{down}")
    page.get_by_role("button", name=f"Declare an incident from alert {down}").click()
    assert "declared from" in page.inner_text("main")
    number = page.inner_text("h1").split()[0]
    assert number.startswith("INC-") and "PaymentsDown: checkout 5xx above 5%" in page.inner_text("h1")
    assert page.inner_text("[data-testid=incident-status]") == "Investigating"
    assert "Commander\nKim" in page.inner_text("[data-testid=roles]")

    # A status update and a note, both on the timeline in order.
    clock.advance(timedelta(minutes=6))
    page.get_by_label("Status", exact=True).select_option("Identified")
    page.get_by_label("Impact").fill("2% of checkouts fail")
    page.get_by_label("Current work (optional)").fill("rolling back release 412")
    page.get_by_label("Next update in").select_option("15m")
    page.get_by_role("button", name="Post update").click()
    assert "status update posted: Identified" in page.inner_text("main")
    assert page.inner_text("[data-testid=incident-status]") == "Identified"
    page.get_by_label("Note", exact=True).fill("DB failover finished")
    page.get_by_role("button", name="Add note").click()
    timeline = page.inner_text("[data-testid=timeline]")
    assert "Kim\tStatus Identified — impact: 2% of checkouts fail; current work: rolling back" in timeline
    assert timeline.index("Status Identified") < timeline.index("DB failover finished")

    # An action item, through the folded form.
    page.get_by_text("Add an action item").click()
    page.get_by_label("What").fill("Alert on checkout error ratio")
    page.get_by_label("Owner").select_option("lee")
    page.get_by_label("Due").fill("2026-03-20")
    page.get_by_role("button", name="Add action item").click()
    assert "Alert on checkout error ratio" in page.inner_text("[data-testid=action-items]")
    shoot(page, "incident")

    # The postmortem as a file: the seed's template, filled from the timeline.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download postmortem").click()
    download = download_info.value
    assert download.suggested_filename == f"{number}-postmortem.md"
    markdown = Path(download.path()).read_text(encoding="utf-8")
    assert "PaymentsDown: checkout 5xx above 5%" in markdown
    assert "Status Identified — impact: 2% of checkouts fail" in markdown
    assert "DB failover finished" in markdown
    assert "Alert on checkout error ratio" in markdown and "5 Whys" in markdown

    # Declare one by hand from the list, which shows both.
    page.get_by_role("link", name="← Incidents").click()
    page.get_by_label("Title").fill("Login latency above 2 s")
    page.get_by_label("Severity").select_option("SEV-3")
    page.get_by_role("button", name="Declare incident").click()
    assert "declared." in page.inner_text("main")
    assert page.inner_text("[data-testid=incident-status]") == "Investigating"
    page.get_by_role("link", name="Incidents", exact=True).click()
    listing = page.inner_text("[data-testid=incidents]")
    assert "Login latency above 2 s" in listing and "PaymentsDown" in listing
    shoot(page, "incidents")

    page.goto(f"{server}/incidents/action-items")
    assert "Alert on checkout error ratio" in page.inner_text("[data-testid=open]")
    shoot(page, "action-items")
    page.goto(f"{server}/incidents/metrics")
    assert "MTTA" in page.inner_text("[data-testid=mttx]")
    shoot(page, "incident-metrics")
    context.close()
    assert blocked == [], "the incident pages broke their own Content-Security-Policy"
