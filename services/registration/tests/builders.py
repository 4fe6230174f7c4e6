"""Test data: valid registration bodies with real NIRs (control key computed), varied on demand."""
from __future__ import annotations

import copy
import random
from datetime import date

from services.registration.api import examples


def nir_for(sex: str, birth: date, departement: str = "49", commune: str | None = None,
            order: int | None = None) -> str:
    # Random commune and order numbers keep NIRs distinct across thousands of people born the same day.
    commune = commune or f"{random.randint(1, 999):03d}"
    order = order if order is not None else random.randint(1, 999)
    body = f"{sex}{birth.year % 100:02d}{birth.month:02d}{departement}{commune}{order:03d}"
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{body}{97 - number % 97:02d}"


def person(*, nir: bool = True, last_name: str | None = None, first_name: str = "Camille",
           birth: date = date(2001, 3, 14), commune_code: str = "44109", postal_code: str = "44000",
           rsa: bool = True, rqth: bool = False, sex: str = "F") -> dict:
    body = copy.deepcopy(examples.REGISTRATION_CREATE)
    identity = body["identity"]
    identity.update(last_name=last_name or f"Martin-{random.randint(1, 10**9)}", first_names=[first_name],
                    birth_date=birth.isoformat(), sex=sex)
    identity["nir"] = nir_for("2" if sex == "F" else "1", birth) if nir else None
    if not nir:
        del identity["nir"]
    body["address"].update(commune_code=commune_code, postal_code=postal_code)
    body["situation"].update(rsa_recipient=rsa, rqth=rqth)
    return body
