"""Builders of the sanctions tests: lapses, cases, and the other services' events as they publish them."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from services.sanctions.adapters.scales import shipped_scales
from services.sanctions.domain.case import Case, Lapse, Source

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
PERSON = "5b0d6c1e-2f4a-4c8e-9d3b-7a1e2f3c4d5e"


def lapse(obligation: str = "attend_appointment", source: Source = Source.REFERENT_REPORT, at: datetime = NOW,
          person: str = PERSON) -> Lapse:
    return Lapse(str(uuid.uuid4()), person, obligation, source, "Absent au rendez-vous.", at, at, "ft-agence-44-nantes-est")


def open_case(public: str = "rsa", category: str = "obligation", version: str = "current", previous: int = 0,
              household: int = 1, at: datetime = NOW) -> Case:
    evaluation = shipped_scales()[version].evaluate(public, category, previous, household)
    return Case.open(str(uuid.uuid4()), [lapse(at=at)], "44", public, category, previous, household, evaluation, at)


def later(days: float) -> datetime:
    return NOW + timedelta(days=days)
