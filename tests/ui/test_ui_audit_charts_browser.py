"""The audit charts on a 390 px phone: every label is drawn at 11 px or more (it was about 6 px when
the 680-unit-wide charts were shrunk to the screen), and the page itself is no wider than the screen."""

from __future__ import annotations

from datetime import timedelta

from alertaudit import importer
from tests.audit.audit_builders import voted
from tests.conftest import MONDAY_KIM
from tests.ui.test_ui_browser import browser, server  # noqa: F401 (the fixtures)

PHONE = {"width": 390, "height": 844}
SMALLEST_LABEL = """() => Math.min(...[...document.querySelectorAll('svg.audit-chart')].flatMap(svg => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
}))"""


def test_chart_labels_are_readable_on_a_phone(browser, server, runtime):  # noqa: F811
    with runtime.db.session() as session:
        for rule in ("DiskFull", "HighErrorRate", "CertificateExpiringSoon"):
            importer.import_events(session, voted(rule, 1, 6, MONDAY_KIM - timedelta(days=3)))
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{server}/audit")
    assert page.locator("svg.audit-chart").count() == 3
    assert page.evaluate(SMALLEST_LABEL) >= 11
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.close()
