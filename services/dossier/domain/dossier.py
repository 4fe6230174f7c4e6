"""The dossier aggregate: one person's sections, the partners' changes to them, and the events
those changes raise. Pure Python, no I/O: the caller checks who may act and stores the result.

Who acted is given as `by`, the organisation as it is recorded and published
(`{"org_id": …, "org_type": …}`); `now` is the caller's one clock read for the whole command.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from services.core.age import under_26
from services.core.errors import RuleBroken
from services.dossier.domain import events
from services.dossier.domain.follow_up import review_overdue, signature_late
from services.dossier.domain.obligations import signed_obligations
from services.dossier.domain.reviews import next_review_due
from services.dossier.domain.sections import (
    CONTRACT, DIAGNOSTIC, DIAGNOSTIC_FIELDS, IDENTITY, ORIENTATION, REVIEWS, RSA_STATUS, RSA_STATUS_SOURCES, Section,
    check_signable, completes_diagnostic,
)


@dataclass
class Dossier:
    person_id: str
    sections: dict[str, Section]
    events: list[events.Event] = field(default_factory=list, repr=False)

    def section(self, name: str) -> Section:
        return self.sections.setdefault(name, Section(name))

    def version(self, name: str) -> int:
        if name == RSA_STATUS:
            return sum(self.section(source).version for source in RSA_STATUS_SOURCES)
        return self.section(name).version

    @property
    def exists(self) -> bool:
        return any(section.version for section in self.sections.values())

    @property
    def current_orientation(self) -> dict[str, Any]:
        return self.section(ORIENTATION).content.get("current") or {}

    def under_26_on(self, day: date) -> bool:
        """The contract's "jeunes" mention; False while the person's identity is not known yet."""
        identity = self.section(IDENTITY).content
        return bool(identity) and under_26(date.fromisoformat(identity["birth_date"]), day)

    def public_on(self, day: date) -> str:
        """The public whose obligations' frequencies apply: RSA recipient, young person (CEJ) or jobseeker."""
        if self.section(IDENTITY).content.get("rsa_recipient"):
            return "rsa"
        return "cej" if self.under_26_on(day) else "jobseeker"

    @property
    def signed_at(self) -> datetime | None:
        signed_at = (self.section(CONTRACT).meta.get("signature") or {}).get("signed_at")
        return datetime.fromisoformat(signed_at) if signed_at else None

    @property
    def review_times(self) -> list[datetime]:
        return [datetime.fromisoformat(r["held_at"]) for r in self.section(REVIEWS).content.get("items", [])]

    # -- partners' changes ---------------------------------------------------------------------
    def write(self, name: str, content: dict[str, Any], by: dict[str, str], now: datetime,
              declared_complete: bool = False) -> Section:
        """The diagnostic's or contract's new content, already merged and validated by the caller."""
        section = self.section(name)
        section.content = content
        section.version += 1
        if name == DIAGNOSTIC and completes_diagnostic(section, declared_complete):
            section.meta["completed_at"] = now.isoformat()
            self.events.append(events.DiagnosticCompleted(
                self.person_id, section.version, now.isoformat(), by, declared_complete,
                [name for name in DIAGNOSTIC_FIELDS if content.get(name)]))
        return section

    def sign_contract(self, channel: str, by: dict[str, str], now: datetime) -> Section:
        """The person signs the contract's current version (on site, online or by phone)."""
        contract = self.section(CONTRACT)
        check_signable(contract)
        contract.version += 1
        contract.meta["signature"] = {"signed_at": now.isoformat(), "channel": channel, "version": contract.version,
                                      "recorded_by": by}
        orientation = self.current_orientation
        young = self.under_26_on(now.date())
        public = self.public_on(now.date())
        self.events.append(events.ContractSigned(
            self.person_id, contract.version, now.isoformat(), channel, by, orientation.get("referent"),
            orientation.get("pathway"), young, len(contract.content.get("objectives", [])),
            [{"owner": a["owner"], "due_date": a["due_date"], "status": a["status"]}
             for a in contract.content.get("actions", [])],
            _iso(next_review_due(now, self.review_times)),
            signed_obligations(contract.content, orientation.get("pathway"), public)))
        return contract

    def record_review(self, review_id: str, review: dict[str, Any], by: dict[str, str],
                      now: datetime) -> dict[str, Any]:
        """A point d'étape with the person; it moves the next review's due date."""
        held_at = datetime.fromisoformat(review["held_at"]).astimezone(timezone.utc)
        if held_at > now:
            raise RuleBroken("A review is recorded once it took place, not in advance.", field="held_at")
        section = self.section(REVIEWS)
        item = {"review_id": review_id, **review, "held_at": held_at.isoformat(), "recorded_by": by,
                "recorded_at": now.isoformat()}
        section.content = {"items": sorted([*section.content.get("items", []), item], key=lambda r: r["held_at"])}
        section.version += 1
        self.events.append(events.ReviewRecorded(
            self.person_id, review_id, item["held_at"], review["channel"], review["outcome"], by,
            _iso(next_review_due(self.signed_at, self.review_times))))
        return item

    # -- deadlines the clock reveals ----------------------------------------------------------
    def follow_up(self, now: datetime, signature_delay: timedelta) -> bool:
        """Raise an overdue review or a late signature, each once: the occurrence raised is marked in
        the section's meta (the due date, the diagnostic's completion), so a rerun raises nothing.
        True when a mark changed and the sections must be saved."""
        return self._review_follow_up(now) | self._signature_follow_up(now, signature_delay)

    def _review_follow_up(self, now: datetime) -> bool:
        contract, signed_at, reviews = self.section(CONTRACT), self.signed_at, self.review_times
        due = next_review_due(signed_at, reviews) if signed_at else None
        if not review_overdue(due, now) or contract.meta.get("overdue_review_raised") == due.isoformat():
            return False
        contract.meta = {**contract.meta, "overdue_review_raised": due.isoformat()}
        self.events.append(events.ReviewOverdue(
            self.person_id, due.isoformat(), signed_at.isoformat(), max(reviews).isoformat() if reviews else None,
            *self._whereabouts()))
        return True

    def _signature_follow_up(self, now: datetime, delay: timedelta) -> bool:
        diagnostic = self.section(DIAGNOSTIC)
        completed_at = diagnostic.meta.get("completed_at")
        completed = datetime.fromisoformat(completed_at) if completed_at else None
        if not signature_late(completed, self.signed_at is not None, now, delay) \
                or diagnostic.meta.get("unsigned_contract_raised") == completed_at:
            return False
        diagnostic.meta = {**diagnostic.meta, "unsigned_contract_raised": completed_at}
        self.events.append(events.ContractUnsigned(
            self.person_id, completed_at, (completed + delay).isoformat(), *self._whereabouts()))
        return True

    def _whereabouts(self) -> tuple[dict[str, str] | None, str | None, bool]:
        """Referent, département and RSA status: what a consumer needs to act on a deadline fact."""
        identity = self.section(IDENTITY).content
        return (self.current_orientation.get("referent"), identity.get("departement_code"),
                bool(identity.get("rsa_recipient")))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
