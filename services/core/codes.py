"""The official codes as request and response field types: one pattern per code in every contract.
The patterns themselves live in `services.core.official_codes` (framework-free, for domain code)."""
from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

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
