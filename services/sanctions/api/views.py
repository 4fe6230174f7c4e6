"""A case as the API shows it: the whole case, or its decision alone (the CAF's view)."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from services.sanctions.api.schemas import SanctionCaseOut
from services.sanctions.domain.case import Case


def case_out(case: Case, view: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": case.id, "person_id": case.person_id, "regime": case.public,
                           "territory": case.territory, "status": case.status.value, "scale_version": case.scale_version,
                           "view": view, "decision": case.decision}
    if view == "case":
        out.update(category=case.category, opened_at=case.opened_at, observation_ends_at=case.observation_ends_at,
                   evaluation=asdict(case.evaluation), observations=case.observations, opinion=case.opinion,
                   timeline=[asdict(step) for step in case.timeline])
    return SanctionCaseOut.model_validate(out).model_dump(mode="json")
