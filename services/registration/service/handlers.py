"""Use cases of the registration service: one function per command, one transaction each.

Handlers receive the caller's unit of work (repositories and events sink) and never commit: the
registration, its outbox events and the idempotency record commit together or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.core.access_log import access_recorded
from services.core.db import UniqueKeyTaken
from services.core.errors import Forbidden, NotFound, RuleBroken
from services.core.health_data import REGISTRATION_PATHS, without_health
from services.core.identity import Caller
from services.core.merge_patch import merge_patch
from services.core.outbox import PendingEvent
from services.core.referentials.geo import GeoReferential
from services.registration.domain import events
from services.registration.domain.identity_match import IdentityClaims, the_one_matching
from services.registration.domain.model import AlreadyRegistered, Registration, Territory, contact_of
from services.registration.domain.names import PersonKey, is_likely_duplicate
from services.registration.domain.nir import InvalidNir, mask_nir, nir_fingerprint, parse_nir
from services.registration.domain.nir_conflicts import ConflictAllowance
from services.registration.domain.policy import audience_of, may_read, may_write, visible_sections
from services.registration.domain.repository import ListQuery, Registrations
from services.registration.published import (
    ACCESS_RECORDED, CONTACT_CHANGED, PERSON_HEALTH, PERSON_REGISTERED, PERSON_UPDATED,
)
from services.registration.service.accesses import tell_access
from services.registration.service.sections import Contact
from services.registration.service.unit_of_work import RegistrationUnitOfWork

EVENT_TYPES = {events.PersonRegistered: PERSON_REGISTERED, events.PersonUpdated: PERSON_UPDATED}
NOT_VISIBLE = "No registration with this id is visible to your organisation."
NOT_REGISTERED = "No registration is yours on the platform (any longer)."


@dataclass
class RegistrationService:
    geo: GeoReferential
    pii_secret: bytes
    validate: Callable[[dict[str, Any]], dict[str, Any]]  # full sections, as the API contract defines them
    clock: Callable[[], datetime]
    nir_allowance: ConflictAllowance = ConflictAllowance()

    # -- commands ----------------------------------------------------------------------------
    def register(self, uow: RegistrationUnitOfWork, caller: Caller, sections: dict[str, Any], channel: str,
                 registration_id: str) -> Registration:
        repo = uow.registrations
        registration = Registration.new(registration_id, self._without_nir(sections), self.territory_of(sections), channel,
                                        self.clock())
        self._identify(uow, caller, registration, sections)
        if not may_write(caller, registration, self.today()):
            raise Forbidden("This person lives outside the territories or public your organisation may register.")
        self._store(caller, repo, repo.add, registration)
        self._publish(uow, registration)
        tell_access(uow.events, caller, [registration.id], "register", self.clock(), shown=visible_sections(caller))
        return registration

    def record_nir_conflict(self, uow: RegistrationUnitOfWork, caller: Caller, refused: AlreadyRegistered,
                            action: str) -> None:
        """An attempt refused because its NIR is another person's: told to that person's access log,
        and, when the caller may not see them, counted against the client's allowance (a conflict on
        a person it sees anyway teaches it nothing)."""
        now = self.clock()
        if not refused.visible:
            uow.nir_conflicts.record(caller.client_id, now)
        uow.events.emit(ACCESS_RECORDED, refused.existing_id, access_recorded(
            refused.existing_id, caller, service="registration", action=action, access="refused",
            sections=["identity"], purpose=None, reason="The NIR given is this person's, already registered.",
            at=now))

    def correct(self, uow: RegistrationUnitOfWork, caller: Caller, registration_id: str, changes: dict[str, Any],
                check_version: Callable[[int], None]) -> Registration:
        return self._change(uow, caller, registration_id, changes, check_version, Registration.correct,
                            "correct_registration")

    def confirm(self, uow: RegistrationUnitOfWork, caller: Caller, registration_id: str, changes: dict[str, Any],
                check_version: Callable[[int], None]) -> Registration:
        return self._change(uow, caller, registration_id, changes, check_version, Registration.confirm,
                            "confirm_registration")

    def correct_own_contact(self, uow: RegistrationUnitOfWork, person: Caller, changes: dict[str, Any],
                            check_version: Callable[[int], None]) -> Registration:
        """The person corrects how to reach them (merge patch of the contact section): their own
        registration, named by their token, never by the request."""
        registration = uow.registrations.get(_own_id(person), for_update=True)
        if registration is None:
            raise NotFound(NOT_REGISTERED)
        check_version(registration.version)
        # The contact alone is validated: a pre-registration's other sections may still be incomplete.
        contact = Contact.model_validate(merge_patch(registration.sections.get("contact") or {}, changes))
        registration.correct({**registration.sections, "contact": contact.model_dump(mode="json")},
                             registration.territory, self.clock())
        uow.registrations.save(registration)
        self._publish(uow, registration)
        return registration

    def prefill(self, uow: RegistrationUnitOfWork, registration_id: str, sections: dict[str, Any]) -> Registration:
        """A partner's fact ("dites-le nous une fois") becomes a pre-registration to confirm."""
        repo = uow.registrations
        registration = Registration.new(registration_id, sections, self.territory_of(sections), "partner_prefill",
                                        self.clock(), pre_registration=True)
        self._identify(uow, None, registration, sections)
        self._store(None, repo, repo.add, registration)
        return registration

    # -- queries -----------------------------------------------------------------------------
    def get(self, uow: RegistrationUnitOfWork, caller: Caller, registration_id: str) -> Registration:
        registration = uow.registrations.get(registration_id)
        if registration is None or not may_read(caller, registration, self.today()):
            raise NotFound(NOT_VISIBLE)
        tell_access(uow.events, caller, [registration.id], "read_registration", self.clock(),
                    shown=visible_sections(caller))
        return registration

    def match_identity(self, uow: RegistrationUnitOfWork, claims: IdentityClaims) -> str:
        """The person an identity provider's claims name (after an OpenID Connect login), never by NIR."""
        return the_one_matching(claims, uow.registrations.identities_born_on(claims.birth_date))

    def own(self, uow: RegistrationUnitOfWork, person: Caller) -> Registration:
        """The person's own registration, whichever organisation registered them."""
        registration = uow.registrations.get(_own_id(person))
        if registration is None:
            raise NotFound(NOT_REGISTERED)
        return registration

    def list(self, uow: RegistrationUnitOfWork, caller: Caller, query: ListQuery) -> list[Registration]:
        audience = audience_of(caller)
        if audience is None:
            return []
        page = uow.registrations.list(query, audience, self.today())
        tell_access(uow.events, caller, [registration.id for registration in page], "list_registrations",
                    self.clock(), shown=visible_sections(caller))
        return page

    # -- rules -------------------------------------------------------------------------------
    def today(self) -> date:
        return self.clock().date()

    def territory_of(self, sections: dict[str, Any]) -> Territory:
        code = sections["address"]["commune_code"]
        departement_code = self.geo.departement_of_commune_code(code)
        departement = self.geo.departement(departement_code) if departement_code else None
        if departement is None:
            raise RuleBroken("This INSEE commune code does not exist.", field="address.commune_code")
        return Territory(code, departement.code, departement.region_code)

    def _change(self, uow, caller, registration_id, changes, check_version, transition, action: str) -> Registration:
        repo = uow.registrations
        registration = repo.get(registration_id, for_update=True)
        if registration is None or not may_read(caller, registration, self.today()):
            raise NotFound(NOT_VISIBLE)
        if not may_write(caller, registration, self.today()):
            raise Forbidden("Your organisation may read this registration but not change it.")
        check_version(registration.version)
        merged = self.validate(merge_patch(registration.sections, changes))
        nir_given = (changes.get("identity") or {}).get("nir")
        if nir_given:
            self._identify(uow, caller, registration, merged)
        transition(registration, self._without_nir(merged), self.territory_of(merged), self.clock())
        if not may_write(caller, registration, self.today()):
            raise Forbidden("After this change the person would be outside what your organisation may manage.")
        self._store(caller, repo, repo.save, registration)
        self._publish(uow, registration)
        tell_access(uow.events, caller, [registration.id], action, self.clock(), shown=visible_sections(caller))
        return registration

    def _store(self, caller: Caller | None, repo: Registrations, write, registration: Registration) -> None:
        """Write; if a concurrent registration of the same NIR committed first, say so (409)."""
        try:
            write(registration)
        except UniqueKeyTaken:
            holder = repo.by_nir_fingerprint(registration.nir_fingerprint) if registration.nir_fingerprint else None
            if holder is None or holder.id == registration.id:
                raise  # the same id: a concurrent retry with the same Idempotency-Key, replayed upstream
            raise self._already_registered(caller, holder) from None

    def _already_registered(self, caller: Caller | None, holder: Registration) -> AlreadyRegistered:
        return AlreadyRegistered(holder.id, visible=caller is not None and may_read(caller, holder, self.today()))

    def _identify(self, uow: RegistrationUnitOfWork, caller: Caller | None, registration: Registration,
                  sections: dict[str, Any]) -> None:
        """NIR check and matching, or likely-duplicate flag when there is no NIR to tell."""
        repo = uow.registrations
        raw_nir = sections["identity"].get("nir")
        if raw_nir:
            if caller is not None:  # a partner's fact (no caller) carries no NIR to probe with
                now = self.clock()
                self.nir_allowance.check(uow.nir_conflicts.since(caller.client_id, now - self.nir_allowance.window),
                                         now)
            try:
                nir = parse_nir(raw_nir)
            except InvalidNir as exc:
                raise RuleBroken(str(exc), field="identity.nir") from exc
            _check_nir_matches_identity(nir, sections["identity"])
            fingerprint = nir_fingerprint(nir, self.pii_secret)
            existing = repo.by_nir_fingerprint(fingerprint)
            if existing is not None and existing.id != registration.id:
                raise self._already_registered(caller, existing)
            registration.nir_fingerprint = fingerprint
            registration.nir_masked = mask_nir(nir)
            registration.possible_duplicate_of = None
            return
        if registration.nir_fingerprint:
            return
        candidate = _person_key(sections["identity"])
        for other in repo.born_on(candidate.birth_date):
            if other.id != registration.id and is_likely_duplicate(candidate, _person_key(other.sections["identity"])):
                registration.possible_duplicate_of = other.id
                return

    def _publish(self, uow: RegistrationUnitOfWork, registration: Registration) -> None:
        """The aggregate's events, emitted in the caller's unit of work (on the database: outbox rows
        of its transaction): each broadcast without health data, with its twin carrying the health
        data on the restricted topic."""
        data = event_data(registration, self.today())
        uow.events.emit_all([pending for event in registration.events for pending in _pending(event, registration, data)])
        registration.events.clear()

    @staticmethod
    def _without_nir(sections: dict[str, Any]) -> dict[str, Any]:
        identity = {k: v for k, v in sections["identity"].items() if k != "nir"}
        return {**sections, "identity": identity}


