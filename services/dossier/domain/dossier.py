"""The dossier aggregate: one person's sections, the partners' changes to them, and the events
those changes raise. Pure Python, no I/O: the caller checks who may act and stores the result.

Who acted is given as `by`, the organisation as it is recorded and published
(`{"org_id": …, "org_type": …}`); `now` is the caller's one clock read for the whole command.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from services.core.age import under_26
from services.core.errors import RuleBroken
from services.dossier.domain import events
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
        public = "rsa" if self.section(IDENTITY).content.get("rsa_recipient") else ("cej" if young else "jobseeker")
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


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
