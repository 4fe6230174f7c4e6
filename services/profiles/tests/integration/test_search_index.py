"""The profiles' search index against the domain's own rules, on both databases: a search read page
by page with its cursor gives every findable profile meeting the filters once, by score then
person id; facets count what matches; ranking for an offer orders by `rank_for_offer`; a consent
revoked is gone from the next search; a fresh index is rebuilt from the profiles; indexing never
waits on a writer, so the two cannot deadlock."""
from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from services.core.db import Database
from services.core.referentials.geo import default_geo
from services.profiles.adapters.orm import ProfileRow, SearchQueueRow
from services.profiles.adapters.repository import ProfileRepository
from services.profiles.adapters.search import IndexFinder
from services.profiles.adapters.search_index import SearchIndex
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.matching import KeptOffer, SearchCriteria, explain, rank_for_offer
from services.profiles.domain.profile import PERSON, REGISTRATION, Profile, Provenance
from services.profiles.tests.builders import ML, registration

pytestmark = pytest.mark.integration

AT = datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc)
TODAY = AT.date()
COMMUNES = ("44109", "44162", "44020", "49007", "35238")  # Nantes, Saint-Herblain, Bouguenais, Angers, Rennes
ROME, SKILLS = ("D1102", "D1104", "G1602"), ("petrissage", "faconnage", "tourage", "service en salle")


@pytest.fixture
def db(database_url):
    database = Database(database_url)
    yield database
    database.engine.dispose()


def bank(db: Database, count: int = 60, seed: int = 3) -> list[Profile]:
    """Profiles with every mix of the searched facts, most consenting to employers or temp agencies."""
    rng, profiles = random.Random(seed), []
    for _ in range(count):
        event = registration(str(uuid.UUID(int=rng.getrandbits(128))), commune=rng.choice(COMMUNES), at=AT,
                             licence=rng.random() < 0.5)
        profile = Profile.registered(event.subject, event.data, Provenance(REGISTRATION, None, AT, event.id))
        profile.state({"rome_codes": rng.sample(ROME, rng.randint(1, 2)),
                       "contract_types": rng.sample(("CDI", "CDD", "MIS"), rng.randint(1, 2)),
                       "working_time": rng.choice(("full_time", "part_time", "any")),
                       "mobility_km": rng.choice((0, 10, 30, 100)),
                       "available_from": (TODAY + timedelta(days=rng.randint(-10, 20))).isoformat(),
                       "skills": rng.sample(SKILLS, rng.randint(0, 3)),
                       "languages": [{"code": code, "level": "basic"} for code in rng.sample(("fr", "en", "es"), 1)]},
                      Provenance(PERSON, ML, AT))
        for audience in Audience:
            if rng.random() < 0.7:
                profile.grant(Consent(audience, "on_site", ML, AT))
        profiles.append(profile)
    with db.transaction() as session:
        for profile in profiles:
            ProfileRepository(session).save(profile, AT)
    return profiles


def every_page(db: Database, index: SearchIndex, criteria: SearchCriteria, audience: Audience,
               limit: int) -> list[tuple[str, int]]:
    index.catch_up(db)
    seen, after = [], None
    while True:
        with db.reading() as session:
            page = IndexFinder(index.reading(db), ProfileRepository(session)).search(criteria, audience, after, limit)
        seen += [(profile.person_id, level) for profile, level in page]
        if len(page) < limit:
            return seen
        after = (page[-1][1], page[-1][0].person_id)


def expected(profiles: list[Profile], criteria: SearchCriteria, audience: Audience) -> list[tuple[str, int]]:
    """The filters as the SQL search had them, scored by `explain`, in (score, person id) order."""
    def meets(p: Profile) -> bool:
        languages = {language["code"] for language in p.value("languages", [])}
        return (p.findable_by(audience) and (not criteria.communes or p.commune_code in criteria.communes)
                and (not criteria.rome_codes or set(criteria.rome_codes) & set(p.value("rome_codes", [])))
                and (not criteria.skills or set(criteria.skills) & p.skill_terms)
                and (not criteria.contract_types or set(criteria.contract_types) & set(p.value("contract_types")))
                and set(criteria.languages) <= languages
                and (not criteria.available_by or date.fromisoformat(p.value("available_from")) <= criteria.available_by)
                and (not criteria.working_time or p.value("working_time") in (criteria.working_time, "any"))
                and (not criteria.driving_licence or p.value("driving_licence")))
    found = [(p.person_id, round(explain(criteria, p).score * criteria.terms_asked)) for p in profiles if meets(p)]
    return sorted(found, key=lambda hit: (-hit[1], hit[0]))


