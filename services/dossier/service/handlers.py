"""Use cases of the dossier service: event handlers building the read model, partners' reads and writes.

Every function receives a unit of work and never commits: a section, its history row, its
access-log row and its outbox event commit together or not at all, when the caller commits.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from services.core.db import UniqueKeyTaken
from services.core.errors import Forbidden, NotFound, PreconditionFailed
from services.core.events import Envelope
from services.core.http import check_if_match
from services.core.identity import Caller
from services.core.merge_patch import merge_patch
from services.core.outbox import PendingEvent
from services.dossier.domain import corrections, events, projections
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.policy import Grants, facts_of
from services.dossier.domain.sections import (
    ACCESS_LOG, APPOINTMENTS, CONTRACT, CORRECTIONS, DIAGNOSTIC, FAILED_REMINDERS, HEALTH_PATHS, HISTORY, IDENTITY,
    ORIENTATION, PARTNER_SECTIONS, REVIEWS, VIEW_SECTIONS, Section, touches, without_paths,
)
from services.dossier.domain.views import consolidated, render
from services.dossier.published import (
    CONTRACT_SIGNED, CONTRACT_UNSIGNED, DIAGNOSTIC_COMPLETED, REVIEW_OVERDUE, REVIEW_RECORDED,
)
from services.dossier.service.unit_of_work import DossierUnitOfWork

EVENT_TYPES = {events.DiagnosticCompleted: DIAGNOSTIC_COMPLETED, events.ContractSigned: CONTRACT_SIGNED,
               events.ReviewRecorded: REVIEW_RECORDED, events.ReviewOverdue: REVIEW_OVERDUE,
               events.ContractUnsigned: CONTRACT_UNSIGNED}


@dataclass
class DossierService:
    # Validates a partner section's whole content after a merge patch; from the API contract.
    validators: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]
    clock: Callable[[], datetime]

    # -- events → read model --------------------------------------------------------------------
    def on_registration(self, uow: DossierUnitOfWork, event: Envelope) -> None:
        stamp = event.time.astimezone(timezone.utc).isoformat()
        self._project(uow, event.subject, IDENTITY,
                      lambda section: projections.apply_registration(section, event.data, stamp, event.id))

    def on_decision(self, uow: DossierUnitOfWork, event: Envelope, kind: str) -> None:
        self._project(uow, event.data["person_id"], ORIENTATION,
                      lambda section: projections.apply_decision(section, event.data, kind))

    def on_appointment(self, uow: DossierUnitOfWork, event: Envelope, status: str) -> None:
        self._project(uow, event.data["person_id"], APPOINTMENTS,
                      lambda section: projections.apply_appointment(section, event.data, status))

    def on_message_failed(self, uow: DossierUnitOfWork, event: Envelope) -> None:
        self._project(uow, event.data["person_id"], FAILED_REMINDERS,
                      lambda section: projections.apply_failed_reminder(section, event.data))

    def _project(self, uow: DossierUnitOfWork, person_id: str, name: str, apply: Callable[[Section], bool]) -> None:
        section = uow.dossiers.get(person_id, for_update=True).section(name)
        if apply(section):
            section.version += 1
            uow.dossiers.save(person_id, section, self.clock())

    # -- deadlines (the follow-up job) ------------------------------------------------------------
    def follow_up(self, uow: DossierUnitOfWork, person_id: str, now: datetime, signature_delay: timedelta) -> int:
        """One dossier's overdue review or late signature, raised once each; their marks and events
        commit together, so a rerun or a second replica raises nothing twice. The events raised."""
        dossier = uow.dossiers.get(person_id, for_update=True)
        if not dossier.follow_up(now, signature_delay):
            return 0
        for section in (dossier.section(CONTRACT), dossier.section(DIAGNOSTIC)):
            if section.version:  # a mark changes the meta only; a section never written stays absent
                uow.dossiers.save(person_id, section, now)
        raised = [PendingEvent(EVENT_TYPES[type(event)], person_id, asdict(event)) for event in dossier.events]
        uow.events.emit_all(raised)
        dossier.events.clear()
        return len(raised)

    # -- reads ------------------------------------------------------------------------------------
    def view(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, purpose: str) -> dict[str, Any]:
        dossier, grants = self._open(uow, caller, person_id, purpose)
        now = self.clock()
        sections = [name for name in VIEW_SECTIONS if grants.may_read(name)]
        uow.dossiers.record_access(person_id, caller, "read", sections, purpose, now)
        return consolidated(dossier, grants, now.date())

    def section(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, name: str,
                purpose: str) -> tuple[dict[str, Any], int]:
        dossier, grants = self._open(uow, caller, person_id, purpose, name)
        now = self.clock()
        uow.dossiers.record_access(person_id, caller, "read", [name], purpose, now)
        return render(dossier, name, grants, now.date()), dossier.version(name)

    def review(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, review_id: str,
               purpose: str) -> dict[str, Any]:
        dossier, _ = self._open(uow, caller, person_id, purpose, REVIEWS)
        found = [r for r in dossier.section(REVIEWS).content.get("items", []) if r["review_id"] == review_id]
        if not found:
            raise NotFound("No point d'étape with this id in this dossier.")
        uow.dossiers.record_access(person_id, caller, "read", [REVIEWS], purpose, self.clock())
        return found[0]

    def history(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, purpose: str, before_id: int | None,
                limit: int) -> list[dict[str, Any]]:
        """Who changed what and when, in the sections the caller may read, health stripped as there."""
        _, grants = self._open(uow, caller, person_id, purpose, HISTORY)
        sections = [name for name in PARTNER_SECTIONS if grants.may_read(name)]
        uow.dossiers.record_access(person_id, caller, "read", [HISTORY], purpose, self.clock())
        return [{**asdict(change), "changes": change.changes if grants.sees_health
                 else without_paths(change.changes, HEALTH_PATHS.get(change.section, ()))}
                for change in uow.dossiers.changes(person_id, sections, before_id, limit)]

    def access_log(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, purpose: str,
                   before_id: int | None, limit: int) -> list[dict[str, Any]]:
        self._open(uow, caller, person_id, purpose, ACCESS_LOG)
        entries = uow.dossiers.accesses(person_id, before_id, limit)
        # Logged after the page is read: the person sees this consultation in the next one.
        uow.dossiers.record_access(person_id, caller, "read", [ACCESS_LOG], purpose, self.clock())
        return [asdict(entry) for entry in entries]

    # -- partners' writes ------------------------------------------------------------------------
    def patch(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, name: str, patch: dict[str, Any],
              if_match: str | None) -> tuple[dict[str, Any], int]:
        """A JSON merge patch of the diagnostic or the contract, at the version the partner read."""
        dossier, grants = self._open_for_write(uow, caller, person_id, name)
        check_if_match(if_match, dossier.version(name))
        said_complete = bool(patch.pop("completed", False))
        if not grants.sees_health and any(touches(patch, path) for path in HEALTH_PATHS.get(name, ())):
            raise Forbidden("Health information may only be written by the person's referent organisation.")
        now = self.clock()
        content = self.validators[name](merge_patch(dossier.section(name).content, patch))
        section = dossier.write(name, content, _org(caller), now, declared_complete=said_complete)
        changes = patch | ({"completed": True} if said_complete else {})
        self._store(uow, dossier, section, caller, "patched", changes, now)
        return render(dossier, name, grants, now.date()), section.version

    def sign(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, channel: str,
             if_match: str | None) -> tuple[dict[str, Any], int]:
        """The person signs the contract's current version; If-Match, when given, pins the version read."""
        dossier, grants = self._open_for_write(uow, caller, person_id, CONTRACT)
        if if_match is not None:
            check_if_match(if_match, dossier.version(CONTRACT))
        now = self.clock()
        contract = dossier.sign_contract(channel, _org(caller), now)
        self._store(uow, dossier, contract, caller, "signed", {"channel": channel}, now)
        return render(dossier, CONTRACT, grants, now.date()), contract.version

    def record_review(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, review_id: str,
                      review: dict[str, Any]) -> dict[str, Any]:
        """A point d'étape with the person; it moves the next review's due date."""
        dossier, _ = self._open_for_write(uow, caller, person_id, REVIEWS)
        now = self.clock()
        item = dossier.record_review(review_id, review, _org(caller), now)
        self._store(uow, dossier, dossier.section(REVIEWS), caller, "recorded", item, now)
        return item

    def answer_correction(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, correction_id: str,
                          outcome: str, answer: str) -> dict[str, Any]:
        """The referent accepts or refuses a correction the person asked; the person reads the answer."""
        dossier, _ = self._open_for_write(uow, caller, person_id, CORRECTIONS)
        now = self.clock()
        answered = corrections.answer(dossier.section(CORRECTIONS), correction_id, outcome, answer, _org(caller), now)
        self._store(uow, dossier, dossier.section(CORRECTIONS), caller, "answered",
                    {"correction_id": correction_id, "outcome": outcome, "answer": answer}, now)
        return answered

    # -- shared steps -----------------------------------------------------------------------------
    def _open(self, uow: DossierUnitOfWork, caller: Caller, person_id: str, purpose: str | None,
              section: str | None = None, for_update: bool = False) -> tuple[Dossier, Grants]:
        """The dossier and what the caller may do on it: 404 to an organisation the platform's rule
        does not let know the person; then, for a read, only what its purpose justifies."""
        dossier = uow.dossiers.get(person_id, for_update=for_update)
        grants = Grants.of(caller, facts_of(dossier), self.clock().date())
        if not dossier.exists or not grants.knows_person:
            raise NotFound("No dossier with this id is visible to your organisation.")
        if purpose is not None:
            grants = grants.for_purpose(purpose)
        if section is not None and not grants.may_read(section):
            raise Forbidden(f"Your organisation may not read the {section} of this person's dossier.")
        return dossier, grants

    def _open_for_write(self, uow: DossierUnitOfWork, caller: Caller, person_id: str,
                        section: str) -> tuple[Dossier, Grants]:
        dossier, grants = self._open(uow, caller, person_id, None, for_update=True)
        if not grants.may_write(section):
            raise Forbidden(f"Your organisation may not change the {section} of this person's dossier.")
        return dossier, grants

    @staticmethod
    def _store(uow: DossierUnitOfWork, dossier: Dossier, section: Section, caller: Caller, action: str,
               changes: dict[str, Any], now: datetime) -> None:
        """The changed section, its history and access-log rows, and the events the dossier raised."""
        try:
            uow.dossiers.save(dossier.person_id, section, now)
        except UniqueKeyTaken:
            raise PreconditionFailed("The section changed since you read it; read it again and reapply your "
                                     "change.") from None
        uow.dossiers.record_change(dossier.person_id, caller, section.name, action, section.version, changes, now)
        uow.dossiers.record_access(dossier.person_id, caller, "write", [section.name], None, now)
        uow.events.emit_all([PendingEvent(EVENT_TYPES[type(event)], dossier.person_id, asdict(event))
                             for event in dossier.events])
        dossier.events.clear()


def _org(caller: Caller) -> dict[str, str]:
    return {"org_id": caller.org_id, "org_type": caller.org_type}
