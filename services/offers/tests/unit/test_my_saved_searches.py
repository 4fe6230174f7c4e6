"""What a person is shown of a search saved for them: the criteria, the organisation that saved it and
the offers sent, nothing about the counsellor beyond their organisation."""
from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace

from services.offers.api.render import my_saved_search
from services.offers.api.schemas import OfferMySavedSearchOut

AT = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


def test_the_person_sees_the_saving_organisation_and_not_the_counsellor():
    row = SimpleNamespace(id="s1", person_id="p1", org_id="ft-agence-44-nantes-est", org_type="france_travail",
                          org_territories=["44"], created_by="ft-agence-nantes/agent-0042",
                          criteria={"rome_codes": ["D1102"]}, created_at=AT)
    shown = OfferMySavedSearchOut.model_validate(my_saved_search(row, [], 0)).model_dump(mode="json")
    assert shown["saved_by"] == {"org_id": "ft-agence-44-nantes-est", "org_type": "france_travail"}
    assert "agent-0042" not in str(shown) and "person_id" not in shown and "org_territories" not in str(shown)
    assert (shown["matches"], shown["matches_total"]) == ([], 0)
