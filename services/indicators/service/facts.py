"""Applying the platform's facts to the indicator cells, and reading them back as a ledger."""
from __future__ import annotations

from services.indicators.domain.facts import CANCELLED, MOVED, appointment_changed, booking_facts, contributions
from services.indicators.domain.observations import Ledger, expand
from services.indicators.domain.territories import Level, Territories
from services.indicators.service.unit_of_work import IndicatorsUnitOfWork

# The one subscription's name: its lag is the open data's freshness.
CONSUMER_NAME = "indicators.facts"
REGISTERED = "registration.person.registered.v2"
BOOKED = "orientation.appointment.booked.v1"
# Facts keyed by a person only: located where the person registered.
BY_PERSON = frozenset({"dossier.contract.signed.v1", "dossier.review.recorded.v1", "dossier.review.overdue.v1",
                       "partners.dsn.hiring_declared.v1"})


class IndicatorFacts:
    def __init__(self, territories: Territories) -> None:
        self.territories = territories

    def apply_all(self, uow: IndicatorsUnitOfWork, events: list[tuple[str, str, dict]]) -> None:
        """A transaction's events, in order: the places and early facts they need read at once, what
        they change written once at the end."""
        registering = [data["registration_id"] for _, event_type, data in events if event_type == REGISTERED]
        uow.places.prefetch([*registering, *(data["person_id"] for _, _, data in events if "person_id" in data)])
        uow.early.prefetch(registering)
        uow.bookings.prefetch(data["appointment_id"] for _, event_type, data in events if event_type in (CANCELLED, MOVED))
        for event_id, event_type, data in events:
            self.apply(uow, event_id, event_type, data)
        uow.write_pending()

    def apply(self, uow: IndicatorsUnitOfWork, event_id: str, event_type: str, data: dict) -> None:
        if event_type == REGISTERED:
            self._registered(uow, data)
            return
        if event_type in (CANCELLED, MOVED):
            self._appointment_changed(uow, event_type, data)
            return
        if event_type == BOOKED:
            uow.bookings.keep(data["appointment_id"], booking_facts(data))
        if event_type in BY_PERSON and uow.places.place_of(data["person_id"]) is None:
            # Topics arrive in no order between them: kept until the registration places the person.
            uow.early.keep(event_id, data["person_id"], event_type, data)
            return
        self._add(uow, event_type, data)

    def ledger(self, uow: IndicatorsUnitOfWork, indicator: str, months: tuple[str, str] | None = None) -> Ledger:
        return Ledger(self.territories, uow.cells.of_indicator(indicator, months))

    def _registered(self, uow: IndicatorsUnitOfWork, data: dict) -> None:
        # A pre-registration counts once confirmed; a person counts once, where they first registered.
        person_id = data["registration_id"]
        if data["status"] != "registered" or not uow.places.remember(person_id, data["territory"]["commune_code"]):
            return
        self._add(uow, REGISTERED, data)
        for event_type, early in uow.early.take(person_id):
            self._add(uow, event_type, early)

    def _appointment_changed(self, uow: IndicatorsUnitOfWork, event_type: str, data: dict) -> None:
        booking = uow.bookings.of(data["appointment_id"])
        if booking is None:
            return  # cancelled already (a move after a cancellation cannot happen, a redelivery can)
        found, booking = appointment_changed(event_type, booking, data)
        uow.bookings.keep(data["appointment_id"], booking)
        expand(self.territories, found, into=uow.cells.pending)

    def _add(self, uow: IndicatorsUnitOfWork, event_type: str, data: dict) -> None:
        found = contributions(event_type, data, uow.places.place_of)
        if found:
            expand(self.territories, found, into=uow.cells.pending)

    def is_own_territory(self, departements: tuple[str, ...], level: Level, code: str) -> bool:
        """An internal reader sees unsuppressed figures for its départements and their bassins only."""
        territory = self.territories.find(level, code)
        if territory is None:
            return False
        if level is Level.DEPARTEMENT:
            return territory.code in departements
        return level is Level.BASSIN and territory.parent is not None and territory.parent[1] in departements
