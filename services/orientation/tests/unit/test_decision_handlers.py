"""Decision use cases on in-memory fakes: who decides, stale versions, the events they emit."""
from __future__ import annotations

from datetime import timedelta

import pytest

from services.core.errors import Forbidden, InvalidTransition, NotFound, PreconditionFailed
from services.core.http import check_if_match
from services.core.identity import Caller
from services.core.referentials.geo import default_geo
from services.orientation.adapters.files import load_directory
from services.orientation.domain.model import Choice
from services.orientation.published import DECISION_MADE, DECISION_REORIENTED
from services.orientation.service.handlers import OrientationService
from services.orientation.tests.builders import ANSWERS, NOW, registered_event
from services.orientation.tests.fakes import fake_transactions, fake_unit_of_work

SCOPES = frozenset({"orientation:read", "orientation:decide"})
FRANCE_TRAVAIL = Caller("ft-agence-nantes", "ft-agence-44-nantes-est", "france_travail", ("44",), SCOPES)
LOIRE_ATLANTIQUE = Caller("departement-44", "departement-44", "departement", ("44",), SCOPES)
MAINE_ET_LOIRE = Caller("departement-49", "departement-49", "departement", ("49",), SCOPES)


def any_version(_: int) -> None:
    pass


@pytest.fixture
def service() -> OrientationService:
    return OrientationService(directory=load_directory(), geo=default_geo(), clock=lambda: NOW)


@pytest.fixture
def uow():
    return fake_unit_of_work()


def registered(service, uow, **person) -> str:
    data = registered_event(registered_at=NOW.isoformat(), **person)
    service.on_person(uow, data)
    return data["registration_id"]


def test_a_registered_person_is_oriented_once_and_the_decision_published(service, uow):
    person_id = registered(service, uow)
    [made] = uow.events.of_type(DECISION_MADE)
    assert (made.subject, made.data["status"], made.data["decided_by"]) == (person_id, "decided", "rules")

    correction = registered_event(person_id=person_id, registered_at=NOW.isoformat(), commune="44026")
    service.on_person(uow, correction)  # a correction keeps the orientation: no new decision
    assert len(uow.events.emitted) == 1
    assert uow.orientations.get(person_id).person.commune_code == "44026"


def test_a_run_of_registrations_orients_each_new_person_once_with_the_facts_it_was_decided_on(service, uow):
    known = registered(service, uow)
    uow.events.emitted.clear()
    newcomer = registered_event(registered_at=NOW.isoformat(), departement="44", commune="44109")
    moved = {**newcomer, "territory": {"commune_code": "49007", "departement_code": "49", "region_code": "52"}}
    pre_registered = {**registered_event(), "status": "pre_registered", "registered_at": None}
    service.on_people(uow, [newcomer, registered_event(person_id=known, registered_at=NOW.isoformat(),
                                                        commune="44026"), pre_registered, moved])

    [made] = uow.events.of_type(DECISION_MADE)  # the known person keeps their orientation
    assert (made.subject, made.data["departement_code"]) == (newcomer["registration_id"], "44")
    assert uow.orientations.get(newcomer["registration_id"]).person.departement_code == "49"  # the correction
    assert uow.orientations.get(known).person.commune_code == "44026"
    assert pre_registered["registration_id"] not in uow.orientations.stored


def test_a_pre_registration_is_not_oriented(service, uow):
    service.on_person(uow, {**registered_event(), "status": "pre_registered", "registered_at": None})
    assert uow.events.emitted == [] and uow.orientations.stored == {}


def test_only_the_departement_of_residence_validates_a_proposal(service, uow):
    person_id = registered(service, uow, rsa=True)
    assert uow.orientations.get(person_id).status == "proposed"
    with pytest.raises(Forbidden):
        service.validate(uow, FRANCE_TRAVAIL, person_id, None, None, None, any_version)
    with pytest.raises(NotFound):  # another département does not even see the person
        service.validate(uow, MAINE_ET_LOIRE, person_id, None, None, None, any_version)
    with pytest.raises(PreconditionFailed):
        service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, lambda v: check_if_match('"7"', v))

    decided = service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None,
                               lambda v: check_if_match('"1"', v))
    assert (decided.status, decided.version) == ("decided", 2)
    assert [e.data["decided_by"] for e in uow.events.of_type(DECISION_MADE)] == [None, "departement"]
    with pytest.raises(InvalidTransition):
        service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, any_version)


def test_the_departement_decides_only_while_the_person_is_an_rsa_recipient(service, uow):
    # A social pathway: the proposal names the département as referent, so it still sees the person.
    person_id = registered(service, uow, rsa=True, pre_diagnostic={**ANSWERS, "availability": "beyond_3_months"})
    assert uow.orientations.get(person_id).current.referent.org_type == "departement"
    service.on_person(uow, registered_event(person_id=person_id, registered_at=NOW.isoformat(), rsa=False))
    assert uow.orientations.get(person_id).status == "proposed"  # the proposal awaits, the authority is gone
    with pytest.raises(Forbidden, match="RSA recipient now"):
        service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, any_version)
    assert [e.data["status"] for e in uow.events.of_type(DECISION_MADE)] == ["proposed"]


def test_the_departement_decides_only_for_a_person_living_in_its_territory_now(service, uow):
    person_id = registered(service, uow, rsa=True)
    service.on_person(uow, registered_event(person_id=person_id, registered_at=NOW.isoformat(), rsa=True,
                                            commune="49007", departement="49"))
    with pytest.raises(NotFound):
        service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, any_version)


def test_a_final_orientation_changes_only_by_reorientation(service, uow):
    person_id = registered(service, uow, rsa=True)
    service.validate(uow, LOIRE_ATLANTIQUE, person_id, None, None, None, any_version)
    with pytest.raises(InvalidTransition):
        service.state_preference(uow, FRANCE_TRAVAIL, person_id, "mission_locale", any_version)

    service.reorient(uow, LOIRE_ATLANTIQUE, person_id, Choice("social", "departement", "intensive"), "pathway_unsuited",
                     "never published", any_version)
    [reoriented] = uow.events.of_type(DECISION_REORIENTED)
    assert (reoriented.data["reason"], reoriented.data["referent"]["org_id"]) == ("pathway_unsuited", "departement-44")
    assert "never published" not in str(reoriented.data)


def test_an_undecided_proposal_falls_back_once_its_delay_is_over(service, uow):
    person_id = registered(service, uow, rsa=True)
    transactions = fake_transactions(uow)
    assert service.apply_overdue_fallbacks(transactions, NOW + timedelta(days=29)) == 0
    assert service.apply_overdue_fallbacks(transactions, NOW + timedelta(days=30)) == 1
    assert service.apply_overdue_fallbacks(transactions, NOW + timedelta(days=31)) == 0
    assert uow.orientations.get(person_id).current.decided_by == "automatic_fallback"
    assert uow.events.of_type(DECISION_MADE)[-1].data["decided_by"] == "automatic_fallback"
