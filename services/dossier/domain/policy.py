"""Who may see and change which part of a person's dossier: the policy table, as data.

Access depends on the organisation's relation to the person, not on its type alone: the mission
locale that is the person's referent reads and writes the diagnostic, another mission locale does
not even learn the person exists. Each relation is open to some organisation types only
(`RELATIONS_BY_ORG_TYPE`) and holds only under a condition on the person (`holds`); what each
relation grants is `POLICY`. An organisation holding several relations gets the union.

Choices made here (Propositions #10, #11, #65, #91–#94; GDPR data minimisation):
- France Travail, the operator of the shared information system, reads every section and writes
  the diagnostic and the contract, but sees health data only when it is itself the referent.
- Health data (barriers, RQTH, the diagnostic's health notes) is for the referent only.
- The orientation target (before the decision) reads what it needs to prepare the first
  appointment, including the diagnostic; it writes nothing until it becomes the referent.
- The département of residence, authority for RSA recipients, follows orientation, contract and
  reviews (it decides RSA sanctions), not the diagnostic.
- The CAF reads the RSA-related status only.
- Temp agencies, employers, OPCOs and régions hold no relation: the dossier is not theirs.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from services.dossier.domain.dossier import Dossier
from services.dossier.domain.sections import (
    ACCESS_LOG, APPOINTMENTS, CONTRACT, DIAGNOSTIC, HEALTH, HISTORY, IDENTITY, ORIENTATION, REVIEWS, RSA_STATUS,
)


class Caller(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]


class Relation(StrEnum):
    OPERATOR = "operator"  # France Travail: registers everyone, runs the shared information system
    REFERENT = "referent"  # the organisation the person was oriented to (decision made)
    ORIENTATION_TARGET = "orientation_target"  # the proposed organisation, before the decision
    RSA_DEPARTEMENT = "rsa_departement"  # the département of residence of an RSA recipient
    RSA_CAF = "rsa_caf"  # the CAF of residence of an RSA recipient


R, RW = "r", "rw"

POLICY: dict[Relation, dict[str, str]] = {
    Relation.OPERATOR: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: RW, CONTRACT: RW,
                        REVIEWS: R, HISTORY: R, ACCESS_LOG: R},
    Relation.REFERENT: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: RW, CONTRACT: RW,
                        REVIEWS: RW, HISTORY: R, ACCESS_LOG: R, HEALTH: R},
    Relation.ORIENTATION_TARGET: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: R},
    Relation.RSA_DEPARTEMENT: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, CONTRACT: R,
                               REVIEWS: R, HISTORY: R},
    Relation.RSA_CAF: {RSA_STATUS: R},
}

_ACCOMPANYING = (Relation.REFERENT, Relation.ORIENTATION_TARGET)
RELATIONS_BY_ORG_TYPE: dict[str, tuple[Relation, ...]] = {
    "france_travail": (Relation.OPERATOR, *_ACCOMPANYING),
    "mission_locale": _ACCOMPANYING,
    "cap_emploi": _ACCOMPANYING,
    "apec": _ACCOMPANYING,
    "partner": _ACCOMPANYING,  # delegated accompaniment (PLIE, associations) under agreement
    "departement": (*_ACCOMPANYING, Relation.RSA_DEPARTEMENT),
    "caf": (Relation.RSA_CAF,),
    "region": (), "opco": (), "temp_agency": (), "employer": (),
}


@dataclass(frozen=True)
class Person:
    """What the policy needs to know about the person, from the dossier's event-built sections."""

    departement_code: str | None
    rsa_recipient: bool
    referent_org_id: str | None
    target_org_id: str | None

    @classmethod
    def of(cls, dossier: Dossier) -> "Person":
        identity, orientation = dossier.section(IDENTITY).content, dossier.current_orientation
        org_id = (orientation.get("referent") or {}).get("org_id")
        decided = orientation.get("status") == "decided"
        return cls(identity.get("departement_code"), bool(identity.get("rsa_recipient")),
                   org_id if decided else None, org_id if not decided else None)


def holds(relation: Relation, caller: Caller, person: Person) -> bool:
    lives_in_territory = person.departement_code is not None and person.departement_code in caller.territories
    match relation:
        case Relation.OPERATOR:
            return True
        case Relation.REFERENT:
            return person.referent_org_id == caller.org_id
        case Relation.ORIENTATION_TARGET:
            return person.target_org_id == caller.org_id
        case Relation.RSA_DEPARTEMENT | Relation.RSA_CAF:
            return person.rsa_recipient and lives_in_territory


def relations(caller: Caller, person: Person) -> frozenset[Relation]:
    return frozenset(r for r in RELATIONS_BY_ORG_TYPE.get(caller.org_type, ()) if holds(r, caller, person))


@dataclass(frozen=True)
class Grants:
    """What one caller may do on one person's dossier."""

    relations: frozenset[Relation]

    @classmethod
    def of(cls, caller: Caller, person: Person) -> "Grants":
        return cls(relations(caller, person))

    @property
    def knows_person(self) -> bool:
        return bool(self.relations)

    def may_read(self, section: str) -> bool:
        return any("r" in POLICY[r].get(section, "") for r in self.relations)

    def may_write(self, section: str) -> bool:
        return any("w" in POLICY[r].get(section, "") for r in self.relations)

    @property
    def sees_health(self) -> bool:
        return self.may_read(HEALTH)


class Purpose(StrEnum):
    """Why a dossier is read: stated on every read and kept in the access log."""

    ACCOMPANIMENT = "accompaniment"
    ORIENTATION = "orientation"
    RSA_ENTITLEMENT = "rsa_entitlement"
    CONTROL = "control"
