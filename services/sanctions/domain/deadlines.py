"""The dossier's deadline facts as lapses: a point d'étape overdue, a contract unsigned after the
diagnostic. Each names the obligation it breaches in the shared obligations referential; its id
derives from the occurrence (the due date, the diagnostic's completion), so a replayed or
redelivered fact adds nothing twice.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from services.core.referentials.obligations import obligations
from services.sanctions.domain.case import Lapse, Source

# "Se présenter aux rendez-vous avec son référent": a point d'étape is one of those meetings.
REVIEW_OBLIGATION = obligations().get("attend_appointment").code
# "Établir et renouveler son contrat d'engagements dans les délais".
SIGNATURE_OBLIGATION = obligations().get("sign_contract").code
RECORDED_BY = "system"  # the platform's clock found it, no organisation reported it


def overdue_review_lapse(data: dict[str, Any], now: datetime) -> Lapse:
    """Occurred the day after the review was due: the first day it is overdue."""
    due = date.fromisoformat(data["next_review_due"])
    occurred = datetime.combine(due + timedelta(days=1), time(), tzinfo=timezone.utc)
    return _lapse(f"review-overdue/{data['person_id']}/{due.isoformat()}", data["person_id"], REVIEW_OBLIGATION,
                  f"Point d'étape du contrat attendu au plus tard le {due.isoformat()}, non tenu.", occurred, now)


def unsigned_contract_lapse(data: dict[str, Any], now: datetime) -> Lapse:
    due = datetime.fromisoformat(data["signature_due"])
    return _lapse(f"contract-unsigned/{data['person_id']}/{data['diagnostic_completed_at']}", data["person_id"],
                  SIGNATURE_OBLIGATION,
                  f"Contrat d'engagements non signé au {due.date().isoformat()}, diagnostic achevé le "
                  f"{datetime.fromisoformat(data['diagnostic_completed_at']).date().isoformat()}.", due, now)


def _lapse(occurrence: str, person_id: str, obligation: str, evidence: str, occurred_at: datetime,
           now: datetime) -> Lapse:
    return Lapse(str(uuid.uuid5(uuid.NAMESPACE_URL, occurrence)), person_id, obligation, Source.SYSTEM, evidence,
                 occurred_at, now, RECORDED_BY)
