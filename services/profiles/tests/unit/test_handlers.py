"""The use cases on in-memory fakes: profiles built from events, consent, contributions line by
line, the interest check and its expiry, contact released once. Every event is checked against its
schema (RecordedEvents) and scanned for forbidden fields."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from services.core.errors import Conflict, Forbidden, InvalidTransition, LimitReached, NotFound, RuleBroken
from services.core.identity import Caller
from services.core.referentials.geo import default_geo
from services.profiles import published
from services.profiles.domain.consent import Audience
from services.profiles.domain.pseudonyms import Pseudonyms
from services.profiles.service.introductions import IntroductionService
from services.profiles.service.profiles import ProfileService
from services.profiles.service.search import SearchService
from services.profiles.tests.builders import ML, STATEMENT, decision, diagnostic, forbidden_in, offer, registration
from services.profiles.tests.fakes import caller, fake_uow

START = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
REFERENT, TEMP, OTHER_TEMP = caller("mission_locale", ML), caller("temp_agency", "interim-ouest"), caller(
    "temp_agency", "interim-loire")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def world():
    clock, uow = Clock(), fake_uow()
    profiles = ProfileService(clock=clock)
    search = SearchService(Pseudonyms(b"test"), default_geo(), clock, daily_view_quota=2)
    introductions = IntroductionService(profiles, search, clock, answer_within=timedelta(days=7))
    return clock, uow, profiles, search, introductions


def published_person(uow, profiles) -> str:
    person_id = str(uuid.uuid4())
    profiles.on_registration(uow, registration(person_id))
    profiles.on_orientation(uow, decision(person_id))
    profiles.state(uow, REFERENT, person_id, STATEMENT, lambda version: None)
    profiles.grant(uow, REFERENT, person_id, Audience.TEMP_AGENCIES, "on_site")
    return person_id


def test_events_build_the_profile_and_only_the_referent_manages_it(world):
    _, uow, profiles, _, _ = world
    person_id = str(uuid.uuid4())
    profiles.on_registration(uow, registration(person_id))
    with pytest.raises(NotFound):
        profiles.managed(uow, REFERENT, person_id)
    profiles.on_orientation(uow, decision(person_id))
    profiles.on_diagnostic(uow, diagnostic(person_id))
    managed = profiles.managed(uow, REFERENT, person_id)
    assert managed.facts["diagnostic"].value["fields_filled"] == ["skills", "professional_project"]
    assert managed.facts["diagnostic"].provenance.org_id == ML
    assert uow.events.emitted == []  # nothing published without consent


def test_orientation_and_diagnostic_before_the_registration_apply_once_it_arrives(world):
    _, uow, profiles, _, _ = world
    person_id = str(uuid.uuid4())
    profiles.on_orientation(uow, decision(person_id))
    profiles.on_diagnostic(uow, diagnostic(person_id))
    profiles.on_registration(uow, registration(person_id))
    managed = profiles.managed(uow, REFERENT, person_id)
    assert "diagnostic" in managed.facts and uow.profiles.early == []


def test_consent_publishes_and_revocation_withdraws_with_events_free_of_personal_data(world):
    _, uow, profiles, _, _ = world
    person_id = published_person(uow, profiles)
    profiles.revoke(uow, REFERENT, person_id, Audience.TEMP_AGENCIES)
    kinds = [pending.event_type for pending in uow.events.emitted if pending.event_type.topic == published.PROFILES]
    assert kinds == [published.PROFILE_PUBLISHED, published.PROFILE_WITHDRAWN]
    assert next(p for p in uow.events.emitted if p.event_type.topic == published.PROFILES).data["audiences"] == [
        "temp_agencies"]
    told = [(p.data["action"], p.data["access"], p.data["sections"], p.data["by"]["org_id"])
            for p in uow.events.emitted if p.event_type == published.ACCESS_RECORDED]
    assert told == [("state", "write", ["statement"], REFERENT.org_id),
                    ("grant_consent", "write", ["consents"], REFERENT.org_id),
                    ("revoke_consent", "write", ["consents"], REFERENT.org_id)]  # the referent's, for the person
    assert all(forbidden_in(pending.data) == [] for pending in uow.events.emitted)


def test_contributions_are_accepted_or_refused_line_by_line(world):
    _, uow, profiles, _, _ = world
    person_id = published_person(uow, profiles)
    hidden = str(uuid.uuid4())
    profiles.on_registration(uow, registration(hidden))
    lines = [{"person_id": person_id, "kind": "skill_validated", "value": "CACES R489"},
             {"person_id": hidden, "kind": "skill_validated", "value": "CACES R489"},
             {"person_id": str(uuid.uuid4()), "kind": "availability", "value": "2027-01-01"},
             {"person_id": person_id, "kind": "availability", "value": "2027-01-01"}]
    results = profiles.contribute(uow, TEMP, "batch", lines)
    assert [(r["status"], r["reason"]) for r in results] == [
        ("accepted", "added"), ("refused", "no_consent_for_your_audience"),
        ("refused", "no_consent_for_your_audience"), ("accepted", "proposed")]  # registration said "immediate"
    assert "CACES R489" in uow.profiles.get(person_id).item_values("skills")
    with pytest.raises(RuleBroken):
        profiles.contribute(uow, caller("caf", "caf-44"), "batch", lines)


def test_interest_check_then_contact_exactly_once_then_outcome(world):
    _, uow, profiles, search, introductions = world
    person_id = published_person(uow, profiles)
    pseudonym = search.pseudonyms.of(TEMP.org_id, person_id)
    with pytest.raises(NotFound):  # another organisation's pseudonym names nobody
        introductions.request(uow, OTHER_TEMP, str(uuid.uuid4()), pseudonym, None, "Mission")
    request = introductions.request(uow, TEMP, str(uuid.uuid4()), pseudonym, None, "Mission")
    with pytest.raises(Conflict):
        introductions.request(uow, TEMP, str(uuid.uuid4()), pseudonym, None, "Another")
    with pytest.raises(Forbidden):
        introductions.release_contact(uow, TEMP, request.id)
    introductions.answer(uow, REFERENT, person_id, request.id, "interested", None)
    contact = introductions.release_contact(uow, TEMP, request.id)
    assert contact == {"first_name": "Camille", "last_name": "Martin", **STATEMENT["contact"]}
    with pytest.raises(Conflict):
        introductions.release_contact(uow, TEMP, request.id)
    with pytest.raises(NotFound):
        introductions.record_outcome(uow, OTHER_TEMP, request.id, "hired", None)
    introductions.record_outcome(uow, TEMP, request.id, "hired", None)
    assert [e.action for e in uow.access_log.entries] == ["contact_release"]
    kinds = [p.event_type for p in uow.events.emitted if p.event_type.topic == published.INTRODUCTIONS]
    assert kinds == [published.INTEREST_REQUESTED, published.INTEREST_ANSWERED, published.INTRODUCTION_MADE,
                     published.OUTCOME_RECORDED]
    assert all(forbidden_in(p.data) == [] for p in uow.events.emitted)


def test_a_declined_answer_needs_a_reason_and_releases_nothing(world):
    _, uow, profiles, search, introductions = world
    person_id = published_person(uow, profiles)
    request = introductions.request(uow, TEMP, str(uuid.uuid4()), search.pseudonyms.of(TEMP.org_id, person_id),
                                    None, "Mission")
    with pytest.raises(RuleBroken):
        introductions.answer(uow, REFERENT, person_id, request.id, "declined", None)
    introductions.answer(uow, REFERENT, person_id, request.id, "declined", "too_far")
    with pytest.raises(Forbidden):
        introductions.release_contact(uow, TEMP, request.id)
    assert uow.introductions.get(request.id).reason == "too_far"


def test_revoked_consent_stops_a_release_even_after_a_yes(world):
    _, uow, profiles, search, introductions = world
    person_id = published_person(uow, profiles)
    request = introductions.request(uow, TEMP, str(uuid.uuid4()), search.pseudonyms.of(TEMP.org_id, person_id),
                                    None, "Mission")
    introductions.answer(uow, REFERENT, person_id, request.id, "interested", None)
    profiles.revoke(uow, REFERENT, person_id, Audience.TEMP_AGENCIES)
    with pytest.raises(Forbidden):
        introductions.release_contact(uow, TEMP, request.id)


def test_unanswered_requests_expire_on_the_jobs_clock(world):
    clock, uow, profiles, search, introductions = world
    person_id = published_person(uow, profiles)
    request = introductions.request(uow, TEMP, str(uuid.uuid4()), search.pseudonyms.of(TEMP.org_id, person_id),
                                    None, "Mission")
    assert introductions.expire_due(uow, START + timedelta(days=6)) == 0
    assert introductions.expire_due(uow, START + timedelta(days=7)) == 1
    clock.now = START + timedelta(days=8)
    with pytest.raises(InvalidTransition):
        introductions.answer(uow, REFERENT, person_id, request.id, "interested", None)
    assert uow.events.of_type(published.INTEREST_EXPIRED)[0].data["status"] == "expired"


def test_detail_views_are_logged_and_limited_per_organisation_and_day(world):
    _, uow, profiles, search, _ = world
    person_id = published_person(uow, profiles)
    pseudonym = search.pseudonyms.of(TEMP.org_id, person_id)
    detail = search.detail(uow, TEMP, pseudonym)
    assert forbidden_in(detail) == [] and detail["pseudonym"] == pseudonym
    search.detail(uow, TEMP, pseudonym)
    with pytest.raises(LimitReached):
        search.detail(uow, TEMP, pseudonym)
    assert [e.action for e in uow.access_log.entries] == ["detail_view", "detail_view"]


def test_offers_are_kept_and_only_their_owner_gets_matches(world):
    _, uow, profiles, search, _ = world
    offer_id = str(uuid.uuid4())
    profiles.on_offer(uow, offer(offer_id, "employer-41234567800019"))
    with pytest.raises(NotFound):
        search.for_offer(uow, TEMP, offer_id, 10)


def test_the_person_manages_their_own_consent_and_answers_through_the_referents_use_cases(world):
    _, uow, profiles, search, introductions = world
    person_id, other_id = published_person(uow, profiles), published_person(uow, profiles)
    me = Caller.person(person_id)
    assert profiles.managed(uow, me, person_id).person_id == person_id
    with pytest.raises(NotFound):  # another person's profile: as unknown
        profiles.managed(uow, me, other_id)
    emitted = len(uow.events.emitted)
    profiles.set_consent(uow, me, person_id, Audience.TEMP_AGENCIES, True, "online")  # already given: no change
    assert len(uow.events.emitted) == emitted
    withdrawn = profiles.set_consent(uow, me, person_id, Audience.TEMP_AGENCIES, False, "online")
    assert withdrawn.active_audiences == [] and withdrawn.consents[Audience.TEMP_AGENCIES].revoked_by == me.org_id
    assert uow.events.emitted[-1].event_type == published.PROFILE_WITHDRAWN  # as the referent's revocation
    given = profiles.set_consent(uow, me, person_id, Audience.EMPLOYERS, True, "online")
    assert given.active_audiences == [Audience.EMPLOYERS] and given.consents[Audience.EMPLOYERS].method == "online"

    asked = introductions.request(uow, TEMP, str(uuid.uuid4()), search.pseudonyms.of(TEMP.org_id, other_id),
                                  None, "Mission")
    with pytest.raises(NotFound):  # another person's request: as unknown
        introductions.answer(uow, me, person_id, asked.id, "interested", None)
    profiles.set_consent(uow, me, person_id, Audience.TEMP_AGENCIES, True, "online")
    mine = introductions.request(uow, TEMP, str(uuid.uuid4()), search.pseudonyms.of(TEMP.org_id, person_id),
                                 None, "Mission")
    with pytest.raises(RuleBroken):  # the same rule: a no needs a reason
        introductions.answer(uow, me, person_id, mine.id, "declined", None)
    answered = introductions.answer(uow, me, person_id, mine.id, "interested", None)
    assert answered.answered_by == me.org_id
    assert uow.events.emitted[-1].event_type == published.INTEREST_ANSWERED
