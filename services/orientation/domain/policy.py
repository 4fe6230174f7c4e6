"""Who may see and act on a person's orientation: object-level rules as pure functions.

France Travail sees everyone; a département sees the people living in its territory (it has
authority over RSA recipients' orientation); the referent organisation, or the one a proposal
targets, sees its people. Anyone else is told nothing exists (404).
"""
from __future__ import annotations

from typing import Protocol

from services.orientation.domain.model import Orientation


class Viewer(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]


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


def may_see(viewer: Viewer, orientation: Orientation) -> bool:
    return viewer.org_type == "france_travail" or is_departement_of(viewer, orientation) or is_referent(viewer, orientation)


def may_book(viewer: Viewer, orientation: Orientation) -> bool:
    """A counsellor of France Travail or of the referent organisation books the first appointment."""
    return viewer.org_type == "france_travail" or is_referent(viewer, orientation)
