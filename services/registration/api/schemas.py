"""Request and response bodies of the registration API (the published contract's schemas), made of
the sections of `service.sections`."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from services.core.codes import CommuneCode
from services.core.http import Date, RequestBody, merge_patch_of
from services.registration.service.sections import (
    Address, BarriersShown, BirthPlace, Contact, Identity, Name, PreDiagnostic, Project, Situation, SituationShown, Skills,
)


class RegistrationCreate(RequestBody):
    channel: Literal["online", "counter"] = Field(
        "counter", description="Where the person registered: the shared online portal or a network counter.")
    identity: Identity
    contact: Contact = Contact()
    address: Address
    situation: Situation
    skills: Skills = Skills()
    project: Project = Project()
    pre_diagnostic: PreDiagnostic


RegistrationPatch = merge_patch_of(
    RegistrationCreate, "RegistrationPatch", exclude=frozenset({"channel"}),
    doc="JSON merge patch of the sections: give only what changes; `null` clears an optional field.")


class IdentityOut(BaseModel):
    last_name: str
    usage_name: str | None = None
    first_names: list[str]
    sex: Literal["F", "M"] | None = None
    birth_date: date
    birth_place: BirthPlace
    nationality: str
    nir_masked: str | None = Field(None, description="Sex and birth year only, e.g. '1 84 ** ** *** *** **'.")


class AddressOut(Address):
    departement_code: str
    region_code: str


class SituationOut(SituationShown):
    under_26: bool = Field(description="Derived from the birth date, today.")


class PreDiagnosticOut(PreDiagnostic):
    barriers: BarriersShown = BarriersShown()


class RegistrationOut(BaseModel):
    id: str
    status: Literal["pre_registered", "registered"]
    channel: Literal["online", "counter", "partner_prefill"]
    identity: IdentityOut | None = None
    contact: Contact | None = None
    address: AddressOut | None = None
    situation: SituationOut | None = None
    skills: Skills | None = None
    project: Project | None = None
    pre_diagnostic: PreDiagnosticOut | None = None
    possible_duplicate_of: str | None = Field(
        None, description="Another registration that looks like the same person (no NIR to tell); a counsellor resolves it.")
    registered_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


class RegistrationPage(BaseModel):
    items: list[RegistrationOut]
    next_cursor: str | None = None


class IdentityMatchRequest(RequestBody):
    """An identity provider's claims about the person who logged in (FranceConnect's, by name)."""

    family_name: Name = Field(description="Birth name (nom de naissance).")
    given_names: list[Name] = Field(min_length=1, max_length=10, description="Given names, in civil status order.")
    birth_date: Date
    birth_place: CommuneCode | None = Field(None, description="INSEE code (COG) of the commune of birth; null when "
                                                              "born abroad.")
    birth_country: Annotated[str, StringConstraints(pattern=r"^99[0-9]{3}$", max_length=5)] = Field(
        description="INSEE code (COG) of the country of birth: 99100 for France.")


class IdentityMatchOut(BaseModel):
    person_id: str = Field(description="The person's platform id: their registration's id.")


class PersonSituationOut(Situation):
    under_26: bool = Field(description="Derived from the birth date, today.")


class PersonRegistrationOut(BaseModel):
    """A person's own registration, as they see it: every section, their health data included (theirs
    to see), the NIR masked as for everyone."""

    id: str = Field(description="The person's platform id.")
    status: Literal["pre_registered", "registered"]
    channel: Literal["online", "counter", "partner_prefill"]
    identity: IdentityOut
    contact: Contact
    address: AddressOut
    situation: PersonSituationOut | None = None
    skills: Skills | None = None
    project: Project | None = None
    pre_diagnostic: PreDiagnostic | None = None
    registered_at: datetime | None = None
    created_at: datetime
    updated_at: datetime


PersonContactPatch = merge_patch_of(
    Contact, "PersonContactPatch",
    doc="JSON merge patch of the person's contact: give only what changes; `null` clears an e-mail or a phone.")
