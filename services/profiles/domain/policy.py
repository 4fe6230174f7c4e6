"""Who may do what in the profile bank, as tables keyed by the caller's organisation type and its
relation to the person (the platform's rule: services/core/person_policy.py).

- Searching: an organisation searches as one audience (employers, temp agencies, the network's
  counsellors) and finds only the people who consented to that audience. CAF, OPCOs and régions
  have no audience: the bank is for recruiting and accompanying (seeds 001, l. 3673-3676).
- Managing (consent, statement, interest answers, access log): the person's referent, or France
  Travail as operator of the shared information system. Nobody else learns the person exists.
- The person themself (their own token, /v1/me/profile): gives or withdraws consent and answers
  interest requests as the referent does for them; another person's profile is unknown to them.
- Contributing (the partners' second API, seeds l. 1871): a partner writes only about people who
  consented to the audience it belongs to.
"""
from __future__ import annotations

from datetime import date
from typing import Protocol

from services.core.person_policy import PersonFacts, Relation, relations
from services.profiles.domain.consent import Audience
from services.profiles.domain.profile import Profile

AUDIENCE_BY_ORG_TYPE: dict[str, Audience] = {
    "employer": Audience.EMPLOYERS,
    "temp_agency": Audience.TEMP_AGENCIES,
    "france_travail": Audience.COUNSELLORS,
    "mission_locale": Audience.COUNSELLORS,
    "cap_emploi": Audience.COUNSELLORS,
    "apec": Audience.COUNSELLORS,
    "departement": Audience.COUNSELLORS,
    "partner": Audience.COUNSELLORS,  # associations, training bodies (Afpa) working with the person
}
# The person about their own profile: a relation of this service's table, held by no organisation.
SELF = "self"
MANAGING_RELATIONS = frozenset({Relation.REFERENT, Relation.OPERATOR, SELF})


class Organisation(Protocol):
    org_id: str
    org_type: str
    territories: tuple[str, ...]
    person_id: str | None  # set on a person's own token only


def audience_of(org: Organisation) -> Audience | None:
    return AUDIENCE_BY_ORG_TYPE.get(org.org_type)


def relations_to(org: Organisation, profile: Profile, today: date) -> frozenset[str]:
    """The caller's relations to the profile's person: the platform's, or the person's own."""
    if org.person_id is not None:
        return frozenset({SELF}) if org.person_id == profile.person_id else frozenset()
    return frozenset(relations(org, person_facts(profile), today))


def may_manage(org: Organisation, profile: Profile, today: date) -> bool:
    return bool(MANAGING_RELATIONS & relations_to(org, profile, today))


def person_facts(profile: Profile) -> PersonFacts:
    private = profile.private
    return PersonFacts(departement_code=profile.departement_code,
                       birth_date=date.fromisoformat(private["birth_date"]),
                       rsa_recipient=private["rsa_recipient"], executive=private["executive"],
                       referent_org_id=profile.referent_org_id)
