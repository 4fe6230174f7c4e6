"""Request and response bodies of the sanctions API (the published contract's schemas).

Request models forbid unknown fields; enumerations are Literals of strings, converted to the
domain's types in the routes. A nullable response field defaults to None.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.core.codes import EntityId, checked_against
from services.core.http import DateTime, Month, RequestBody, visible_text
from services.core.referentials.obligations import OBLIGATION_CODES

Regime = Literal["jobseeker", "rsa", "cej"]
Obligation = Literal[OBLIGATION_CODES]  # the contract's obligations referential, shared with the dossier
Source = Literal["system", "referent_report", "random_control", "targeted_control"]
Status = Literal["observation", "awaiting_opinion", "awaiting_decision", "notified", "appealed", "lifted", "annulled",
                 "closed_without_sanction"]
Text = visible_text(2000)


class SanctionLapseIn(RequestBody):
    person_id: EntityId
    obligation: Obligation = Field(description="The obligation of the contrat d'engagements réciproques breached.")
    source: Source
    evidence: Text = Field(description="The facts: kept with the case, never published in events.")
    occurred_at: DateTime = Field(json_schema_extra=checked_against("the service's clock: not in the future"))
    household_size: int = Field(1, ge=1, le=20, description="The RSA household's size (the 50 % cap applies above one).")


class SanctionObservationsIn(RequestBody):
    text: Annotated[str, StringConstraints(max_length=4000)] = Field(
        description="The person's observations as received by the authority.")
    accepted_ground: Literal["legitimate_reason", "droit_a_l_erreur"] | None = Field(
        None, description="Set when the authority accepts a legitimate reason or the droit à l'erreur: the case "
                          "closes without sanction.")


class SanctionMyObservationsIn(RequestBody):
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000)] = Field(
        description="Your observations: why the lapse happened, what you ask the authority to consider.")


class SanctionOpinionIn(RequestBody):
    recommendation: Literal["sanction", "no_sanction"]
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class SanctionDecisionIn(RequestBody):
    sanction: bool = Field(description="false: no sanction, the case closes.")
    months: int | None = Field(None, ge=0, le=24, description="Within the scale's months; its maximum by default.")
    reduction_percent: int | None = Field(None, ge=0, le=100, description="Within the scale's ceiling; the ceiling "
                                                                          "by default.")


class SanctionAppealIn(RequestBody):
    kind: Literal["hierarchical", "regional_mediation", "mandatory_prior_appeal_pcd", "operator_appeal",
                  "administrative_appeal", "courts"]


class SanctionReasonIn(RequestBody):
    reason: Text


class SanctionScaleIn(RequestBody):
    regime: Literal["jobseeker", "rsa", "cej", "target"] = Field(
        description="A public (jobseeker, rsa, cej) under the version asked, or `target`, the unified regime.")
    category: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$", max_length=40)] = Field(
        description="The seed's categories: jobseeker `missed_appointment`, `list_management`, `false_statement`; "
                    "rsa and cej `obligation`; target `initial_appointments_missed`, `control_finding`, `obligation`.",
        json_schema_extra=checked_against("the categories of the regime's scale version"))
    previous_sanctions: int = Field(0, ge=0, le=100)
    household_size: int = Field(1, ge=1, le=20)
    version: Literal["current", "target"] | None = Field(
        None, description="`current` by default; `target` for the regime `target` (which has no other).",
        json_schema_extra=checked_against("the versions holding the regime asked"))


class SanctionScaleChoiceIn(RequestBody):
    version: Literal["current", "target"]
    comment: Annotated[str, StringConstraints(max_length=2000)] | None = None


class SanctionConsequenceOut(BaseModel):
    kind: str
    months_min: int | None = None
    months_max: int | None = None
    allowance_months_cancelled: int | None = None
    max_reduction_percent: int | None = None
    household_cap_percent: int | None = None
    whole_household: bool
    list_removal: bool
    support_continues: bool


class SanctionScaleOut(BaseModel):
    consequence: SanctionConsequenceOut
    authority: str
    observation_days: int
    equipe_pluridisciplinaire: bool
    appeals: list[str]
    rule: str
    explanation: str
    version: str


class SanctionStepOut(BaseModel):
    kind: str
    at: datetime
    by: str
    detail: dict[str, Any]


class SanctionDecisionOut(BaseModel):
    consequence: dict[str, Any]
    rule: str
    decided_at: datetime
    decided_by: str


class SanctionCaseOut(BaseModel):
    """The whole case for its authority and the referent; `decision` alone for the CAF."""

    id: str
    person_id: str
    regime: Regime
    territory: str
    status: Status
    scale_version: str
    view: Literal["case", "decision"]
    decision: SanctionDecisionOut | None = None
    category: str | None = None
    opened_at: datetime | None = None
    observation_ends_at: datetime | None = None
    evaluation: SanctionScaleOut | None = None
    observations: dict[str, Any] | None = None
    opinion: dict[str, Any] | None = None
    timeline: list[SanctionStepOut] | None = None


class SanctionCasePage(BaseModel):
    items: list[SanctionCaseOut]
    next_cursor: str | None = None


class SanctionMyCasesOut(BaseModel):
    """A person's own cases, newest first, each whole with its timeline."""

    items: list[SanctionCaseOut]


class SanctionLapseOut(BaseModel):
    lapse_id: str
    case: SanctionCaseOut | None = Field(None, description="The case the lapse opened or joined; none while it waits "
                                                   "(the target scale's first missed initial appointment).")


class SanctionScaleChoiceOut(BaseModel):
    territory: str
    version: Literal["current", "target"]
    revision: int
    changed_at: datetime | None = None
    changed_by: str | None = None
    comment: str | None = None


class SanctionStatsOut(BaseModel):
    lapses: list[dict[str, Any]]
    cases: list[dict[str, Any]]
    sanctions: list[dict[str, Any]]
