"""Use cases of orientation decisions and referentials: one method per command or event.

Handlers receive the caller's unit of work (its repositories and event sink) and never commit: a
decision, its outbox event and the idempotency record commit together or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.core.db import UniqueKeyTaken
from services.core.errors import Forbidden, InvalidTransition, NotFound, RuleBroken
from services.core.identity import Caller
from services.core.referentials.geo import GeoReferential
from services.orientation.adapters.files import shipped_referential
from services.orientation.domain import referential as ref
from services.orientation.domain.directory import Directory
from services.orientation.domain.model import Choice, Orientation, Person
from services.orientation.domain.policy import has_rsa_authority, may_see
from services.orientation.domain.referential import ReferentialVersion
from services.orientation.domain.rules import evaluate
from services.orientation.domain.whatif import Counts, Placement, compare
from services.orientation.service.accesses import tell_access
from services.orientation.service.ports import OrientationUnitOfWork, Transactions
from services.orientation.service.publishing import decision_messages, publish_decisions

DOCUMENT_KEYS = {"title", "source", "major_barriers", "required_answers", "contradictions", "pathway", "referent",
                 "intensity", "eligibility", "rsa"}
NOT_VISIBLE = "No orientation of this person is visible to your organisation."


@dataclass
class OrientationService:
    directory: Directory
    geo: GeoReferential
    clock: Callable[[], datetime]
    _parsed: dict[tuple, ref.Referential] = field(default_factory=dict, repr=False)

    # -- events --------------------------------------------------------------------------------
    def on_person(self, uow: OrientationUnitOfWork, data: dict[str, Any]) -> None:
        self.on_people(uow, [data])

    def on_people(self, uow: OrientationUnitOfWork, told: list[dict[str, Any]]) -> None:
        """Registrations (or their corrections), in the order told: keep the facts; orient a newly
        registered person. A known person keeps their orientation: changing it is a re-orientation,
        by a counsellor. The people of a run are loaded together and stored together (one at a time
        held the consumer to a few hundred a second)."""
        # A pre-registration is not oriented until the person confirms it.
        people = [person_from_event(data) for data in told if data["status"] == "registered" and data.get("registered_at")]
        if not people:
            return
        orientations = uow.orientations.get_many({person.person_id for person in people}, for_update=True)
        decided = []
        for person in people:
            known = orientations.get(person.person_id)
            if known is not None:
                known.person = person
                continue
            orientations[person.person_id] = orientation = self._decide(uow, Orientation(person))
            decided.extend(decision_messages(orientation))  # told with the facts it was taken on
        uow.orientations.save_all(orientations.values())
        uow.events.emit_all(decided)
        for orientation in orientations.values():
            orientation.events.clear()

    # -- commands ------------------------------------------------------------------------------
    def validate(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str, amendment: Choice | None,
                 reason: str | None, comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        orientation = self._for_change(uow, caller, person_id, check_version)
        if not has_rsa_authority(caller, orientation):
            raise Forbidden("Only the département of residence decides the orientation of a person who is an RSA "
                            "recipient now.")
        referential = self.referential_for(uow, orientation.person.departement_code)
        org_id = self._org_id(orientation, amendment.org_type) if amendment else ""
        orientation.validate(referential, amendment, org_id, caller.org_id, self.clock(), reason, comment)
        return self._told(uow, caller, self._store(uow, orientation), "validate_orientation")

    def record_interview(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str, choice: Choice,
                         comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        orientation = self._for_change(uow, caller, person_id, check_version)
        referential = self.referential_for(uow, orientation.person.departement_code)
        orientation.record_interview(referential, choice, self._org_id(orientation, choice.org_type), caller.org_id,
                                     has_rsa_authority(caller, orientation), self.clock(), comment)
        return self._told(uow, caller, self._store(uow, orientation), "record_interview")

    def state_preference(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str, org_type: str,
                         check_version: Callable[[int], None]) -> Orientation:
        """The person's preference re-runs the rules while the orientation is not final."""
        orientation = self._for_change(uow, caller, person_id, check_version)
        if orientation.is_final(uow.appointments.has_appointment(person_id)):
            raise InvalidTransition("The orientation is final (decided by a person, or a first appointment is "
                                    "booked); a change of organisation is now a re-orientation.")
        orientation.preferred_org_type = org_type
        return self._told(uow, caller, self._apply_rules(uow, orientation), "state_preference")

    def reorient(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str, choice: Choice, reason: str,
                 comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        orientation = self._for_change(uow, caller, person_id, check_version)
        referential = self.referential_for(uow, orientation.person.departement_code)
        orientation.reorient(referential, choice, self._org_id(orientation, choice.org_type), caller.org_id,
                             has_rsa_authority(caller, orientation), self.clock(), reason, comment)
        return self._told(uow, caller, self._store(uow, orientation), "reorient")

    def apply_overdue_fallbacks(self, transactions: Transactions, now: datetime) -> int:
        """Proposals the département did not decide in time become decisions (the periodic job).
        One transaction per person, re-checked under its row lock: safe with several replicas and
        against a département deciding at the same moment."""
        with transactions() as uow:
            overdue = uow.orientations.overdue_proposals(now)
        applied = 0
        for person_id in overdue:
            with transactions() as uow:
                orientation = uow.orientations.get(person_id, for_update=True)
                if orientation is not None and orientation.fall_back(now):
                    self._store(uow, orientation)
                    applied += 1
        return applied

    # -- queries -------------------------------------------------------------------------------
    def get(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str) -> Orientation:
        orientation = uow.orientations.get(person_id)
        if orientation is None or not may_see(caller, orientation, self.clock().date()):
            raise NotFound(NOT_VISIBLE)
        return self._told(uow, caller, orientation, "read_orientation")

    def own(self, uow: OrientationUnitOfWork, person: Caller) -> Orientation:
        """The person's own orientation, named by their token."""
        orientation = uow.orientations.get(person.person_id) if person.is_person else None
        if orientation is None:
            raise NotFound("You are not oriented yet: orientation follows registration within days.")
        return orientation

    # -- referentials --------------------------------------------------------------------------
    def referential_for(self, uow: OrientationUnitOfWork, departement_code: str) -> ref.Referential:
        """The referential in force for a person living in this département."""
        national = self.stored_referential(uow, ref.NATIONAL)
        override = self.stored_referential(uow, departement_code)
        return self._parse(national, override)

    def stored_referential(self, uow: OrientationUnitOfWork, territory: str) -> ReferentialVersion | None:
        """The latest version; the shipped file becomes version 1 the first time it is needed, so
        decisions always cite a version whose text the database keeps."""
        latest = uow.referentials.latest(territory)
        if latest is not None:
            return latest
        document = shipped_referential(territory)
        if document is None:
            return None
        try:
            uow.referentials.add(ReferentialVersion(territory, 1, document, "Default shipped with the platform.",
                                                    "platform", self.clock()))
        except UniqueKeyTaken:
            pass  # a concurrent transaction stored it first
        return uow.referentials.latest(territory)

    def referential_versions(self, uow: OrientationUnitOfWork, territory: str, before: int | None,
                             limit: int) -> list[ReferentialVersion]:
        self.stored_referential(uow, territory)  # the shipped version is version 1 of the history
        return uow.referentials.versions(territory, before, limit)

    def put_referential(self, uow: OrientationUnitOfWork, caller: Caller, territory: str, document: dict[str, Any],
                        comment: str | None, check_version: Callable[[int], None]) -> ReferentialVersion:
        if not caller.is_admin:
            raise Forbidden("Changing a referential requires the admin scope.")
        self.check_territory(territory)
        latest = self.stored_referential(uow, territory)
        check_version(latest.version if latest else 0)
        if latest is not None and latest.document == document:
            return latest  # PUT is idempotent: the same text again is not a new version
        unknown = sorted(set(document) - DOCUMENT_KEYS)
        if unknown:
            raise ref.InvalidReferential(unknown[0], "unknown section")
        version = (latest.version if latest else 0) + 1
        candidate = ReferentialVersion(territory, version, document, comment, caller.client_id, self.clock())
        probe = ReferentialVersion(territory, 0, document)  # checked, never cached
        if territory == ref.NATIONAL:
            self._parse(probe, None)
            for other in uow.referentials.territories():  # every override must still apply over it
                if other != ref.NATIONAL:
                    self._parse(probe, uow.referentials.latest(other))
        else:
            self._parse(self.stored_referential(uow, ref.NATIONAL), probe)
        try:
            uow.referentials.add(candidate)
        except UniqueKeyTaken:
            raise InvalidTransition("Another version of this referential was stored meanwhile; read it again.") from None
        return candidate

    def what_if(self, uow: OrientationUnitOfWork, caller: Caller, territory: str,
                document: dict[str, Any]) -> dict[str, Any]:
        """Replays a candidate document over the stored population, comparing with the referential
        in force; changes nothing (a preference or an interview is not replayed: rules only)."""
        self.check_territory(territory)
        if not (caller.org_type == "france_travail" or (caller.org_type == "departement"
                                                        and territory in caller.territories)):
            raise Forbidden("France Travail simulates any referential; a département, its own override.")
        national = self.stored_referential(uow, ref.NATIONAL)
        candidate = ReferentialVersion(territory, 0, document)
        nationwide = territory == ref.NATIONAL
        self._parse(candidate, None) if nationwide else self._parse(national, candidate)  # 422 before any work
        pairs: dict[str, tuple[ref.Referential, ref.Referential]] = {}

        def referentials(code: str) -> tuple[ref.Referential, ref.Referential]:
            if code not in pairs:
                override = self.stored_referential(uow, code)
                pairs[code] = (self._parse(national, override),
                               self._parse(candidate, override) if nationwide else self._parse(national, candidate))
            return pairs[code]

        now = self.clock()

        def placement(person: Person, referential: ref.Referential) -> Placement:
            outcome = evaluate(referential, person.facts(now))
            org = self.directory.competent(outcome.org_type, person.commune_code, person.departement_code) \
                if outcome.org_type else None
            return Placement(outcome.pathway, org.org_id if org else None)

        people = list(uow.orientations.people(None if nationwide else territory))
        totals, by_departement = compare(people, lambda p: placement(p, referentials(p.departement_code)[0]),
                                         lambda p: placement(p, referentials(p.departement_code)[1]))
        return {"territory": territory, **_counts(totals),
                "by_departement": [{"departement_code": code, **_counts(c)} for code, c in by_departement.items()]}

    def check_territory(self, territory: str) -> None:
        if territory != ref.NATIONAL and self.geo.departement(territory) is None:
            raise RuleBroken("A territory is 'national' or a département code.", field="territory")

    # -- helpers -------------------------------------------------------------------------------
    def _parse(self, national: ReferentialVersion, override: ReferentialVersion | None) -> ref.Referential:
        """The merged, checked referential; stored versions never change, so they are parsed once
        (a what-if candidate, version 0, is parsed each time)."""
        key = (national.version, override.territory if override else None, override.version if override else None)
        cacheable = bool(national.version) and (override is None or bool(override.version))
        if cacheable and key in self._parsed:
            return self._parsed[key]
        document = ref.deep_merge(national.document, override.document) if override else national.document
        parsed = ref.parse(document, override.territory if override else ref.NATIONAL,
                           override.version if override else national.version, national.version)
        if cacheable:
            self._parsed[key] = parsed
        return parsed

    def _for_change(self, uow: OrientationUnitOfWork, caller: Caller, person_id: str,
                    check_version: Callable[[int], None]) -> Orientation:
        orientation = uow.orientations.get(person_id, for_update=True)
        if orientation is None or not may_see(caller, orientation, self.clock().date()):
            raise NotFound(NOT_VISIBLE)
        check_version(orientation.version)
        return orientation

    def _org_id(self, orientation: Orientation, org_type: str) -> str:
        person = orientation.person
        org = self.directory.competent(org_type, person.commune_code, person.departement_code)
        if org is None:
            raise RuleBroken(f"No {org_type} organisation is listed for département {person.departement_code}.",
                             field="referent_org_type")
        return org.org_id

    def _apply_rules(self, uow: OrientationUnitOfWork, orientation: Orientation) -> Orientation:
        return self._store(uow, self._decide(uow, orientation))

    def _decide(self, uow: OrientationUnitOfWork, orientation: Orientation) -> Orientation:
        """The rules' decision, taken by the orientation, not stored yet."""
        person, now = orientation.person, self.clock()
        referential = self.referential_for(uow, person.departement_code)
        outcome = evaluate(referential, person.facts(now), orientation.preferred_org_type)
        org = self.directory.competent(outcome.org_type, person.commune_code, person.departement_code) \
            if outcome.org_type else None
        orientation.apply_rules(referential, outcome, org.org_id if org else None, now)
        return orientation

    def _told(self, uow: OrientationUnitOfWork, caller: Caller, orientation: Orientation, action: str) -> Orientation:
        """The organisation's access, told to the person's access log in the same transaction."""
        tell_access(uow.events, caller, [orientation.person.person_id], action, self.clock())
        return orientation

    @staticmethod
    def _store(uow: OrientationUnitOfWork, orientation: Orientation) -> Orientation:
        uow.orientations.save(orientation)
        publish_decisions(uow.events, orientation)
        return orientation


def person_from_event(data: dict[str, Any]) -> Person:
    situation, answers = data["situation"], data.get("pre_diagnostic")
    return Person(
        person_id=data["registration_id"], birth_date=date.fromisoformat(data["identity"]["birth_date"]),
        commune_code=data["territory"]["commune_code"], departement_code=data["territory"]["departement_code"],
        rsa_recipient=bool(situation["rsa_recipient"]), rqth=bool(situation["rqth"]),
        executive=bool(data["skills"]["executive_experience"]),
        # Only the answers the rules read are kept.
        pre_diagnostic={k: v for k, v in answers.items() if k in ref.ANSWERS} if answers is not None else None,
        registered_at=datetime.fromisoformat(data["registered_at"].replace("Z", "+00:00")),
    )


def _counts(counts: Counts) -> dict[str, int]:
    return {"population": counts.population, "pathway_changed": counts.pathway_changed,
            "organisation_changed": counts.organisation_changed, "changed": counts.changed}
