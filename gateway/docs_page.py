"""The docs portal: Swagger UI at /docs over the aggregated contract at /openapi.json.

Swagger UI's files come from an installed package (fastapi-offline ships Swagger UI 5, which reads
OpenAPI 3.1) and are served by the gateway itself: the page loads nothing from another host, so the
portal works on an isolated network. "Try it out" gets its token with the client-credentials flow
of the contract's security scheme, at the gateway's own /oauth/token.
"""
from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from gateway.docs import aggregated_openapi

ASSETS_URL = "/docs/assets"
SWAGGER_UI_FILES = files("fastapi_offline") / "static"
SWAGGER_UI_PARAMETERS = {
    # Swagger UI would otherwise send the contract's URL to validator.swagger.io for a badge.
    "validatorUrl": None,
}


def install_docs(app: FastAPI) -> None:
    app.mount(ASSETS_URL, StaticFiles(directory=str(SWAGGER_UI_FILES)), name="docs-assets")

    @app.get("/openapi.json", include_in_schema=False)
    async def openapi(request: Request) -> dict:
        return await aggregated_openapi(request.app.state.upstream, app.openapi())

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json", title="France Travail platform — API docs",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png", swagger_ui_parameters=SWAGGER_UI_PARAMETERS)
