"""Case changes -> outbox events. A decision tells those who pay what to apply and nothing else about
the person: no lapse, evidence, observation, opinion, health data nor NIR.

Reads made for a control are told to the person (their access log) once the procedure closes, not
while it runs: held in the service's table, then published in the transaction that closes the case."""
from __future__ import annotations

from typing import Any

from services.core.access_log import Accessor, access_recorded
from services.sanctions.domain.case import Case, CaseChanged
from services.sanctions.published import ACCESS_RECORDED, DECISION_ANNULLED, DECISION_LIFTED, DECISION_MADE
from services.sanctions.service.unit_of_work import SanctionsUnitOfWork

EVENT_TYPES = {"decided": DECISION_MADE, "lifted": DECISION_LIFTED, "annulled": DECISION_ANNULLED}


def decision_data(change: CaseChanged) -> dict[str, Any]:
    case = change.case
    step = next(s for s in reversed(case.timeline) if s.kind == change.kind)
    c = case.decision["consequence"]
    return {
        "case_id": case.id, "person_id": case.person_id, "regime": case.public, "territory": case.territory,
        "scale_version": case.scale_version, "rule": case.decision["rule"], "authority": case.evaluation.authority,
        "decided_at": case.decision["decided_at"], "at": step.at.isoformat(), "reason": step.detail.get("reason"),
        "household_size": case.household_size,
        "consequence": {key: c[key] for key in (
            "kind", "months", "reduction_percent", "allowance_months_cancelled", "whole_household", "list_removal",
            "support_continues")},
    }


CONTROL = "control"


def publish_changes(uow: SanctionsUnitOfWork, case: Case) -> None:
    for change in case.changes:
        uow.events.emit(EVENT_TYPES[change.kind], case.person_id, decision_data(change))
    case.changes.clear()
    if not case.is_open:
        for access in uow.held.release(case.id):
            uow.events.emit(ACCESS_RECORDED, case.person_id, access)


def record_read(uow: SanctionsUnitOfWork, caller: Accessor, case: Case, view: str, purpose: str, now) -> None:
    access = access_recorded(case.person_id, caller, service="sanctions", action="read_case", access="read",
                             sections=[view], purpose=purpose, reason=None, at=now)
    if purpose == CONTROL and case.is_open:
        uow.held.hold(case.id, case.person_id, access, now)
    else:
        uow.events.emit(ACCESS_RECORDED, case.person_id, access)
