"""What a person sees when their login does not end in their personal space, or their logout cannot
end their session at the identity provider: a French page for a browser; for any other client, the
same RFC 9457 problem+json, or JSON."""
from __future__ import annotations

from html import escape

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from gateway.problem_pages import wants_html
from services.core.problems import Problem, problem_response

TITLES = {
    "identity-not-matched": "Nous ne vous avons pas trouvé",
    "identity-ambiguous": "Nous ne pouvons pas savoir quelle inscription est la vôtre",
    "login-expired": "La connexion a expiré",
    "login-refused": "La connexion a été annulée",
    "identity-provider-unavailable": "Le fournisseur d'identité ne répond pas",
    "identity-provider-error": "La connexion n'a pas pu être vérifiée",
    "logout-expired": "La déconnexion n'a pas pu être vérifiée",
    "cross-site-request": "Déconnexion refusée",
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



LOGGED_OUT_PAGE = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vous êtes déconnecté de la plateforme — France Travail</title>
<style>body{{font-family:sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}</style>
</head><body><main>
<h1>Vous êtes déconnecté de la plateforme</h1>
<p>Votre session chez le fournisseur d'identité n'a pas pu être fermée : {reason}.</p>
<p>Si l'ordinateur est partagé, fermez toutes les fenêtres du navigateur, ou déconnectez-vous sur le site
du fournisseur d'identité, pour que personne ne puisse se connecter à votre place.</p>
<p><a href="/espace-personnel/">Retour à mon espace personnel</a></p>
</main></body></html>"""


def logged_out_here_only(request: Request, reason: str) -> Response:
    """The platform's session has ended, the provider's has not: said to the person (200, not an error
    of theirs), with why, in French."""
    headers = {"Cache-Control": "no-store"}
    if wants_html(request):
        return HTMLResponse(LOGGED_OUT_PAGE.format(reason=escape(reason)), headers=headers)
    detail = f"Votre session chez le fournisseur d'identité n'a pas pu être fermée : {reason}."
    return JSONResponse({"platform_session_ended": True, "identity_provider_session_ended": False, "detail": detail},
                        headers=headers)
