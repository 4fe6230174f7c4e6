"""Examples of the published contract: Loire-Atlantique's registrations in November 2026."""
from __future__ import annotations

DEFINITION = {"code": "registrations", "version": 1, "family": "description", "label": "Inscriptions",
              "description": "Personnes inscrites dans le mois, par sexe, tranche d'âge et bénéfice du RSA.",
              "formula": "count(people registered)", "unit": "people", "sources": ["registration.person.registered.v2"],
              "breakdowns": ["sex", "age_band", "rsa_recipient"], "status": "available", "awaiting": None}
CATALOGUE = {"version": 1, "items": [DEFINITION]}
OBSERVATIONS = {"indicator": "registrations", "territory_level": "departement", "territory": "44", "breakdown": "sex",
                "secrecy": "Cells counting 1 to 10 people are not published (primary suppression); …",
                "unsuppressed": False,
                "items": [{"month": "2026-11", "category": "F", "value": 412},
                          {"month": "2026-11", "category": "M", "value": None}]}
DATASETS = {"secrecy": OBSERVATIONS["secrecy"], "items": [{
    "indicator": "registrations", "label": "Inscriptions", "unit": "people",
    "levels": ["national", "region", "departement", "bassin"], "formats": ["json", "csv"],
    "url": "/open-data/indicators/registrations/{level}/{month}"}]}
EXPORT = {"definition": DEFINITION, "level": "departement", "month": "2026-11", "secrecy": OBSERVATIONS["secrecy"],
          "consumer_lag": 0, "items": [
              {"territory": "44", "name": "Loire-Atlantique", "month": "2026-11", "category": "all", "value": 412},
              {"territory": "49", "name": "Maine-et-Loire", "month": "2026-11", "category": "all", "value": None}]}
EXPORT_CSV = ("territory,name,month,category,value,numerator,denominator,count\n"
              "44,Loire-Atlantique,2026-11,all,412,,,\n49,Maine-et-Loire,2026-11,all,,,,\n")
