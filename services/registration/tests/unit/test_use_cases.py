"""The registration use cases on in-memory fakes: rules, refusals and the events they raise."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from services.core.errors import Forbidden, InvalidTransition, NotFound, PreconditionFailed, RuleBroken
from services.core.http import check_if_match
from services.core.identity import Caller
from services.core.referentials.geo import default_geo
from services.registration.app import validate_sections
from services.registration.domain.identity_match import IdentityClaims, NoIdentityMatch
from services.registration.domain.model import PRE_REGISTERED, REGISTERED, AlreadyRegistered
from services.registration.domain.repository import ListQuery
from services.registration.published import CONTACT_CHANGED, CONTACTS, PERSON_REGISTERED, PERSON_UPDATED, PERSONS
from services.registration.service.handlers import RegistrationService
from services.registration.tests.builders import person
from services.registration.tests.fakes import fake_unit_of_work

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)
SERVICE = RegistrationService(geo=default_geo(), pii_secret=b"unit-test-secret", validate=validate_sections,
                              clock=lambda: NOW)


# Registration ids are UUIDs: the event schemas check it.
PERSON, FIRST, SECOND, LOOK_ALIKE, STRANGER, HOLDER, OTHER, PRE = (
    f"00000000-0000-4000-8000-{n:012d}" for n in range(1, 9))


def caller(org_type: str = "france_travail", territories: tuple[str, ...] = ("44",)) -> Caller:
    return Caller(client_id=f"{org_type}-client", org_id=org_type, org_type=org_type, territories=territories,
                  scopes=frozenset({"registrations:read", "registrations:write"}))


AGENCY, DEPARTEMENT, MISSION_LOCALE, CAF = caller(), caller("departement"), caller("mission_locale"), caller("caf")


def sections(**options) -> dict:
    return validate_sections(person(**options))


def register(uow, body: dict, *, by: Caller = AGENCY, registration_id: str = PERSON):
    return SERVICE.register(uow, by, body, "counter", registration_id)


def broadcast(uow) -> list:
    """The events every consumer of registrations reads (not the health topic's)."""
    return [event for event in uow.events.emitted if event.event_type.topic == PERSONS]


def current(version: int):
    return lambda stored: check_if_match(f'"{version}"', stored)


def test_a_registration_is_stored_with_a_masked_nir_and_raises_one_registered_event():
    uow = fake_unit_of_work()
    body = sections()
    registration = register(uow, body)
    stored = uow.registrations.get(PERSON)
    assert stored.status == REGISTERED and stored.territory.departement_code == "44"
    assert "nir" not in stored.sections["identity"] and stored.nir_masked.startswith("2 01 ")
    [event] = broadcast(uow)  # validated against its schema by the recorded events
    assert (event.event_type, event.subject) == (PERSON_REGISTERED, registration.id)
    assert event.data["registration_id"] == PERSON and event.data["situation"]["under_26"] is True
    assert body["identity"]["nir"].replace(" ", "") not in str(event.data)


def test_a_nir_already_registered_is_refused_pointing_at_the_holder():
    uow = fake_unit_of_work()
    body = sections()
    register(uow, body, registration_id=FIRST)
    with pytest.raises(AlreadyRegistered) as refused:
        register(uow, {**body, "contact": {"email": "other@example.org"}}, registration_id=SECOND)
    assert refused.value.existing_id == FIRST
    assert refused.value.details == {"existing_registration": f"/v1/registrations/{FIRST}"}
    assert uow.registrations.get(SECOND) is None and len(broadcast(uow)) == 1


@pytest.mark.parametrize("change, rule", [
    ({"birth_date": "2002-03-14"}, "birth year"),
    ({"birth_date": "2001-04-14"}, "birth month"),
    ({"sex": "M"}, "declared sex"),
])
def test_the_nir_must_match_the_declared_identity(change, rule):
    body = sections()
    body["identity"].update(change)
    with pytest.raises(RuleBroken, match=rule) as refused:
        register(fake_unit_of_work(), body)
    assert refused.value.field == "identity.nir"


def test_an_invalid_nir_is_refused_without_echoing_it():
    body = sections()
    body["identity"]["nir"] = "2 01 03 49 007 123 87"  # wrong control key
    with pytest.raises(RuleBroken) as refused:
        register(fake_unit_of_work(), body)
    assert refused.value.field == "identity.nir" and "123" not in refused.value.message


def test_without_a_nir_a_look_alike_is_registered_and_flagged_for_review():
    uow = fake_unit_of_work()
    register(uow, sections(nir=False, last_name="Lefèvre-Dupont", first_name="Élodie"), registration_id=FIRST)
    look_alike = register(uow, sections(nir=False, last_name="LEFEVRE DUPONT", first_name="Elodie"),
                          registration_id=LOOK_ALIKE)
    stranger = register(uow, sections(nir=False, last_name="Bernard", first_name="Louis"), registration_id=STRANGER)
    assert look_alike.possible_duplicate_of == FIRST and stranger.possible_duplicate_of is None
    assert [event.data["possible_duplicate_of"] for event in broadcast(uow)] == [None, FIRST, None]


def test_an_unknown_commune_is_refused_naming_the_field():
    with pytest.raises(RuleBroken) as refused:
        register(fake_unit_of_work(), sections(commune_code="96001"))
    assert refused.value.field == "address.commune_code"


@pytest.mark.parametrize("by, body", [
    (DEPARTEMENT, {"commune_code": "75111", "postal_code": "75011"}),  # outside its territory
    (MISSION_LOCALE, {"birth": date(1990, 5, 2)}),  # 36 years old: not its public
    (CAF, {}),  # reads RSA recipients, never writes
])
def test_an_organisation_registers_only_its_public_in_its_territories(by, body):
    uow = fake_unit_of_work()
    with pytest.raises(Forbidden):
        register(uow, sections(**body), by=by)
    assert uow.registrations.get(PERSON) is None and uow.events.emitted == []


def test_a_correction_merges_the_patch_and_raises_an_updated_event():
    uow = fake_unit_of_work()
    register(uow, sections())
    corrected = SERVICE.correct(uow, AGENCY, PERSON, {"contact": {"phone": None, "preferred_channel": "email"},
                                                     "project": {"mobility_km": 5}}, current(1))
    assert corrected.version == 2
    stored = uow.registrations.get(PERSON)
    assert stored.sections["contact"]["phone"] is None and stored.sections["contact"]["preferred_channel"] == "email"
    assert stored.sections["contact"]["email"] == "camille.martin@example.org"  # untouched by the patch
    assert stored.sections["project"]["mobility_km"] == 5 and stored.sections["project"]["rome_codes"] == ["K1303"]
    assert [(event.event_type, event.subject) for event in broadcast(uow)] == [
        (PERSON_REGISTERED, PERSON), (PERSON_UPDATED, PERSON)]


def test_a_correction_on_a_stale_version_changes_nothing():
    uow = fake_unit_of_work()
    register(uow, sections())
    with pytest.raises(PreconditionFailed):
        SERVICE.correct(uow, AGENCY, PERSON, {"project": {"mobility_km": 5}}, current(2))
    assert uow.registrations.get(PERSON).version == 1 and len(broadcast(uow)) == 1


def test_who_may_not_see_gets_not_found_and_who_may_only_read_gets_forbidden():
    uow = fake_unit_of_work()
    register(uow, sections())
    with pytest.raises(NotFound):
        SERVICE.correct(uow, caller("departement", ("75",)), PERSON, {}, current(1))
    with pytest.raises(NotFound):
        SERVICE.get(uow, caller("temp_agency"), PERSON)
    with pytest.raises(Forbidden):
        SERVICE.correct(uow, CAF, PERSON, {"project": {"mobility_km": 5}}, current(1))


def test_a_correction_may_not_move_the_person_out_of_the_organisation_reach():
    uow = fake_unit_of_work()
    register(uow, sections(), by=DEPARTEMENT)
    with pytest.raises(Forbidden):
        SERVICE.correct(uow, DEPARTEMENT, PERSON, {"address": {"commune_code": "75111", "postal_code": "75011"}},
                        current(1))
    assert uow.registrations.get(PERSON).territory.departement_code == "44" and len(broadcast(uow)) == 1


def test_a_correction_giving_another_person_s_nir_is_refused():
    uow = fake_unit_of_work()
    holder = sections()
    register(uow, holder, registration_id=HOLDER)
    register(uow, sections(nir=False), registration_id=OTHER)
    with pytest.raises(AlreadyRegistered) as refused:
        SERVICE.correct(uow, AGENCY, OTHER, {"identity": {"nir": holder["identity"]["nir"]}}, current(1))
    assert refused.value.existing_id == HOLDER


def test_a_prefilled_pre_registration_is_told_only_once_confirmed():
    uow = fake_unit_of_work()
    prefilled = sections(nir=False)  # what a CAF knows: no NIR, no pre-diagnostic
    del prefilled["pre_diagnostic"]
    pre = SERVICE.prefill(uow, PRE, prefilled)
    assert pre.status == PRE_REGISTERED and uow.events.emitted == []
    confirmation = {"pre_diagnostic": {"work_experience": "none", "project_maturity": "no_project",
                                       "availability": "immediate", "support_needed": "intensive"}}
    confirmed = SERVICE.confirm(uow, DEPARTEMENT, PRE, confirmation, current(1))
    assert confirmed.status == REGISTERED and confirmed.registered_at == NOW and confirmed.version == 2
    [event] = broadcast(uow)
    assert (event.event_type, event.subject) == (PERSON_REGISTERED, PRE)
    assert event.data["channel"] == "partner_prefill" and event.data["status"] == REGISTERED
    with pytest.raises(InvalidTransition):
        SERVICE.confirm(uow, DEPARTEMENT, PRE, {}, current(2))
    assert len(broadcast(uow)) == 1


def test_a_list_holds_only_the_organisation_public_page_after_page():
    uow = fake_unit_of_work()
    ids = [FIRST, SECOND, STRANGER]
    for index, born in enumerate([date(2003, 1, 5), date(1975, 6, 1), date(2004, 2, 7)]):
        register(uow, sections(birth=born), registration_id=ids[index])
    first = SERVICE.list(uow, MISSION_LOCALE, ListQuery(limit=1))
    after = (first[-1].created_at, first[-1].id)
    second = SERVICE.list(uow, MISSION_LOCALE, ListQuery(limit=1, after=after))
    assert [r.id for r in first + second] == [FIRST, STRANGER]
    assert SERVICE.list(uow, MISSION_LOCALE, ListQuery(after=(second[-1].created_at, second[-1].id))) == []
    assert SERVICE.list(uow, caller("temp_agency"), ListQuery()) == []



def test_the_person_logging_in_is_found_by_identity_never_by_nir():
    uow = fake_unit_of_work()
    register(uow, sections(last_name="Martin", birth=date(2001, 3, 14)))
    register(uow, sections(last_name="Martin", first_name="Lucie", birth=date(2001, 3, 14)), registration_id=OTHER)
    claims = IdentityClaims(family_name="MARTIN", given_names=("Camille", "Anne"), birth_date=date(2001, 3, 14),
                            birth_country="99100", birth_place="49007")
    assert SERVICE.match_identity(uow, claims) == PERSON
    with pytest.raises(NoIdentityMatch):
        SERVICE.match_identity(uow, IdentityClaims(**{**claims.__dict__, "birth_date": date(2001, 3, 15)}))


def test_the_contact_is_told_on_its_own_topic_at_registration_and_at_each_change():
    uow = fake_unit_of_work()
    register(uow, sections())
    told = uow.events.of_type(CONTACT_CHANGED)
    assert CONTACT_CHANGED.topic == CONTACTS and [e.subject for e in told] == [PERSON]
    assert told[0].data == {"person_id": PERSON, "email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78",
                            "preferred_channel": "sms", "opted_out_channels": []}
    SERVICE.correct(uow, AGENCY, PERSON, {"project": {"mobility_km": 10}}, current(1))
    assert len(uow.events.of_type(CONTACT_CHANGED)) == 1  # no change of contact, nothing told
    SERVICE.correct(uow, AGENCY, PERSON, {"contact": {"opted_out_channels": ["sms", "sms"]}}, current(2))
    assert uow.events.of_type(CONTACT_CHANGED)[-1].data["opted_out_channels"] == ["sms"]
    assert len(uow.events.of_type(PERSON_UPDATED)) == 2


def test_a_person_reads_and_corrects_their_own_registration_only():
    uow = fake_unit_of_work()
    register(uow, sections())
    register(uow, sections(), registration_id=OTHER)
    camille = Caller.person(PERSON)
    assert SERVICE.own(uow, camille).id == PERSON
    corrected = SERVICE.correct_own_contact(uow, camille, {"phone": None, "opted_out_channels": ["email"]},
                                            current(1))
    assert corrected.sections["contact"]["phone"] is None and corrected.version == 2
    assert uow.registrations.get(OTHER).version == 1
    told = uow.events.of_type(CONTACT_CHANGED)[-1]
    assert told.subject == PERSON and told.data["opted_out_channels"] == ["email"]
    assert uow.events.of_type(PERSON_UPDATED)[-1].subject == PERSON
    with pytest.raises(PreconditionFailed):
        SERVICE.correct_own_contact(uow, camille, {"email": None}, current(1))
    with pytest.raises(NotFound):
        SERVICE.own(uow, Caller.person(STRANGER))
    with pytest.raises(Forbidden):  # an organisation's token never names "its own" registration
        SERVICE.own(uow, AGENCY)
