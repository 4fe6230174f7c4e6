"""The dashboard of the demo département in Debian's headless Chromium (issue 13): the charts are
drawn, with the open data's values, and nothing is fetched from another host. The fixture keeps the
page's screenshot under .data/artefacts/."""
from __future__ import annotations

import time

import httpx
import pytest

from services.registration.tests.builders import person

pytestmark = pytest.mark.e2e

DRAWN = "() => [document.getElementById('series').data, document.getElementById('distribution').data]"


def open_data_series(stack, months: list[str]) -> list[int | None]:
    values = []
    for month in months:
        rows = httpx.get(f"{stack.url}/open-data/indicators/registrations/departement/{month}").json()["items"]
        values.append(next(row["value"] for row in rows if row["territory"] == "44"))
    return values


def test_the_loire_atlantique_dashboard_draws_the_open_data(browser_page, stack):
    # At least 11 registrations this month in Loire-Atlantique, none of them a cell under the threshold.
    with stack.client("ft-agence-nantes") as agency:
        for _ in range(11):
            assert agency.post("/v1/registrations", json=person()).status_code == 201
    page = browser_page.page
    deadline = time.monotonic() + 60
    while True:  # the consumer may still be catching up: the page and the open data must agree once it has
        page.goto(f"{stack.url}/dashboards/departement/44")
        page.wait_for_function("() => window.dashboardReady === true", timeout=60_000)
        series, distribution = page.evaluate(DRAWN)
        expected = open_data_series(stack, series[0]["x"])
        if series[0]["y"] == expected or time.monotonic() > deadline:
            break
    assert series[0]["y"] == expected and len(series[0]["x"]) == 12
    # This month's figure is drawn, or left as a gap where the open data withholds it: levels are
    # protected together, so small counts the shared stack holds in other régions can withhold the
    # région's figure nationally, and with it the département that makes up most of it.
    assert series[0]["y"][-1] is None or series[0]["y"][-1] >= 11
    assert distribution[0]["x"] == ["Saint-Nazaire"]  # the département's bassins shipped for the demo
    assert page.locator("#series .main-svg").count() >= 1  # plotly drew an SVG
    assert page.locator("h1").inner_text() == "Indicateurs — Loire-Atlantique"
    # The nation has no parent to be protected with: its 11 or more this month are drawn.
    page.goto(f"{stack.url}/dashboards/national/FR")
    page.wait_for_function("() => window.dashboardReady === true", timeout=60_000)
    national, _ = page.evaluate(DRAWN)
    assert national[0]["y"][-1] >= 11
    assert browser_page.off_machine() == []
    assert f"{stack.url}/dashboards/assets/plotly.min.js" in browser_page.requested
