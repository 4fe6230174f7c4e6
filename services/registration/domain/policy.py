"""Who may see and change which registration: object-level rules, as data and pure functions.

France Travail registers everyone and sees all. Partners see the people of their territories
that their mission covers; organisations with no accompaniment role (temp agencies, employers,
OPCOs, régions) see nobody here. Each type also reads only the sections it needs.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from services.registration.domain.model import SECTIONS, Registration


class Viewer(Protocol):
    org_type: str
    territories: tuple[str, ...]


@dataclass(frozen=True)
class Audience:
    """The people an organisation type covers, within its territories."""

    nationwide: bool = False
    under_26_only: bool = False
    rqth_only: bool = False
    rsa_only: bool = False
    executive_only: bool = False
    may_write: bool = True
    sections: tuple[str, ...] = SECTIONS

    def covers(self, registration: Registration, territories: tuple[str, ...], today: date) -> bool:
        """Whether this audience, within these territories, includes the person today."""
        if self.nationwide:
            return True
        return (
            registration.territory.departement_code in territories
            and (not self.under_26_only or registration.under_26_on(today))
            and (not self.rqth_only or registration.rqth)
            and (not self.rsa_only or registration.rsa_recipient)
            and (not self.executive_only or registration.executive)
        )


AUDIENCES: dict[str, Audience] = {
    "france_travail": Audience(nationwide=True),
    "departement": Audience(),
    "mission_locale": Audience(under_26_only=True),
    "cap_emploi": Audience(rqth_only=True),
    "apec": Audience(executive_only=True),
    # The CAF instructs the RSA: identity, address and situation of RSA recipients, read only.
    "caf": Audience(rsa_only=True, may_write=False, sections=("identity", "address", "situation")),
}


def audience_of(viewer: Viewer) -> Audience | None:
    return AUDIENCES.get(viewer.org_type)


def may_read(viewer: Viewer, registration: Registration, today: date) -> bool:
    audience = audience_of(viewer)
    return audience is not None and audience.covers(registration, viewer.territories, today)


def may_write(viewer: Viewer, registration: Registration, today: date) -> bool:
    audience = audience_of(viewer)
    return audience is not None and audience.may_write and may_read(viewer, registration, today)


def visible_sections(viewer: Viewer) -> tuple[str, ...]:
    audience = audience_of(viewer)
    return audience.sections if audience else ()
