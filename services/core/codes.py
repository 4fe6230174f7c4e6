"""The official codes as request and response field types: one pattern per code in every contract.
The patterns themselves live in `services.core.official_codes` (framework-free, for domain code)."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from services.core.official_codes import (  # noqa: F401  (the patterns, for Path and Query parameters)
    COMMUNE_PATTERN, DEPARTEMENT_PATTERN, ID_PATTERN, ROME_PATTERN, SIRET_PATTERN,
)

# Each pattern fixes the code's length; the bound is also stated, for a client's validator to read.
COMMUNE_LENGTH, DEPARTEMENT_MAX_LENGTH, ROME_LENGTH, SIRET_LENGTH, ID_LENGTH = 5, 3, 5, 14, 36

CommuneCode = Annotated[str, StringConstraints(pattern=COMMUNE_PATTERN, max_length=COMMUNE_LENGTH)]
DepartementCode = Annotated[str, StringConstraints(pattern=DEPARTEMENT_PATTERN, max_length=DEPARTEMENT_MAX_LENGTH)]
RomeCode = Annotated[str, StringConstraints(pattern=ROME_PATTERN, max_length=ROME_LENGTH)]
Siret = Annotated[str, StringConstraints(pattern=SIRET_PATTERN, max_length=SIRET_LENGTH)]
EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=ID_LENGTH)]


# -- beyond the schema -----------------------------------------------------------------------------
# Some values a JSON Schema cannot judge: whether an INSEE code exists, whether a cursor was minted by
# this list, whether a date is still ahead. A field checked that way says so in the contract with
# `x-checked-against` (what it is checked against), so that an integrator knows a schema-valid value
# may still get a 422 naming that field; the contract tests accept such a 422 on such fields only.
CHECKED_AGAINST = "x-checked-against"


def checked_against(reference: str) -> dict[str, str]:
    """`json_schema_extra` of a field whose valid values a schema cannot list."""
    return {CHECKED_AGAINST: reference}


COG = "the communes of INSEE's code officiel géographique (COG) in force"
ROME_REFERENTIAL = "the ROME 4.0 referential of France Travail (codes in force)"
# An INSEE commune or ROME code that the service checks exists, not only that it is well formed.
ExistingCommuneCode = Annotated[CommuneCode, Field(json_schema_extra=checked_against(COG))]
ExistingRomeCode = Annotated[RomeCode, Field(json_schema_extra=checked_against(ROME_REFERENTIAL))]
