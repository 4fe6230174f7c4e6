"""Request bodies of the dossier API (the published contract's schemas).

Partners' sections are changed by JSON merge patch (RFC 7396): every object field is optional and
`null` removes it, so a patch and the merged section validate against the same models. Arrays are
replaced whole, which is why only array items have required fields. Unknown fields are a 422.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from services.core.codes import RomeCode
from services.core.http import Date, DateTime, RequestBody

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
Autonomy = Literal["autonomous", "needs_support", "not_autonomous"]
Channel = Literal["on_site", "online", "phone"]


class DiagnosticSkills(RequestBody):
    summary: Note | None = Field(None, description="Experience, skills developed, training.")
    rome_codes: list[RomeCode] | None = Field(None, max_length=20, description="ROME codes of the jobs practised.")
    qualifications: list[Label] | None = Field(None, max_length=20)


class JobSought(RequestBody):
    rome_code: RomeCode
    label: Label


class Mobility(RequestBody):
    max_distance_km: int | None = Field(None, ge=0, le=1000)
    abroad: bool | None = None
    driving_licence: bool | None = None


class ProfessionalProject(RequestBody):
    maturity: Literal["no_project", "to_clarify", "defined"] | None = None
    jobs_sought: list[JobSought] | None = Field(None, max_length=10)
    mobility: Mobility | None = None
    target_salary_eur_yearly: int | None = Field(None, ge=0, le=500_000)
    training_need: bool | None = None
    training_need_detail: Note | None = None


class LabourMarket(RequestBody):
    summary: Note | None = Field(None, description="The project confronted with the labour market.")
    gaps: list[Label] | None = Field(None, max_length=20, description="Gaps between the profile and employers' needs.")
    offers_proposed: int | None = Field(None, ge=0, le=10_000)


class OverallSituation(RequestBody):
    health: Note | None = Field(None, description="Health constraints. Shown and written by the referent only.")
    housing: Note | None = None
    family: Note | None = None
    finances: Note | None = None
    legal: Note | None = None
    job_search_autonomy: Autonomy | None = None


class DigitalAndBasicSkills(RequestBody):
    digital_autonomy: Autonomy | None = None
    basic_skills: Literal["acquired", "to_strengthen", "not_acquired"] | None = Field(
        None, description="Reading, writing, arithmetic.")
    notes: Note | None = None


class RightsAndDuties(RequestBody):
    presented: bool | None = None
    presented_on: Date | None = None


class Diagnostic(RequestBody):
    """The diagnostic France Travail (Proposition #10): six fields, filled over one or more interviews."""

    skills: DiagnosticSkills | None = None
    professional_project: ProfessionalProject | None = None
    labour_market: LabourMarket | None = None
    overall_situation: OverallSituation | None = None
    digital_and_basic_skills: DigitalAndBasicSkills | None = None
    rights_and_duties: RightsAndDuties | None = None


class DiagnosticPatch(Diagnostic):
    completed: bool | None = Field(None, description=(
        "true declares the diagnostic complete even if a field stays empty. It is declared complete "
        "anyway the first time all six fields are filled."))


class Action(RequestBody):
    label: Label
    owner: Literal["person", "referent"]
    due_date: Date
    status: Literal["planned", "in_progress", "done", "cancelled"] = "planned"


class NextAppointment(RequestBody):
    at: DateTime | None = None
    channel: Channel | None = None
    place: Label | None = None


class Contract(RequestBody):
    """The contrat d'engagements réciproques (Propositions #11, #65)."""

    objectives: list[Label] | None = Field(None, max_length=20)
    actions: list[Action] | None = Field(None, max_length=50, description="Actions of the person and of the referent.")
    obligations: list[Label] | None = Field(None, max_length=20, description="Obligations individualised for the person.")
    next_appointment: NextAppointment | None = None
    weekly_activity_hours: int | None = Field(None, ge=0, le=35, description="15 to 20 for intensive support.")


class Signature(RequestBody):
    channel: Channel = Field(description="How the person signed.")


class ReviewCreate(RequestBody):
    held_at: DateTime = Field(description="When the point d'étape took place (RFC 3339).")
    channel: Channel
    outcome: Literal["on_track", "contract_updated", "reorientation_suggested"]
    summary: Note


SECTION_MODELS: dict[str, type[RequestBody]] = {"diagnostic": Diagnostic, "contract": Contract}


def validate_section(name: str, content: dict) -> dict:
    """A partner section's whole content, as stored: validated, dates as strings, no empty fields."""
    return SECTION_MODELS[name].model_validate(content).model_dump(mode="json", exclude_none=True)
