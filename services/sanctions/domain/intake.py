"""When a lapse opens a case. A first lapse never leads straight to a sanction: it opens a case (or
joins the person's open one). Missed initial diagnostic appointments are counted first: the scale
version says how many open a case (current: one, each being an "absence à un rendez-vous", L3204;
target: two, L3349), and the earlier ones wait, recorded, for the next.
"""
from __future__ import annotations

from services.sanctions.domain.case import Lapse, Source
from services.sanctions.domain.scale import Scale

INITIAL_APPOINTMENT = "initial_diagnostic_appointment"


def lapses_opening_case(lapse: Lapse, waiting: list[Lapse], scale: Scale) -> list[Lapse] | None:
    """The lapses a new case opens with, or None while missed initial appointments are below the
    version's count. `waiting`: the person's earlier lapses of the same obligation in no case."""
    if lapse.obligation != INITIAL_APPOINTMENT or lapse.source is not Source.SYSTEM:
        return [lapse]
    batch = [*waiting, lapse]
    return batch if len(batch) >= scale.no_show_lapses_per_case else None
