"""A sanctions case: the contradictory procedure a lapse opens, as a state machine.

lapse recorded -> notice sent (observation) -> [équipe pluridisciplinaire opinion] -> decision by the
competent authority -> notified -> appealed / lifted / annulled. A legitimate reason or the "droit à
l'erreur" closes it without sanction, as does an authority deciding no sanction. No decision while
the observation period runs and the person's observations are not in. Every method takes `now`
from the caller's clock, so a test drives the deadlines.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from services.core.errors import InvalidTransition, RuleBroken
from services.sanctions.domain.scale import Evaluation

REMOBILISATION = "suspension_remobilisation"
# Who sent observations from the personal space, in the timeline's `by` and the observations' `sent_by`.
PERSON = "person"


class Status(StrEnum):
    OBSERVATION = "observation"              # notice sent: the person may answer until the period ends
    AWAITING_OPINION = "awaiting_opinion"    # the équipe pluridisciplinaire's opinion is due
    AWAITING_DECISION = "awaiting_decision"
    NOTIFIED = "notified"                    # a sanction decided and notified: it may be appealed
    APPEALED = "appealed"
    LIFTED = "lifted"
    ANNULLED = "annulled"
    CLOSED = "closed_without_sanction"


class Ground(StrEnum):
    """What closes a case without sanction once the authority accepts it."""

    LEGITIMATE_REASON = "legitimate_reason"
    DROIT_A_L_ERREUR = "droit_a_l_erreur"


class Source(StrEnum):
    SYSTEM = "system"
    REFERENT_REPORT = "referent_report"
    RANDOM_CONTROL = "random_control"
    TARGETED_CONTROL = "targeted_control"

    @property
    def is_control(self) -> bool:
        return self in (Source.RANDOM_CONTROL, Source.TARGETED_CONTROL)


IN_FORCE = (Status.NOTIFIED, Status.APPEALED)


@dataclass(frozen=True)
class Lapse:
    id: str
    person_id: str
    obligation: str
    source: Source
    evidence: str
    occurred_at: datetime
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Step:
    """One line of the case's timeline: what happened, when, by whom (an org id or `system`)."""

    kind: str
    at: datetime
    by: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseChanged:
    """Raised for what those who pay must hear about: a decision, its lifting, its annulment."""

    kind: str  # decided | lifted | annulled
    case: "Case"


