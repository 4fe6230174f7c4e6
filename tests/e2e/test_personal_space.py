"""The personal space in Debian's headless Chromium (issue 15): a visitor is offered to log in; Camille,
in her browser session, sees every section of her space, each from its service or, where a part does not
answer, with a French message in its place; axe-core (injected from tests/e2e/axe/, installed by its
install.sh) finds no serious or critical violation; nothing is fetched from another host. The fixture
keeps each page's screenshot under .data/artefacts/."""
from __future__ import annotations

from pathlib import Path

import pytest

from services.registration.tests.builders import person
from tests.support.tokens import TestTokens as GatewayTokens

pytestmark = pytest.mark.e2e

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SESSION_COOKIE = "ft_person_session"  # gateway/oidc.py: the browser session the login leaves
SECTIONS = ["inscription", "orientation", "rendez-vous", "dossier", "contrat", "consultations", "corrections",
            "profil", "recherches", "sanctions", "export"]


def serious_violations(page) -> list[dict]:
    """axe-core's WCAG 2.x A/AA rules and best practices over the page as it is drawn."""
    if not AXE.exists():
        pytest.fail(f"axe-core is not installed: run {AXE.parents[2] / 'install.sh'}")
    # Through the DevTools protocol: the page's policy (scripts from its own files only) rightly refuses
    # an injected <script>.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    results = page.evaluate("""() => axe.run(document, {resultTypes: ['violations']})""")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def open_space(page, stack) -> None:
    page.goto(f"{stack.url}/espace-personnel/")
    page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)


def test_a_visitor_is_offered_to_log_in(browser_page, stack):
    page = browser_page.page
    open_space(page, stack)
    assert page.locator("html").get_attribute("lang") == "fr"
    login = page.get_by_role("link", name="Me connecter")
    assert login.is_visible() and login.get_attribute("href") == "/auth/login"
    assert page.locator("#espace").is_hidden()
    assert serious_violations(page) == []
    assert browser_page.off_machine() == []


def test_camille_sees_each_part_of_her_space_in_her_browser_session(browser_page, stack):
    with stack.client("ft-agence-nantes") as agency:
        registered = agency.post("/v1/registrations", json=person())
        assert registered.status_code == 201, registered.text
    camille = registered.json()["id"]
    token = GatewayTokens(stack.workdir / "gateway-key.pem", issuer=stack.url).issuer.issue_person(camille)
    browser_page.page.context.add_cookies([{"name": SESSION_COOKIE, "value": token, "url": stack.url,
                                            "httpOnly": True, "sameSite": "Strict"}])
    page = browser_page.page
    open_space(page, stack)
    assert page.locator("#connexion").is_hidden()
    for section in SECTIONS:  # each shows its part, or a French message where the part does not answer
        assert page.locator(f"#{section} h2").is_visible()
        assert page.locator(f"#{section}").inner_text().strip()
    assert page.get_by_role("link", name="Télécharger le fichier de mes données").get_attribute("href") == "/v1/me/export"
    assert serious_violations(page) == []
    assert browser_page.off_machine() == []
