"""Points d'étape: the contract is reviewed every 3 to 6 months (Proposition #65).

The next review is due 6 months after the signature or after the last review, whichever is later;
past that date the dossier flags it. Computed from a clock given by the caller, never stored, so the
flag is right on the day it turns without any batch job.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime
from typing import Any

REVIEW_INTERVAL_MONTHS = 6


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_review_due(signed_at: datetime | None, review_times: list[datetime]) -> date | None:
    """None while the contract is unsigned and no review took place: nothing to follow up yet."""
    anchors = [moment for moment in (signed_at, *review_times) if moment is not None]
    return add_months(max(anchors).date(), REVIEW_INTERVAL_MONTHS) if anchors else None


def review_status(signed_at: datetime | None, reviews: list[dict[str, Any]], today: date) -> dict[str, Any]:
    due = next_review_due(signed_at, [datetime.fromisoformat(r["held_at"]) for r in reviews])
    return {"next_review_due": due.isoformat() if due else None,
            "review_overdue": due is not None and today > due}
