"""Governance statistics (#68): lapses by obligation and source, cases by outcome, sanctions by
level (the scale's rule), per territory and month. Counts only: nothing about a person."""
from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from services.sanctions.adapters.orm import CaseRow, LapseRow
from services.sanctions.domain.case import REMOBILISATION, Status

OUTCOME = case(
    (CaseRow.status == Status.CLOSED.value, "no_follow_up"),
    (CaseRow.status == Status.ANNULLED.value, "annulled"),
    (CaseRow.consequence_kind == REMOBILISATION, "remobilisation"),
    (CaseRow.consequence_kind.is_not(None), "sanction"),
    else_="pending")


def statistics(session: Session, territories: tuple[str, ...] | None, month: str | None) -> dict[str, Any]:
    """`territories` None: every territory (platform administrators)."""
    def scoped(statement: Any, table: Any) -> Any:
        if territories is not None:
            statement = statement.where(table.territory.in_(territories))
        return statement.where(table.month == month) if month else statement

    lapses = scoped(select(LapseRow.territory, LapseRow.month, LapseRow.obligation, LapseRow.source, func.count())
                    .group_by(LapseRow.territory, LapseRow.month, LapseRow.obligation, LapseRow.source), LapseRow)
    outcomes = scoped(select(CaseRow.territory, CaseRow.month, OUTCOME, func.count())
                      .group_by(CaseRow.territory, CaseRow.month, OUTCOME), CaseRow)
    levels = scoped(select(CaseRow.territory, CaseRow.month, CaseRow.rule, func.count())
                    .where(CaseRow.consequence_kind.is_not(None), CaseRow.status != Status.ANNULLED.value)
                    .group_by(CaseRow.territory, CaseRow.month, CaseRow.rule), CaseRow)
    return {
        "lapses": [{"territory": t, "month": m, "obligation": o, "source": s, "count": n}
                   for t, m, o, s, n in session.execute(lapses.order_by(LapseRow.territory, LapseRow.month))],
        "cases": [{"territory": t, "month": m, "outcome": o, "count": n}
                  for t, m, o, n in session.execute(outcomes.order_by(CaseRow.territory, CaseRow.month))],
        "sanctions": [{"territory": t, "month": m, "rule": r, "count": n}
                      for t, m, r, n in session.execute(levels.order_by(CaseRow.territory, CaseRow.month))],
    }
