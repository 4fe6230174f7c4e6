"""Request and response bodies of the profile bank API (the published contract's schemas)."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.core.codes import EntityId, RomeCode
from services.core.http import Date, EmailAddress, PhoneNumber, RequestBody, visible_text
from services.profiles.domain.consent import COLLECTION_METHODS, Audience
from services.profiles.domain.pseudonyms import PSEUDONYM_LENGTH, PSEUDONYM_PATTERN
from services.profiles.domain.introduction import DECLINE_REASONS, NOT_HIRED_REASONS, OUTCOMES

Text = visible_text(200)
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$", max_length=2)]
ContractType = Literal["CDI", "CDD", "MIS", "SAI", "ALT", "IND"]
WorkingTime = Literal["full_time", "part_time", "any"]
Level = Literal["native", "fluent", "intermediate", "basic"]


class Language(RequestBody):
    code: LanguageCode = Field(description="ISO 639-1 code, e.g. 'fr', 'en'.")
    level: Level


class ProfileExperience(RequestBody):
    job_title: Text
    rome_code: RomeCode | None = None
    duration_months: int = Field(ge=0, le=720)


class ProfileDiploma(RequestBody):
    title: Text
    level: Literal["none", "3", "4", "5", "6", "7", "8"] = Field(description="French national qualification level.")
    year: int | None = Field(None, ge=1940, le=2100)


class ProfileContact(RequestBody):
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None


class Statement(RequestBody):
    """The person's own word, recorded by their referent: each field given replaces the earlier
    statement and contributions to it; contributed missions and validated skills stay beside it."""

    rome_codes: list[RomeCode] | None = Field(None, max_length=5)
    contract_types: list[ContractType] | None = Field(None, max_length=6, description="MIS: interested in temporary work.")
    working_time: WorkingTime | None = None
    mobility_km: int | None = Field(None, ge=0, le=1000)
    available_from: Date | None = None
    driving_licence: bool | None = None
    languages: list[Language] | None = Field(None, max_length=10)
    skills: list[Text] | None = Field(None, max_length=50)
    experiences: list[ProfileExperience] | None = Field(None, max_length=50)
    diplomas: list[ProfileDiploma] | None = Field(None, max_length=20)
    contact: ProfileContact | None = Field(None, description="How recruiters may reach the person once they said yes.")


class ConsentIn(RequestBody):
    audience: Literal[tuple(audience.value for audience in Audience)]  # type: ignore[valid-type]
    method: Literal[COLLECTION_METHODS] = Field(description="How the consent was collected.")  # type: ignore[valid-type]


class MissionCompleted(RequestBody):
    kind: Literal["mission_completed"]
    person_id: EntityId
    value: ProfileExperience


class SkillValidated(RequestBody):
    kind: Literal["skill_validated"]
    person_id: EntityId
    value: Text


class Availability(RequestBody):
    kind: Literal["availability"]
    person_id: EntityId
    value: Date


class ContributionBatch(RequestBody):
    lines: list[Annotated[MissionCompleted | SkillValidated | Availability, Field(discriminator="kind")]] = Field(
        min_length=1, max_length=1000)


class LineResult(BaseModel):
    line: int
    status: Literal["accepted", "refused"]
    reason: str = Field(description="accepted: added, set, or proposed (the person's own statement stands); "
                                    "refused: no_consent_for_your_audience.")


class ContributionResult(BaseModel):
    batch_id: str
    lines: list[LineResult]


class InterestRequestIn(RequestBody):
    pseudonym: Annotated[str, StringConstraints(pattern=PSEUDONYM_PATTERN, max_length=PSEUDONYM_LENGTH)]
    offer_id: EntityId | None = None
    message: visible_text(2000) | None = None  # type: ignore[valid-type]


class AnswerIn(RequestBody):
    answer: Literal["interested", "declined"]
    reason: Literal[DECLINE_REASONS] | None = None  # type: ignore[valid-type]


class OutcomeIn(RequestBody):
    outcome: Literal[OUTCOMES]  # type: ignore[valid-type]
    reason: Literal[NOT_HIRED_REASONS] | None = None  # type: ignore[valid-type]


class Match(BaseModel):
    criteria: list[dict[str, Any]] = Field(description="Each criterion met, with what matched.")
    score: float = Field(ge=0, le=1)


class ProfileOut(BaseModel):
    """A profile as recruiters see it: no name, contact, NIR, birth date, address or health data."""

    pseudonym: str = Field(description="This profile's name for your organisation only.")
    rome_codes: list[str] | None = None
    contract_types: list[str] | None = None
    working_time: str | None = None
    mobility_km: int | None = None
    available_from: date | None = None
    driving_licence: bool | None = None
    languages: list[dict[str, str]] | None = None
    skills: list[str]
    experiences: list[dict[str, Any]]
    diplomas: list[dict[str, Any]]
    commune_code: str
    departement_code: str
    sources: dict[str, list[str]] = Field(description="Where each field comes from: registration, person, "
                                                      "diagnostic, contribution.")
    match: Match | None = None


class FacetValue(BaseModel):
    value: Any
    count: int


class SearchPage(BaseModel):
    items: list[ProfileOut]
    facets: dict[str, list[FacetValue]]
    next_cursor: str | None = None


class MatchList(BaseModel):
    items: list[ProfileOut]


class IntroductionOut(BaseModel):
    id: str
    pseudonym: str | None = Field(None, description="To the recruiter: the profile asked about.")
    person_id: str | None = Field(None, description="To the referent: the person asked.")
    audience: str
    offer_id: str | None = None
    message: str | None = None
    status: Literal["requested", "interested", "declined", "expired"]
    reason: str | None = None
    requested_at: datetime
    expires_at: datetime
    answered_at: datetime | None = None
    contact_released_at: datetime | None = None
    outcome: str | None = None
    outcome_reason: str | None = None


class IntroductionList(BaseModel):
    items: list[IntroductionOut]


class ProfileMyConsentIn(RequestBody):
    granted: bool = Field(description="true: my profile may be shown to this audience; false: no longer.")


class ProfileRequesterOut(BaseModel):
    org_id: str
    org_type: str


class ProfileMyInterestOut(IntroductionOut):
    """An employer's or agency's interest request, as the person asked sees it: who asks, about what."""

    requester: ProfileRequesterOut


class ProfileMyInterestList(BaseModel):
    items: list[ProfileMyInterestOut]


class ContactOut(BaseModel):
    first_name: str
    last_name: str
    email: str | None = None
    phone: str | None = None


class ManagedProfileOut(BaseModel):
    """The whole profile as the referent sees it: every fact with its provenance."""

    person_id: str
    version: int
    published: bool
    audiences: list[str]
    findable_by_temp_agencies: bool
    commune_code: str
    departement_code: str
    facts: dict[str, Any]
    items: dict[str, list[Any]]
    proposals: list[dict[str, Any]]
    consents: list[dict[str, Any]]
    contact: dict[str, Any] | None = None


class AccessOut(BaseModel):
    id: int
    action: Literal["detail_view", "contact_release"]
    org_id: str
    org_type: str
    at: datetime
    reference: str | None = None


class AccessPage(BaseModel):
    items: list[AccessOut]
    next_cursor: str | None = None


class StatsOut(BaseModel):
    audience: str
    departement_code: str
    requests: int
    interested: int
    introductions: int
    hires: int
    hire_rate: float | None = Field(None, description="Hires per introduction; null before any introduction.")


class StatsList(BaseModel):
    items: list[StatsOut]

