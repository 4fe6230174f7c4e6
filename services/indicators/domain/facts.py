"""What one event adds to the indicators: pure functions from an event's data to contributions.

The state is the sum of the contributions of every event applied once, so replaying the topics from
offset 0 into an empty store rebuilds it exactly. A contribution is located where the fact happened
(a commune, or only a département when that is all the event says) and dated by the fact's own time,
never by when it was consumed. Events keyed by a person only (the dossier's) are located through the
person's registration, which the caller looks up (`PlaceOf`).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

COUNT, NUMERATOR, DENOMINATOR, SUM = "count", "numerator", "denominator", "sum"


@dataclass(frozen=True)
class Place:
    commune_code: str | None = None
    departement_code: str | None = None


@dataclass(frozen=True)
class Contribution:
    indicator: str
    measure: str  # count | numerator | denominator | sum (of days, for a mean: sum / count)
    place: Place
    month: str  # YYYY-MM
    categories: tuple[tuple[str, str], ...] = ()  # (breakdown, category) for each breakdown
    amount: int = 1


PlaceOf = Callable[[str], Place | None]


def month_of(moment: str) -> str:
    return moment[:7] if len(moment) == 10 else datetime.fromisoformat(moment).strftime("%Y-%m")  # a date or a moment


def age_band(birth_date: str, on: str) -> str:
    born, day = date.fromisoformat(birth_date), datetime.fromisoformat(on).date()
    age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
    return "under_26" if age < 26 else "26_to_49" if age < 50 else "50_and_over"


def _registered(data: dict, _: PlaceOf) -> list[Contribution]:
    if data["status"] != "registered" or data["registered_at"] is None:
        return []  # a pre-registration counts once the person confirms it
    at = data["registered_at"]
    categories = (("sex", data["identity"].get("sex") or "unknown"), ("age_band", age_band(data["identity"]["birth_date"], at)),
                  ("rsa_recipient", str(data["situation"]["rsa_recipient"]).lower()))
    return [Contribution("registrations", COUNT, Place(data["territory"]["commune_code"]), month_of(at), categories)]


def _offer_place(data: dict) -> Place:
    place = data.get("place")
    return Place(place["commune_code"], place["departement_code"]) if place else Place()


def _offer_published(data: dict, _: PlaceOf) -> list[Contribution]:
    return [Contribution("offer_fill_rate", DENOMINATOR, _offer_place(data), month_of(data["published_at"]),
                         (("contract_type", data["contract_type"]),))]


def _offer_filled(data: dict, _: PlaceOf) -> list[Contribution]:
    place, categories = _offer_place(data), (("contract_type", data["contract_type"]),)
    filled = month_of(data["filled_at"])
    return [
        # The rate's numerator is dated like its denominator: offers published that month.
        Contribution("offer_fill_rate", NUMERATOR, place, month_of(data["published_at"]), categories),
        Contribution("offer_time_to_fill", COUNT, place, filled, categories),
        Contribution("offer_time_to_fill", SUM, place, filled, categories, data["time_to_fill_days"]),
    ]


def _appointment_booked(data: dict, _: PlaceOf) -> list[Contribution]:
    place, month = Place(departement_code=data["departement_code"]), month_of(data["booked_at"])
    categories = (("channel", data["channel"]),)
    found = [Contribution("first_appointment_delay", COUNT, place, month, categories),
             Contribution("first_appointment_delay", SUM, place, month, categories, data["delay_days"]),
             Contribution("first_appointment_within_target", DENOMINATOR, place, month, categories)]
    if data["within_target"]:
        found.append(Contribution("first_appointment_within_target", NUMERATOR, place, month, categories))
    return found


# What a booking contributed with, kept so that a cancellation takes it back and a move redoes it.
BOOKING_FACTS = ("departement_code", "booked_at", "channel", "delay_days", "within_target")
CANCELLED, MOVED = "orientation.appointment.cancelled.v1", "orientation.appointment.moved.v1"


def booking_facts(data: dict) -> dict:
    return {name: data[name] for name in BOOKING_FACTS}


def appointment_changed(event_type: str, booking: dict, data: dict) -> tuple[list[Contribution], dict | None]:
    """A cancelled first appointment is no first appointment: its booking's contributions are taken
    back. A moved one counts once, with its new delay and channel, in the month it was first booked.
    Returns the contributions and the booking's facts from now on (None once cancelled)."""
    taken_back = [_negated(item) for item in _appointment_booked(booking, None)]
    if event_type == CANCELLED:
        return taken_back, None
    moved = {**booking, **{name: data[name] for name in ("channel", "delay_days", "within_target")}}
    return taken_back + _appointment_booked(moved, None), moved