def _own_id(person: Caller) -> str:
    if not person.is_person:  # the routes' dependency already refused it: a second lock on the door
        raise Forbidden("Only the person themselves reaches their own registration this way.")
    return person.person_id


def _pending(event: events.Event, registration: Registration, data: dict[str, Any]) -> list[PendingEvent]:
    if isinstance(event, events.ContactChanged):
        # On its own topic, read by the notifications service alone: the contact and nothing else.
        return [PendingEvent(CONTACT_CHANGED, registration.id,
                             {"person_id": registration.id, **contact_of(registration.sections)})]
    return [PendingEvent(EVENT_TYPES[type(event)], registration.id, without_health(data, REGISTRATION_PATHS)),
            PendingEvent(PERSON_HEALTH, registration.id, data)]


def _check_nir_matches_identity(nir, identity: dict[str, Any]) -> None:
    born = date.fromisoformat(str(identity["birth_date"]))
    if nir.birth_year_2 != f"{born.year % 100:02d}":
        raise RuleBroken("The NIR does not match the birth year.", field="identity.nir")
    if nir.birth_month.isdigit() and 1 <= int(nir.birth_month) <= 12 and int(nir.birth_month) != born.month:
        raise RuleBroken("The NIR does not match the birth month.", field="identity.nir")
    sex = identity.get("sex")
    if sex and nir.sex in "12" and {"1": "M", "2": "F"}[nir.sex] != sex:
        raise RuleBroken("The NIR does not match the declared sex.", field="identity.nir")


