"""The personal space: `GET /espace-personnel/`, the person's own page over the `/v1/me/...` API.

A static page (HTML, CSS and a script, all under gateway/personal_space/ and served by the gateway
itself: nothing from another host, so it works on an isolated network). The page never holds a
token: it calls `/v1/me/...` with the browser session's cookie, which the gateway turns into the
person's token (gateway/oidc.py). The export of everything (`GET /v1/me/export`) is the gateway's
own route, installed here with the page that offers it.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from gateway.me_export import install_export

PAGE_URL = "/espace-personnel/"
ASSETS_URL = "/espace-personnel/assets"
FILES = Path(__file__).parent / "personal_space"
# The page and its assets come from this origin only; no inline script, no frame. Its one form is the
# logout, which the gateway redirects to the identity provider: a browser checks `form-action` along the
# redirects, so the provider's origin is named there too (gateway/oidc_logout.py).
POLICY = ("default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
          "base-uri 'none'; form-action 'self' {provider}")
PAGE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def page_headers(issuer: str) -> dict[str, str]:
    issuer_url = urlsplit(issuer)
    return {**PAGE_HEADERS, "Content-Security-Policy": POLICY.format(
        provider=f"{issuer_url.scheme}://{issuer_url.netloc}")}


def install_personal_space(app: FastAPI) -> None:
    """Before the gateway's `/v1/{path}` proxy, so that `/v1/me/export` is answered here."""
    install_export(app)
    app.mount(ASSETS_URL, StaticFiles(directory=str(FILES)), name="personal-space-assets")

    @app.get(PAGE_URL, include_in_schema=False)
    def personal_space(request: Request) -> FileResponse:
        headers = page_headers(request.app.state.relying_party.settings.issuer)
        return FileResponse(FILES / "index.html", media_type="text/html; charset=utf-8", headers=headers)

    @app.get(PAGE_URL.rstrip("/"), include_in_schema=False)
    def personal_space_without_slash() -> RedirectResponse:
        return RedirectResponse(PAGE_URL, status_code=308)
