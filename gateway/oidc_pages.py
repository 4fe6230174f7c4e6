"""What a person sees when their login does not end in their personal space: a French page for a
browser, the same RFC 9457 problem+json for any other client."""
from __future__ import annotations

from html import escape

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from gateway.problem_pages import wants_html
from services.core.problems import Problem, problem_response

TITLES = {
    "identity-not-matched": "Nous ne vous avons pas trouvé",
    "identity-ambiguous": "Nous ne pouvons pas savoir quelle inscription est la vôtre",
    "login-expired": "La connexion a expiré",
    "login-refused": "La connexion a été annulée",
    "identity-provider-unavailable": "Le fournisseur d'identité ne répond pas",
    "identity-provider-error": "La connexion n'a pas pu être vérifiée",
}
PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} — France Travail</title>
<style>body{{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}</style>
</head><body><main>
<h1>{title}</h1>
<p>{detail}</p>
<p><a href="/auth/login">Se connecter à nouveau</a></p>
<p><small>Référence de l'erreur : <a href="{type}">{slug}</a></small></p>
</main></body></html>"""


def refusal(request: Request, problem: Problem) -> Response:
    if not wants_html(request):
        return problem_response(problem)
    body = problem.body()
    title = TITLES.get(problem.slug, "La connexion n'a pas abouti")
    html = PAGE.format(title=escape(title), detail=escape(problem.detail), type=escape(body["type"]),
                       slug=escape(problem.slug))
    return HTMLResponse(html, status_code=problem.status, headers={**problem.headers, "Cache-Control": "no-store"})

