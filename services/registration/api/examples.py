"""Examples published in the contract. They work as they are against `make run`, in this order:
register (the Idempotency-Key makes a replay harmless and fixes the id), read, correct, list."""
from services.core.health_data import REGISTRATION_PATHS, without_health
from services.core.idempotency import resource_id
from services.registration.api.schemas import PersonRegistrationOut, RegistrationOut

EXAMPLE_IDEMPOTENCY_KEY = "example-registration-camille-martin"
# The id derived from the example's Idempotency-Key for the demo client ft-agence-nantes.
EXAMPLE_REGISTRATION_ID = resource_id("ft-agence-nantes", EXAMPLE_IDEMPOTENCY_KEY)

REGISTRATION_CREATE = {
    "channel": "counter",
    "identity": {
        "last_name": "Martin",
        "first_names": ["Camille", "Anne"],
        "sex": "F",
        "birth_date": "2001-03-14",
        "birth_place": {"commune_code": "49007", "country_code": "FR"},
        "nationality": "FR",
        "nir": "2 01 03 49 007 123 86",
    },
    "contact": {"email": "camille.martin@example.org", "phone": "+33 6 12 34 56 78", "preferred_channel": "sms"},
    "address": {"line": "12 rue de la Paix", "postal_code": "44000", "commune_code": "44109"},
    "situation": {
        "professional_situation": "unemployed",
        "rsa_recipient": True,
        "rqth": False,
        "household": {"size": 2, "dependent_children": 1, "single_parent": True},
        "driving_licence": False,
        "residence_permit": "not_required",
        "french_level": "native",
    },
    "skills": {
        "diplomas": [{"title": "CAP Petite enfance", "level": "3", "year": 2019}],
        "experiences": [{"job_title": "Auxiliaire de crèche", "rome_code": "K1303", "duration_months": 18}],
        "executive_experience": False,
        "other_skills": ["Premiers secours (PSC1)"],
    },
    "project": {
        "target_jobs": ["Assistante maternelle"],
        "rome_codes": ["K1303"],
        "contract_types": ["CDI", "CDD"],
        "working_time": "part_time",
        "mobility_km": 15,
        "available_from": "2026-12-01",
    },
    "pre_diagnostic": {
        "work_experience": "1_to_5_years",
        "project_maturity": "to_confirm",
        "availability": "within_3_months",
        "barriers": {"mobility": True, "family": True, "digital": False},
        "support_needed": "guided",
    },
}

REGISTRATION_PATCH = {"contact": {"phone": "+33 6 98 76 54 32"}, "project": {"mobility_km": 25}}

CONFIRM_BODY = {
    "contact": {"email": "sofiane.benali@example.org"},
    "pre_diagnostic": {
        "work_experience": "more_than_5_years",
        "project_maturity": "to_build",
        "availability": "immediate",
        "barriers": {"housing": True, "finances": True},
        "support_needed": "intensive",
    },
}


def _as_returned(request: dict, **changes) -> dict:
    """The answer to REGISTRATION_CREATE: the same sections, NIR masked, derived fields added, and the
    defaults the service fills in (e.g. all nine barriers), written by the response model itself."""
    identity = {k: v for k, v in request["identity"].items() if k != "nir"}
    body = {
        "id": EXAMPLE_REGISTRATION_ID, "status": "registered", "channel": request["channel"],
        **{k: v for k, v in request.items() if k not in ("channel", "identity")},
        "identity": {**identity, "usage_name": None, "nir_masked": "2 01 ** ** *** *** **"},
        "address": {**request["address"], "departement_code": "44", "region_code": "52"},
        "situation": {**request["situation"], "under_26": True},
        "possible_duplicate_of": None,
        "registered_at": "2026-11-23T09:30:00Z", "created_at": "2026-11-23T09:30:00Z",
        "updated_at": "2026-11-23T09:30:00Z",
    }
    return RegistrationOut.model_validate(without_health({**body, **changes}, REGISTRATION_PATHS)).model_dump(mode="json")


REGISTRATION_OUT = _as_returned(REGISTRATION_CREATE)
REGISTRATION_PAGE = {"items": [REGISTRATION_OUT], "next_cursor": None}

# The pre-registration that `make demo-caf-fact` creates (its id derives from the demo fact's id, as
# services/registration/consumers.py names it).
EXAMPLE_PRE_REGISTRATION_ID = resource_id("partner-fact", "5b0e7c1e-2f1a-4d4b-9c55-6a8e2f0d3c11")
EXAMPLE_CONFIRM_IDEMPOTENCY_KEY = "example-confirmation-sofiane-benali"
CONFIRMED_OUT = {
    "id": EXAMPLE_PRE_REGISTRATION_ID, "status": "registered", "channel": "partner_prefill",
    "identity": {"last_name": "Benali", "usage_name": None, "first_names": ["Sofiane"], "sex": "M",
                 "birth_date": "1988-07-21", "birth_place": {"commune_code": "44109", "country_code": "FR",
                                                             "city": None},
                 "nationality": "FR", "nir_masked": None},
    "contact": {"email": "sofiane.benali@example.org", "phone": "+33 6 11 22 33 44", "preferred_channel": "email",
                "opted_out_channels": []},
    "address": {"line": "4 allée des Pins", "postal_code": "44600", "commune_code": "44184",
                "departement_code": "44", "region_code": "52"},
    "situation": {"professional_situation": "unemployed", "rsa_recipient": True,
                  "household": {"size": 3, "dependent_children": 2, "single_parent": False},
                  "driving_licence": False, "residence_permit": "not_required", "french_level": "native",
                  "under_26": False},
    "skills": {"diplomas": [], "experiences": [], "executive_experience": False, "other_skills": []},
    "project": {"target_jobs": [], "rome_codes": [], "contract_types": [], "working_time": "any",
                "mobility_km": 30, "available_from": None},
    "pre_diagnostic": {**CONFIRM_BODY["pre_diagnostic"], "barriers": {
        "housing": True, "mobility": False, "basic_skills": False, "language": False,
        "family": False, "administrative_judicial": False, "finances": True, "digital": False}},
    "possible_duplicate_of": None,
    "registered_at": "2026-11-23T09:35:00Z", "created_at": "2026-11-23T09:31:00Z", "updated_at": "2026-11-23T09:35:00Z",
}

# The claims an identity provider gives about Camille after her login (FranceConnect's names).
IDENTITY_MATCH = {"family_name": "MARTIN", "given_names": ["Camille", "Anne"], "birth_date": "2001-03-14",
                  "birth_place": "49007", "birth_country": "99100"}
IDENTITY_MATCH_OUT = {"person_id": EXAMPLE_REGISTRATION_ID}

# Camille's own view of her registration (GET /v1/me/registration), and a change of her contact.
PERSON_REGISTRATION_OUT = PersonRegistrationOut.model_validate({
    **{k: v for k, v in REGISTRATION_OUT.items() if k != "possible_duplicate_of"},
    "situation": {**REGISTRATION_CREATE["situation"], "under_26": True},
    "pre_diagnostic": REGISTRATION_CREATE["pre_diagnostic"],
}).model_dump(mode="json")
PERSON_CONTACT_PATCH = {"email": "camille.martin@example.net", "opted_out_channels": ["sms"]}
