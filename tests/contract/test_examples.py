"""Every documented request example works as it is, sent through the gateway to a fresh platform in the
order of a person's journey, each by the demo client it is written for (deploy/local/partners.yaml), and
answers its documented success status and shape. Only what no example creates is prepared through the
API: the bakery's second offer and a job board's copy and peer of the first (withdrawal, distribution,
attractiveness), Intérim Ouest's mission (profile matches), Sofiane's appointment in a slot about to
start (a no-show needs the appointment begun). Every operation of every published contract is sent."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from services.core.inbound import PARTNERS_INBOUND
from services.core.settings import REPO_ROOT
from services.dossier.api import examples as dossier_examples
from services.offers.api import examples as offers
from services.orientation.api import examples as orientation
from services.profiles.api import examples as profiles
from services.registration.api import examples as registration
from services.sanctions.api import examples as sanctions
from services.webhooks.api import examples as webhooks
from tests.contract.documented import operations
from tests.contract.journey import Journey
from tests.support.polling import table_rows

DEMO_FACT = REPO_ROOT / "deploy" / "local" / "demo" / "caf-rsa-opening.json"
PARTNERS_TOPIC = PARTNERS_INBOUND.address

AGENCY = "ft-agence-nantes"
ML = "mission-locale-nantes"
DEPARTEMENT = "departement-44"
ADMIN = "platform-admin"
BAKERY = "boulangerie-nantaise"
BOARD = "emploi-ouest-board"
TEMP_AGENCY = "interim-ouest"
CONTRIBUTOR = "interim-loire"
CAMILLE = "camille"  # Camille herself, logged in to her personal space


def register(journey: Journey, broker) -> None:
    """Camille registers at the agency; the CAF's demo fact pre-registers Sofiane, who confirms."""
    journey.send(AGENCY, "registration", "post", "/v1/registrations")
    journey.send(AGENCY, "registration", "get", "/v1/registrations/{registration_id}")
    journey.send(AGENCY, "registration", "get", "/v1/registrations")
    journey.send(AGENCY, "registration", "patch", "/v1/registrations/{registration_id}")
    fact = DEMO_FACT.read_bytes()
    broker.produce(PARTNERS_TOPIC, json.loads(fact)["subject"], fact)
    journey.wait(AGENCY, f"/v1/registrations/{registration.EXAMPLE_PRE_REGISTRATION_ID}")
    journey.send(AGENCY, "registration", "post", "/v1/registrations/{registration_id}/confirm")


def orient(journey: Journey) -> None:
    """Camille prefers the mission locale and the département validates; Sofiane's giratoire interview is
    held at the département, which then re-orients him towards its social support."""
    for person in (orientation.PERSON_ID, orientation.SOFIANE_ID):
        journey.wait(DEPARTEMENT, f"/v1/orientation/decisions/{person}")
    journey.send(AGENCY, "orientation", "post", "/v1/orientation/decisions/{person_id}/preference")
    journey.send(DEPARTEMENT, "orientation", "post", "/v1/orientation/decisions/{person_id}/validate")
    journey.send(ML, "orientation", "get", "/v1/orientation/decisions/{person_id}")
    journey.send(DEPARTEMENT, "orientation", "post", "/v1/orientation/decisions/{person_id}/interview")
    journey.send(DEPARTEMENT, "orientation", "post", "/v1/orientation/decisions/{person_id}/reorientations")
    journey.send(DEPARTEMENT, "orientation", "post", "/v1/orientation/what-if")
    journey.send(ADMIN, "orientation", "put", "/v1/orientation/referentials/{territory}")
    journey.send(DEPARTEMENT, "orientation", "get", "/v1/orientation/referentials/{territory}")
    journey.send(DEPARTEMENT, "orientation", "get", "/v1/orientation/referentials/{territory}/versions")


