"""Who may do what on a sanctions case: roles derived from the caller and the case, and a table of
what each role grants, as data.

Roles (issue 12; seed L3170, L3220, L3352, L3387):
- authority: the competent authority of the case's regime and territory decides: the agency
  director (a France Travail agency of the territory) for jobseekers, the président du conseil
  départemental for RSA recipients, the mission locale (or the operator) for the CEJ. It also
  records lapses found by its control teams and the person's observations it receives.
- referent: the organisation that accompanies the person (orientation's decision) reports lapses
  and follows the cases of the people it accompanies; it gives no opinion (L3218) and decides nothing.
- payer: the CAF of an RSA recipient's territory sees the decisions it applies (never the lapses,
  observations nor opinion), as the decision event tells it.
Nobody else sees anything: the same 404 as an unknown case.
"""
from __future__ import annotations

from datetime import date
from enum import StrEnum

from services.core.age import under_26
from services.core.person_policy import Organisation, PersonFacts

DECIDED = ("notified", "appealed", "lifted", "annulled")


class Role(StrEnum):
    AUTHORITY = "authority"
    REFERENT = "referent"
    PAYER = "payer"


class Action(StrEnum):
    REPORT = "report"                # record a lapse
    READ_CASE = "read_case"          # the whole case and its timeline
    READ_DECISION = "read_decision"  # the decision only, once made
    DECIDE = "decide"                # observations, opinion, decision, appeal, lift, annul


POLICY: dict[Role, frozenset[Action]] = {
    Role.AUTHORITY: frozenset({Action.REPORT, Action.READ_CASE, Action.READ_DECISION, Action.DECIDE}),
    Role.REFERENT: frozenset({Action.REPORT, Action.READ_CASE, Action.READ_DECISION}),
    Role.PAYER: frozenset({Action.READ_DECISION}),
}

AUTHORITY_ORG_TYPES: dict[str, tuple[str, ...]] = {
    "jobseeker": ("france_travail",),
    "rsa": ("departement",),
    "cej": ("mission_locale", "france_travail"),
}
PAYER_ORG_TYPES: dict[str, tuple[str, ...]] = {"rsa": ("caf",)}


def public_of(person: PersonFacts, today: date) -> str:
    """The regime a person falls under. An RSA recipient is one whatever their age; the CEJ is read
    from age alone (under 26), as the platform does not yet carry the CEJ contract itself."""
    if person.rsa_recipient:
        return "rsa"
    if person.birth_date is not None and under_26(person.birth_date, today):
        return "cej"
    return "jobseeker"


def roles(caller: Organisation, public: str, territory: str, person: PersonFacts | None) -> frozenset[Role]:
    found: set[Role] = set()
    in_territory = territory in caller.territories
    if in_territory and caller.org_type in AUTHORITY_ORG_TYPES.get(public, ()):
        found.add(Role.AUTHORITY)
    if person is not None and person.referent_org_id == caller.org_id:
        found.add(Role.REFERENT)
    if in_territory and caller.org_type in PAYER_ORG_TYPES.get(public, ()):
        found.add(Role.PAYER)
    return frozenset(found)


def may(granted: frozenset[Role], action: Action) -> bool:
    return any(action in POLICY[role] for role in granted)


def sees(granted: frozenset[Role], status: str) -> str | None:
    """What of a case the caller sees: `case`, `decision` (decided cases only), or None."""
    if may(granted, Action.READ_CASE):
        return "case"
    if may(granted, Action.READ_DECISION) and status in DECIDED:
        return "decision"
    return None
