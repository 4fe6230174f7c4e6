"""A person's orientation: the facts kept from registration and the history of decisions.

Each change of state (rules' answer, proposal, the département's decision, automatic fallback,
interview outcome, re-orientation) appends a decision; the last one is current. Nothing is
overwritten, so "who decided what, under which referential and why" stays answerable.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from services.core.age import under_26
from services.core.errors import InvalidTransition, RuleBroken
from services.orientation.domain.events import DecisionRecorded
from services.orientation.domain.referential import Facts, Referential, months_between
from services.orientation.domain.rules import Outcome, eligible

PROPOSED, DECIDED, PENDING_INTERVIEW = "proposed", "decided", "pending_interview"
MADE, REORIENTED = "made", "reoriented"
# A decision taken by a person (not by rules or by default) is final; so is any decision once a
# first appointment is booked: orientation is confirmed there, later changes are re-orientations.
HUMAN_DECIDERS = ("departement", "interview", "reorientation")
DECISION_NAMESPACE = uuid.UUID("0b8f6c1e-5a4d-4f7e-9c3b-2d1e0f9a8b7c")


@dataclass(frozen=True)
class Person:
    """The registration facts orientation needs (never the NIR, no health details beyond the
    barrier flags the rules read)."""

    person_id: str
    birth_date: date
    commune_code: str
    departement_code: str
    rsa_recipient: bool
    rqth: bool
    executive: bool
    pre_diagnostic: dict[str, Any] | None
    registered_at: datetime

    def facts(self, now: datetime) -> Facts:
        return Facts(rsa_recipient=self.rsa_recipient, rqth=self.rqth, executive=self.executive,
                     under_26=under_26(self.birth_date, now.date()),
                     registered_months=months_between(self.registered_at, now),
                     answers=dict(self.pre_diagnostic or {}))


@dataclass(frozen=True)
class Referent:
    org_type: str
    org_id: str


@dataclass(frozen=True)
class Choice:
    """An orientation chosen by a person (département, counsellor) rather than by the rules."""

    pathway: str
    org_type: str
    intensity: str


@dataclass(frozen=True)
class Decision:
    decision_id: str
    kind: str
    status: str
    decided_by: str | None
    pathway: str | None
    referent: Referent | None
    intensity: str | None
    referential: dict[str, Any]  # {territory, version, national_version}
    rule: str
    rule_ids: tuple[str, ...]
    decided_at: datetime
    recorded_by: str | None = None  # org_id of whoever acted; None for rules and defaults
    reason: str | None = None
    comment: str | None = None  # the counsellor's notes: kept here, never published in events
    previous_decision_id: str | None = None


@dataclass
class Orientation:
    person: Person
    history: list[Decision] = field(default_factory=list)
    version: int = 0
    decision_due_at: datetime | None = None  # when a pending proposal becomes the decision
    preferred_org_type: str | None = None
    # Decisions recorded since loading, as events: the repository appends them to the history it
    # stores, the service publishes them, then clears the list.
    events: list[DecisionRecorded] = field(default_factory=list, repr=False)

    @property
    def current(self) -> Decision | None:
        return self.history[-1] if self.history else None

    @property
    def status(self) -> str | None:
        return self.current.status if self.current else None

    def is_final(self, has_appointment: bool) -> bool:
        current = self.current
        return current is not None and current.status == DECIDED and (
            current.decided_by in HUMAN_DECIDERS or has_appointment)

    # -- transitions ---------------------------------------------------------------------------
    def apply_rules(self, referential: Referential, outcome: Outcome, org_id: str | None, now: datetime) -> Decision:
        """The rules' answer: decided, proposed to the deciding département, or an interview."""
        if outcome.needs_interview or org_id is None:
            rule = outcome.explanation if outcome.needs_interview else (
                f"Giratoire interview needed: no {outcome.org_type} organisation is listed for "
                f"département {self.person.departement_code}. {outcome.explanation}")
            return self._record(Decision(self._next_id(), MADE, PENDING_INTERVIEW, None, outcome.pathway, None, None,
                                         _cite(referential), rule, outcome.rule_ids, now))
        referent = Referent(outcome.org_type, org_id)
        if self._departement_decides(referential):
            return self._record(Decision(
                self._next_id(), MADE, PROPOSED, None, outcome.pathway, referent, outcome.intensity, _cite(referential),
                f"Proposal to the département: {outcome.explanation}", outcome.rule_ids, now),
                due_at=self._due(referential))
        decided_by = "delegated_operator" if self.person.rsa_recipient else "rules"
        return self._record(Decision(self._next_id(), MADE, DECIDED, decided_by, outcome.pathway, referent,
                                     outcome.intensity, _cite(referential), outcome.explanation, outcome.rule_ids, now))

    def validate(self, referential: Referential, amendment: Choice | None, org_id: str, by_org: str, now: datetime,
                 reason: str | None, comment: str | None) -> Decision:
        proposal = self._require(PROPOSED, "Only a proposal awaiting the département can be validated.")
        if amendment is None:
            pathway, referent, intensity = proposal.pathway, proposal.referent, proposal.intensity
            rule = f"Validated by the département ({by_org}) as proposed. {proposal.rule.removeprefix('Proposal to the département: ')}"
        else:
            self.check_choice(referential, amendment, now)
            pathway, referent, intensity = amendment.pathway, Referent(amendment.org_type, org_id), amendment.intensity
            rule = (f"Decided by the département ({by_org}), amending the proposal: pathway {pathway}, referent "
                    f"{amendment.org_type}, intensity {intensity}; reason: {reason}.")
        return self._record(Decision(self._next_id(), proposal.kind, DECIDED, "departement", pathway, referent,
                                     intensity, _cite(referential), rule, ("departement-decision",), now, by_org,
                                     reason or proposal.reason, comment, proposal.decision_id))

    def fall_back(self, now: datetime) -> Decision | None:
        """Without the département's decision in time, the operator's proposal becomes the decision."""
        proposal = self.current
        if proposal is None or proposal.status != PROPOSED or self.decision_due_at is None or now < self.decision_due_at:
            return None
        days = (self.decision_due_at - self.person.registered_at).days
        return self._record(Decision(
            self._next_id(), proposal.kind, DECIDED, "automatic_fallback", proposal.pathway, proposal.referent,
            proposal.intensity, proposal.referential,
            f"The proposal became the decision automatically: no decision from the département within {days} days "
            f"of registration. {proposal.rule.removeprefix('Proposal to the département: ')}",
            (*proposal.rule_ids, "automatic-fallback"), now, reason=proposal.reason,
            previous_decision_id=proposal.decision_id))

    def record_interview(self, referential: Referential, choice: Choice, org_id: str, by_org: str,
                         by_departement: bool, now: datetime, comment: str | None) -> Decision:
        if self.status not in (PENDING_INTERVIEW, PROPOSED):
            raise InvalidTransition("An interview outcome applies to an orientation pending an interview or a "
                                    "proposal; a decided orientation changes by re-orientation.")
        self.check_choice(referential, choice, now)
        rule = (f"Giratoire interview held by {by_org}: pathway {choice.pathway}, referent {choice.org_type}, "
                f"intensity {choice.intensity}.")
        return self._human(referential, choice, org_id, by_org, by_departement, now, MADE, "interview",
                           rule, ("giratoire-interview",), None, comment)

    def reorient(self, referential: Referential, choice: Choice, org_id: str, by_org: str, by_departement: bool,
                 now: datetime, reason: str, comment: str | None) -> Decision:
        self._require(DECIDED, "Only a decided orientation can be re-oriented.")
        self.check_choice(referential, choice, now)
        rule = (f"Re-oriented by {by_org} (reason: {reason}): pathway {choice.pathway}, referent {choice.org_type}, "
                f"intensity {choice.intensity}.")
        return self._human(referential, choice, org_id, by_org, by_departement, now, REORIENTED,
                           "reorientation", rule, ("reorientation",), reason, comment)

    def check_choice(self, referential: Referential, choice: Choice, now: datetime) -> None:
        facts = replace(self.person.facts(now), pathway=choice.pathway)
        if not eligible(referential, facts, choice.org_type):
            raise RuleBroken(f"A {choice.org_type} referent is not open to this person on a {choice.pathway} "
                                   f"pathway under the referential in force.", field="referent_org_type")

    # -- helpers -------------------------------------------------------------------------------
    def _human(self, referential, choice, org_id, by_org, by_departement, now, kind, decided_by, rule,
               rule_ids, reason, comment) -> Decision:
        """A counsellor's choice for an RSA recipient still goes to the deciding département."""
        referent = Referent(choice.org_type, org_id)
        previous = self.current.decision_id if self.current else None
        if self._departement_decides(referential) and not by_departement:
            return self._record(Decision(
                self._next_id(), kind, PROPOSED, None, choice.pathway, referent, choice.intensity, _cite(referential),
                f"Proposal to the département: {rule}", rule_ids, now, by_org, reason, comment, previous),
                due_at=self._due(referential))
        return self._record(Decision(self._next_id(), kind, DECIDED, decided_by, choice.pathway, referent, choice.intensity,
                                     _cite(referential), rule, rule_ids, now, by_org, reason, comment, previous))

    def _next_id(self) -> str:
        # Derived from the person and the decision's rank: a replay of the same events into a fresh
        # database names the same decisions.
        return str(uuid.uuid5(DECISION_NAMESPACE, f"{self.person.person_id}/{len(self.history) + 1}"))

    def _departement_decides(self, referential: Referential) -> bool:
        return self.person.rsa_recipient and referential.rsa_authority == "departement"

    def _due(self, referential: Referential) -> datetime:
        return self.person.registered_at + timedelta(days=referential.decision_delay_days)

    def _require(self, status: str, message: str) -> Decision:
        if self.status != status:
            raise InvalidTransition(message)
        return self.current  # type: ignore[return-value]

    def _record(self, decision: Decision, due_at: datetime | None = None) -> Decision:
        self.history.append(decision)
        self.events.append(DecisionRecorded(decision))
        self.version += 1
        self.decision_due_at = due_at
        return decision


def _cite(referential: Referential) -> dict[str, Any]:
    return {"territory": referential.territory, "version": referential.version,
            "national_version": referential.national_version}