def book(journey: Journey) -> None:
    """The mission locale opens a slot and books Camille's first appointment; Sofiane misses his at the
    département (booked by the test in a slot about to start: a no-show needs the appointment begun)."""
    journey.send(ML, "orientation", "post", "/v1/orientation/slots")
    journey.send(ML, "orientation", "get", "/v1/orientation/slots")
    journey.send(ML, "orientation", "get", "/v1/orientation/slots/{slot_id}")
    journey.send(ML, "orientation", "post", "/v1/orientation/appointments")
    journey.send(ML, "orientation", "get", "/v1/orientation/appointments/{appointment_id}")
    departement = journey.api(DEPARTEMENT)
    starts_at = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=2)
    slot = departement.post("/v1/orientation/slots", json={
        "starts_at": starts_at.isoformat(), "duration_minutes": 60, "channel": "on_site",
        "location": "Espace départemental des solidarités, Nantes"}, headers={"Idempotency-Key": "test-missed-slot"})
    assert slot.status_code == 201, slot.text
    booked = departement.post("/v1/orientation/appointments", json={
        "person_id": orientation.SOFIANE_ID, "slot_id": slot.json()["slot_id"]},
        headers={"Idempotency-Key": orientation.MISSED_APPOINTMENT_KEY})
    assert booked.status_code == 201, booked.text
    journey.wait_for(lambda: datetime.now(timezone.utc) > starts_at)
    journey.send(DEPARTEMENT, "orientation", "post", "/v1/orientation/appointments/{appointment_id}/no-show")




def accompany(journey: Journey) -> None:
    """The mission locale, Camille's referent, writes her diagnostic and contract, she signs, a review is
    held; then every read of her dossier."""
    dossier = "/v1/dossiers/{person_id}"
    journey.wait(ML, f"/v1/dossiers/{orientation.PERSON_ID}/appointments", purpose="accompaniment",
                 accept=lambda answer: bool(answer.json()["items"]))
    journey.send(ML, "dossier", "patch", dossier + "/diagnostic")
    journey.send(ML, "dossier", "patch", dossier + "/contract")
    journey.send(ML, "dossier", "post", dossier + "/contract/signature")
    journey.send(ML, "dossier", "post", dossier + "/reviews")
    for path in (dossier, *(f"{dossier}/{section}" for section in (
            "identity", "rsa_status", "orientation", "appointments", "diagnostic", "contract", "reviews",
            "corrections", "failed_reminders")),
            dossier + "/reviews/{review_id}", dossier + "/history", dossier + "/access-log"):
        journey.send(ML, "dossier", "get", path)


def look_after_herself(journey: Journey) -> None:
    """Camille, logged in, asks a correction of her diagnostic; the mission locale, her referent, answers
    it; she reads the outcome, her whole dossier and the newest access to her data (that answer)."""
    journey.as_person(CAMILLE, dossier_examples.PERSON_ID)
    journey.send(CAMILLE, "dossier", "post", "/v1/me/corrections")
    journey.send(ML, "dossier", "post", "/v1/dossiers/{person_id}/corrections/{correction_id}/answer")
    for path in ("/v1/me/corrections", "/v1/me/corrections/{correction_id}", "/v1/me/dossier", "/v1/me/access-log"):
        journey.send(CAMILLE, "dossier", "get", path)


def door(journey: Journey) -> None:
    """After her login the gateway asks registration who Camille is; logged in, she reads her registration
    and corrects her contact, reads her orientation and the appointment the mission locale booked for her,
    moves it to a later slot the mission locale opens, cancels it, books the first slot herself, and
    downloads everything the platform holds about her."""
    journey.send(ADMIN, "registration", "post", "/v1/registrations/identity-matches")
    journey.send(CAMILLE, "registration", "get", "/v1/me/registration")
    journey.send(CAMILLE, "registration", "patch", "/v1/me/registration/contact")
    journey.send(CAMILLE, "orientation", "get", "/v1/me/orientation")
    journey.send(CAMILLE, "orientation", "get", "/v1/me/appointments")
    journey.send(CAMILLE, "orientation", "get", "/v1/me/appointments/{appointment_id}")
    later = journey.api(ML).post("/v1/orientation/slots", json=orientation.LATER_SLOT_IN,
                                 headers={"Idempotency-Key": orientation.LATER_SLOT_KEY})
    assert later.status_code == 201, later.text
    journey.send(CAMILLE, "orientation", "get", "/v1/me/appointments/slots")
    journey.send(CAMILLE, "orientation", "patch", "/v1/me/appointments/{appointment_id}")
    journey.send(CAMILLE, "orientation", "delete", "/v1/me/appointments/{appointment_id}")
    journey.send(CAMILLE, "orientation", "post", "/v1/me/appointments")
    journey.send(CAMILLE, "me", "get", "/v1/me/export")  # the gateway's own: all of the above as one document


