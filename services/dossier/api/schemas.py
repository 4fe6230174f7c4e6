"""Request bodies of the dossier API (the published contract's schemas).

Partners' sections are changed by JSON merge patch (RFC 7396): every object field is optional and
`null` removes it, so a patch and the merged section validate against the same models. Arrays are
replaced whole, which is why only array items have required fields. Unknown fields are a 422.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from services.core.codes import RomeCode
from services.core.http import Date, DateTime, RequestBody, visible_text
from services.core.referentials.obligations import OBLIGATION_CODES

Label = visible_text(200)
Note = visible_text(2000)
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


class TypedObligation(RequestBody):
    """An obligation agreed with the referent, typed by the obligations referential (issue 12)."""

    code: Literal[OBLIGATION_CODES] = Field(description="The obligations referential's code "
                                                        "(services/core/referentials/data/obligations.yaml).")
    due_dates: list[Date] = Field([], max_length=24, description="When it falls due, where it has due dates.")


class Contract(RequestBody):
    """The contrat d'engagements réciproques (Propositions #11, #65)."""

    objectives: list[Label] | None = Field(None, max_length=20)
    actions: list[Action] | None = Field(None, max_length=50, description="Actions of the person and of the referent.")
    obligations: list[Label] | None = Field(None, max_length=20, description="Obligations individualised for the person.")
    typed_obligations: list[TypedObligation] | None = Field(
        None, max_length=20, description="The obligations agreed with the referent, typed; the common base and the "
                                         "pathway's apply without being listed. `obligations` stays as free text.")
    next_appointment: NextAppointment | None = None
    weekly_activity_hours: int | None = Field(None, ge=0, le=35, description="15 to 20 for intensive support.")


class Signature(RequestBody):
    channel: Channel = Field(description="How the person signed.")


class ReviewCreate(RequestBody):
    held_at: DateTime = Field(description="When the point d'étape took place (RFC 3339).")
    channel: Channel
    outcome: Literal["on_track", "contract_updated", "reorientation_suggested"]
    summary: Note


class CorrectionCreate(RequestBody):
    """A person asks a correction of what the dossier holds (contact details: /v1/me/registration/contact)."""

    section: Literal["identity", "orientation", "appointments", "diagnostic", "contract", "reviews"] = Field(
        description="The part of the dossier to correct.")
    field: visible_text(100) | None = Field(None, description="The field to correct, when the person knows it.")
    message: Note = Field(description="What is wrong, and what it should say.")


class CorrectionAnswer(RequestBody):
    outcome: Literal["accepted", "refused"]
    answer: Note = Field(description="The referent's answer, as the person will read it.")


SECTION_MODELS: dict[str, type[RequestBody]] = {"diagnostic": Diagnostic, "contract": Contract}


def validate_section(name: str, content: dict) -> dict:
    """A partner section's whole content, as stored: validated, dates as strings, no empty fields."""
    return SECTION_MODELS[name].model_validate(content).model_dump(mode="json", exclude_none=True)


# -- responses ----------------------------------------------------------------------------------
# The dossier's views are built as dicts (domain/views.py); these models publish their exact shape.
# Fields written `X = None` without `| None` are absent, never null, when unknown: a section built from
# events is `{}` until its first event, and health data is left out for whoever may not see it. Nullable
# fields are sent, null included, but declared optional: FastAPI leaves nulls out of published examples.

class DossierOrganisation(BaseModel):
    org_id: str
    org_type: str


class DossierAuthor(DossierOrganisation):
    client_id: str


class DossierBarriers(BaseModel):
    """The pre-diagnostic's barriers as the person declared them at registration."""

    model_config = ConfigDict(extra="forbid")
    housing: bool = None
    health: bool = Field(None, description="Health data: shown to the referent only.")
    mobility: bool = None
    basic_skills: bool = None
    language: bool = None
    family: bool = None
    administrative_judicial: bool = None
    finances: bool = None
    digital: bool = None


class DossierIdentity(BaseModel):
    """From registration's events; `{}` until the person's registration reaches the dossier."""

    last_name: str = None
    usage_name: str | None = None
    first_names: list[str] = None
    birth_date: date = None
    commune_code: str = None
    departement_code: str = None
    rsa_recipient: bool = None
    rqth: bool = Field(None, description="Health data: shown to the referent only.")
    executive_experience: bool = None
    barriers: DossierBarriers = None
    registration_status: str | None = None
    registered_at: datetime | None = None
    under_26: bool = None


class DossierRsaStatus(BaseModel):
    rsa_recipient: bool
    departement_code: str | None = None
    orientation_status: str | None = None
    pathway: str | None = None
    contract_signed_at: datetime | None = None


class DossierDecision(BaseModel):
    """An orientation decision as orientation published it (its events' schemas tell each field)."""

    kind: Literal["made", "reoriented"]
    decision_id: str
    status: str
    decided_by: str | None = None
    pathway: str | None = None
    referent: dict[str, str] | None = None
    intensity: str | None = None
    departement_code: str
    rsa_recipient: bool
    referential: dict[str, Any]
    rule: str
    rule_ids: list[str]
    decided_at: datetime
    registered_at: datetime
    decision_due_at: datetime | None = None
    recorded_by: str | None = None
    previous_decision_id: str | None = None
    reason: str = Field(None, description="Why the person was reoriented (reoriented decisions only).")


