"""Generated journeys with known answers, through the contributions, the ledger and secrecy."""
from __future__ import annotations

import random

from services.indicators.domain.facts import (CANCELLED, COUNT, DENOMINATOR, MOVED, NUMERATOR, Place, age_band,
                                               appointment_changed, booking_facts, contributions)
from services.indicators.domain.observations import ALL, REST, Ledger, Tables
from services.indicators.domain.secrecy import TOTAL, SecrecyRule
from services.indicators.domain.territories import NATIONAL, Level, shipped_territories

RULE = SecrecyRule()


def registered(commune: str, at: str = "2026-11-03T09:00:00+00:00", sex: str = "F") -> dict:
    return {"status": "registered", "registered_at": at, "territory": {"commune_code": commune},
            "identity": {"birth_date": "2001-05-01", "sex": sex}, "situation": {"rsa_recipient": False}}


def ledger_of(events) -> Ledger:
    ledger = Ledger(shipped_territories())
    for event_type, data in events:
        ledger.add(contributions(event_type, data, lambda person: None))
    return ledger


def test_registrations_count_at_every_level_and_the_small_remainder_is_withheld_with_its_partner():
    ledger = ledger_of([("registration.person.registered.v2", registered("44184"))] * 12
                       + [("registration.person.registered.v2", registered("44109"))] * 3)
    month = "2026-11"
    assert ledger.value("registrations", COUNT, Level.BASSIN, "52-SAINT-NAZAIRE", month) == 12
    assert ledger.value("registrations", COUNT, Level.DEPARTEMENT, "44", month) == 15
    assert ledger.value("registrations", COUNT, Level.NATIONAL, NATIONAL, month) == 15
    assert ledger.value("registrations", COUNT, Level.DEPARTEMENT, "44", month, "age_band", "under_26") == 15

    bassins = Tables(ledger, "registrations", COUNT, month, ALL, RULE).of((Level.DEPARTEMENT, "44"))
    assert bassins.get(TOTAL) == 15
    # 3 outside the bassin is withheld; so is the bassin's 12, else 15 - 12 gives it back.
    assert bassins.get(REST) is None and bassins.get("52-SAINT-NAZAIRE") is None


def test_shares_and_means_come_from_their_terms_per_month_of_publication():
    offers = []
    for index in range(20):
        offer = {"contract_type": "CDI", "place": {"commune_code": "53130", "departement_code": "53"},
                 "published_at": "2026-10-05T08:00:00+00:00"}
        offers.append(("offers.offer.published.v1", offer))
        if index < 15:
            offers.append(("offers.offer.filled.v1", {**offer, "filled_at": "2026-11-02T08:00:00+00:00",
                                                      "time_to_fill_days": 28}))
    ledger = ledger_of(offers)
    assert ledger.value("offer_fill_rate", NUMERATOR, Level.BASSIN, "52-LAVAL-OUEST", "2026-10") == 15
    assert ledger.value("offer_fill_rate", DENOMINATOR, Level.REGION, "52", "2026-10", "contract_type", "CDI") == 20
    assert ledger.value("offer_time_to_fill", "sum", Level.DEPARTEMENT, "53", "2026-11") == 15 * 28


def test_generated_appointments_give_their_known_share_within_target():
    chance = random.Random(7)
    within = [chance.random() < 0.6 for _ in range(200)]
    events = [("orientation.appointment.booked.v1", {
        "departement_code": "49", "booked_at": "2026-11-10T10:00:00+00:00", "channel": "in_person",
        "delay_days": 10 if ok else 20, "within_target": ok}) for ok in within]
    ledger = ledger_of(events)
    assert ledger.value("first_appointment_within_target", NUMERATOR, Level.DEPARTEMENT, "49", "2026-11") == sum(within)
    assert ledger.value("first_appointment_within_target", DENOMINATOR, Level.REGION, "52", "2026-11") == 200
    assert ledger.value("first_appointment_delay", "sum", Level.NATIONAL, NATIONAL, "2026-11") == \
        sum(10 if ok else 20 for ok in within)
    assert ledger.value("first_appointment_delay", COUNT, Level.BASSIN, "52-LAVAL-OUEST", "2026-11") == 0


