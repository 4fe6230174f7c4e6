"""Use cases of the dossier service: event handlers building the read model, partners' reads and writes.

Every function receives an open session (one unit of work) and never commits: a section, its
history row, its access-log row and its outbox event commit together or not at all.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy.orm import Session

from services.core.db import UniqueKeyTaken
from services.core.events import Envelope
from services.core.identity import Caller
from services.core.outbox import Outbox
from services.dossier.adapters.repository import DossierRepository
from services.dossier.domain import projections
from services.dossier.domain.policy import Grants, Person
from services.dossier.domain.reviews import next_review_due
from services.dossier.domain.sections import (
    ACCESS_LOG, APPOINTMENTS, CONTRACT, DIAGNOSTIC, DIAGNOSTIC_FIELDS, HEALTH_PATHS, HISTORY, IDENTITY, ORIENTATION,
    PARTNER_SECTIONS, REVIEWS, VIEW_SECTIONS, Dossier, DossierError, Section, check_signable, completes_diagnostic,
    merge_patch, touches, without_paths,
)
from services.dossier.domain.views import consolidated, render

TOPIC = "dossier.dossiers.v1"
DIAGNOSTIC_COMPLETED = "dossier.diagnostic.completed.v1"
CONTRACT_SIGNED = "dossier.contract.signed.v1"
REVIEW_RECORDED = "dossier.review.recorded.v1"


class NotFound(Exception):
    """No dossier, or none this caller may know about: indistinguishable on purpose."""


class Forbidden(Exception):
    pass


class VersionConflict(Exception):
    """Another partner wrote the same section first."""


@dataclass
class DossierService:
    outbox: Outbox
    # Validates a partner section's whole content after a merge patch; from the API contract.
    validators: dict[str, Callable[[dict[str, Any]], dict[str, Any]]]
    clock: Callable[[], datetime]

    def today(self) -> date:
        return self.clock().date()

    # -- events → read model --------------------------------------------------------------------
    def on_registration(self, session: Session, event: Envelope) -> None:
        stamp = event.time.astimezone(timezone.utc).isoformat()
        self._project(session, event.subject, IDENTITY,
                      lambda section: projections.apply_registration(section, event.data, stamp, event.id))

    def on_decision(self, session: Session, event: Envelope, kind: str) -> None:
        self._project(session, event.data["person_id"], ORIENTATION,
                      lambda section: projections.apply_decision(section, event.data, kind))

    def on_appointment(self, session: Session, event: Envelope, status: str) -> None:
        self._project(session, event.data["person_id"], APPOINTMENTS,
                      lambda section: projections.apply_appointment(section, event.data, status))

    def _project(self, session: Session, person_id: str, name: str, apply: Callable[[Section], bool]) -> None:
        repo = DossierRepository(session)
        section = repo.get(person_id, for_update=True).section(name)
        if apply(section):
            section.version += 1
            repo.save(person_id, section, self.clock())

    # -- reads ------------------------------------------------------------------------------------
    def view(self, session: Session, caller: Caller, person_id: str, purpose: str) -> dict[str, Any]:
        repo, dossier, grants = self._open(session, caller, person_id)
        sections = [name for name in VIEW_SECTIONS if grants.may_read(name)]
        repo.record_access(person_id, caller, "read", sections, purpose, self.clock())
        return consolidated(dossier, grants, self.today())

    def section(self, session: Session, caller: Caller, person_id: str, name: str,
                purpose: str) -> tuple[dict[str, Any], int]:
        repo, dossier, grants = self._open(session, caller, person_id, name)
        repo.record_access(person_id, caller, "read", [name], purpose, self.clock())
        return render(dossier, name, grants, self.today()), dossier.version(name)

    def review(self, session: Session, caller: Caller, person_id: str, review_id: str, purpose: str) -> dict[str, Any]:
        repo, dossier, _ = self._open(session, caller, person_id, REVIEWS)
        found = [r for r in dossier.section(REVIEWS).content.get("items", []) if r["review_id"] == review_id]
        if not found:
            raise NotFound(review_id)
        repo.record_access(person_id, caller, "read", [REVIEWS], purpose, self.clock())
        return found[0]

    def history(self, session: Session, caller: Caller, person_id: str, purpose: str, before_id: int | None,
                limit: int) -> list[dict[str, Any]]:
        """Who changed what and when, in the sections the caller may read, health stripped as there."""
        repo, _, grants = self._open(session, caller, person_id, HISTORY)
        sections = [name for name in PARTNER_SECTIONS if grants.may_read(name)]
        repo.record_access(person_id, caller, "read", [HISTORY], purpose, self.clock())
        return [{
            "id": row.id, "section": row.section, "action": row.action, "version": row.version, "at": row.at,
            "changes": row.changes if grants.sees_health else without_paths(row.changes, HEALTH_PATHS.get(row.section, ())),
            "by": {"client_id": row.client_id, "org_id": row.org_id, "org_type": row.org_type},
        } for row in repo.changes(person_id, sections, before_id, limit)]

    def access_log(self, session: Session, caller: Caller, person_id: str, purpose: str, before_id: int | None,
                   limit: int) -> list[dict[str, Any]]:
        repo, _, _ = self._open(session, caller, person_id, ACCESS_LOG)
        rows = repo.accesses(person_id, before_id, limit)
        # Logged after the page is read: the person sees this consultation in the next one.
        repo.record_access(person_id, caller, "read", [ACCESS_LOG], purpose, self.clock())
        return [{"id": row.id, "access": row.access, "sections": row.sections, "purpose": row.purpose, "at": row.at,
                 "by": {"client_id": row.client_id, "org_id": row.org_id, "org_type": row.org_type}} for row in rows]

    # -- partners' writes ------------------------------------------------------------------------
    def patch(self, session: Session, caller: Caller, person_id: str, name: str, patch: dict[str, Any],
              check_version: Callable[[int], None]) -> tuple[dict[str, Any], int]:
        """A JSON merge patch of the diagnostic or the contract, at the version the partner read."""
        repo, dossier, grants = self._open_for_write(session, caller, person_id, name)
        section = dossier.section(name)
        check_version(section.version)
        said_complete = bool(patch.pop("completed", False))
        if not grants.sees_health and any(touches(patch, path) for path in HEALTH_PATHS.get(name, ())):
            raise Forbidden("Health information may only be written by the person's referent organisation.")
        section.content = self.validators[name](merge_patch(section.content, patch))
        section.version += 1
        now = self.clock()
        if name == DIAGNOSTIC and completes_diagnostic(section, said_complete):
            section.meta["completed_at"] = now.isoformat()
            self._emit(session, person_id, DIAGNOSTIC_COMPLETED, {
                "person_id": person_id, "version": section.version, "completed_at": now.isoformat(),
                "completed_by": _org(caller), "explicit": said_complete,
                "fields_filled": [f for f in DIAGNOSTIC_FIELDS if section.content.get(f)]})
        self._store(repo, person_id, section, caller, "patched", patch | ({"completed": True} if said_complete else {}))
        return render(dossier, name, grants, self.today()), section.version

    def sign(self, session: Session, caller: Caller, person_id: str, channel: str,
             check_version: Callable[[int], None]) -> tuple[dict[str, Any], int]:
        """The person signs the contract's current version (on site, online or by phone)."""
        repo, dossier, grants = self._open_for_write(session, caller, person_id, CONTRACT)
        contract = dossier.section(CONTRACT)
        check_version(contract.version)
        check_signable(contract)
        now = self.clock()
        contract.version += 1
        signature = {"signed_at": now.isoformat(), "channel": channel, "version": contract.version,
                     "recorded_by": _org(caller)}
        contract.meta["signature"] = signature
        rendered = render(dossier, CONTRACT, grants, self.today())
        orientation = dossier.current_orientation
        self._emit(session, person_id, CONTRACT_SIGNED, {
            "person_id": person_id, "contract_version": contract.version, "signed_at": signature["signed_at"],
            "channel": channel, "recorded_by": _org(caller), "referent": orientation.get("referent"),
            "pathway": orientation.get("pathway"), "jeunes_mention": rendered["jeunes_mention"],
            "objectives_count": len(contract.content.get("objectives", [])),
            "actions": [{"owner": a["owner"], "due_date": a["due_date"], "status": a["status"]}
                        for a in contract.content.get("actions", [])],
            "next_review_due": _iso(next_review_due(now, _review_times(dossier)))})
        self._store(repo, person_id, contract, caller, "signed", {"channel": channel})
        return rendered, contract.version

    def record_review(self, session: Session, caller: Caller, person_id: str, review_id: str,
                      review: dict[str, Any]) -> dict[str, Any]:
        """A point d'étape with the person; it moves the next review's due date."""
        repo, dossier, _ = self._open_for_write(session, caller, person_id, REVIEWS)
        now = self.clock()
        held_at = datetime.fromisoformat(review["held_at"]).astimezone(timezone.utc)
        if held_at > now:
            raise DossierError("A review is recorded once it took place, not in advance.", field="held_at")
        section = dossier.section(REVIEWS)
        item = {"review_id": review_id, **review, "held_at": held_at.isoformat(), "recorded_by": _org(caller),
                "recorded_at": now.isoformat()}
        section.content = {"items": sorted([*section.content.get("items", []), item], key=lambda r: r["held_at"])}
        section.version += 1
        signed_at = (dossier.section(CONTRACT).meta.get("signature") or {}).get("signed_at")
        due = next_review_due(datetime.fromisoformat(signed_at) if signed_at else None, _review_times(dossier))
        self._emit(session, person_id, REVIEW_RECORDED, {
            "person_id": person_id, "review_id": review_id, "held_at": item["held_at"],
            "channel": review["channel"], "outcome": review["outcome"], "recorded_by": _org(caller),
            "next_review_due": _iso(due)})
        self._store(repo, person_id, section, caller, "recorded", item)
        return item

    # -- shared steps -----------------------------------------------------------------------------
    def _open(self, session: Session, caller: Caller, person_id: str, section: str | None = None,
              for_update: bool = False) -> tuple[DossierRepository, Dossier, Grants]:
        repo = DossierRepository(session)
        dossier = repo.get(person_id, for_update=for_update)
        grants = Grants.of(caller, Person.of(dossier))
        if not dossier.exists or not grants.knows_person:
            raise NotFound(person_id)
        if section is not None and not grants.may_read(section):
            raise Forbidden(f"Your organisation may not read the {section} of this person's dossier.")
        return repo, dossier, grants

    def _open_for_write(self, session, caller, person_id, section) -> tuple[DossierRepository, Dossier, Grants]:
        repo, dossier, grants = self._open(session, caller, person_id, for_update=True)
        if not grants.may_write(section):
            raise Forbidden(f"Your organisation may not change the {section} of this person's dossier.")
        return repo, dossier, grants

    def _store(self, repo: DossierRepository, person_id: str, section: Section, caller: Caller, action: str,
               changes: dict[str, Any]) -> None:
        now = self.clock()
        try:
            repo.save(person_id, section, now)
        except UniqueKeyTaken:
            raise VersionConflict(section.name) from None
        repo.record_change(person_id, caller, section.name, action, section.version, changes, now)
        repo.record_access(person_id, caller, "write", [section.name], None, now)

    def _emit(self, session: Session, person_id: str, event_type: str, data: dict[str, Any]) -> None:
        self.outbox.add_event(session, TOPIC, event_type, person_id, data)


def _org(caller: Caller) -> dict[str, str]:
    return {"org_id": caller.org_id, "org_type": caller.org_type}


def _review_times(dossier: Dossier) -> list[datetime]:
    return [datetime.fromisoformat(r["held_at"]) for r in dossier.section(REVIEWS).content.get("items", [])]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
