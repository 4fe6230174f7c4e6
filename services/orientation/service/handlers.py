"""Use cases of orientation decisions and referentials: one method per command or event.

Handlers receive an open session (the caller's unit of work) and never commit: a decision, its
outbox event and the idempotency record commit together or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from services.core.db import Database, UniqueKeyTaken
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.core.referentials.geo import GeoReferential
from services.orientation.adapters.files import shipped_referential
from services.orientation.adapters.orm import ReferentialRow
from services.orientation.adapters.repository import OrientationRepository
from services.orientation.domain import referential as ref
from services.orientation.domain.directory import Directory
from services.orientation.domain.model import (
    MADE, Choice, Decision, InvalidTransition, Orientation, OrientationError, Person,
)
from services.orientation.domain.policy import is_departement_of, may_see
from services.orientation.domain.rules import evaluate
from services.orientation.domain.whatif import Counts, Placement, compare

TOPIC = "orientation.decisions.v1"
EVENT_TYPES = {MADE: "orientation.decision.made.v1", "reoriented": "orientation.decision.reoriented.v1"}
DOCUMENT_KEYS = {"title", "source", "major_barriers", "required_answers", "contradictions", "pathway", "referent",
                 "intensity", "eligibility", "rsa"}


class NotFound(Exception):
    """Unknown, or not visible to this caller: the two are indistinguishable on purpose."""


class Forbidden(Exception):
    pass


@dataclass
class OrientationService:
    outbox: Outbox
    directory: Directory
    geo: GeoReferential
    clock: Callable[[], datetime]
    _parsed: dict[tuple, ref.Referential] = field(default_factory=dict, repr=False)

    # -- events --------------------------------------------------------------------------------
    def on_person(self, session: Session, data: dict[str, Any]) -> None:
        """A registration (or its correction): keep the facts; orient a newly registered person.
        A known person keeps their orientation: changing it is a re-orientation, by a counsellor."""
        if data["status"] != "registered" or not data.get("registered_at"):
            return  # a pre-registration is not oriented until the person confirms it
        repo = OrientationRepository(session)
        person = person_from_event(data)
        orientation = repo.get(person.person_id, for_update=True)
        if orientation is not None:
            orientation.person = person
            repo.save(orientation)
            return
        self._apply_rules(session, repo, Orientation(person))

    # -- commands ------------------------------------------------------------------------------
    def validate(self, session: Session, caller: Caller, person_id: str, amendment: Choice | None,
                 reason: str | None, comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        repo, orientation = self._for_change(session, caller, person_id, check_version)
        if not is_departement_of(caller, orientation):
            raise Forbidden("Only the département of residence decides the orientation of an RSA recipient.")
        referential = self.referential_for(repo, orientation.person.departement_code)
        org_id = self._org_id(orientation, amendment.org_type) if amendment else ""
        orientation.validate(referential, amendment, org_id, caller.org_id, self.clock(), reason, comment)
        return self._store(session, repo, orientation)

    def record_interview(self, session: Session, caller: Caller, person_id: str, choice: Choice,
                         comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        repo, orientation = self._for_change(session, caller, person_id, check_version)
        referential = self.referential_for(repo, orientation.person.departement_code)
        orientation.record_interview(referential, choice, self._org_id(orientation, choice.org_type), caller.org_id,
                                     is_departement_of(caller, orientation), self.clock(), comment)
        return self._store(session, repo, orientation)

    def state_preference(self, session: Session, caller: Caller, person_id: str, org_type: str,
                         check_version: Callable[[int], None]) -> Orientation:
        """The person's preference re-runs the rules while the orientation is not final."""
        repo, orientation = self._for_change(session, caller, person_id, check_version)
        if orientation.is_final(repo.has_appointment(person_id)):
            raise InvalidTransition("The orientation is final (decided by a person, or a first appointment is "
                                    "booked); a change of organisation is now a re-orientation.")
        orientation.preferred_org_type = org_type
        return self._apply_rules(session, repo, orientation)

    def reorient(self, session: Session, caller: Caller, person_id: str, choice: Choice, reason: str,
                 comment: str | None, check_version: Callable[[int], None]) -> Orientation:
        repo, orientation = self._for_change(session, caller, person_id, check_version)
        referential = self.referential_for(repo, orientation.person.departement_code)
        orientation.reorient(referential, choice, self._org_id(orientation, choice.org_type), caller.org_id,
                             is_departement_of(caller, orientation), self.clock(), reason, comment)
        return self._store(session, repo, orientation)

    def apply_overdue_fallbacks(self, db: Database, now: datetime) -> int:
        """Proposals the département did not decide in time become decisions (the periodic job).
        One transaction per person, re-checked under its row lock: safe with several replicas and
        against a département deciding at the same moment."""
        with db.transaction() as session:
            overdue = OrientationRepository(session).overdue_proposals(now)
        applied = 0
        for person_id in overdue:
            with db.transaction() as session:
                repo = OrientationRepository(session)
                orientation = repo.get(person_id, for_update=True)
                if orientation is not None and orientation.fall_back(now):
                    self._store(session, repo, orientation)
                    applied += 1
        return applied

    # -- queries -------------------------------------------------------------------------------
    def get(self, session: Session, caller: Caller, person_id: str) -> Orientation:
        orientation = OrientationRepository(session).get(person_id)
        if orientation is None or not may_see(caller, orientation):
            raise NotFound(person_id)
        return orientation

    # -- referentials --------------------------------------------------------------------------
    def referential_for(self, repo: OrientationRepository, departement_code: str) -> ref.Referential:
        """The referential in force for a person living in this département."""
        national = self.stored_referential(repo, ref.NATIONAL)
        override = self.stored_referential(repo, departement_code)
        return self._parse(national, override)

    def stored_referential(self, repo: OrientationRepository, territory: str) -> ReferentialRow | None:
        """The latest version; the shipped file becomes version 1 the first time it is needed, so
        decisions always cite a version whose text the database keeps."""
        row = repo.latest_referential(territory)
        if row is not None:
            return row
        document = shipped_referential(territory)
        if document is None:
            return None
        try:
            repo.add_referential(ReferentialRow(territory=territory, version=1, document=document, created_by="platform",
                                                comment="Default shipped with the platform.", created_at=self.clock()))
        except UniqueKeyTaken:
            pass  # a concurrent transaction stored it first
        return repo.latest_referential(territory)

    def put_referential(self, session: Session, caller: Caller, territory: str, document: dict[str, Any],
                        comment: str | None, check_version: Callable[[int], None]) -> ReferentialRow:
        if not caller.has_scope("admin"):
            raise Forbidden("Changing a referential requires the admin scope.")
        self.check_territory(territory)
        repo = OrientationRepository(session)
        latest = self.stored_referential(repo, territory)
        check_version(latest.version if latest else 0)
        if latest is not None and latest.document == document:
            return latest  # PUT is idempotent: the same text again is not a new version
        unknown = sorted(set(document) - DOCUMENT_KEYS)
        if unknown:
            raise ref.InvalidReferential(unknown[0], "unknown section")
        version = (latest.version if latest else 0) + 1
        candidate = ReferentialRow(territory=territory, version=version, document=document, comment=comment,
                                   created_by=caller.client_id, created_at=self.clock())
        probe = ReferentialRow(territory=territory, version=0, document=document)  # checked, never cached
        if territory == ref.NATIONAL:
            self._parse(probe, None)
            for other in repo.referential_territories():  # every override must still apply over it
                if other != ref.NATIONAL:
                    self._parse(probe, repo.latest_referential(other))
        else:
            self._parse(self.stored_referential(repo, ref.NATIONAL), probe)
        try:
            repo.add_referential(candidate)
        except UniqueKeyTaken:
            raise InvalidTransition("Another version of this referential was stored meanwhile; read it again.") from None
        return candidate

    def what_if(self, session: Session, caller: Caller, territory: str, document: dict[str, Any]) -> dict[str, Any]:
        """Replays a candidate document over the stored population, comparing with the referential
        in force; changes nothing (a preference or an interview is not replayed: rules only)."""
        self.check_territory(territory)
        if not (caller.org_type == "france_travail" or (caller.org_type == "departement"
                                                        and territory in caller.territories)):
            raise Forbidden("France Travail simulates any referential; a département, its own override.")
        repo = OrientationRepository(session)
        national = self.stored_referential(repo, ref.NATIONAL)
        candidate = ReferentialRow(territory=territory, version=0, document=document)
        nationwide = territory == ref.NATIONAL
        self._parse(candidate, None) if nationwide else self._parse(national, candidate)  # 422 before any work
        pairs: dict[str, tuple[ref.Referential, ref.Referential]] = {}

        def referentials(code: str) -> tuple[ref.Referential, ref.Referential]:
            if code not in pairs:
                override = self.stored_referential(repo, code)
                pairs[code] = (self._parse(national, override),
                               self._parse(candidate, override) if nationwide else self._parse(national, candidate))
            return pairs[code]

        now = self.clock()

        def placement(person: Person, referential: ref.Referential) -> Placement:
            outcome = evaluate(referential, person.facts(now))
            org = self.directory.competent(outcome.org_type, person.commune_code, person.departement_code) \
                if outcome.org_type else None
            return Placement(outcome.pathway, org.org_id if org else None)

        people = list(repo.people(None if nationwide else territory))
        totals, by_departement = compare(people, lambda p: placement(p, referentials(p.departement_code)[0]),
                                         lambda p: placement(p, referentials(p.departement_code)[1]))
        return {"territory": territory, **_counts(totals),
                "by_departement": [{"departement_code": code, **_counts(c)} for code, c in by_departement.items()]}

    def check_territory(self, territory: str) -> None:
        if territory != ref.NATIONAL and self.geo.departement(territory) is None:
            raise OrientationError("A territory is 'national' or a département code.", field="territory")

    # -- helpers -------------------------------------------------------------------------------
    def _parse(self, national: ReferentialRow, override: ReferentialRow | None) -> ref.Referential:
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

    def _for_change(self, session: Session, caller: Caller, person_id: str,
                    check_version: Callable[[int], None]) -> tuple[OrientationRepository, Orientation]:
        repo = OrientationRepository(session)
        orientation = repo.get(person_id, for_update=True)
        if orientation is None or not may_see(caller, orientation):
            raise NotFound(person_id)
        check_version(orientation.version)
        return repo, orientation

    def _org_id(self, orientation: Orientation, org_type: str) -> str:
        person = orientation.person
        org = self.directory.competent(org_type, person.commune_code, person.departement_code)
        if org is None:
            raise OrientationError(f"No {org_type} organisation is listed for département {person.departement_code}.",
                                   field="referent_org_type")
        return org.org_id

    def _apply_rules(self, session: Session, repo: OrientationRepository, orientation: Orientation) -> Orientation:
        person, now = orientation.person, self.clock()
        referential = self.referential_for(repo, person.departement_code)
        outcome = evaluate(referential, person.facts(now), orientation.preferred_org_type)
        org = self.directory.competent(outcome.org_type, person.commune_code, person.departement_code) \
            if outcome.org_type else None
        orientation.apply_rules(referential, outcome, org.org_id if org else None, now)
        return self._store(session, repo, orientation)

    def _store(self, session: Session, repo: OrientationRepository, orientation: Orientation) -> Orientation:
        repo.save(orientation)
        for decision in orientation.new_decisions:
            self.outbox.add_event(session, TOPIC, EVENT_TYPES[decision.kind], orientation.person.person_id,
                                  decision_event(orientation, decision))
        orientation.new_decisions.clear()
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


