"""The profile bank's rules on plain objects: provenance, consent, temporary work, pseudonyms,
matching, the quota and who manages a profile."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest

from services.core.errors import InvalidTransition, LimitReached
from services.profiles.domain import events
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.matching import KeptOffer, SearchCriteria, explain, folded_skills, rank_for_offer
from services.profiles.domain.policy import audience_of, may_manage
from services.profiles.domain.profile import CONTRIBUTION, PERSON, REGISTRATION, Profile, Provenance
from services.profiles.domain.pseudonyms import Pseudonyms
from services.profiles.domain.quota import check_daily_views
from services.profiles.tests.builders import ML, STATEMENT, registration
from services.profiles.tests.fakes import caller

AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)


def profile() -> Profile:
    event = registration(str(uuid.uuid4()), at=AT)
    return Profile.registered(event.subject, event.data, Provenance(REGISTRATION, None, AT, event.id))


def consent(audience: Audience) -> Consent:
    return Consent(audience, "on_site", ML, AT)


def test_registration_facts_carry_their_provenance():
    built = profile()
    assert built.value("driving_licence") is True
    assert built.value("languages") == [{"code": "fr", "level": "native"}]
    assert built.value("available_from") == "2026-11-23"  # "immediate" at registration
    assert built.facts["driving_licence"].provenance.source == REGISTRATION
    assert not built.published and built.events == []


def test_the_persons_statement_replaces_registration_facts_and_later_registrations_do_not_undo_it():
    built = profile()
    built.state({"driving_licence": False, "skills": ["Pétrissage"]}, Provenance(PERSON, ML, AT))
    event = registration(built.person_id, at=AT, licence=True)
    built.apply_registration(event.data, Provenance(REGISTRATION, None, AT, event.id))
    assert built.value("driving_licence") is False
    assert built.facts["driving_licence"].provenance == Provenance(PERSON, ML, AT)


def test_a_contribution_never_overwrites_the_persons_word_silently():
    built = profile()
    built.state({"available_from": "2026-12-01"}, Provenance(PERSON, ML, AT))
    partner = Provenance(CONTRIBUTION, "interim-loire", AT, "batch-1")
    assert built.contribute("available_from", "2027-01-15", partner) == "proposed"
    assert built.value("available_from") == "2026-12-01"
    assert built.proposals == [{"field": "available_from", "value": "2027-01-15", "provenance": partner.to_dict()}]
    assert built.contribute("skills", "CACES R489", partner) == "added"
    assert built.contribute("mobility_km", 40, partner) == "set"


def test_a_new_statement_keeps_contributed_items_and_clears_answered_proposals():
    built = profile()
    partner = Provenance(CONTRIBUTION, "afpa", AT, "batch-1")
    built.contribute("skills", "CACES R489", partner)
    built.state({"available_from": "2026-12-01"}, Provenance(PERSON, ML, AT))
    built.contribute("available_from", "2027-01-15", partner)
    built.state({"skills": ["Pétrissage"], "available_from": "2027-01-15"}, Provenance(PERSON, ML, AT))
    assert built.item_values("skills") == ["Pétrissage", "CACES R489"]
    assert built.proposals == []


def test_a_statement_clears_a_list_given_as_null_and_keeps_contributed_items():
    built = profile()
    built.contribute("skills", "CACES R489", Provenance(CONTRIBUTION, "afpa", AT, "batch-1"))
    built.state({"skills": ["Pétrissage"], "diplomas": [{"title": "CAP Boulanger"}]}, Provenance(PERSON, ML, AT))
    built.state({"skills": None, "diplomas": None}, Provenance(PERSON, ML, AT))
    assert built.item_values("skills") == ["CACES R489"]
    assert built.item_values("diplomas") == []


def test_a_single_fact_stated_as_null_is_withdrawn_and_every_rule_still_reads_the_profile():
    # Schemathesis stated contract_types as null: the profile then failed every save and search
    # (None is not a list), and the index job with it, for every profile.
    built = profile()
    built.state({"contract_types": ["MIS"], "rome_codes": ["D1102"]}, Provenance(PERSON, ML, AT))
    built.state({"contract_types": None, "rome_codes": None, "available_from": None}, Provenance(PERSON, ML, AT))
    assert built.value("contract_types", []) == [] and built.value("rome_codes", []) == []
    assert not built.seeks_temporary_work
    assert all(isinstance(built.findable_by(audience), bool) for audience in Audience)


def test_consent_publishes_per_audience_and_its_revocation_withdraws():
    built = profile()
    built.grant(consent(Audience.EMPLOYERS))
    built.grant(consent(Audience.COUNSELLORS))
    with pytest.raises(InvalidTransition):
        built.grant(consent(Audience.EMPLOYERS))
    built.revoke(Audience.EMPLOYERS, AT, ML)
    assert built.active_audiences == [Audience.COUNSELLORS]
    built.revoke(Audience.COUNSELLORS, AT, ML)
    with pytest.raises(InvalidTransition):
        built.revoke(Audience.COUNSELLORS, AT, ML)
    assert [type(e) for e in built.events] == [events.ProfilePublished, events.ProfileUpdated, events.ProfileUpdated,
                                              events.ProfileWithdrawn]
    assert built.consents[Audience.EMPLOYERS].revoked_by == ML and not built.published


def test_temp_agencies_find_only_people_seeking_temporary_work():
    built = profile()
    built.grant(consent(Audience.TEMP_AGENCIES))
    assert not built.findable_by(Audience.TEMP_AGENCIES)
    built.state({"contract_types": ["CDI", "MIS"]}, Provenance(PERSON, ML, AT))
    assert built.findable_by(Audience.TEMP_AGENCIES) and not built.findable_by(Audience.EMPLOYERS)


def test_a_pseudonym_differs_per_organisation_and_names_nobody_elsewhere():
    pseudonyms, person = Pseudonyms(b"secret"), str(uuid.uuid4())
    mine, theirs = pseudonyms.of("interim-ouest", person), pseudonyms.of("interim-loire", person)
    assert mine != theirs and mine == pseudonyms.of("interim-ouest", person)
    assert pseudonyms.person("interim-ouest", mine) == person
    assert pseudonyms.person("interim-loire", mine) is None
    assert pseudonyms.person("interim-ouest", "a" * 52) is None
    assert Pseudonyms(b"other secret").person("interim-ouest", mine) is None


def test_a_search_explains_what_matched():
    built = profile()
    built.state({**STATEMENT, "contact": None}, Provenance(PERSON, ML, AT))
    criteria = SearchCriteria(rome_codes=("D1102", "D1104"), skills=folded_skills(["petrissage"]),
                              communes=("44109",), languages=("en",))
    match = explain(criteria, built)
    assert match.score == round(2 / 3, 3)
    assert {c["criterion"]: c["matched"] for c in match.criteria} == {
        "rome_codes": ["D1102"], "skills": ["petrissage"], "place": "44109", "languages": ["en"]}


def test_an_offer_ranks_on_contract_working_time_mobility_and_availability():
    built = profile()
    built.state({"rome_codes": ["D1102"], "contract_types": ["MIS"], "working_time": "any", "mobility_km": 10},
                Provenance(PERSON, ML, AT))
    offer = KeptOffer("o", "interim-ouest", "published", "D1102", "44109", "MIS", "full_time")
    near = rank_for_offer(offer, built, 5.0, date(2026, 12, 1))
    far = rank_for_offer(offer, built, 50.0, date(2026, 12, 1))
    assert near.score == 1.0 and far.score == 0.8
    assert "mobility_km" not in {c["criterion"] for c in far.criteria}


def test_the_daily_quota_refuses_past_it_until_midnight():
    check_daily_views(3, 3, AT)
    with pytest.raises(LimitReached) as refused:
        check_daily_views(4, 3, AT)
    assert refused.value.retry_after_seconds == int(timedelta(hours=14, minutes=30).total_seconds())


@pytest.mark.parametrize("org_type, audience", [
    ("employer", Audience.EMPLOYERS), ("temp_agency", Audience.TEMP_AGENCIES),
    ("mission_locale", Audience.COUNSELLORS), ("caf", None), ("opco", None), ("region", None)])
def test_each_organisation_type_searches_as_one_audience_or_none(org_type, audience):
    assert audience_of(caller(org_type, "x")) == audience


def test_the_referent_and_france_travail_manage_a_profile_nobody_else():
    built = profile()
    today = AT.date()
    assert not may_manage(caller("mission_locale", ML), built, today)
    built.oriented(ML)
    assert may_manage(caller("mission_locale", ML), built, today)
    assert may_manage(caller("france_travail", "ft-agence-44-nantes-est"), built, today)
    assert not may_manage(caller("mission_locale", "ml-angers", ("49",)), built, today)
    assert not may_manage(caller("temp_agency", "interim-ouest"), built, today)
