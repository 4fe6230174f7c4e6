"""The registration aggregate ("inscription unique") and its rules, free of any framework.

A registration holds the sections a person gives once (identity, contact, address, situation,
skills, project, pre-diagnostic). The NIR itself is never kept: only a keyed fingerprint for
matching and a masked form for display.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from services.core.age import under_26
from services.core.errors import Conflict, InvalidTransition
from services.registration.domain import events

PRE_REGISTERED = "pre_registered"
REGISTERED = "registered"
SECTIONS = ("identity", "contact", "address", "situation", "skills", "project", "pre_diagnostic")


class AlreadyRegistered(Conflict):
    """The NIR given is another registration's. The problem links to it only for a caller that may
    see that person: to anyone else it says no more than that the registration cannot proceed, or
    NIRs could be enumerated to person ids. Still a 409, not a 404 or a 422: the caller must learn
    that registering again would make a duplicate, and that is all it learns (each such attempt is
    recorded in the person's access log and limited per client)."""

    slug = "already-registered"

    def __init__(self, existing_id: str, *, visible: bool) -> None:
        if visible:
            super().__init__("A person with this NIR is already registered.",
                             existing_registration=f"/v1/registrations/{existing_id}")
        else:
            super().__init__("A person with this NIR is already registered, with an organisation that is not "
                             "yours; ask France Travail to share the registration with your organisation.")
        self.existing_id = existing_id
        self.visible = visible


def contact_of(sections: dict[str, Any]) -> dict[str, Any]:
    """How to reach the person, each field given (a contact registered before opt-outs existed has none)."""
    contact = sections.get("contact") or {}
    return {"email": contact.get("email"), "phone": contact.get("phone"),
            "preferred_channel": contact.get("preferred_channel", "email"),
            "opted_out_channels": sorted(set(contact.get("opted_out_channels") or ()))}


@dataclass(frozen=True)
class Territory:
    commune_code: str
    departement_code: str
    region_code: str


@dataclass
class Registration:
    id: str
    status: str
    channel: str
    sections: dict[str, Any]
    territory: Territory
    created_at: datetime
    updated_at: datetime
    registered_at: datetime | None = None
    nir_fingerprint: str | None = None
    nir_masked: str | None = None
    possible_duplicate_of: str | None = None
    version: int = 1
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def new(cls, registration_id: str, sections: dict[str, Any], territory: Territory, channel: str,
            now: datetime, *, pre_registration: bool = False) -> "Registration":
        registration = cls(
            id=registration_id, status=PRE_REGISTERED if pre_registration else REGISTERED, channel=channel,
            sections=sections, territory=territory, created_at=now, updated_at=now,
            registered_at=None if pre_registration else now,
        )
        if not pre_registration:
            registration.events += [events.PersonRegistered(registration.id), events.ContactChanged(registration.id)]
        return registration

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.sections["identity"]["birth_date"])

    def under_26_on(self, day: date) -> bool:
        return under_26(self.birth_date, day)

    @property
    def rsa_recipient(self) -> bool:
        return bool(self.sections.get("situation", {}).get("rsa_recipient"))

    @property
    def rqth(self) -> bool:
        return bool(self.sections.get("situation", {}).get("rqth"))

    @property
    def executive(self) -> bool:
        return bool(self.sections.get("skills", {}).get("executive_experience"))

    def correct(self, sections: dict[str, Any], territory: Territory, now: datetime) -> None:
        """Replace sections with their corrected versions (already merged and validated)."""
        contact_changed = contact_of(sections) != contact_of(self.sections)
        self.sections = sections
        self.territory = territory
        self.updated_at = now
        self.version += 1
        if self.status == REGISTERED:
            self.events.append(events.PersonUpdated(self.id))
            if contact_changed:
                self.events.append(events.ContactChanged(self.id))

    def confirm(self, sections: dict[str, Any], territory: Territory, now: datetime) -> None:
        """The person confirms (or corrects) what a partner prefilled: the registration is made."""
        if self.status != PRE_REGISTERED:
            raise InvalidTransition("Only a pre-registration can be confirmed; this person is already registered.")
        self.sections = sections
        self.territory = territory
        self.status = REGISTERED
        self.registered_at = now
        self.updated_at = now
        self.version += 1
        self.events += [events.PersonRegistered(self.id), events.ContactChanged(self.id)]