def publish(journey: Journey) -> None:
    """The bakery publishes its baker's offer and imports a file; Emploi Ouest's copy of the same job joins
    it; the agency saves a search for Camille and reads the offer, its distribution and attractiveness."""
    bakery = journey.api(BAKERY)
    journey.send(BAKERY, "offers", "post", "/v1/offers")
    vendeur = bakery.post("/v1/offers", json=offers.VENDEUR, headers={"Idempotency-Key": offers.WITHDRAWN_PUBLISH_KEY})
    assert vendeur.status_code == 201, vendeur.text
    copy = journey.api(BOARD).post("/v1/offers", json=offers.BOARD_COPY)
    assert copy.status_code == 200 and copy.json()["outcome"] == "merged", copy.text
    # Another bakery's baker on the same board: a peer the attractiveness example compares with.
    peer = journey.api(BOARD).post("/v1/offers", json={
        **offers.BOARD_COPY, "source_offer_id": "EO-778950", "url": "https://emploi-ouest.example/offres/EO-778950",
        "employer": {"siret": "50831249000016", "name": "Au Pain Nazairien"}, "place": {"commune_code": "44184"},
        "title": "Boulanger (H/F)", "contract": {"type": "CDD", "duration_months": 6},
        "salary": {"min": 1850, "max": 1950, "period": "month", "months_per_year": 12},
        "description": "Boulangerie artisanale de Saint-Nazaire cherche un boulanger pour la saison : pain au levain, "
                       "baguettes de tradition, viennoiseries. Travail de nuit, cinq jours par semaine."})
    assert peer.status_code == 201, peer.text
    journey.send(BAKERY, "offers", "post", "/v1/offers/imports")
    journey.wait(BAKERY, f"/v1/offers/imports/{offers.IMPORT_ID}",
                 accept=lambda answer: answer.json()["status"] == "completed")
    journey.send(BAKERY, "offers", "get", "/v1/offers/imports/{import_id}")
    journey.send(AGENCY, "offers", "post", "/v1/offers/subscriptions")
    journey.send(AGENCY, "offers", "get", "/v1/offers/subscriptions")
    journey.send(AGENCY, "offers", "get", "/v1/offers/subscriptions/{subscription_id}")
    journey.send(CAMILLE, "offers", "get", "/v1/me/saved-searches")
    journey.send(AGENCY, "offers", "get", "/v1/offers")
    journey.send(AGENCY, "offers", "get", "/v1/offers/{offer_id}")
    journey.send(BAKERY, "offers", "get", "/v1/offers/{offer_id}/distribution")
    journey.send(BAKERY, "offers", "get", "/v1/offers/{offer_id}/attractiveness")


def hire(journey: Journey) -> None:
    """The baker's post is filled, the sales assistant's offer withdrawn; the saved search ends."""
    journey.send(BAKERY, "offers", "post", "/v1/offers/{offer_id}/fill")
    journey.send(BAKERY, "offers", "post", "/v1/offers/{offer_id}/withdraw")
    journey.send(AGENCY, "offers", "delete", "/v1/offers/subscriptions/{subscription_id}")


