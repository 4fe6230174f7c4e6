"""The dashboard of the demo département in Debian's headless Chromium (issue 13): the charts are
drawn, with the open data's values, and nothing is fetched from another host; the demo région's map
draws its five départements with the open data's values, and axe-core finds no serious violation.
The fixture keeps each test's last page's screenshot under .data/artefacts/."""
from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest

from services.registration.tests.builders import person
from tests.support.axe import serious_violations

pytestmark = pytest.mark.e2e

DRAWN = "() => [document.getElementById('series').data, document.getElementById('distribution').data]"
MAPPED = """() => [...document.querySelectorAll('#map-areas path')].map(shape => [shape.dataset.code,
    shape.dataset.value === '' ? null : Number(shape.dataset.value), shape.getAttribute('fill'),
    shape.querySelector('title').textContent])"""
PAYS_DE_LA_LOIRE = ["44", "49", "53", "72", "85"]


def open_data_series(stack, months: list[str]) -> list[int | None]:
    values = []
    for month in months:
        rows = httpx.get(f"{stack.url}/open-data/indicators/registrations/departement/{month}").json()["items"]
        values.append(next(row["value"] for row in rows if row["territory"] == "44"))
    return values


def open_dashboard(page, stack, path: str) -> None:
    page.goto(f"{stack.url}{path}")
    page.wait_for_function("() => window.dashboardReady === true", timeout=60_000)


def drawn_as_published(page, stack, path: str, read: Callable[[object, object], tuple[object, object]]) -> None:
    """Registers 11 people in Loire-Atlantique (this month's count then no cell under the threshold), then
    loads the dashboard at `path` until what it draws equals what the open data publishes (`read(stack,
    page)` gives both): the consumer may still be catching up, so it has a minute."""
    with stack.client("ft-agence-nantes") as agency:
        for _ in range(11):
            assert agency.post("/v1/registrations", json=person()).status_code == 201
    deadline = time.monotonic() + 60
    while True:
        open_dashboard(page, stack, path)
        drawn, published = read(stack, page)
        if drawn == published or time.monotonic() > deadline:
            break
    assert drawn == published


def series_and_open_data(stack, page) -> tuple[list[int | None], list[int | None]]:
    """Loire-Atlantique's registrations as drawn month by month, and as the open data publishes them."""
    series, _ = page.evaluate(DRAWN)
    return series[0]["y"], open_data_series(stack, series[0]["x"])


def map_and_open_data(stack, page) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """The région's départements as mapped this month, and as the open data publishes them."""
    month = page.evaluate("() => PAGE.months[PAGE.months.length - 1]")
    rows = httpx.get(f"{stack.url}/open-data/indicators/registrations/departement/{month}").json()["items"]
    mapped = {code: value for code, value, _, _ in page.evaluate(MAPPED)}
    return mapped, {row["territory"]: row["value"] for row in rows if row["territory"] in PAYS_DE_LA_LOIRE}


def test_the_loire_atlantique_dashboard_draws_the_open_data(browser_page, stack):
    page = browser_page.page
    drawn_as_published(page, stack, "/dashboards/departement/44", series_and_open_data)
    series, distribution = page.evaluate(DRAWN)
    assert len(series[0]["x"]) == 12
    # This month's figure is drawn, or left as a gap where the open data withholds it: levels are
    # protected together, so small counts the shared stack holds in other régions can withhold the
    # région's figure nationally, and with it the département that makes up most of it.
    assert series[0]["y"][-1] is None or series[0]["y"][-1] >= 11
    assert distribution[0]["x"] == ["Saint-Nazaire"]  # the département's bassins shipped for the demo
    assert page.locator("#series .main-svg").count() >= 1  # plotly drew an SVG
    assert page.locator("h1").inner_text() == "Indicateurs — Loire-Atlantique"
    assert page.locator("#secrecy").inner_text().startswith("Les effectifs de 1 à 10 personnes ne sont pas publiés")
    # The nation has no parent to be protected with: its 11 or more this month are drawn.
    open_dashboard(page, stack, "/dashboards/national/FR")
    national, _ = page.evaluate(DRAWN)
    assert national[0]["y"][-1] >= 11
    # Its map: metropolitan France's 96 départements, a withheld value hatched (the shared stack's small
    # counts elsewhere), the five overseas ones in the table only.
    mapped = page.evaluate(MAPPED)
    assert len(mapped) == 96 and all((fill == "url(#secret-hatch)") == (value is None) for _, value, fill, _ in mapped)
    assert page.locator("#map-table tbody tr").count() == 101
    assert browser_page.off_machine() == []
    assert f"{stack.url}/dashboards/assets/plotly.min.js" in browser_page.requested


def test_the_pays_de_la_loire_dashboard_maps_its_departements_with_the_open_data(browser_page, stack):
    page = browser_page.page
    drawn_as_published(page, stack, "/dashboards/region/52", map_and_open_data)
    mapped = page.evaluate(MAPPED)
    assert [code for code, _, _, _ in mapped] == PAYS_DE_LA_LOIRE
    for code, value, fill, title in mapped:  # a withheld value is hatched, a published one coloured, both titled
        assert (fill == "url(#secret-hatch)") == (value is None), code
        assert title.endswith("secret statistique" if value is None else f": {value:,}".replace(",", "\u202f")), title
    assert "Loire-Atlantique (44)" in mapped[0][3]
    table = page.locator("#map-table tbody tr")
    assert table.count() == 5 and table.nth(2).locator("td").nth(0).inner_text() == "Mayenne"
    assert "CC BY 4.0" in page.locator("#map-credit").inner_text()
    assert page.locator("#map").bounding_box()["height"] > 100  # framed on the région, not a speck
    assert serious_violations(page) == []
    assert browser_page.off_machine() == []