def test_a_cancelled_first_appointment_no_longer_counts_and_a_moved_one_counts_once_with_its_new_delay():
    booked = {"departement_code": "49", "booked_at": "2026-11-10T10:00:00+00:00", "channel": "on_site",
              "delay_days": 10, "within_target": True}
    ledger = ledger_of([("orientation.appointment.booked.v1", booked)] * 3)
    bookings = [booking_facts(booked)] * 3
    moved, bookings[0] = appointment_changed(MOVED, bookings[0], {"channel": "video", "delay_days": 18,
                                                                   "within_target": False})
    cancelled, bookings[1] = appointment_changed(CANCELLED, bookings[1], {})
    ledger.add(moved + cancelled)
    delay, share = "first_appointment_delay", "first_appointment_within_target"
    assert ledger.value(delay, COUNT, Level.DEPARTEMENT, "49", "2026-11") == 2  # the month it was first booked
    assert ledger.value(delay, "sum", Level.DEPARTEMENT, "49", "2026-11") == 18 + 10
    assert ledger.value(delay, COUNT, Level.REGION, "52", "2026-11", "channel", "video") == 1
    assert ledger.value(delay, COUNT, Level.REGION, "52", "2026-11", "channel", "on_site") == 1
    assert (ledger.value(share, NUMERATOR, Level.NATIONAL, NATIONAL, "2026-11"),
            ledger.value(share, DENOMINATOR, Level.NATIONAL, NATIONAL, "2026-11")) == (1, 2)
    assert bookings[1] is None and bookings[0]["delay_days"] == 18


def test_dossier_facts_wait_for_the_person_place_and_unknown_events_add_nothing():
    signed = {"person_id": "p1", "signed_at": "2026-11-20T10:00:00+00:00", "pathway": "professional"}
    assert contributions("dossier.contract.signed.v1", signed, lambda person: None) == []
    found = contributions("dossier.contract.signed.v1", signed, lambda person: Place("53130"))
    assert [(item.indicator, item.month, item.categories) for item in found] == \
        [("contracts_signed", "2026-11", (("pathway", "professional"),))]
    assert contributions("offers.match.found.v1", {}, lambda person: None) == []
    assert contributions("registration.person.registered.v2", {**registered("44109"), "status": "pre_registered"},
                         lambda person: None) == []


def test_the_age_band_is_taken_on_the_day_of_the_fact():
    assert age_band("2000-12-01", "2026-11-30T23:00:00+00:00") == "under_26"
    assert age_band("2000-12-01", "2026-12-01T00:00:00+00:00") == "26_to_49"
    assert age_band("1976-01-01", "2026-01-01T00:00:00+00:00") == "50_and_over"


def test_a_fact_without_a_known_place_counts_nationally_only():
    ledger = Ledger(shipped_territories())
    assert ledger.located(Place()) == {Level.NATIONAL: NATIONAL}
    assert ledger.located(Place(departement_code="53"))[Level.REGION] == "52"


def test_the_ledger_does_not_depend_on_the_order_of_the_events():
    # Topics reach the consumers in no order between them: a replay may interleave them differently.
    events = [("registration.person.registered.v2", registered(commune, sex=sex))
              for commune in ("44184", "44109", "53130") for sex in ("F", "M")] * 5
    events += [("sanctions.decision.made.v1", {"territory": "72", "decided_at": "2026-11-04T10:00:00+00:00",
                                               "regime": "rsa"})] * 4
    shuffled = list(events)
    random.Random(3).shuffle(shuffled)
    assert ledger_of(events).cells == ledger_of(shuffled).cells


