"""Loads and saves profiles and introductions, and the counters, in SQL (searches: adapters/search.py)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from services.profiles.adapters.orm import (
    AccessRow, DailyViewsRow, EarlyEventRow, IntroductionRow, KeptOfferRow, ProfileRow,
)
from services.profiles.domain.consent import Audience, Consent
from services.profiles.domain.introduction import Introduction
from services.profiles.domain.matching import KeptOffer
from services.profiles.domain.profile import Fact, Profile
from services.profiles.domain.repository import AccessEntry, StatsRow


class ProfileRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, person_id: str, *, for_update: bool = False) -> Profile | None:
        query = select(ProfileRow).where(ProfileRow.person_id == person_id)
        row = self.session.scalar(query.with_for_update() if for_update else query)
        return profile_of(row) if row else None

    def save(self, profile: Profile, now: datetime) -> None:
        row = self.session.get(ProfileRow, profile.person_id)
        if row is None:
            row = ProfileRow(person_id=profile.person_id)
            self.session.add(row)
        fill(row, profile, now)

    def many(self, person_ids: list[str]) -> dict[str, Profile]:
        if not person_ids:
            return {}
        rows = self.session.scalars(select(ProfileRow).where(ProfileRow.person_id.in_(person_ids)))
        return {row.person_id: profile_of(row) for row in rows}

    def keep_early(self, person_id: str, envelope: dict[str, Any]) -> None:
        self.session.add(EarlyEventRow(person_id=person_id, envelope=envelope))

    def early_events(self, person_id: str) -> list[dict[str, Any]]:
        rows = list(self.session.scalars(select(EarlyEventRow).where(EarlyEventRow.person_id == person_id)
                                         .order_by(EarlyEventRow.seq)))
        self.session.execute(delete(EarlyEventRow).where(EarlyEventRow.person_id == person_id))
        return [row.envelope for row in rows]


def fill(row: ProfileRow, profile: Profile, now: datetime) -> None:
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


def profile_of(row: ProfileRow) -> Profile:
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
