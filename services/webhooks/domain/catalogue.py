"""The event types partners may subscribe to, and what each tells: the thin payload's recipe.

Each partner-facing type is a platform event type (the name partners read in the AsyncAPI document).
For a person, the payload says which kind of fact changed, names the person and links the resource;
the partner then reads it with a purpose, which the owning service logs in the person's access log.
Which relations may learn each kind of fact follows what the dossier grants each relation (its
sections): a CAF learns of RSA-related registrations, not of a diagnostic.
"""
from __future__ import annotations

from dataclasses import dataclass

from services.core.person_policy import Relation

ALL_RELATIONS = frozenset(Relation)
_FOLLOWING = frozenset({Relation.OPERATOR, Relation.REFERENT, Relation.ORIENTATION_TARGET, Relation.RSA_DEPARTEMENT})

# Kind of fact -> the relations that may learn it changed (dossier sections: identity, orientation,
# diagnostic, contract, reviews).
RELATIONS_BY_KIND: dict[str, frozenset[Relation]] = {
    "registration": ALL_RELATIONS,
    "orientation": _FOLLOWING,
    "diagnostic": frozenset({Relation.OPERATOR, Relation.REFERENT, Relation.ORIENTATION_TARGET}),
    "contract": frozenset({Relation.OPERATOR, Relation.REFERENT, Relation.RSA_DEPARTEMENT}),
    "reviews": frozenset({Relation.OPERATOR, Relation.REFERENT, Relation.RSA_DEPARTEMENT}),
}
OFFER = "offer"  # public facts: any subscriber with the scope
TEST = "test"


@dataclass(frozen=True)
class PartnerEventType:
    name: str
    kind: str
    subject_field: str
    link: str  # the resource to read, `{id}` the subject
    changed: tuple[str, ...]
    carries_offer: bool = False

    @property
    def about_person(self) -> bool:
        return self.kind in RELATIONS_BY_KIND


def _person(name: str, kind: str, subject_field: str, link: str, *changed: str) -> PartnerEventType:
    return PartnerEventType(name, kind, subject_field, link, changed)


def _offer(name: str, carries: bool) -> PartnerEventType:
    return PartnerEventType(name, OFFER, "offer_id", "/v1/offers/{id}", ("offer",), carries)


CATALOGUE: dict[str, PartnerEventType] = {t.name: t for t in (
    _person("registration.person.registered.v2", "registration", "registration_id", "/v1/registrations/{id}",
            "registration"),
    _person("registration.person.updated.v2", "registration", "registration_id", "/v1/registrations/{id}",
            "registration"),
    _person("orientation.decision.made.v1", "orientation", "person_id", "/v1/orientation/decisions/{id}",
            "orientation"),
    _person("orientation.decision.reoriented.v1", "orientation", "person_id", "/v1/orientation/decisions/{id}",
            "orientation"),
    _person("dossier.diagnostic.completed.v1", "diagnostic", "person_id", "/v1/dossiers/{id}", "diagnostic"),
    _person("dossier.contract.signed.v1", "contract", "person_id", "/v1/dossiers/{id}", "contract"),
    _person("dossier.review.recorded.v1", "reviews", "person_id", "/v1/dossiers/{id}", "reviews"),
    _offer("offers.offer.published.v1", True),
    _offer("offers.offer.updated.v1", True),
    _offer("offers.offer.withdrawn.v1", False),
    _offer("offers.offer.expired.v1", False),
    _offer("offers.offer.filled.v1", False),
)}
PARTNER_EVENT_TYPES = frozenset(CATALOGUE)
TEST_EVENT_TYPE = "webhooks.endpoint.test.v1"