def _negated(item: Contribution) -> Contribution:
    return Contribution(item.indicator, item.measure, item.place, item.month, item.categories, -item.amount)


def _no_show(data: dict, _: PlaceOf) -> list[Contribution]:
    return [Contribution("appointment_no_shows", COUNT, Place(departement_code=data["departement_code"]),
                         month_of(data["recorded_at"]), (("rsa_recipient", str(data["rsa_recipient"]).lower()),))]


def _oriented(data: dict, _: PlaceOf) -> list[Contribution]:
    if data["status"] != "decided":
        return []  # a proposal or a pending interview is not yet an orientation
    referent = data["referent"] or {}
    categories = (("pathway", data["pathway"] or "none"), ("intensity", data["intensity"] or "none"),
                  ("referent_org_type", referent.get("org_type", "none")))
    return [Contribution("orientations_by_pathway", COUNT, Place(departement_code=data["departement_code"]),
                         month_of(data["decided_at"]), categories)]


def _by_person(indicator: str, moment: str, breakdown: str | None) -> Callable[[dict, PlaceOf], list[Contribution]]:
    def contribute(data: dict, place_of: PlaceOf) -> list[Contribution]:
        place = place_of(data["person_id"])
        if place is None:
            return []  # never registered here: the caller keeps the event until the registration arrives
        categories = ((breakdown, str(data[breakdown])),) if breakdown else ()
        return [Contribution(indicator, COUNT, place, month_of(data[moment]), categories)]
    return contribute


def _sanction(data: dict, _: PlaceOf) -> list[Contribution]:
    return [Contribution("sanctions_decided", COUNT, Place(departement_code=data["territory"]),
                         month_of(data["decided_at"]), (("regime", data["regime"]),))]


def _introduction(data: dict, _: PlaceOf) -> list[Contribution]:
    moment = data["contact_released_at"] or data["requested_at"]
    return [Contribution("introductions_made", COUNT, Place(departement_code=data["departement_code"]),
                         month_of(moment))]


CONTRIBUTORS: dict[str, Callable[[dict, PlaceOf], list[Contribution]]] = {
    "registration.person.registered.v2": _registered,
    "offers.offer.published.v1": _offer_published,
    "offers.offer.filled.v1": _offer_filled,
    "orientation.appointment.booked.v1": _appointment_booked,
    "orientation.appointment.no_show.v1": _no_show,
    "orientation.decision.made.v1": _oriented,
    "dossier.contract.signed.v1": _by_person("contracts_signed", "signed_at", "pathway"),
    "dossier.review.recorded.v1": _by_person("reviews_held", "held_at", "outcome"),
    # Once per due date missed, counted in the month the review was due.
    "dossier.review.overdue.v1": _by_person("corde_de_rappel", "next_review_due", None),
    "partners.dsn.hiring_declared.v1": _by_person("return_to_employment", "hired_on", "contract_type"),
    "sanctions.decision.made.v1": _sanction,
    "profiles.introduction.made.v1": _introduction,
}


def contributions(event_type: str, data: dict, place_of: PlaceOf) -> list[Contribution]:
    contributor = CONTRIBUTORS.get(event_type)
    return contributor(data, place_of) if contributor else []
