"""Dashboards: one HTML page per territory, drawn in the browser from the open data with plotly.js,
served from the file the plotly wheel ships (the page loads nothing from another host)."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Annotated

import plotly
from fastapi import APIRouter, Path as PathParam
from fastapi.responses import FileResponse, HTMLResponse

from services.core.errors import NotFound
from services.core.http import documented
from services.indicators.api.schemas import LevelName
from services.indicators.domain.observations import months_between
from services.indicators.domain.territories import Level, shipped_territories

router = APIRouter(prefix="/dashboards", tags=["dashboards"])
PLOTLY_JS = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
TEMPLATE = Path(__file__).parent / "dashboard.html"
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
def dashboard(level: Annotated[LevelName, PathParam(examples=["departement"])],
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
            "months": months, "child_level": child_level.value if child_level else None, "children": children}
    html = _template().replace("{{name}}", _escaped(territory.name)).replace(
        "{{page}}", json.dumps(page, ensure_ascii=False).replace("</", "<\\/"))
    return HTMLResponse(html)


@lru_cache(maxsize=1)
def _template() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