def decision_event(orientation: Orientation, decision: Decision) -> dict[str, Any]:
    """What other services are told: the orientation, its authority and its reason; never the
    counsellor's notes nor the person's answers."""
    person = orientation.person
    body = {
        "person_id": person.person_id, "decision_id": decision.decision_id, "status": decision.status,
        "decided_by": decision.decided_by, "pathway": decision.pathway,
        "referent": {"org_type": decision.referent.org_type, "org_id": decision.referent.org_id}
        if decision.referent else None,
        "intensity": decision.intensity, "departement_code": person.departement_code,
        "rsa_recipient": person.rsa_recipient, "referential": decision.referential, "rule": decision.rule,
        "rule_ids": list(decision.rule_ids), "decided_at": iso(decision.decided_at),
        "registered_at": iso(person.registered_at),
        "decision_due_at": iso(orientation.decision_due_at) if decision.status == "proposed" else None,
        "recorded_by": decision.recorded_by, "previous_decision_id": decision.previous_decision_id,
    }
    if decision.kind != MADE:
        body["reason"] = decision.reason
    return body


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _counts(counts: Counts) -> dict[str, int]:
    return {"population": counts.population, "pathway_changed": counts.pathway_changed,
            "organisation_changed": counts.organisation_changed, "changed": counts.changed}
