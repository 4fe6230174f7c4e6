"""Loads and saves profiles and introductions; searches, facets and the counters in SQL."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, delete, exists, func, insert, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.profiles.adapters.orm import (
    AccessRow, DailyViewsRow, EarlyEventRow, IntroductionRow, KeptOfferRow, ProfileRow, ProfileTermRow,
)
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.matching import KeptOffer, SearchCriteria
from services.profiles.domain.profile import Fact, Profile
from services.profiles.domain.repository import AccessEntry, Facets, Page, StatsRow
from services.profiles.domain.text import fold

FACET_SIZE = 20
TERM_KINDS = {"rome": "rome_codes", "skill": "skills", "contract": "contract_types", "language": "languages"}


class ProfileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str, *, for_update: bool = False) -> Profile | None:
        query = select(ProfileRow).where(ProfileRow.person_id == person_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _profile(row) if row else None

    def save(self, profile: Profile, now: datetime) -> None:
        row = self.session.get(ProfileRow, profile.person_id)
        if row is None:
            row = ProfileRow(person_id=profile.person_id)
            self.session.add(row)
        _fill(row, profile, now)
        self.session.execute(delete(ProfileTermRow).where(ProfileTermRow.person_id == profile.person_id))
        terms = [{"kind": kind, "value": value, "person_id": profile.person_id} for kind, value in _terms(profile)]
        if terms:
            self.session.execute(insert(ProfileTermRow), terms)

    def keep_early(self, person_id: str, envelope: dict[str, Any]) -> None:
        self.session.add(EarlyEventRow(person_id=person_id, envelope=envelope))

    def early_events(self, person_id: str) -> list[dict[str, Any]]:
        rows = list(self.session.scalars(select(EarlyEventRow).where(EarlyEventRow.person_id == person_id)
                                         .order_by(EarlyEventRow.seq)))
        self.session.execute(delete(EarlyEventRow).where(EarlyEventRow.person_id == person_id))
        return [row.envelope for row in rows]

    def search(self, criteria: SearchCriteria, audience: Audience, after: tuple[int, str] | None,
               limit: int) -> Page:
        score = self._terms_matched(criteria)
        statement = select(ProfileRow, score.label("score")).where(
            ProfileRow.person_id.in_(_matching(criteria, audience)))
        if after:
            statement = statement.where(or_(score < after[0], and_(score == after[0],
                                                                   ProfileRow.person_id > after[1])))
        rows = self.session.execute(statement.order_by(score.desc(), ProfileRow.person_id).limit(limit)).all()
        return Page([(_profile(row), matched) for row, matched in rows])

    def facets(self, criteria: SearchCriteria, audience: Audience) -> Facets:
        matching = _matching(criteria, audience).subquery()
        counts: Facets = {}
        term_counts = self.session.execute(
            select(ProfileTermRow.kind, ProfileTermRow.value, func.count())
            .where(ProfileTermRow.person_id.in_(select(matching.c.person_id)))
            .group_by(ProfileTermRow.kind, ProfileTermRow.value))
        for kind, value, count in term_counts:
            counts.setdefault(TERM_KINDS[kind], []).append((value, count))
        for name in ("departement_code", "working_time", "driving_licence"):
            column = getattr(ProfileRow, name)
            rows = self.session.execute(select(column, func.count()).where(
                ProfileRow.person_id.in_(select(matching.c.person_id))).group_by(column))
            counts[name] = [(value, count) for value, count in rows]
        return {name: sorted(values, key=lambda item: (-item[1], str(item[0])))[:FACET_SIZE]
                for name, values in counts.items()}

    def for_offer(self, rome_code: str, audience: Audience, communes: Iterable[str], limit: int) -> list[Profile]:
        criteria = SearchCriteria(rome_codes=(rome_code,), communes=tuple(communes))
        statement = select(ProfileRow).where(ProfileRow.person_id.in_(_matching(criteria, audience))).limit(limit)
        return [_profile(row) for row in self.session.scalars(statement)]

    @staticmethod
    def _terms_matched(criteria: SearchCriteria):
        asked = [and_(ProfileTermRow.kind == "rome", ProfileTermRow.value.in_(criteria.rome_codes)),
                 and_(ProfileTermRow.kind == "skill", ProfileTermRow.value.in_(criteria.skills))]
        return (select(func.count()).where(ProfileTermRow.person_id == ProfileRow.person_id, or_(*asked))
                .correlate(ProfileRow).scalar_subquery())


def _matching(criteria: SearchCriteria, audience: Audience) -> Select:
    """The ids of the profiles this audience may find that meet every filter."""
    p = ProfileRow
    statement = select(p.person_id).where(getattr(p, f"findable_{audience.value}").is_(True))
    if criteria.communes:
        statement = statement.where(p.commune_code.in_(criteria.communes))
    if criteria.available_by:
        statement = statement.where(p.available_from <= criteria.available_by)
    if criteria.working_time:
        statement = statement.where(p.working_time.in_([criteria.working_time, "any"]))
    if criteria.driving_licence:
        statement = statement.where(p.driving_licence.is_(True))
    for kind, values in (("rome", criteria.rome_codes), ("skill", criteria.skills),
                         ("contract", criteria.contract_types)):
        if values:
            statement = statement.where(_has_term(kind, values))
    for language in criteria.languages:
        statement = statement.where(_has_term("language", [language]))
    return statement


def _has_term(kind: str, values: Iterable[str]):
    t = ProfileTermRow
    return exists().where(t.person_id == ProfileRow.person_id, t.kind == kind, t.value.in_(list(values)))


def _terms(profile: Profile) -> set[tuple[str, str]]:
    terms = {("rome", code) for code in profile.value("rome_codes", [])}
    terms |= {("contract", code) for code in profile.value("contract_types", [])}
    terms |= {("language", language["code"]) for language in profile.value("languages", [])}
    terms |= {("skill", fold(label)[:200]) for label in profile.item_values("skills")}
    return terms


def _fill(row: ProfileRow, profile: Profile, now: datetime) -> None:
    row.version = profile.version
    row.commune_code, row.departement_code, row.region_code = (profile.commune_code, profile.departement_code,
                                                               profile.region_code)
    row.referent_org_id = profile.referent_org_id
    for audience in Audience:
        setattr(row, f"findable_{audience.value}", profile.findable_by(audience))
    row.working_time = profile.value("working_time")
    available = profile.value("available_from")
    row.available_from = date.fromisoformat(available) if available else None
    row.driving_licence = bool(profile.value("driving_licence"))
    row.document = {
        "private": profile.private, "contact": profile.contact, "proposals": profile.proposals,
        "facts": {name: fact.to_dict() for name, fact in profile.facts.items()},
        "items": {name: [item.to_dict() for item in items] for name, items in profile.items.items()},
        "consents": [consent.to_dict() for consent in profile.consents.values()],
    }
    row.updated_at = now


def _profile(row: ProfileRow) -> Profile:
    document = row.document
    consents = [Consent.from_dict(data) for data in document["consents"]]
    return Profile(
        person_id=row.person_id, commune_code=row.commune_code, departement_code=row.departement_code,
        region_code=row.region_code, private=document["private"], contact=document["contact"],
        facts={name: Fact.from_dict(data) for name, data in document["facts"].items()},
        items={name: [Fact.from_dict(item) for item in items] for name, items in document["items"].items()},
        proposals=document["proposals"], consents={consent.audience: consent for consent in consents},
        referent_org_id=row.referent_org_id, version=row.version)


class OfferRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, offer_id: str) -> KeptOffer | None:
        row = self.session.get(KeptOfferRow, offer_id)
        return KeptOffer(row.offer_id, row.owner_org_id, row.status, row.rome_code, row.commune_code,
                         row.contract_type, row.working_time) if row else None

    def keep(self, offer: KeptOffer) -> None:
        self.session.merge(KeptOfferRow(**offer.__dict__))


INTRODUCTION_COLUMNS = ("id", "person_id", "audience", "departement_code", "offer_id", "message", "requested_at",
                        "expires_at", "status", "reason", "answered_at", "answered_by", "contact_released_at",
                        "outcome", "outcome_reason", "outcome_at")


class IntroductionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, introduction_id: str, *, for_update: bool = False) -> Introduction | None:
        query = select(IntroductionRow).where(IntroductionRow.id == introduction_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return _introduction(row) if row else None

    def save(self, introduction: Introduction) -> None:
        row = self.session.get(IntroductionRow, introduction.id) or IntroductionRow()
        for name in INTRODUCTION_COLUMNS:
            setattr(row, name, getattr(introduction, name))
        row.requester_org_id = introduction.requester["org_id"]
        row.requester_org_type = introduction.requester["org_type"]
        row.requester_client_id = introduction.requester["client_id"]
        self.session.add(row)

    def pending(self, person_id: str, org_id: str) -> Introduction | None:
        row = self.session.scalar(select(IntroductionRow).where(
            IntroductionRow.person_id == person_id, IntroductionRow.requester_org_id == org_id,
            IntroductionRow.status == "requested"))
        return _introduction(row) if row else None

    def of_person(self, person_id: str, limit: int = 100) -> list[Introduction]:
        rows = self.session.scalars(select(IntroductionRow).where(IntroductionRow.person_id == person_id)
                                    .order_by(IntroductionRow.requested_at.desc()).limit(limit))
        return [_introduction(row) for row in rows]

    def due(self, now: datetime, limit: int) -> list[Introduction]:
        rows = self.session.scalars(select(IntroductionRow).where(
            IntroductionRow.status == "requested", IntroductionRow.expires_at <= now)
            .order_by(IntroductionRow.expires_at).limit(limit).with_for_update(skip_locked=True))
        return [_introduction(row) for row in rows]

    def stats(self, departement_code: str | None) -> list[StatsRow]:
        i = IntroductionRow
        statement = select(
            i.audience, i.departement_code, func.count(),
            func.count(i.answered_at).filter(i.status == "interested"),
            func.count(i.contact_released_at), func.count().filter(i.outcome == "hired"),
        ).group_by(i.audience, i.departement_code).order_by(i.audience, i.departement_code)
        if departement_code:
            statement = statement.where(i.departement_code == departement_code)
        return [StatsRow(*row) for row in self.session.execute(statement)]


def _introduction(row: IntroductionRow) -> Introduction:
    values: dict[str, Any] = {name: getattr(row, name) for name in INTRODUCTION_COLUMNS}
    return Introduction(requester={"org_id": row.requester_org_id, "org_type": row.requester_org_type,
                                   "client_id": row.requester_client_id}, **values)


class AccessLogRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, entry: AccessEntry) -> None:
        self.session.add(AccessRow(**entry.__dict__))

    def of_person(self, person_id: str, after_id: int | None, limit: int) -> list[tuple[int, AccessEntry]]:
        statement = select(AccessRow).where(AccessRow.person_id == person_id)
        if after_id is not None:
            statement = statement.where(AccessRow.id < after_id)
        rows = self.session.scalars(statement.order_by(AccessRow.id.desc()).limit(limit))
        return [(row.id, AccessEntry(row.person_id, row.action, row.org_id, row.org_type, row.client_id, row.at,
                                     row.reference)) for row in rows]


class ViewCounter:
    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, org_id: str, day: date) -> int:
        """This organisation's views of the day, this one included: one atomic upsert, so concurrent
        views are all counted."""
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        statement = dialect.insert(DailyViewsRow).values(org_id=org_id, day=day, views=1)
        statement = statement.on_conflict_do_update(
            index_elements=["org_id", "day"], set_={"views": DailyViewsRow.views + 1}).returning(DailyViewsRow.views)
        return self.session.execute(statement).scalar_one()
