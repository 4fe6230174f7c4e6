"""Loads and saves registration aggregates; turns the visibility policy into SQL for lists."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, bindparam, false, or_, select, true
from sqlalchemy.engine import Row
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.core.age import YOUNG_PEOPLE_AGE_LIMIT
from services.core.db import UniqueKeyTaken
from services.registration.adapters.orm import NirConflictRow, RegistrationRow
from services.registration.domain.identity_match import Candidate
from services.registration.domain.model import Registration, Territory
from services.core.person_policy import RELATIONS_BY_ORG_TYPE, Relation
from services.registration.domain.policy import Audience
from services.registration.domain.repository import ListQuery


_TABLE = RegistrationRow.__table__
# One statement for every read by id (the direct read, the person's own): its compiled form is cached
# once; each call binds the id.
_BY_ID = select(_TABLE).where(_TABLE.c.id == bindparam("id"))


class RegistrationRepository:
    """The `Registrations` port on the service's database."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, registration_id: str, *, for_update: bool = False) -> Registration | None:
        if not for_update:  # a read: the table's row as is, no ORM object to build, track and expire
            row = self.session.execute(_BY_ID, {"id": registration_id}).first()
            return _to_domain(row) if row else None
        row = self.session.scalar(select(RegistrationRow).where(RegistrationRow.id == registration_id).with_for_update())
        return _to_domain(row) if row else None

    def by_nir_fingerprint(self, fingerprint: str) -> Registration | None:
        row = self.session.scalar(select(RegistrationRow).where(RegistrationRow.nir_fingerprint == fingerprint))
        return _to_domain(row) if row else None

    def born_on(self, birth_date: date, limit: int = 200) -> list[Registration]:
        rows = self.session.scalars(
            select(RegistrationRow).where(RegistrationRow.birth_date == birth_date).limit(limit)
        )
        return [_to_domain(row) for row in rows]

    def identities_born_on(self, birth_date: date) -> list[Candidate]:
        rows = self.session.execute(
            select(RegistrationRow.id, RegistrationRow.sections).where(RegistrationRow.birth_date == birth_date))
        return [Candidate(row.id, row.sections["identity"]) for row in rows]

    def add(self, registration: Registration) -> None:
        self._write(lambda: self.session.add(_to_row(registration, RegistrationRow())))

    def save(self, registration: Registration) -> None:
        self._write(lambda: _to_row(registration, self.session.get(RegistrationRow, registration.id)))

    def _write(self, change) -> None:
        """Write now, in a savepoint, so a unique key taken by a concurrent transaction surfaces
        here (as `UniqueKeyTaken`) rather than as a failed commit the caller cannot explain."""
        try:
            with self.session.begin_nested():
                change()
        except IntegrityError as exc:
            raise UniqueKeyTaken() from exc

    def list(self, query: ListQuery, audience: Audience, today: date) -> list[Registration]:
        statement = select(RegistrationRow).where(_known(audience, today))
        if query.departement_code:
            statement = statement.where(RegistrationRow.departement_code == query.departement_code)
        if query.registered_from:
            statement = statement.where(RegistrationRow.registered_at >= query.registered_from)
        if query.registered_to:
            statement = statement.where(RegistrationRow.registered_at < query.registered_to)
        if query.status:
            statement = statement.where(RegistrationRow.status == query.status)
        if query.after:
            created_at, last_id = query.after
            statement = statement.where(or_(
                RegistrationRow.created_at > created_at,
                and_(RegistrationRow.created_at == created_at, RegistrationRow.id > last_id),
            ))
        statement = statement.order_by(RegistrationRow.created_at, RegistrationRow.id).limit(query.limit)
        return [_to_domain(row) for row in self.session.scalars(statement)]


class NirConflictRepository:
    """The `NirConflicts` port on the service's database, shared by every replica."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, client_id: str, at: datetime) -> None:
        self.session.add(NirConflictRow(client_id=client_id, at=at))

    def since(self, client_id: str, start: datetime) -> list[datetime]:
        return list(self.session.scalars(select(NirConflictRow.at).where(
            NirConflictRow.client_id == client_id, NirConflictRow.at >= start)))


def _known(audience: Audience, today: date) -> ColumnElement[bool]:
    """The SQL twin of `Audience.covers` (the platform's rule on the registration's facts), so a page
    only ever holds people the organisation may know."""
    org = audience.org
    in_territory = RegistrationRow.departement_code.in_(org.territories)
    held = {
        Relation.OPERATOR: true(),
        Relation.RSA_DEPARTEMENT: and_(in_territory, RegistrationRow.rsa_recipient.is_(True)),
        Relation.RSA_CAF: and_(in_territory, RegistrationRow.rsa_recipient.is_(True)),
        Relation.COUNTER: and_(in_territory, _counter_public(org.org_type, today)),
    }
    return or_(false(), *(held[r] for r in RELATIONS_BY_ORG_TYPE.get(org.org_type, ()) if r in held))


def _counter_public(org_type: str, today: date) -> ColumnElement[bool]:
    """The SQL twin of `person_policy.in_counter_public`."""
    if org_type == "mission_locale":
        return RegistrationRow.birth_date > _years_before(today, YOUNG_PEOPLE_AGE_LIMIT)
    return RegistrationRow.executive.is_(True) if org_type == "apec" else false()


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _to_row(registration: Registration, row: RegistrationRow) -> RegistrationRow:
    row.id = registration.id
    row.status = registration.status
    row.channel = registration.channel
    row.version = registration.version
    row.commune_code = registration.territory.commune_code
    row.departement_code = registration.territory.departement_code
    row.region_code = registration.territory.region_code
    row.birth_date = registration.birth_date
    row.rsa_recipient = registration.rsa_recipient
    row.rqth = registration.rqth
    row.executive = registration.executive
    row.nir_fingerprint = registration.nir_fingerprint
    row.nir_masked = registration.nir_masked
    row.possible_duplicate_of = registration.possible_duplicate_of
    row.sections = registration.sections
    row.created_at = registration.created_at
    row.updated_at = registration.updated_at
    row.registered_at = registration.registered_at
    return row


def _to_domain(row: RegistrationRow | Row) -> Registration:
    return Registration(
        id=row.id, status=row.status, channel=row.channel, sections=row.sections,
        territory=Territory(row.commune_code, row.departement_code, row.region_code),
        created_at=row.created_at, updated_at=row.updated_at, registered_at=row.registered_at,
        nir_fingerprint=row.nir_fingerprint, nir_masked=row.nir_masked,
        possible_duplicate_of=row.possible_duplicate_of, version=row.version,
    )