@pytest.mark.parametrize("criteria", [
    SearchCriteria(),
    SearchCriteria(rome_codes=("D1102", "D1104"), skills=("petrissage", "tourage")),
    SearchCriteria(skills=("faconnage",), communes=("44109", "44162"), working_time="full_time"),
    SearchCriteria(rome_codes=("G1602",), contract_types=("MIS",), languages=("en",), driving_licence=True,
                   available_by=TODAY),
], ids=["everything", "terms", "place and time", "every filter"])
def test_pages_give_every_matching_profile_once_by_score_then_id(db, tmp_path, criteria):
    profiles = bank(db)
    index = SearchIndex(tmp_path / "index")
    for audience in (Audience.EMPLOYERS, Audience.TEMP_AGENCIES):
        assert every_page(db, index, criteria, audience, limit=7) == expected(profiles, criteria, audience)


def test_facets_count_every_matching_profile(db, tmp_path):
    profiles = bank(db)
    index = SearchIndex(tmp_path / "index")
    index.catch_up(db)
    criteria = SearchCriteria(rome_codes=("D1102",))
    with db.reading() as session:
        facets = IndexFinder(index.reading(db), ProfileRepository(session)).facets(criteria, Audience.EMPLOYERS)
    matching = [p for p in profiles if dict(expected(profiles, criteria, Audience.EMPLOYERS)).get(p.person_id)
                is not None]
    assert dict(facets["rome_codes"]) == Counter(code for p in matching for code in p.value("rome_codes"))
    assert dict(facets["skills"]) == Counter(skill for p in matching for skill in p.skill_terms)
    assert dict(facets["driving_licence"]) == Counter(bool(p.value("driving_licence")) for p in matching)
    assert dict(facets["departement_code"]) == Counter(p.departement_code for p in matching)
    counts = [n for _, n in facets["working_time"]]
    assert counts == sorted(counts, reverse=True)


def test_ranking_for_an_offer_follows_rank_for_offer(db, tmp_path):
    profiles = bank(db, count=80)
    index = SearchIndex(tmp_path / "index")
    index.catch_up(db)
    geo = default_geo()
    offer = KeptOffer("offer-1", "hotel-atlantique", "published", "D1102", "44109", "CDI", "full_time")
    distances = {code: geo.distance_km(code, "44109") for code in geo.communes_within("44109", 100)}
    with db.reading() as session:
        ranked = IndexFinder(index.reading(db), ProfileRepository(session)).for_offer(
            offer, Audience.EMPLOYERS, distances, TODAY, limit=15)
    scores = {p.person_id: rank_for_offer(offer, p, distances.get(p.commune_code), TODAY).score for p in profiles
              if p.findable_by(Audience.EMPLOYERS) and "D1102" in p.value("rome_codes")
              and p.commune_code in distances}
    best = sorted(scores, key=lambda person_id: (-scores[person_id], person_id))[:15]
    assert [p.person_id for p, _ in ranked] == best
    assert [round((1 + level) / 5, 3) for _, level in ranked] == [scores[person_id] for person_id in best]


def test_a_revoked_consent_is_gone_from_the_next_search_and_a_fresh_index_is_rebuilt(db, tmp_path):
    profiles = bank(db, count=20)
    index = SearchIndex(tmp_path / "index")
    found = dict(every_page(db, index, SearchCriteria(), Audience.EMPLOYERS, limit=50))
    gone = next(p for p in profiles if p.person_id in found)
    with db.transaction() as session:
        repository = ProfileRepository(session)
        revoked = repository.get(gone.person_id)
        revoked.revoke(Audience.EMPLOYERS, AT, ML)
        repository.save(revoked, AT)
    after = dict(every_page(db, index, SearchCriteria(), Audience.EMPLOYERS, limit=50))
    assert after == {person_id: level for person_id, level in found.items() if person_id != gone.person_id}
    # A fresh directory (a new machine, a lost volume): the queue is empty, the profiles are not.
    fresh = SearchIndex(tmp_path / "fresh")
    assert dict(every_page(db, fresh, SearchCriteria(), Audience.EMPLOYERS, limit=50)) == after
    assert fresh.searcher().num_docs == 20


