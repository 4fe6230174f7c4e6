"""Native-shape offers for the tests: a valid one, overridden field by field."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from services.offers.domain.model import OfferDraft
from services.offers.domain.normalise import normalise

EXAMPLES = Path(__file__).resolve().parents[2] / "referentials" / "examples"
VALID_SIRET = "62819482100011"  # fictitious, passes Luhn
OTHER_SIRET = "54323194800018"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def native(**overrides: Any) -> dict[str, Any]:
    offer: dict[str, Any] = {
        "title": "Serveur / Serveuse H/F",
        "description": (
            "Le Bistrot du Port, restaurant traditionnel de Nantes, renforce son équipe de salle.\n\n"
            "Vos missions : accueillir les clients, prendre les commandes, assurer le service en salle "
            "et en terrasse, encaisser les additions.\n\n"
            "Une première expérience en restauration est appréciée. Débutants acceptés.\n\n"
            "Poste en CDI, 35 heures par semaine, deux jours de repos consécutifs."
        ),
        "employer": {"siret": VALID_SIRET, "name": "Le Bistrot du Port"},
        "place": {"commune_code": "44109"},
        "rome_code": "G1803",
        "contract": {"type": "CDI"},
        "salary": {"min": 1850, "max": 2000, "period": "month"},
    }
    for key, value in overrides.items():
        if value is None:
            offer.pop(key, None)
        else:
            offer[key] = value
    return copy.deepcopy(offer)


def draft(source: str = "test", **overrides: Any) -> OfferDraft:
    return normalise(native(**overrides), source=source)