def introduce(journey: Journey) -> None:
    """The mission locale records Camille's statement and consent; Intérim Loire reports a mission she did;
    Intérim Ouest finds her for its mission, asks, she says yes, it gets her contact and records the hire;
    Camille reads her profile and answers Intérim Ouest's next request herself, and once the mission locale
    withdrew her consent she confirms it withdrawn."""
    person = "/v1/profiles/persons/{person_id}"
    # The statement's If-Match is the version the profile reaches from the journey's events so far, the
    # diagnostic's the last of them.
    journey.wait(ML, f"/v1/profiles/persons/{profiles.PERSON_ID}",
                 accept=lambda answer: "diagnostic" in answer.json()["facts"])
    journey.send(ML, "profiles", "patch", person + "/statement")
    journey.send(ML, "profiles", "post", person + "/consents")
    journey.send(CONTRIBUTOR, "profiles", "post", "/v1/profiles/contributions")
    journey.send(ML, "profiles", "get", person)
    journey.send(CAMILLE, "profiles", "get", "/v1/me/profile")
    mission = journey.api(TEMP_AGENCY).post("/v1/offers", json=profiles.MISSION,
                                            headers={"Idempotency-Key": profiles.OFFER_PUBLISH_KEY})
    assert mission.status_code == 201, mission.text
    journey.wait(TEMP_AGENCY, "/v1/profiles", accept=lambda answer: bool(answer.json()["items"]), rome_codes="D1102")
    journey.send(TEMP_AGENCY, "profiles", "get", "/v1/profiles")
    journey.send(TEMP_AGENCY, "profiles", "get", "/v1/profiles/{pseudonym}")
    journey.wait(TEMP_AGENCY, f"/v1/profiles/offers/{profiles.OFFER_ID}/matches",
                 accept=lambda answer: bool(answer.json()["items"]))
    journey.send(TEMP_AGENCY, "profiles", "get", "/v1/profiles/offers/{offer_id}/matches")
    journey.send(TEMP_AGENCY, "profiles", "post", "/v1/profiles/interest-requests")
    journey.send(TEMP_AGENCY, "profiles", "get", "/v1/profiles/interest-requests/{request_id}")
    journey.send(ML, "profiles", "get", person + "/interest-requests")
    journey.send(ML, "profiles", "post", person + "/interest-requests/{request_id}/answer")
    journey.send(TEMP_AGENCY, "profiles", "post", "/v1/profiles/interest-requests/{request_id}/contact")
    journey.send(TEMP_AGENCY, "profiles", "post", "/v1/profiles/interest-requests/{request_id}/outcome")
    journey.send(TEMP_AGENCY, "profiles", "get", "/v1/profiles/stats")
    journey.send(ML, "profiles", "get", person + "/access-log")
    # Intérim Ouest asks Camille again, for its next mission; she answers herself.
    again = journey.api(TEMP_AGENCY).post("/v1/profiles/interest-requests", json=profiles.MY_INTEREST_IN,
                                          headers={"Idempotency-Key": profiles.MY_INTEREST_KEY})
    assert again.status_code == 201, again.text
    journey.send(CAMILLE, "profiles", "get", "/v1/me/profile/interests")
    journey.send(CAMILLE, "profiles", "post", "/v1/me/profile/interests/{request_id}/answer")
    journey.send(ML, "profiles", "delete", person + "/consents/{audience}")
    journey.send(CAMILLE, "profiles", "put", "/v1/me/profile/consents/{audience}")


def sanction(journey: Journey) -> None:
    """The mission locale reports that Camille did not carry out her contract's actions: a case opens under
    the current scale; Camille reads it and sends her observations herself; the département records those
    it received by post, and takes it through the équipe pluridisciplinaire's
    opinion, a sanction, the appeal, the lift and the annulment; Loire-Atlantique then tries the target scale."""
    # No API shows what the service knows of a person: wait for her referent where the service keeps it.
    table_rows(f"sqlite:///{journey.stack.workdir / 'sanctions.db'}",
               "select referent_org_id from person_facts where person_id = :p", {"p": sanctions.PERSON_ID},
               lambda rows: rows and rows[0][0] == "ml-nantes-metropole")
    case = "/v1/sanctions/cases/{case_id}"
    journey.send(ML, "sanctions", "post", "/v1/sanctions/lapses")
    journey.send(DEPARTEMENT, "sanctions", "get", "/v1/sanctions/cases")
    journey.send(DEPARTEMENT, "sanctions", "get", case)
    journey.send(CAMILLE, "sanctions", "get", "/v1/me/sanction-cases")
    journey.send(CAMILLE, "sanctions", "get", "/v1/me/sanction-cases/{case_id}")
    journey.send(CAMILLE, "sanctions", "post", "/v1/me/sanction-cases/{case_id}/observations")
    for command in ("observations", "opinion", "decision"):
        journey.send(DEPARTEMENT, "sanctions", "post", f"{case}/{command}")
    journey.send(DEPARTEMENT, "sanctions", "get", "/v1/sanctions/stats")
    for command in ("appeal", "lift", "annul"):
        journey.send(DEPARTEMENT, "sanctions", "post", f"{case}/{command}")
    journey.send(DEPARTEMENT, "sanctions", "post", "/v1/sanctions/scale/evaluate")
    journey.send(ADMIN, "sanctions", "put", "/v1/sanctions/referentials/{territory}")
    journey.send(DEPARTEMENT, "sanctions", "get", "/v1/sanctions/referentials/{territory}")


