"""What each relation to a person grants in their dossier, and which purposes it justifies: tables, as data.

Who knows the person at all is the platform's one rule (`services.core.person_policy`): the dossier
answers 404 to an organisation holding no relation, as every service does. Here, what each relation
grants (`POLICY`, the union when an organisation holds several) and why it may read (`PURPOSES`).

Grants (Propositions #10, #11, #65, #91–#94; GDPR data minimisation):
- France Travail, the operator of the shared information system, reads every section and writes
  the diagnostic and the contract, but sees health data only when it is itself the referent.
- Health data (barriers, RQTH, the diagnostic's health notes) is for the referent only.
- The orientation target (before the decision) reads what it needs to prepare the first
  appointment, including the diagnostic; it writes nothing until it becomes the referent.
- The département of residence, authority for RSA recipients, follows orientation, contract and
  reviews (it decides RSA sanctions), not the diagnostic.
- The CAF reads the RSA-related status only.
- A counter (a mission locale for the under-26s of its territory) reads the identity only: it
  knows the person, as it registers them, but the dossier belongs to those who accompany them.
- The referent reads and answers the person's correction requests: it keeps the file and decides.
- The referent sees the reminders that could not reach the person: notifications tells it, the
  organisation holding the appointment, so that it reaches the person another way.
- The person themselves (their own token, /v1/me) reads every section, health data included: it is
  their own (GDPR right of access, art. 15; "everyone has access to all the information France
  Travail holds about them", Propositions #26 and #92; the contract visible in the personal space,
  #11 and #65), and the access log (who read it). They change no section written by others: they
  ask a correction, which the referent answers. Not a relation between an organisation and a
  person (services.core.person_policy), so the dossier's own key; a person's reads state no
  purpose and are not logged: the log tells the person who else read their file.

Purposes (GDPR purpose limitation): a read states why; the purpose must be one the caller's
relation justifies, otherwise 403 naming `purpose`. The read then shows what the relations that
justify this purpose grant, not what the caller's other relations would.
- accompaniment: the referent, and the operator (which accompanies by default and keeps the file).
- orientation: the target (preparing the first appointment), the referent and the operator (a
  re-orientation), the RSA département (authority over an RSA recipient's orientation) and a
  counter (it receives the person and sends them on).
- rsa_entitlement: the RSA département and CAF, which decide and pay the RSA.
- control: the authorities with a control role: the operator (contrôle de la recherche d'emploi)
  and the RSA département (RSA sanctions); not the CAF, whose checks are the entitlement's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.core import health_data
from services.core.errors import Forbidden
from services.core.person_policy import Organisation, PersonFacts, Relation, relations
from services.dossier.domain.dossier import Dossier
from services.dossier.domain.sections import (
    ACCESS_LOG, APPOINTMENTS, CONTRACT, CORRECTIONS, DIAGNOSTIC, FAILED_REMINDERS, HEALTH, HISTORY, IDENTITY,
    ORIENTATION, REVIEWS, RSA_STATUS,
)

R, RW = "r", "rw"
PERSON = "person"

POLICY: dict[str, dict[str, str]] = {
    Relation.OPERATOR: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: RW, CONTRACT: RW,
                        REVIEWS: R, HISTORY: R, ACCESS_LOG: R},
    Relation.REFERENT: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: RW, CONTRACT: RW,
                        REVIEWS: RW, HISTORY: R, ACCESS_LOG: R, HEALTH: R, CORRECTIONS: RW, FAILED_REMINDERS: R},
    Relation.ORIENTATION_TARGET: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: R},
    Relation.RSA_DEPARTEMENT: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, CONTRACT: R,
                               REVIEWS: R, HISTORY: R},
    Relation.RSA_CAF: {RSA_STATUS: R},
    Relation.COUNTER: {IDENTITY: R},
    PERSON: {IDENTITY: R, RSA_STATUS: R, ORIENTATION: R, APPOINTMENTS: R, DIAGNOSTIC: R, CONTRACT: R, REVIEWS: R,
             ACCESS_LOG: R, HEALTH: R, CORRECTIONS: RW, FAILED_REMINDERS: R},
}


class Purpose(StrEnum):
    """Why a dossier is read: stated on every read and kept in the access log."""

    ACCOMPANIMENT = "accompaniment"
    ORIENTATION = "orientation"
    RSA_ENTITLEMENT = "rsa_entitlement"
    CONTROL = "control"


PURPOSES: dict[Purpose, frozenset[Relation]] = {
    Purpose.ACCOMPANIMENT: frozenset({Relation.REFERENT, Relation.OPERATOR}),
    Purpose.ORIENTATION: frozenset({Relation.ORIENTATION_TARGET, Relation.REFERENT, Relation.OPERATOR,
                                    Relation.RSA_DEPARTEMENT, Relation.COUNTER}),
    Purpose.RSA_ENTITLEMENT: frozenset({Relation.RSA_DEPARTEMENT, Relation.RSA_CAF}),
    Purpose.CONTROL: frozenset({Relation.OPERATOR, Relation.RSA_DEPARTEMENT}),
}


def facts_of(dossier: Dossier) -> PersonFacts:
    """The platform rule's facts, from the dossier's event-built sections."""
    identity, orientation = dossier.section(IDENTITY).content, dossier.current_orientation
    birth_date = identity.get("birth_date")
    facts = PersonFacts(identity.get("departement_code"), date.fromisoformat(birth_date) if birth_date else None,
                        bool(identity.get("rsa_recipient")), bool(identity.get("executive_experience")))
    return facts.oriented(orientation.get("status"), (orientation.get("referent") or {}).get("org_id"))


@dataclass(frozen=True)
class Grants:
    """What one caller may do on one person's dossier."""

    relations: frozenset[str]

    @classmethod
    def of(cls, caller: Organisation, person: PersonFacts, today: date) -> "Grants":
        return cls(relations(caller, person, today))

    @classmethod
    def own(cls) -> "Grants":
        """The person about their own dossier: whose dossier it is comes from their token, never a URL."""
        return cls(frozenset({PERSON}))

    @property
    def knows_person(self) -> bool:
        return bool(self.relations)

    def for_purpose(self, purpose: str) -> "Grants":
        """The grants of the relations that justify this purpose; refused when none does."""
        justified = self.relations & PURPOSES[Purpose(purpose)]
        if not justified:
            raise Forbidden(f"Your organisation's relation to this person does not justify the purpose '{purpose}'.",
                            field="purpose")
        return Grants(justified)

    def may_read(self, section: str) -> bool:
        return any("r" in POLICY[r].get(section, "") for r in self.relations)

    def may_write(self, section: str) -> bool:
        return any("w" in POLICY[r].get(section, "") for r in self.relations)

    @property
    def sees_health(self) -> bool:
        return health_data.sees_health(self.relations) or PERSON in self.relations
