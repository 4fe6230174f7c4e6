"""The login's and logout's route shape (gateway/oidc_routes.py): the step's answer as it is, its refusal a
French page for a browser or problem+json otherwise, and the step's one-time cookie dropped with it. The
steps themselves are tested against the real provider in test_oidc.py and test_oidc_logout.py."""
from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.testclient import TestClient

from gateway.oidc_routes import add_person_step
from services.core.problems import Problem

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def callback(request: Request) -> Response:
    if request.query_params.get("state") != "kept":
        raise Problem(400, "La connexion a expiré.", slug="login-expired")
    return Response("in", status_code=303, headers={"Location": "/espace-personnel/"})


def client() -> TestClient:
    app = FastAPI()
    add_person_step(app, "GET", "/auth/callback", callback, spent_cookie="ft_oidc_login")
    add_person_step(app, "POST", "/auth/other", callback)
    return TestClient(app, follow_redirects=False)


def test_a_step_that_goes_on_answers_as_it_does():
    answer = client().get("/auth/callback?state=kept")
    assert answer.status_code == 303 and answer.headers["location"] == "/espace-personnel/"
    assert "set-cookie" not in answer.headers


def test_a_refused_step_is_a_french_page_or_a_problem_and_drops_its_one_time_cookie():
    page = client().get("/auth/callback?state=forged", headers=BROWSER)
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
    assert 'lang="fr"' in page.text and "/problems/login-expired" in page.text
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("ft_oidc_login=") and "Max-Age=0" in cookie and "Path=/auth/callback" in cookie
    problem = client().get("/auth/callback?state=forged")
    assert problem.headers["content-type"] == "application/problem+json" and "Max-Age=0" in problem.headers["set-cookie"]


def test_a_step_without_a_one_time_cookie_drops_none_and_keeps_its_verb():
    app = client()
    assert "set-cookie" not in app.post("/auth/other").headers
    assert app.get("/auth/other").status_code == 405
    assert "/auth/callback" not in app.get("/openapi.json").json()["paths"]
