"""Problem type pages: every problem `type` URI resolves at the gateway, as HTML for a person and as
JSON for a client, from the one catalogue of services/core/problem_types.py.

`python -m gateway.problem_pages` rewrites docs/problems.md from the same catalogue (a test checks
that the committed file is up to date).
"""
from __future__ import annotations

from html import escape

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from services.core.problem_types import PROBLEM_TYPES, ProblemType
from services.core.problems import PROBLEM_BASE, Problem
from services.core.settings import REPO_ROOT

MARKDOWN_FILE = REPO_ROOT / "docs" / "problems.md"
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — France Travail platform</title>
<style>body{{font-family:sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}
code{{background:#f2f2f2;padding:0 .2rem}} td,th{{text-align:left;padding:.2rem .6rem .2rem 0}}</style>
</head><body>
{body}
</body></html>"""


def describe(problem: ProblemType) -> dict[str, str | int]:
    return {"type": PROBLEM_BASE + problem.slug, "slug": problem.slug, "status": problem.status,
            "title": problem.title, "description": problem.description, "fix": problem.fix}


def _quality(accept: str, media_type: str) -> float:
    """How much the Accept header wants `media_type`: its own q, else its type's `x/*`, else `*/*`."""
    ranges = {}
    for part in accept.split(","):
        name, *params = (piece.strip() for piece in part.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            ranges[name.lower()] = float(q)
        except ValueError:
            ranges[name.lower()] = 0.0
    family = media_type.split("/")[0] + "/*"
    return next((ranges[name] for name in (media_type, family, "*/*") if name in ranges), 0.0)


def wants_html(request: Request) -> bool:
    # A browser ranks text/html above everything; a client sending `*/*` or nothing gets JSON.
    accept = request.headers.get("accept", "")
    return _quality(accept, "text/html") > _quality(accept, "application/json")


def _list_html() -> str:
    rows = "\n".join(
        f'<tr><td><a href="/problems/{p.slug}"><code>{p.slug}</code></a></td><td>{p.status}</td>'
        f"<td>{escape(p.title)}</td></tr>" for p in PROBLEM_TYPES.values())
    body = (f"<h1>Problem types</h1>\n<p>Every error of the platform is an RFC 9457 "
            f"<code>application/problem+json</code> whose <code>type</code> is one of these pages.</p>\n"
            f"<table><tr><th>Type</th><th>Status</th><th>Title</th></tr>\n{rows}\n</table>\n"
            f'<p><a href="/docs">API docs</a></p>')
    return PAGE.format(title="Problem types", body=body)


def _problem_html(problem: ProblemType) -> str:
    body = (f"<h1>{escape(problem.title)}</h1>\n"
            f"<p>Type <code>{escape(PROBLEM_BASE + problem.slug)}</code>, usually with status {problem.status}.</p>\n"
            f"<h2>What happened</h2>\n<p>{escape(problem.description)}</p>\n"
            f"<h2>How to fix it</h2>\n<p>{escape(problem.fix)}</p>\n"
            f'<p><a href="/problems">All problem types</a> · <a href="/docs">API docs</a></p>')
    return PAGE.format(title=escape(problem.title), body=body)


def problems_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/problems")
    def problem_types(request: Request):
        if wants_html(request):
            return HTMLResponse(_list_html())
        return JSONResponse({"items": [describe(p) for p in PROBLEM_TYPES.values()]})

    @router.get("/problems/{slug}")
    def problem_type(request: Request, slug: str):
        problem = PROBLEM_TYPES.get(slug)
        if problem is None:
            raise Problem(404, "No problem type has this name; see /problems for the list.", slug="not-found")
        if wants_html(request):
            return HTMLResponse(_problem_html(problem))
        return JSONResponse(describe(problem))

    return router


def problems_markdown() -> str:
    sections = "\n".join(
        f"## `{p.slug}` — {p.title}\n\nStatus {p.status}. {p.description}\n\n**How to fix it:** {p.fix}\n"
        for p in PROBLEM_TYPES.values())
    return ("# Problem types\n\n"
            "<!-- Generated from services/core/problem_types.py by `python -m gateway.problem_pages`. -->\n\n"
            "Every error of the platform is an RFC 9457 `application/problem+json` body whose `type` is\n"
            "`<gateway URL>/problems/<slug>` (`PUBLIC_API_URL`, else `GATEWAY_URL`; locally\n"
            "`http://127.0.0.1:8000`). That URL resolves: the gateway answers with a page to a browser and\n"
            "with JSON (`slug`, `status`, `title`, `description`, `fix`) to a client; `/problems` lists them.\n\n"
            f"{sections}")


if __name__ == "__main__":
    MARKDOWN_FILE.write_text(problems_markdown())
