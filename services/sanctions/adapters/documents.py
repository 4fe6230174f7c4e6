"""A case as the JSON document its row keeps, and back."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from services.sanctions.domain.case import Case, Status, Step
from services.sanctions.domain.scale import Consequence, Evaluation


def case_document(case: Case) -> dict[str, Any]:
    e = case.evaluation
    return {
        "category": case.category, "previous_sanctions": case.previous_sanctions, "household_size": case.household_size,
        "evaluation": {"consequence": e.consequence.as_dict(), "authority": e.authority,
                       "observation_days": e.observation_days, "equipe_pluridisciplinaire": e.equipe_pluridisciplinaire,
                       "rule": e.rule, "explanation": e.explanation, "version": e.version, "appeals": list(e.appeals)},
        "lapse_ids": case.lapse_ids, "observations": case.observations, "opinion": case.opinion,
        "decision": case.decision, "reengagement": case.reengagement,
        "timeline": [{"kind": s.kind, "at": s.at.isoformat(), "by": s.by, "detail": s.detail} for s in case.timeline],
    }


def case_from(row: Any) -> Case:
    d = row.document
    e = d["evaluation"]
    evaluation = Evaluation(Consequence(**e["consequence"]), e["authority"], e["observation_days"],
                            e["equipe_pluridisciplinaire"], e["rule"], e["explanation"], e["version"], tuple(e["appeals"]))
    return Case(row.id, row.person_id, row.territory, row.public, row.scale_version, d["category"],
                d["previous_sanctions"], d["household_size"], evaluation, row.opened_at, row.observation_ends_at,
                Status(row.status), row.version, list(d["lapse_ids"]), d["observations"], d["opinion"], d["decision"],
                dict(d["reengagement"]),
                [Step(s["kind"], datetime.fromisoformat(s["at"]), s["by"], s["detail"]) for s in d["timeline"]])
