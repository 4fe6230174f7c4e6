"""Request and response bodies of the orientation API (the published contract's schemas).

Request models forbid unknown fields: a typo or a read-only field is a 422, never ignored.

A nullable response field defaults to None: FastAPI leaves nulls out of the published examples,
and a required field missing from its example would make the example contradict the schema.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.core.codes import CHECKED_AGAINST, DEPARTEMENT_PATTERN, EntityId, checked_against
from services.core.http import DateTime, RequestBody, visible_text

Pathway = Literal["professional", "socio_professional", "social"]
OrgType = Literal["france_travail", "mission_locale", "cap_emploi", "apec", "departement"]
Intensity = Literal["autonomous", "guided", "intensive"]
Reason = Literal["first_appointment", "situation_changed", "person_request", "pathway_unsuited",
                 "departement_assessment", "other"]
# A referential's territory: the national document, or a département's override.
TERRITORY_PATTERN = f"^(national|{DEPARTEMENT_PATTERN.removeprefix('^').removesuffix('$')})$"
Territory = Annotated[str, StringConstraints(pattern=TERRITORY_PATTERN, max_length=len("national"))]
Notes = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


# An amendment's four fields go together; JSON Schema's `dependentRequired` would say it, but
# client generators ignore it, so the contract says it in words.
AMENDMENT_FIELDS = ("pathway", "referent_org_type", "intensity", "reason")
AMENDMENT = checked_against("the other fields of an amendment: pathway, referent_org_type, intensity and reason together")
# Which referents a pathway opens to a person is the referential's rule, not the schema's.
OPEN_REFERENTS = "the referential in force: the referent types a pathway opens to the person"
AMENDED_REFERENT = checked_against(f"{AMENDMENT[CHECKED_AGAINST]}; and {OPEN_REFERENTS}")
Referent = Annotated[OrgType, Field(json_schema_extra=checked_against(OPEN_REFERENTS))]
# A referential is a versioned document of rules whose shape its own validation explains field by field.
REFERENTIAL_RULES = checked_against("the orientation referential's rules (GET /v1/orientation/referentials/national)")


class ValidateIn(RequestBody):
    """Empty to validate the proposal as it is; or the three fields and a reason to amend it."""

    pathway: Pathway | None = Field(None, json_schema_extra=AMENDMENT)
    referent_org_type: OrgType | None = Field(None, json_schema_extra=AMENDED_REFERENT)
    intensity: Intensity | None = Field(None, json_schema_extra=AMENDMENT)
    reason: Reason | None = Field(None, description="Required when amending.", json_schema_extra=AMENDMENT)
    comment: Notes | None = Field(None, description="Kept with the decision; never published in events.")


class InterviewIn(RequestBody):
    pathway: Pathway
    referent_org_type: Referent
    intensity: Intensity
    notes: Notes | None = Field(None, description="The counsellor's notes; kept here, never published in events.")


class PreferenceIn(RequestBody):
    org_type: OrgType = Field(description="The organisation type the person prefers to be accompanied by.")


class ReorientationIn(RequestBody):
    reason: Reason
    pathway: Pathway
    referent_org_type: Referent
    intensity: Intensity
    comment: Notes | None = Field(None, description="Kept with the decision; never published in events.")


class ReferentOut(BaseModel):
    org_type: str
    org_id: str


class DecisionOut(BaseModel):
    decision_id: str
    kind: Literal["made", "reoriented"]
    status: Literal["proposed", "decided", "pending_interview"]
    decided_by: str | None = None
    pathway: str | None = None
    referent: ReferentOut | None = None
    intensity: str | None = None
    referential: dict[str, Any]
    rule: str = Field(description="Why, in words a counsellor can read.")
    rule_ids: list[str]
    decided_at: datetime
    recorded_by: str | None = None
    reason: str | None = None
    comment: str | None = None
    previous_decision_id: str | None = None


class OrientationOut(BaseModel):
    person_id: str
    departement_code: str
    rsa_recipient: bool
    registered_at: datetime
    version: int = Field(description="Also the ETag: send it as If-Match to act on this orientation.")
    status: str
    decision_due_at: datetime | None = Field(None, description="For a proposal: when it becomes the decision by default.")
    preferred_org_type: str | None = None
    current: DecisionOut
    history: list[DecisionOut]


class ReferentialPut(RequestBody):
    referential: dict[str, Any] = Field(description="The whole document (national) or the override (département).",
                                        json_schema_extra=REFERENTIAL_RULES)
    comment: Notes | None = None


class ReferentialOut(BaseModel):
    territory: str
    version: int
    document: dict[str, Any]
    comment: str | None = None
    created_by: str
    created_at: datetime


class ReferentialPage(BaseModel):
    items: list[ReferentialOut]
    next_cursor: str | None = None


class WhatIfIn(RequestBody):
    territory: Territory
    referential: dict[str, Any] = Field(description="A candidate document, as it would be PUT for this territory.",
                                        json_schema_extra=REFERENTIAL_RULES)


class Counts(BaseModel):
    population: int
    pathway_changed: int
    organisation_changed: int
    changed: int


class DepartementCounts(Counts):
    departement_code: str


class WhatIfOut(Counts):
    territory: str
    by_departement: list[DepartementCounts]


class SlotIn(RequestBody):
    starts_at: DateTime = Field(json_schema_extra=checked_against("the clock: a slot starts in the future"))
    duration_minutes: int = Field(ge=5, le=480)
    channel: Literal["on_site", "phone", "video"]
    location: visible_text(300) | None = None  # type: ignore[valid-type]


class SlotOut(BaseModel):
    slot_id: str
    org_id: str
    starts_at: datetime
    duration_minutes: int
    channel: str
    location: str | None = None
    available: bool
    created_at: datetime


class SlotPage(BaseModel):
    items: list[SlotOut]
    next_cursor: str | None = None


# A slot id names a slot that must exist, belong to the person's referent and start later: the state
# decides, so such a refusal is a 422 on this field that the contract announces.
FREE_SLOT = checked_against("the slots published: one of the person's referent organisation, still to come")


class AppointmentIn(RequestBody):
    person_id: EntityId
    slot_id: EntityId = Field(json_schema_extra=FREE_SLOT)


class AppointmentOut(BaseModel):
    appointment_id: str
    person_id: str
    slot: SlotOut
    decision_id: str
    status: Literal["booked", "no_show", "cancelled"]
    delay_days: int = Field(description="Calendar days from registration to the appointment (target: 15 at most).")
    within_target: bool
    booked_at: datetime
    booked_by: str
    no_show_recorded_at: datetime | None = None
    cancelled_at: datetime | None = Field(None, description="When the person cancelled it (the slot is free again).")
    reminders_sent: list[str]


class ReferentOrganisationOut(BaseModel):
    org_id: str
    org_type: str
    name: str | None = Field(None, description="As the directory of accompanying organisations names it.")


class PersonOrientationOut(OrientationOut):
    """A person's own orientation: the decisions, their history, and who accompanies them."""

    referent_organisation: ReferentOrganisationOut | None = Field(
        None, description="The organisation of the current decision, once there is one.")


class PersonAppointmentIn(RequestBody):
    slot_id: EntityId = Field(description="A free slot of your referent organisation (GET /v1/me/appointments/slots).",
                              json_schema_extra=FREE_SLOT)


class PersonAppointmentList(BaseModel):
    items: list[AppointmentOut] = Field(description="Your appointments, the latest first (cancelled ones included).")