@dataclass
class Case:
    id: str
    person_id: str
    territory: str
    public: str
    scale_version: str
    category: str
    previous_sanctions: int
    household_size: int
    evaluation: Evaluation
    opened_at: datetime
    observation_ends_at: datetime
    status: Status = Status.OBSERVATION
    version: int = 1
    lapse_ids: list[str] = field(default_factory=list)
    observations: dict[str, Any] | None = None
    opinion: dict[str, Any] | None = None
    decision: dict[str, Any] | None = None
    reengagement: dict[str, str] = field(default_factory=dict)
    timeline: list[Step] = field(default_factory=list)
    changes: list[CaseChanged] = field(default_factory=list)

    @classmethod
    def open(cls, case_id: str, lapses: list[Lapse], territory: str, public: str, category: str,
             previous_sanctions: int, household_size: int, evaluation: Evaluation, now: datetime) -> "Case":
        """A lapse never leads straight to a sanction: it opens a case and the notice goes out at once."""
        case = cls(case_id, lapses[0].person_id, territory, public, evaluation.version, category, previous_sanctions,
                   household_size, evaluation, now, now + timedelta(days=evaluation.observation_days))
        for lapse in lapses:
            case.lapse_ids.append(lapse.id)
            case._step("lapse_recorded", lapse.recorded_at, lapse.recorded_by, obligation=lapse.obligation,
                       source=lapse.source.value)
        case._step("notice_sent", now, "system", answer_by=case.observation_ends_at.isoformat(),
                   possible_consequence=evaluation.consequence.kind, rule=evaluation.rule)
        return case

    def add_lapse(self, lapse: Lapse) -> None:
        """A further lapse while the procedure runs joins it: one procedure per person at a time."""
        self._expect("add a lapse", *_OPEN)
        self.lapse_ids.append(lapse.id)
        self._step("lapse_recorded", lapse.recorded_at, lapse.recorded_by, obligation=lapse.obligation,
                   source=lapse.source.value)
        self.version += 1

    @property
    def needs_opinion(self) -> bool:
        return self.evaluation.equipe_pluridisciplinaire

    @property
    def is_open(self) -> bool:
        return self.status in (Status.OBSERVATION, Status.AWAITING_OPINION, Status.AWAITING_DECISION)

    def record_observations(self, text: str, accepted_ground: Ground | None, by: str, now: datetime,
                            sent_by: str | None = None) -> None:
        self._expect("record observations", Status.OBSERVATION, Status.AWAITING_OPINION, Status.AWAITING_DECISION)
        ground = accepted_ground.value if accepted_ground else None
        self.observations = {"text": text, "accepted_ground": ground, "at": now.isoformat()}
        if sent_by is not None:
            self.observations["sent_by"] = sent_by
        self._step("observations_received", now, by, accepted_ground=ground, sent_by=sent_by)
        if accepted_ground is not None:
            self._close(now, by, accepted_ground.value)
        elif self.status is Status.OBSERVATION:
            self._after_observation(now, "observations_in")
        self.version += 1

    def observe_as_person(self, text: str, now: datetime) -> None:
        """The person's own observations, sent from their personal space: within the period for them
        only (the notice's `answer_by`), and once; recorded as the authority records those it receives,
        marked as sent by the person. Accepting a ground stays the authority's call."""
        deadline = self.observation_ends_at.isoformat()
        if self.observations is not None:
            raise InvalidTransition("Observations on this case are already in.", deadline=deadline)
        if self.status is not Status.OBSERVATION or now >= self.observation_ends_at:
            raise InvalidTransition(f"The period for observations ended on {deadline}.", deadline=deadline)
        self.record_observations(text, None, PERSON, now, sent_by=PERSON)

    def tick(self, now: datetime) -> bool:
        """The deadline job: the observation period has ended without observations."""
        if self.status is not Status.OBSERVATION or now < self.observation_ends_at:
            return False
        self._after_observation(now, "observation_period_ended")
        self.version += 1
        return True

    def give_opinion(self, recommendation: str, comment: str | None, by: str, now: datetime) -> None:
        # For a remobilisation the PCD may still ask the équipe for an opinion (L3352): accepted while
        # the decision is due, never before the person had the chance to answer.
        allowed = (Status.AWAITING_OPINION, Status.AWAITING_DECISION) if self.public == "rsa" else (Status.AWAITING_OPINION,)
        self._expect("record the équipe pluridisciplinaire's opinion", *allowed)
        self.opinion = {"recommendation": recommendation, "comment": comment, "at": now.isoformat(), "by": by}
        self.status = Status.AWAITING_DECISION
        self._step("opinion_given", now, by, recommendation=recommendation)
        self.version += 1

    def decide(self, sanction: bool, months: int | None, reduction_percent: int | None, by: str,
               now: datetime) -> None:
        if self.status is Status.OBSERVATION:
            raise InvalidTransition(f"No decision before the observation period ends "
                                    f"({self.observation_ends_at.isoformat()}) or the person's observations are in.")
        self._expect("decide", Status.AWAITING_DECISION)
        if not sanction:
            self._close(now, by, "no_sanction")
            self.version += 1
            return
        consequence = self._chosen(months, reduction_percent)
        self.decision = {"consequence": consequence, "rule": self.evaluation.rule, "decided_at": now.isoformat(),
                         "decided_by": by}
        self.status = Status.NOTIFIED
        self._step("decided", now, by, rule=self.evaluation.rule, kind=consequence["kind"])
        self._step("notified", now, "system", appeals=list(self.evaluation.appeals))
        self.changes.append(CaseChanged("decided", self))
        self._lift_if_reengaged(now)
        self.version += 1

    def appeal(self, kind: str, by: str, now: datetime) -> None:
        self._expect("record an appeal", Status.NOTIFIED)
        if kind not in self.evaluation.appeals:
            raise RuleBroken(f"This regime's appeals are: {', '.join(self.evaluation.appeals)}.", field="kind")
        self.status = Status.APPEALED
        self._step("appealed", now, by, kind=kind)
        self.version += 1

    def lift(self, reason: str, by: str, now: datetime) -> None:
        self._expect("lift", *IN_FORCE)
        self.status = Status.LIFTED
        self._step("lifted", now, by, reason=reason)
        self.changes.append(CaseChanged("lifted", self))
        self.version += 1

    def annul(self, reason: str, by: str, now: datetime) -> None:
        self._expect("annul", *IN_FORCE, Status.LIFTED)
        self.status = Status.ANNULLED
        self._step("annulled", now, by, reason=reason)
        self.changes.append(CaseChanged("annulled", self))
        self.version += 1

    def record_reengagement(self, what: str, at: datetime, now: datetime) -> bool:
        """`interview_held` or `contract_signed`, after the case opened: a suspension-remobilisation
        in force is lifted once both are in (L3352). True when the case changed."""
        if at < self.opened_at or what in self.reengagement or self.status not in (*IN_FORCE, *_OPEN):
            return False
        self.reengagement[what] = at.isoformat()
        self._step(what, at, "system")
        self._lift_if_reengaged(now)
        self.version += 1
        return True

    def _lift_if_reengaged(self, now: datetime) -> None:
        remobilisation = self.decision is not None and self.decision["consequence"]["kind"] == REMOBILISATION
        if remobilisation and self.status in IN_FORCE and {"interview_held", "contract_signed"} <= set(self.reengagement):
            self.status = Status.LIFTED
            self._step("lifted", now, "system", reason="remobilised")
            self.changes.append(CaseChanged("lifted", self))

    def _chosen(self, months: int | None, reduction_percent: int | None) -> dict[str, Any]:
        """The consequence within the scale's limits: the authority sets months and rate in them."""
        scale = self.evaluation.consequence.as_dict()
        low, high = scale["months_min"], scale["months_max"]
        if months is not None and ((low is not None and months < low) or (high is not None and months > high)):
            raise RuleBroken(f"The scale allows {low} to {high} months here.", field="months")
        ceiling = scale["max_reduction_percent"]
        if reduction_percent is not None and ceiling is not None and reduction_percent > ceiling:
            raise RuleBroken(f"The scale allows a reduction of at most {ceiling} % here.", field="reduction_percent")
        chosen_months = months if months is not None else high
        return {**scale, "months": chosen_months, "reduction_percent": reduction_percent if reduction_percent is not None
                else ceiling}

    def _after_observation(self, now: datetime, why: str) -> None:
        self.status = Status.AWAITING_OPINION if self.needs_opinion else Status.AWAITING_DECISION
        self._step(why, now, "system", next=self.status.value)

    def _close(self, now: datetime, by: str, reason: str) -> None:
        self.status = Status.CLOSED
        self._step("closed_without_sanction", now, by, reason=reason)

    def _expect(self, action: str, *allowed: Status) -> None:
        if self.status not in allowed:
            raise InvalidTransition(f"Cannot {action}: the case is {self.status.value}.")

    def _step(self, step: str, at: datetime, by: str, **detail: Any) -> None:
        self.timeline.append(Step(step, at, by, {k: v for k, v in detail.items() if v is not None}))


_OPEN = (Status.OBSERVATION, Status.AWAITING_OPINION, Status.AWAITING_DECISION)
