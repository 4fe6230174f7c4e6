"""The sections a person gives once (identity, contact, address, situation, skills, project,
pre-diagnostic), as validated models: the API's bodies are made of them, and a partner's fact is
normalised into them before it prefills a pre-registration.

Models forbid unknown fields: a read-only field (id, status, département…) or a typo is a 422,
never silently ignored (no mass assignment). The NIR is write-only: responses carry a mask.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator

from services.core.codes import CommuneCode, ExistingCommuneCode, RomeCode, checked_against
from services.core.http import Date, EmailAddress, PhoneNumber, PostalCode, RequestBody, visible_text

Name = visible_text(100)
Text = visible_text(500)
CountryCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$", max_length=2)]


class BirthPlace(RequestBody):
    commune_code: CommuneCode | None = Field(None, description="INSEE code (COG) of the commune of birth, in France.")
    country_code: CountryCode | None = Field(None, description="ISO 3166-1 alpha-2 country of birth.")
    city: Name | None = Field(None, description="City of birth when born abroad.")


class Identity(RequestBody):
    last_name: Name = Field(description="Birth name (nom de naissance).")
    usage_name: Name | None = Field(None, description="Name in use (nom d'usage), if different.")
    first_names: list[Name] = Field(min_length=1, max_length=5)
    sex: Literal["F", "M"] | None = None
    birth_date: Date
    birth_place: BirthPlace
    nationality: CountryCode = Field(description="ISO 3166-1 alpha-2 nationality.")
    nir: Annotated[str, StringConstraints(max_length=21, pattern=r"^[ \t]*([0-9ABab][ \t]*){15}$")] | None = Field(
        None, description="Social security number (15 characters, spaces allowed). Write-only: never returned.",
        json_schema_extra=checked_against("the NIR's structure (sex, birth year and month, place) and control key"))


class Contact(RequestBody):
    email: EmailAddress | None = None
    phone: PhoneNumber | None = None
    preferred_channel: Literal["email", "sms", "phone", "post"] = "email"
    opted_out_channels: list[Literal["email", "sms"]] = Field(
        default_factory=list, max_length=2, description="Channels the person does not want messages on (reminders "
                                                        "included); a channel named twice counts once.")

    @field_validator("opted_out_channels")
    @classmethod
    def _once_each(cls, channels: list[str]) -> list[str]:
        return sorted(set(channels))


class Address(RequestBody):
    line: Text | None = None
    postal_code: PostalCode
    commune_code: ExistingCommuneCode = Field(description="INSEE code (COG) of the commune of residence.")


class Household(RequestBody):
    size: int = Field(1, ge=1, le=20)
    dependent_children: int = Field(0, ge=0, le=15)
    single_parent: bool = False


class SituationShown(RequestBody):
    """The situation as a reader of the registration sees it: without health data."""

    professional_situation: Literal[
        "unemployed", "employed_seeking_change", "part_time_employed", "self_employed", "student",
        "in_training", "inactive"]
    rsa_recipient: bool = Field(False, description="Receives the RSA (revenu de solidarité active).")
    household: Household = Household()
    driving_licence: bool = False
    residence_permit: Literal["not_required", "valid", "pending", "none"] = "not_required"
    french_level: Literal["native", "fluent", "intermediate", "basic", "none"] = "native"


class Situation(SituationShown):
    rqth: bool = Field(False, description="Recognised disabled worker (RQTH). Health data: write-only here; the "
                                          "person's referent reads it in the dossier.")


class Diploma(RequestBody):
    title: Text
    level: Literal["none", "3", "4", "5", "6", "7", "8"] = Field(description="French national qualification level.")
    year: int | None = Field(None, ge=1940, le=2100)


class Experience(RequestBody):
    job_title: Text
    rome_code: RomeCode | None = None
    duration_months: int = Field(ge=0, le=720)


class Skills(RequestBody):
    diplomas: list[Diploma] = Field(default_factory=list, max_length=20)
    experiences: list[Experience] = Field(default_factory=list, max_length=50)
    executive_experience: bool = Field(False, description="Has held an executive (cadre) position.")
    other_skills: list[Text] = Field(default_factory=list, max_length=50)


class Project(RequestBody):
    target_jobs: list[Text] = Field(default_factory=list, max_length=5)
    rome_codes: list[RomeCode] = Field(default_factory=list, max_length=5)
    contract_types: list[Literal["CDI", "CDD", "MIS", "SAI", "ALT", "IND"]] = Field(default_factory=list, max_length=6)
    working_time: Literal["full_time", "part_time", "any"] = "any"
    mobility_km: int = Field(30, ge=0, le=1000)
    available_from: Date | None = None


class BarriersShown(RequestBody):
    """The barriers as a reader of the registration sees them: without the health barrier."""

    housing: bool = False
    mobility: bool = False
    basic_skills: bool = False
    language: bool = False
    family: bool = False
    administrative_judicial: bool = False
    finances: bool = False
    digital: bool = False


class Barriers(BarriersShown):
    """The nine fields of first barrier detection ("freins périphériques")."""

    health: bool = Field(False, description="Health data: write-only here; the person's referent reads it in the "
                                            "dossier.")


class PreDiagnostic(RequestBody):
    work_experience: Literal["none", "less_than_1_year", "1_to_5_years", "more_than_5_years"]
    project_maturity: Literal["no_project", "to_build", "to_confirm", "ready"]
    availability: Literal["immediate", "within_3_months", "beyond_3_months"]
    barriers: Barriers = Barriers()
    support_needed: Literal["autonomous", "guided", "intensive", "not_sure"]
