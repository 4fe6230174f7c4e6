"""The personal space in Debian's headless Chromium (issue 15), on a platform of its own: a visitor is
offered to log in; Camille logs in through the OpenID provider, sees every section of her space (each
from its service, or a French message where a part does not answer), her dossier, books her first
appointment, is reminded by e-mail in a real SMTP server, and sees the mission locale's reads for her
accompaniment in her access log, and logs out of the provider too, so that the next login asks for a
password again. axe-core (tests/e2e/axe/, installed by its install.sh) finds no
serious or critical violation; nothing is fetched from another host. The fixture keeps each page's
screenshot under .data/artefacts/."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest

from deploy.local.mailcatcher import MailCatcher
from services.registration.api import examples as registration_examples
from services.registration.tests.builders import person
from tests.support.axe import serious_violations
from tests.support.oidc import DEMO_PASSWORD
from tests.support.polling import eventually
from tests.support.stack import Stack

pytestmark = pytest.mark.e2e

CAMILLE_LOGIN = "camille.martin"  # deploy/local/oidc/provider.mjs
CAMILLE_EMAIL = registration_examples.REGISTRATION_CREATE["contact"]["email"]
MISSION_LOCALE_ORG = "ml-nantes-metropole"
SECTIONS = ["inscription", "orientation", "rendez-vous", "dossier", "contrat", "consultations", "corrections",
            "profil", "recherches", "sanctions", "export"]


@pytest.fixture(scope="module")
def journey(broker, tmp_path_factory):
    """A fresh platform whose notifications send to a mail catcher of the test's own (a real SMTP server
    and SMS receiver); the OpenID provider's demo Camille matches the one person registered there."""
    workdir = tmp_path_factory.mktemp("personal-space")
    with MailCatcher(workdir / "mail") as catcher, pytest.MonkeyPatch.context() as env:
        # The processes take the test's environment as it is when they start.
        env.setenv("NOTIFICATIONS_SMTP_PORT", str(catcher.smtp_port))
        env.setenv("NOTIFICATIONS_SMS_URL", catcher.sms_url)
        stack = Stack.start(broker, workdir)
        env.undo()
        try:
            yield stack, catcher
        finally:
            stack.stop()


def open_space(page, stack) -> None:
    page.goto(f"{stack.url}/espace-personnel/")
    page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)


def test_a_visitor_is_offered_to_log_in(browser_page, journey):
    stack, _ = journey
    page = browser_page.page
    open_space(page, stack)
    assert page.locator("html").get_attribute("lang") == "fr"
    login = page.get_by_role("link", name="Me connecter")
    assert login.is_visible() and login.get_attribute("href") == "/auth/login"
    assert page.locator("#espace").is_hidden()
    assert serious_violations(page) == []
    assert browser_page.off_machine() == []


def until(read, timeout: float):
    """`read()` again until it gives something; the last (empty) answer when the time is out."""
    deadline = time.monotonic() + timeout
    while not (answer := read()) and time.monotonic() < deadline:
        time.sleep(1)
    return answer


def free_slot(mission_locale, hours: int) -> dict:
    starts_at = (datetime.now(timezone.utc) + timedelta(hours=hours)).replace(microsecond=0).isoformat()
    slot = mission_locale.post("/v1/orientation/slots", json={"starts_at": starts_at, "duration_minutes": 45,
                                                              "channel": "on_site"})
    assert slot.status_code == 201, slot.text
    return slot.json()


def camille_registered_and_oriented(stack) -> str:
    """Camille of the registration examples (the provider's demo identity), oriented to the mission locale."""
    agency, departement = stack.client("ft-agence-nantes"), stack.client("departement-44")
    registered = agency.post("/v1/registrations", json=registration_examples.REGISTRATION_CREATE)
    assert registered.status_code == 201, registered.text
    camille = registered.json()["id"]
    decision = eventually(lambda: departement.get(f"/v1/orientation/decisions/{camille}"),
                          lambda answer: answer.status_code == 200)
    validated = departement.post(f"/v1/orientation/decisions/{camille}/validate", json={},
                                 headers={"If-Match": decision.headers["ETag"]})
    assert validated.status_code == 200, validated.text
    assert validated.json()["current"]["referent"]["org_id"] == MISSION_LOCALE_ORG
    return camille