class DossierOrientation(BaseModel):
    current: DossierDecision | None = None
    history: list[DossierDecision]


class DossierAppointment(BaseModel):
    appointment_id: str
    slot_id: str
    org_id: str
    starts_at: datetime
    duration_minutes: int
    channel: str
    location: str | None = None
    delay_days: int
    within_target: bool
    status: Literal["booked", "no_show", "cancelled"]


class DossierAppointments(BaseModel):
    items: list[DossierAppointment]


class DossierDiagnostic(Diagnostic):
    completed_at: datetime | None = Field(None, description="When the diagnostic was declared complete.")


class DossierSignature(BaseModel):
    signed_at: datetime
    channel: Channel
    version: int = Field(description="The contract's version signed.")
    recorded_by: DossierOrganisation


class DossierObligationInForce(BaseModel):
    code: str
    scope: Literal["common", "pathway", "individual"]
    label: str = Field(description="As the obligations referential words it, in French.")
    due_dates: list[date]
    every: str | None = Field(None, description="How often it is reported, for the person's public.")


class DossierContract(Contract):
    signature: DossierSignature | None = None
    jeunes_mention: bool = Field(description="The person was under 26 when the contract was read.")
    obligations_in_force: list[DossierObligationInForce] = Field(
        None, description="In the person's own view (/v1/me/dossier): every obligation that applies to them, the "
                          "common base and the pathway's included, with its label.")


class DossierReview(BaseModel):
    review_id: str
    held_at: datetime
    channel: Channel
    outcome: Literal["on_track", "contract_updated", "reorientation_suggested"]
    summary: str
    recorded_by: DossierOrganisation
    recorded_at: datetime


class DossierReviews(BaseModel):
    items: list[DossierReview]
    next_review_due: date | None = Field(None, description="Six months after the signature or the last review.")
    review_overdue: bool


class DossierCorrection(BaseModel):
    correction_id: str
    section: str
    field: str | None = None
    message: str
    status: Literal["open", "accepted", "refused"]
    asked_at: datetime
    answer: str | None = None
    answered_at: datetime | None = None
    answered_by: DossierOrganisation | None = None


class DossierCorrections(BaseModel):
    """The person's correction requests, as they asked them (oldest first), and the referent's answers."""

    items: list[DossierCorrection]


class DossierCorrectionPage(BaseModel):
    items: list[DossierCorrection]
    next_cursor: str | None = None


class DossierFailedReminder(BaseModel):
    """A reminder notifications gave up on, on one channel: the referent reaches the person another way."""

    message_id: str
    appointment_id: str
    org_id: str = Field(description="The organisation holding the appointment, told of the failure.")
    starts_at: datetime
    reminder: Literal["48h", "2h"]
    channel: Literal["email", "sms"]
    attempts: int
    error: str = Field(description="The last failure, without personal data (e.g. 'smtp 451').")
    failed_at: datetime


class DossierFailedReminders(BaseModel):
    items: list[DossierFailedReminder]


class DossierView(BaseModel):
    """Each section the caller may read, once; a section it may not read is absent."""

    person_id: str
    identity: DossierIdentity = None
    rsa_status: DossierRsaStatus = None
    orientation: DossierOrientation = None
    appointments: DossierAppointments = None
    diagnostic: DossierDiagnostic = None
    contract: DossierContract = None
    reviews: DossierReviews = None
    corrections: DossierCorrections = None
    failed_reminders: DossierFailedReminders = None
    etags: dict[str, str] = Field(description="Each section's ETag, by section name.")


class DossierChange(BaseModel):
    id: int
    section: str
    action: Literal["patched", "signed", "recorded"]
    version: int
    at: datetime
    changes: dict[str, Any] = Field(description="The merge patch, signature or review as written.")
    by: DossierAuthor


class DossierHistoryPage(BaseModel):
    items: list[DossierChange]
    next_cursor: str | None = None


class DossierAccess(BaseModel):
    id: int
    access: Literal["read", "write", "refused"]
    sections: list[str]
    purpose: str | None = None
    at: datetime
    by: DossierAuthor
    service: str = Field(description="The service that served the access: the dossier, or one that told it.")
    reason: str | None = None
    procedure_closed_at: datetime | None = Field(None, description="A read made for a control: when its procedure "
                                                                   "closed.")


class DossierAccessLogPage(BaseModel):
    items: list[DossierAccess]
    next_cursor: str | None = None


class DossierOwnAccessLogPage(DossierAccessLogPage):
    """Who accessed the person's data, every service; reads made for a control once their procedure closed."""

    withheld_until_closed_note: str = Field(description="Says, in French, that reads made for a control appear "
                                                        "once the procedure is closed.")


SECTION_VIEWS: dict[str, type[BaseModel]] = {
    "identity": DossierIdentity, "rsa_status": DossierRsaStatus, "orientation": DossierOrientation,
    "appointments": DossierAppointments, "diagnostic": DossierDiagnostic, "contract": DossierContract,
    "reviews": DossierReviews, "corrections": DossierCorrections, "failed_reminders": DossierFailedReminders,
}
