"""The platform's one rule for "may this organisation know this person exists".

An organisation knows a person when it holds at least one relation to them. Each relation is open
to some organisation types only (`RELATIONS_BY_ORG_TYPE`) and holds only under a condition on the
person's facts (`holds`). Every service answers the same `404` for a person its caller holds no
relation to, whether the id is unknown or not; on top, each service grants its own actions per
relation (the dossier's sections, registration's sections per type, orientation's decisions).

The relations, and why each exists:
- operator: France Travail registers everyone and runs the shared information system.
- referent: the organisation the person was oriented to (the decision is made).
- orientation_target: the organisation a proposal or a pending decision names, to prepare the first
  appointment.
- rsa_departement: the département of residence of an RSA recipient, authority for their
  orientation, contract and sanctions.
- rsa_caf: the CAF of residence of an RSA recipient, which pays the RSA.
- counter: a counter of the network for its own public in its territories, before any orientation
  (a mission locale receives the under-26s, APEC the executives): it registers them and follows
  them until orientation names a referent.

Where the two former rules disagreed (registration: an audience by type and territory; dossier:
relations only), this rule decides:
- A mission locale that is not the referent knows the under-26s of its territories (counter): it
  registers them, so hiding them from it would contradict what it typed. It gets no more than the
  counter's grants of each service (in the dossier: the identity only); a mission locale of
  another territory, or for a person over 26, learns nothing.
- A département knows the RSA recipients of its territories, and the people it is the referent or
  target of; no longer every resident: it has no mission towards a non-RSA person it does not
  accompany (GDPR data minimisation).
- A referent keeps its person when they move or turn 26: the relation, not the territory, holds.
- Cap emploi has no counter public: its public is RQTH holders, and RQTH is health data that is
  never broadcast, so no service but registration could apply such a condition and the answers
  would differ. It knows the people orientation sends it (target, then referent).
- A CAF knows RSA recipients of its territories only; temp agencies, employers, OPCOs and régions
  know nobody.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Protocol

from services.core.age import under_26


class Organisation(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]


class Relation(StrEnum):
    OPERATOR = "operator"
    REFERENT = "referent"
    ORIENTATION_TARGET = "orientation_target"
    RSA_DEPARTEMENT = "rsa_departement"
    RSA_CAF = "rsa_caf"
    COUNTER = "counter"


@dataclass(frozen=True)
class PersonFacts:
    """What the rule reads about a person: registration facts, and orientation's current referent
    (decided) or target (proposed, or pending). Never health data."""

    departement_code: str | None
    birth_date: date | None
    rsa_recipient: bool
    executive: bool
    referent_org_id: str | None = None
    target_org_id: str | None = None

    def oriented(self, status: str | None, org_id: str | None) -> "PersonFacts":
        """These facts with orientation's current state: a decision names the referent, a proposal
        (not yet decided) its target."""
        decided = status == "decided"
        return replace(self, referent_org_id=org_id if decided else None,
                       target_org_id=org_id if not decided else None)


_ACCOMPANYING = (Relation.REFERENT, Relation.ORIENTATION_TARGET)
RELATIONS_BY_ORG_TYPE: dict[str, tuple[Relation, ...]] = {
    "france_travail": (Relation.OPERATOR, *_ACCOMPANYING),
    "mission_locale": (*_ACCOMPANYING, Relation.COUNTER),
    "apec": (*_ACCOMPANYING, Relation.COUNTER),
    "cap_emploi": _ACCOMPANYING,
    "partner": _ACCOMPANYING,  # delegated accompaniment (PLIE, associations) under agreement
    "departement": (*_ACCOMPANYING, Relation.RSA_DEPARTEMENT),
    "caf": (Relation.RSA_CAF,),
    "region": (), "opco": (), "temp_agency": (), "employer": (),
}


def in_counter_public(org_type: str, person: PersonFacts, today: date) -> bool:
    """The public a counter receives, territory aside."""
    if org_type == "mission_locale":
        return person.birth_date is not None and under_26(person.birth_date, today)
    return org_type == "apec" and person.executive


def holds(relation: Relation, org: Organisation, person: PersonFacts, today: date) -> bool:
    lives_in_territory = person.departement_code is not None and person.departement_code in org.territories
    match relation:
        case Relation.OPERATOR:
            return True
        case Relation.REFERENT:
            return person.referent_org_id == org.org_id
        case Relation.ORIENTATION_TARGET:
            return person.target_org_id == org.org_id
        case Relation.RSA_DEPARTEMENT | Relation.RSA_CAF:
            return person.rsa_recipient and lives_in_territory
        case Relation.COUNTER:
            return lives_in_territory and in_counter_public(org.org_type, person, today)


def relations(org: Organisation, person: PersonFacts, today: date) -> frozenset[Relation]:
    return frozenset(r for r in RELATIONS_BY_ORG_TYPE.get(org.org_type, ()) if holds(r, org, person, today))


def may_know(org: Organisation, person: PersonFacts | None, today: date) -> bool:
    """None is an unknown person: known to nobody, so the caller gets the same answer either way."""
    return person is not None and bool(relations(org, person, today))
