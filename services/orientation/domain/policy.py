"""Who may see and act on a person's orientation: object-level rules as pure functions.

Who sees the person at all is the platform's one rule (`services.core.person_policy`): an
organisation with no relation to the person is told nothing exists (404), as by every service.
On top, the département of residence decides for RSA recipients, and France Travail or the
referent organisation books the first appointment.
"""
from __future__ import annotations

from datetime import date
from typing import Protocol

from services.core.person_policy import PersonFacts, may_know
from services.orientation.domain.model import Orientation


class Viewer(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]


def facts_of(orientation: Orientation) -> PersonFacts:
    person, current = orientation.person, orientation.current
    facts = PersonFacts(person.departement_code, person.birth_date, person.rsa_recipient, person.executive)
    referent = current.referent if current is not None else None
    return facts.oriented(current.status if current else None, referent.org_id if referent else None)


def is_departement_of(viewer: Viewer, orientation: Orientation) -> bool:
    return viewer.org_type == "departement" and orientation.person.departement_code in viewer.territories


def has_rsa_authority(viewer: Viewer, orientation: Orientation) -> bool:
    """The département decides the orientation of the RSA recipients living in its territory: both
    conditions on the person as orientation knows them now (registration updates keep them current),
    not as they were when the proposal was made."""
    return is_departement_of(viewer, orientation) and orientation.person.rsa_recipient


def is_referent(viewer: Viewer, orientation: Orientation) -> bool:
    current = orientation.current
    return current is not None and current.referent is not None and current.referent.org_id == viewer.org_id


def may_see(viewer: Viewer, orientation: Orientation, today: date) -> bool:
    return may_know(viewer, facts_of(orientation), today)


def may_book(viewer: Viewer, orientation: Orientation) -> bool:
    """A counsellor of France Travail or of the referent organisation books the first appointment."""
    return viewer.org_type == "france_travail" or is_referent(viewer, orientation)
