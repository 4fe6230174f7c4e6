"""Official codes: INSEE commune and département (COG), ROME, SIRET, and the platform's own ids.

Plain patterns and predicates, free of any framework so that domain code can use them;
`services.core.codes` carries the same patterns into request models and path parameters, so
every contract publishes one pattern per code.
"""
from __future__ import annotations

import re

# Metropolitan départements 01–95 with Corsica as 2A/2B (there is no "20"), overseas 971–974 and
# 976 (Mayotte); 975, Saint-Pierre-et-Miquelon, has been a collectivité, not a département, since 1985.
DEPARTEMENT_PATTERN = r"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2[AB]|97[1-46])$"
# A commune code is its département's two characters then three digits (971xx… overseas).
COMMUNE_PATTERN = r"^([0-9]{2}|2[AB])[0-9]{3}$"
# A ROME 4.0 code, as it also appears inside free text (a job board's category label).
ROME_CODE = r"[A-N][0-9]{4}"
ROME_PATTERN = rf"^{ROME_CODE}$"
SIRET_PATTERN = r"^[0-9]{14}$"
# Ids minted by the platform (UUIDs), in their canonical lower-case form.
ID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

_COMMUNE = re.compile(COMMUNE_PATTERN)
_DEPARTEMENT = re.compile(DEPARTEMENT_PATTERN)
_ROME = re.compile(ROME_PATTERN)


def is_commune_code(value: str) -> bool:
    return bool(_COMMUNE.match(value))


def is_departement_code(value: str) -> bool:
    return bool(_DEPARTEMENT.match(value))


def is_rome_code(value: str) -> bool:
    return bool(_ROME.match(value))