def test_each_contribution_names_a_defined_indicator_and_its_declared_breakdowns():
    from services.indicators.domain.definitions import shipped_catalogue

    catalogue = shipped_catalogue()
    samples = [
        ("registration.person.registered.v2", registered("44184")),
        ("orientation.decision.made.v1", {"status": "decided", "referent": {"org_type": "departement"},
                                          "pathway": "social", "intensity": "intensive", "departement_code": "44",
                                          "decided_at": "2026-11-04T10:00:00+00:00"}),
        ("orientation.appointment.no_show.v1", {"departement_code": "44", "recorded_at": "2026-11-04T10:00:00+00:00",
                                                "rsa_recipient": True}),
        ("dossier.review.recorded.v1", {"person_id": "p", "held_at": "2026-11-04T10:00:00+00:00", "outcome": "on_track"}),
        ("dossier.review.overdue.v1", {"person_id": "p", "next_review_due": "2026-11-04"}),
        ("profiles.introduction.made.v1", {"departement_code": "44", "contact_released_at": None,
                                           "requested_at": "2026-11-04T10:00:00+00:00"}),
        ("partners.dsn.hiring_declared.v1", {"person_id": "p", "hired_on": "2026-11-30", "contract_type": "CDD"}),
    ]
    for event_type, data in samples:
        for item in contributions(event_type, data, lambda person: Place("44184")):
            definition = catalogue.get(item.indicator)
            assert event_type in definition.sources
            assert {breakdown for breakdown, _ in item.categories} == set(definition.breakdowns)


def test_the_open_data_of_a_level_lists_each_territory_with_its_protected_figure():
    from services.indicators.domain.definitions import shipped_catalogue
    from services.indicators.domain.observations import export_rows

    ledger = ledger_of([("registration.person.registered.v2", registered("44184"))] * 12
                       + [("registration.person.registered.v2", registered("53130"))] * 30)
    definition = shipped_catalogue().get("registrations")
    rows = {row["territory"]: row["value"] for row in export_rows(ledger, definition, Level.DEPARTEMENT, "2026-11", RULE)}
    assert len(rows) == 101 and rows["44"] == 12 and rows["53"] == 30 and rows["49"] == 0
    bassins = export_rows(ledger, definition, Level.BASSIN, "2026-11", RULE)
    # Each bassin is its département's only listed child: 12 and 30 equal their département's totals.
    assert {row["territory"]: row["value"] for row in bassins} == {"52-LAVAL-OUEST": 30, "52-SAINT-NAZAIRE": 12}
    assert export_rows(ledger, definition, Level.NATIONAL, "2026-11", RULE) == [
        {"territory": "FR", "name": "France", "month": "2026-11", "category": "all", "value": 42}]


def test_a_departement_withheld_in_its_regions_table_is_not_given_back_by_its_bassins():
    from services.indicators.domain.definitions import shipped_catalogue
    from services.indicators.domain.observations import export_rows

    # 12 in Saint-Nazaire's bassin, 5 in Angers: in the région's table, 5 is withheld, and 44's 12
    # with it (else 17 - 12). 44's only listed bassin holds all of its 12: published, it would give
    # 44's figure back, and with it Maine-et-Loire's 5.
    ledger = ledger_of([("registration.person.registered.v2", registered("44184"))] * 12
                       + [("registration.person.registered.v2", registered("49007"))] * 5)
    definition = shipped_catalogue().get("registrations")
    departements = {row["territory"]: row["value"] for row in export_rows(ledger, definition, Level.DEPARTEMENT,
                                                                           "2026-11", RULE)}
    assert departements["44"] is None and departements["49"] is None and departements["53"] == 0
    bassins = {row["territory"]: row["value"] for row in export_rows(ledger, definition, Level.BASSIN, "2026-11", RULE)}
    assert bassins["52-SAINT-NAZAIRE"] is None
    assert export_rows(ledger, definition, Level.NATIONAL, "2026-11", RULE)[0]["value"] == 17
