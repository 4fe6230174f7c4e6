"""Who may see and change which registration: object-level rules, as data and pure functions.

Who knows a person at all is the platform's one rule (`services.core.person_policy`): registration
answers 404 to an organisation holding no relation to the person, as every service does. It applies
the rule on the registration's own facts; orientation's referent and target are not known here yet,
so an organisation knowing a person only as their referent or target (e.g. a mission locale whose
person moved or turned 26, Cap emploi) is not shown the registration (left for a projection of
orientation decisions). On top, each organisation type reads only the sections it needs, and the
CAF never writes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from services.core.person_policy import RELATIONS_BY_ORG_TYPE, PersonFacts, may_know
from services.registration.domain.model import SECTIONS, Registration


class Viewer(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]


# The CAF instructs the RSA: identity, address and situation of RSA recipients, read only.
SECTIONS_BY_ORG_TYPE: dict[str, tuple[str, ...]] = {"caf": ("identity", "address", "situation")}
READ_ONLY_ORG_TYPES = frozenset({"caf"})


def facts_of(registration: Registration) -> PersonFacts:
    return PersonFacts(registration.territory.departement_code, registration.birth_date,
                       registration.rsa_recipient, registration.executive)


@dataclass(frozen=True)
class Audience:
    """The people one organisation may know, as registration can tell them."""

    org: Viewer

    def covers(self, registration: Registration, today: date) -> bool:
        return may_know(self.org, facts_of(registration), today)


def audience_of(viewer: Viewer) -> Audience | None:
    """None for an organisation type that knows nobody."""
    return Audience(viewer) if RELATIONS_BY_ORG_TYPE.get(viewer.org_type) else None


def may_read(viewer: Viewer, registration: Registration, today: date) -> bool:
    return may_know(viewer, facts_of(registration), today)


def may_write(viewer: Viewer, registration: Registration, today: date) -> bool:
    return viewer.org_type not in READ_ONLY_ORG_TYPES and may_read(viewer, registration, today)


def visible_sections(viewer: Viewer) -> tuple[str, ...]:
    if not RELATIONS_BY_ORG_TYPE.get(viewer.org_type):
        return ()
    return SECTIONS_BY_ORG_TYPE.get(viewer.org_type, SECTIONS)
