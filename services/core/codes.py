"""The official codes as request and response field types: one pattern per code in every contract.
The patterns themselves live in `services.core.official_codes` (framework-free, for domain code)."""
from __future__ import annotations

from typing import Annotated

from pydantic import StringConstraints

from services.core.official_codes import (  # noqa: F401  (the patterns, for Path and Query parameters)
    COMMUNE_PATTERN, DEPARTEMENT_PATTERN, ID_PATTERN, ROME_PATTERN, SIRET_PATTERN,
)

CommuneCode = Annotated[str, StringConstraints(pattern=COMMUNE_PATTERN)]
DepartementCode = Annotated[str, StringConstraints(pattern=DEPARTEMENT_PATTERN)]
RomeCode = Annotated[str, StringConstraints(pattern=ROME_PATTERN)]
Siret = Annotated[str, StringConstraints(pattern=SIRET_PATTERN)]
EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
