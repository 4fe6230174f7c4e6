"""Where an offer stands against comparable offers (same ROME, same département): salary,
contract duration and working time, as percentiles an employer can act on ("your salary is below
70 % of comparable offers"). Showing the salary alone brings 80 % more clicks.

The service picks the peers (it owns the storage) and passes their values; this module only
ranks. Percentiles are mid-ranks: ties count half, so an offer equal to all its peers sits at 50.
"""
from __future__ import annotations

import math
from statistics import median
from typing import Any, Sequence

from services.offers.domain.model import OfferDraft

# A CDI has no end: among durations it ranks above every fixed term.
OPEN_ENDED = math.inf


def percentile_rank(value: float, peers: Sequence[float]) -> float | None:
    """Share of peers below `value` (ties counted half), 0-100; None without peers."""
    if not peers:
        return None
    below = sum(1 for peer in peers if peer < value)
    equal = sum(1 for peer in peers if peer == value)
    return round(100 * (below + equal / 2) / len(peers), 1)


def compare(draft: OfferDraft, *, salaries: Sequence[float], durations: Sequence[float | None],
            weekly_hours: Sequence[float]) -> dict[str, dict[str, Any]]:
    """Per dimension: {value, percentile, peer_count, median}.

    - salary: the yearly gross middle of each range (`Salary.mid_yearly_eur`); peers without a
      salary are left out by the caller, an offer without one gets no percentile;
    - contract_duration_months: months of fixed-term contracts, None for open-ended ones (CDI),
      which rank above any duration; the median is None when it falls on an open-ended contract;
    - weekly_hours: hours a week (more hours rank higher: a full-time job is what most seek).
    """
    duration_value = _duration(draft)
    duration_peers = [OPEN_ENDED if d is None else float(d) for d in durations]
    return {
        "salary": _dimension(draft.salary.mid_yearly_eur, list(salaries)),
        "contract_duration_months": _dimension(duration_value, duration_peers),
        "weekly_hours": _dimension(draft.weekly_hours, list(weekly_hours)),
    }


def _duration(draft: OfferDraft) -> float | None:
    if draft.contract_type == "CDI":
        return OPEN_ENDED
    return float(draft.contract_duration_months) if draft.contract_duration_months else None


def _dimension(value: float | None, peers: list[float]) -> dict[str, Any]:
    middle = median(peers) if peers else None
    return {
        "value": _json_number(value),
        "percentile": percentile_rank(value, peers) if value is not None else None,
        "peer_count": len(peers),
        "median": _json_number(middle),
    }


def _json_number(value: float | None) -> float | None:
    # JSON has no infinity: an open-ended contract shows as null, its rank says the rest.
    return None if value is None or math.isinf(value) else value