def count(journey: Journey) -> None:
    """The département reads the indicators' definitions and its figures; the open data and the
    dashboard need no token (the département's is ignored)."""
    journey.send(DEPARTEMENT, "indicators", "get", "/v1/indicators")
    journey.send(DEPARTEMENT, "indicators", "get", "/v1/indicators/{code}/observations")
    journey.send(DEPARTEMENT, "indicators", "get", "/open-data/indicators")
    journey.send(DEPARTEMENT, "indicators", "get", "/open-data/indicators/{code}/{level}/{month}")
    # An HTML page: its example is a page, not a JSON shape to compare.
    journey.sent.add(("indicators", "get", "/dashboards/{level}/{code}"))
    page = journey.api(DEPARTEMENT).get("/dashboards/departement/44")
    if page.status_code != 200 or not page.headers["content-type"].startswith("text/html"):
        journey.failures.append(f"indicators dashboard: {page.status_code} {page.text[:200]}")


def push(journey: Journey) -> None:
    """The département registers its RSA software's endpoint, changes it, rotates its secret, sends a test
    event, follows the deliveries (once one was attempted), replays since a moment and reads the change
    feed; it pauses, resumes and finally deletes the endpoint."""
    endpoint = f"/v1/webhooks/{webhooks.ENDPOINT_ID}"
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks")
    journey.send(DEPARTEMENT, "webhooks", "get", "/v1/webhooks")
    journey.send(DEPARTEMENT, "webhooks", "get", "/v1/webhooks/{endpoint_id}")
    journey.send(DEPARTEMENT, "webhooks", "patch", "/v1/webhooks/{endpoint_id}")
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks/{endpoint_id}/rotate-secret")
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks/{endpoint_id}/test")
    journey.wait(DEPARTEMENT, f"{endpoint}/deliveries", lambda answer: answer.json()["items"] and all(
        item["attempt_log"] for item in answer.json()["items"]))
    journey.send(DEPARTEMENT, "webhooks", "get", "/v1/webhooks/{endpoint_id}/deliveries")
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks/{endpoint_id}/replay")
    journey.send(DEPARTEMENT, "webhooks", "get", "/v1/changes")
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks/{endpoint_id}/pause")
    journey.send(DEPARTEMENT, "webhooks", "post", "/v1/webhooks/{endpoint_id}/resume")
    journey.send(DEPARTEMENT, "webhooks", "delete", "/v1/webhooks/{endpoint_id}")


@pytest.mark.e2e
def test_every_documented_example_works_as_it_is(broker, fresh_platform):
    # A fresh platform (tests/contract/conftest.py): the examples' fixed ids must not meet another test's data.
    journey = Journey(fresh_platform)
    try:
        register(journey, broker)
        orient(journey)
        book(journey)
        accompany(journey)
        look_after_herself(journey)
        publish(journey)
        introduce(journey)
        hire(journey)
        sanction(journey)
        count(journey)
        push(journey)
        # Last: her contact's correction is a registration update the profile bank counts in its versions,
        # which introduce()'s If-Match examples fix; and nothing after it expects her appointment booked.
        door(journey)
    finally:
        journey.close()
    assert not journey.failures, "\n".join(journey.failures)
    documented = {(service, method, path) for service, contract in journey.contracts.items()
                  for method, path in operations(contract)}
    assert documented - journey.sent == set(), "operations whose example the journey does not send"