def test_camille_logs_in_books_her_first_appointment_is_reminded_and_sees_who_read_her_file(journey, browser_page):
    stack, catcher = journey
    camille = camille_registered_and_oriented(stack)
    # Someone else in the same agency and commune: nothing of theirs may reach Camille's page or export.
    other = stack.client("ft-agence-nantes").post("/v1/registrations", json=person())
    assert other.status_code == 201, other.text
    mission_locale = stack.client("mission-locale-nantes")
    # Free slots in 30 and 32 hours: the 48-hour reminder is due as soon as one is booked, and either may
    # still be moved to or cancelled (until 24 hours before).
    slot, later = (free_slot(mission_locale, hours) for hours in (30, 32))
    # The mission locale reads her dossier for her accompaniment.
    read = eventually(lambda: mission_locale.get(f"/v1/dossiers/{camille}?purpose=accompaniment"),
                      lambda answer: answer.status_code == 200)
    assert read.status_code == 200, read.text

    page = browser_page.page
    page.goto(f"{stack.url}/espace-personnel/")
    page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)
    page.get_by_role("link", name="Me connecter").click()
    page.get_by_label("Identifiant").fill(CAMILLE_LOGIN)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"{stack.url}/espace-personnel/", timeout=30_000)
    page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)

    # Every section shows its part, or a French message where the part does not answer.
    assert page.locator("#connexion").is_hidden()
    for section in SECTIONS:
        assert page.locator(f"#{section} h2").is_visible() and page.locator(f"#{section}").inner_text().strip()
    assert page.get_by_role("link", name="Télécharger le fichier de mes données").get_attribute("href") == "/v1/me/export"
    # Her dossier, as the dossier service gives it to her.
    assert "Martin" in page.locator("#dossier").inner_text()

    # She books the mission locale's free slot.
    page.locator("#rendez-vous .creneaux input[type=radio]").first.check()
    page.get_by_role("button", name="Réserver ce créneau").click()
    page.wait_for_function("() => document.getElementById('annonce').textContent.includes('est réservé')",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#rendez-vous .donnees').textContent.includes('réservé')",
                           timeout=30_000)

    # The reminder reaches her mailbox (orientation's reminder job runs every minute).
    reminded = until(lambda: [mail for mail in catcher.mails() if CAMILLE_EMAIL in str(mail["To"])], timeout=180)
    assert reminded, "no reminder e-mail reached the test SMTP server"

    # She corrects her phone number herself, and asks her referent to correct her diagnostic.
    page.get_by_label("Téléphone").fill("+33 6 98 76 54 32")
    page.get_by_role("button", name="Enregistrer mes coordonnées").click()
    page.wait_for_function("() => document.getElementById('annonce').textContent.includes('coordonnées sont')",
                           timeout=30_000)
    assert "Vos coordonnées sont enregistrées." == page.locator("#annonce").inner_text()
    page.wait_for_function("() => document.querySelector('#inscription .donnees').textContent.includes('98 76')")
    page.get_by_label("Partie de mon dossier").select_option("diagnostic")
    page.get_by_label("Ce qui est inexact, et ce qu'il faudrait indiquer").fill("J'ai obtenu mon permis B.")
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_function("() => document.querySelector('#corrections .donnees').textContent.includes('permis B')",
                           timeout=30_000)

    # She moves it to the later slot, then cancels it.
    page.locator("#rendez-vous .creneaux input[type=radio]").first.check()
    page.get_by_role("button", name="Déplacer mon rendez-vous sur ce créneau").click()
    page.wait_for_function("() => document.getElementById('annonce').textContent.includes('est déplacé')",
                           timeout=30_000)
    page.get_by_role("button", name="Annuler ce rendez-vous").click()
    page.wait_for_function("() => document.getElementById('annonce').textContent.includes('est annulé')",
                           timeout=30_000)
    page.wait_for_function("() => document.querySelector('#rendez-vous .donnees').textContent.includes('annulé')",
                           timeout=30_000)

    # Her data, downloaded as one document: each service's part about her, hers only.
    export = page.request.get(f"{stack.url}/v1/me/export")
    assert export.status == 200 and export.headers["content-disposition"].startswith("attachment")
    document = export.json()
    assert document["person_id"] == camille and document["unavailable"] == {}, document["unavailable"]
    assert document["parts"]["registration"]["id"] == camille
    assert later["slot_id"] in str(document["parts"]["appointments"])
    assert other.json()["id"] not in export.text() and other.json()["id"] not in page.content()

    # Her access log shows the mission locale's reads for her accompaniment.
    def access_log_rows() -> list[str]:
        page.reload()
        page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)
        return page.locator("#consultations tbody tr").all_inner_texts()

    rows = until(lambda: [row for row in access_log_rows() if MISSION_LOCALE_ORG in row and "accompagnement" in row],
                 timeout=60)
    assert any(MISSION_LOCALE_ORG in row and "accompagnement" in row for row in rows), rows
    assert serious_violations(page) == []

    # A part whose service answers a problem says so in French; the others are still shown.
    page.route("**/v1/me/sanction-cases", lambda route: route.fulfill(
        status=503, content_type="application/problem+json", body='{"status": 503, "title": "Service Unavailable"}'))
    open_space(page, stack)
    assert "momentanément indisponible" in page.locator("#sanctions").inner_text()
    assert "Martin" in page.locator("#dossier").inner_text()

    # She logs out: the provider asks her (in French) to end her session there too, then the page offers
    # the login again, and the login asks for her password again (a shared computer: no one goes back in).
    page.get_by_role("button", name="Me déconnecter").click()
    page.wait_for_url(f"{stack.oidc.issuer}/session/end**", timeout=30_000)
    assert page.locator("html").get_attribute("lang") == "fr" and serious_violations(page) == []
    page.get_by_role("button", name="Me déconnecter").click()
    page.wait_for_url(f"{stack.url}/espace-personnel/", timeout=30_000)
    page.wait_for_function("() => window.personalSpaceReady === true", timeout=30_000)
    assert page.get_by_role("link", name="Me connecter").is_visible() and page.locator("#espace").is_hidden()
    page.get_by_role("link", name="Me connecter").click()
    page.get_by_label("Mot de passe").wait_for(timeout=30_000)
    assert page.url.startswith(f"{stack.oidc.issuer}/interaction/")
    assert browser_page.off_machine() == [], browser_page.off_machine()
