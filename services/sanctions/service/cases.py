"""Use cases on lapses and cases: intake (reported or from events), reads, the authority's commands
and the deadline job. Each takes a unit of work; the transaction stays with the caller."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from services.core.errors import Forbidden, NotFound, RuleBroken
from services.core.identity import Caller
from services.core.person_policy import PersonFacts
from services.sanctions.domain.queries import CaseFilter, Visibility
from services.sanctions.domain.case import Case, Lapse, Source
from services.sanctions.domain.intake import lapses_opening_case
from services.sanctions.domain.policy import (
    AUTHORITY_ORG_TYPES, PAYER_ORG_TYPES, Action, Role, may, public_of, roles, sees,
)
from services.sanctions.domain.scale import Scale
from services.sanctions.service.publishing import publish_changes, record_read
from services.sanctions.service.unit_of_work import SanctionsUnitOfWork

NOT_VISIBLE = "No sanctions case with this id is visible to your organisation."
MY_CASE_UNKNOWN = "You have no sanctions case with this id."
PURPOSES = {Role.AUTHORITY: "control", Role.REFERENT: "accompaniment", Role.PAYER: "rsa_entitlement"}


@dataclass(frozen=True)
class NewLapse:
    person_id: str
    obligation: str
    source: Source
    evidence: str
    occurred_at: datetime
    household_size: int = 1
    id: str | None = None  # derived from the reporter's Idempotency-Key, as every created resource's


# A case's id derives from the lapse that opens it: a reported lapse's from (client, Idempotency-Key),
# a no-show's from the appointment, so a retried report or a replayed stream names the same case.
CASE_NAMESPACE = uuid.UUID("3d0f6b1a-8c2e-4f5d-9a7b-1e2c3d4f5a6b")


def case_id_opened_by(lapse_id: str) -> str:
    return str(uuid.uuid5(CASE_NAMESPACE, lapse_id))


@dataclass
class CaseService:
    scales: dict[str, Scale]
    clock: Callable[[], datetime]

    def version_of(self, uow: SanctionsUnitOfWork, territory: str) -> str:
        choice = uow.choices.get(territory)
        return choice.version if choice else "current"

    def report(self, uow: SanctionsUnitOfWork, caller: Caller, new: NewLapse) -> tuple[Lapse, Case | None]:
        facts = uow.facts.get(new.person_id)
        if facts is None:  # unknown, as invisible: the same 404
            raise NotFound("No person with this id is visible to your organisation.", field="person_id")
        now = self.clock()
        public = public_of(facts, now.date())
        granted = roles(caller, public, facts.departement_code, facts)
        if not (caller.is_admin or may(granted, Action.REPORT)):
            if granted:  # a payer knows the person, but reports nothing
                raise Forbidden("Only the person's referent or the competent authority reports a lapse.")
            raise NotFound("No person with this id is visible to your organisation.", field="person_id")
        if new.occurred_at > now:
            raise RuleBroken("A lapse cannot have occurred in the future.", field="occurred_at")
        lapse = Lapse(new.id or str(uuid.uuid4()), new.person_id, new.obligation, new.source, new.evidence,
                      new.occurred_at, now, caller.org_id)
        return lapse, self._intake(uow, lapse, facts, public, new.household_size)

    def on_no_show(self, uow: SanctionsUnitOfWork, data: dict) -> None:
        """orientation.appointment.no_show.v1: a missed initial diagnostic appointment (L3349)."""
        known = uow.facts.get(data["person_id"])
        facts = known or PersonFacts(data["departement_code"], None, data["rsa_recipient"], False)
        lapse = Lapse(str(uuid.uuid5(uuid.NAMESPACE_URL, f"no-show/{data['appointment_id']}")), data["person_id"],
                      "initial_diagnostic_appointment", Source.SYSTEM, f"Absent au rendez-vous du {data['starts_at']}.",
                      datetime.fromisoformat(data["starts_at"]), self.clock(), data["org_id"])
        if not uow.lapses.known(lapse.id):  # the same no-show told again (a replay): already recorded
            self._intake(uow, lapse, facts, public_of(facts, self.clock().date()), 1)

    def on_deadline_missed(self, uow: SanctionsUnitOfWork, data: dict,
                           lapse_of: Callable[[dict, datetime], Lapse]) -> None:
        """dossier.review.overdue.v1, dossier.contract.unsigned.v1: the dossier's clock found a deadline
        missed. The person's facts, else the event's; with neither, no territory names an authority."""
        facts = uow.facts.get(data["person_id"])
        if facts is None and data.get("departement_code"):
            facts = PersonFacts(data["departement_code"], None, data["rsa_recipient"], False)
        if facts is None:
            raise LookupError("No territory is known for this person: the fact waits in the dead-letter topic.")
        now = self.clock()
        lapse = lapse_of(data, now)
        if not uow.lapses.known(lapse.id):  # the same occurrence told again (a replay): already recorded
            self._intake(uow, lapse, facts, public_of(facts, now.date()), 1)

    def _intake(self, uow: SanctionsUnitOfWork, lapse: Lapse, facts: PersonFacts, public: str,
                household_size: int) -> Case | None:
        territory = facts.departement_code
        current = uow.cases.open_of(lapse.person_id)
        if current is not None:
            current.add_lapse(lapse)
            uow.cases.save(current)
            uow.lapses.add(lapse, territory, current.id)
            return current
        scale = self.scales[self.version_of(uow, territory)]
        waiting = uow.lapses.waiting(lapse.person_id, lapse.obligation)
        batch = lapses_opening_case(lapse, waiting, scale)
        if batch is None:
            uow.lapses.add(lapse, territory, None)
            return None
        category = scale.regime_for(public).category_of(lapse.obligation, lapse.source.is_control)
        previous = uow.cases.sanctions_of(lapse.person_id)
        evaluation = scale.evaluate(public, category, previous, household_size)
        case = Case.open(case_id_opened_by(lapse.id), batch, territory, public, category, previous, household_size,
                         evaluation, self.clock())
        uow.cases.add(case)
        uow.lapses.add(lapse, territory, case.id)
        uow.lapses.attach([w.id for w in waiting], case.id)
        return case

    def read(self, uow: SanctionsUnitOfWork, caller: Caller, case_id: str) -> tuple[Case, str]:
        """The case and what of it the caller sees (`case` or `decision`); the read is logged."""
        case = uow.cases.get(case_id)
        if case is None:
            raise NotFound(NOT_VISIBLE)
        return case, self._view(uow, caller, case)

    def _view(self, uow: SanctionsUnitOfWork, caller: Caller, case: Case) -> str:
        granted = self._roles(uow, caller, case)
        view = "case" if caller.is_admin else sees(granted, case.status.value)
        if view is None:
            raise NotFound(NOT_VISIBLE)
        purpose = next((PURPOSES[r] for r in (Role.AUTHORITY, Role.REFERENT, Role.PAYER) if r in granted), "control")
        record_read(uow, caller, case, view, purpose, self.clock())
        return view

    def listed(self, uow: SanctionsUnitOfWork, caller: Caller, where: CaseFilter, after, limit: int) -> list[tuple[Case, str]]:
        visibility = Visibility(
            caller.is_admin,
            {p: caller.territories for p, types in AUTHORITY_ORG_TYPES.items() if caller.org_type in types},
            caller.org_id, {p: caller.territories for p, types in PAYER_ORG_TYPES.items() if caller.org_type in types})
        return [(case, self._view(uow, caller, case)) for case in uow.cases.listed(visibility, where, after, limit)]

    def act(self, uow: SanctionsUnitOfWork, caller: Caller, case_id: str, check_version: Callable[[int], None],
            command: Callable[[Case, datetime], None]) -> Case:
        """One of the authority's commands: observations, opinion, decision, appeal, lift, annul."""
        case = uow.cases.get(case_id, for_update=True)
        granted = self._roles(uow, caller, case) if case else frozenset()
        if case is None or not (sees(granted, case.status.value) or caller.is_admin):
            raise NotFound(NOT_VISIBLE)
        if not (may(granted, Action.DECIDE) or caller.is_admin):
            raise Forbidden("Only the competent authority of the case's regime and territory acts on it.")
        check_version(case.version)
        command(case, self.clock())
        uow.cases.save(case)
        publish_changes(uow, case)
        return case

    # -- the person's own door (/v1/me/sanction-cases): their cases only, whatever id they send --
    def mine(self, uow: SanctionsUnitOfWork, person: Caller) -> list[Case]:
        return uow.cases.of_person(person.person_id)

    def my_case(self, uow: SanctionsUnitOfWork, person: Caller, case_id: str, *, for_update: bool = False) -> Case:
        case = uow.cases.get(case_id, for_update=for_update)
        if case is None or case.person_id != person.person_id:  # another person's case: as unknown
            raise NotFound(MY_CASE_UNKNOWN)
        return case

    def observe(self, uow: SanctionsUnitOfWork, person: Caller, case_id: str, text: str) -> Case:
        """The person's observations within the period for them (Case.observe_as_person)."""
        case = self.my_case(uow, person, case_id, for_update=True)
        case.observe_as_person(text, self.clock())
        uow.cases.save(case)
        publish_changes(uow, case)
        return case

    def on_reengagement(self, uow: SanctionsUnitOfWork, person_id: str, what: str, at: datetime) -> None:
        """The first interview held or the contract signed (dossier events): may lift a remobilisation."""
        for case in uow.cases.current_of(person_id):
            if case.record_reengagement(what, at, self.clock()):
                uow.cases.save(case)
                publish_changes(uow, case)

    def move_due(self, uow: SanctionsUnitOfWork, now: datetime, limit: int = 500) -> int:
        """The deadline job: cases whose observation period ended go to the opinion or the decision."""
        moved = 0
        for case in uow.cases.due(now, limit):
            if case.tick(now):
                uow.cases.save(case)
                moved += 1
        return moved

    @staticmethod
    def _roles(uow: SanctionsUnitOfWork, caller: Caller, case: Case) -> frozenset[Role]:
        return roles(caller, case.public, case.territory, uow.facts.get(case.person_id))
