"""The dossier's deadline facts become system lapses of the obligation they breach, one per occurrence."""
from __future__ import annotations

from datetime import datetime, timezone

from services.core.referentials.obligations import OBLIGATION_CODES
from services.sanctions.domain.case import Source
from services.sanctions.domain.deadlines import (
    REVIEW_OBLIGATION, SIGNATURE_OBLIGATION, overdue_review_lapse, unsigned_contract_lapse,
)
from services.sanctions.tests.builders import NOW, PERSON, contract_unsigned, later, review_overdue


def test_an_overdue_review_breaches_attending_the_referents_appointments_from_the_day_after_it_was_due():
    lapse = overdue_review_lapse(review_overdue(PERSON, "2026-09-02").data, later(200))
    assert (lapse.person_id, lapse.obligation, lapse.source, lapse.recorded_by) == (
        PERSON, "attend_appointment", Source.SYSTEM, "system")
    assert lapse.occurred_at == datetime(2026, 9, 3, tzinfo=timezone.utc) and lapse.recorded_at == later(200)
    assert "2026-09-02" in lapse.evidence


def test_an_unsigned_contract_breaches_signing_it_in_time_from_the_signature_due_date():
    lapse = unsigned_contract_lapse(contract_unsigned(PERSON, NOW).data, later(31))
    assert (lapse.obligation, lapse.source) == ("sign_contract", Source.SYSTEM)
    assert lapse.occurred_at == later(30)
    assert {REVIEW_OBLIGATION, SIGNATURE_OBLIGATION} <= set(OBLIGATION_CODES)


def test_a_replayed_fact_names_the_same_lapse_and_another_occurrence_another():
    first = overdue_review_lapse(review_overdue(PERSON, "2026-09-02").data, later(1))
    assert overdue_review_lapse(review_overdue(PERSON, "2026-09-02").data, later(5)).id == first.id
    assert overdue_review_lapse(review_overdue(PERSON, "2027-03-02").data, later(5)).id != first.id
    unsigned = unsigned_contract_lapse(contract_unsigned(PERSON, NOW).data, later(31)).id
    assert unsigned_contract_lapse(contract_unsigned(PERSON, NOW).data, later(40)).id == unsigned
    assert unsigned_contract_lapse(contract_unsigned(PERSON, later(60)).data, later(91)).id != unsigned
    assert unsigned != first