def _touch(connection, person_id: str) -> None:
    """A write of the profile, as any save is: the trigger files its entry in the writer's transaction."""
    connection.execute(sa.update(ProfileRow).where(ProfileRow.person_id == person_id)
                       .values(version=ProfileRow.version))


def test_indexing_and_a_writer_filing_entries_in_another_order_both_go_through(db, tmp_path):
    """The deadlock CI met on PostgreSQL: a writer holds the entry of b and then files a, while the
    catch-up, deleting a then b, holds a and waits for b. The catch-up skips what a writer holds."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers on the whole database")
    first, second = sorted(profile.person_id for profile in bank(db, count=2))
    index = SearchIndex(tmp_path / "index")
    with db.transaction() as session:
        _touch(session, first), _touch(session, second)
    writer = db.engine.connect()
    transaction = writer.begin()
    _touch(writer, second)
    failures: list[BaseException] = []

    def catch_up() -> None:
        try:
            index.catch_up(db)
        except BaseException as error:  # noqa: BLE001 - handed to the test's thread
            failures.append(error)

    indexing = threading.Thread(target=catch_up)
    indexing.start()
    waiting_on_a_lock = sa.text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                                "AND datname = current_database()")
    with db.engine.connect() as observer:  # until it is done, or stuck behind the writer's entry
        while indexing.is_alive() and not observer.execute(waiting_on_a_lock).scalar():
            time.sleep(0.05)
    try:
        _touch(writer, first)
        transaction.commit()
    finally:
        writer.close()
    indexing.join()
    assert failures == []
    with db.reading() as session:  # both written again since indexed: both queued for the next round
        assert sorted(session.scalars(sa.select(SearchQueueRow.person_id))) == [first, second]
    index.catch_up(db)
    with db.reading() as session:
        assert session.scalars(sa.select(SearchQueueRow.person_id)).all() == []
    assert index.searcher().num_docs == 2


def _revoke_one(db: Database, person_id: str) -> None:
    with db.transaction() as session:
        repository = ProfileRepository(session)
        profile = repository.get(person_id)
        profile.revoke(Audience.EMPLOYERS, AT, ML)
        repository.save(profile, AT)


def test_facets_are_counted_once_per_index_commit_and_again_after_a_write(db, tmp_path, monkeypatch):
    profiles = bank(db, count=20)
    index, counted = SearchIndex(tmp_path / "index"), []
    count = IndexFinder._count
    monkeypatch.setattr(IndexFinder, "_count", lambda self, *args: counted.append(args) or count(self, *args))

    def findable() -> int:
        with db.reading() as session:
            facets = IndexFinder(index.reading(db), ProfileRepository(session)).facets(SearchCriteria(), Audience.EMPLOYERS)
        return sum(n for _, n in facets["departement_code"])

    before = findable()
    assert findable() == before and len(counted) == 1  # the same commit: remembered
    _revoke_one(db, next(p.person_id for p in profiles if p.findable_by(Audience.EMPLOYERS)))
    assert findable() == before - 1 and len(counted) == 2  # a write committed: counted again


def test_an_answer_computed_on_an_older_commit_is_never_kept_for_a_newer_one(db, tmp_path):
    profiles = bank(db, count=5)
    index = SearchIndex(tmp_path / "index")
    older = index.reading(db)
    _revoke_one(db, next(p.person_id for p in profiles if p.findable_by(Audience.EMPLOYERS)))
    newer = index.reading(db)  # indexes the revocation: a new commit
    assert newer.generation == older.generation + 1
    assert older.remembered("question", lambda: "older answer") == "older answer"
    assert newer.remembered("question", lambda: "newer answer") == "newer answer"
    assert newer.remembered("question", lambda: "computed again") == "newer answer"
