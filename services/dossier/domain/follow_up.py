"""Follow-up deadlines the clock reveals without anyone acting: a point d'étape past due, a contract
still unsigned after the diagnostic. The dossier raises each once (see `Dossier.follow_up`).

Review: overdue the day after `next_review_due`, the grace `reviews.review_status` already applies (none
beyond the due day itself), so the fact and the flag on the referent's view turn on the same day.

Signature: the seeds give no delay between the diagnostic and the signature. Their only figures are
that today "le délai moyen entre l'ouverture de droits et la signature s'élève à près de 5 mois […]
au-delà de 3 mois d'inactivité" (001_…, L1510) and, for the step before, "à défaut d'orientation dans un
délai court (par exemple 1 mois)" (L391, L1406). The default follows that "délai court" for the next
step of the pathway: 30 days, a setting (DOSSIER_CONTRACT_SIGNATURE_DAYS) a territory can change.
"""
from __future__ import annotations

import os
from datetime import date, datetime, timedelta

DEFAULT_SIGNATURE_DELAY_DAYS = 30


def signature_delay() -> timedelta:
    return timedelta(days=int(os.environ.get("DOSSIER_CONTRACT_SIGNATURE_DAYS", DEFAULT_SIGNATURE_DELAY_DAYS)))


def review_overdue(due: date | None, now: datetime) -> bool:
    return due is not None and now.date() > due


def signature_late(diagnostic_completed_at: datetime | None, signed: bool, now: datetime,
                   delay: timedelta) -> bool:
    return diagnostic_completed_at is not None and not signed and now >= diagnostic_completed_at + delay