def _person_key(identity: dict[str, Any]) -> PersonKey:
    return PersonKey(
        last_name=identity["last_name"], first_names=tuple(identity["first_names"]),
        birth_date=date.fromisoformat(str(identity["birth_date"])), usage_name=identity.get("usage_name"),
    )


def event_data(registration: Registration, today: date) -> dict[str, Any]:
    """What other services are told: enough to orient and follow the person, never the NIR; health
    data included, for the restricted topic only."""
    s = registration.sections
    identity = s["identity"]
    return {
        "registration_id": registration.id,
        "status": registration.status,
        "channel": registration.channel,
        "registered_at": registration.registered_at.isoformat() if registration.registered_at else None,
        "identity": {
            "last_name": identity["last_name"], "usage_name": identity.get("usage_name"),
            "first_names": identity["first_names"], "birth_date": str(identity["birth_date"]),
            "sex": identity.get("sex"),
        },
        "territory": {
            "commune_code": registration.territory.commune_code,
            "departement_code": registration.territory.departement_code,
            "region_code": registration.territory.region_code,
        },
        "situation": {**s["situation"], "under_26": registration.under_26_on(today)},
        "skills": {"executive_experience": bool(s.get("skills", {}).get("executive_experience"))},
        "pre_diagnostic": s.get("pre_diagnostic"),
        "possible_duplicate_of": registration.possible_duplicate_of,
    }
