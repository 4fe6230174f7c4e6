"""Official codes, validated one way everywhere: INSEE commune and département (COG), ROME, SIRET,
and the platform's own ids.

The patterns are plain data for domain code; the `Annotated` types carry them into request models
and path parameters, so every contract publishes the same pattern for the same code.
"""
from __future__ import annotations

import re
from typing import Annotated

from pydantic import StringConstraints

# Metropolitan départements 01–95 with Corsica as 2A/2B (there is no "20"), overseas 971–976.
DEPARTEMENT_PATTERN = r"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2[AB]|97[1-6])$"
# A commune code is its département's two characters then three digits (971xx… overseas).
COMMUNE_PATTERN = r"^([0-9]{2}|2[AB])[0-9]{3}$"
ROME_PATTERN = r"^[A-N][0-9]{4}$"
SIRET_PATTERN = r"^[0-9]{14}$"
# Ids minted by the platform (UUIDs), in their canonical lower-case form.
ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

CommuneCode = Annotated[str, StringConstraints(pattern=COMMUNE_PATTERN)]
DepartementCode = Annotated[str, StringConstraints(pattern=DEPARTEMENT_PATTERN)]
RomeCode = Annotated[str, StringConstraints(pattern=ROME_PATTERN)]
Siret = Annotated[str, StringConstraints(pattern=SIRET_PATTERN)]
EntityId = Annotated[str, StringConstraints(pattern=ID_PATTERN)]

_COMMUNE = re.compile(COMMUNE_PATTERN)
_DEPARTEMENT = re.compile(DEPARTEMENT_PATTERN)


def is_commune_code(value: str) -> bool:
    return bool(_COMMUNE.match(value))


def is_departement_code(value: str) -> bool:
    return bool(_DEPARTEMENT.match(value))
